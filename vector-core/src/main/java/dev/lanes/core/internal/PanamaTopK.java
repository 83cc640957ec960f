package dev.lanes.core.internal;

import java.util.Arrays;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Top-k by filtering against a threshold: {@code O(cols)} per row, with a small scalar part.
 *
 * <p>Each element is ranked by a 64-bit code, smaller meaning better:
 * {@code code = (~key << 32) | column} with {@code key = b ^ ((b >> 31) >>> 1)} and
 * {@code b = Float.floatToIntBits(v)}. The key orders floats as {@link Float#compare} does (as a
 * signed int: negative floats have their magnitude bits flipped; {@code floatToIntBits} turns every
 * NaN into {@code 0x7fc00000}, above {@code +Inf}); the column in the low half breaks ties toward
 * the lower index and makes the codes of a row distinct, so one {@code long} compare decides.
 *
 * <p>Per row, candidates go into a buffer of {@code 2k + 64} codes. When it is full, a quickselect
 * keeps the {@code k} best, and the {@code k}-th best becomes the threshold. The SIMD scan compares
 * four vectors at a time with that threshold as a float; only lanes that may beat it reach the
 * scalar code, which checks them exactly. On random data only about {@code k ln(cols/k)} elements
 * pass, so the scan costs one compare per vector. At the end a quickselect and a sort of the
 * {@code k} survivors give the answer. Results equal {@link ScalarTopK}'s bit for bit.
 */
final class PanamaTopK implements TopKKernel {

    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();
    private static final int NAN_KEY = Float.floatToIntBits(Float.NaN);
    private static final int NEGATIVE_ZERO_BITS = 0x8000_0000;
    /** The bar from group maxima ({@code firstBar}) needs groups of at least this many elements. */
    private static final int MIN_GROUP = 8;
    /** Ranges this small are finished by insertion sort in {@link #selectSmallest}. */
    private static final int SMALL = 16;

    /** Per-thread row state, grown on demand, so that a call allocates nothing after warm-up. */
    private final ThreadLocal<Row> rows = ThreadLocal.withInitial(Row::new);

    @Override
    public void select(float[] x, int xOff, int rows, int cols, int ldx, int k,
                       float[] values, int[] indices, int outOff) {
        assert 0 <= k && k <= cols && ldx >= cols;
        if (k == 0) {
            return;
        }
        Row row = this.rows.get().reserve(k);
        long[] codes = row.codes;
        for (int i = 0; i < rows; i++) {
            int base = xOff + i * ldx;
            row.scan(x, base, cols);
            Arrays.sort(codes, 0, k);
            int o = outOff + i * k;
            for (int r = 0; r < k; r++) {
                int c = (int) codes[r];
                indices[o + r] = c;
                values[o + r] = x[base + c];
            }
        }
    }

    @Override
    public void selectSparse(float[] x, int xOff, int rows, int cols, int ldx, int k,
                             float[] y, int yOff, int ldy) {
        assert 0 <= k && k <= cols && ldx >= cols && ldy >= cols;
        Row row = this.rows.get().reserve(k);
        long[] codes = row.codes;
        float[] kept = row.kept;
        for (int i = 0; i < rows; i++) {
            int base = xOff + i * ldx;
            int yBase = yOff + i * ldy;
            if (k > 0) {
                row.scan(x, base, cols);
            }
            // Read the kept values before zeroing: y may be x.
            for (int r = 0; r < k; r++) {
                kept[r] = x[base + (int) codes[r]];
            }
            Arrays.fill(y, yBase, yBase + cols, 0.0f);
            for (int r = 0; r < k; r++) {
                y[yBase + (int) codes[r]] = kept[r];
            }
        }
    }

    /** The selection state of one row. */
    private static final class Row {
        long[] codes = new long[0];
        float[] kept = new float[0];
        int k;
        int capacity;
        /** Codes in use in {@link #codes}. */
        int n;
        /** A column enters only if its code is below this one (the k-th best after the last shrink). */
        long worst;
        /** Lanes with {@code v <= bar} cannot enter; NaN lets every lane through. */
        float bar;
        /** The k-th best is a NaN: no later column can enter. */
        boolean settled;

        Row reserve(int k) {
            this.k = k;
            this.capacity = 2 * k + 64;
            if (codes.length < capacity) {
                codes = new long[capacity];
            }
            if (kept.length < k) {
                kept = new float[k];
            }
            return this;
        }

        /** Leaves the codes of the row's {@code k >= 1} best in {@code codes[0..k)}, in any order. */
        void scan(float[] x, int base, int cols) {
            n = 0;
            worst = Long.MAX_VALUE;
            bar = firstBar(x, base, cols);
            settled = false;
            int j = 0;
            while ((j = skip(x, base, j, cols, bar)) <= cols - 4 * L) {
                for (int u = 0; u < 4; u++) {
                    int c = j + u * L;
                    offer(x, base, c, FloatVector.fromArray(S, x, base + c)
                            .compare(VectorOperators.LE, bar).not().toLong());
                }
                if (settled) {
                    return;
                }
                j += 4 * L;
            }
            for (; j <= cols - L; j += L) {
                VectorMask<Float> below = FloatVector.fromArray(S, x, base + j).compare(VectorOperators.LE, bar);
                if (!below.allTrue()) {
                    offer(x, base, j, below.not().toLong());
                    if (settled) {
                        return;
                    }
                }
            }
            if (j < cols) {
                offer(x, base, j, -1L >>> (64 - (cols - j)));
            }
            if (n > k) {
                selectSmallest(codes, n, k);
                n = k;
            }
        }

        /**
         * The first {@code j >= from}, stepping by {@code 4L}, whose {@code 4L} columns hold a lane
         * above {@code bar} (or NaN); past {@code cols - 4L} if there is none. Its own method so
         * that the bar vector is loop-invariant: a vector that changes inside a loop can defeat
         * C2's box elimination. One test per four vectors: all lanes at or below the bar is by far
         * the common case.
         */
        private static int skip(float[] x, int base, int from, int cols, float bar) {
            FloatVector t = FloatVector.broadcast(S, bar);
            int j = from;
            for (; j <= cols - 4 * L; j += 4 * L) {
                VectorMask<Float> below = FloatVector.fromArray(S, x, base + j).compare(VectorOperators.LE, t)
                        .and(FloatVector.fromArray(S, x, base + j + L).compare(VectorOperators.LE, t))
                        .and(FloatVector.fromArray(S, x, base + j + 2 * L).compare(VectorOperators.LE, t))
                        .and(FloatVector.fromArray(S, x, base + j + 3 * L).compare(VectorOperators.LE, t));
                if (!below.allTrue()) {
                    break;
                }
            }
            return j;
        }

        /**
         * A bar that at least {@code k} elements of the row clear, or NaN (no bar) if the row is too
         * short for one to pay. The row's head is cut into {@code g = ceil(k/L)} segments, and lane
         * {@code l} of segment {@code s} is one group (every {@code L}-th element): {@code g*L >= k}
         * disjoint groups. Each group's running maximum is one of its elements (or {@code -Inf}),
         * so {@code k} distinct elements rank at or above the least of them, and so does the whole
         * top {@code k}: the bar just below that least maximum drops none of it.
         */
        private float firstBar(float[] x, int base, int cols) {
            int segments = (k + L - 1) / L;
            int seg = cols / (segments * L) * L;
            if (seg < MIN_GROUP * L) {
                return Float.NaN;
            }
            FloatVector low = FloatVector.broadcast(S, Float.NEGATIVE_INFINITY);
            float least = Float.POSITIVE_INFINITY;
            for (int s = 0; s < segments; s++) {
                int from = base + s * seg;
                int to = from + seg;
                // Four accumulators hide the compare-and-blend latency; lane l stays group l.
                FloatVector m0 = low;
                FloatVector m1 = low;
                FloatVector m2 = low;
                FloatVector m3 = low;
                int j = from;
                for (; j <= to - 4 * L; j += 4 * L) {
                    m0 = raise(m0, FloatVector.fromArray(S, x, j));
                    m1 = raise(m1, FloatVector.fromArray(S, x, j + L));
                    m2 = raise(m2, FloatVector.fromArray(S, x, j + 2 * L));
                    m3 = raise(m3, FloatVector.fromArray(S, x, j + 3 * L));
                }
                for (; j < to; j += L) {
                    m0 = raise(m0, FloatVector.fromArray(S, x, j));
                }
                FloatVector m = raise(raise(m0, m1), raise(m2, m3));
                least = Math.min(least, m.reduceLanes(VectorOperators.MIN));
            }
            // -Inf: the bar must let -Inf through, and no float lies below it.
            return least == Float.NEGATIVE_INFINITY ? Float.NaN : Math.nextDown(least);
        }

        /**
         * Lane-wise {@code v} where it is above {@code m}: always one of the two lanes, never NaN if
         * {@code m} is not (NaN elements are left out of the maxima, which only lowers them).
         */
        private static FloatVector raise(FloatVector m, FloatVector v) {
            return m.blend(v, m.compare(VectorOperators.LT, v));
        }

        /** Checks exactly the columns {@code c0 + bit} for each set bit of {@code lanes}. */
        private void offer(float[] x, int base, int c0, long lanes) {
            while (lanes != 0) {
                int c = c0 + Long.numberOfTrailingZeros(lanes);
                lanes &= lanes - 1;
                int b = Float.floatToIntBits(x[base + c]);
                long code = ((long) ~(b ^ ((b >> 31) >>> 1)) << 32) | c;
                if (code < worst) {
                    codes[n++] = code;
                    if (n == capacity) {
                        shrink();
                    }
                }
            }
        }

        private void shrink() {
            selectSmallest(codes, n, k);
            n = k;
            worst = codes[k - 1];
            int key = ~(int) (worst >> 32);
            settled = key == NAN_KEY;
            int bits = key ^ ((key >> 31) >>> 1);
            // Only +0.0 beats -0.0 without being above it as a float: lower the bar by one ulp.
            bar = bits == NEGATIVE_ZERO_BITS ? -Float.MIN_VALUE : Float.intBitsToFloat(bits);
        }
    }

    /**
     * Partially orders {@code a[0..n)} so that its {@code k} smallest ({@code 1 <= k <= n}, all
     * values distinct) are in {@code a[0..k)} and the {@code k}-th smallest is at {@code k-1}.
     * Quickselect with median-of-three pivots; past a depth limit it sorts the range instead, so
     * the worst case stays {@code O(n log n)}.
     */
    static void selectSmallest(long[] a, int n, int k) {
        assert 1 <= k && k <= n;
        int lo = 0;
        int hi = n - 1;
        int target = k - 1;
        int budget = 2 * (32 - Integer.numberOfLeadingZeros(n));
        while (hi - lo > SMALL) {
            if (--budget < 0) {
                Arrays.sort(a, lo, hi + 1);
                return;
            }
            long p = median(a[lo], a[(lo + hi) >>> 1], a[hi]);
            int i = lo;
            int j = hi;
            while (i <= j) {
                while (a[i] < p) {
                    i++;
                }
                while (a[j] > p) {
                    j--;
                }
                if (i <= j) {
                    long t = a[i];
                    a[i] = a[j];
                    a[j] = t;
                    i++;
                    j--;
                }
            }
            if (target <= j) {
                hi = j;
            } else if (target >= i) {
                lo = i;
            } else {
                return;
            }
        }
        for (int i = lo + 1; i <= hi; i++) {
            long v = a[i];
            int j = i - 1;
            while (j >= lo && a[j] > v) {
                a[j + 1] = a[j];
                j--;
            }
            a[j + 1] = v;
        }
    }

    private static long median(long a, long b, long c) {
        return Math.max(Math.min(a, b), Math.min(Math.max(a, b), c));
    }
}
