package dev.lanes.gradcheck;

import java.util.Objects;

/**
 * A named parameter tensor: {@code length} floats at {@code data[offset..]} and their gradient at
 * {@code grad[gradOffset..]}. Views into one flat parameter buffer work as well as separate arrays.
 * The checker perturbs {@code data} in place (restoring every element bit-exactly) and reads
 * {@code grad} after backward.
 *
 * @param name       the name used in reports ("W", "b", "encoder.bias")
 * @param data       the array holding the values
 * @param offset     the index of element 0 in {@code data}
 * @param length     the number of elements, {@code >= 0}
 * @param grad       the array holding the gradient
 * @param gradOffset the index of element 0's gradient in {@code grad}
 */
public record Tensor(String name, float[] data, int offset, int length, float[] grad, int gradOffset) {

    /** Checks that both ranges lie inside their arrays. */
    public Tensor {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(data, "data");
        Objects.requireNonNull(grad, "grad");
        if (length < 0 || offset < 0 || gradOffset < 0
                || (long) offset + length > data.length || (long) gradOffset + length > grad.length) {
            throw new IndexOutOfBoundsException("Tensor " + name + ": offset=" + offset + ", gradOffset=" + gradOffset
                    + ", length=" + length + " outside data.length=" + data.length + " or grad.length=" + grad.length);
        }
    }

    /** A tensor over all of {@code data}, with its gradient in {@code grad} (same length). */
    public static Tensor of(String name, float[] data, float[] grad) {
        if (data.length != grad.length) {
            throw new IllegalArgumentException("Tensor " + name + ": data.length=" + data.length + " != grad.length=" + grad.length);
        }
        return new Tensor(name, data, 0, data.length, grad, 0);
    }

    /** Element {@code i}'s value. */
    public float get(int i) {
        return data[offset + Objects.checkIndex(i, length)];
    }

    /** Element {@code i}'s gradient. */
    public float gradient(int i) {
        return grad[gradOffset + Objects.checkIndex(i, length)];
    }
}
