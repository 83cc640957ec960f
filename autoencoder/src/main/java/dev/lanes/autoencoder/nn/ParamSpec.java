package dev.lanes.autoencoder.nn;

import java.util.Arrays;

/**
 * A named parameter tensor's shape, e.g. {@code ParamSpec("encoder.weight", 256, 784)}: row-major, the
 * last dimension contiguous, as PyTorch names and lays out {@code nn.Linear}'s tensors.
 */
public record ParamSpec(String name, int... shape) {

    public ParamSpec {
        if (name == null || name.isEmpty()) {
            throw new IllegalArgumentException("ParamSpec: empty name");
        }
        if (shape.length == 0) {
            throw new IllegalArgumentException("ParamSpec " + name + ": no dimensions");
        }
        long size = 1;
        for (int d : shape) {
            if (d < 1) {
                throw new IllegalArgumentException("ParamSpec " + name + ": dimension " + d + " < 1 in "
                        + Arrays.toString(shape));
            }
            size *= d;
        }
        if (size > Integer.MAX_VALUE - 16) {
            throw new IllegalArgumentException("ParamSpec " + name + ": " + size + " elements do not fit an array");
        }
        shape = shape.clone();
    }

    /** Number of elements: the product of the dimensions. */
    public int size() {
        int s = 1;
        for (int d : shape) {
            s *= d;
        }
        return s;
    }

    @Override
    public int[] shape() {
        return shape.clone();
    }

    @Override
    public String toString() {
        return name + Arrays.toString(shape);
    }
}
