package tpdiff4j.kernel;

import java.util.ArrayList;
import java.util.List;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;

import tpdiff4j.Refusals;
import tpdiff4j.schedule.StrictJson;

/** The code cells of a Jupyter notebook file (nbformat 4), for {@code %load notebook.ipynb}. */
final class LoadedNotebook {

    private LoadedNotebook() {
    }

    /**
     * @param json the notebook file's text
     * @param name the file, for error messages
     * @return the source of every non-blank code cell, in order; markdown and raw cells are skipped
     * @throws IllegalArgumentException naming the file, the cell and the field when the file is not a notebook or a
     *                                  cell is damaged, and the file and the place when it is not strict JSON (a
     *                                  duplicate key, text after the notebook); checked for the whole file before any
     *                                  cell is returned, so none runs
     */
    static List<String> codeCells(String json, String name) {
        JsonElement root = parse(json, name);
        if (!root.isJsonObject()) {
            throw new IllegalArgumentException("%load " + name + " = " + excerpt(root) + "; allowed: a notebook (a JSON"
                    + " object; this file holds none)");
        }
        JsonObject nb = root.getAsJsonObject();
        if (!nb.has("cells") || !nb.get("cells").isJsonArray()) {
            throw new IllegalArgumentException("%load " + name + ": \"cells\" = " + (nb.has("cells")
                    ? excerpt(nb.get("cells")) : "missing") + "; allowed: a list of cells; only nbformat 4 notebooks"
                    + " are read (re-save it with Jupyter)");
        }
        List<String> out = new ArrayList<>();
        JsonArray cells = nb.getAsJsonArray("cells");
        for (int i = 0; i < cells.size(); i++) {
            String where = "%load " + name + ": cell " + (i + 1) + " of " + cells.size();
            if (!cells.get(i).isJsonObject()) {
                throw Refusals.refuse(where, excerpt(cells.get(i)),
                        "an object with \"cell_type\" and \"source\" (the file is damaged; no cell was run)");
            }
            JsonObject cell = cells.get(i).getAsJsonObject();
            JsonElement type = cell.get("cell_type");
            if (type == null || !type.isJsonPrimitive() || !type.getAsJsonPrimitive().isString()) {
                throw new IllegalArgumentException(where + ": \"cell_type\" = " + excerpt(type) + "; allowed: \"code\","
                        + " \"markdown\" or \"raw\" (the file is damaged; no cell was run)");
            }
            if (!type.getAsString().equals("code")) {
                continue;
            }
            JsonElement src = cell.get("source");
            StringBuilder text = new StringBuilder();
            if (src != null && src.isJsonArray()) {
                for (JsonElement line : src.getAsJsonArray()) {
                    if (!isString(line)) {
                        throw new IllegalArgumentException(where + ": an entry of \"source\" = " + excerpt(line) + "; allowed:"
                                + " a string, in a list of strings (the file is damaged; no cell was run)");
                    }
                    text.append(line.getAsString());
                }
            } else if (isString(src)) {
                text.append(src.getAsString());
            } else if (src != null) {
                throw new IllegalArgumentException(where + ": \"source\" = " + excerpt(src) + "; allowed: a string or"
                        + " a list of strings (the file is damaged; no cell was run)");
            }
            if (!text.toString().isBlank()) {
                out.add(text.toString());
            }
        }
        return out;
    }

    /**
     * The file's JSON, read strictly: a key twice in one object (two "cells" lists, of which a lenient reader keeps
     * one), text after the notebook, comments, single quotes and unquoted keys are errors that name the file and the
     * place. Only the bare tokens NaN, Infinity and -Infinity, which Python's json module writes into outputs, are
     * accepted.
     */
    private static JsonElement parse(String json, String name) {
        String what = "%load " + name;
        try {
            return StrictJson.parse(json, what);
        } catch (IllegalArgumentException strict) {
            if (json.contains("NaN") || json.contains("Infinity")) {
                try {
                    return StrictJson.parseWithNonFinite(json, what);
                } catch (IllegalArgumentException ignored) {
                    // the strict reader's message says what is wrong
                }
            }
            throw new IllegalArgumentException(strict.getMessage() + " (the file is damaged or not a notebook; no cell"
                    + " was run)", strict);
        }
    }

    private static boolean isString(JsonElement e) {
        return e != null && e.isJsonPrimitive() && e.getAsJsonPrimitive().isString();
    }

    /** A JSON value for a message: at most 60 characters. */
    private static String excerpt(JsonElement e) {
        String s = String.valueOf(e);
        return s.length() <= 60 ? s : s.substring(0, 60) + "... (" + s.length() + " characters)";
    }
}
