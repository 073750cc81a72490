package tpdiff4j.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.google.gson.JsonObject;
import org.dflib.jjava.jupyter.kernel.display.DisplayData;
import org.dflib.jjava.jupyter.kernel.display.mime.MIMEType;
import org.dflib.jjava.jupyter.kernel.history.HistoryEntry;
import org.dflib.jjava.jupyter.kernel.history.HistoryManager.ResultFlag;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import tpdiff4j.viz.Displayable;

/** MIME bundles (JSON as objects), knobs, history, tracebacks. */
class BundlesAndKnobsTest {

    @AfterEach
    void clearKnobs() {
        System.clearProperty("TPDIFF4J_T1");
    }

    @Test
    void jsonMimeTypesBecomeJsonObjectsAndTextStaysText() {
        Map<String, String> b = new LinkedHashMap<>();
        b.put("application/vnd.plotly.v1+json", "{\"data\": [{\"y\": [1, 2]}]}");
        b.put("application/json", "{\"k\": 3}");
        b.put("text/html", "<div>fig</div>");
        b.put("text/plain", "fig");
        DisplayData d = MimeBundles.of((Displayable) () -> b);
        JsonObject plotly = (JsonObject) d.getData(MIMEType.parse("application/vnd.plotly.v1+json"));
        assertEquals(2, plotly.getAsJsonArray("data").get(0).getAsJsonObject().getAsJsonArray("y").get(1).getAsInt());
        assertInstanceOf(JsonObject.class, d.getData(MIMEType.parse("application/json")));
        assertEquals("<div>fig</div>", d.getData(MIMEType.TEXT_HTML));
        assertEquals("fig", d.getData(MIMEType.TEXT_PLAIN));
    }

    @Test
    void badBundlesAreRejectedWithTheMimeType() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> MimeBundles.of((Displayable) () -> Map.of("application/json", "{not json", "text/plain", "x")));
        assertTrue(e.getMessage().contains("application/json"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> MimeBundles.of((Displayable) Map::of));
        DisplayData noPlain = MimeBundles.of((Displayable) () -> Map.of("text/html", "<b>x</b>"));
        assertTrue(noPlain.hasDataForType(MIMEType.TEXT_PLAIN), "text/plain is added when missing");
    }

    @Test
    void plainValuesAndArrays() {
        assertEquals("[1, 2]", MimeBundles.of(new int[]{1, 2}).getData(MIMEType.TEXT_PLAIN));
        assertEquals("[[1.0], [2.0]]", MimeBundles.of(new double[][]{{1}, {2}}).getData(MIMEType.TEXT_PLAIN));
        assertEquals("[a, b]", MimeBundles.of(List.of("a", "b")).getData(MIMEType.TEXT_PLAIN));
        assertTrue(MimeBundles.isJson("application/vnd.plotly.v1+json"));
        assertFalse(MimeBundles.isJson("text/html"));
    }

    /** A knob that picks one of a few names (a model preset) refuses any other, naming the knob. */
    @Test
    void aChoiceKnobNamesTheVariableItsValueAndTheAllowedValues() {
        List<String> presets = tpdiff4j.nn.ModelConfig.PRESETS;
        assertEquals("attention", Knobs.choice("TPDIFF4J_T1", "attention", presets), "unset: the fallback");
        Knobs.set("TPDIFF4J_T1", " small ");
        assertEquals("small", Knobs.choice("TPDIFF4J_T1", "attention", presets));
        Knobs.set("TPDIFF4J_T1", "foo");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Knobs.choice("TPDIFF4J_T1", "attention", presets));
        assertEquals("TPDIFF4J_T1 = foo; allowed: tiny, small, attention", e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> Knobs.checkChoice("TPDIFF4J_MODEL", "Tiny", presets));
        assertEquals("TPDIFF4J_MODEL = Tiny; allowed: tiny, small, attention", e.getMessage());
        assertEquals("tiny", Knobs.checkChoice("TPDIFF4J_MODEL", "tiny", presets));
        e = assertThrows(IllegalArgumentException.class, () -> Knobs.checkChoice("TPDIFF4J_MODEL", "tiny", List.of()));
        assertTrue(e.getMessage().startsWith("allowed = []; allowed: "), e.getMessage());
    }

    @Test
    void knobsReadPropertiesBeforeTheEnvironment() {
        assertEquals(null, Knobs.get("TPDIFF4J_T1"));
        assertEquals(5, Knobs.intValue("TPDIFF4J_T1", 5));
        Knobs.set("TPDIFF4J_T1", "12");
        assertEquals(12, Knobs.intValue("TPDIFF4J_T1", 5));
        assertTrue(Knobs.all().containsKey("TPDIFF4J_T1"));
        Knobs.set("TPDIFF4J_T1", "yes");
        assertTrue(Knobs.flag("TPDIFF4J_T1"));
        Knobs.set("TPDIFF4J_T1", " Off ");
        assertFalse(Knobs.flag("TPDIFF4J_T1"));
        Knobs.set("TPDIFF4J_T1", "y");
        IllegalArgumentException typo = assertThrows(IllegalArgumentException.class, () -> Knobs.flag("TPDIFF4J_T1"));
        assertEquals("TPDIFF4J_T1 = 'y'; allowed: 1, true, yes or on to turn it on; 0, false, no, off or unset to turn "
                + "it off", typo.getMessage());
        Knobs.set("TPDIFF4J_T1", "yes");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Knobs.intValue("TPDIFF4J_T1", 5));
        assertEquals("TPDIFF4J_T1 = 'yes'; allowed: a whole number, e.g. 5", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Knobs.get("bad name"));
        assertTrue(e.getMessage().startsWith("knob name = 'bad name'; allowed: letters"), e.getMessage());
        String path = System.getenv("PATH");
        if (path != null) {
            assertEquals(path, Knobs.get("PATH"), "falls back to the environment");
        }
    }

    @Test
    void historyTailRangeAndSearch() {
        CellHistory h = new CellHistory();
        h.add(1, "int a = 1;", null);
        h.add(2, "a + 1", "2");
        h.add(3, "a + 1", "2");
        h.add(4, "b", "err");
        List<HistoryEntry> tail = h.lookupTail(2, Set.of());
        assertEquals(List.of(3, 4), tail.stream().map(HistoryEntry::getCellNumber).toList());
        assertFalse(tail.get(0).hasOutput());
        assertEquals("2", h.lookupTail(1, Set.of(ResultFlag.INCLUDE_OUTPUT)).get(0).getOutput().replace("err", "2"));
        assertEquals(List.of(2, 3), h.lookupRange(CellHistory.SESSION, 2, 4, Set.of()).stream()
                .map(HistoryEntry::getCellNumber).toList());
        assertEquals(List.of(3, 4), h.lookupRange(0, 3, 0, Set.of()).stream().map(HistoryEntry::getCellNumber).toList(),
                "stop 0 (a request's null or missing stop) runs to the last cell");
        assertEquals(2, h.search("a + *", 0, Set.of()).size());
        assertEquals(1, h.search("a + *", 0, Set.of(ResultFlag.UNIQUE)).size());
        assertEquals(List.of(4), h.search("*", 1, Set.of()).stream().map(HistoryEntry::getCellNumber).toList());
    }

    @Test
    void aDeepRecursionShowsItsFrameOnceWithACount() {
        StackOverflowError e = new StackOverflowError();
        StackTraceElement[] st = new StackTraceElement[1002];
        for (int i = 0; i < 1000; i++) {
            st[i] = new StackTraceElement("REPL.$JShell$15", "rec", "#15", 1);
        }
        st[1000] = new StackTraceElement("REPL.$JShell$16", "do_it$", "#16", 1);
        st[1001] = new StackTraceElement("REPL.$JShell$16", "do_it$", "#16", 1);
        e.setStackTrace(st);
        // the statement's own frame twice is JShell's wrapper, not a recursion: shown once, without a count
        assertEquals(List.of("    at rec(...), declared in a cell", "    ... the same frame 999 more times",
                "    at the cell's code"), ErrorReport.traceback(e).subList(1, 4));
        assertEquals(4, ErrorReport.traceback(e).size());

        // a magic's error: only kernel frames and the cell thread's Thread.run, so no "library frames" heading
        IllegalArgumentException magic = new IllegalArgumentException("%load x: not a file");
        magic.setStackTrace(new StackTraceElement[] {new StackTraceElement("tpdiff4j.kernel.Magics", "load", null, 1),
                new StackTraceElement("java.lang.Thread", "run", null, 840)});
        assertEquals(1, ErrorReport.traceback(magic).size(), String.join("\n", ErrorReport.traceback(magic)));
    }

    @Test
    void tracebackShowsCellFramesAndTrimsPlumbing() {
        RuntimeException e = new IllegalArgumentException("steps = -1; allowed: steps >= 1");
        StackTraceElement[] st = new StackTraceElement[12];
        for (int i = 0; i < 8; i++) {
            st[i] = new StackTraceElement("tpdiff4j.ode.Lib" + i, "m", "Lib.java", 10 + i);
        }
        st[8] = new StackTraceElement("jdk.internal.reflect.NativeMethodAccessorImpl", "invoke0", null, -2);
        st[9] = new StackTraceElement("REPL.$JShell$12", "check", "#12", 3);
        st[10] = new StackTraceElement("REPL.$JShell$13", "do_it$", "#13", 5);
        st[11] = new StackTraceElement("jdk.jshell.execution.DirectExecutionControl", "invoke", null, 1);
        e.setStackTrace(st);
        List<String> tb = ErrorReport.traceback(e);
        assertTrue(tb.get(0).contains("IllegalArgumentException: steps = -1; allowed: steps >= 1"), tb.get(0));
        assertEquals("    at check(...), declared in a cell", tb.get(1));
        assertEquals("    at the cell's code", tb.get(2));
        String all = String.join("\n", tb);
        assertTrue(all.contains("tpdiff4j.ode.Lib0.m"), all);
        assertTrue(all.contains("... 2 more library frames"), all);

        CellEvaluator.Stop stop = new CellEvaluator.Stop(e, "line 2 of the cell: check(-1);",
                new CellEvaluator.Skipped(1, 3, 3, false, ""));
        List<String> located = ErrorReport.traceback(e, stop);
        assertEquals("    at check(...), declared in a cell", located.get(1));
        assertEquals("    at line 2 of the cell: check(-1);", located.get(2));
        assertEquals("  the cell stopped there: the statement after it (line 3) did not run", located.get(located.size() - 1));
        // no frame of the cell's own code (the exception came from elsewhere): the line goes under the headline
        RuntimeException bare = new IllegalStateException("x");
        bare.setStackTrace(new StackTraceElement[] {new StackTraceElement("tpdiff4j.ode.Lib", "m", "Lib.java", 1)});
        List<String> under = ErrorReport.traceback(bare, new CellEvaluator.Stop(bare, "line 1 of the cell: go();",
                new CellEvaluator.Skipped(0, -1, -1, false, "")));
        assertEquals("    at line 1 of the cell: go();", under.get(1));
        assertTrue(under.get(under.size() - 1).contains("tpdiff4j.ode.Lib.m"), String.join("\n", under));
    }

    @Test
    @SuppressWarnings("removal") // ThreadDeath: what a stopped thread dies of
    void threadsACellStartedReportTheirFailureLikeACell() {
        RuntimeException e = new RuntimeException("bg failure");
        e.setStackTrace(new StackTraceElement[] {
                new StackTraceElement("REPL.$JShell$30", "lambda$helper$2", "#30", 4),
                new StackTraceElement("REPL.$JShell$21", "lambda$do_it$$0", "#21", 5),
                new StackTraceElement("java.lang.Thread", "run", "Thread.java", 840)});
        java.io.ByteArrayOutputStream buf = new java.io.ByteArrayOutputStream();
        java.io.PrintStream err = new java.io.PrintStream(buf, true, java.nio.charset.StandardCharsets.UTF_8);
        Thread worker = new Thread(() -> { }, "worker");
        ErrorReport.uncaught(worker, e, err);
        String out = buf.toString(java.nio.charset.StandardCharsets.UTF_8);
        assertTrue(out.startsWith("Exception in thread \"worker\", which a cell started:\n"), out);
        assertTrue(out.contains("RuntimeException: bg failure"), out);
        assertTrue(out.contains("    at a lambda in helper(...), declared in a cell\n    at a lambda in the cell's code\n"), out);
        assertFalse(out.contains("REPL."), out);

        buf.reset();
        RuntimeException plain = new IllegalStateException("kernel side");
        plain.setStackTrace(new StackTraceElement[] {new StackTraceElement("tpdiff4j.kernel.X", "m", "X.java", 1)});
        ErrorReport.uncaught(worker, plain, err);
        String jvm = buf.toString(java.nio.charset.StandardCharsets.UTF_8);
        assertTrue(jvm.startsWith("Exception in thread \"worker\" java.lang.IllegalStateException: kernel side"), jvm);
        assertTrue(jvm.contains("at tpdiff4j.kernel.X.m(X.java:1)"), jvm);

        buf.reset();
        ErrorReport.uncaught(worker, new ThreadDeath(), err);
        assertEquals(0, buf.size());
    }
}
