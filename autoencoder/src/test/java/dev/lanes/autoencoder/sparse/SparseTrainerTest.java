package dev.lanes.autoencoder.sparse;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lanes.autoencoder.nn.Params;
import dev.lanes.autoencoder.train.DivergedException;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** {@link SparseTrainer}: the step counts it reports and restores, and the NaN guard. */
class SparseTrainerTest {

    private static final long SEED = 0x5EED;

    private static float[] data(int rows, int n) {
        SplittableRandom r = new SplittableRandom(SEED);
        float[] x = new float[rows * n];
        for (int i = 0; i < x.length; i++) {
            x[i] = r.nextInt(2) == 0 ? 0f : (float) r.nextDouble();
        }
        return x;
    }

    @Test
    void aNonFiniteLossStopsTheStepBeforeAnythingChanges() {
        SparseTopK model = new SparseTopK(SparseTopK.config(16, 12, 3, SEED), 1e-3f);
        SparseTrainer trainer = new SparseTrainer(model, 4, SEED);
        float[] x = data(4, 16);
        trainer.trainStep(4, x);
        Params p = model.params();
        float[] data = p.data().clone();
        float[] m = p.m().clone();
        float[] v = p.v().clone();
        x[5] = Float.NaN;
        DivergedException e = assertThrows(DivergedException.class, () -> trainer.trainStep(4, x));
        assertEquals(1, e.step(), "seed=" + SEED);
        assertTrue(e.getMessage().contains("loss=NaN"), e.getMessage());
        assertArrayEquals(data, model.params().data(), "parameters unchanged, seed=" + SEED);
        assertArrayEquals(m, p.m());
        assertArrayEquals(v, p.v());
        assertEquals(1, trainer.step());
        assertEquals(1, trainer.optimizerSteps());
    }

    @Test
    void restoreContinuesAsTheUninterruptedModel() {
        float[] x = data(8, 16);
        SparseTopK a = new SparseTopK(SparseTopK.config(16, 12, 3, SEED), 1e-3f);
        SparseTrainer ta = new SparseTrainer(a, 8, SEED);
        for (int s = 0; s < 6; s++) {
            ta.trainStep(8, x);
        }
        // a copy of a's state after 3 steps, restored into a fresh model, then 3 more steps
        SparseTopK b = new SparseTopK(SparseTopK.config(16, 12, 3, SEED), 1e-3f);
        SparseTrainer tb = new SparseTrainer(b, 8, SEED);
        SparseTopK c = new SparseTopK(SparseTopK.config(16, 12, 3, SEED), 1e-3f);
        SparseTrainer tc = new SparseTrainer(c, 8, SEED);
        for (int s = 0; s < 3; s++) {
            tb.trainStep(8, x);
        }
        Params pb = b.params();
        Params pc = c.params();
        System.arraycopy(pb.data(), 0, pc.data(), 0, pb.size());
        System.arraycopy(pb.m(), 0, pc.m(), 0, pb.size());
        System.arraycopy(pb.v(), 0, pc.v(), 0, pb.size());
        tc.restore(tb.step(), tb.optimizerSteps());
        for (int s = 0; s < 3; s++) {
            assertEquals(Float.floatToRawIntBits(tb.trainStep(8, x)), Float.floatToRawIntBits(tc.trainStep(8, x)),
                    "step " + s + " seed=" + SEED);
        }
        assertArrayEquals(a.params().data(), c.params().data(), "seed=" + SEED);
        assertArrayEquals(a.params().m(), c.params().m());
        assertArrayEquals(a.params().v(), c.params().v());
        assertEquals(6, tc.step());
    }
}
