package tpdiff4j.kernel;

import java.util.ArrayList;
import java.util.List;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;

/** The code cells of a Jupyter notebook file (nbformat 4), for {@code %load notebook.ipynb}. */
final class LoadedNotebook {

    private LoadedNotebook() {
    }

    /**
     * @param json the notebook file's text
     * @param name the file, for error messages
     * @return the source of every non-blank code cell, in order; markdown and raw cells are skipped
     */
    static List<String> codeCells(String json, String name) {
        JsonObject nb;
        try {
            nb = JsonParser.parseString(json).getAsJsonObject();
        } catch (JsonParseException | IllegalStateException e) {
            throw new IllegalArgumentException("%load " + name + ": not a notebook (not a JSON object: "
                    + e.getMessage() + ")", e);
        }
        if (!nb.has("cells") || !nb.get("cells").isJsonArray()) {
            throw new IllegalArgumentException("%load " + name + ": no \"cells\" list; only nbformat 4 notebooks "
                    + "are read (re-save it with Jupyter)");
        }
        List<String> out = new ArrayList<>();
        for (JsonElement c : nb.getAsJsonArray("cells")) {
            JsonObject cell = c.getAsJsonObject();
            if (!"code".equals(cell.has("cell_type") ? cell.get("cell_type").getAsString() : "")) {
                continue;
            }
            JsonElement src = cell.get("source");
            String text;
            if (src == null) {
                text = "";
            } else if (src.isJsonArray()) {
                StringBuilder sb = new StringBuilder();
                for (JsonElement line : (JsonArray) src) {
                    sb.append(line.getAsString());
                }
                text = sb.toString();
            } else {
                text = src.getAsString();
            }
            if (!text.isBlank()) {
                out.add(text);
            }
        }
        return out;
    }
}
