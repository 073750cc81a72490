package tpdiff4j.viz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Plotly JSON of figures: structure, values as given, layout of grids and axes; PNG and bad input. */
class FigureTest {

    private static final double[] T = {0, 0.25, 0.5, 0.75, 1};
    private static final double[] GAMMA = {1, 0.75, 0.5, 0.25, 0};
    private static final double[] SIGMA = {0, 0.25, 0.5, 0.75, 1};

    private static JsonObject json(Figure f) {
        return JsonParser.parseString(f.toJson()).getAsJsonObject();
    }

    private static double[] doubles(JsonArray a) {
        double[] r = new double[a.size()];
        for (int i = 0; i < r.length; i++) r[i] = a.get(i).isJsonNull() ? Double.NaN : a.get(i).getAsDouble();
        return r;
    }

    @Test
    void lineFigureIsPlotlyFigureWithValuesAsGiven() {
        Figure f = Figure.line(T, GAMMA).name("gamma").add(Trace.line(T, SIGMA).name("sigma").dash("dash"))
                .xTitle("t").yLog().title("flow matching");
        JsonObject o = json(f);
        JsonArray data = o.getAsJsonArray("data");
        assertEquals(2, data.size());
        JsonObject g = data.get(0).getAsJsonObject();
        assertEquals("scatter", g.get("type").getAsString());
        assertEquals("lines", g.get("mode").getAsString());
        assertEquals("gamma", g.get("name").getAsString());
        assertEquals("x", g.get("xaxis").getAsString());
        assertArrayEquals(T, doubles(g.getAsJsonArray("x")));
        assertArrayEquals(GAMMA, doubles(g.getAsJsonArray("y")));
        assertArrayEquals(SIGMA, doubles(data.get(1).getAsJsonObject().getAsJsonArray("y")));
        assertEquals("dash", data.get(1).getAsJsonObject().getAsJsonObject("line").get("dash").getAsString());
        JsonObject layout = o.getAsJsonObject("layout");
        assertEquals("flow matching", layout.getAsJsonObject("title").get("text").getAsString());
        assertEquals("t", layout.getAsJsonObject("xaxis").getAsJsonObject("title").get("text").getAsString());
        assertEquals("log", layout.getAsJsonObject("yaxis").get("type").getAsString());
        assertFalse(layout.getAsJsonObject("xaxis").has("type"));
        assertEquals(700, layout.get("width").getAsInt());
    }

    @Test
    void nanBecomesNullGapAndLogRangeIsInDecades() {
        Figure f = Figure.line(new double[] {1, 2, 3}, new double[] {1, Double.NaN, 100}).yLog().yRange(0.1, 1000);
        JsonObject o = json(f);
        JsonArray y = o.getAsJsonArray("data").get(0).getAsJsonObject().getAsJsonArray("y");
        assertTrue(y.get(1).isJsonNull());
        JsonArray range = o.getAsJsonObject("layout").getAsJsonObject("yaxis").getAsJsonArray("range");
        assertEquals(-1, range.get(0).getAsDouble(), 1e-12);
        assertEquals(3, range.get(1).getAsDouble(), 1e-12);
    }

    private static String[] strings(JsonArray a) {
        String[] r = new String[a.size()];
        for (int i = 0; i < r.length; i++) r[i] = a.get(i).getAsString();
        return r;
    }

    /**
     * Log axes over one to three decades: plotly.js would label the ticks between powers of ten with lone small digits
     * (an axis from 30 to 200 read "3 4 5 6 7 8 9 100 2"), and powers of ten with SI prefixes ("100µ" for 1e-4).
     * The JSON now gives such an axis ticks at 1, 2, 3, 5 (or 1, 2, 5) times a power of ten, each labelled in full.
     */
    @Test
    void logAxesGetFullyLabelledTicks() {
        // a convergence plot: 2 to 32 steps (1.2 decades) against errors from 1e-7 to 1 (7 decades)
        JsonObject layout = json(Figure.line(new double[] {2, 4, 8, 16, 32}, new double[] {1, 0.1, 1e-3, 1e-5, 1e-7})
                .xLog().yLog()).getAsJsonObject("layout");
        JsonObject x = layout.getAsJsonObject("xaxis"), y = layout.getAsJsonObject("yaxis");
        assertEquals("array", x.get("tickmode").getAsString());
        assertArrayEquals(new double[] {2, 3, 5, 10, 20, 30}, doubles(x.getAsJsonArray("tickvals")));
        org.junit.jupiter.api.Assertions.assertArrayEquals(new String[] {"2", "3", "5", "10", "20", "30"},
                strings(x.getAsJsonArray("ticktext")));
        assertArrayEquals(new double[] {1e-7, 1e-6, 1e-5, 1e-4, 1e-3, 1e-2, 0.1, 1}, doubles(y.getAsJsonArray("tickvals")),
                "seven decades: the powers of ten");
        assertEquals("power", y.get("exponentformat").getAsString(), "10^-4, not 100µ");

        // batch sizes 32 to 256 (0.9 decades) against milliseconds 0.09 to 4 (1.65 decades)
        layout = json(Figure.line(new double[] {32, 64, 128, 256}, new double[] {0.09, 0.4, 0.75, 4}).xLog().yLog())
                .getAsJsonObject("layout");
        assertArrayEquals(new double[] {30, 40, 50, 60, 80, 100, 150, 200},
                doubles(layout.getAsJsonObject("xaxis").getAsJsonArray("tickvals")));
        y = layout.getAsJsonObject("yaxis");
        assertArrayEquals(new double[] {0.1, 0.2, 0.3, 0.5, 1, 2, 3}, doubles(y.getAsJsonArray("tickvals")));
        org.junit.jupiter.api.Assertions.assertArrayEquals(new String[] {"0.1", "0.2", "0.3", "0.5", "1", "2", "3"},
                strings(y.getAsJsonArray("ticktext")));

        // tiny values: every tick in one form, m x 10^k
        y = json(Figure.line(new double[] {1, 2}, new double[] {2e-5, 1e-3}).yLog()).getAsJsonObject("layout")
                .getAsJsonObject("yaxis");
        org.junit.jupiter.api.Assertions.assertArrayEquals(new String[] {"2\u00d710<sup>\u22125</sup>",
                "3\u00d710<sup>\u22125</sup>", "5\u00d710<sup>\u22125</sup>", "10<sup>\u22124</sup>",
                "2\u00d710<sup>\u22124</sup>", "3\u00d710<sup>\u22124</sup>", "5\u00d710<sup>\u22124</sup>",
                "10<sup>\u22123</sup>"}, strings(y.getAsJsonArray("ticktext")));

        // a range set by the caller decides the ticks; under 1.2 decades (frames 4 to 16) 1, 1.5, 2, 3, 4, 5, 6, 8
        // times a power of ten; ticks of one's own win
        y = json(Figure.line(new double[] {1, 2}, new double[] {3, 4}).yLog().yRange(1, 100)).getAsJsonObject("layout")
                .getAsJsonObject("yaxis");
        assertArrayEquals(new double[] {1, 2, 5, 10, 20, 50, 100}, doubles(y.getAsJsonArray("tickvals")));
        assertArrayEquals(new double[] {4, 5, 6, 8, 10, 15}, doubles(json(Figure.line(new double[] {4, 8, 16},
                new double[] {1, 1.5, 2}).xLog().yLog()).getAsJsonObject("layout").getAsJsonObject("xaxis")
                .getAsJsonArray("tickvals")));
        y = json(Figure.line(new double[] {1, 2}, new double[] {1, 100}).yLog().yTicks(new double[] {1, 100}, "low", "high"))
                .getAsJsonObject("layout").getAsJsonObject("yaxis");
        org.junit.jupiter.api.Assertions.assertArrayEquals(new String[] {"low", "high"}, strings(y.getAsJsonArray("ticktext")));
        // linear axes are left alone
        assertFalse(json(Figure.line(T, GAMMA)).getAsJsonObject("layout").getAsJsonObject("yaxis").has("tickvals"));
    }

    /**
     * A log axis cannot start at 0 or below: {@code yRange(0, 10)} there used to become {@code log10(0) = -Infinity}
     * in the Plotly JSON (not JSON at all; the notebook stored the string "-Infinity") and made XChart refuse the PNG,
     * which then silently left the bundle. Both orders of the calls, and a grid with one log panel, now say which
     * range is wrong; a positive range still works and keeps its PNG.
     */
    @Test
    void logAxisRangeMustStartAboveZeroInEitherCallOrder() {
        double[] x = {1, 2, 3, 4}, y = {1, 10, 100, 1000};
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Figure.line(x, y).yLog().yRange(0, 10));
        assertTrue(e.getMessage().contains("yRange(0.0, 10.0)") && e.getMessage().contains("0 < lo"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Figure.line(x, y).yRange(-1, 10).yLog());
        assertTrue(e.getMessage().contains("yRange(-1.0, 10.0)") && e.getMessage().contains("logarithmic"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Figure.line(x, y).xRange(0, 4).xLog());
        assertTrue(e.getMessage().contains("xRange(0.0, 4.0)"), e.getMessage());
        Figure grid = Figure.grid(2, Figure.line(x, y).title("linear"), Figure.line(x, y).title("log").yLog());
        e = assertThrows(IllegalArgumentException.class, () -> grid.yRange(0, 10));
        assertTrue(e.getMessage().contains("panel \"log\""), e.getMessage());
        assertEquals(0, json(Figure.line(x, y).yRange(0, 10)).getAsJsonObject("layout").getAsJsonObject("yaxis")
                .getAsJsonArray("range").get(0).getAsDouble(), 0);   // a linear axis may start at 0

        Figure ok = Figure.line(x, y).yRange(1e-3, 1e4).yLog();
        JsonArray range = json(ok).getAsJsonObject("layout").getAsJsonObject("yaxis").getAsJsonArray("range");
        assertEquals(-3, range.get(0).getAsDouble(), 1e-12);
        assertEquals(4, range.get(1).getAsDouble(), 1e-12);
        assertTrue(ok.mimeBundle().containsKey("image/png"));
    }

    @Test
    void gridGivesEachPanelItsOwnAxesAndDomains() {
        Figure a = Figure.line(T, GAMMA).title("a").xTitle("t");
        Figure b = Figure.scatter(T, SIGMA).title("b").yLog();
        Figure c = Figure.histogram(new double[] {0, 1, 1, 2, 2, 2}).title("c");
        Figure g = Figure.grid(2, a, b, c);
        assertEquals(3, g.panelCount());
        JsonObject o = json(g);
        JsonArray data = o.getAsJsonArray("data");
        assertEquals("x2", data.get(1).getAsJsonObject().get("xaxis").getAsString());
        assertEquals("y3", data.get(2).getAsJsonObject().get("yaxis").getAsString());
        assertEquals("markers", data.get(1).getAsJsonObject().get("mode").getAsString());
        JsonObject layout = o.getAsJsonObject("layout");
        assertEquals("log", layout.getAsJsonObject("yaxis2").get("type").getAsString());
        assertFalse(layout.getAsJsonObject("yaxis").has("type"));
        assertEquals("t", layout.getAsJsonObject("xaxis").getAsJsonObject("title").get("text").getAsString());
        double[] d1 = doubles(layout.getAsJsonObject("xaxis").getAsJsonArray("domain"));
        double[] d2 = doubles(layout.getAsJsonObject("xaxis2").getAsJsonArray("domain"));
        assertTrue(d1[0] == 0 && d1[1] < d2[0] && d2[1] == 1, "columns side by side, not overlapping");
        double[] y1 = doubles(layout.getAsJsonObject("yaxis").getAsJsonArray("domain"));
        double[] y3 = doubles(layout.getAsJsonObject("yaxis3").getAsJsonArray("domain"));
        assertTrue(y3[1] < y1[0], "second row below the first");
        assertEquals("y2", layout.getAsJsonObject("xaxis2").get("anchor").getAsString());
        assertEquals(3, layout.getAsJsonArray("annotations").size(), "one title per panel");
    }

    /**
     * A grid heatmap's colour bar stands right of its panel. With the gap of a grid of lines (0.09 of a 640 px plot
     * area, 58 px) the bar (12 px plus tick labels such as "30") was drawn over the tick labels of the panel to its
     * right; the gap now holds the bar and those labels (at least 100 px), also with axis titles, and stays as it was
     * when the heatmap is in the last column.
     */
    @Test
    void heatmapColourBarDoesNotRunIntoTheNextPanel() {
        double[][] cost = new double[32][32];
        for (int i = 0; i < 32; i++) for (int j = 0; j < 32; j++) cost[i][j] = Math.abs(i - j);
        Figure line = Figure.line(new double[] {1, 2, 3, 4}, new double[] {1, 10, 100, 1000}).title("line");
        for (Figure g : new Figure[] {Figure.grid(2, Figure.heatmap(cost).title("cost"), line),
                                      Figure.grid(2, Figure.heatmap(cost), line).yTitle("row"),
                                      Figure.grid(3, Figure.heatmap(cost), Figure.heatmap(cost), Figure.heatmap(cost))}) {
            JsonObject layout = json(g).getAsJsonObject("layout");
            double plotWidth = g.width() - layout.getAsJsonObject("margin").get("l").getAsDouble()
                    - layout.getAsJsonObject("margin").get("r").getAsDouble();
            double end = doubles(layout.getAsJsonObject("xaxis").getAsJsonArray("domain"))[1];
            double next = doubles(layout.getAsJsonObject("xaxis2").getAsJsonArray("domain"))[0];
            assertTrue((next - end) * plotWidth >= 100, "gap " + (next - end) * plotWidth + " px in " + g);
            JsonObject bar = json(g).getAsJsonArray("data").get(0).getAsJsonObject().getAsJsonObject("colorbar");
            assertTrue(bar.get("x").getAsDouble() > end && bar.get("x").getAsDouble() < next, bar.toString());
        }
        JsonObject last = json(Figure.grid(2, line, Figure.heatmap(cost))).getAsJsonObject("layout");
        assertEquals(0.09, doubles(last.getAsJsonObject("xaxis2").getAsJsonArray("domain"))[0]
                - doubles(last.getAsJsonObject("xaxis").getAsJsonArray("domain"))[1], 1e-6);
    }

    /**
     * A trace with no finite value (a loss that was NaN from the first step) used to give empty axes and nothing else;
     * now the panel says which trace has nothing to draw, in the Plotly figure, in the PNG and in the text form,
     * also for a heatmap of NaN, for a log axis with no value above 0, and in the right panel of a grid.
     */
    @Test
    void traceWithNothingToDrawIsNamedNotSilentlyBlank() throws Exception {
        double[] x = {1, 2, 3, 4}, nan = {Double.NaN, Double.NaN, Double.POSITIVE_INFINITY, Double.NaN};
        Figure f = Figure.line(x, nan).name("loss");
        JsonArray notes = json(f).getAsJsonObject("layout").getAsJsonArray("annotations");
        assertEquals(1, notes.size());
        JsonObject note = notes.get(0).getAsJsonObject();
        assertTrue(note.get("text").getAsString().contains("nothing to draw for loss"), note.toString());
        assertEquals("x domain", note.get("xref").getAsString());
        assertTrue(f.toString().endsWith("1 with nothing to draw (no finite value)"), f.toString());
        assertTrue(f.mimeBundle().get("text/plain").contains("nothing to draw"));

        BufferedImage img = ImageIO.read(new ByteArrayInputStream(Base64.getDecoder().decode(f.mimeBundle().get("image/png"))));
        int red = 0;
        for (int yy = img.getHeight() / 2 - 20; yy < img.getHeight() / 2 + 10; yy++) {
            for (int xx = 0; xx < img.getWidth(); xx++) {
                int rgb = img.getRGB(xx, yy), r = rgb >> 16 & 255, g = rgb >> 8 & 255, b = rgb & 255;
                if (r > g + 60 && r > b + 60) red++;
            }
        }
        assertTrue(red > 20, "the PNG shows the note in red, found " + red + " red pixels");

        String logNote = json(Figure.line(x, new double[] {0, -1, 0, -2}).name("zeros").yLog()).getAsJsonObject("layout")
                .getAsJsonArray("annotations").get(0).getAsJsonObject().get("text").getAsString();
        assertTrue(logNote.contains("zeros") && logNote.contains("log axis"), logNote);
        assertEquals(1, json(Figure.heatmap(new double[][] {{Double.NaN}})).getAsJsonObject("layout")
                .getAsJsonArray("annotations").size());
        JsonObject grid = json(Figure.grid(2, Figure.line(x, x), Figure.line(x, nan))).getAsJsonObject("layout");
        assertEquals(1, grid.getAsJsonArray("annotations").size());
        assertEquals("x2 domain", grid.getAsJsonArray("annotations").get(0).getAsJsonObject().get("xref").getAsString());

        Figure fine = Figure.line(x, new double[] {1, Double.NaN, 3, 4}).name("gap");   // some finite points: no note
        assertFalse(json(fine).getAsJsonObject("layout").has("annotations"));
        assertEquals(PlotlyJson.MODEBAR_PX + PlotlyJson.ABOVE_PANEL_PX,   // no room for a note above the panel
                json(fine).getAsJsonObject("layout").getAsJsonObject("margin").get("t").getAsInt());
        assertFalse(fine.toString().contains("nothing"));
    }

    /**
     * Saving as the guide shows, {@code savePng(Path.of("build/cost.png"))} from a notebook's folder, failed with a bare
     * NoSuchFileException (no {@code build} folder there) and {@code savePng(null)} with a NullPointerException from
     * java.nio. Missing folders are now created, the file reads back as what was saved, a null path and a folder are
     * refused by name, and a video saves the same way.
     */
    @Test
    void savingCreatesMissingFoldersAndRefusesNullOrAFolder(@TempDir Path dir) throws Exception {
        Figure f = Figure.line(T, GAMMA).name("gamma").size(320, 200);
        Path png = f.savePng(dir.resolve("build/figures/cost.png"));
        BufferedImage back = ImageIO.read(png.toFile());
        assertEquals(320, back.getWidth());
        assertEquals(200, back.getHeight());
        assertTrue(java.util.Arrays.equals(java.nio.file.Files.readAllBytes(png), Images.png(f.toImage())));
        Path gif = Video.of(new float[][][][] {{{{0f}}}}).saveGif(dir.resolve("clips/one.gif"));
        assertTrue(java.nio.file.Files.size(gif) > 0);

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> f.savePng(null));
        assertTrue(e.getMessage().startsWith("file = null"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> f.saveHtml(null));
        assertTrue(e.getMessage().startsWith("file = null"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> f.savePng(dir));
        assertTrue(e.getMessage().contains("is a folder") && e.getMessage().contains("figure.png"), e.getMessage());
    }

    /**
     * Saves are atomic now (a temporary file beside the target, flushed through a file channel and renamed), and file
     * channels close themselves on an interrupted thread: after a notebook's Kernel > Interrupt (the flag still set,
     * as {@code Trainer.train} leaves it) a save must still replace the earlier file whole, leave nothing beside it,
     * and keep the flag set.
     */
    @Test
    void savingWithTheInterruptFlagSetWritesTheFileAndKeepsTheFlag(@TempDir Path dir) throws Exception {
        Figure f = Figure.line(T, GAMMA).name("gamma").size(320, 200);
        Path png = dir.resolve("cost.png");
        java.nio.file.Files.write(png, new byte[] {1, 2, 3});
        Path gif = dir.resolve("clip.gif");
        Video v = Video.of(new float[][][][] {{{{0f}}}});
        byte[] expected = Images.png(f.toImage()); // first drawing loads fonts, outside the interrupted part
        v.gif();
        try {
            Thread.currentThread().interrupt();
            f.savePng(png);
            v.saveGif(gif);
            assertTrue(Thread.currentThread().isInterrupted(), "the interrupt was swallowed");
        } finally {
            Thread.interrupted();
        }
        assertTrue(java.util.Arrays.equals(java.nio.file.Files.readAllBytes(png), expected));
        assertTrue(java.nio.file.Files.size(gif) > 0);
        try (java.util.stream.Stream<Path> s = java.nio.file.Files.list(dir)) {
            assertEquals(java.util.List.of("clip.gif", "cost.png"),
                    s.map(p -> p.getFileName().toString()).sorted().toList());
        }
    }

    /**
     * plotly.js replaces a colour scale name it does not know by its default without a word, so {@code "viridis"} (its
     * spelling is "Viridis") or a typo drew another scale than asked for. Names are now matched in any letter case and
     * written as plotly.js spells them; other names are refused with the list.
     */
    @Test
    void colourScaleIsAPlotlyNameOrRefused() {
        Trace h = Trace.heatmap(new double[][] {{1, 2}, {3, 4}});
        assertEquals("RdBu", json(Figure.of(h.colorscale("rdbu"))).getAsJsonArray("data").get(0).getAsJsonObject()
                .get("colorscale").getAsString());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> h.colorscale("Virdis"));
        assertTrue(e.getMessage().contains("\"Virdis\"") && e.getMessage().contains("Viridis, Cividis"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> h.colorscale(null));
    }

    @Test
    void panelAndLastChangeOnlyTheirTarget() {
        Figure g = Figure.grid(2, Figure.line(T, GAMMA), Figure.line(T, SIGMA).name("sigma"))
                .panel(1, f -> f.yLog().title("right"))
                .color("red");
        JsonObject o = json(g);
        JsonObject layout = o.getAsJsonObject("layout");
        assertFalse(layout.getAsJsonObject("yaxis").has("type"));
        assertEquals("log", layout.getAsJsonObject("yaxis2").get("type").getAsString());
        assertEquals("right", layout.getAsJsonArray("annotations").get(0).getAsJsonObject().get("text").getAsString());
        JsonArray data = o.getAsJsonArray("data");
        assertEquals("red", data.get(1).getAsJsonObject().getAsJsonObject("line").get("color").getAsString());
        assertEquals(Colors.PALETTE[0], data.get(0).getAsJsonObject().getAsJsonObject("line").get("color").getAsString(),
                "untouched trace keeps the first palette colour");
        assertThrows(IndexOutOfBoundsException.class, () -> g.panel(2, f -> f));
        assertThrows(IllegalStateException.class, () -> Figure.of().name("nothing to name"));
    }

    /**
     * Heatmaps compared side by side need one colour range: with zRange(0, 1) a matrix whose largest entry is 0.5 is
     * drawn at the middle of the scale (in the Plotly JSON as zmin/zmax, in the PNG by the cell colour), not at its
     * top as with its own range.
     */
    @Test
    void heatmapsCanShareAColourRange() {
        double[][] half = {{0, 0.5}};
        JsonObject own = json(Figure.heatmap(half)).getAsJsonArray("data").get(0).getAsJsonObject();
        assertFalse(own.has("zmin") || own.has("zmax"), "no range given: Plotly uses the data's own");
        JsonObject shared = json(Figure.of(Trace.heatmap(half).zRange(0, 1))).getAsJsonArray("data").get(0)
                .getAsJsonObject();
        assertEquals(0.0, shared.get("zmin").getAsDouble(), 0);
        assertEquals(1.0, shared.get("zmax").getAsDouble(), 0);
        int w = 300, h = 200, left = 62, right = 70, top = 12, bottom = 44;   // HeatmapImage's margins, no title
        int x1 = left + (int) Math.round(1.5 * (w - left - right) / 2.0), y = top + (h - top - bottom) / 2;
        BufferedImage ownImage = Figure.heatmap(half).size(w, h).toImage();
        BufferedImage sharedImage = Figure.of(Trace.heatmap(half).zRange(0, 1)).size(w, h).toImage();
        assertEquals(Colors.viridis(1.0) & 0xFFFFFF, ownImage.getRGB(x1, y) & 0xFFFFFF, "own range: 0.5 is the top");
        assertEquals(Colors.viridis(0.5) & 0xFFFFFF, sharedImage.getRGB(x1, y) & 0xFFFFFF, "range [0, 1]: 0.5 is the middle");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Trace.line(new double[] {0, 1}, new double[] {0, 1}).zRange(0, 1));
        assertTrue(e.getMessage().contains("heatmaps only"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Trace.heatmap(half).zRange(1, 1));
        assertTrue(e.getMessage().contains("zRange(1.0, 1.0)") && e.getMessage().contains("min < max"), e.getMessage());
    }

    /**
     * A heatmap with a line on it (a cost matrix with the assignment drawn over it) was drawn into the PNG as the
     * heatmap alone: a viewer without scripts saw no line and no sign of it. The image is now refused, as for bars
     * with a line, so such a viewer gets the text form; the Plotly figure keeps both traces.
     */
    @Test
    void aHeatmapPanelWithAnotherTraceHasNoImageThatLeavesItOut() {
        Figure f = Figure.heatmap(new double[][] {{1, 2}, {3, 4}}).add(Trace.line(new double[] {0, 1}, new double[] {0, 1}));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, f::toImage);
        assertTrue(e.getMessage().contains("heatmap, line"), e.getMessage());
        Map<String, String> bundle = f.mimeBundle();
        assertFalse(bundle.containsKey("image/png"), bundle.keySet().toString());
        assertEquals(2, json(f).getAsJsonArray("data").size());
        assertTrue(Figure.heatmap(new double[][] {{1, 2}, {3, 4}}).mimeBundle().containsKey("image/png"));
    }

    @Test
    void barHeatmapHistogramTraces() {
        JsonObject bar = json(Figure.bar(new String[] {"a", "b"}, new double[] {2, 3})).getAsJsonArray("data")
                .get(0).getAsJsonObject();
        assertEquals("bar", bar.get("type").getAsString());
        assertEquals("b", bar.getAsJsonArray("x").get(1).getAsString());
        assertArrayEquals(new double[] {2, 3}, doubles(bar.getAsJsonArray("y")));
        double[][] z = {{1, 2, 3}, {4, 5, 6}};
        JsonObject hm = json(Figure.heatmap(z)).getAsJsonArray("data").get(0).getAsJsonObject();
        assertEquals("heatmap", hm.get("type").getAsString());
        assertArrayEquals(z[1], doubles(hm.getAsJsonArray("z").get(1).getAsJsonArray()));
        assertArrayEquals(new double[] {0, 1, 2}, doubles(hm.getAsJsonArray("x")));
        Trace h = Trace.histogram(new double[] {0, 1, 2, 3, 4}).bins(4);
        JsonObject hist = json(Figure.of(h)).getAsJsonArray("data").get(0).getAsJsonObject();
        assertEquals("histogram", hist.get("type").getAsString());
        assertEquals(1.0, hist.getAsJsonObject("xbins").get("size").getAsDouble(), 1e-12);
        assertArrayEquals(new double[] {1, 1, 1, 2}, h.binCounts(h.binEdges()), "last bin closed on the right");
    }

    @Test
    void tracesAreImmutableValues() {
        Trace a = Trace.line(T, GAMMA);
        Trace b = a.name("b").color("red");
        assertEquals(null, a.name());
        assertEquals("b", b.name());
        double[] y = GAMMA.clone();
        Trace c = Trace.line(T, y);
        y[0] = 42;
        assertEquals(1.0, c.y[0], "input arrays are copied");
        Figure f = Figure.line(T, GAMMA);
        Figure g = f.add(Trace.line(T, SIGMA));
        assertEquals(1, f.traceCount());
        assertEquals(2, g.traceCount());
    }

    @Test
    void badInputNamesTheProblem() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Trace.line(new double[] {1, 2}, new double[] {1}));
        assertEquals("y.length = 1; allowed: x.length = 2 (one y per x)", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Trace.scatter(new double[0], new double[0]));
        e = assertThrows(IllegalArgumentException.class, () -> Figure.line(new double[0]));   // only y was given
        assertEquals("y = []; allowed: at least one value (the line's points)", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Trace.heatmap(new double[][] {{1, 2}, {3}}));
        assertThrows(IllegalArgumentException.class, () -> Trace.heatmap(new double[0][]));
        assertThrows(IllegalArgumentException.class, () -> Trace.histogram(new double[] {Double.NaN}));
        assertThrows(IllegalArgumentException.class, () -> Trace.bar(new String[] {"a"}, new double[] {1, 2}));
        assertThrows(IllegalArgumentException.class, () -> Figure.line(T, GAMMA).size(10, 10));
        assertThrows(IllegalArgumentException.class, () -> Figure.line(T, GAMMA).xRange(1, 0));
        assertThrows(IllegalArgumentException.class, () -> Trace.line(T, GAMMA).opacity(2));
        assertThrows(IllegalArgumentException.class, () -> Figure.grid(0, Figure.line(T, GAMMA)));
    }

    /** Stage indices are categories: the stage-window plot labels 0, 1, 2 and nothing in between (no 0.5, 1.5). */
    @Test
    void yTicksAreExactlyTheGivenValuesAndLabels(@TempDir Path dir) throws Exception {
        Figure f = Plots.stageWindows(new double[] {1, 0.6, 0.3}, new double[] {0.55, 0.25, 0}, new int[] {4, 8, 16});
        JsonObject y = json(f).getAsJsonObject("layout").getAsJsonObject("yaxis");
        assertEquals("array", y.get("tickmode").getAsString());
        assertEquals("[0.0,1.0,2.0]", y.get("tickvals").toString());
        assertEquals("[\"0\",\"1\",\"2\"]", y.get("ticktext").toString());
        BufferedImage img = ImageIO.read(f.savePng(dir.resolve("stages.png")).toFile());
        assertEquals(800, img.getWidth(), "the PNG form still renders (with its own ticks)");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Figure.line(T, GAMMA).yTicks(new double[] {0, 1}, "only one"));
        assertTrue(e.getMessage().contains("2 values and 1 labels"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Figure.line(T, GAMMA).yTicks(new double[] {Double.NaN}, "x"));
        assertTrue(e.getMessage().contains("value NaN with label x at index 0"), e.getMessage());
    }

    /**
     * The x axis takes ticks the same way as the y axis (there was no way to put a log axis of step counts 2, 4, 8,
     * 16, 32 at those values); without labels the values label themselves, on either axis, and win over the automatic
     * ticks of a log axis.
     */
    @Test
    void xTicksLikeYTicksAndValuesLabelThemselves() {
        double[] steps = {2, 4, 8, 16, 32};
        JsonObject x = json(Figure.line(steps, new double[] {1, 0.5, 0.25, 0.125, 0.0625}).xLog().xTicks(steps))
                .getAsJsonObject("layout").getAsJsonObject("xaxis");
        assertEquals("array", x.get("tickmode").getAsString());
        assertEquals("[2.0,4.0,8.0,16.0,32.0]", x.get("tickvals").toString());
        assertEquals("[\"2\",\"4\",\"8\",\"16\",\"32\"]", x.get("ticktext").toString());
        JsonObject y = json(Figure.line(T, GAMMA).yTicks(new double[] {0, 0.25, 1}).xTicks(new double[] {0.5}, "half"))
                .getAsJsonObject("layout");
        assertEquals("[\"0\",\"0.25\",\"1\"]", y.getAsJsonObject("yaxis").get("ticktext").toString());
        assertEquals("[\"half\"]", y.getAsJsonObject("xaxis").get("ticktext").toString());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Figure.line(T, GAMMA).xTicks(new double[] {0, 1}, "only one"));
        assertTrue(e.getMessage().startsWith("xTicks") && e.getMessage().contains("2 values and 1 labels"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Figure.line(T, GAMMA).xTicks(new double[] {1, Double.NaN}));
        assertTrue(e.getMessage().contains("value NaN with label (the value) at index 1"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Figure.line(T, GAMMA).xTicks(new double[0]));
    }

    /**
     * A colour neither output knows ("bleu") used to be kept and drawn in a default colour, and a CSS colour the PNG
     * does not parse ("rgb(255, 0, 0)") drew red on the page but a palette colour in the PNG: both are refused by name.
     */
    @Test
    void aColourThatWouldNotBeDrawnIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Trace.line(T, GAMMA).color("bleu"));
        assertTrue(e.getMessage().contains("\"bleu\"") && e.getMessage().contains("#rrggbb")
                && e.getMessage().contains("grey"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Figure.line(T, GAMMA).color("rgb(255, 0, 0)"));
        assertThrows(IllegalArgumentException.class, () -> Figure.line(T, GAMMA).color("#12345"));
        assertEquals("#D62728", json(Figure.line(T, GAMMA).color("#D62728")).getAsJsonArray("data").get(0)
                .getAsJsonObject().getAsJsonObject("line").get("color").getAsString());
        assertEquals("Grey", json(Figure.line(T, GAMMA).color("Grey")).getAsJsonArray("data").get(0)
                .getAsJsonObject().getAsJsonObject("line").get("color").getAsString());
        assertEquals(Colors.PALETTE[0], json(Figure.line(T, GAMMA).color("red").color(null)).getAsJsonArray("data").get(0)
                .getAsJsonObject().getAsJsonObject("line").get("color").getAsString(), "null: back to the palette");
    }

    @Test
    void pngHasTheRequestedSizeAndDecodes(@TempDir Path dir) throws Exception {
        Figure f = Figure.grid(2,
                Figure.line(T, GAMMA).name("gamma").add(Trace.line(T, SIGMA).name("sigma")).yLog(),
                Figure.histogram(new double[] {0, 1, 1, 2}),
                Figure.heatmap(new double[][] {{1, 2}, {3, 4}}).title("hm"),
                Figure.bar(new String[] {"a", "b"}, new double[] {1, 2}))
                .title("four panels").size(640, 480);
        Path png = f.savePng(dir.resolve("f.png"));
        BufferedImage img = ImageIO.read(png.toFile());
        assertEquals(640, img.getWidth());
        assertEquals(480, img.getHeight());
        Map<String, String> bundle = Figure.line(new double[] {1, 2}, new double[] {3, Double.NaN}).size(300, 200).mimeBundle();
        BufferedImage fromBundle = ImageIO.read(new ByteArrayInputStream(Base64.getDecoder().decode(bundle.get("image/png"))));
        assertEquals(300, fromBundle.getWidth());
        assertEquals(200, fromBundle.getHeight());
    }

    private static void assertArrayEquals(double[] expected, double[] actual) {
        org.junit.jupiter.api.Assertions.assertArrayEquals(expected, actual, 0.0);
    }

    private static void assertArrayEquals(double[] expected, double[] actual, String message) {
        org.junit.jupiter.api.Assertions.assertArrayEquals(expected, actual, 0.0, message);
    }

    /**
     * A grid of figures made alike (notebook 01's four solver panels each draw "paths", "start (noise)" and "end")
     * lists each entry once, and its one toggle hides it in every panel (a shared legend group); an entry that
     * differs in name, colour or kind, and a trace with its own group, keep theirs.
     */
    @Test
    void gridListsRepeatedLegendEntriesOnce() {
        double[] x = {0, 1}, y = {1, 0};
        Figure panel = Figure.of(Trace.line(x, y).name("paths").color("#7f7f7f"), Trace.scatter(x, y).name("end"));
        Figure other = Figure.of(Trace.line(x, y).name("paths").color("#ff0000"), Trace.scatter(x, y).name("start"),
                Trace.line(x, y).name("end").group("mine"));
        JsonArray data = JsonParser.parseString(Figure.grid(2, panel, panel, panel, other).toJson()).getAsJsonObject()
                .getAsJsonArray("data");
        assertEquals(9, data.size());
        int listedPaths = 0;
        String group = null;
        for (int i = 0; i < 6; i += 2) {   // the three grey "paths"
            JsonObject t = data.get(i).getAsJsonObject();
            listedPaths += t.get("showlegend").getAsBoolean() ? 1 : 0;
            group = group == null ? t.get("legendgroup").getAsString() : group;
            assertEquals(group, t.get("legendgroup").getAsString());
        }
        assertEquals(1, listedPaths, "one legend entry for the same trace in three panels");
        assertTrue(data.get(0).getAsJsonObject().get("showlegend").getAsBoolean(), "the first panel's entry is listed");
        assertTrue(data.get(1).getAsJsonObject().get("showlegend").getAsBoolean());
        assertFalse(data.get(3).getAsJsonObject().get("showlegend").getAsBoolean());
        assertEquals(data.get(1).getAsJsonObject().get("legendgroup"), data.get(5).getAsJsonObject().get("legendgroup"));
        JsonObject redPaths = data.get(6).getAsJsonObject(), start = data.get(7).getAsJsonObject();
        JsonObject ownGroup = data.get(8).getAsJsonObject();
        assertTrue(redPaths.get("showlegend").getAsBoolean() && !redPaths.has("legendgroup"), "another colour");
        assertTrue(start.get("showlegend").getAsBoolean() && !start.has("legendgroup"), "another name");
        assertTrue(ownGroup.get("showlegend").getAsBoolean(), "a line named end is not the scatter end");
        assertEquals("mine", ownGroup.get("legendgroup").getAsString());
    }

    /**
     * legend(false) on a figure put into a grid keeps its traces out of the grid's one legend (notebook 04's
     * correlation bars showed up there as a second blue entry next to "mean error").
     */
    @Test
    void gridKeepsAFiguresHiddenLegendHidden() {
        String[] names = {"a", "b"};
        Figure errors = Figure.of(Trace.bar(names, new double[] {1, 2}).name("mean error"),
                Trace.bar(names, new double[] {3, 4}).name("variance error"));
        Figure corr = Figure.bar(names, new double[] {0.1, -0.2}).name("correlation").legend(false);
        JsonArray data = JsonParser.parseString(Figure.grid(2, errors, corr).toJson()).getAsJsonObject()
                .getAsJsonArray("data");
        assertTrue(data.get(0).getAsJsonObject().get("showlegend").getAsBoolean());
        assertTrue(data.get(1).getAsJsonObject().get("showlegend").getAsBoolean());
        assertFalse(data.get(2).getAsJsonObject().get("showlegend").getAsBoolean());
        assertEquals("correlation", data.get(2).getAsJsonObject().get("name").getAsString(), "hover still names it");
    }
}
