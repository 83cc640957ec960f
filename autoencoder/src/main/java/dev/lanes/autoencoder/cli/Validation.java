package dev.lanes.autoencoder.cli;

import dev.lanes.autoencoder.data.Dataset;
import picocli.CommandLine;

/**
 * The {@code --validation} option: a fraction in (0, 1) ({@code 0.1}) or a number of rows ({@code 5000})
 * held out of the training split, chosen by a permutation seeded from {@code --seed}, so the same seed
 * holds out the same rows. The held-out rows are never trained on; the metrics of each epoch are computed
 * on them.
 *
 * @param fraction the fraction, or 0 when {@code rows} is given
 * @param rows the number of rows, or 0 when {@code fraction} is given
 */
record Validation(double fraction, int rows) {

    /** Mixed into {@code --seed} so that the split does not reuse the shuffling's stream. */
    private static final long SALT = 0x5A11_7A11_DA7AL;

    /** @return the number of rows held out of {@code n} */
    int count(int n) {
        int c = rows > 0 ? rows : (int) Math.round(fraction * n);
        if (c < 1 || c >= n) {
            throw new UserException("--validation " + this + ": holds out " + c + " of the " + n
                    + " training rows; expected at least 1 and fewer than " + n);
        }
        return c;
    }

    /**
     * @return {training rows (under the training split's name), validation rows}, disjoint, the same for the
     *     same seed
     */
    Dataset[] split(Dataset train, long seed) {
        Dataset[] parts = train.split(count(train.n()), seed ^ SALT);
        Dataset rest = parts[0];
        return new Dataset[] {new Dataset(train.name(), rest.n(), rest.d(), rest.features(), rest.labels(),
                rest.height(), rest.width()), parts[1]};
    }

    @Override
    public String toString() {
        return rows > 0 ? Integer.toString(rows) : Double.toString(fraction);
    }

    /** Parses the option value; picocli reports a failure as a bad value of {@code --validation}. */
    static final class Converter implements CommandLine.ITypeConverter<Validation> {
        @Override
        public Validation convert(String value) {
            return parse(value);
        }
    }

    static Validation parse(String value) {
        try {
            if (value.matches("[0-9]+")) {
                int n = Integer.parseInt(value);
                if (n >= 1) {
                    return new Validation(0, n);
                }
            } else {
                double f = Double.parseDouble(value);
                if (f > 0 && f < 1) {
                    return new Validation(f, 0);
                }
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new CommandLine.TypeConversionException("expected a fraction in (0, 1) or a number of rows >= 1, got '"
                + value + "'");
    }
}
