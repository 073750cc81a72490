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
            {"7", "cell 2 of 2 = 7; allowed: an object with \"cell_type\" and \"source\""},
            {"{\"source\": \"int x;\"}", "cell 2 of 2: \"cell_type\" = null; allowed: \"code\", \"markdown\" or \"raw\""},
            {"{\"cell_type\": 3, \"source\": \"int x;\"}", "cell 2 of 2: \"cell_type\" = 3; allowed:"},
            {"{\"cell_type\": \"code\", \"source\": null}", "cell 2 of 2: \"source\" = null; allowed: a string or a list of strings"},
            {"{\"cell_type\": \"code\", \"source\": {\"a\": 1}}", "cell 2 of 2: \"source\" = {\"a\":1}; allowed:"},
            {"{\"cell_type\": \"code\", \"source\": [\"int x;\", 5]}", "cell 2 of 2: an entry of \"source\" = 5; allowed: a string, in a list of strings"},
            {"{\"cell_type\": \"code\", \"source\": [\"int x;\", [\"y\"]]}", "cell 2 of 2: an entry of \"source\" = [\"y\"]; allowed:"},
        };
        for (String[] d : damaged) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> LoadedNotebook.codeCells(notebook(CODE, d[0]), "/data/shared.ipynb"), d[0]);
            assertTrue(e.getMessage().startsWith("%load /data/shared.ipynb: " + d[1])
                    && e.getMessage().endsWith("(the file is damaged; no cell was run)"), e.getMessage());
        }
    }

    /**
     * A notebook with two "cells" lists (a bad merge) ran only the last list's cells without a word; a duplicate key
     * anywhere and text after the notebook are refused now, naming the file, the key or the place, and no cell runs.
     */
    @Test
    void duplicateKeysAndTrailingTextAreRefusedByFileAndPlace() {
        String twoLists = "{\"nbformat\": 4, \"cells\": [" + CODE + "], \"metadata\": {}, \"cells\": []}";
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> LoadedNotebook.codeCells(twoLists, "/data/merged.ipynb"));
        assertTrue(e.getMessage().startsWith("%load /data/merged.ipynb: duplicate key 'cells' at ")
                && e.getMessage().endsWith("(the file is damaged or not a notebook; no cell was run)"), e.getMessage());

        String twoSources = notebook("{\"cell_type\": \"code\", \"source\": \"int a;\", \"source\": \"int b;\"}");
        e = assertThrows(IllegalArgumentException.class, () -> LoadedNotebook.codeCells(twoSources, "nb.ipynb"));
        assertTrue(e.getMessage().startsWith("%load nb.ipynb: duplicate key 'source' at ")
                && e.getMessage().contains("cells[0]"), e.getMessage());

        for (String bad : new String[] {notebook(CODE) + " {\"cells\": []}", notebook(CODE) + " garbage",
                notebook(CODE).replace("\"metadata\": {}", "metadata: {}"), "// note\n" + notebook(CODE)}) {
            e = assertThrows(IllegalArgumentException.class, () -> LoadedNotebook.codeCells(bad, "nb.ipynb"), bad);
            assertTrue(e.getMessage().startsWith("%load nb.ipynb is not valid JSON: ")
                    && e.getMessage().endsWith("no cell was run)"), e.getMessage());
        }
        e = assertThrows(IllegalArgumentException.class, () -> LoadedNotebook.codeCells("[1, 2]", "nb.ipynb"));
        assertEquals("%load nb.ipynb = [1,2]; allowed: a notebook (a JSON object; this file holds none)", e.getMessage());
    }

    /** Python's json module writes NaN and Infinity into outputs as bare tokens: such a notebook still loads. */
    @Test
    void bareNonFiniteNumbersInOutputsAreRead() {
        String withNaN = notebook("{\"cell_type\": \"code\", \"source\": \"int c = 3;\", \"metadata\": {},"
                + " \"outputs\": [{\"output_type\": \"execute_result\", \"data\": {\"application/json\":"
                + " {\"x\": [NaN, Infinity, -Infinity]}}, \"metadata\": {}}]}");
        assertEquals(List.of("int c = 3;"), LoadedNotebook.codeCells(withNaN, "nb.ipynb"));
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
