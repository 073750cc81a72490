package tpdiff4j.kernel;

import java.io.File;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The kernel's magics; none needs the network. A line magic is a line that starts with {@code %} and a letter,
 * outside a text block and a block comment (a format line such as {@code %s has %d frames} there is text); a cell
 * magic is the first line of a cell and starts with {@code %%}.
 *
 * <ul>
 *   <li>{@code %classpath PATH...}: adds jars, folders, or every jar of {@code folder/*} to the compiler and the
 *       class loader;</li>
 *   <li>{@code %jars GLOB...}: adds the jars the globs match, e.g. {@code %jars lib/*.jar ~/jars/**.jar} (a path
 *       with spaces in quotes, here and in {@code %classpath});</li>
 *   <li>{@code %maven G:A:V...}: resolves artifacts with their dependencies ({@link MavenDependencies}) and adds
 *       the jars; {@code %mavenRepo ID URL} adds a remote repository for the rest of the session;
 *       {@code %%loadFromPOM} does the same for the POM or {@code <dependencies>} the cell holds
 *       ({@link PomFragment});</li>
 *   <li>{@code %%html}, {@code %%markdown}, {@code %%latex}, {@code %%svg}, {@code %%javascript} ({@code %%js}): show
 *       the cell's text as that content;</li>
 *   <li>{@code %load FILE}: runs a JShell script ({@code .jsh}, {@code .java}) or the code cells of a notebook
 *       ({@code .ipynb}) in order, saying which cell failed;</li>
 *   <li>{@code %time CODE} and {@code %%time}: run the line or the cell and print its wall and CPU time;</li>
 *   <li>{@code %env}, {@code %env NAME}, {@code %env NAME=VALUE}: list, read or set the shrink knobs
 *       ({@link Knobs}), e.g. {@code %env TPDIFF4J_QUICK=1}.</li>
 * </ul>
 * Java lines between magics run as usual and keep their line numbers in error messages.
 */
public final class Magics {

    /** Every magic, line magics first; {@code %%js} is the short name of {@code %%javascript}. */
    static final List<String> NAMES = List.of("%classpath", "%jars", "%maven", "%mavenRepo", "%loadFromPOM", "%load",
            "%time", "%env", "%%time", "%%loadFromPOM", "%%html", "%%markdown", "%%latex", "%%svg", "%%javascript",
            "%%js");
    private static final String KNOWN = String.join(", ", NAMES.subList(0, NAMES.size() - 1)) + " (%%js)";
    /** Cell magics whose body is shown as content of one MIME type. */
    private static final Map<String, String> CONTENT = Map.of("%%html", "text/html", "%%markdown", "text/markdown",
            "%%latex", "text/latex", "%%svg", "image/svg+xml", "%%javascript", "application/javascript",
            "%%js", "application/javascript");
    private static final int MAX_LOAD_DEPTH = 8;
    private final CellEvaluator java;
    private final Set<Path> added = new LinkedHashSet<>();
    private MavenDependencies maven;
    private int loadDepth;

    /** @param java the evaluator that runs the Java parts of a cell */
    public Magics(CellEvaluator java) {
        this.java = java;
    }

    /** Runs a cell; @return the value of its last expression or magic, or null */
    public Object run(String cell) throws Exception {
        String[] lines = cell.split("\n", -1);
        int first = 0;
        while (first < lines.length && lines[first].isBlank()) {
            first++;
        }
        if (first < lines.length && lines[first].strip().startsWith("%%")) {
            String head = lines[first].strip();
            String cellBody = String.join("\n", Arrays.copyOfRange(lines, first + 1, lines.length));
            if (head.equals("%%loadFromPOM")) {
                loadFromPom(cellBody, "%%loadFromPOM");
                return null;
            }
            if (CONTENT.containsKey(head)) {
                return MimeBundles.as(cellBody, CONTENT.get(head));
            }
            if (!head.equals("%%time") && !head.startsWith("%%time ")) {
                throw new IllegalArgumentException("cell magic = '" + head.split("\\s+")[0]
                        + "'; allowed: a known magic, " + KNOWN);
            }
            String rest = head.substring("%%time".length()).strip();
            StringBuilder body = new StringBuilder("\n".repeat(first) + rest);
            for (int i = first + 1; i < lines.length; i++) {
                body.append('\n').append(lines[i]);
            }
            return timed(() -> runLines(body.toString().split("\n", -1)));
        }
        return runLines(lines);
    }

    /**
     * Completion of a magic's name: the cursor is in the first word of a line, which starts with {@code %}.
     *
     * @param code   the cell
     * @param cursor position in {@code code} (UTF-16 units)
     * @param anchor receives where the replaced text (the {@code %} word) starts
     * @return the magics whose names start with the word, in {@link #NAMES} order (cell magics only on the cell's
     *         first line); null when the cursor is not in a magic's name, so that Java completion runs
     */
    static List<String> completeName(String code, int cursor, int[] anchor) {
        int lineStart = code.lastIndexOf('\n', cursor - 1) + 1;
        String before = code.substring(lineStart, cursor);
        String word = before.stripLeading();
        if (!word.matches("%%?\\w*")) {
            return null;
        }
        boolean firstLine = code.substring(0, lineStart).isBlank();
        anchor[0] = cursor - word.length();
        List<String> out = new ArrayList<>();
        for (String n : NAMES) {
            if (n.startsWith(word) && (firstLine || !n.startsWith("%%"))) {
                out.add(n);
            }
        }
        return out;
    }

    /**
     * @param stripped a line of a cell without its indentation
     * @return true when it is a line magic: {@code %} and a letter ({@code %maven ...}); a line that starts with the
     *         operator, as in a continued expression {@code % 3}, is Java
     */
    static boolean isLineMagic(String stripped) {
        return stripped.length() > 1 && stripped.charAt(0) == '%' && Character.isLetter(stripped.charAt(1));
    }

    /**
     * @param lines the lines of a cell (a cell magic on the first line left out, or counted as Java)
     * @return for each line, whether it is a line magic: it {@link #isLineMagic looks like one} and does not lie
     *         inside a text block or a block comment that the Java lines above it opened (there
     *         {@code %s has %d frames} is text, not the magic {@code %s})
     */
    static boolean[] magicLines(String[] lines) {
        boolean[] magic = new boolean[lines.length];
        StringBuilder java = new StringBuilder(); // the Java lines since the last magic
        for (int i = 0; i < lines.length; i++) {
            magic[i] = isLineMagic(lines[i].strip()) && !insideTextOrComment(java);
            if (magic[i]) {
                java.setLength(0);
            } else {
                java.append(lines[i]).append('\n');
            }
        }
        return magic;
    }

    /** @return true when {@code java} ends inside a text block or a block comment */
    private static boolean insideTextOrComment(CharSequence java) {
        String code = java.toString();
        int open = Chunks.unclosedAt(code);
        return open >= 0 && (code.startsWith("\"\"\"", open) || code.startsWith("/*", open));
    }

    private Object runLines(String[] lines) throws Exception {
        Object value = null;
        StringBuilder code = new StringBuilder();
        int codeStart = 0;
        boolean[] magic = magicLines(lines);
        for (int i = 0; i < lines.length; i++) {
            String s = lines[i].strip();
            if (magic[i]) {
                if (!code.toString().isBlank()) {
                    try {
                        java.run("\n".repeat(codeStart) + code);
                    } catch (Exception e) {
                        if (e instanceof CompileError c && c.getMessage().startsWith(CellEvaluator.INCOMPLETE)) {
                            String name = s.replaceFirst("^(%[\\p{L}\\p{N}_]*).*$", "$1");
                            c.note("note: line " + (i + 1) + " starts with % and a letter, so it is the magic " + name
                                    + ", and the Java code above it ends there; to go on with the remainder operator,"
                                    + " write a space after the % (% " + s.substring(1) + ")");
                        }
                        throw stopped(e, lines, codeStart, i - 1, false);
                    } catch (Error e) {
                        throw stopped(e, lines, codeStart, i - 1, false);
                    }
                }
                code.setLength(0);
                codeStart = i + 1;
                try {
                    value = lineMagic(s, i);
                } catch (Exception e) {
                    throw stopped(e, lines, i, i, s.startsWith("%load"));
                } catch (Error e) {
                    throw stopped(e, lines, i, i, s.startsWith("%load"));
                }
            } else {
                if (i > codeStart) { // counted from the part's first line, blank ones too: lines keep their numbers
                    code.append('\n');
                }
                code.append(lines[i]);
            }
        }
        if (!code.toString().isBlank()) {
            value = java.run("\n".repeat(codeStart) + code);
        }
        return value;
    }

    /**
     * The part {@code lines[start..end]} of a cell (Java lines or one magic line) threw {@code failure}: the error
     * is to say which statements and magics after it did not run, as it does for the statements of one Java part.
     *
     * @param fromFile true for a {@code %load} line, whose own error counts the lines of the file it ran
     * @return {@code failure}, to be thrown
     */
    private <T extends Throwable> T stopped(T failure, String[] lines, int start, int end, boolean fromFile) {
        int first = start;
        while (first < end && lines[first].isBlank()) {
            first++;
        }
        boolean ranBefore = false;
        for (int j = 0; j < start && !ranBefore; j++) {
            ranBefore = !lines[j].isBlank();
        }
        CellEvaluator.Skipped later = new CellEvaluator.Skipped(0, -1, -1, ranBefore, "");
        StringBuilder code = new StringBuilder("\n".repeat(end + 1));
        boolean[] magic = magicLines(lines);
        for (int j = end + 1; j <= lines.length; j++) {
            if (j == lines.length || magic[j]) {
                later = later.then(java.notRun(code.toString(), ranBefore));
                code.setLength(0);
                code.append("\n".repeat(j + 1));
                if (j < lines.length) {
                    later = later.then(new CellEvaluator.Skipped(1, j + 1, j + 1, ranBefore, ""));
                }
            } else {
                code.append(lines[j]).append('\n');
            }
        }
        java.laterPartsDidNotRun(failure, "line " + (first + 1) + " of the cell: " + lines[first].strip(), later,
                fromFile);
        return failure;
    }

    private Object lineMagic(String line, int lineIndex) throws Exception {
        String[] parts = line.substring(1).split("\\s+", 2);
        String name = parts[0];
        String arg = parts.length > 1 ? parts[1].strip() : "";
        switch (name) {
            case "time":
                if (arg.isEmpty()) {
                    throw refused("%time", arg, "code to time, e.g. %time solver.solve(...)");
                }
                return timed(() -> java.run("\n".repeat(lineIndex) + " ".repeat(6) + arg));
            case "classpath":
                classpath(arg);
                return null;
            case "env":
                env(arg);
                return null;
            case "jars":
                addJars(jars(arg), "%jars");
                return null;
            case "maven":
                if (arg.isEmpty()) {
                    throw refused("%maven", arg, "Maven coordinates, e.g. %maven org.apache.commons:commons-lang3:3.17.0");
                }
                List<org.eclipse.aether.graph.Dependency> deps = new ArrayList<>();
                for (String c : arg.split("\\s+")) {
                    deps.add(MavenDependencies.dependency(c));
                }
                addJars(maven().resolve(deps, List.of()), "%maven");
                return null;
            case "mavenRepo":
                String[] idUrl = arg.split("\\s+");
                if (idUrl.length != 2) {
                    throw refused("%mavenRepo", arg, "ID URL, e.g. %mavenRepo jitpack https://jitpack.io");
                }
                maven = maven().withRepository(idUrl[0], idUrl[1]);
                System.out.println("remote repositories: " + maven.remoteRepositories().stream()
                        .map(r -> r.getId() + " " + r.getUrl()).collect(Collectors.joining(", ")));
                return null;
            case "load":
                return load(arg);
            case "loadFromPOM":
                String pom = onePath(arg, "%loadFromPOM");
                if (pom.isEmpty() || !Files.isRegularFile(Path.of(pom))) {
                    throw refused("%loadFromPOM", arg, "a POM file, e.g. %loadFromPOM pom.xml (or use the cell magic"
                            + " %%loadFromPOM with the XML in the cell)");
                }
                loadFromPom(Files.readString(Path.of(pom)), "%loadFromPOM");
                return null;
            default:
                throw new IllegalArgumentException("line magic = '%" + name + "'; allowed: a known magic, " + KNOWN);
        }
    }

    /** Code that may throw, as {@code %time} runs it. */
    private interface Body {
        Object run() throws Exception;
    }

    private static Object timed(Body body) throws Exception {
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        long cpu0 = mx.isCurrentThreadCpuTimeSupported() ? mx.getCurrentThreadCpuTime() : -1;
        long t0 = System.nanoTime();
        try {
            return body.run();
        } finally {
            long wall = System.nanoTime() - t0;
            String cpu = cpu0 < 0 ? "n/a" : duration(mx.getCurrentThreadCpuTime() - cpu0);
            System.out.println("Wall time: " + duration(wall) + " (CPU time of the cell thread: " + cpu + ")");
            System.out.flush();
        }
    }

    /** @return a duration in ns as {@code 512 us}, {@code 12.3 ms} or {@code 4.56 s} */
    static String duration(long nanos) {
        if (nanos < 1_000_000L) {
            return String.format(Locale.ROOT, "%d us", nanos / 1000);
        }
        if (nanos < 1_000_000_000L) {
            return String.format(Locale.ROOT, "%.1f ms", nanos / 1e6);
        }
        return String.format(Locale.ROOT, "%.2f s", nanos / 1e9);
    }

    private void classpath(String arg) throws IOException {
        if (arg.isEmpty()) {
            System.out.println(System.getProperty("java.class.path").replace(File.pathSeparator, "\n"));
            return;
        }
        List<String> added = new ArrayList<>();
        for (String token : words(arg, "%classpath").stream().flatMap(w -> Stream.of(w.split(File.pathSeparator)))
                .toList()) {
            if (token.isEmpty()) {
                continue;
            }
            String t = token.startsWith("~/") ? System.getProperty("user.home") + token.substring(1) : token;
            if (t.endsWith("/*")) {
                Path dir = Path.of(t.substring(0, t.length() - 2)).toAbsolutePath();
                if (!Files.isDirectory(dir)) {
                    throw refused("%classpath", token, "folder/* of an existing folder (" + dir + " is not a folder)");
                }
                try (Stream<Path> s = Files.list(dir)) {
                    for (Path jar : s.filter(p -> p.toString().endsWith(".jar")).sorted().collect(
                            Collectors.toList())) {
                        added.add(jar.toString());
                    }
                }
            } else {
                Path p = Path.of(t).toAbsolutePath();
                if (!Files.exists(p)) {
                    throw refused("%classpath", token, "a jar, a folder of classes, or folder/* for its jars (" + p
                            + " does not exist)");
                }
                added.add(p.toString());
            }
        }
        for (String p : added) {
            java.addToClasspath(p);
        }
        System.out.println("added to the class path: " + String.join(", ", added));
    }

    private void loadFromPom(String xml, String magic) {
        PomFragment f = PomFragment.parse(xml);
        addJars(maven().resolve(f.dependencies(), f.repositories()), magic);
    }

    /** @return the repositories of this session: the user's Maven settings and what %mavenRepo added */
    private MavenDependencies maven() {
        if (maven == null) {
            maven = MavenDependencies.fromUserSettings();
        }
        return maven;
    }

    private void addJars(List<Path> jars, String magic) {
        List<String> names = new ArrayList<>();
        int known = 0;
        for (Path p : jars) {
            Path abs = p.toAbsolutePath().normalize();
            if (added.add(abs)) {
                java.addToClasspath(abs.toString());
                JavadocSummary.addSourcesOf(abs);
                names.add(abs.getFileName().toString());
            } else {
                known++;
            }
        }
        System.out.println(magic + ": added " + names.size() + " jar" + (names.size() == 1 ? "" : "s")
                + (names.isEmpty() ? "" : " (" + String.join(", ", names) + ")")
                + (known > 0 ? "; " + known + " already on the class path" : ""));
    }

    /**
     * @return the words of a magic's argument, split at white space outside quotes: a path with spaces is written in
     *         double or single quotes, {@code %jars "my libs/*.jar"}; the quotes are not part of the word
     */
    static List<String> words(String arg, String magic) {
        List<String> out = new ArrayList<>();
        StringBuilder w = new StringBuilder();
        boolean inWord = false;
        char quote = 0;
        for (int i = 0; i < arg.length(); i++) {
            char c = arg.charAt(i);
            if (quote != 0) {
                if (c == quote) {
                    quote = 0;
                } else {
                    w.append(c);
                }
            } else if (c == '"' || c == '\'') {
                quote = c;
                inWord = true;
            } else if (Character.isWhitespace(c)) {
                if (inWord) {
                    out.add(w.toString());
                    w.setLength(0);
                    inWord = false;
                }
            } else {
                w.append(c);
                inWord = true;
            }
        }
        if (quote != 0) {
            throw refused(magic, arg, "a path with spaces in closed quotes, e.g. " + magic + " \"my libs/*.jar\" (the quote "
                    + quote + " is not closed)");
        }
        if (inWord) {
            out.add(w.toString());
        }
        return out;
    }

    /**
     * The refusal of a magic's argument in the library's one form, {@code %jars argument = 'x/*.jar'; allowed: ...}
     * ({@code ''} for a magic written without one).
     */
    static IllegalArgumentException refused(String magic, String arg, String allowed) {
        return new IllegalArgumentException(magic + " argument = '" + arg + "'; allowed: " + allowed);
    }

    /**
     * @return the one path a magic such as {@code %load} takes: its whole argument, spaces included, or the quoted
     *         path when the argument starts with a quote, as {@code %jars} writes it ({@code %load "my dir/a.jsh"})
     */
    static String onePath(String arg, String magic) {
        if (!arg.startsWith("\"") && !arg.startsWith("'")) {
            return arg;
        }
        List<String> w = words(arg, magic);
        if (w.size() != 1) {
            throw refused(magic, arg, "one path (this names " + w.size() + ": " + String.join(", ", w) + ")");
        }
        return w.get(0);
    }

    /** @return the jars that the globs in {@code arg} match; IllegalArgumentException for a glob matching none */
    static List<Path> jars(String arg) throws IOException {
        if (arg.isEmpty()) {
            throw refused("%jars", arg, "a glob, e.g. %jars lib/*.jar");
        }
        List<Path> out = new ArrayList<>();
        for (String token : words(arg, "%jars")) {
            String t = token.startsWith("~/") ? System.getProperty("user.home") + token.substring(1) : token;
            Path abs = Path.of(t).toAbsolutePath().normalize();
            Path base = abs.getRoot();
            int glob = 0;
            for (; glob < abs.getNameCount() && !abs.getName(glob).toString().matches(".*[*?\\[{].*"); glob++) {
                base = base.resolve(abs.getName(glob));
            }
            List<Path> hits = new ArrayList<>();
            if (glob == abs.getNameCount()) {
                if (Files.isRegularFile(abs)) {
                    hits.add(abs);
                }
            } else if (Files.isDirectory(base)) {
                PathMatcher m = abs.getFileSystem().getPathMatcher("glob:" + abs);
                int depth = t.contains("**") ? Integer.MAX_VALUE : abs.getNameCount() - glob;
                try (Stream<Path> s = Files.walk(base, depth)) {
                    s.filter(p -> Files.isRegularFile(p) && m.matches(p)).sorted().forEach(hits::add);
                }
            }
            hits.removeIf(p -> !p.toString().endsWith(".jar"));
            if (hits.isEmpty()) {
                throw refused("%jars", token, "a glob that matches a jar (no jar matches " + abs + ")");
            }
            out.addAll(hits);
        }
        return out;
    }

    /** The largest file {@code %load} reads (a notebook with its outputs; a picked video or jar by mistake is not read). */
    static final long MAX_LOAD_BYTES = 256L << 20;

    /** Runs a .jsh/.java script as one cell, or a notebook's code cells in order. */
    private Object load(String arg) throws Exception {
        if (arg.isEmpty()) {
            throw refused("%load", arg, "a file: a JShell script (.jsh, .java) or a notebook (.ipynb)");
        }
        String path = onePath(arg, "%load");
        String t = path.startsWith("~/") ? System.getProperty("user.home") + path.substring(1) : path;
        Path file = Path.of(t).toAbsolutePath().normalize();
        if (!Files.isRegularFile(file)) {
            throw refused("%load", arg, "a file: a JShell script (.jsh, .java) or a notebook (.ipynb) (" + file
                    + " is not a file)");
        }
        if (loadDepth >= MAX_LOAD_DEPTH) {
            throw new IllegalStateException("%load " + arg + ": files load each other more than " + MAX_LOAD_DEPTH
                    + " levels deep (a cycle?)");
        }
        loadDepth++;
        try {
            if (!file.toString().endsWith(".ipynb")) {
                try {
                    return run(tpdiff4j.schedule.AtomicFiles.readText(file, MAX_LOAD_BYTES, "a JShell script"));
                } catch (Exception | Error e) {
                    System.err.println("%load " + file.getFileName() + " failed (line numbers below count from "
                            + "the file's first line)");
                    java.failedInFile(e, file.getFileName().toString());
                    throw e;
                }
            }
            List<String> cells = LoadedNotebook.codeCells(tpdiff4j.schedule.AtomicFiles.readText(file, MAX_LOAD_BYTES,
                    "a Jupyter notebook"), file.toString());
            Object value = null;
            for (int i = 0; i < cells.size(); i++) {
                try {
                    value = run(cells.get(i));
                } catch (Exception | Error e) {
                    System.err.println("%load " + file.getFileName() + ": code cell " + (i + 1) + " of "
                            + cells.size() + " failed; the cells after it did not run");
                    throw e;
                }
            }
            return value;
        } finally {
            loadDepth--;
        }
    }

    private static void env(String arg) {
        if (arg.isEmpty()) {
            Map<String, String> all = Knobs.all();
            if (all.isEmpty()) {
                System.out.println("no " + Knobs.PREFIX + "* knob is set");
            }
            all.forEach((k, v) -> System.out.println(k + "=" + v));
            return;
        }
        int eq = arg.indexOf('=');
        String[] kv = eq >= 0 ? new String[]{arg.substring(0, eq), arg.substring(eq + 1)} : arg.split("\\s+", 2);
        String name = kv[0].strip();
        if (kv.length == 1) {
            String v = Knobs.get(name);
            System.out.println(v == null ? name + " is not set" : name + "=" + v);
        } else {
            if (!name.startsWith(Knobs.PREFIX)) {
                throw refused("%env", name + "=" + kv[1].strip(), "one of the " + Knobs.PREFIX
                        + "* knobs, which can be set here (as Java system properties, which the library reads); a running "
                        + "JVM cannot change its environment: set " + name + " in the kernel's environment (the "
                        + "kernelspec's \"env\") and restart the kernel");
            }
            String before = System.getProperty(name);
            Knobs.set(name, kv[1].strip());
            try {
                computeKnob(name);
            } catch (RuntimeException e) {
                Knobs.set(name, before); // a value the library refuses is not kept for later cells
                String now = Knobs.get(name);
                throw new IllegalArgumentException(e.getMessage() + "; " + name
                        + (now == null ? " stays unset" : " stays " + now), e);
            }
            System.out.println(name + "=" + kv[1].strip());
        }
    }

    /**
     * The compute knobs: threads apply at once (a value the library refuses throws); the device is read once per
     * kernel, so say so instead of ignoring it. The log level applies at once too, and a TPDIFF4J_QUICK that is
     * neither on nor off is refused.
     */
    private static void computeKnob(String name) {
        if (name.equals(tpdiff4j.nn.Compute.THREADS)) {
            System.out.println("PyTorch CPU threads: " + tpdiff4j.nn.Compute.configureFromEnvironment());
        } else if (name.equals("TPDIFF4J_QUICK")) {
            Knobs.quick(); // a value that is neither on nor off is refused now, not in the first cell that reads it
        } else if (name.equals(KernelLogProvider.VARIABLE)) {
            KernelLogProvider.set(Knobs.get(name));
        } else if (name.equals(tpdiff4j.ode.DeviceKnob.NAME)) {
            System.err.println(name + " is read once, when the kernel starts; to change the device, set it in the "
                    + "kernel's environment (or the kernelspec) and restart the kernel");
        }
    }
}
