package dev.lanes.autoencoder.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import dev.lanes.core.Activation;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Every layer's backward against central differences (see GradCheck), on small seeded shapes. */
class LayerGradientTest {

    private static final long SEED = 0x1A7E_5EEDL;
    private static final float H = 1e-2f;
    private static final double TOL = 1e-2; // float32 forward, h = 1e-2: rounding ~1e-5, truncation ~1e-4 relative

    private static float[] input(long seed, int n, double lo, double hi) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = (float) r.nextDouble(lo, hi);
        }
        return x;
    }

    @Test
    void dense() {
        for (Init init : Init.values()) {
            for (int batch : new int[] {1, 5}) {
                long seed = SEED ^ init.ordinal() ^ batch * 17L;
                Params p = new Params();
                Dense d = new Dense(p, "fc", 7, 4, init);
                p.allocate();
                d.init(seed);
                // biases start at 0 for He and Xavier: give them values so their gradient is tested at a generic point
                dev.lanes.core.Fill.uniform(seed, -0.5f, 0.5f, p.data(), d.bias().offset(), 4);
                GradCheck.layer("dense " + init + " batch=" + batch, d, batch, input(seed, batch * 7, -1, 1), true,
                        seed, H, TOL);
            }
        }
    }

    @Test
    void tiedDense() {
        long seed = SEED ^ 0x71ED;
        Params p = new Params();
        Dense enc = new Dense(p, "encoder", 6, 3, Init.XAVIER);
        Dense dec = Dense.tied(p, "decoder", enc);
        p.allocate();
        enc.init(seed);
        dec.init(seed + 1);
        assertEquals(1, dec.parameters().size());
        // the tied layer's weight gradient lands in the encoder's weight: check it through that tensor
        Layer asOwner = new Layer() {
            @Override public int inputs() { return 3; }
            @Override public int outputs() { return 6; }
            @Override public void forward(int b, float[] in, float[] out, boolean t) { dec.forward(b, in, out, t); }
            @Override public void backward(int b, float[] in, float[] out, float[] dOut, float[] dIn) {
                dec.backward(b, in, out, dOut, dIn);
            }
            @Override public java.util.List<Tensor> parameters() { return java.util.List.of(enc.weight(), dec.bias()); }
        };
        GradCheck.layer("tied dense", asOwner, 4, input(seed, 12, -1, 1), true, seed, H, TOL);
    }

    @Test
    void everyActivation() {
        for (Activation f : Activation.values()) {
            long seed = SEED ^ f.ordinal() * 101L;
            // TReLU: inputs spread over both kinks, so all three regions are exercised
            float[] x = input(seed, 3 * 9, f == Activation.TRELU ? -0.5 : -3, f == Activation.TRELU ? 1.5 : 3);
            GradCheck.layer("activation " + f, new ActivationLayer(f, 9), 3, x, true, seed, 1e-3f, TOL);
        }
    }

    @Test
    void topK() {
        for (int k : new int[] {1, 3, 10}) {
            long seed = SEED ^ k * 7L;
            GradCheck.layer("topk k=" + k, new TopKLayer(10, k), 4, input(seed, 40, -1, 1), true, seed, 1e-3f, TOL);
        }
    }

    @Test
    void topKAuxSelectsOnlyDeadLatents() {
        TopKLayer t = new TopKLayer(6, 2);
        float[] z = {5, 4, 3, 2, 1, -1};
        boolean[] dead = {false, false, true, false, true, true};
        float[] masked = new float[6];
        float[] out = new float[6];
        t.auxForward(1, z, dead, 3, 2, masked, out);
        assertArrayEquals(new float[] {0, 0, 3, 0, 1, 0}, out);
    }

    @Test
    void corruption() {
        long seed = SEED ^ 0xC0;
        for (Corruption c : new Corruption[] {Corruption.masking(0.3f, 8, seed), Corruption.dropout(0.5f, 8, seed),
            Corruption.gaussian(0.2f, 8, seed)}) {
            c.setStep(3);
            GradCheck.layer("corruption " + c.kind(), c, 4, input(seed, 32, -1, 1), true, seed, H, TOL);
        }
    }

    @Test
    void corruptionIsSeededPerStepAndOffOutsideTraining() {
        Corruption c = Corruption.masking(0.5f, 16, 42);
        float[] x = input(1, 32, 0.5, 1);
        float[] a = new float[32];
        float[] b = new float[32];
        c.setStep(7);
        c.forward(2, x, a, true);
        c.setStep(8);
        c.forward(2, x, b, true);
        assertNotEquals(java.util.Arrays.toString(a), java.util.Arrays.toString(b), "different steps, different masks");
        c.setStep(7);
        c.forward(2, x, b, true);
        assertArrayEquals(a, b, "the same step replays the same mask");
        c.forward(2, x, b, false);
        assertArrayEquals(x, b, "inference is the identity");
    }

    @Test
    void softmaxHead() {
        long seed = SEED ^ 0x50F7;
        Params p = new Params();
        SoftmaxHead head = new SoftmaxHead(p, "head", 5, 3);
        p.allocate();
        head.dense().init(seed);
        int batch = 4;
        float[] in = input(seed, batch * 5, -1, 1);
        int[] labels = {0, 2, 1, 2};
        float[] logits = new float[batch * 3];
        float[] dLogits = new float[batch * 3];
        float[] dIn = new float[batch * 5];
        head.forward(batch, in, logits);
        head.lossAndBackward(batch, in, logits, labels, dLogits, dIn);
        float[] grad = p.grad().clone();
        GradCheck c = new GradCheck("softmax head seed=0x" + Long.toHexString(seed), H, TOL, 1e-4);
        GradCheck.Scalar f = () -> {
            head.forward(batch, in, logits);
            return head.lossAndBackward(batch, in, logits, labels, null, null);
        };
        SplittableRandom rng = new SplittableRandom(seed);
        c.check("in", in, 0, in.length, dIn, 0, 20, rng, f, () -> 0L);
        for (Tensor t : head.dense().parameters()) {
            c.check(t.name(), p.data(), t.offset(), t.size(), grad, t.offset(), 20, rng, f, () -> 0L);
        }
        c.done();
    }
}
