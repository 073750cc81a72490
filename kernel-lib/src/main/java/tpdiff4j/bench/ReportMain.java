package tpdiff4j.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Assembles the benchmark report from the results of one {@code environment/bench} run and writes it out:
 * {@code report.json}, the chart PNGs, {@code report.html} and the Markdown page.
 *
 * <p>Usage: {@code java -cp ... tpdiff4j.bench.ReportMain [out=build/bench] [markdown=PATH] [images=DIR]
 * [command=TEXT] [seconds=N] [date=ISO-INSTANT] [companion=FILE[,FILE...]]}: {@code date} is when the run started
 * (default: now), {@code companion} the pages of the same benchmarks whose training race differs (the paper's method
 * for a page of a named option, the named options for the paper's page), linked from this one by their paths relative
 * to the Markdown file. Reads {@code out/measure.json} ({@link BenchMain}) and the external results
 * ({@link ExternalResults}), and makes the training race's summary again from the raw runs the report keeps
 * ({@link TrainBench#resummarize}), so that a recorded run's page shows this version's analysis; {@code markdown} (default {@code out/BENCHMARKS.md}) gets image links relative to its
 * folder into {@code images} (default {@code out/charts}).
 */
public final class ReportMain {

    private ReportMain() {
    }

    /** A command line of {@link #main}, checked; {@code markdown} and {@code images} are null for their defaults. */
    record Options(Path out, Path markdown, Path images, String command, double seconds, String date, String companion) {
    }

    /**
     * Reads a command line (see the class comment); a bad value, an unknown argument or an argument given twice is an
     * {@link IllegalArgumentException} naming it, the value and what it takes.
     */
    static Options parse(String[] args) {
        Path out = Path.of("build/bench");
        Path markdown = null;
        Path images = null;
        String command = "environment/bench";
        double seconds = Double.NaN;
        String date = null;
        String companion = null;
        java.util.Set<String> seen = new java.util.HashSet<>();
        for (String a : args) {
            int eq = a.indexOf('=');
            String k = eq < 0 ? a : a.substring(0, eq), v = eq < 0 ? "" : a.substring(eq + 1);
            Args.once(seen, k);
            switch (k) {
                case "out" -> out = Path.of(nonEmpty(k, v));
                case "markdown" -> markdown = Path.of(nonEmpty(k, v));
                case "images" -> images = Path.of(nonEmpty(k, v));
                case "command" -> command = v;
                case "seconds" -> {
                    String what = "the run's length in seconds (a number of at least 0)";
                    seconds = Args.number(k, v, what, Double::parseDouble);
                    if (!(seconds >= 0) || Double.isInfinite(seconds)) {
                        throw new IllegalArgumentException("seconds = '" + v + "'; allowed: " + what);
                    }
                }
                case "date" -> {
                    try {
                        date = Instant.parse(v).truncatedTo(ChronoUnit.SECONDS).toString();
                    } catch (DateTimeParseException e) {
                        throw new IllegalArgumentException("date = '" + v
                                + "'; allowed: an instant in UTC such as 2026-11-30T13:01:27Z");
                    }
                }
                case "companion" -> companion = nonEmpty(k, v);
                default -> throw new IllegalArgumentException("unknown argument '" + a
                        + "'; allowed: out=DIR, markdown=FILE, images=DIR, command=TEXT, seconds=N, date=ISO-INSTANT, companion=FILE[,FILE...]");
            }
        }
        return new Options(out, markdown, images, command, seconds, date, companion);
    }

    /** A path argument's value: not empty. */
    private static String nonEmpty(String option, String value) {
        if (value.isEmpty()) {
            throw new IllegalArgumentException(option + " = ''; allowed: a path");
        }
        return value;
    }

    public static void main(String[] args) throws IOException {
        Options o = Args.orExit("bench", () -> parse(args));
        Path out = o.out();
        Path markdown = o.markdown();
        Path images = o.images();
        String command = o.command();
        double seconds = o.seconds();
        String date = o.date();
        String companion = o.companion();
        markdown = markdown == null ? out.resolve("BENCHMARKS.md") : markdown;
        images = images == null ? out.resolve("charts") : images;
        Path measure = out.resolve("measure.json");
        Report r = Files.isRegularFile(measure) ? Report.read(measure) : new Report();
        List<String> absent = ExternalResults.apply(out, r);
        if (!Files.isRegularFile(measure)) {
            absent.add(0, "measure.json");
        }
        TrainBench.resummarize(r, System.out); // the race's tables from its raw runs, as this version of the library summarizes them
        if (Double.isFinite(seconds)) {
            r.put("total.seconds", seconds);
        }
        r.meta("command", command);
        r.meta("date", date != null ? date : Instant.now().truncatedTo(ChronoUnit.SECONDS).toString());
        if (companion != null) {
            r.meta("companion", companion);
        }
        if (!r.meta().has("machine")) {
            r.meta("machine", Machine.describe());
        }
        Derived.apply(r, Derived.frames(r));
        r.write(out.resolve("report.json"));
        Map<String, String> links = new HashMap<>();
        Path mdDir = markdown.toAbsolutePath().getParent();
        for (ChartSpec c : r.charts()) {
            Path png = ChartImages.save(c, images);
            ChartImages.save(c, out.resolve("charts"));
            links.put(c.id(), mdDir.relativize(png.toAbsolutePath()).toString());
        }
        Path html = out.resolve("report.html");
        tpdiff4j.schedule.AtomicFiles.writeString(html, HtmlPage.render(r, HtmlPage.plotlyJs(), "charts"));
        tpdiff4j.schedule.AtomicFiles.writeString(markdown, Markdown.render(r, links::get));
        System.out.println("[bench] wrote " + out.resolve("report.json") + ", " + html + ", " + markdown);
        if (!absent.isEmpty()) {
            System.out.println("[bench] results not found or damaged: " + String.join(", ", absent));
        }
        if (!r.missing().isEmpty()) {
            System.out.println("[bench] WARNING: required keys not measured: " + String.join(", ", r.missing()));
        }
        r.numbers().forEach((k, v) -> {
            if (Report.REQUIRED.contains(k)) {
                System.out.printf(Locale.ROOT, "[bench] %-32s %s%n", k, Table.fmt(v));
            }
        });
    }
}
