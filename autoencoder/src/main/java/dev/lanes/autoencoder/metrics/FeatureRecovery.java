package dev.lanes.autoencoder.metrics;

/**
 * How well a decoder recovers a known dictionary: cosines between the m true features (rows of an m x d
 * matrix) and the h decoder atoms (columns of a d x h matrix, the layout of PyTorch's
 * {@code decoder.weight} [in, hidden]).
 *
 * <ul>
 *   <li>MMCS, mean max cosine similarity: the mean over true features of the largest cosine to any atom
 *       (several features may pick the same atom);</li>
 *   <li>matched mean cosine: the mean cosine of a one-to-one assignment of features to distinct atoms that
 *       maximises the total (Hungarian method on -cos); needs h &gt;= m and is never above the MMCS.</li>
 * </ul>
 * Cosines are signed (an atom pointing the opposite way scores -1); a zero atom scores 0 against every feature.
 */
public final class FeatureRecovery {

    /**
     * @param mmcs mean max cosine similarity
     * @param matched mean cosine of the best one-to-one matching (NaN when h &lt; m)
     * @param bestAtom per true feature, the atom of largest cosine
     * @param matchedAtom per true feature, its atom in the one-to-one matching (null when h &lt; m)
     */
    public record Result(double mmcs, double matched, int[] bestAtom, int[] matchedAtom) {
    }

    private FeatureRecovery() {
    }

    /**
     * @param truth true features, m x d, read
     * @param m number of true features, {@code >= 1}
     * @param d dimension, {@code >= 1}
     * @param decoder atoms as columns, d x h row-major, read
     * @param h number of atoms, {@code >= 1}
     * @return the m x h cosine matrix, row-major
     */
    public static double[] cosines(float[] truth, int m, int d, float[] decoder, int h) {
        Checks.positive("feature recovery", "m", m);
        Checks.positive("feature recovery", "d", d);
        Checks.positive("feature recovery", "h", h);
        Checks.matrix("feature recovery", "truth", truth, m, d);
        Checks.matrix("feature recovery", "decoder", decoder, d, h);
        double[] atomNorm = new double[h];
        for (int k = 0; k < d; k++) {
            for (int j = 0; j < h; j++) {
                double w = decoder[k * h + j];
                atomNorm[j] += w * w;
            }
        }
        double[] cos = new double[m * h];
        double[] dots = new double[h];
        for (int i = 0; i < m; i++) {
            java.util.Arrays.fill(dots, 0);
            double fn = 0;
            for (int k = 0; k < d; k++) {
                double f = truth[i * d + k];
                fn += f * f;
                int row = k * h;
                for (int j = 0; j < h; j++) {
                    dots[j] += f * decoder[row + j];
                }
            }
            for (int j = 0; j < h; j++) {
                double denom = Math.sqrt(fn * atomNorm[j]);
                cos[i * h + j] = denom == 0 ? 0 : dots[j] / denom;
            }
        }
        return cos;
    }

    /**
     * @param truth true features, m x d, read
     * @param m number of true features
     * @param d dimension
     * @param decoder atoms as columns, d x h row-major, read
     * @param h number of atoms
     * @return MMCS, and the matched mean cosine when h &gt;= m
     */
    public static Result evaluate(float[] truth, int m, int d, float[] decoder, int h) {
        double[] cos = cosines(truth, m, d, decoder, h);
        int[] best = new int[m];
        double sum = 0;
        for (int i = 0; i < m; i++) {
            int arg = 0;
            for (int j = 1; j < h; j++) {
                if (cos[i * h + j] > cos[i * h + arg]) {
                    arg = j;
                }
            }
            best[i] = arg;
            sum += cos[i * h + arg];
        }
        double mmcs = sum / m;
        if (h < m) {
            return new Result(mmcs, Double.NaN, best, null);
        }
        double[] negated = new double[cos.length];
        for (int i = 0; i < cos.length; i++) {
            negated[i] = -cos[i];
        }
        int[] match = Hungarian.assign(negated, m, h);
        double matched = 0;
        for (int i = 0; i < m; i++) {
            matched += cos[i * h + match[i]];
        }
        return new Result(mmcs, matched / m, best, match);
    }
}
