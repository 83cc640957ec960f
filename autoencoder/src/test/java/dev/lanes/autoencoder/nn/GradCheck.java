package dev.lanes.autoencoder.nn;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.List;
import java.util.SplittableRandom;
import java.util.function.LongSupplier;

/**
 * Central finite differences against analytic gradients, in float32 forward passes: the derivative of a
 * scalar {@code f} along element {@code i} is {@code (f(x+h e_i) - f(x-h e_i)) / 2h}, compared with
 * the analytic value by the symmetric relative error {@code |a - d| / max(|a| + |d|, floor)}. Elements
 * whose +-h probe changes the discrete state (a fingerprint: ReLU signs, top-k sets) are skipped, since
 * the function has a kink between the two probes. Too many skips fail the check (it would test nothing).
 */
public final class GradCheck {

    /** A scalar function of the current contents of the arrays being probed. */
    public interface Scalar {
        double value();
    }

    private final String where;
    private final float h;
    private final double tol;
    private final double floor;
    private int checked;
    private int skipped;

    public GradCheck(String where, float h, double tol, double floor) {
        this.where = where;
        this.h = h;
        this.tol = tol;
        this.floor = floor;
    }

    /**
     * Checks {@code analytic[i]} against the central difference of {@code f} in {@code x[off + i]} for up
     * to {@code samples} indices {@code i < n} drawn from {@code rng} (all of them if {@code n <= samples}).
     */
    public void check(String what, float[] x, int off, int n, float[] analytic, int aOff, int samples,
                      SplittableRandom rng, Scalar f, LongSupplier fingerprint) {
        long state = fingerprint.getAsLong();
        for (int s = 0; s < Math.min(n, samples); s++) {
            int i = n <= samples ? s : rng.nextInt(n);
            float saved = x[off + i];
            x[off + i] = saved + h;
            double plus = f.value();
            boolean samePlus = fingerprint.getAsLong() == state;
            x[off + i] = saved - h;
            double minus = f.value();
            boolean sameMinus = fingerprint.getAsLong() == state;
            x[off + i] = saved;
            if (!samePlus || !sameMinus) {
                skipped++;
                continue;
            }
            double numeric = (plus - minus) / (2.0 * ((double) (saved + h) - saved));
            double a = analytic[aOff + i];
            double err = Math.abs(a - numeric) / Math.max(Math.abs(a) + Math.abs(numeric), floor);
            checked++;
            if (!(err <= tol)) {
                fail(String.format("%s: d/d%s[%d] analytic=%.7g numeric=%.7g relErr=%.3g > %.3g", where, what, i, a,
                        numeric, err, tol));
            }
        }
        f.value(); // restore the state of the unperturbed point
    }

    /** Fails if more than a third of the probes were skipped, or none was checked. */
    public void done() {
        assertTrue(checked > 0 && skipped <= (checked + skipped) / 3,
                where + ": checked " + checked + ", skipped " + skipped + " at kinks");
    }

    /**
     * Checks a layer's input gradient and every parameter tensor it owns, for the probe loss
     * {@code L = sum r * y} (in double) with {@code r} drawn from the seed.
     */
    public static void layer(String where, Layer layer, int batch, float[] in, boolean training, long seed,
                             float h, double tol) {
        int ni = batch * layer.inputs();
        int no = batch * layer.outputs();
        SplittableRandom rng = new SplittableRandom(seed);
        float[] out = new float[no];
        float[] r = new float[no];
        for (int i = 0; i < no; i++) {
            r[i] = (float) rng.nextDouble(-1, 1);
        }
        layer.forward(batch, in, out, training);
        float[] dIn = new float[ni];
        List<Tensor> ps = layer.parameters();
        if (!ps.isEmpty()) {
            ps.get(0).owner().zeroGrad();
        }
        layer.backward(batch, in, out, r.clone(), dIn);
        float[] grad = ps.isEmpty() ? null : ps.get(0).grad().clone();
        Scalar f = () -> {
            layer.forward(batch, in, out, training);
            double s = 0;
            for (int i = 0; i < no; i++) {
                s += (double) r[i] * out[i];
            }
            return s;
        };
        LongSupplier fp = () -> layer.stateFingerprint(batch, in, out);
        GradCheck c = new GradCheck(where + " seed=0x" + Long.toHexString(seed), h, tol, 1e-3);
        c.check("in", in, 0, ni, dIn, 0, 40, rng, f, fp);
        for (Tensor t : ps) {
            c.check(t.name(), t.data(), t.offset(), t.size(), grad, t.offset(), 25, rng, f, fp);
        }
        c.done();
    }
}
