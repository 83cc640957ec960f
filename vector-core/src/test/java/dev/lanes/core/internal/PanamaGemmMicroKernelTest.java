package dev.lanes.core.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The micro-kernel alone, on every edge shape. Its contract fixes the order of the arithmetic (one
 * fused multiply-add chain per element over p, then alpha, then {@code fma(beta, C, .)}), so it is
 * checked bit for bit against the same chain written in scalar Java.
 */
class PanamaGemmMicroKernelTest {

    private static int MR;
    private static int NR;
    private static int KC;

    @BeforeAll
    static void needsPanama() {
        Assumptions.assumeTrue(Backends.panamaAvailable(), "Vector API not available");
        MR = PanamaGemmMicroKernel.MR;
        NR = PanamaGemmMicroKernel.NR;
        KC = PanamaGemm.BLOCKING.kc();
    }

    @Test
    void everyEdgeShapeAndDepthMatchesTheFmaChainBitForBit() {
        long seed = 0x6E33_C0DEL;
        SplittableRandom rnd = new SplittableRandom(seed);
        float[] tile = new float[MR * NR];
        for (int kc : new int[] {0, 1, KC, KC + 1}) {
            for (int mr = 1; mr <= MR; mr++) {
                for (int nr = 1; nr <= NR; nr++) {
                    for (float beta : new float[] {0f, 1f, -0.5f}) {
                        check(rnd, seed, kc, mr, nr, 1.5f, beta, tile);
                    }
                }
            }
        }
    }

    @Test
    void padRowsAndColumnsNeverReachC() {
        long seed = 0xBADL;
        SplittableRandom rnd = new SplittableRandom(seed);
        float[] tile = new float[MR * NR];
        // NaN in the padding of the slivers: the edge tile must drop those rows and columns.
        for (int mr = 1; mr < MR; mr++) {
            check(rnd, seed, 7, mr, NR - 1, -2f, 0f, tile);
        }
    }

    private static void check(SplittableRandom rnd, long seed, int kc, int mr, int nr, float alpha, float beta,
                              float[] tile) {
        int ao = 3;
        int bo = 5;
        float[] ap = new float[ao + kc * MR + 2];
        float[] bp = new float[bo + kc * NR + 2];
        for (int p = 0; p < kc; p++) {
            for (int i = 0; i < MR; i++) {
                ap[ao + p * MR + i] = i < mr ? (float) rnd.nextDouble(-1, 1) : Float.NaN;
            }
            for (int j = 0; j < NR; j++) {
                bp[bo + p * NR + j] = j < nr ? (float) rnd.nextDouble(-1, 1) : Float.NaN;
            }
        }
        int ldc = nr + 3;
        int co = 2;
        float[] c = new float[co + MR * ldc + 4];
        for (int x = 0; x < c.length; x++) {
            c[x] = (float) rnd.nextDouble(-1, 1);
        }
        float[] before = c.clone();
        for (int i = 0; i < mr; i++) {
            for (int j = 0; j < nr; j++) {
                if (beta == 0) {
                    c[co + i * ldc + j] = Float.NaN; // must not be read
                }
            }
        }
        PanamaGemmMicroKernel.run(kc, ap, ao, bp, bo, alpha, beta, c, co, ldc, mr, nr, tile);
        for (int x = 0; x < c.length; x++) {
            int i = (x - co) / ldc;
            int j = (x - co) % ldc;
            boolean inTile = x >= co && i < mr && j < nr;
            String where = "seed=0x" + Long.toHexString(seed) + " kc=" + kc + " mr=" + mr + " nr=" + nr
                    + " beta=" + beta + " x=" + x + " (i=" + i + ", j=" + j + ")";
            if (!inTile) {
                if (Float.floatToRawIntBits(c[x]) != Float.floatToRawIntBits(before[x])) {
                    fail("wrote outside the tile: " + where);
                }
                continue;
            }
            float acc = 0f;
            for (int p = 0; p < kc; p++) {
                acc = Math.fma(ap[ao + p * MR + i], bp[bo + p * NR + j], acc);
            }
            float t = alpha * acc;
            float expected = beta == 0 ? t : Math.fma(beta, before[x], t);
            float got = c[x];
            assertEquals(Float.floatToRawIntBits(expected), Float.floatToRawIntBits(got),
                    () -> where + " expected " + expected + " got " + got);
        }
    }
}
