package tpdiff4j.kernel;

import java.io.File;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The kernel's magics; none needs the network. A line magic is a line that starts with {@code %}; a cell magic is
 * the first line of a cell and starts with {@code %%}.
 *
 * <ul>
 *   <li>{@code %classpath PATH...}: adds jars, folders, or every jar of {@code folder/*} to the compiler and the
 *       class loader;</li>
 *   <li>{@code %time CODE} and {@code %%time}: run the line or the cell and print its wall and CPU time;</li>
 *   <li>{@code %env}, {@code %env NAME}, {@code %env NAME=VALUE}: list, read or set the shrink knobs
 *       ({@link Knobs}), e.g. {@code %env TPDIFF4J_QUICK=1}.</li>
 * </ul>
 * Java lines between magics run as usual and keep their line numbers in error messages.
 */
public final class Magics {

    private static final String KNOWN = "%classpath, %time, %env, %%time";
    private final CellEvaluator java;

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
            if (!head.equals("%%time") && !head.startsWith("%%time ")) {
                throw new IllegalArgumentException("unknown cell magic '" + head.split("\\s+")[0]
                        + "'; known magics: " + KNOWN);
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

    private Object runLines(String[] lines) throws Exception {
        Object value = null;
        StringBuilder code = new StringBuilder();
        int codeStart = 0;
        for (int i = 0; i < lines.length; i++) {
            String s = lines[i].strip();
            if (s.startsWith("%") && !s.startsWith("%%")) {
                if (!code.toString().isBlank()) {
                    java.run("\n".repeat(codeStart) + code);
                }
                code.setLength(0);
                codeStart = i + 1;
                value = lineMagic(s, i);
            } else {
                if (code.length() > 0) {
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

    private Object lineMagic(String line, int lineIndex) throws Exception {
        String[] parts = line.substring(1).split("\\s+", 2);
        String name = parts[0];
        String arg = parts.length > 1 ? parts[1].strip() : "";
        switch (name) {
            case "time":
                if (arg.isEmpty()) {
                    throw new IllegalArgumentException("%time needs code to time, e.g. %time solver.solve(...)");
                }
                return timed(() -> java.run("\n".repeat(lineIndex) + " ".repeat(6) + arg));
            case "classpath":
                classpath(arg);
                return null;
            case "env":
                env(arg);
                return null;
            default:
                throw new IllegalArgumentException("unknown line magic '%" + name + "'; known magics: " + KNOWN);
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
        for (String token : arg.split("\\s+|" + File.pathSeparator)) {
            if (token.isEmpty()) {
                continue;
            }
            String t = token.startsWith("~/") ? System.getProperty("user.home") + token.substring(1) : token;
            if (t.endsWith("/*")) {
                Path dir = Path.of(t.substring(0, t.length() - 2)).toAbsolutePath();
                if (!Files.isDirectory(dir)) {
                    throw new IllegalArgumentException("%classpath " + token + ": " + dir + " is not a folder");
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
                    throw new IllegalArgumentException("%classpath " + token + ": " + p
                            + " does not exist; pass a jar, a folder of classes, or folder/* for its jars");
                }
                added.add(p.toString());
            }
        }
        for (String p : added) {
            java.addToClasspath(p);
        }
        System.out.println("added to the class path: " + String.join(", ", added));
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
            Knobs.set(name, kv[1].strip());
            System.out.println(name + "=" + kv[1].strip());
            computeKnob(name);
        }
    }

    /** The compute knobs: threads apply at once; the device is read once per kernel, so say so instead of ignoring it. */
    private static void computeKnob(String name) {
        if (name.equals(tpdiff4j.nn.Compute.THREADS)) {
            System.out.println("PyTorch CPU threads: " + tpdiff4j.nn.Compute.configureFromEnvironment());
        } else if (name.equals(tpdiff4j.ode.DeviceKnob.NAME)) {
            System.err.println(name + " is read once, when the kernel starts; to change the device, set it in the "
                    + "kernel's environment (or the kernelspec) and restart the kernel");
        }
    }
}
