package dev.lanes.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * The RowAdam facade: lazy updates plus a flush equal dense Adam every step, bit for bit, including rows
 * untouched for hundreds of steps; and bad input.
 */
class RowAdamTest {

    private static final long SEED = 0x20A_DA3L;
    private static final float B1 = 0.9f;
    private static final float B2 = 0.999f;
    private static final float EPS = 1e-8f;
    private static final float LR = 1e-2f;

    private static float[][] schedule(int steps) {
        float[] ss = new float[steps + 1];
        float[] sb = new float[steps + 1];
        for (int s = 1; s <= steps; s++) {
            float bc1 = (float) (1 - Math.pow(B1, s));
            float bc2 = (float) (1 - Math.pow(B2, s));
            ss[s] = LR / bc1;
            sb[s] = (float) Math.sqrt(bc2);
        }
        return new float[][] {ss, sb};
    }

    @Test
    void lazyEqualsDense() {
        SplittableRandom r = new SplittableRandom(SEED);
        int rows = 40;
        int n = 37;
        int srcRows = 5;
        int steps = 400;
        float[][] sch = schedule(steps);
        float[] src = new float[srcRows * n];
        float[] p0 = new float[rows * n];
        for (int i = 0; i < p0.length; i++) {
            p0[i] = (float) r.nextDouble(-1, 1);
        }
        float[] pd = p0.clone();
        float[] md = new float[rows * n];
        float[] vd = new float[rows * n];
        float[] pl = p0.clone();
        float[] ml = new float[rows * n];
        float[] vl = new float[rows * n];
        int[] last = new int[rows];
        float[] g = new float[rows * n];
        for (int t = 1; t <= steps; t++) {
            for (int i = 0; i < src.length; i++) {
                src[i] = (float) r.nextDouble(-1, 1);
            }
            // rows 0..9 every step, the others rarely; row 39 never until the flush
            int[] touched = r.ints(rows - 1L, 0, rows - 1).filter(j -> j < 10 || r.nextInt(60) == 0).distinct().sorted().toArray();
            int[] ptr = new int[touched.length + 1];
            int[] idx = new int[touched.length * 2];
            float[] coef = new float[touched.length * 2];
            Arrays.fill(g, 0f);
            for (int a = 0; a < touched.length; a++) {
                ptr[a + 1] = ptr[a] + 2;
                for (int u = ptr[a]; u < ptr[a + 1]; u++) {
                    idx[u] = r.nextInt(srcRows);
                    coef[u] = (float) r.nextDouble(-1, 1);
                    for (int c = 0; c < n; c++) {
                        g[touched[a] * n + c] = Math.fma(coef[u], src[idx[u] * n + c], g[touched[a] * n + c]);
                    }
                }
            }
            float bc1 = (float) (1 - Math.pow(B1, t));
            float bc2 = (float) (1 - Math.pow(B2, t));
            Optimizers.adamStep(rows * n, LR, B1, B2, EPS, 0f, false, bc1, bc2, 1f, true, pd, 0, g, 0, md, 0, vd, 0);
            RowAdam.update(n, touched.length, touched, ptr, coef, idx, src, 0, n, srcRows, B1, B2, EPS, sch[0], sch[1],
                    t, last, pl, ml, vl, 0, n);
        }
        RowAdam.flush(n, B1, B2, EPS, sch[0], sch[1], steps, last, pl, ml, vl, 0, n);
        String where = "seed=0x" + Long.toHexString(SEED);
        assertArrayEquals(pd, pl, "p " + where);
        assertArrayEquals(md, ml, "m " + where);
        assertArrayEquals(vd, vl, "v " + where);
        for (int l : last) {
            assertEquals(steps, l);
        }
    }

    private static void rejects(Class<? extends Throwable> type, String words, float[] p, Executable call) {
        float[] before = p.clone();
        Throwable t = assertThrows(type, call);
        for (String w : words.split(" ")) {
            assertTrue(t.getMessage().contains(w), t.getMessage() + " should name " + w);
        }
        assertArrayEquals(before, p, "nothing written");
    }

    @Test
    void badInput() {
        float[][] sch = schedule(3);
        float[] p = {1f, 2f, 3f, 4f};
        float[] m = new float[4];
        float[] v = new float[4];
        int[] last = {0, 0};
        float[] src = {1f, 1f};
        int[] ptr = {0, 1};
        int[] idx = {0};
        float[] coef = {1f};
        rejects(IllegalArgumentException.class, "rowAdam t=0", p, () -> RowAdam.update(2, 1, new int[] {0}, ptr, coef,
                idx, src, 0, 2, 1, B1, B2, EPS, sch[0], sch[1], 0, last, p, m, v, 0, 2));
        rejects(IllegalArgumentException.class, "rowAdam schedule", p, () -> RowAdam.update(2, 1, new int[] {0}, ptr,
                coef, idx, src, 0, 2, 1, B1, B2, EPS, sch[0], sch[1], 4, last, p, m, v, 0, 2));
        rejects(IllegalArgumentException.class, "rowAdam beta1", p, () -> RowAdam.update(2, 1, new int[] {0}, ptr, coef,
                idx, src, 0, 2, 1, 1f, B2, EPS, sch[0], sch[1], 1, last, p, m, v, 0, 2));
        rejects(IllegalArgumentException.class, "rowAdam eps", p, () -> RowAdam.update(2, 1, new int[] {0}, ptr, coef,
                idx, src, 0, 2, 1, B1, B2, 0f, sch[0], sch[1], 1, last, p, m, v, 0, 2));
        rejects(IllegalArgumentException.class, "rowAdam strictly increasing", p, () -> RowAdam.update(2, 2,
                new int[] {1, 1}, new int[] {0, 1, 2}, new float[2], new int[2], src, 0, 2, 1, B1, B2, EPS, sch[0], sch[1],
                1, last, p, m, v, 0, 2));
        rejects(IllegalArgumentException.class, "rowAdam last=2 row 0", p, () -> RowAdam.update(2, 1, new int[] {0}, ptr, coef,
                idx, src, 0, 2, 1, B1, B2, EPS, sch[0], sch[1], 2, new int[] {2, 0}, p, m, v, 0, 2));
        rejects(IndexOutOfBoundsException.class, "rowAdam rowIdx[0]=2", p, () -> RowAdam.update(2, 1, new int[] {2}, ptr,
                coef, idx, src, 0, 2, 1, B1, B2, EPS, sch[0], sch[1], 1, last, p, m, v, 0, 2));
        rejects(IndexOutOfBoundsException.class, "rowAdam idx[0]=1", p, () -> RowAdam.update(2, 1, new int[] {0}, ptr,
                coef, new int[] {1}, src, 0, 2, 1, B1, B2, EPS, sch[0], sch[1], 1, last, p, m, v, 0, 2));
        rejects(IllegalArgumentException.class, "rowAdam ld", p, () -> RowAdam.update(2, 1, new int[] {0}, ptr, coef,
                idx, src, 0, 2, 1, B1, B2, EPS, sch[0], sch[1], 1, last, p, m, v, 0, 1));
        rejects(IndexOutOfBoundsException.class, "rowAdam v", p, () -> RowAdam.update(2, 1, new int[] {0}, ptr, coef,
                idx, src, 0, 2, 1, B1, B2, EPS, sch[0], sch[1], 1, last, p, m, new float[3], 0, 2));
        rejects(NullPointerException.class, "rowAdam last", p, () -> RowAdam.update(2, 1, new int[] {0}, ptr, coef,
                idx, src, 0, 2, 1, B1, B2, EPS, sch[0], sch[1], 1, null, p, m, v, 0, 2));
        rejects(NullPointerException.class, "rowAdam stepSize", p, () -> RowAdam.update(2, 1, new int[] {0}, ptr, coef,
                idx, src, 0, 2, 1, B1, B2, EPS, null, sch[1], 1, last, p, m, v, 0, 2));
        rejects(IllegalArgumentException.class, "rowAdamFlush last=3", p,
                () -> RowAdam.flush(2, B1, B2, EPS, sch[0], sch[1], 2, new int[] {3, 0}, p, m, v, 0, 2));
        rejects(IllegalArgumentException.class, "rowAdamFlush n", p,
                () -> RowAdam.flush(-2, B1, B2, EPS, sch[0], sch[1], 2, last, p, m, v, 0, 2));
    }
}
