package dev.lanes.autoencoder.nn;

/**
 * A view of one named parameter tensor in a {@link Params} buffer: elements
 * {@code [offset, offset + size)} of {@link Params#data()}, with the gradient at the same offset of
 * {@link Params#grad()} (and the optimizer state likewise).
 */
public final class Tensor {

    private final Params owner;
    private final ParamSpec spec;
    private final int offset;
    private final int size;

    Tensor(Params owner, ParamSpec spec, int offset) {
        this.owner = owner;
        this.spec = spec;
        this.offset = offset;
        this.size = spec.size();
    }

    public String name() {
        return spec.name();
    }

    public ParamSpec spec() {
        return spec;
    }

    public int[] shape() {
        return spec.shape();
    }

    public int offset() {
        return offset;
    }

    public int size() {
        return size;
    }

    /** The whole parameter array; this tensor starts at {@link #offset()}. */
    public float[] data() {
        return owner.data();
    }

    /** The whole gradient array, parallel to {@link #data()}. */
    public float[] grad() {
        return owner.grad();
    }

    public Params owner() {
        return owner;
    }

    @Override
    public String toString() {
        return spec + "@" + offset;
    }
}
