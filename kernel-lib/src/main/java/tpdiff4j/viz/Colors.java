package tpdiff4j.viz;

import java.awt.Color;
import java.util.Locale;
import java.util.Map;

/**
 * Colours shared by the Plotly JSON and the XChart PNG, so both show a trace in the same colour:
 * the category-10 palette (Plotly's default colourway) for traces and Viridis for heatmaps.
 */
final class Colors {

    /** Plotly's default colourway (D3 category 10). */
    static final String[] PALETTE = {"#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd",
        "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf"};

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
