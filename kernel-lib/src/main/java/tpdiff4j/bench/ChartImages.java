package tpdiff4j.bench;

import java.awt.BasicStroke;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.internal.chartpart.Chart;
import org.knowm.xchart.style.Styler;

/**
 * Draws a {@link ChartSpec} as a small PNG with XChart (for {@code BENCHMARKS.md} and viewers without scripts).
 * 640 x 400 pixels keeps each committed image at a few tens of kilobytes.
 */
public final class ChartImages {

    static final int WIDTH = 640;
    static final int HEIGHT = 400;

    private ChartImages() {
    }

    /** Writes {@code dir/<id>.png} and returns its path. */
    public static Path save(ChartSpec c, Path dir) throws IOException {
        System.setProperty("java.awt.headless", "true");
        Files.createDirectories(dir);
        Chart<?, ?> chart = c.kind() == ChartSpec.Kind.BAR ? bars(c) : lines(c);
        Path file = dir.resolve(c.id() + ".png");
        BitmapEncoder.saveBitmap(chart, file.toString(), BitmapEncoder.BitmapFormat.PNG);
        return file;
    }

    private static XYChart lines(ChartSpec c) {
        XYChart chart = new XYChartBuilder().width(WIDTH).height(HEIGHT).title(c.title()).xAxisTitle(c.xTitle())
                .yAxisTitle(c.yTitle()).build();
        style(chart.getStyler());
        boolean xLog = c.xLog() && c.series().stream().allMatch(s -> Arrays.stream(s.x()).allMatch(v -> v > 0));
        boolean yLog = c.yLog() && c.series().stream().allMatch(s -> Arrays.stream(s.y()).allMatch(v -> v > 0));
        chart.getStyler().setXAxisLogarithmic(xLog);
        chart.getStyler().setYAxisLogarithmic(yLog);
        for (ChartSpec.Series s : c.series()) {
            if (s.x().length == 0) {
                continue;
            }
            XYSeries xy = chart.addSeries(unique(chart, s.name()), s.x(), s.y());
            if (s.dashed()) {
                xy.setLineStyle(new BasicStroke(1.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {6f, 4f}, 0f));
            }
        }
        return chart;
    }

    private static CategoryChart bars(ChartSpec c) {
        CategoryChart chart = new CategoryChartBuilder().width(WIDTH).height(HEIGHT).title(c.title())
                .xAxisTitle(c.xTitle()).yAxisTitle(c.yTitle()).build();
        style(chart.getStyler());
        for (ChartSpec.Series s : c.series()) {
            chart.addSeries(s.name(), Arrays.asList(s.categories()), Arrays.stream(s.y()).boxed().toList());
        }
        return chart;
    }

    private static void style(Styler st) {
        st.setLegendPosition(Styler.LegendPosition.InsideNE);
        st.setChartTitleFont(st.getChartTitleFont().deriveFont(13f));
        st.setLegendFont(st.getLegendFont().deriveFont(10f));
        st.setAntiAlias(true);
    }

    private static String unique(XYChart chart, String name) {
        String n = name;
        for (int i = 2; chart.getSeriesMap().containsKey(n); i++) {
            n = name + " (" + i + ")";
        }
        return n;
    }
}
