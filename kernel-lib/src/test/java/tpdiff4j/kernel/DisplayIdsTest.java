package tpdiff4j.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** A cell's last line {@code display(x)} shows no display id as the cell's value; a last line naming an id does. */
class DisplayIdsTest {

    @Test
    void anIdReturnedInTheCellIsHiddenAsTheValueOfACallButShownAsTheValueOfAName() {
        DisplayIds ids = new DisplayIds();
        ids.cellStarts();
        String id = new String("5b1e0c2a-0000-4000-8000-000000000001");
        ids.returned(id);
        assertNull(ids.shown(id, "display(figure)"), "display(x) as the last line");
        assertNull(ids.shown(id, "  show(figure)  // a method of the cell's that calls display"), "any call");
        assertNull(ids.shown(id, "(display(\"a\"))"), "in parentheses");
        assertSame(id, ids.shown(id, "id"), "the variable that holds it");
        assertSame(id, ids.shown(id, "run.ids[0] // the first one"), "a field's array element");
        assertSame(id, ids.shown(id, "(id)"), "in parentheses");
        assertSame(id, ids.shown(id, null), "where the expression is unknown, the value stays");
        String sameText = new String(id);
        assertSame(sameText, ids.shown(sameText, "id.toString().strip()"), "another string of the same text is shown");
        assertEquals(42, ids.shown(42, "display(42).length()"), "not a string: shown");
    }

    @Test
    void idsAreForgottenWhenTheCellEndsAndOnlyThoseOfARunningCellAreKept() {
        DisplayIds ids = new DisplayIds();
        String between = new String("between cells");
        ids.returned(between); // a thread a cell started, while no cell runs
        ids.cellStarts();
        assertSame(between, ids.shown(between, "display(x)"));
        String id = new String("in the cell");
        ids.returned(id);
        assertNull(ids.shown(id, "display(x)"));
        ids.cellEnded();
        ids.cellStarts();
        assertSame(id, ids.shown(id, "ids.get(0)"), "an earlier cell's id, shown again from a list, is a value");
    }

    @Test
    void everyIdOfTheSessionIsKnownForUpdatesAndNoOtherString() {
        DisplayIds ids = new DisplayIds();
        ids.returned("from a thread between cells");
        ids.cellStarts();
        ids.returned("in a cell");
        ids.cellEnded();
        ids.cellStarts();
        assertTrue(ids.known("from a thread between cells"));
        assertTrue(ids.known(new String("in a cell")), "by text: an id read back from a list or a record");
        assertFalse(ids.known("fig"), "a name that display never returned");
    }

    @Test
    void nameRecognisesVariablesFieldsAndArrayElementsOnly() {
        for (String name : new String[]{"id", "$x", "run.id", "a . b", "ids[0]", "ids[i + 1]", "((id))",
                "id /* the display */", "grid[1][2]"}) {
            assertTrue(DisplayIds.isName(name), name);
        }
        for (String call : new String[]{"display(x)", "ids.get(0)", "cond ? a : b", "a + b", "ids[f(1)]",
                "(a) + (b)", "new String(id)", "\"id\"", ""}) {
            assertFalse(DisplayIds.isName(call), call);
        }
    }

    @Test
    void theEvaluatorTellsTheExpressionOfTheCellsValue() throws Exception {
        try (CellEvaluator ev = new CellEvaluator()) {
            ev.run("String shown(Object o) { return \"id-\" + o; }");
            assertEquals("id-3", ev.run("int k = 3;\nshown(k)"));
            assertEquals("shown(k)", ev.valueSource().strip());
            ev.run("String id = shown(4);");
            assertNull(ev.valueSource(), "no value: no expression");
            assertEquals("id-4", ev.run("id  // the id"));
            assertEquals("id  // the id", ev.valueSource().strip());
        }
    }
}
