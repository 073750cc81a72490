package tpdiff4j.viz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonParser;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The MIME bundle of a figure: short text, offline html, plotly.js inlined exactly once, JSON object. */
class MimeBundleTest {

    private static final String MARKER = "/* plotly.js v4.1.2 test stand-in */";
    private static final Pattern NETWORK = Pattern.compile("(src|href)\\s*=\\s*[\"']?\\s*(https?:)?//",
            Pattern.CASE_INSENSITIVE);

    @TempDir
    Path dir;
    private String saved;

    @BeforeEach
    void fakePlotly() throws Exception {
        saved = System.getProperty(Plotly.PROPERTY);
        Path js = Files.writeString(dir.resolve("plotly.min.js"),
                MARKER + " window.Plotly = {newPlot: function () {}}; var s = '</script>';");
        System.setProperty(Plotly.PROPERTY, js.toString());
        Plotly.reset();
    }

    @AfterEach
    void restore() {
        if (saved == null) System.clearProperty(Plotly.PROPERTY);
        else System.setProperty(Plotly.PROPERTY, saved);
        Plotly.reset();
    }

    private static Figure figure() {
        return Figure.line(new double[] {0, 1, 2}, new double[] {1, 4, 9}).name("square")
                .add(Trace.scatter(new double[] {0, 1}, new double[] {0, 1}).name("pts"),
                        Trace.line(new double[] {0, 2}, new double[] {0, 8}).name("chord"))
                .title("<b>a title with </script> inside</b>");
    }

    private static int count(String haystack, String needle) {
        int n = 0;
        for (int i = haystack.indexOf(needle); i >= 0; i = haystack.indexOf(needle, i + 1)) n++;
        return n;
    }

    @Test
    void plainTextIsShortAndHtmlIsOffline() {
        Map<String, String> b = figure().mimeBundle();
        String text = b.get("text/plain");
        assertTrue(text.length() < 200, text);
        assertTrue(text.startsWith("Figure") && text.contains("3 traces"), text);
        String html = b.get("text/html");
        Matcher m = NETWORK.matcher(html);
        assertFalse(m.find(), () -> "network reference: " + m.group());
        assertTrue(html.contains("window.Plotly.newPlot"));
        assertEquals(2, count(html, "</script>"), "only the two script elements close; the one in the title is escaped");
        assertEquals(2, count(html, "<script"), "the plotly.js inline and the figure's own script");
        assertTrue(JsonParser.parseString(b.get("application/vnd.plotly.v1+json")).getAsJsonObject().has("data"));
        assertEquals("text/html", b.keySet().iterator().next(), "richest type first");
        assertTrue(b.containsKey("image/png"));
    }

    /**
     * An untrusted notebook (one opened on another machine than the one that ran it) shows text/html without its
     * scripts, and a viewer without JavaScript runs none: the html left after removing every script element must
     * still show the figure, as the bundle's own PNG with the text summary as its alternative text.
     */
    @Test
    void htmlWithoutItsScriptsStillShowsTheFigureAsItsPng() {
        Map<String, String> b = figure().mimeBundle();
        String withoutScripts = b.get("text/html").replaceAll("(?is)<script\\b.*?</script>", "");
        assertFalse(withoutScripts.contains("window.Plotly"), "the scripts are gone");
        Matcher img = Pattern.compile("<img\\b[^>]*\\balt=\"([^\"]*)\"[^>]*\\bsrc=\"data:image/png;base64,([^\"]+)\"")
                .matcher(withoutScripts);
        assertTrue(img.find(), () -> "no static image in the html without scripts: " + withoutScripts);
        assertEquals(b.get("image/png"), img.group(2), "the same PNG as the bundle's image/png");
        assertEquals(Plotly.escapeHtml(figure().description()), img.group(1));
        assertTrue(withoutScripts.contains("Trust Notebook"), "says how to get the interactive figure");
        assertTrue(b.get("text/html").contains(Plotly.PRINT_CSS), "a printout shows the PNG where plotly.js drew");
    }

    /**
     * Where plotly.js drew, the PNG is hidden (kept for printing) and the SVG has no name: a screen reader met only
     * "graphic". The figure's div is now a figure named by {@link Figure#description()}, which says what a reader of
     * the image sees: each panel's title, its axes and the traces' names (the one-line summary named only the first
     * three traces and no panel or axis).
     */
    @Test
    void theDrawnFigureHasAnAccessibleNameThatDescribesItsPanels() {
        Figure g = Figure.grid(2,
                Figure.of(Trace.line(new double[] {1, 2}, new double[] {1, 2}).name("vanilla"),
                        Trace.line(new double[] {1, 2}, new double[] {2, 3}).name("TPDiff"))
                        .title("quality against wall-clock").xTitle("seconds").yTitle("distance").yLog(),
                Figure.bar(new String[] {"a", "b"}, new double[] {1, 2}).name("cost").title("cost"));
        String d = g.description();
        assertEquals("Figure, 2 panels: panel 1 \"quality against wall-clock\", x axis \"seconds\"; y axis \"distance\" (log);"
                + " lines vanilla, TPDiff. panel 2 \"cost\", bars cost", d);
        String html = g.mimeBundle().get("text/html");
        Matcher div = Pattern.compile("<div\\b[^>]*class=\"tpdiff4j-figure\"[^>]*>").matcher(html);
        assertTrue(div.find(), html);
        assertTrue(div.group().contains("role=\"figure\""), div.group());
        assertTrue(div.group().contains("aria-label=\"" + Plotly.escapeHtml(d) + "\""), div.group());
    }

    /**
     * A figure's script runs only in a trusted notebook; where it finds no plotly.js in the page (the output that
     * carried the library was cleared or run again before the notebook was saved, so it was never loaded here), the
     * note it shows says what brings the library back, not to trust the notebook, which it already is.
     */
    @Test
    void aTrustedPageWithoutPlotlySaysToInlineItOrRestartRunAllAndSave() {
        String html = figure().mimeBundle().get("text/html");
        Matcher note = Pattern.compile("note\\.textContent = '([^']*)';").matcher(html);
        assertTrue(note.find(), "the figure's script has a note for a page without plotly.js");
        String text = note.group(1);
        assertTrue(text.startsWith("plotly.js is not loaded in this page"), text);
        assertTrue(text.contains("run a cell with tpdiff4j.viz.Plotly.inline() above this one"), text);
        assertTrue(text.contains("restart the kernel, run all cells and save the notebook"), text);
        assertFalse(text.toLowerCase(java.util.Locale.ROOT).contains("trust"), "the page is trusted already: " + text);
        assertFalse(note.find(), "one note");
    }

    @Test
    void plotlyIsInlinedOncePerJvmAndAgainAfterInline() {
        String first = figure().mimeBundle().get("text/html");
        String second = figure().mimeBundle().get("text/html");
        assertEquals(1, count(first, MARKER));
        assertEquals(0, count(second, MARKER));
        assertTrue(Plotly.included());
        Map<String, String> inline = Plotly.inline().mimeBundle();
        assertEquals(1, count(inline.get("text/html"), MARKER));
        assertTrue(inline.get("text/plain").contains("4.1.2"), inline.get("text/plain"));
        Plotly.reset();
        assertEquals(1, count(figure().mimeBundle().get("text/html"), MARKER));
    }

    @Test
    void missingPlotlySaysSoAndNeverFallsBackToACdn() {
        System.setProperty(Plotly.PROPERTY, dir.resolve("nowhere.js").toString());
        String html = figure().mimeBundle().get("text/html");
        assertTrue(html.contains("plotly.js not found") && html.contains("nowhere.js"), html);
        assertFalse(NETWORK.matcher(html).find());
        assertFalse(Plotly.included());
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> figure().toStandaloneHtml());
        assertTrue(e.getMessage().contains(Plotly.PROPERTY), e.getMessage());
    }

    @Test
    void standaloneHtmlInlinesPlotlyAndDoesNotChangeTheNotebookState() throws Exception {
        Path file = figure().saveHtml(dir.resolve("fig.html"));
        String html = Files.readString(file);
        assertTrue(html.startsWith("<!DOCTYPE html>"));
        assertEquals(1, count(html, MARKER));
        assertFalse(NETWORK.matcher(html).find());
        assertFalse(Plotly.included(), "a saved page is not a notebook output");
    }
}
