package tpdiff4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The notebooks in {@code notebooks/} are kept without outputs: an executed notebook carries plotly.js (4.8 MB), the
 * figures' images and whatever the machine that ran it printed, and belongs in {@code build/notebooks/}
 * ({@code environment/notebook --execute}), not in the repository. Every code cell has no outputs, no execution
 * count and no run times in its metadata (nbconvert writes them), no cell carries attachments, and each file stays
 * small.
 */
class NotebooksCommittedCleanTest {

    /** The largest committed notebook is about 34 KB of text; outputs or an embedded image would pass this at once. */
    static final long MAX_BYTES = 100_000;

    @TempDir
    Path dir;

    @Test
    void everyCommittedNotebookIsWithoutOutputs() throws IOException {
        Path folder = Checkout.root().resolve("notebooks");
        List<Path> notebooks;
        try (Stream<Path> s = Files.list(folder)) {
            notebooks = s.filter(p -> p.getFileName().toString().endsWith(".ipynb")).sorted().toList();
        }
        assertTrue(notebooks.size() >= 8, "the notebooks 00 to 07 are there: " + notebooks);
        List<String> problems = new ArrayList<>();
        for (Path nb : notebooks) problems.addAll(problems(nb));
        assertEquals(List.of(), problems, "clear them with: jupyter nbconvert --to notebook --inplace "
                + "--ClearOutputPreprocessor.enabled=True --ClearMetadataPreprocessor.enabled=True "
                + "--ClearMetadataPreprocessor.clear_notebook_metadata=False notebooks/NAME.ipynb");
    }

    /** The check itself sees an executed notebook for what it is. */
    @Test
    void anExecutedNotebookIsCaught() throws IOException {
        Path nb = Files.writeString(dir.resolve("run.ipynb"), """
                {"cells": [
                  {"cell_type": "markdown", "metadata": {}, "source": ["x"], "attachments": {"a.png": {"image/png": "AAAA"}}},
                  {"cell_type": "code", "execution_count": 3, "source": ["1 + 1"],
                   "metadata": {"execution": {"iopub.status.idle": "2026-01-01T10:00:00Z"}},
                   "outputs": [{"output_type": "execute_result", "execution_count": 3, "metadata": {},
                                "data": {"text/plain": ["2"]}}]},
                  {"cell_type": "code", "execution_count": null, "metadata": {}, "source": ["2"], "outputs": []}],
                 "metadata": {}, "nbformat": 4, "nbformat_minor": 5}
                """, StandardCharsets.UTF_8);
        List<String> found = problems(nb);
        assertEquals(4, found.size(), found.toString());
        assertTrue(found.get(0).contains("cell 0") && found.get(0).contains("attachments"), found.get(0));
        assertTrue(found.get(1).contains("cell 1") && found.get(1).contains("1 output"), found.get(1));
        assertTrue(found.get(2).contains("cell 1") && found.get(2).contains("execution count 3"), found.get(2));
        assertTrue(found.get(3).contains("cell 1") && found.get(3).contains("times of a run"), found.get(3));
    }

    /**
     * @return one line per cell with outputs, an execution count, run times or attachments, and one for a file over
     *         {@link #MAX_BYTES}
     */
    static List<String> problems(Path notebook) throws IOException {
        String name = notebook.getFileName().toString();
        List<String> problems = new ArrayList<>();
        JsonArray cells = JsonParser.parseString(Files.readString(notebook, StandardCharsets.UTF_8))
                .getAsJsonObject().getAsJsonArray("cells");
        for (int i = 0; i < cells.size(); i++) {
            JsonObject cell = cells.get(i).getAsJsonObject();
            if (cell.has("attachments") && !cell.getAsJsonObject("attachments").isEmpty()) {
                problems.add(name + ", cell " + i + ": attachments " + cell.getAsJsonObject("attachments").keySet());
            }
            if (!"code".equals(cell.get("cell_type").getAsString())) continue;
            JsonArray outputs = cell.has("outputs") ? cell.getAsJsonArray("outputs") : new JsonArray();
            if (!outputs.isEmpty()) {
                problems.add(name + ", cell " + i + ": " + outputs.size() + " output" + (outputs.size() == 1 ? "" : "s"));
            }
            JsonElement count = cell.get("execution_count");
            if (count != null && !count.isJsonNull()) {
                problems.add(name + ", cell " + i + ": execution count " + count);
            }
            if (cell.has("metadata") && cell.getAsJsonObject("metadata").has("execution")) {
                problems.add(name + ", cell " + i + ": the times of a run in its metadata (\"execution\")");
            }
        }
        long bytes = Files.size(notebook);
        if (bytes > MAX_BYTES) problems.add(name + ": " + bytes + " bytes, over " + MAX_BYTES);
        return problems;
    }
}
