package dev.lanes.autoencoder.pictures;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.AffineTransform;
import java.awt.geom.Path2D;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * A line chart drawn with Java2D: one or more named series of (x, y) points, linear x axis, linear or
 * logarithmic y axis, ticks at 1-2-5 steps (powers of ten on a log axis), a title, axis labels and a
 * legend. Enough for a loss curve or reconstruction error against the number of top-ranked units; a
 * charting library would add a dependency tree for one kind of plot. Non-finite points (and non-positive
 * ones on a log axis) are skipped, breaking the line there.
 *
 * <pre>{@code
 * BufferedImage img = new LineChart("Training loss", "step", "loss").logY(true)
 *         .add("train", steps, loss).add("validation", vSteps, vLoss).render(800, 500);
 * }</pre>
 */
public final class LineChart {
    static {
        Headless.ensure();
    }

    private static final Color[] PALETTE = {
        new Color(0x1f77b4), new Color(0xd62728), new Color(0x2ca02c), new Color(0xff7f0e),
        new Color(0x9467bd), new Color(0x8c564b), new Color(0xe377c2), new Color(0x17becf),
    };

    private record Series(String name, double[] x, double[] y) {
    }

    private final String title;
    private final String xLabel;
    private final String yLabel;
    private final List<Series> series = new ArrayList<>();
    private boolean logY;

    /**
     * @param title drawn above the plot
     * @param xLabel drawn below the x axis
     * @param yLabel drawn left of the y axis
     */
    public LineChart(String title, String xLabel, String yLabel) {
        this.title = Objects.requireNonNull(title, "line chart: title is null");
        this.xLabel = Objects.requireNonNull(xLabel, "line chart: xLabel is null");
        this.yLabel = Objects.requireNonNull(yLabel, "line chart: yLabel is null");
    }

    /**
     * @param log whether the y axis is logarithmic (base 10)
     * @return this chart
     */
    public LineChart logY(boolean log) {
        this.logY = log;
        return this;
    }

    /**
     * Adds a series; the arrays are copied.
     *
     * @param name legend entry
     * @param x abscissae
     * @param y ordinates, as many as x
     * @return this chart
     */
    public LineChart add(String name, double[] x, double[] y) {
        Objects.requireNonNull(name, "line chart: series name is null");
        if (x.length != y.length) {
            throw new IllegalArgumentException("line chart: series '" + name + "' has " + x.length + " x and "
                    + y.length + " y values");
        }
        series.add(new Series(name, x.clone(), y.clone()));
        return this;
    }

    /**
     * @param width image width in pixels, in [200, 8192]
     * @param height image height in pixels, in [150, 8192]
     * @return the chart on a white background
     */
    public BufferedImage render(int width, int height) {
        if (width < 200 || width > 8192 || height < 150 || height > 8192) {
            throw new IllegalArgumentException("line chart: size " + width + "x" + height
                    + " not within [200, 8192] x [150, 8192]");
        }
        BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        try {
            draw(g, width, height);
        } finally {
            g.dispose();
        }
        return img;
    }

    private boolean usable(double x, double y) {
        return Double.isFinite(x) && Double.isFinite(y) && (!logY || y > 0);
    }

    private void draw(Graphics2D g, int width, int height) {
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, width, height);
        Font font = new Font(Font.SANS_SERIF, Font.PLAIN, 12);
        g.setFont(font);
        FontMetrics fm = g.getFontMetrics();

        double xMin = Double.POSITIVE_INFINITY;
        double xMax = Double.NEGATIVE_INFINITY;
        double yMin = Double.POSITIVE_INFINITY;
        double yMax = Double.NEGATIVE_INFINITY;
        for (Series s : series) {
            for (int i = 0; i < s.x.length; i++) {
                if (usable(s.x[i], s.y[i])) {
                    double y = logY ? Math.log10(s.y[i]) : s.y[i];
                    xMin = Math.min(xMin, s.x[i]);
                    xMax = Math.max(xMax, s.x[i]);
                    yMin = Math.min(yMin, y);
                    yMax = Math.max(yMax, y);
                }
            }
        }
        if (xMin > xMax) {
            xMin = 0;
            xMax = 1;
            yMin = 0;
            yMax = 1;
        }
        if (xMin == xMax) {
            xMin -= 0.5;
            xMax += 0.5;
        }
        if (yMin == yMax) {
            yMin -= logY ? 0.5 : Math.max(0.5, Math.abs(yMin) * 0.1);
            yMax += logY ? 0.5 : Math.max(0.5, Math.abs(yMax) * 0.1);
        }
        double[] yTicks = logY ? logTicks(yMin, yMax) : ticks(yMin, yMax);
        double[] xTicks = ticks(xMin, xMax);
        if (!logY) {
            yMin = Math.min(yMin, yTicks[0]);
            yMax = Math.max(yMax, yTicks[yTicks.length - 1]);
        }

        int tickLabelWidth = 0;
        for (double t : yTicks) {
            tickLabelWidth = Math.max(tickLabelWidth, fm.stringWidth(label(t, yTicks, logY)));
        }
        int left = 20 + fm.getHeight() + tickLabelWidth;
        int right = width - 20;
        int top = 20 + fm.getHeight() * 2;
        int bottom = height - 20 - fm.getHeight() * 2;
        Plot p = new Plot(left, right, top, bottom, xMin, xMax, yMin, yMax);

        // Grid and ticks.
        g.setStroke(new BasicStroke(1f));
        for (double t : yTicks) {
            int py = p.y(t);
            if (py < top - 1 || py > bottom + 1) {
                continue;
            }
            g.setColor(new Color(0xE6E6E6));
            g.drawLine(left, py, right, py);
            g.setColor(Color.DARK_GRAY);
            String s = label(t, yTicks, logY);
            g.drawString(s, left - 6 - fm.stringWidth(s), py + fm.getAscent() / 2 - 1);
        }
        for (double t : xTicks) {
            int px = p.x(t);
            if (px < left - 1 || px > right + 1) {
                continue;
            }
            g.setColor(new Color(0xE6E6E6));
            g.drawLine(px, top, px, bottom);
            g.setColor(Color.DARK_GRAY);
            String s = label(t, xTicks, false);
            g.drawString(s, px - fm.stringWidth(s) / 2, bottom + 4 + fm.getAscent());
        }
        g.setColor(Color.BLACK);
        g.drawRect(left, top, right - left, bottom - top);

        // Labels.
        Font bold = font.deriveFont(Font.BOLD, 14f);
        g.setFont(bold);
        g.drawString(title, (left + right - g.getFontMetrics().stringWidth(title)) / 2, 20 + g.getFontMetrics().getAscent());
        g.setFont(font);
        g.drawString(xLabel, (left + right - fm.stringWidth(xLabel)) / 2, height - 12);
        AffineTransform saved = g.getTransform();
        g.rotate(-Math.PI / 2);
        String yl = logY ? yLabel + " (log scale)" : yLabel;
        g.drawString(yl, -(top + bottom + fm.stringWidth(yl)) / 2, 14 + fm.getAscent());
        g.setTransform(saved);

        // Series, clipped to the plot area.
        g.setClip(left, top, right - left + 1, bottom - top + 1);
        g.setStroke(new BasicStroke(2f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
        for (int k = 0; k < series.size(); k++) {
            Series s = series.get(k);
            g.setColor(PALETTE[k % PALETTE.length]);
            Path2D.Double path = new Path2D.Double();
            boolean pen = false;
            int points = 0;
            for (int i = 0; i < s.x.length; i++) {
                if (!usable(s.x[i], s.y[i])) {
                    pen = false;
                    continue;
                }
                double px = p.xd(s.x[i]);
                double py = p.yd(logY ? Math.log10(s.y[i]) : s.y[i]);
                if (pen) {
                    path.lineTo(px, py);
                } else {
                    path.moveTo(px, py);
                    pen = true;
                }
                points++;
            }
            g.draw(path);
            if (points <= 50) {
                for (int i = 0; i < s.x.length; i++) {
                    if (usable(s.x[i], s.y[i])) {
                        int px = p.x(s.x[i]);
                        int py = p.y(logY ? Math.log10(s.y[i]) : s.y[i]);
                        g.fillOval(px - 3, py - 3, 7, 7);
                    }
                }
            }
        }
        g.setClip(null);

        // Legend, top right inside the plot.
        if (!series.isEmpty()) {
            int lw = 0;
            for (Series s : series) {
                lw = Math.max(lw, fm.stringWidth(s.name));
            }
            int lh = fm.getHeight();
            int bx = right - lw - 44;
            int by = top + 8;
            g.setColor(new Color(255, 255, 255, 220));
            g.fillRect(bx, by, lw + 36, lh * series.size() + 8);
            g.setColor(Color.GRAY);
            g.setStroke(new BasicStroke(1f));
            g.drawRect(bx, by, lw + 36, lh * series.size() + 8);
            for (int k = 0; k < series.size(); k++) {
                int ly = by + 4 + k * lh + lh / 2;
                g.setColor(PALETTE[k % PALETTE.length]);
                g.setStroke(new BasicStroke(2f));
                g.drawLine(bx + 6, ly, bx + 24, ly);
                g.setColor(Color.BLACK);
                g.drawString(series.get(k).name, bx + 30, ly + fm.getAscent() / 2 - 1);
            }
        }
    }

    /** Data-to-pixel mapping; y values are already log10 on a log axis. */
    private record Plot(int left, int right, int top, int bottom, double x0, double x1, double y0, double y1) {
        double xd(double x) {
            return left + (x - x0) / (x1 - x0) * (right - left);
        }

        double yd(double y) {
            return bottom - (y - y0) / (y1 - y0) * (bottom - top);
        }

        int x(double x) {
            return (int) Math.round(xd(x));
        }

        int y(double y) {
            return (int) Math.round(yd(y));
        }
    }

    /** Ticks at multiples of a 1-2-5 step covering [lo, hi], about 5 to 10 of them. */
    static double[] ticks(double lo, double hi) {
        double raw = (hi - lo) / 6;
        double mag = Math.pow(10, Math.floor(Math.log10(raw)));
        double f = raw / mag;
        double step = (f < 1.5 ? 1 : f < 3 ? 2 : f < 7 ? 5 : 10) * mag;
        long first = (long) Math.floor(lo / step + 1e-9);
        long last = (long) Math.ceil(hi / step - 1e-9);
        double[] t = new double[(int) (last - first + 1)];
        for (int i = 0; i < t.length; i++) {
            // Multiply rather than accumulate, so 0.1-steps do not drift to 0.30000000000000004.
            t[i] = (first + i) * step;
        }
        return t;
    }

    /** Powers of ten over [lo, hi] (log10 units); a narrow range falls back to linear ticks in log space. */
    static double[] logTicks(double lo, double hi) {
        int a = (int) Math.floor(lo);
        int b = (int) Math.ceil(hi);
        if (b - a < 2) {
            double[] lin = ticks(Math.pow(10, lo), Math.pow(10, hi));
            List<Double> out = new ArrayList<>();
            for (double v : lin) {
                if (v > 0) {
                    out.add(Math.log10(v));
                }
            }
            return out.stream().mapToDouble(Double::doubleValue).toArray();
        }
        int stride = Math.max(1, (b - a) / 8);
        List<Double> out = new ArrayList<>();
        for (int e = a; e <= b; e += stride) {
            out.add((double) e);
        }
        return out.stream().mapToDouble(Double::doubleValue).toArray();
    }

    private static String label(double t, double[] all, boolean log) {
        double v = log ? Math.pow(10, t) : t;
        double span = 0;
        for (double a : all) {
            span = Math.max(span, Math.abs(log ? Math.pow(10, a) : a));
        }
        if (v == 0) {
            return "0";
        }
        if (span >= 1e6 || Math.abs(v) < 1e-3) {
            return String.format(Locale.ROOT, "%.0e", v).replace("e-0", "e-").replace("e+0", "e");
        }
        double step = all.length > 1 ? Math.abs((log ? Math.pow(10, all[1]) - Math.pow(10, all[0]) : all[1] - all[0])) : 1;
        int decimals = log ? Math.max(0, (int) Math.ceil(-Math.log10(Math.abs(v)) - 1e-9))
                : Math.max(0, (int) Math.ceil(-Math.log10(step) - 1e-9));
        return String.format(Locale.ROOT, "%." + Math.min(decimals, 6) + "f", v);
    }
}
