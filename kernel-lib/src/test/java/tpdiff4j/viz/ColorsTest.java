package tpdiff4j.viz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.awt.Color;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The default trace colours must stay apart for readers with red-green colour blindness, in a greyscale printout and
 * on a projector. Category 10 (Plotly's default, used before) failed all three: its orange, green and red (traces
 * 1, 2 and 3) come within 5 to 7 CIELAB units of each other in simulated protanopia or deuteranopia, its blue and red
 * have the same lightness (one grey on paper), and its orange has 2.5:1 contrast against white.
 */
class ColorsTest {

    /** Traces the notebooks tell apart by colour in one panel: at most four (the stages of a four-stage pyramid). */
    private static final int TOLD_APART = 4;

    /**
     * The least CIELAB distance (Delta E*ab) between two of the first {@link #TOLD_APART} colours as a dichromat sees
     * them. 2.3 is about the smallest difference seen between large patches side by side; a 2-pixel line or a 6-pixel
     * marker shows little area, and a legend entry is compared with a line far from it, so ask about ten times that.
     */
    private static final double MIN_DICHROMAT_DISTANCE = 25;

    /**
     * The least difference in CIE lightness L* (0 black to 100 white) between the first two colours (vanilla and
     * TPDiff, the pair most figures compare). Printed in greyscale only lightness is left; 20 is one step of a
     * five-level grey ramp between black and the lightest colour still allowed (below), which toner tells apart.
     */
    private static final double MIN_LIGHTNESS_STEP_FIRST_PAIR = 20;

    /**
     * The least lightness difference among the first three colours: three bars (the jump rules) have no dash or
     * marker to help, so they need some lightness difference too, half the step of the first pair.
     */
    private static final double MIN_LIGHTNESS_STEP_FIRST_THREE = 10;

    /**
     * Contrast ratio against the white background, (L1 + 0.05) / (L2 + 0.05) of relative luminances: WCAG 2.1 asks 3:1
     * for the graphical objects one needs to read a figure (success criterion 1.4.11); a projector in a lit hall
     * lowers every contrast, and lines lighter than that fade first.
     */
    private static final double MIN_CONTRAST_ON_WHITE = 3;

    /**
     * Dichromat simulation of Machado, Oliveira and Fernandes (2009), severity 1, on linear RGB: rows give the linear
     * R, G, B a protanope (first) or deuteranope (second) sees.
     */
    private static final double[][] PROTANOPIA = {{0.152286, 1.052583, -0.204868}, {0.114503, 0.786281, 0.099216},
        {-0.003882, -0.048116, 1.051998}};
    private static final double[][] DEUTERANOPIA = {{0.367322, 0.860646, -0.227968}, {0.280085, 0.672501, 0.047413},
        {-0.011820, 0.042940, 0.968881}};

    @Test
    void firstColoursStayApartForProtanopesAndDeuteranopes() {
        for (double[][] vision : List.of(PROTANOPIA, DEUTERANOPIA)) {
            String which = vision == PROTANOPIA ? "protanopia" : "deuteranopia";
            for (int i = 0; i < TOLD_APART; i++) {
                for (int j = i + 1; j < TOLD_APART; j++) {
                    double d = distance(lab(seen(Colors.PALETTE[i], vision)), lab(seen(Colors.PALETTE[j], vision)));
                    assertTrue(d >= MIN_DICHROMAT_DISTANCE, which + ": palette colours " + i + " (" + Colors.PALETTE[i]
                            + ") and " + j + " (" + Colors.PALETTE[j] + ") are " + d + " apart in CIELAB");
                }
            }
        }
    }

    @Test
    void firstColoursStayApartInGreyscale() {
        double l0 = lightness(Colors.PALETTE[0]), l1 = lightness(Colors.PALETTE[1]);
        assertTrue(Math.abs(l0 - l1) >= MIN_LIGHTNESS_STEP_FIRST_PAIR, "L* " + l0 + " and " + l1);
        for (int i = 0; i < 3; i++) {
            for (int j = i + 1; j < 3; j++) {
                double a = lightness(Colors.PALETTE[i]), b = lightness(Colors.PALETTE[j]);
                assertTrue(Math.abs(a - b) >= MIN_LIGHTNESS_STEP_FIRST_THREE, "colours " + i + " and " + j + ": L* " + a
                        + " and " + b);
            }
        }
    }

    @Test
    void everyColourStandsOutOnWhite() {
        for (String c : Colors.PALETTE) {
            double contrast = 1.05 / (luminance(linear(c)) + 0.05);
            assertTrue(contrast >= MIN_CONTRAST_ON_WHITE, c + " has contrast " + contrast + ":1 on white");
        }
    }

    /**
     * Where colour fails (greyscale, colour blindness) the first traces of a panel still differ by their line's dash
     * and their markers' symbol, in the Plotly JSON and in the PNG; a dash or colour set by the caller wins.
     */
    @Test
    void defaultTracesDifferInDashAndSymbolInBothOutputs() {
        double[] x = {1, 2, 3};
        Figure f = Figure.of();
        for (int k = 0; k < TOLD_APART; k++) f = f.add(Trace.line(x, new double[] {k, k + 1, k}).markers().name("s" + k));
        f = f.add(Trace.line(x, x).dash("dot").name("set"));
        JsonArray data = JsonParser.parseString(f.toJson()).getAsJsonObject().getAsJsonArray("data");
        List<String> dashes = new ArrayList<>(), symbols = new ArrayList<>();
        for (int k = 0; k < TOLD_APART; k++) {
            JsonObject t = data.get(k).getAsJsonObject();
            dashes.add(t.getAsJsonObject("line").get("dash").getAsString());
            symbols.add(t.getAsJsonObject("marker").get("symbol").getAsString());
        }
        assertEquals(List.of("solid", "dash", "dot", "dashdot"), dashes);
        assertEquals(List.of("circle", "square", "diamond", "triangle-up"), symbols);
        assertEquals("dot", data.get(TOLD_APART).getAsJsonObject().getAsJsonObject("line").get("dash").getAsString());
        // the PNG draws the same patterns: the second trace's stroke is dashed, the first one's is not
        Trace plain = Trace.line(x, x);
        assertEquals(null, PngRenderer.stroke(plain, 0).getDashArray());
        assertNotEquals(null, PngRenderer.stroke(plain, 1).getDashArray());
        assertEquals(null, PngRenderer.stroke(plain.dash("solid"), 1).getDashArray());
        assertNotEquals(PngRenderer.marker(0), PngRenderer.marker(1));
    }

    private static double[] seen(String css, double[][] m) {
        double[] l = linear(css), r = new double[3];
        for (int i = 0; i < 3; i++) {
            r[i] = Math.min(1, Math.max(0, m[i][0] * l[0] + m[i][1] * l[1] + m[i][2] * l[2]));
        }
        return r;
    }

    private static double lightness(String css) {
        return lab(linear(css))[0];
    }

    /** sRGB to linear RGB (IEC 61966-2-1). */
    private static double[] linear(String css) {
        Color c = Color.decode(css);
        double[] v = {c.getRed() / 255.0, c.getGreen() / 255.0, c.getBlue() / 255.0};
        for (int i = 0; i < 3; i++) v[i] = v[i] <= 0.04045 ? v[i] / 12.92 : Math.pow((v[i] + 0.055) / 1.055, 2.4);
        return v;
    }

    private static double luminance(double[] l) {
        return 0.2126 * l[0] + 0.7152 * l[1] + 0.0722 * l[2];
    }

    /** Linear sRGB to CIELAB, D65 white. */
    private static double[] lab(double[] l) {
        double x = (0.4124 * l[0] + 0.3576 * l[1] + 0.1805 * l[2]) / 0.95047;
        double y = luminance(l);
        double z = (0.0193 * l[0] + 0.1192 * l[1] + 0.9505 * l[2]) / 1.08883;
        double fx = f(x), fy = f(y), fz = f(z);
        return new double[] {116 * fy - 16, 500 * (fx - fy), 200 * (fy - fz)};
    }

    private static double f(double t) {
        return t > 216.0 / 24389 ? Math.cbrt(t) : (24389.0 / 27 * t + 16) / 116;
    }

    private static double distance(double[] a, double[] b) {
        return Math.sqrt((a[0] - b[0]) * (a[0] - b[0]) + (a[1] - b[1]) * (a[1] - b[1]) + (a[2] - b[2]) * (a[2] - b[2]));
    }
}
