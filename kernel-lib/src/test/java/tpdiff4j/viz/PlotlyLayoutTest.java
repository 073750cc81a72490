package tpdiff4j.viz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import tpdiff4j.pyramid.TemporalPyramid;
import tpdiff4j.schedule.Schedules;

/**
 * Where the Plotly JSON puts what a reader sees around the data: one colour bar for heatmaps on one scale, titles
 * clear of the mode bar and of the top tick labels, and a value on every bar. Text is measured as plotly.js sets it:
 * a line is about 1.3 times the font size, and a tick label is centred on its tick.
 */
class PlotlyLayoutTest {

    private static final double LINE = 1.3;

    private static JsonObject json(Figure f) {
        return JsonParser.parseString(f.toJson()).getAsJsonObject();
    }

    private static List<JsonObject> traces(Figure f) {
        List<JsonObject> r = new ArrayList<>();
        for (JsonElement e : json(f).getAsJsonArray("data")) r.add(e.getAsJsonObject());
        return r;
    }

    private static double[][] frameCovariance(double rho) {
        double[][] c = new double[8][8];
        for (int i = 0; i < 8; i++) for (int j = 0; j < 8; j++) c[i][j] = Math.pow(rho, Math.abs(i - j));
        return c;
    }

    /**
     * Three covariance heatmaps on one colour scale (the same zRange) drew three identical colour bars, one beside
     * each panel; now they share the layout's colour axis, whose one bar stands in the right margin, right of every
     * panel, and the gaps between panels are those of a grid without bars. Heatmaps on their own scales keep a bar
     * each.
     */
    @Test
    void heatmapsOnOneScaleShareOneColourBarRightOfTheGrid() {
        Figure[] maps = new Figure[3];
        for (int k = 0; k < 3; k++) maps[k] = Figure.of(Trace.heatmap(frameCovariance(0.5 + 0.2 * k)).zRange(0, 1)).title("c" + k);
        Figure grid = Figure.grid(3, maps).size(960, 360);
        JsonObject layout = json(grid).getAsJsonObject("layout");
        JsonObject axis = layout.getAsJsonObject("coloraxis");
        assertEquals("Viridis", axis.get("colorscale").getAsString());
        assertEquals(0, axis.get("cmin").getAsDouble());
        assertEquals(1, axis.get("cmax").getAsDouble());
        for (JsonObject t : traces(grid)) {
            assertEquals("coloraxis", t.get("coloraxis").getAsString());
            assertFalse(t.has("colorbar") || t.has("colorscale") || t.has("zmin"), "one bar, on the layout: " + t.keySet());
        }
        JsonObject bar = axis.getAsJsonObject("colorbar");
        assertEquals("left", bar.get("xanchor").getAsString());
        for (String x : new String[] {"xaxis", "xaxis2", "xaxis3"}) {
            double end = layout.getAsJsonObject(x).getAsJsonArray("domain").get(1).getAsDouble();
            assertTrue(bar.get("x").getAsDouble() >= end, "the bar starts right of " + x + ", which ends at " + end);
        }
        double barPx = bar.get("xpad").getAsDouble() + bar.get("thickness").getAsDouble() + 4 * 0.6 * TextSizes.TEXT_PX;
        assertTrue(layout.getAsJsonObject("margin").get("r").getAsDouble() >= barPx,
                "the right margin holds the bar and labels such as 0.25 (" + barPx + " px)");
        double gap = layout.getAsJsonObject("xaxis2").getAsJsonArray("domain").get(0).getAsDouble()
                - layout.getAsJsonObject("xaxis").getAsJsonArray("domain").get(1).getAsDouble();
        assertEquals(0.09, gap, 1e-6, "no room kept between the panels for bars that are not there");

        Figure[] own = {
            Figure.grid(2, Figure.heatmap(frameCovariance(0.5)), Figure.heatmap(frameCovariance(0.9))),   // own ranges
            Figure.grid(2, Figure.of(Trace.heatmap(frameCovariance(0.5)).zRange(0, 1)),
                    Figure.of(Trace.heatmap(frameCovariance(0.9)).zRange(0, 2))),
            Figure.grid(2, Figure.of(Trace.heatmap(frameCovariance(0.5)).zRange(0, 1)),
                    Figure.of(Trace.heatmap(frameCovariance(0.9)).zRange(0, 1).colorscale("greys")))};
        for (Figure g : own) {
            assertFalse(json(g).getAsJsonObject("layout").has("coloraxis"), g.toString());
            for (JsonObject t : traces(g)) assertTrue(t.has("colorbar") && t.has("colorscale"), t.keySet().toString());
        }
        assertNull(PlotlyJson.sharedScale(Figure.of(Trace.heatmap(frameCovariance(0.5)).zRange(0, 1)).panels()),
                "a single heatmap keeps its own bar");
    }

    /** A heatmap on the colour scale {@code scale} over [0, 1], as a trace whose scale was written that way holds it. */
    private static Trace onScale(double rho, String scale) {
        Trace t = Trace.heatmap(frameCovariance(rho)).zRange(0, 1);
        t.colorscale = scale;
        return t;
    }

    /**
     * plotly.js reads a named colour scale in any letter case, so heatmaps on Viridis and on viridis read against one
     * colour bar; a scale written out as its colours is the same scale only when written the same.
     */
    @Test
    void namedColourScalesAreTheSameInAnyLetterCase() {
        Figure byName = Figure.grid(2, Figure.of(Trace.heatmap(frameCovariance(0.5)).zRange(0, 1)),
                Figure.of(Trace.heatmap(frameCovariance(0.9)).zRange(0, 1).colorscale("viridis")));
        assertTrue(json(byName).getAsJsonObject("layout").has("coloraxis"), "the default Viridis and viridis: one bar");

        assertTrue(PlotlyJson.sameColourScale("Viridis", "viridis"));
        assertTrue(PlotlyJson.sameColourScale("RDBU", "RdBu"));
        assertFalse(PlotlyJson.sameColourScale("Viridis", "Cividis"));
        List<Panel> mixedCase = Figure.grid(3, Figure.of(onScale(0.5, "Viridis")), Figure.of(onScale(0.7, "viridis")),
                Figure.of(onScale(0.9, "VIRIDIS"))).panels();
        assertEquals("Viridis", PlotlyJson.sharedScale(mixedCase).colorscale, "one scale, the first heatmap's name");
        assertNull(PlotlyJson.sharedScale(Figure.grid(2, Figure.of(onScale(0.5, "viridis")),
                Figure.of(onScale(0.9, "greys"))).panels()), "two scales, a bar each");

        String greyRamp = "[[0, \"#000000\"], [1, \"#ffffff\"]]", redRamp = "[[0, \"#000000\"], [1, \"#ff0000\"]]";
        assertTrue(PlotlyJson.sameColourScale(greyRamp, greyRamp));
        assertFalse(PlotlyJson.sameColourScale(greyRamp, redRamp));
        assertFalse(PlotlyJson.sameColourScale(greyRamp, "Greys"));
        assertFalse(PlotlyJson.sameColourScale("Greys", greyRamp));
        assertEquals(greyRamp, PlotlyJson.sharedScale(Figure.grid(2, Figure.of(onScale(0.5, greyRamp)),
                Figure.of(onScale(0.9, greyRamp))).panels()).colorscale);
        assertNull(PlotlyJson.sharedScale(Figure.grid(2, Figure.of(onScale(0.5, greyRamp)),
                Figure.of(onScale(0.9, redRamp))).panels()));
    }

    /**
     * plotly.js draws its mode bar (the toolbar) in the top right corner, over whatever text is there: it covered the
     * end of a centred figure title. Every title now starts below the mode bar's band, in figures made directly and by
     * {@link Plots}: the figure title from the top of the page, each panel title above its panel.
     */
    @Test
    void titlesStartBelowTheModeBar() {
        double[] x = {1, 2, 3}, y = {3, 1, 2};
        TemporalPyramid p = TemporalPyramid.uniform(Schedules.flowMatching(), 3, 16);
        Figure[] figures = {
            Figure.line(x, y).title("frame covariance error per jump rule, K = 3, 16 frames, and more"),
            Figure.grid(2, Figure.line(x, y).title("left"), Figure.line(x, y).title("right")),
            Figure.grid(2, Figure.line(x, y).title("left"), Figure.line(x, y).title("right"), Figure.line(x, y).title("below"))
                    .title("a grid with a title"),
            Figure.line(x, y), Plots.schedules(Schedules.flowMatching()), Plots.jumps(p), Plots.stageWindows(p),
            Plots.costModel(2.0, p)};
        for (Figure f : figures) {
            JsonObject layout = json(f).getAsJsonObject("layout");
            double top = layout.getAsJsonObject("margin").get("t").getAsDouble();
            double titleBottom = PlotlyJson.MODEBAR_PX;
            if (layout.has("title")) {
                JsonObject title = layout.getAsJsonObject("title");
                assertEquals("container", title.get("yref").getAsString(), f.toString());
                assertEquals(1, title.get("y").getAsDouble());
                assertEquals("top", title.get("yanchor").getAsString());
                assertTrue(title.getAsJsonObject("pad").get("t").getAsDouble() >= PlotlyJson.MODEBAR_PX, f.toString());
                titleBottom = title.getAsJsonObject("pad").get("t").getAsDouble() + LINE * TextSizes.FIGURE_TITLE_PX;
                assertTrue(titleBottom <= top, "the figure title ends above the panels: " + f);
            }
            double plotHeight = f.height() - top - layout.getAsJsonObject("margin").get("b").getAsDouble();
            JsonArray notes = layout.has("annotations") ? layout.getAsJsonArray("annotations") : new JsonArray();
            for (JsonElement e : notes) {
                JsonObject a = e.getAsJsonObject();
                if (!"paper".equals(a.get("yref").getAsString())) continue;   // a note inside a panel
                double bottomPx = top + (1 - a.get("y").getAsDouble()) * plotHeight - a.get("yshift").getAsDouble();
                double topPx = bottomPx - LINE * TextSizes.TITLE_PX;
                assertTrue(topPx >= titleBottom, "panel title \"" + a.get("text").getAsString() + "\" starts at " + topPx
                        + " px, below the mode bar and the figure title (" + titleBottom + " px): " + f);
            }
        }
    }

    /**
     * The log-SNR panel of {@link Plots#schedules} cut at ±15 has a tick "15" at the top end of its y axis: centred on
     * that end, half of the label stood above the panel and touched the panel title. Titles now stand clear of such a
     * label, by a few pixels, above a panel of a grid and above a single panel.
     */
    @Test
    void topTickLabelDoesNotTouchTheTitle() {
        Figure cut = Plots.schedules(Schedules.of("quarter-circle", t -> Math.cos(t * Math.PI / 2), t -> Math.sin(t * Math.PI / 2)));
        JsonObject layout = json(cut).getAsJsonObject("layout");
        double[] range = {layout.getAsJsonObject("yaxis3").getAsJsonArray("range").get(0).getAsDouble(),
                layout.getAsJsonObject("yaxis3").getAsJsonArray("range").get(1).getAsDouble()};
        assertEquals(Plots.LOG_SNR_SHOWN, range[1], "a tick at the top end, where the label stands out");
        double overhang = LINE * TextSizes.TEXT_PX / 2, gap = 3;
        JsonObject snrTitle = null;
        for (JsonElement e : layout.getAsJsonArray("annotations")) {
            if (e.getAsJsonObject().get("text").getAsString().startsWith("log-SNR")) snrTitle = e.getAsJsonObject();
        }
        assertEquals("bottom", snrTitle.get("yanchor").getAsString());
        assertTrue(snrTitle.get("yshift").getAsDouble() >= overhang + gap,
                "the title stands " + snrTitle.get("yshift") + " px above the panel, the label " + overhang);

        JsonObject single = json(Figure.line(new double[] {0, 1}, new double[] {-15, 15}).yRange(-15, 15).title("one panel"))
                .getAsJsonObject("layout");
        double titleBottom = single.getAsJsonObject("title").getAsJsonObject("pad").get("t").getAsDouble()
                + LINE * TextSizes.FIGURE_TITLE_PX;
        assertTrue(single.getAsJsonObject("margin").get("t").getAsDouble() - overhang - titleBottom >= gap,
                "the figure title ends at " + titleBottom + " px, the top tick label starts at "
                        + (single.getAsJsonObject("margin").get("t").getAsDouble() - overhang));
    }

    /**
     * The noise weight of the "none" rule is 0: its bar had no height, and the chart read as if the bar were missing.
     * Every bar now carries its value as a label at its end (outside the bar, not clipped by the axes), so the 0 shows;
     * the label is the value to 3 significant digits.
     */
    @Test
    void everyBarShowsItsValueSoZeroIsVisible() {
        Figure f = Figure.bar(new String[] {"corrected", "printed", "none"}, new double[] {0.47, 0.47, 0});
        JsonObject bars = traces(f).get(0);
        assertEquals("%{customdata}", bars.get("texttemplate").getAsString());
        assertEquals(List.of("0.47", "0.47", "0"), bars.getAsJsonArray("customdata").asList().stream()
                .map(JsonElement::getAsString).toList(), "the labels the PNG writes too (PlotlyJson.barLabel)");
        assertEquals("outside", bars.get("textposition").getAsString(), "inside, plotly.js leaves out the text of a bar of 0");
        assertFalse(bars.get("cliponaxis").getAsBoolean());
        assertEquals(0, bars.getAsJsonArray("y").get(2).getAsDouble());

        List<JsonObject> jumps = traces(Plots.jumps(TemporalPyramid.uniform(Schedules.flowMatching(), 3, 16)));
        JsonObject none = jumps.stream().filter(t -> "none".equals(t.get("name").getAsString())
                && "x2".equals(t.get("xaxis").getAsString())).findFirst().orElseThrow();
        for (JsonElement v : none.getAsJsonArray("y")) assertEquals(0, v.getAsDouble(), "no renoise, no noise weight");
        assertEquals("outside", none.get("textposition").getAsString());
        for (JsonObject t : traces(Figure.of(Trace.line(new double[] {0, 1}, new double[] {0, 1})))) {
            assertFalse(t.has("texttemplate"), "lines keep their points unlabelled");
        }
    }

    /** A bar's label is its value as plotly.js's {@code .3~g} writes it: 3 significant digits, no trailing zeros. */
    @Test
    void barLabelsHaveThreeSignificantDigits() {
        assertEquals("0", PlotlyJson.barLabel(0));
        assertEquals("0", PlotlyJson.barLabel(-0.0));
        assertEquals("0.438", PlotlyJson.barLabel(21.0 / 48), "21/48 = 0.4375 rounds half up");
        assertEquals("0.583", PlotlyJson.barLabel(7.0 / 12));
        assertEquals("1", PlotlyJson.barLabel(1));
        assertEquals("0.5", PlotlyJson.barLabel(0.5));
        assertEquals("12.5", PlotlyJson.barLabel(12.5));
        assertEquals("-0.00123", PlotlyJson.barLabel(-0.0012345));
        assertEquals("0.000001", PlotlyJson.barLabel(1e-6));
        assertEquals("1e-7", PlotlyJson.barLabel(1e-7), "exponent notation below 1e-6");
        assertEquals("999", PlotlyJson.barLabel(999));
        assertEquals("1e+3", PlotlyJson.barLabel(999.6), "rounded to 1000, in exponent notation as from 1000 on");
        assertEquals("1.23e+3", PlotlyJson.barLabel(1234));
        assertEquals("1.5e-7", PlotlyJson.barLabel(1.5e-7));
        assertEquals("", PlotlyJson.barLabel(Double.NaN));
    }
}
