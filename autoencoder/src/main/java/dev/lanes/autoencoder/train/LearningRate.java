package dev.lanes.autoencoder.train;

/** A learning-rate schedule: the rate for step {@code t = 0, 1, ...}. */
@FunctionalInterface
public interface LearningRate {

    float at(long step);

    static LearningRate constant(float lr) {
        return step -> lr;
    }

    /**
     * Linear warm-up from {@code peak/warmup} to {@code peak} over {@code warmup} steps, then a cosine decay
     * to {@code floor} at step {@code total} (held there after).
     */
    static LearningRate warmupCosine(float peak, long warmup, long total, float floor) {
        if (warmup < 0 || total <= warmup) {
            throw new IllegalArgumentException("warmupCosine: need 0 <= warmup=" + warmup + " < total=" + total);
        }
        return step -> {
            if (step < warmup) {
                return peak * (step + 1) / warmup;
            }
            double progress = Math.min(1.0, (double) (step - warmup) / (total - warmup));
            return (float) (floor + 0.5 * (peak - floor) * (1 + Math.cos(Math.PI * progress)));
        };
    }
}
