package tpdiff4j.viz;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * plotly.js, offline: the library is inlined into the notebook once, never loaded from the internet.
 *
 * <p>The file is the {@code plotly.min.js} of the npm package {@code plotly.js-dist-min} 4.x (version 4 sets
 * {@code window.Plotly} also under classic Notebook 6). Its path comes from the system property
 * {@value #PROPERTY}, else the environment variable {@value #ENV}; {@code environment/setup} fetches it into a
 * cache and the kernel passes the property.
 *
 * <p>The first figure shown in a JVM carries {@code <script>} + the file (4.8 MB) in its {@code text/html};
 * every figure is a div plus a small script that waits for {@code window.Plotly}. The div holds the figure's PNG
 * until plotly.js draws, so an untrusted notebook (whose html Jupyter shows without its scripts) and a viewer without
 * JavaScript show a static image. A notebook that was
 * re-run without restarting its kernel (so the output holding the library is gone) shows {@link #inline()}
 * in a cell above, which includes the library again; a figure drawn in a page without the library says so. When the file is missing, the html says so instead
 * (there is no CDN fallback).
 */
public final class Plotly {

    /** System property naming the plotly.min.js file. */
    public static final String PROPERTY = "tpdiff4j.plotly.js";
    /** Environment variable naming the plotly.min.js file (used when the property is unset). */
    public static final String ENV = "TPDIFF4J_PLOTLY_JS";

    private static final AtomicBoolean INCLUDED = new AtomicBoolean();
    private static final Pattern VERSION = Pattern.compile("plotly\\.js v(\\d+\\.\\d+\\.\\d+)");
    private static Path cachedPath;
    private static String cachedSource;

    private Plotly() {}

    /** @return the configured plotly.js path (property, then environment), whether or not the file exists */
    public static Optional<Path> location() {
        String p = System.getProperty(PROPERTY);
        if (p == null || p.isBlank()) p = System.getenv(ENV);
        return p == null || p.isBlank() ? Optional.empty() : Optional.of(Path.of(p));
    }

    /** @return the plotly.js source, read once and cached per path, or empty if unset or unreadable */
    public static synchronized Optional<String> source() {
        Optional<Path> path = location();
        if (path.isEmpty() || !Files.isRegularFile(path.get())) return Optional.empty();
        if (!path.get().equals(cachedPath)) {
            try {
                cachedSource = Files.readString(path.get(), StandardCharsets.UTF_8);
                cachedPath = path.get();
            } catch (IOException e) {
                return Optional.empty();
            }
        }
        return Optional.of(cachedSource);
    }

    /** @return the version from the file's banner ({@code "4.1.2"}), or {@code "unknown"} */
    public static String version() {
        return source().map(s -> {
            Matcher m = VERSION.matcher(s.substring(0, Math.min(400, s.length())));
            return m.find() ? m.group(1) : "unknown";
        }).orElse("unknown");
    }

    /** @return whether plotly.js has been put into a displayed output of this JVM */
    public static boolean included() { return INCLUDED.get(); }

    /** Forgets the inclusion, so the next figure's html carries plotly.js again. */
    public static void reset() { INCLUDED.set(false); }

    /** @return a display that includes plotly.js now (or says clearly that the file is missing) */
    public static Displayable inline() {
        return () -> {
            Optional<String> src = source();
            Map<String, String> bundle = new LinkedHashMap<>();
            bundle.put("text/html", src.map(Plotly::scriptTag).orElseGet(Plotly::missingHtml));
            src.ifPresent(s -> INCLUDED.set(true));
            bundle.put("text/plain", src.isPresent()
                    ? "plotly.js " + version() + " inlined (" + src.get().length() / 1024 + " KiB)"
                    : "plotly.js not found: " + missingReason());
            return bundle;
        };
    }

    /** @return the script tag with plotly.js if this JVM has not included it yet, the missing note, or "" */
    static String includeOnce() {
        if (INCLUDED.get()) return "";
        Optional<String> src = source();
        if (src.isEmpty()) return missingHtml();
        return INCLUDED.compareAndSet(false, true) ? scriptTag(src.get()) + "\n" : "";
    }

    /** @return plotly.js source, or throws naming the property and the environment variable */
    static String requireSource() {
        return source().orElseThrow(() -> new IllegalStateException("plotly.js not found: " + missingReason()));
    }

    /** @return an inline script element; {@code </script} inside the code is escaped */
    static String scriptTag(String js) {
        return "<script type=\"text/javascript\">" + js.replace("</script", "<\\/script") + "</script>";
    }

    /** @return a div of the given size and a script that draws {@code json} as soon as window.Plotly exists */
    static String div(String json, int width, int height) {
        return div(json, width, height, null, null);
    }

    /**
     * A div of the given size and a script that draws {@code json} as soon as window.Plotly exists. The div first
     * holds a static form of the figure, which the script replaces when plotly.js draws: the PNG (when
     * {@code pngBase64} is not null) with {@code summary} as its alternative text, and a line saying that the drawing
     * needs scripts. A page that runs no scripts (an untrusted notebook, whose html Jupyter sanitizes; a viewer
     * without JavaScript) shows that static form instead of an empty box. Where the script draws, the PNG moves
     * after the div, shown only when the page is printed ({@link #PRINT_CSS}).
     *
     * @param json      the Plotly figure
     * @param width     the div's width in pixels
     * @param height    the div's height in pixels
     * @param pngBase64 the figure as PNG, base64, or null for none
     * @param summary   the figure in words ({@link Figure#description()}): the div's accessible name, the PNG's
     *                  alternative text and the static note; or null
     * @return the html
     */
    static String div(String json, int width, int height, String pngBase64, String summary) {
        String id = "tpdiff4j-fig-" + UUID.randomUUID();
        String safe = json.replace("<", "\\u003c");
        String alt = summary == null ? "tpdiff4j figure" : escapeHtml(summary);
        String fallback = (pngBase64 == null ? ""
                : "<img class=\"tpdiff4j-figure-png\" alt=\"" + alt + "\" style=\"max-width:100%;\" src=\"data:image/png;base64,"
                        + pngBase64 + "\"/>")
                + "<p class=\"tpdiff4j-figure-static\" style=\"font:12px sans-serif;color:#666;margin:2px 0;\">"
                + (pngBase64 == null ? alt + ": " : "")
                + "a static " + (pngBase64 == null ? "summary" : "image") + "; the interactive figure is drawn by "
                + "plotly.js where scripts run (a trusted notebook: File &gt; Trust Notebook, or jupyter trust)</p>";
        // role and label: the drawn figure (an SVG without a name of its own) is announced by its description
        String aria = summary == null ? "" : " role=\"figure\" aria-label=\"" + alt + "\"";
        return "<div id=\"" + id + "\" class=\"tpdiff4j-figure\"" + aria + " style=\"width:" + width + "px;height:" + height
                + "px;\">" + fallback + "</div>\n<script type=\"text/javascript\">(function () {\n"
                + "  var fig = " + safe + ";\n"
                + "  var tries = 0;\n"
                + "  function draw() {\n"
                + "    var el = document.getElementById('" + id + "');\n"
                + "    if (window.Plotly) {\n"
                + "      var png = el.querySelector('img.tpdiff4j-figure-png');\n"
                + "      el.innerHTML = '';\n"
                + "      if (png) { png.className = 'tpdiff4j-figure-print'; png.style.display = 'none'; el.parentNode.insertBefore(png, el.nextSibling); }\n"
                + "      if (!document.getElementById('tpdiff4j-print-style')) {\n"
                + "        var css = document.createElement('style');\n"
                + "        css.id = 'tpdiff4j-print-style';\n"
                + "        css.textContent = '" + PRINT_CSS + "';\n"
                + "        document.head.appendChild(css);\n"
                + "      }\n"
                + "      window.Plotly.newPlot(el, fig.data, fig.layout, {displaylogo: false});\n"
                + "    }\n"
                + "    else if (++tries < 200) { setTimeout(draw, 50); }\n"
                + "    else {\n"
                + "      var note = document.createElement('p');\n"
                + "      note.className = 'tpdiff4j-figure-note';\n"
                + "      note.style.color = '#900';\n"
                + "      note.textContent = '" + NOT_LOADED + "';\n"
                + "      el.style.height = 'auto';\n"
                + "      el.insertBefore(note, el.firstChild);\n"
                + "    }\n"
                + "  }\n"
                + "  draw();\n"
                + "})();</script>";
    }

    /**
     * What a figure says when its script runs but finds no plotly.js in the page. The script runs only where the
     * notebook is trusted, so trusting it again changes nothing: the library is missing from the page because the
     * output that carried it (the first figure of the session) was cleared or re-run before the notebook was saved,
     * or because this figure's cell ran in a kernel started after the page was opened. Showing the library again in
     * the page, or a fresh run of the whole notebook saved afterwards, brings it back.
     */
    static final String NOT_LOADED = "plotly.js is not loaded in this page: run a cell with tpdiff4j.viz.Plotly.inline()"
            + " above this one, or restart the kernel, run all cells and save the notebook.";

    /**
     * Where plotly.js drew a figure, its PNG stays in the page, hidden (an inline style, which these rules override),
     * and is what a printout shows: a drawn figure
     * keeps its width in pixels (960 for three panels side by side) and would be cut at the page's edge, while the
     * PNG is scaled down to the page's width.
     */
    static final String PRINT_CSS = "@media print{.tpdiff4j-figure.js-plotly-plot{display:none !important;}"
            + "img.tpdiff4j-figure-print{display:block !important;max-width:100% !important;height:auto !important;}}";

    static String missingHtml() {
        return "<div class=\"tpdiff4j-plotly-missing\" style=\"border:1px solid #c00;color:#900;padding:6px;\">"
                + "tpdiff4j: plotly.js not found, so the figures below cannot be drawn (no CDN is used). "
                + escapeHtml(missingReason()) + "</div>\n";
    }

    private static String missingReason() {
        return location().map(p -> "the file " + p + " (from " + (System.getProperty(PROPERTY) != null
                        ? "-D" + PROPERTY : ENV) + ") does not exist or is unreadable")
                .orElse("set -D" + PROPERTY + "=/path/to/plotly.min.js or " + ENV
                        + " (environment/setup fetches plotly.js-dist-min 4.x from npm)");
    }

    static String escapeHtml(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
