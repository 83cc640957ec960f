package dev.lanes.core.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.IntFunction;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Both top-k kernels against a sort-based answer, bit for bit: values (raw bits, NaN payloads
 * included) and indices, on every size around the vector length, on ties, sorted rows and corner
 * values, with offsets and padded rows.
 */
class TopKKernelTest {

    private static final TopKKernel SCALAR = Backends.load(TopKKernel.class, Backends.Kind.SCALAR);
    private static TopKKernel panama;
    private static int lanes;
    private static final long SEED = 0x70_9c_2026L;
    /** Padding between rows and around the outputs; reading or writing it shows up as a mismatch. */
    private static final float PAD = Float.intBitsToFloat(0x7fc0_dead);
    private static final int PAD_INDEX = -7;

    private static final float[] SPECIAL = {
        Float.NaN, Float.intBitsToFloat(0x7f80_0001), Float.intBitsToFloat(0xffc0_0000),
        Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, 0.0f, -0.0f,
        Float.MIN_VALUE, -Float.MIN_VALUE, Float.MIN_NORMAL, -Float.MIN_NORMAL * 0.5f,
        Float.MAX_VALUE, -Float.MAX_VALUE, 1.0f, -1.0f, 1e30f, -1e-30f,
    };

    @BeforeAll
    static void needsPanama() {
        // Only the surefire run without the Vector API lacks it (and it runs no kernel tests).
        assumeTrue(Backends.panamaAvailable(), "Panama unavailable: " + Backends.reason());
        panama = Backends.load(TopKKernel.class, Backends.Kind.PANAMA);
        lanes = PanamaProbe.floatLanes();
    }

    /**
     * ZEROS: -0.0 and -1 first, +0.0 only in the second half, so +0.0 must beat a -0.0 threshold.
     * NEGATIVE: no sign bit clear, where PanamaTopK's first bar comes from group minima, not maxima;
     * NEGATIVE_NAN adds NaNs with the sign bit set, the largest bit patterns as signed ints there.
     */
    enum Data { RANDOM, TIES, EQUAL, ASCENDING, DESCENDING, SPECIAL, SPIKES, ZEROS, NEGATIVE, NEGATIVE_NAN }

    @Test
    void matchesSortedAnswerAroundTheVectorLength() {
        List<Integer> sizes = new ArrayList<>(List.of(0, 1, 2, 3, 31, 97, 257, 1009));
        int L = lanes;
        for (int c : new int[] {L - 1, L, L + 1, 2 * L - 1, 2 * L, 2 * L + 1, 4 * L - 1, 4 * L, 4 * L + 1, 8 * L + 3}) {
            sizes.add(c);
        }
        long caseNo = 0;
        for (int cols : sizes) {
            for (Data data : Data.values()) {
                SplittableRandom kr = new SplittableRandom(SEED + cols);
                check(SEED + caseNo++, 3, cols, data, 0, 1, Math.min(cols, 2), cols / 2, Math.max(0, cols - 1), cols,
                        kr.nextInt(cols + 1));
            }
        }
    }

    @Test
    void matchesSortedAnswerOnLongRows() {
        // Kept small: the Vector API runs slowly until C2 compiles it, and this runs cold.
        long caseNo = 1000;
        for (Data data : Data.values()) {
            check(SEED + caseNo++, 2, 4093, data, 0, 1, 32, 128, 1000, 4093);
        }
        for (Data data : new Data[] {Data.RANDOM, Data.ASCENDING, Data.SPECIAL, Data.NEGATIVE, Data.NEGATIVE_NAN}) {
            check(SEED + caseNo++, 1, 16384, data, 1, 32, 128, 16384);
        }
    }

    @Test
    void bufferRefillsAreExact() {
        // Capacity is 4k + 64 (PanamaTopK): rows around multiples of it reduce the buffer at the edges.
        long caseNo = 5000;
        for (int k : new int[] {1, 5, 32}) {
            int cap = 4 * k + 64;
            for (int cols : new int[] {cap - 1, cap, cap + 1, 2 * cap - k, 3 * cap + 7}) {
                for (Data data : Data.values()) {
                    check(SEED + caseNo++, 2, cols, data, k);
                }
            }
        }
    }

    @Test
    void rowsUnlikeTheRowBefore() {
        // PanamaTopK filters a row against a bar carried from the row before. Here each row has its
        // own kind of data and a scale up to 1e6 times above or below the last: a much smaller row
        // leaves fewer than k above the bar (the row is done again without it), a much larger one
        // lets most of it through (the buffer is reduced mid-row, and the rest compared again with
        // the higher bar), and NaN, -Inf and all-negative rows follow ordinary ones.
        long caseNo = 9000;
        for (int cols : new int[] {1009, 4099, 16384}) {
            for (int k : new int[] {1, 7, 32, 200}) {
                long seed = SEED + caseNo++;
                SplittableRandom kinds = new SplittableRandom(seed ^ 0x5ca1eL);
                int rows = 24;
                Data[] data = new Data[rows];
                float[] scale = new float[rows];
                for (int i = 0; i < rows; i++) {
                    data[i] = Data.values()[kinds.nextInt(Data.values().length)];
                    scale[i] = (float) Math.pow(10, 3 * (kinds.nextInt(5) - 2)) * (kinds.nextInt(4) == 0 ? -1 : 1);
                }
                check(seed, rows, cols, i -> data[i] + "*" + scale[i], (x, base, i, rnd) -> {
                    fill(x, base, cols, data[i], rnd);
                    for (int j = base; j < base + cols; j++) {
                        x[j] *= scale[i];
                    }
                }, k);
            }
        }
    }

    /** Fills row {@code i} of {@code cols} at {@code x[base..]}. */
    private interface RowFill {
        void fill(float[] x, int base, int i, SplittableRandom rnd);
    }

    /** One matrix, ranked once by sorting, checked for each {@code k} (every {@code k <= cols}). */
    private static void check(long seed, int rows, int cols, Data data, int... ks) {
        check(seed, rows, cols, i -> data.toString(), (x, base, i, rnd) -> fill(x, base, cols, data, rnd), ks);
    }

    private static void check(long seed, int rows, int cols, IntFunction<String> rowData,
                              RowFill rowFill, int... ks) {
        SplittableRandom rnd = new SplittableRandom(seed);
        int xOff = rnd.nextInt(5);
        int ldx = cols + rnd.nextInt(3);
        ldx = Math.max(ldx, 1);
        float[] x = new float[xOff + rows * ldx + 2];
        Arrays.fill(x, PAD);
        for (int i = 0; i < rows; i++) {
            rowFill.fill(x, xOff + i * ldx, i, rnd);
        }
        List<String> perRow = IntStream.range(0, rows).mapToObj(rowData).toList();
        // One name when every row is alike, else the rows' in order.
        String data = String.join(",", perRow.stream().distinct().count() == 1 ? perRow.subList(0, 1) : perRow);
        float[] xCopy = x.clone();
        int[][] order = new int[rows][];
        for (int i = 0; i < rows; i++) {
            order[i] = sortedColumns(x, xOff + i * ldx, cols);
        }
        for (int k : ks) {
            if (k <= cols) {
                String where = "seed=0x" + Long.toHexString(seed) + " data=" + data + " rows=" + rows
                        + " cols=" + cols + " k=" + k + " xOff=" + xOff + " ldx=" + ldx;
                check(x, xCopy, xOff, ldx, rows, cols, k, order, rnd, where);
            }
        }
    }

    private static void check(float[] x, float[] xCopy, int xOff, int ldx, int rows, int cols, int k,
                              int[][] order, SplittableRandom rnd, String where) {
        int outOff = rnd.nextInt(4);
        int[] expectedIdx = new int[rows * k];
        for (int i = 0; i < rows; i++) {
            System.arraycopy(order[i], 0, expectedIdx, i * k, k);
        }
        for (TopKKernel kernel : new TopKKernel[] {SCALAR, panama}) {
            String who = kernel.getClass().getSimpleName() + " " + where;
            float[] values = new float[outOff + rows * k + 3];
            int[] indices = new int[values.length];
            Arrays.fill(values, PAD);
            Arrays.fill(indices, PAD_INDEX);
            kernel.select(x, xOff, rows, cols, ldx, k, values, indices, outOff);
            for (int p = 0; p < values.length; p++) {
                boolean inside = p >= outOff && p < outOff + rows * k;
                int wantIdx = inside ? expectedIdx[p - outOff] : PAD_INDEX;
                int row = inside ? (p - outOff) / k : 0;
                float want = inside ? x[xOff + row * ldx + wantIdx] : PAD;
                if (indices[p] != wantIdx || Float.floatToRawIntBits(values[p]) != Float.floatToRawIntBits(want)) {
                    fail(who + " outOff=" + outOff + " p=" + p + ": got (" + values[p] + ", " + indices[p]
                            + ") want (" + want + ", " + wantIdx + ")");
                }
            }
            assertArraysBitEqual(xCopy, x, who + " (x changed)");

            int yOff = rnd.nextInt(3);
            int ldy = Math.max(1, cols + rnd.nextInt(2));
            float[] y = new float[yOff + rows * ldy + 1];
            Arrays.fill(y, PAD);
            float[] wantY = y.clone();
            for (int i = 0; i < rows; i++) {
                Arrays.fill(wantY, yOff + i * ldy, yOff + i * ldy + cols, 0.0f);
                for (int r = 0; r < k; r++) {
                    int c = expectedIdx[i * k + r];
                    wantY[yOff + i * ldy + c] = x[xOff + i * ldx + c];
                }
            }
            kernel.selectSparse(x, xOff, rows, cols, ldx, k, y, yOff, ldy);
            assertArraysBitEqual(wantY, y, who + " selectSparse yOff=" + yOff + " ldy=" + ldy);

            float[] inPlace = x.clone();
            kernel.selectSparse(inPlace, xOff, rows, cols, ldx, k, inPlace, xOff, ldx);
            for (int i = 0; i < rows; i++) {
                for (int j = 0; j < cols; j++) {
                    int p = xOff + i * ldx + j;
                    int q = yOff + i * ldy + j;
                    if (Float.floatToRawIntBits(inPlace[p]) != Float.floatToRawIntBits(wantY[q])) {
                        fail(who + " selectSparse in place row=" + i + " col=" + j + ": got " + inPlace[p]
                                + " want " + wantY[q]);
                    }
                }
            }
        }
    }

    /** Column indices of a row sorted best first: Float.compare descending, then index ascending. */
    private static int[] sortedColumns(float[] x, int base, int cols) {
        Integer[] order = new Integer[cols];
        for (int j = 0; j < cols; j++) {
            order[j] = j;
        }
        Arrays.sort(order, (a, b) -> {
            int c = Float.compare(x[base + b], x[base + a]);
            return c != 0 ? c : Integer.compare(a, b);
        });
        return Arrays.stream(order).mapToInt(Integer::intValue).toArray();
    }

    private static void fill(float[] x, int base, int cols, Data data, SplittableRandom rnd) {
        float start = (float) rnd.nextGaussian();
        for (int j = 0; j < cols; j++) {
            x[base + j] = switch (data) {
                case RANDOM -> (float) rnd.nextGaussian();
                case TIES -> (float) (rnd.nextInt(4) - 1);
                case EQUAL -> start;
                case ASCENDING -> start + j * 0.25f;
                case DESCENDING -> start - j * 0.25f;
                case SPECIAL -> rnd.nextInt(3) == 0 ? SPECIAL[rnd.nextInt(SPECIAL.length)]
                        : (float) rnd.nextGaussian();
                case SPIKES -> rnd.nextInt(50) == 0 ? 1000.0f + rnd.nextInt(3) : (float) rnd.nextGaussian();
                case ZEROS -> rnd.nextInt(4) == 0 ? -1.0f : j < cols / 2 || rnd.nextInt(8) != 0 ? -0.0f : 0.0f;
                case NEGATIVE -> -1.0f - (float) Math.abs(rnd.nextGaussian());
                case NEGATIVE_NAN -> rnd.nextInt(200) == 0 ? Float.intBitsToFloat(0xffc0_0000 | rnd.nextInt(1 << 22))
                        : -1.0f - (float) Math.abs(rnd.nextGaussian());
            };
        }
    }

    private static void assertArraysBitEqual(float[] want, float[] got, String message) {
        assertEquals(want.length, got.length, message);
        for (int i = 0; i < want.length; i++) {
            if (Float.floatToRawIntBits(want[i]) != Float.floatToRawIntBits(got[i])) {
                fail(message + " i=" + i + ": got " + got[i] + " (0x" + Integer.toHexString(Float.floatToRawIntBits(got[i]))
                        + ") want " + want[i] + " (0x" + Integer.toHexString(Float.floatToRawIntBits(want[i])) + ")");
            }
        }
    }
}
