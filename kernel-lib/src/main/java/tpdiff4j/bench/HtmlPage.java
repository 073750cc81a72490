package tpdiff4j.bench;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import tpdiff4j.viz.Plotly;

/**
 * The benchmark report as one standalone HTML page: the headline table, the notes, each section's tables and its
 * charts as interactive Plotly charts ({@link ChartImages#figure}, drawn by viz). plotly.js is inlined from where
 * {@link Plotly#source()} finds it (system property {@code tpdiff4j.plotly.js} or {@code TPDIFF4J_PLOTLY_JS}; the
 * bench command passes environment/setup's copy), so the page works offline; without it the page shows the PNGs.
 */
public final class HtmlPage {

    private HtmlPage() {
    }

    /**
     * Renders the page.
     *
     * @param r        the report
     * @param plotlyJs plotly.js source to inline, or empty to show the PNGs instead
     * @param pngDir   folder of the chart PNGs relative to the page (used without plotly.js)
     */
    public static String render(Report r, Optional<String> plotlyJs, String pngDir) {
        StringBuilder s = new StringBuilder();
        s.append("<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>tpdiff4j benchmarks</title>\n<style>")
                .append("body{font-family:sans-serif;max-width:1100px;margin:2em auto;}table{border-collapse:collapse;margin:1em 0;}")
                .append("td,th{border:1px solid #ccc;padding:3px 8px;text-align:right;}th{background:#f4f4f4;}")
                .append("td:first-child{text-align:left;}</style>\n");
        plotlyJs.ifPresent(js -> s.append("<script>").append(js.replace("</script", "<\\/script")).append("</script>\n"));
        s.append("</head><body>\n<h1>tpdiff4j benchmarks</h1>\n<p>Command: <code>")
                .append(esc(r.metaString("command", "environment/bench"))).append("</code>; preset ")
                .append(esc(r.metaString("preset", "?"))).append("; date ").append(esc(r.metaString("date", "?")))
                .append("</p>\n<p>Machine: ").append(esc(Markdown.describe(r.meta().get("machine"))))
                .append("</p>\n<p>Model: ").append(esc(Markdown.describe(r.meta().get("model")))).append("</p>\n");
        s.append("<h2>Headline</h2>\n<table><tr><th>key</th><th>meaning</th><th>measured</th><th>reference</th>")
                .append("<th>measured / reference</th><th>goal</th><th>met</th></tr>\n");
        for (HeadlineRow c : HeadlineRow.of(r)) {
            s.append("<tr><td><code>").append(esc(c.key())).append("</code></td><td>").append(esc(c.what()))
                    .append("</td><td>").append(Table.fmt(c.measured())).append("</td><td>")
                    .append(Double.isNaN(c.reference()) ? "" : Table.fmt(c.reference())).append(' ')
                    .append(esc(c.source())).append("</td><td>")
                    .append(Double.isNaN(c.ratio()) ? "" : Table.fmt(c.ratio())).append("</td><td>")
                    .append(esc(c.goal())).append("</td><td>")
                    .append(c.met() == null ? "" : c.met() ? "yes" : "<b>no</b>").append("</td></tr>\n");
        }
        s.append("</table>\n");
        if (r.meta().has("notes")) {
            s.append("<h2>Where we stand</h2>\n<ul>\n");
            r.meta().getAsJsonArray("notes").forEach(n -> s.append("<li>").append(esc(n.getAsString())).append("</li>\n"));
            s.append("</ul>\n");
        }
        for (Map.Entry<String, String> sec : Markdown.SECTIONS) {
            List<Table> tables = r.tables(sec.getKey());
            List<ChartSpec> charts = r.charts().stream().filter(c -> c.id().startsWith(sec.getKey() + "-")).toList();
            if (tables.isEmpty() && charts.isEmpty()) {
                continue;
            }
            s.append("<h2>").append(esc(sec.getValue())).append("</h2>\n");
            for (Table t : tables) {
                s.append("<table><caption>").append(esc(t.title())).append("</caption><tr>");
                t.columns().forEach(c -> s.append("<th>").append(esc(c)).append("</th>"));
                s.append("</tr>\n");
                for (List<String> row : t.rows()) {
                    s.append("<tr>");
                    row.forEach(c -> s.append("<td>").append(esc(c)).append("</td>"));
                    s.append("</tr>\n");
                }
                s.append("</table>\n");
            }
            for (ChartSpec c : charts) {
                if (plotlyJs.isPresent()) {
                    s.append("<div id=\"").append(c.id()).append("\">").append(ChartImages.figure(c).toHtmlDiv())
                            .append("</div>\n");
                } else {
                    s.append("<p><img src=\"").append(esc(pngDir + "/" + c.id() + ".png")).append("\" alt=\"")
                            .append(esc(c.title())).append("\"></p>\n");
                }
            }
        }
        s.append("</body></html>\n");
        return s.toString();
    }

    /** plotly.js as viz finds it: -Dtpdiff4j.plotly.js or TPDIFF4J_PLOTLY_JS. */
    public static Optional<String> plotlyJs() {
        return Plotly.source();
    }

    private static String esc(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
