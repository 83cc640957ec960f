package dev.lanes.jmh.report;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;

/** PNG line charts with XChart, drawn headless (no display needed on a CI box). */
public final class Charts {

    static {
        System.setProperty("java.awt.headless", "true");
    }

    private Charts() {
    }

    /** One curve: x and y of equal length, both positive when an axis is logarithmic. */
    public record Series(String name, double[] x, double[] y) {
    }

    /**
     * Writes {@code file} (a .png path) with one line per series. An axis is logarithmic when its
     * values span more than a factor of 16, so sizes from 1 to 1M stay readable.
     */
    public static void line(Path file, String title, String xLabel, String yLabel, List<Series> series)
            throws IOException {
        XYChart chart = new XYChartBuilder().width(800).height(480).title(title)
                .xAxisTitle(xLabel).yAxisTitle(yLabel).build();
        chart.getStyler().setLegendVisible(true);
        chart.getStyler().setChartTitleVisible(true);
        chart.getStyler().setXAxisLogarithmic(spansDecades(series, true));
        chart.getStyler().setYAxisLogarithmic(spansDecades(series, false));
        for (Series s : series) {
            XYSeries xy = chart.addSeries(s.name(), s.x(), s.y());
            xy.setMarker(SeriesMarkers.CIRCLE);
        }
        String name = file.toString();
        BitmapEncoder.saveBitmap(chart, name.endsWith(".png") ? name.substring(0, name.length() - 4) : name,
                BitmapEncoder.BitmapFormat.PNG);
    }

    private static boolean spansDecades(List<Series> series, boolean x) {
        double lo = Double.POSITIVE_INFINITY;
        double hi = 0;
        for (Series s : series) {
            for (double v : x ? s.x() : s.y()) {
                if (v <= 0) {
                    return false;
                }
                lo = Math.min(lo, v);
                hi = Math.max(hi, v);
            }
        }
        return hi > 16 * lo;
    }

    /** Convenience for callers that collect points in a sorted map. */
    static Series series(String name, Map<Double, Double> points) {
        double[] x = new double[points.size()];
        double[] y = new double[points.size()];
        int i = 0;
        for (Map.Entry<Double, Double> e : points.entrySet()) {
            x[i] = e.getKey();
            y[i] = e.getValue();
            i++;
        }
        return new Series(name, x, y);
    }
}
