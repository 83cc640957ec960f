package dev.lanes.autoencoder.cli;

import dev.lanes.autoencoder.nn.Corruption;
import java.util.Locale;
import picocli.CommandLine;

/**
 * The {@code --noise} option: {@code masking:P} (each input zeroed with probability P in [0, 1)) or
 * {@code gaussian:SIGMA} (additive N(0, SIGMA^2), SIGMA >= 0).
 *
 * @param kind the corruption
 * @param amount P or SIGMA
 */
record Noise(Corruption.Kind kind, float amount) {

    /** Parses the option value; picocli reports a failure as a bad value of {@code --noise}. */
    static final class Converter implements CommandLine.ITypeConverter<Noise> {
        @Override
        public Noise convert(String value) {
            int colon = value.indexOf(':');
            String kind = colon < 0 ? value : value.substring(0, colon).toLowerCase(Locale.ROOT);
            float amount;
            try {
                amount = colon < 0 ? Float.NaN : Float.parseFloat(value.substring(colon + 1));
            } catch (NumberFormatException e) {
                amount = Float.NaN;
            }
            if (kind.equals("masking") && amount >= 0f && amount < 1f) {
                return new Noise(Corruption.Kind.MASKING, amount);
            }
            if (kind.equals("gaussian") && amount >= 0f && Float.isFinite(amount)) {
                return new Noise(Corruption.Kind.GAUSSIAN, amount);
            }
            throw new CommandLine.TypeConversionException("expected masking:P with P in [0, 1) or gaussian:SIGMA "
                    + "with SIGMA >= 0, got '" + value + "'");
        }
    }
}
