package dev.lanes.property;

/**
 * What a passing property ran.
 *
 * @param name       the property's name
 * @param tries      the number of tries
 * @param seed       the base seed
 * @param minMeasure the smallest measured size of a generated value, -1 if none was measurable
 * @param maxMeasure the largest measured size, -1 if none was measurable
 */
public record PropertyResult(String name, int tries, long seed, long minMeasure, long maxMeasure) {

    /** The line printed on success, e.g. {@code prop sgemm-linearity: 200 tries, sizes 0..300, seed=0x...}. */
    public String summary() {
        String sizes = minMeasure < 0 ? "" : ", sizes " + minMeasure + ".." + maxMeasure;
        return "prop " + name + ": " + tries + " tries" + sizes + ", seed=" + Property.hex(seed);
    }
}
