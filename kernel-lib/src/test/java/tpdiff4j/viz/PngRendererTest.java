package tpdiff4j.viz;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class PngRendererTest {

    /**
     * The PNG (what an untrusted notebook, a printout or a viewer without scripts shows) labels a log axis with the
     * ticks of the interactive figure: over one or two decades 1, 2, 3, 5 or 1, 2, 5 times a power of ten, not only
     * the powers of ten that XChart labels by itself.
     */
    /**
     * The short labels of the PNG's axis ticks and of a heatmap's x and y values: up to 4 significant digits without
     * trailing zeros ({@code 0.5}, not the {@code 0.500} heatmap axes showed), whole numbers as such, an exponent
     * outside [1e-3, 1e5), and {@code 0} for zero of either sign.
     */
    @Test
    void tickLabelsAreShortAndHaveNoTrailingZeros() {
        assertEquals(List.of("0", "0", "0.5", "0.25", "0.3333", "16", "-2.5", "1234", "2.00e-05", "1.00e+05", ""),
                java.util.stream.Stream.of(0.0, -0.0, 0.5, 0.25, 1.0 / 3, 16.0, -2.5, 1234.0, 2e-5, 1e5, Double.NaN)
                        .map(PngRenderer::tick).toList());
    }

    @Test
    void logAxesHaveTheTicksOfThePlotlyFigure() {
        double[][][] cases = {
            {{2, 4, 8, 16, 32}, {1, 0.1, 1e-3, 1e-5, 1e-7}},      // 1.2 and 7 decades
            {{32, 64, 128, 256}, {0.09, 0.4, 0.75, 4}},          // 0.9 and 1.65 decades
            {{1, 2}, {2e-5, 1e-3}},                                // exponents on every tick
            {{4, 8, 16}, {11.8, 18.9, 46.1}},                      // under a decade
            {{10, 12}, {100, 105}},                                // no two candidates inside: widened
        };
        for (double[][] c : cases) {
            Figure f = Figure.line(c[0], c[1]).xLog().yLog();
            JsonObject layout = JsonParser.parseString(f.toJson()).getAsJsonObject().getAsJsonObject("layout");
            Panel p = f.panels().get(0);
            for (String axis : new String[] {"xaxis", "yaxis"}) {
                JsonObject a = layout.getAsJsonObject(axis);
                PngRenderer.Ticks png = PngRenderer.ticks(p, axis.equals("xaxis"));
                List<Double> values = new ArrayList<>();
                a.getAsJsonArray("tickvals").forEach(v -> values.add(v.getAsDouble()));
                List<String> labels = new ArrayList<>();
                a.getAsJsonArray("ticktext").forEach(v -> labels.add(plain(v.getAsString())));
                assertEquals(values, Arrays.stream(png.values()).boxed().toList(), axis + " of " + Arrays.deepToString(c));
                assertEquals(labels, png.labels(), axis + " of " + Arrays.deepToString(c));
            }
        }
        assertEquals(List.of("2×10⁻⁵", "3×10⁻⁵", "5×10⁻⁵", "10⁻⁴"),
                PngRenderer.ticks(Figure.line(new double[] {1, 2}, new double[] {2e-5, 1e-3}).yLog().panels().get(0), false)
                        .labels().subList(0, 4));
    }

    /** {@code 2×10<sup>−5</sup>} as the PNG writes it, {@code 2×10⁻⁵}. */
    private static String plain(String html) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("<sup>(.*)</sup>").matcher(html);
        if (!m.find()) return html;
        StringBuilder sup = new StringBuilder();
        for (char ch : m.group(1).toCharArray()) {
            sup.append(ch == '\u2212' ? '\u207b' : ch == '1' ? '\u00b9' : ch == '2' ? '\u00b2' : ch == '3' ? '\u00b3'
                    : (char) ('\u2070' + (ch - '0')));
        }
        return html.substring(0, m.start()) + sup;
    }

    /**
     * In the image itself: a y axis from 10 to 300 (1.5 decades) carries the seven labels 10, 20, 30, 50, 100, 200,
     * 300, left of the plot, where XChart alone wrote 10 and 100. Counted as separate bands of dark pixel rows
     * between the image's left edge and the plot's border (the first column and the last row mostly not white).
     */
    /**
     * Two panels side by side with three named traces each (an experiment's curves of three arms): the legend below
     * each plot takes a row per entry, and the plot is shorter than a long y title. The title is made to fit, so it
     * stays inside the image; drawn at the usual size it ran out of the image at the top and the bottom.
     */
    @Test
    void aLongYTitleFitsAShortPlot() {
        String distance = "Fr\u00e9chet distance (lower is better)";
        double[] x = {0, 0.1, 0.2}, y = {29, 24, 18};
        Figure panel = Figure.of(Trace.line(x, y).name("vanilla"), Trace.line(x, y).name("my pyramid"),
                Trace.line(x, y).name("vanilla + align")).xTitle("training seconds").yTitle(distance);
        BufferedImage img = PngRenderer.render(Figure.grid(2, panel, panel).size(720, 360));
        int[] rows = inkRows(img, 0, 30);   // the y title of the left panel, rotated, left of its tick labels
        assertTrue(rows[0] > 0 && rows[1] < img.getHeight() - 1,
                "the y title runs from row " + rows[0] + " to " + rows[1] + " of " + img.getHeight());
        assertTrue(rows[1] - rows[0] > 100, "the title is drawn: rows " + rows[0] + " to " + rows[1]);

        java.awt.Font font = TextSizes.title();
        assertEquals(new PngRenderer.AxisTitle(font, distance), PngRenderer.fitAxisTitle(font, distance, 400),
                "room enough: the usual size");
        PngRenderer.AxisTitle small = PngRenderer.fitAxisTitle(font, distance, 180);
        assertTrue(small.font().getSize2D() < font.getSize2D() && small.font().getSize2D() >= 8, small.toString());
        assertEquals(distance, small.text(), "a smaller font is enough: the whole title");
        Graphics2D g = new BufferedImage(1, 1, BufferedImage.TYPE_INT_RGB).createGraphics();
        assertTrue(g.getFontMetrics(small.font()).getStringBounds(distance, g).getWidth() <= 180 - 4,
                "fits the plot's height");
        g.dispose();
    }

    /**
     * In a plot too short for the title even at the smallest size (8 pixels), the title keeps its first characters and
     * an ellipsis, so that it stays inside the image and shows that it was cut.
     */
    @Test
    void aYTitleTooLongEvenAtTheSmallestSizeIsCutVisibly() {
        String distance = "Fr\u00e9chet distance of motion features (lower is better)";
        PngRenderer.AxisTitle cut = PngRenderer.fitAxisTitle(TextSizes.title(), distance, 90);
        assertEquals(8f, cut.font().getSize2D(), "the smallest size");
        assertTrue(cut.text().endsWith("\u2026") && distance.startsWith(cut.text().substring(0, cut.text().length() - 1)),
                "the first characters and an ellipsis: " + cut.text());
        assertTrue(cut.text().length() > 5, "as much of the title as fits: " + cut.text());
        Graphics2D g = new BufferedImage(1, 1, BufferedImage.TYPE_INT_RGB).createGraphics();
        java.awt.FontMetrics fm = g.getFontMetrics(cut.font());
        assertTrue(fm.getStringBounds(cut.text(), g).getWidth() <= 90 - 4, "fits: " + cut.text());
        String longer = distance.substring(0, cut.text().length()) + "\u2026";   // one more character of the title
        assertTrue(fm.getStringBounds(longer, g).getWidth() > 90 - 4 || longer.strip().equals(cut.text()),
                "no more of the title would fit: " + longer);
        g.dispose();

        double[] x = {0, 1}, y = {2, 3};
        BufferedImage img = PngRenderer.render(Figure.line(x, y).yTitle(distance).legend(false).size(400, 150));
        int[] rows = inkRows(img, 0, 24);
        assertTrue(rows[0] > 0 && rows[1] < img.getHeight() - 1,
                "the y title runs from row " + rows[0] + " to " + rows[1] + " of " + img.getHeight());
    }

    /** A heatmap's y title follows the same rule: along a short plot it gets smaller, and at 8 pixels it is cut visibly. */
    @Test
    void aHeatmapsLongYTitleStaysInsideTheImage() {
        double[][] z = {{1, 0.5, 0.2}, {0.5, 1, 0.5}, {0.2, 0.5, 1}};
        BufferedImage img = PngRenderer.render(
                Figure.heatmap(z).yTitle("frame index of the first clip in the batch (0 = first)").size(300, 160));
        int[] rows = inkRows(img, 0, 20);   // the rotated y title, left of the tick labels
        assertTrue(rows[0] > 0 && rows[1] < img.getHeight() - 1,
                "the y title runs from row " + rows[0] + " to " + rows[1] + " of " + img.getHeight());
        assertTrue(rows[1] - rows[0] > 40, "the title is drawn: rows " + rows[0] + " to " + rows[1]);
    }

    /** The first and last rows with a non-white pixel in columns [x0, x1) of {@code img}; {-1, -1} when none. */
    private static int[] inkRows(BufferedImage img, int x0, int x1) {
        int first = -1, last = -1;
        for (int yy = 0; yy < img.getHeight(); yy++) {
            for (int xx = x0; xx < x1; xx++) {
                if ((img.getRGB(xx, yy) & 0xFFFFFF) != 0xFFFFFF) {
                    if (first < 0) first = yy;
                    last = yy;
                    break;
                }
            }
        }
        return new int[] {first, last};
    }

    @Test
    void theImageLabelsEveryTickOfALogAxis() {
        BufferedImage img = PngRenderer.render(Figure.line(new double[] {1, 2, 3}, new double[] {10, 60, 300}).yLog()
                .legend(false));
        int border = -1, bottom = -1;
        for (int x = 0; x < img.getWidth() && border < 0; x++) {
            int dark = 0;
            for (int y = 0; y < img.getHeight(); y++) if (img.getRGB(x, y) != WHITE) dark++;
            if (dark > img.getHeight() / 2) border = x;
        }
        for (int y = img.getHeight() - 1; y >= 0 && bottom < 0; y--) {
            int dark = 0;
            for (int x = 0; x < img.getWidth(); x++) if (img.getRGB(x, y) != WHITE) dark++;
            if (dark > img.getWidth() / 2) bottom = y;
        }
        assertTrue(border > 0 && bottom > 0, "plot border not found");
        int bands = 0;
        boolean inBand = false;
        for (int y = 0; y < bottom - 2; y++) {
            boolean ink = false;
            for (int x = 0; x < border - 2; x++) ink |= dark(img.getRGB(x, y));
            if (ink && !inBand) bands++;
            inBand = ink;
        }
        assertEquals(7, bands, "tick labels left of the plot");
    }

    private static final int WHITE = java.awt.Color.WHITE.getRGB();

    private static boolean dark(int rgb) {
        return ((rgb >> 16) & 255) + ((rgb >> 8) & 255) + (rgb & 255) < 3 * 128;
    }

    @Test
    void aWideLineEndsAtItsLastPointAsInPlotly() {
        // the same red segment over [0.3, 0.7], drawn 1 and 14 pixels wide on the same axes (a thin black line fixes
        // them to [0, 1]): its ends must sit on the same pixel columns; round caps put a 14-pixel line's ends 7 pixels
        // beyond its data, which made stage windows look longer than they are
        int[] thin = redColumns(1), wide = redColumns(14);
        assertTrue(Math.abs(thin[0] - wide[0]) <= 1 && Math.abs(thin[1] - wide[1]) <= 1,
                "red pixel columns: width 1 " + thin[0] + ".." + thin[1] + ", width 14 " + wide[0] + ".." + wide[1]);
    }

    private static int[] redColumns(double width) {
        Figure f = Figure.of(Trace.line(new double[] {0, 1}, new double[] {0, 2}).color("black").width(1),
                Trace.line(new double[] {0.3, 0.7}, new double[] {1, 1}).color("red").width(width).dash("solid")).legend(false);
        BufferedImage img = PngRenderer.render(f);
        int lo = Integer.MAX_VALUE, hi = -1;
        for (int x = 0; x < img.getWidth(); x++) {
            for (int y = 0; y < img.getHeight(); y++) {
                int rgb = img.getRGB(x, y), r = (rgb >> 16) & 255, g = (rgb >> 8) & 255, b = rgb & 255;
                if (r > 180 && g < 90 && b < 90) {
                    lo = Math.min(lo, x);
                    hi = Math.max(hi, x);
                }
            }
        }
        assertTrue(hi >= 0, "no red pixel drawn at width " + width);
        return new int[] {lo, hi};
    }

    /**
     * A log axis's labels under a German or Turkish default locale: the same image as under the root locale (the
     * decimal point of the linear axes and of the interactive figure), not 0,01 and 0,1.
     */
    @Test
    void logAxisLabelsDoNotFollowTheDefaultLocale() {
        Figure f = Figure.line(new double[] {1e-3, 1e-2, 0.1, 0.5}, new double[] {0.0015, 0.02, 0.35, 0.9})
                .xLog().yLog().title("σ²");
        java.util.Locale old = java.util.Locale.getDefault();
        try {
            java.util.Locale.setDefault(java.util.Locale.ROOT);
            BufferedImage root = PngRenderer.render(f);
            for (java.util.Locale l : new java.util.Locale[] {java.util.Locale.GERMANY, new java.util.Locale("tr", "TR")}) {
                java.util.Locale.setDefault(l);
                BufferedImage other = PngRenderer.render(f);
                assertArrayEquals(root.getRGB(0, 0, root.getWidth(), root.getHeight(), null, 0, root.getWidth()),
                        other.getRGB(0, 0, other.getWidth(), other.getHeight(), null, 0, other.getWidth()),
                        "pixels under " + l);
            }
        } finally {
            java.util.Locale.setDefault(old);
        }
    }
}
