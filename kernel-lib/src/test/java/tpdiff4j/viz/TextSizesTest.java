package tpdiff4j.viz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.awt.image.BufferedImage;
import org.junit.jupiter.api.Test;

/**
 * Figures are projected in lecture halls and printed in handouts: their text must not be smaller than the notebook's
 * prose (14 px), where plotly.js's default is 12 px. The page and the PNG use the same sizes ({@link TextSizes}).
 */
class TextSizesTest {

    /** Jupyter's prose size: the smallest text a reader of the notebook is assumed to read. */
    private static final int PROSE_PX = 14;

    /**
     * Capital letters of a sans-serif font are about 0.72 of its size (DejaVu Sans 0.73, Liberation Sans 0.72); 0.65
     * leaves room for another font and for anti-aliased edges counted as background.
     */
    private static final double CAP_HEIGHT_PER_PX = 0.65;

    @Test
    void thePlotlyFigureSetsEveryTextSize() {
        assertTrue(TextSizes.TEXT_PX >= PROSE_PX && TextSizes.TITLE_PX > TextSizes.TEXT_PX
                && TextSizes.FIGURE_TITLE_PX > TextSizes.TITLE_PX);
        Figure panel = Figure.line(new double[] {1, 2}, new double[] {1, 2}).xTitle("t").yTitle("loss").title("a");
        JsonObject layout = layout(panel.title("figure"));
        assertEquals(TextSizes.TEXT_PX, layout.getAsJsonObject("font").get("size").getAsInt(), "ticks and legend");
        assertEquals(TextSizes.FIGURE_TITLE_PX, layout.getAsJsonObject("title").getAsJsonObject("font").get("size").getAsInt());
        for (String axis : new String[] {"xaxis", "yaxis"}) {
            assertEquals(TextSizes.TITLE_PX, layout.getAsJsonObject(axis).getAsJsonObject("title").getAsJsonObject("font")
                    .get("size").getAsInt(), axis);
        }
        JsonObject grid = layout(Figure.grid(2, panel, panel.title("b")));
        assertEquals(TextSizes.TITLE_PX, grid.getAsJsonArray("annotations").get(0).getAsJsonObject().getAsJsonObject("font")
                .get("size").getAsInt(), "panel titles");
    }

    @Test
    void thePngFigureTitleHasTheSameSize() {
        BufferedImage img = PngRenderer.render(Figure.line(new double[] {1, 2}, new double[] {1, 2}).title("HHHH")
                .legend(false));
        int first = -1, last = -1;
        for (int y = 0; y < TextSizes.FIGURE_TITLE_PX + 16; y++) {
            for (int x = 0; x < img.getWidth(); x++) {
                int rgb = img.getRGB(x, y);
                if (((rgb >> 16) & 255) + ((rgb >> 8) & 255) + (rgb & 255) < 3 * 128) {
                    if (first < 0) first = y;
                    last = y;
                }
            }
        }
        int capHeight = last - first + 1;
        assertTrue(first >= 0 && capHeight >= CAP_HEIGHT_PER_PX * TextSizes.FIGURE_TITLE_PX,
                "the title's capitals are " + capHeight + " px high");
    }

    private static JsonObject layout(Figure f) {
        return JsonParser.parseString(f.toJson()).getAsJsonObject().getAsJsonObject("layout");
    }
}
