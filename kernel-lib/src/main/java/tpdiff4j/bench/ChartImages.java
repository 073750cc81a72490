package tpdiff4j.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import tpdiff4j.viz.Figure;
import tpdiff4j.viz.Trace;

/**
 * Turns a {@link ChartSpec} into a {@link tpdiff4j.viz.Figure}: Plotly JSON for the HTML page and a small PNG
 * (XChart, through viz) for {@code BENCHMARKS.md}. 640 x 400 pixels keeps each committed image at a few tens of
 * kilobytes.
 */
public final class ChartImages {

    static final int WIDTH = 640;
    static final int HEIGHT = 400;

    private ChartImages() {
    }

    /** The chart as a viz figure (lines with markers, dashed for fits and predictions; grouped bars). */
    public static Figure figure(ChartSpec c) {
        Figure f = Figure.of();
        for (ChartSpec.Series s : c.series()) {
            Trace t = c.kind() == ChartSpec.Kind.BAR ? Trace.bar(s.categories(), s.y())
                    : Trace.line(s.x(), s.y()).markers().dash(s.dashed() ? "dash" : "solid");
            f = f.add(t.name(s.name()));
        }
        f = f.title(c.title()).xTitle(c.xTitle()).yTitle(c.yTitle()).size(WIDTH, HEIGHT);
        if (c.xLog()) {
            f = f.xLog();
        }
        if (c.yLog()) {
            f = f.yLog();
        }
        return f;
    }

    /** Writes {@code dir/<id>.png} and returns its path. */
    public static Path save(ChartSpec c, Path dir) throws java.io.IOException {
        System.setProperty("java.awt.headless", "true");
        Files.createDirectories(dir);
        return figure(c).savePng(dir.resolve(c.id() + ".png"));
    }
}
