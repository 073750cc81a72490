package tpdiff4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonElement;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Notebook 05's live progress lines (one per trainer, rewritten with {@code updateDisplay} at every step) are made by
 * the cell that trains, so that they show under it while it runs: made in the cell that builds the trainers, they
 * changed far above the running cell, out of sight.
 */
class NotebookProgressLinesTest {

    @Test
    void theTrainingCellMakesTheProgressLinesItsListenersRewrite() throws IOException {
        String text = Files.readString(Checkout.root().resolve("notebooks/05-train-tpdiff.ipynb"), StandardCharsets.UTF_8);
        List<String> code = new ArrayList<>();
        for (JsonElement c : JsonParser.parseString(text).getAsJsonObject().getAsJsonArray("cells")) {
            if (c.getAsJsonObject().get("cell_type").getAsString().equals("code")) {
                StringBuilder s = new StringBuilder();
                c.getAsJsonObject().getAsJsonArray("source").forEach(l -> s.append(l.getAsString()));
                code.add(s.toString());
            }
        }
        List<String> training = code.stream().filter(s -> s.contains("SideBySide.run(")).toList();
        assertEquals(1, training.size(), "one training cell");
        for (String line : List.of("vanillaLine", "tpdiffLine")) {
            assertTrue(training.get(0).contains(line + " = display("), line + " is made by the training cell");
            assertTrue(code.stream().filter(s -> s.contains(line + " = display(")).count() == 1,
                    line + " is made by no other cell");
            assertTrue(code.stream().anyMatch(s -> s.contains("updateDisplay(" + line)), "a listener rewrites " + line);
        }
    }
}
