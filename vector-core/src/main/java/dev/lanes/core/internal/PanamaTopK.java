package dev.lanes.core.internal;

import java.util.Arrays;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.LongVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Top-k by filtering against a bar: {@code O(cols)} per row, with no per-element branch.
 *
 * <p>Elements are ranked by an int key, {@code key = b ^ ((b >> 31) >>> 1)} with
 * {@code b = Float.floatToIntBits(v)}: as a signed int it orders floats as {@link Float#compare}
 * does (negative floats get their magnitude bits flipped; {@code floatToIntBits} turns every NaN
 * into {@code 0x7fc00000}, above {@code +Inf}). Ties go to the lower column.
 *
 * <p>A row is scanned one of two ways ({@code Row.scan}):
 * <ul>
 * <li>{@code filter}, for every row that has a bar to trust: one pass compares each element
 *     with a bar carried from the previous row (of this call, or of the thread's previous call with the
 *     same {@code k} and {@code cols}) and notes, per block of four vectors, which elements
 *     are above it (a 64-bit word, stored without a branch); only those elements are appended. The
 *     bar is set below the previous row's {@code 2k}-th best, so a row drawn like the previous one
 *     has about {@code 2k} elements above it. If fewer than {@code k} pass, the bar may have shut
 *     out part of the top {@code k}: the row is done again by {@code exact} (a row much smaller than
 *     the one before it costs one more pass, over data then in L2). If at least {@code k} pass, the
 *     result is exact: the {@code k}-th best is above the bar, and so is all of the top {@code k}.
 * <li>{@code exact}, for a thread's first row at a given {@code k} and {@code cols}, after a failed
 *     filter, and where rows are too short for a bar to pay. (Used once per call, this path was still
 *     C1 code after a second of calls, 6-28 ms a call; carried across calls, it is rarely needed.)
 *   <ol>
 *   <li>{@code summarize}: one vector pass over the row keeps, for each block of four vectors, the
 *       lane-wise largest key ({@code L} ints per {@code 4L} elements), and the largest key of each of
 *       {@code 2k} disjoint groups (lane {@code l} of a segment of blocks). At least {@code k} distinct
 *       elements rank at or above the {@code k}-th largest group maximum, and so does the whole top
 *       {@code k}: that key is a bar that the top {@code k} clears, and only about {@code 1.4k} elements
 *       of a random row ({@code G ln(G/(G-k))} for {@code G = 2k} groups, against {@code k ln k} for
 *       {@code G = k}).
 *   <li>{@code hitBlocks} compares each block's summary with the bar and lists, without a branch, the
 *       rare blocks with a lane at or above it: a pass over a quarter of the row, in L1, so the row
 *       itself is read from memory once. Those blocks' elements above the bar are then appended.
 *   </ol>
 * </ul>
 * Then, in both:
 * <ol>
 * <li>{@code reduce}, when the buffer is over its capacity and at the end: a radix select of the
 *     {@code k}-th largest key (vector counting passes), an in-order compaction to the best
 *     {@code k}, and the {@code k}-th best becomes the bar.
 * <li>{@code sort}: the {@code k} survivors, as {@code long} codes {@code (~key << 32) | column},
 *     placed by rank (vector compares) or, for large {@code k}, by {@code Arrays.sort}.
 * </ol>
 * The data-dependent branches left are one per radix step, one per appended element and the
 * buffer's capacity test, which is what makes this several times faster than a heap, whose
 * mispredicted sift steps dominate its cost. Which way a row went changes the time only: results
 * equal {@link ScalarTopK}'s bit for bit, and a row's result does not depend on the rows before it.
 */
final class PanamaTopK implements TopKKernel {

    /** At most 16 lanes: a block of four vectors is described by one 64-bit word ({@code Row.above}). */
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED.length() <= 16
            ? FloatVector.SPECIES_PREFERRED : FloatVector.SPECIES_512;
    private static final VectorSpecies<Integer> SI = IntVector.SPECIES_PREFERRED.length() <= 16
            ? IntVector.SPECIES_PREFERRED : IntVector.SPECIES_512;
    private static final VectorSpecies<Long> SL = LongVector.SPECIES_PREFERRED;
    private static final int L = S.length();
    private static final int LL = SL.length();
    /** The bits of a block's word that stand for a column ({@code 4L} of them). */
    private static final long BLOCK_BITS = 4 * L == Long.SIZE ? -1L : (1L << (4 * L)) - 1;
    /** Up to this many survivors are sorted by rank ({@code Row.sort}), more by {@code Arrays.sort}. */
    private static final int RANK_SORT_MAX = 256;
    private static final int NAN_KEY = Float.floatToIntBits(Float.NaN);
    private static final int NEGATIVE_ZERO_BITS = 0x8000_0000;
    /** The bar from group maxima ({@code summarize}) needs groups of at least this many elements. */
    private static final int MIN_GROUP = 8;

    /** Per-thread row state, grown on demand, so that a call allocates nothing after warm-up. */
    private final ThreadLocal<Row> rows = ThreadLocal.withInitial(Row::new);

    PanamaTopK() {
        assert SI.length() == L : "int and float species differ in length";
    }

    @Override
    public void select(float[] x, int xOff, int rows, int cols, int ldx, int k,
                       float[] values, int[] indices, int outOff) {
        assert 0 <= k && k <= cols && ldx >= cols;
        if (k == 0) {
            return;
        }
        Row row = this.rows.get().reserve(k, cols);
        for (int i = 0; i < rows; i++) {
            int base = xOff + i * ldx;
            row.scan(x, base, cols);
            long[] sorted = row.sort();
            int o = outOff + i * k;
            for (int r = 0; r < k; r++) {
                int c = (int) sorted[r];
                indices[o + r] = c;
                values[o + r] = x[base + c];
            }
        }
    }

    @Override
    public void selectSparse(float[] x, int xOff, int rows, int cols, int ldx, int k,
                             float[] y, int yOff, int ldy) {
        assert 0 <= k && k <= cols && ldx >= cols && ldy >= cols;
        Row row = this.rows.get().reserve(k, cols);
        int[] columns = row.columns;
        float[] kept = row.kept;
        for (int i = 0; i < rows; i++) {
            int base = xOff + i * ldx;
            int yBase = yOff + i * ldy;
            if (k > 0) {
                row.scan(x, base, cols);
            }
            // Read the kept values before zeroing: y may be x.
            for (int r = 0; r < k; r++) {
                kept[r] = x[base + columns[r]];
            }
            Arrays.fill(y, yBase, yBase + cols, 0.0f);
            for (int r = 0; r < k; r++) {
                y[yBase + columns[r]] = kept[r];
            }
        }
    }

    /** The selection state of one row. */
    private static final class Row {
        /** Candidate keys and their columns, in column order; {@code n} in use. */
        int[] keys = new int[0];
        int[] columns = new int[0];
        /** Starts of the blocks with a lane above the bar ({@code hitBlocks}, {@code filter}). */
        int[] blocks = new int[0];
        /** Per listed block, from {@code filter}: bit {@code i} set if column {@code start + i} passed. */
        long[] passed = new long[0];
        /** Per block of {@code 4L} columns, lane {@code l}: the largest key of its lane-{@code l} elements. */
        int[] summary = new int[0];
        /** Keys of the group maxima in {@code summarize}. */
        int[] groupMax = new int[0];
        long[] codes = new long[0];
        long[] sorted = new long[0];
        float[] kept = new float[0];
        int k;
        /** More candidates than this trigger a reduction to the best {@code k}. */
        int capacity;
        int n;
        /** The groups of {@link #summarize}: {@code segments} segments of {@code seg} columns; seg 0: no bar. */
        int segments;
        int seg;
        /** Lanes with {@code v <= bar} cannot enter; NaN lets every lane through. */
        float bar;
        /** The k-th best is a NaN: no later column can enter. */
        boolean settled;
        /**
         * The bar handed from a row to the next ({@link #filter}): below the previous row's
         * {@code 2k}-th best, or what the summary gave; {@code trusted} false after it failed.
         */
        float carried;
        boolean trusted;
        /** The row length of the last {@link #reserve}. */
        int cols = -1;

        Row reserve(int k, int cols) {
            if (k != this.k || cols != this.cols) {
                // A bar is carried only between rows of the same shape (it would mean little otherwise).
                trusted = false;
            }
            this.k = k;
            this.cols = cols;
            this.capacity = 4 * k + 64;
            // Four vectors may add 4L candidates past the capacity; padding rounds up to L.
            int length = (capacity + L - 1) / L * L + 4 * L;
            if (keys.length < length) {
                keys = new int[length];
                columns = new int[length];
            }
            int groups = 2 * ((k + L - 1) / L) * L;
            if (groupMax.length < groups) {
                groupMax = new int[groups];
            }
            if (kept.length < k) {
                codes = new long[(k + LL - 1) / LL * LL];
                sorted = new long[k];
                kept = new float[k];
            }
            if (blocks.length < cols / (4 * L) + 1) {
                blocks = new int[cols / (4 * L) + 1];
                passed = new long[cols / (4 * L) + 1];
                summary = new int[(cols / (4 * L) + 1) * L];
            }
            plan(cols);
            return this;
        }

        /**
         * The groups of {@link #summarize} for rows of {@code cols}: the row's head cut into {@code g}
         * segments of whole blocks of four vectors (one loop shape, no tail), lane {@code l} of segment
         * {@code s} one group, {@code G = g*L >= k} groups, {@code G >= 2k} where the groups stay large
         * enough; none ({@code seg = 0}) if the row is too short for a bar to pay.
         */
        private void plan(int cols) {
            segments = (k + L - 1) / L;
            if (segments == 0) {
                seg = 0;
                return;
            }
            if (cols / (2 * segments * 4 * L) * 4 >= MIN_GROUP) {
                segments *= 2;
            }
            seg = cols / (segments * 4 * L) * (4 * L);
            if (seg < MIN_GROUP * L) {
                seg = 0;
            }
        }

        /**
         * The survivors of {@link #scan} as codes {@code (~key << 32) | column}, best (smallest)
         * first. Up to {@link #RANK_SORT_MAX} of them are placed by rank, the number of codes below
         * each: {@code k*k/LL} vector compares, no data-dependent branch, which beats a comparison
         * sort's mispredictions at these sizes.
         */
        long[] sort() {
            for (int r = 0; r < k; r++) {
                codes[r] = ((long) ~keys[r] << 32) | columns[r];
            }
            if (k > RANK_SORT_MAX) {
                Arrays.sort(codes, 0, k);
                return codes;
            }
            int end = (k + LL - 1) / LL * LL;
            // Padding is above every code (no key is Integer.MIN_VALUE), so it never counts.
            Arrays.fill(codes, k, end, Long.MAX_VALUE);
            for (int r = 0; r < k; r++) {
                long code = codes[r];
                LongVector c = LongVector.broadcast(SL, code);
                int rank = 0;
                for (int j = 0; j < end; j += LL) {
                    rank += LongVector.fromArray(SL, codes, j).compare(VectorOperators.LT, c).trueCount();
                }
                sorted[rank] = code;
            }
            return sorted;
        }

        /**
         * Leaves the row's {@code k >= 1} best in {@code keys, columns [0..k)}, in column order: by
         * {@link #filter} against the bar carried from the previous row when there is one it can
         * trust, else (or when that leaves fewer than {@code k}) by {@link #exact}.
         */
        void scan(float[] x, int base, int cols) {
            if (trusted && filter(x, base, cols)) {
                return;
            }
            exact(x, base, cols);
        }

        /**
         * One pass that compares every element with the carried bar and lists, without a branch,
         * the blocks of {@code 4L} columns with an element above it and which ones
         * ({@link #passBlocks}); then only those elements are appended. Rows drawn alike (the rows
         * of one layer's activations, say) have about {@code 2k} elements above the bar carried from
         * the previous row, and this pass costs little more than reading the row. Returns false,
         * leaving the row to {@link #exact}, if fewer than {@code k} elements passed: then the bar
         * may have shut out part of the top {@code k}. If at least {@code k} passed, every element of
         * the top {@code k} is above the bar (the {@code k}-th best is), so the result is exact.
         */
        private boolean filter(float[] x, int base, int cols) {
            n = 0;
            settled = false;
            bar = carried;
            int full = cols / (4 * L);
            int hits = passBlocks(x, base, full, bar, blocks, passed);
            boolean reduced = false;
            for (int h = 0; h < hits; h++) {
                // After a reduction the bar is higher than the one the pass compared with.
                long hit = reduced ? above(x, base + blocks[h], bar) : passed[h];
                n = appendPassed(x, base, blocks[h], hit, keys, columns, n);
                if (n > capacity) {
                    reduce();
                    reduced = true;
                    if (settled) {
                        return true;
                    }
                }
            }
            n = append(x, base, full * 4 * L, cols, bar, keys, columns, n);
            if (n < k) {
                trusted = false;
                return false;
            }
            if (n >= 2 * k) {
                carried = barBelow(kthLargest(keys, n, 2 * k));
            } else if (reduced) {
                carried = barBelow(kthLargest(keys, n, n));
            }
            if (n > k) {
                reduce();
            }
            return true;
        }

        /** The largest float below the one of {@code key}, or NaN (no bar) if that is {@code -Inf}. */
        private static float barBelow(int key) {
            float least = Float.intBitsToFloat(orderKey(key));
            // -Inf: the bar must let -Inf through, and no float lies below it.
            return least == Float.NEGATIVE_INFINITY ? Float.NaN : Math.nextDown(least);
        }

        /**
         * A float's bits to its order key, and back (the map is its own inverse): negatives get their
         * low 31 bits flipped, so that signed int order is float order. The vector passes inline it.
         */
        private static int orderKey(int bits) {
            return bits ^ ((bits >> 31) >>> 1);
        }

        /**
         * Selection that needs no bar from outside: the bar from the row's own group maxima
         * ({@link #summarize}), the blocks that reach it ({@link #hitBlocks}), their elements above
         * it. Leaves a bar for {@link #filter} on the next row: the {@code 1.25k}-th group maximum,
         * which about {@code 2k} elements of a row drawn alike clear.
         */
        private void exact(float[] x, int base, int cols) {
            n = 0;
            settled = false;
            int full = cols / (4 * L);
            int hits;
            if (seg > 0) {
                int t = summarize(x, base, full);
                bar = barBelow(t);
                hits = hitBlocks(full, t);
                int groups = segments * L;
                int loose = k + k / 4;
                carried = loose <= groups ? barBelow(kthLargest(groupMax, groups, loose)) : bar;
                trusted = true;
            } else {
                bar = Float.NaN;
                for (int b = 0; b < full; b++) {
                    blocks[b] = b * 4 * L;
                }
                hits = full;
            }
            for (int h = 0; h < hits; h++) {
                n = appendPassed(x, base, blocks[h], above(x, base + blocks[h], bar), keys, columns, n);
                if (n > capacity) {
                    reduce();
                    if (settled) {
                        return;
                    }
                }
            }
            n = append(x, base, full * 4 * L, cols, bar, keys, columns, n);
            if (n > k) {
                reduce();
            }
        }

        /**
         * The one pass over the row's full blocks: for each block of {@code 4L} columns, the lane-wise
         * largest key of its four vectors into {@code summary}, and for each group of {@link #summarize}
         * (lane {@code l} of a segment: the blocks' lanes {@code l}) its largest key into
         * {@code groupMax}. Returns the {@code k}-th largest group maximum: every element of the top
         * {@code k} has a key at least that. Keys as in the class comment (NaN canonical), so one signed
         * integer compare ranks them; the row is read once, and what the filter reads afterwards is a
         * quarter of its size and in L1.
         */
        private int summarize(float[] x, int base, int full) {
            int per = seg / (4 * L);
            int grouped = segments * per;
            IntVector g = IntVector.broadcast(SI, Integer.MIN_VALUE);
            for (int b = 0; b < full; b++) {
                int j = base + b * 4 * L;
                FloatVector v0 = FloatVector.fromArray(S, x, j);
                FloatVector v1 = FloatVector.fromArray(S, x, j + L);
                FloatVector v2 = FloatVector.fromArray(S, x, j + 2 * L);
                FloatVector v3 = FloatVector.fromArray(S, x, j + 3 * L);
                IntVector r0 = v0.reinterpretAsInts();
                IntVector r1 = v1.reinterpretAsInts();
                IntVector r2 = v2.reinterpretAsInts();
                IntVector r3 = v3.reinterpretAsInts();
                VectorMask<Float> nan = v0.test(VectorOperators.IS_NAN).or(v1.test(VectorOperators.IS_NAN))
                        .or(v2.test(VectorOperators.IS_NAN).or(v3.test(VectorOperators.IS_NAN)));
                IntVector m;
                if (!nan.anyTrue()) {
                    // No NaN: the largest float of a lane is its largest bit pattern as a signed int if that
                    // has the sign bit clear, else (all four negative) its smallest; then one key.
                    IntVector hi = r0.max(r1).max(r2.max(r3));
                    m = hi.blend(r0.min(r1).min(r2.min(r3)), hi.compare(VectorOperators.LT, 0));
                    m = m.lanewise(VectorOperators.XOR, m.lanewise(VectorOperators.ASHR, 31).lanewise(VectorOperators.LSHR, 1));
                } else {
                    r0 = r0.blend(NAN_KEY, v0.test(VectorOperators.IS_NAN).cast(SI));
                    r1 = r1.blend(NAN_KEY, v1.test(VectorOperators.IS_NAN).cast(SI));
                    r2 = r2.blend(NAN_KEY, v2.test(VectorOperators.IS_NAN).cast(SI));
                    r3 = r3.blend(NAN_KEY, v3.test(VectorOperators.IS_NAN).cast(SI));
                    m = r0.lanewise(VectorOperators.XOR, r0.lanewise(VectorOperators.ASHR, 31).lanewise(VectorOperators.LSHR, 1))
                            .max(r1.lanewise(VectorOperators.XOR, r1.lanewise(VectorOperators.ASHR, 31).lanewise(VectorOperators.LSHR, 1)))
                            .max(r2.lanewise(VectorOperators.XOR, r2.lanewise(VectorOperators.ASHR, 31).lanewise(VectorOperators.LSHR, 1))
                                    .max(r3.lanewise(VectorOperators.XOR, r3.lanewise(VectorOperators.ASHR, 31).lanewise(VectorOperators.LSHR, 1))));
                }
                m.intoArray(summary, b * L);
                if (b < grouped) {
                    g = g.max(m);
                    if ((b + 1) % per == 0) {
                        g.intoArray(groupMax, (b / per) * L);
                        g = IntVector.broadcast(SI, Integer.MIN_VALUE);
                    }
                }
            }
            return kthLargest(groupMax, segments * L, k);
        }

        /**
         * Writes to {@code blocks} the starts of the full blocks whose summary has a lane at or above
         * key {@code t}, and returns their number. No branch on the outcome: every start is stored and
         * the count advances by 0 or 1 (a branch per hit block, mispredicted about once per hit, cost
         * more than the pass itself).
         */
        private int hitBlocks(int full, int t) {
            IntVector tv = IntVector.broadcast(SI, t);
            int h = 0;
            for (int b = 0; b < full; b++) {
                blocks[h] = b * 4 * L;
                h += Math.min(1, IntVector.fromArray(SI, summary, b * L).compare(VectorOperators.GE, tv).trueCount());
            }
            return h;
        }

        /**
         * The filter pass of {@link #filter}: for each full block, bit {@code i} of a word set if
         * column {@code start + i} is above {@code bar} (or NaN); every block's start and word are
         * stored, and the count advances by 0 or 1, so no branch depends on the data. Four compares
         * and some scalar bit work per {@code 4L} elements: the row's read sets the pace.
         */
        private static int passBlocks(float[] x, int base, int full, float bar, int[] blocks, long[] passed) {
            int h = 0;
            for (int b = 0; b < full; b++) {
                long hit = above(x, base + b * 4 * L, bar);
                blocks[h] = b * 4 * L;
                passed[h] = hit;
                h += (int) ((hit | -hit) >>> 63);
            }
            return h;
        }

        /**
         * Bit {@code i} set if {@code x[from + i]}, {@code i < 4L}, is above {@code bar} or NaN
         * (not {@code <=}: a NaN bar lets all through).
         */
        private static long above(float[] x, int from, float bar) {
            long atMost = FloatVector.fromArray(S, x, from).compare(VectorOperators.LE, bar).toLong()
                    | FloatVector.fromArray(S, x, from + L).compare(VectorOperators.LE, bar).toLong() << L
                    | FloatVector.fromArray(S, x, from + 2 * L).compare(VectorOperators.LE, bar).toLong() << (2 * L)
                    | FloatVector.fromArray(S, x, from + 3 * L).compare(VectorOperators.LE, bar).toLong() << (3 * L);
            return ~atMost & BLOCK_BITS;
        }

        /**
         * Appends, after the first {@code n}, the key and column of each set bit {@code i} of
         * {@code hit}: column {@code from + i}. Scalar: a block that passes has one or two elements
         * that do, and a loop over its bits beats compressing its four vectors (0.29 against 0.87
         * us per row at 16384 columns, k = 32, 2026-11-23).
         */
        private static int appendPassed(float[] x, int base, int from, long hit, int[] keys, int[] columns, int n) {
            for (long w = hit; w != 0; w &= w - 1) {
                int c = from + Long.numberOfTrailingZeros(w);
                keys[n] = orderKey(Float.floatToIntBits(x[base + c]));
                columns[n] = c;
                n++;
            }
            return n;
        }

        /**
         * Appends, after the first {@code n}, the keys and columns of the columns {@code [from, to)}
         * above {@code bar} (or NaN), compressed vector by vector: a few instructions per vector
         * however many lanes pass. Returns the new count. Arrays and scalars in and out, never a
         * vector or a mask: if C2 declines to inline a helper, a vector argument is boxed on every
         * call (the allocation test caught this one doing so, 3 KB per row).
         */
        private static int append(float[] x, int base, int from, int to, float bar, int[] keys, int[] columns, int n) {
            IntVector iota = IntVector.zero(SI).addIndex(1);
            for (int c = from; c < to; c += L) {
                VectorMask<Float> valid = S.indexInRange(c, to);
                FloatVector v = FloatVector.fromArray(S, x, base + c, valid);
                VectorMask<Integer> above = v.compare(VectorOperators.LE, bar).not().and(valid).cast(SI);
                IntVector b = v.reinterpretAsInts().blend(NAN_KEY, v.test(VectorOperators.IS_NAN).cast(SI));
                IntVector key = b.lanewise(VectorOperators.XOR, b.lanewise(VectorOperators.ASHR, 31)
                        .lanewise(VectorOperators.LSHR, 1));
                key.compress(above).intoArray(keys, n);
                iota.add(c).compress(above).intoArray(columns, n);
                n += above.trueCount();
            }
            return n;
        }

        /**
         * Keeps the {@code k} best of the {@code n > k} candidates, in column order, and raises the
         * bar to the {@code k}-th best.
         */
        private void reduce() {
            int kth = kthLargest(keys, n, k);
            int end = (n + L - 1) / L * L;
            int atLeast = countAtLeast(keys, kth, end);
            if (atLeast == k) {
                keepAtLeast(kth, end);
            } else {
                // Ties at the k-th key: the lowest columns win, and candidates are in column order.
                int ties = k - countAtLeast(keys, kth + 1, end);
                int m = 0;
                for (int i = 0; i < n; i++) {
                    int key = keys[i];
                    if (key > kth || (key == kth && ties-- > 0)) {
                        keys[m] = key;
                        columns[m] = columns[i];
                        m++;
                    }
                }
            }
            n = k;
            settled = kth == NAN_KEY;
            int bits = orderKey(kth);
            // Only +0.0 beats -0.0 without being above it as a float: lower the bar by one ulp.
            bar = bits == NEGATIVE_ZERO_BITS ? -Float.MIN_VALUE : Float.intBitsToFloat(bits);
        }

        /**
         * The {@code k}-th largest of {@code a[0..n)} ({@code 1 <= k <= n}); pads {@code a} with
         * {@code Integer.MIN_VALUE} up to a multiple of {@code L}, and no element may be that value.
         * Radix select: the answer is the largest {@code t} with {@code count(a >= t) >= k}. It lies
         * in {@code [lo, hi]}, the range of the elements; its offset from {@code lo} is found bit
         * by bit from the highest bit of {@code hi - lo} (close keys need far fewer than 32 steps),
         * each step one vector counting pass.
         */
        static int kthLargest(int[] a, int n, int k) {
            assert 1 <= k && k <= n;
            int end = (n + L - 1) / L * L;
            // Padding never counts: every probe is at least lo, above Integer.MIN_VALUE.
            Arrays.fill(a, n, end, Integer.MIN_VALUE);
            IntVector min = IntVector.broadcast(SI, Integer.MAX_VALUE);
            IntVector max = IntVector.broadcast(SI, Integer.MIN_VALUE);
            int full = n / L * L;
            for (int i = 0; i < full; i += L) {
                IntVector v = IntVector.fromArray(SI, a, i);
                min = min.min(v);
                max = max.max(v);
            }
            long lo = min.reduceLanes(VectorOperators.MIN);
            long hi = max.reduceLanes(VectorOperators.MAX);
            for (int i = full; i < n; i++) {
                lo = Math.min(lo, a[i]);
                hi = Math.max(hi, a[i]);
            }
            long offset = 0;
            for (long bit = Long.highestOneBit(hi - lo); bit > 0; bit >>= 1) {
                long probe = lo + (offset | bit);
                if (probe <= hi && countAtLeast(a, (int) probe, end) >= k) {
                    offset |= bit;
                }
            }
            return (int) (lo + offset);
        }

        private static int countAtLeast(int[] a, int t, int end) {
            IntVector tv = IntVector.broadcast(SI, t);
            int count = 0;
            for (int i = 0; i < end; i += L) {
                count += IntVector.fromArray(SI, a, i).compare(VectorOperators.GE, tv).trueCount();
            }
            return count;
        }

        /** Compacts, in place and in order, the candidates with {@code key >= t}. */
        private void keepAtLeast(int t, int end) {
            int m = 0;
            for (int i = 0; i < end; i += L) {
                IntVector key = IntVector.fromArray(SI, keys, i);
                VectorMask<Integer> keep = key.compare(VectorOperators.GE, t);
                // Writes land at m <= i, on lanes already read.
                IntVector col = IntVector.fromArray(SI, columns, i);
                key.compress(keep).intoArray(keys, m);
                col.compress(keep).intoArray(columns, m);
                m += keep.trueCount();
            }
        }
    }
}
