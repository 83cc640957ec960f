package dev.lanes.autoencoder.metrics;

import java.util.Arrays;
import java.util.Objects;

/**
 * Minimum-cost assignment of every row of a rows x cols cost matrix (rows &lt;= cols) to a distinct column:
 * the Hungarian method in its shortest-augmenting-path form (Jonker-Volgenant style, with row and column
 * potentials), O(rows^2 * cols) time, O(rows + cols) extra space. Rows are added one at a time; each
 * addition grows a Dijkstra-like search over columns on reduced costs (cost - u[row] - v[col], kept
 * non-negative by the potentials) until it reaches a free column, then flips the path.
 */
public final class Hungarian {
    private Hungarian() {
    }

    /**
     * @param cost rows x cols, row-major, read; entries must be finite
     * @param rows number of rows, {@code >= 0}
     * @param cols number of columns, {@code >= rows}
     * @return for each row, its column; the columns are distinct and the total cost is minimal (ties are
     *     broken deterministically)
     */
    public static int[] assign(double[] cost, int rows, int cols) {
        Objects.requireNonNull(cost, "hungarian: cost is null");
        if (rows < 0 || cols < rows) {
            throw new IllegalArgumentException("hungarian: need 0 <= rows <= cols, got rows=" + rows + " cols=" + cols);
        }
        if ((long) rows * cols > cost.length) {
            throw new IllegalArgumentException("hungarian: cost.length=" + cost.length + " < rows*cols=" + (long) rows * cols);
        }
        for (int i = 0; i < rows * cols; i++) {
            if (!Double.isFinite(cost[i])) {
                throw new IllegalArgumentException("hungarian: cost[" + i + "]=" + cost[i] + " is not finite");
            }
        }
        // 1-based internally: column 0 is a virtual column holding the row being inserted.
        double[] u = new double[rows + 1];
        double[] v = new double[cols + 1];
        int[] rowOfCol = new int[cols + 1];
        int[] prevCol = new int[cols + 1];
        double[] minSlack = new double[cols + 1];
        boolean[] used = new boolean[cols + 1];
        for (int r = 1; r <= rows; r++) {
            rowOfCol[0] = r;
            int col0 = 0;
            Arrays.fill(minSlack, Double.POSITIVE_INFINITY);
            Arrays.fill(used, false);
            do {
                used[col0] = true;
                int row = rowOfCol[col0];
                double delta = Double.POSITIVE_INFINITY;
                int next = -1;
                for (int c = 1; c <= cols; c++) {
                    if (!used[c]) {
                        double slack = cost[(row - 1) * cols + (c - 1)] - u[row] - v[c];
                        if (slack < minSlack[c]) {
                            minSlack[c] = slack;
                            prevCol[c] = col0;
                        }
                        if (minSlack[c] < delta) {
                            delta = minSlack[c];
                            next = c;
                        }
                    }
                }
                // Shift potentials so the tree's tight edges stay tight and the new column becomes reachable.
                for (int c = 0; c <= cols; c++) {
                    if (used[c]) {
                        u[rowOfCol[c]] += delta;
                        v[c] -= delta;
                    } else {
                        minSlack[c] -= delta;
                    }
                }
                col0 = next;
            } while (rowOfCol[col0] != 0);
            // Flip the augmenting path back to the virtual column.
            do {
                int c = prevCol[col0];
                rowOfCol[col0] = rowOfCol[c];
                col0 = c;
            } while (col0 != 0);
        }
        int[] colOfRow = new int[rows];
        for (int c = 1; c <= cols; c++) {
            if (rowOfCol[c] != 0) {
                colOfRow[rowOfCol[c] - 1] = c - 1;
            }
        }
        return colOfRow;
    }
}
