package tpdiff4j.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The code cells of a notebook file for {@code %load}, and damaged files named by file, cell and field. */
class LoadedNotebookTest {

    private static String notebook(String... cells) {
        return "{\"nbformat\": 4, \"nbformat_minor\": 5, \"metadata\": {}, \"cells\": [" + String.join(",", cells) + "]}";
    }

    private static final String CODE = "{\"cell_type\": \"code\", \"source\": [\"int a = 1;\\n\", \"int b = 2;\"],"
            + " \"metadata\": {}, \"outputs\": []}";

    @Test
    void codeCellsComeInOrderJoinedFromTheirLines() {
        List<String> cells = LoadedNotebook.codeCells(notebook("{\"cell_type\": \"markdown\", \"source\": \"# x\"}", CODE,
                "{\"cell_type\": \"code\", \"source\": \"int c = 3;\"}", "{\"cell_type\": \"code\", \"source\": []}",
                "{\"cell_type\": \"code\"}"), "nb.ipynb");
        assertEquals(List.of("int a = 1;\nint b = 2;", "int c = 3;"), cells);
    }

    @Test
    void aDamagedCellIsNamedByFileCellAndFieldBeforeAnyCellIsReturned() {
        String[][] damaged = {
            {"7", "cell 2 of 2 is 7; allowed: an object with \"cell_type\" and \"source\""},
            {"{\"source\": \"int x;\"}", "cell 2 of 2: \"cell_type\" = null; allowed: \"code\", \"markdown\" or \"raw\""},
            {"{\"cell_type\": 3, \"source\": \"int x;\"}", "cell 2 of 2: \"cell_type\" = 3; allowed:"},
            {"{\"cell_type\": \"code\", \"source\": null}", "cell 2 of 2: \"source\" = null; allowed: a string or a list of strings"},
            {"{\"cell_type\": \"code\", \"source\": {\"a\": 1}}", "cell 2 of 2: \"source\" = {\"a\":1}; allowed:"},
            {"{\"cell_type\": \"code\", \"source\": [\"int x;\", 5]}", "cell 2 of 2: \"source\" holds 5; allowed:"},
            {"{\"cell_type\": \"code\", \"source\": [\"int x;\", [\"y\"]]}", "cell 2 of 2: \"source\" holds [\"y\"]; allowed:"},
        };
        for (String[] d : damaged) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> LoadedNotebook.codeCells(notebook(CODE, d[0]), "/data/shared.ipynb"), d[0]);
            assertTrue(e.getMessage().startsWith("%load /data/shared.ipynb: " + d[1])
                    && e.getMessage().endsWith("(the file is damaged; no cell was run)"), e.getMessage());
        }
    }

    @Test
    void aLongValueIsQuotedInPart() {
        String longText = "x".repeat(5000);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> LoadedNotebook.codeCells(notebook("{\"cell_type\": \"code\", \"source\": {\"k\": \"" + longText + "\"}}"),
                        "nb.ipynb"));
        assertTrue(e.getMessage().contains("... (5008 characters)") && e.getMessage().length() < 300, e.getMessage());
    }
}
