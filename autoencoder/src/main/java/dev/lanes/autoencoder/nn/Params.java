package dev.lanes.autoencoder.nn;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One flat float buffer for every parameter of a model, laid out from named specs in the order they were
 * added, with parallel arrays of the same length for the gradients and the optimizer state (first and
 * second moments, or the momentum buffer in {@link #m()}). Layers add their specs while they are built
 * and keep the returned {@link Tensor} views; {@link #allocate()} then creates the arrays once, so an
 * optimizer step or a checkpoint is one loop over one range.
 */
public final class Params {

    /** Tensors start on a multiple of this many floats (64 bytes), so each begins on a cache line. */
    private static final int ALIGN = 16;

    private final Map<String, Tensor> byName = new LinkedHashMap<>();
    private final List<Tensor> tensors = new ArrayList<>();
    private int size;
    private float[] data;
    private float[] grad;
    private float[] m;
    private float[] v;

    /** Adds a tensor at the end of the layout and returns its view. */
    public Tensor add(ParamSpec spec) {
        if (data != null) {
            throw new IllegalStateException("Params: cannot add " + spec + " after allocate()");
        }
        if (byName.containsKey(spec.name())) {
            throw new IllegalArgumentException("Params: duplicate parameter name " + spec.name());
        }
        int offset = (size + ALIGN - 1) / ALIGN * ALIGN;
        if ((long) offset + spec.size() > Integer.MAX_VALUE - 16) {
            throw new IllegalArgumentException("Params: " + spec + " does not fit one array");
        }
        Tensor t = new Tensor(this, spec, offset);
        byName.put(spec.name(), t);
        tensors.add(t);
        size = offset + spec.size();
        return t;
    }

    /** Creates the zeroed parameter, gradient and state arrays; the layout is fixed from now on. */
    public Params allocate() {
        if (data != null) {
            throw new IllegalStateException("Params: already allocated");
        }
        data = new float[size];
        grad = new float[size];
        m = new float[size];
        v = new float[size];
        return this;
    }

    public boolean allocated() {
        return data != null;
    }

    /** Length of the flat arrays (the tensors plus alignment gaps, which stay zero). */
    public int size() {
        return size;
    }

    /** Number of parameters, gaps excluded. */
    public long count() {
        long c = 0;
        for (Tensor t : tensors) {
            c += t.size();
        }
        return c;
    }

    public float[] data() {
        return data;
    }

    public float[] grad() {
        return grad;
    }

    /** First-moment (Adam) or momentum (SGD) state. */
    public float[] m() {
        return m;
    }

    /** Second-moment (Adam) state. */
    public float[] v() {
        return v;
    }

    public List<Tensor> tensors() {
        return Collections.unmodifiableList(tensors);
    }

    public Tensor get(String name) {
        Tensor t = byName.get(name);
        if (t == null) {
            throw new IllegalArgumentException("Params: no parameter named " + name + "; have " + byName.keySet());
        }
        return t;
    }

    public void zeroGrad() {
        Arrays.fill(grad, 0f);
    }

    /** Zeroes the optimizer state (a fresh optimizer). */
    public void resetState() {
        Arrays.fill(m, 0f);
        Arrays.fill(v, 0f);
    }
}
