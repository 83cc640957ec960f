package dev.lanes.autoencoder.io;

import java.util.Arrays;
import java.util.Objects;

/**
 * A named file's float32 tensor: a shape and its values in row-major (C) order. The arrays are shared,
 * not copied. Two tensors are equal when their shapes are equal and their values are bitwise equal
 * (so NaN equals NaN, and 0.0 differs from -0.0).
 *
 * @param shape the dimensions, each {@code >= 0}; an empty shape is a scalar (one value)
 * @param data the values, {@code product(shape)} of them
 */
public record Tensor(int[] shape, float[] data) {

    /** Checks that the shape matches the data. */
    public Tensor {
        Objects.requireNonNull(shape, "tensor: shape is null");
        Objects.requireNonNull(data, "tensor: data is null");
        long n = 1;
        for (int s : shape) {
            if (s < 0) {
                throw new IllegalArgumentException("tensor: negative dimension in shape " + Arrays.toString(shape));
            }
            n *= s;
            if (n > Integer.MAX_VALUE) {
                throw new IllegalArgumentException("tensor: shape " + Arrays.toString(shape) + " is too large");
            }
        }
        if (n != data.length) {
            throw new IllegalArgumentException("tensor: shape " + Arrays.toString(shape) + " has " + n
                    + " elements, data.length=" + data.length);
        }
    }

    /**
     * @param data the values, shared
     * @param shape the dimensions
     * @return the tensor
     */
    public static Tensor of(float[] data, int... shape) {
        return new Tensor(shape.clone(), data);
    }

    /** @return the number of values */
    public int elements() {
        return data.length;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof Tensor t) || !Arrays.equals(shape, t.shape) || data.length != t.data.length) {
            return false;
        }
        for (int i = 0; i < data.length; i++) {
            if (Float.floatToRawIntBits(data[i]) != Float.floatToRawIntBits(t.data[i])) {
                return false;
            }
        }
        return true;
    }

    @Override
    public int hashCode() {
        int h = Arrays.hashCode(shape);
        for (float v : data) {
            h = 31 * h + Float.floatToRawIntBits(v);
        }
        return h;
    }

    @Override
    public String toString() {
        return "Tensor" + Arrays.toString(shape);
    }
}
