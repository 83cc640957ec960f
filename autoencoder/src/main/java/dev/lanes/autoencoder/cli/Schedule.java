package dev.lanes.autoencoder.cli;

import dev.lanes.autoencoder.train.LearningRate;
import picocli.CommandLine;

/**
 * The {@code --schedule} option: {@code constant}, or {@code cosine[:WARMUP]} (a linear warm-up over WARMUP
 * steps, default 0, then a cosine decay to 0 at the last step).
 *
 * @param cosine whether the rate decays
 * @param warmup warm-up steps of the cosine schedule
 */
record Schedule(boolean cosine, long warmup) {

    static final Schedule CONSTANT = new Schedule(false, 0);

    /** @return the learning rate of each step of a run of {@code total} steps at peak {@code lr} */
    LearningRate rate(float lr, long total) {
        if (!cosine) {
            return LearningRate.constant(lr);
        }
        if (warmup >= total) {
            throw new UserException("--schedule cosine:" + warmup + ": the warm-up must be shorter than the run ("
                    + total + " steps)");
        }
        return LearningRate.warmupCosine(lr, warmup, total, 0f);
    }

    @Override
    public String toString() {
        return cosine ? "cosine:" + warmup : "constant";
    }

    /** Parses the option value; picocli reports a failure as a bad value of {@code --schedule}. */
    static final class Converter implements CommandLine.ITypeConverter<Schedule> {
        @Override
        public Schedule convert(String value) {
            return parse(value);
        }
    }

    static Schedule parse(String value) {
        if (value.equals("constant")) {
            return CONSTANT;
        }
        if (value.equals("cosine")) {
            return new Schedule(true, 0);
        }
        if (value.startsWith("cosine:")) {
            try {
                long w = Long.parseLong(value.substring("cosine:".length()));
                if (w >= 0) {
                    return new Schedule(true, w);
                }
            } catch (NumberFormatException e) {
                // reported below
            }
        }
        throw new CommandLine.TypeConversionException("expected constant, cosine or cosine:WARMUP with WARMUP >= 0 "
                + "steps, got '" + value + "'");
    }
}
