package tpdiff4j.viz;

import java.awt.Color;
import java.util.Locale;
import java.util.Map;

/**
 * Colours and line styles shared by the Plotly JSON and the XChart PNG, so both show a trace alike: a palette for
 * traces, read in simulated colour-blind vision, in greyscale and on a projector (see {@link #PALETTE}), a dash
 * pattern and a marker symbol per palette slot, and Viridis for heatmaps.
 */
final class Colors {

    /**
     * The trace colours, in the order traces take them. Chosen so that a figure shown to colour-blind students, printed
     * in greyscale or projected in a bright hall still tells its traces apart: every colour has at least 3:1 contrast
     * against the white background (thin lines of lighter colours fade on a projector); the first four (the most
     * traces the notebooks tell apart by colour: four pyramid stages) differ clearly also in simulated deuteranopia
     * and protanopia; the first two (vanilla against TPDiff) differ in lightness, so they stay apart in greyscale.
     * Lines also take the slot's dash ({@link #DASHES}) and markers its symbol ({@link #SYMBOLS}), which carry the
     * difference where colour cannot. Dark blue, vermillion, violet, teal, wine, ochre, mid blue, dark brown.
     */
    static final String[] PALETTE = {"#004488", "#d55e00", "#7733ee", "#228877", "#aa3377", "#886600", "#0077aa",
        "#661100"};

    /** The dash of a line in palette slot {@code k} unless it sets one: Plotly's names, drawn alike in the PNG. */
    static final String[] DASHES = {"solid", "dash", "dot", "dashdot"};

    /** The marker symbol in palette slot {@code k}: Plotly's names, drawn alike in the PNG. */
    static final String[] SYMBOLS = {"circle", "square", "diamond", "triangle-up"};

    private static final Map<String, String> NAMED = Map.ofEntries(
            Map.entry("black", "#000000"), Map.entry("white", "#ffffff"), Map.entry("red", "#ff0000"),
            Map.entry("green", "#008000"), Map.entry("blue", "#0000ff"), Map.entry("orange", "#ffa500"),
            Map.entry("purple", "#800080"), Map.entry("gray", "#808080"), Map.entry("grey", "#808080"),
            Map.entry("lightgray", "#d3d3d3"), Map.entry("lightgrey", "#d3d3d3"), Map.entry("brown", "#a52a2a"),
            Map.entry("teal", "#008080"), Map.entry("magenta", "#ff00ff"), Map.entry("cyan", "#00ffff"));

    /** Viridis at 0, 1/8, ..., 1 (matplotlib's table, sampled). */
    private static final int[] VIRIDIS = {0x440154, 0x472d7b, 0x3b528b, 0x2c728e, 0x21918c, 0x28ae80,
        0x5ec962, 0xaddc30, 0xfde725};

    private Colors() {}

    /**
     * @return {@code css} unchanged when both outputs draw it: {@code null} (the palette), {@code #rgb},
     *     {@code #rrggbb} or one of the {@link #NAMED} colours, in any letter case
     * @throws IllegalArgumentException otherwise: plotly.js would replace an unknown colour by its default and the PNG
     *     by the palette, so the trace would not have the colour asked for, and a CSS colour such as {@code rgb(...)}
     *     or {@code darkorange} would differ between the page and its PNG
     */
    static String check(String css) {
        if (css == null) return null;
        String c = css.trim().toLowerCase(Locale.ROOT);
        if (c.matches("#[0-9a-f]{3}|#[0-9a-f]{6}") || NAMED.containsKey(c)) return css;
        throw new IllegalArgumentException("color \"" + css + "\" is not a colour both the page and the PNG draw; allowed: "
                + "#rgb, #rrggbb (such as #1f77b4) or one of " + String.join(", ", new java.util.TreeSet<>(NAMED.keySet())));
    }

    /** @return {@code dash} if set, else the dash of palette slot {@code k} */
    static String dash(String dash, int k) {
        return dash != null ? dash : DASHES[k % DASHES.length];
    }

    /** @return the marker symbol of palette slot {@code k} */
    static String symbol(int k) {
        return SYMBOLS[k % SYMBOLS.length];
    }

    /** @return {@code css} if set, else the palette colour of trace index {@code k} */
    static String css(String css, int k) {
        return css != null ? css : PALETTE[k % PALETTE.length];
    }

    /** @return the AWT colour of a {@code #rgb}/{@code #rrggbb} or simple named CSS colour; the palette otherwise */
    static Color awt(String css, int k) {
        String c = css(css, k).trim().toLowerCase(Locale.ROOT);
        c = NAMED.getOrDefault(c, c);
        try {
            if (c.matches("#[0-9a-f]{3}")) {
                return new Color(Integer.parseInt("" + c.charAt(1) + c.charAt(1) + c.charAt(2) + c.charAt(2)
                        + c.charAt(3) + c.charAt(3), 16));
            }
            if (c.matches("#[0-9a-f]{6}")) return new Color(Integer.parseInt(c.substring(1), 16));
        } catch (NumberFormatException ignored) {
            // fall through to the palette
        }
        return Color.decode(PALETTE[k % PALETTE.length]);
    }

    /** @return Viridis at {@code u} in [0, 1] (clamped), linear between the table's entries, as 0xRRGGBB */
    static int viridis(double u) {
        double s = Math.min(1, Math.max(0, Double.isNaN(u) ? 0 : u)) * (VIRIDIS.length - 1);
        int i = Math.min((int) s, VIRIDIS.length - 2);
        double f = s - i;
        int a = VIRIDIS[i], b = VIRIDIS[i + 1];
        int r = (int) Math.round(((a >> 16) & 255) * (1 - f) + ((b >> 16) & 255) * f);
        int g = (int) Math.round(((a >> 8) & 255) * (1 - f) + ((b >> 8) & 255) * f);
        int bl = (int) Math.round((a & 255) * (1 - f) + (b & 255) * f);
        return (r << 16) | (g << 8) | bl;
    }
}
