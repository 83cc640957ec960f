package dev.lanes.autoencoder.metrics;

import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HungarianTest {
    private static double total(double[] cost, int cols, int[] a) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += cost[i * cols + a[i]];
        }
        return s;
    }

    /** Minimum over all injective maps rows -> cols. */
    private static double bruteForce(double[] cost, int rows, int cols) {
        return search(cost, rows, cols, 0, new boolean[cols]);
    }

    private static double search(double[] cost, int rows, int cols, int row, boolean[] used) {
        if (row == rows) {
            return 0;
        }
        double best = Double.POSITIVE_INFINITY;
        for (int c = 0; c < cols; c++) {
            if (!used[c]) {
                used[c] = true;
                best = Math.min(best, cost[row * cols + c] + search(cost, rows, cols, row + 1, used));
                used[c] = false;
            }
        }
        return best;
    }

    private static void assertInjective(int[] a, int cols, String ctx) {
        boolean[] seen = new boolean[cols];
        for (int c : a) {
            assertTrue(c >= 0 && c < cols && !seen[c], ctx + " assignment " + java.util.Arrays.toString(a));
            seen[c] = true;
        }
    }

    @Test
    void handCases() {
        // cost[i][j] = (i+1)(j+1): by the rearrangement inequality the minimum pairs large with small,
        // 1*3 + 2*2 + 3*1 = 10, while the greedy first choice (row 0 -> column 0) leads to 1 + 4 + 9 = 14.
        double[] cost = {
            1, 2, 3,
            2, 4, 6,
            3, 6, 9,
        };
        int[] a = Hungarian.assign(cost, 3, 3);
        assertEquals(10, total(cost, 3, a), 0);
        assertArrayEquals(new int[] {2, 1, 0}, a);

        double[] classic = {
            4, 1, 3,
            2, 0, 5,
            3, 2, 2,
        };
        assertEquals(5, total(classic, 3, Hungarian.assign(classic, 3, 3)), 0);

        // Rectangular: 2 rows, 4 columns; the best columns are 3 and 1.
        double[] rect = {
            5, 4, 9, 1,
            5, 1, 9, 1,
        };
        assertArrayEquals(new int[] {3, 1}, Hungarian.assign(rect, 2, 4));
        assertArrayEquals(new int[0], Hungarian.assign(new double[0], 0, 3));
        assertArrayEquals(new int[] {0}, Hungarian.assign(new double[] {-7}, 1, 1));
    }

    @Test
    void matchesBruteForceUpToSeven() {
        long seed = 0x4B_6E_B3L;
        SplittableRandom rng = new SplittableRandom(seed);
        for (int trial = 0; trial < 600; trial++) {
            int rows = 1 + rng.nextInt(7);
            int cols = rows + rng.nextInt(8 - rows);
            double[] cost = new double[rows * cols];
            // Half the trials use few distinct integer costs, to exercise ties and degenerate potentials.
            boolean ties = trial % 2 == 0;
            for (int i = 0; i < cost.length; i++) {
                cost[i] = ties ? rng.nextInt(4) : rng.nextDouble() * 2 - 1;
            }
            String ctx = "seed=" + seed + " trial=" + trial + " rows=" + rows + " cols=" + cols;
            int[] a = Hungarian.assign(cost, rows, cols);
            assertInjective(a, cols, ctx);
            double expected = bruteForce(cost, rows, cols);
            assertEquals(expected, total(cost, cols, a), 1e-12, ctx);
        }
    }

    @Test
    void badArguments() {
        assertThrows(IllegalArgumentException.class, () -> Hungarian.assign(new double[6], 3, 2));
        assertThrows(IllegalArgumentException.class, () -> Hungarian.assign(new double[5], 2, 3));
        assertThrows(IllegalArgumentException.class, () -> Hungarian.assign(new double[] {Double.NaN}, 1, 1));
        assertThrows(NullPointerException.class, () -> Hungarian.assign(null, 1, 1));
    }
}
