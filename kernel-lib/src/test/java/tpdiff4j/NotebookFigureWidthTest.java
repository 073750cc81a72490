package tpdiff4j;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import tpdiff4j.viz.Figure;

/**
 * A figure that a notebook sizes by hand fits the classic Notebook's output area: wider than
 * {@link Figure#NOTEBOOK_WIDTH_PX}, its right edge is cut off in the live notebook with no scroll bar (a grid of
 * three heatmaps at 1100 px lost most of its third panel, the one the prose talks about).
 */
class NotebookFigureWidthTest {

    private static final Pattern SIZE = Pattern.compile("\\.size\\(\\s*(\\d+)\\s*,\\s*(\\d+)\\s*\\)");

    @Test
    void everyFigureSizedInANotebookFitsTheOutputArea() throws IOException {
        List<Path> notebooks;
        try (Stream<Path> s = Files.list(Checkout.root().resolve("notebooks"))) {
            notebooks = s.filter(p -> p.getFileName().toString().endsWith(".ipynb")).sorted().toList();
        }
        List<String> tooWide = new ArrayList<>();
        for (Path nb : notebooks) {
            tooWide.addAll(tooWide(nb.getFileName().toString(), Files.readString(nb, StandardCharsets.UTF_8)));
        }
        assertEquals(List.of(), tooWide, "figures wider than " + Figure.NOTEBOOK_WIDTH_PX + " px lose their right edge"
                + " in a classic notebook; give them at most that width");
    }

    @Test
    void aFigureWiderThanTheOutputAreaIsCaught() {
        String nb = """
                {"cells": [
                  {"cell_type": "code", "metadata": {}, "outputs": [], "execution_count": null,
                   "source": ["Figure.grid(3, a, b, c).size(1100, 400)"]},
                  {"cell_type": "code", "metadata": {}, "outputs": [], "execution_count": null,
                   "source": ["Figure.grid(3, a, b, c).size(960, 360)"]}],
                 "metadata": {}, "nbformat": 4, "nbformat_minor": 5}
                """;
        assertEquals(List.of("x.ipynb cell 0: size(1100, 400)"), tooWide("x.ipynb", nb));
    }

    /** One line per {@code .size(w, h)} in a code cell with {@code w} above {@link Figure#NOTEBOOK_WIDTH_PX}. */
    static List<String> tooWide(String name, String json) {
        JsonArray cells = JsonParser.parseString(json).getAsJsonObject().getAsJsonArray("cells");
        List<String> out = new ArrayList<>();
        for (int i = 0; i < cells.size(); i++) {
            JsonObject cell = cells.get(i).getAsJsonObject();
            if (!"code".equals(cell.get("cell_type").getAsString())) {
                continue;
            }
            StringBuilder source = new StringBuilder();
            if (cell.get("source").isJsonArray()) {
                cell.getAsJsonArray("source").forEach(line -> source.append(line.getAsString()));
            } else {
                source.append(cell.get("source").getAsString());
            }
            Matcher m = SIZE.matcher(source);
            while (m.find()) {
                if (Integer.parseInt(m.group(1)) > Figure.NOTEBOOK_WIDTH_PX) {
                    out.add(name + " cell " + i + ": size(" + m.group(1) + ", " + m.group(2) + ")");
                }
            }
        }
        return out;
    }
}
