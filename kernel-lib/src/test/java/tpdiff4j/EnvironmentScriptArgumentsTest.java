package tpdiff4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The two commands of the README answer {@code --help} with their usage and refuse an argument they do not know,
 * before they set anything up: {@code environment/test --help} once ran the whole test suite, and
 * {@code environment/notebook --exec} served the notebooks instead of executing them. The scripts run here with a
 * {@code PATH} that holds only the few tools argument handling needs, so a script that ignored its arguments would
 * fail at once (no Maven, no Jupyter) instead of starting a long run.
 */
class EnvironmentScriptArgumentsTest {

    private static final Path ROOT = Checkout.root();

    @Test
    void theTestCommandPrintsItsUsageAndRefusesUnknownArguments() throws Exception {
        Run help = run("environment/test", "--help");
        assertEquals(0, help.status, help.output);
        assertTrue(help.output.contains("Runs every test of tpdiff4j") && help.output.contains("Usage: environment/test"),
                help.output);
        Run bad = run("environment/test", "--quick");
        assertEquals(2, bad.status, bad.output);
        assertTrue(bad.output.contains("unknown argument '--quick'"), bad.output);
    }

    @Test
    void theNotebookCommandPrintsItsUsageAndRefusesUnknownArguments() throws Exception {
        Run help = run("environment/notebook", "-h");
        assertEquals(0, help.status, help.output);
        assertTrue(help.output.contains("environment/notebook --execute"), help.output);
        Run bad = run("environment/notebook", "--exec");
        assertEquals(2, bad.status, bad.output);
        assertTrue(bad.output.contains("unknown argument '--exec'") && bad.output.contains("[--execute [NAME...]]"), bad.output);
    }

    @Test
    void theNotebookTestAndBenchCommandsRefuseAQuickValueTheKernelWouldRefuseBeforeSettingUp() throws Exception {
        // the kernel's Knobs.flag refuses TPDIFF4J_QUICK=2; these commands used to read it as quick mode and start (the
        // notebook command labelled such a run "quick", the test command checked the quick time limits of a full run)
        Map<String, List<String>> commands = new java.util.LinkedHashMap<>();
        commands.put("environment/notebook", List.of("--execute", "00-kernel-tour"));
        commands.put("environment/test", List.of());
        commands.put("environment/bench", List.of("--preset", "quick", "--no-kernel"));
        for (Map.Entry<String, List<String>> c : commands.entrySet()) {
            Run bad = run(c.getKey(), c.getValue(), Map.of(), Map.of("TPDIFF4J_QUICK", "2"));
            assertEquals(2, bad.status, c.getKey() + ": " + bad.output);
            String name = c.getKey().substring("environment/".length());
            assertTrue(bad.output.contains("[" + name + "] TPDIFF4J_QUICK = '2'; allowed: 1, true, yes or on to turn it"
                    + " on; 0, false, no, off or unset to turn it off"), c.getKey() + ": " + bad.output);
        }
    }

    /**
     * TPDIFF4J_QUICK is read by two implementations of one rule: the kernel's {@code Knobs.flag} (notebooks, library)
     * and the shell function {@code quick_mode} of environment/sh/checkout.sh (every environment/ command, live-check
     * included). They must agree on every value: on, off, or refused.
     */
    @Test
    void theShellsQuickRuleAgreesWithTheKernelsOnEveryValue() throws Exception {
        String knob = "TPDIFF4J_RULE_CHECK";
        List<String> values = List.of("1", "true", "TRUE", " Yes ", "on", "0", "false", "No", " off", "", "   ", "2", "y",
                "n", "enabled", "1 1", "-1", "tru");
        for (String v : values) {
            String kernel;
            System.setProperty(knob, v);
            try {
                kernel = tpdiff4j.kernel.Knobs.flag(knob) ? "quick" : "full";
            } catch (IllegalArgumentException refused) {
                kernel = "refused";
            } finally {
                System.clearProperty(knob);
            }
            ProcessBuilder pb = new ProcessBuilder("bash", "-c", "source \"$1\" && quick_mode rule", "rule",
                    ROOT.resolve("environment/sh/checkout.sh").toString()).redirectErrorStream(true);
            pb.environment().put("TPDIFF4J_QUICK", v);
            Process p = pb.start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            int status = p.waitFor();
            String shell = status == 2 && out.startsWith("[rule] TPDIFF4J_QUICK = '" + v + "'; allowed:") ? "refused"
                    : status == 0 ? out : "status " + status + ": " + out;
            assertEquals(kernel, shell, "TPDIFF4J_QUICK = '" + v + "'");
        }
    }

    @Test
    void theCompareAndGpuCheckCommandsPrintTheirUsageBeforeBuildingOrCheckingAnything() throws Exception {
        // without the help check, compare builds with Maven and gpu-check looks for the CUDA libraries: neither
        // exists on this PATH, so both would fail instead of printing their usage
        Run compare = run("environment/compare", "--help");
        assertEquals(0, compare.status, compare.output);
        assertTrue(compare.output.contains("environment/compare --preset quick") && compare.output.contains("--samples N"),
                compare.output);
        Run gpu = run("environment/gpu-check", "-h");
        assertEquals(0, gpu.status, gpu.output);
        assertTrue(gpu.output.contains("environment/gpu-check [steps=10]"), gpu.output);
    }

    /**
     * environment/compare checked its options only in Java, after a Maven build of up to minutes; a bad value, a
     * missing one, an unknown model or an option given twice is now refused by the script itself (no Maven, no java
     * on this PATH), naming the option, the value and what it takes.
     */
    @Test
    void compareRefusesBadOptionsBeforeBuilding() throws Exception {
        Map<List<String>, String> cases = new java.util.LinkedHashMap<>();
        cases.put(List.of("--seconds", "-1"), "--seconds = '-1'; allowed: a positive number of seconds");
        cases.put(List.of("--seconds", "0.0"), "--seconds = '0.0'; allowed: a positive number of seconds");
        cases.put(List.of("--seconds", "1e999"), "--seconds = '1e999'; allowed: a positive number of seconds"); // infinite
        cases.put(List.of("--steps", "abc"), "--steps = 'abc'; allowed: a whole number of training steps per mode, at least 1");
        cases.put(List.of("--steps", "0"), "--steps = '0'; allowed: a whole number");
        cases.put(List.of("--samples", "0"), "--samples = '0'; allowed: a whole number of clips, at least 2");
        cases.put(List.of("--samples", "1"), "--samples = '1'; allowed: a whole number of clips, at least 2");
        cases.put(List.of("--preset", "quick", "--model", "huge"), "--model = 'huge'; allowed: attention, tiny or small");
        cases.put(List.of("--preset", "full"), "--preset = 'full'; allowed: quick or small");
        cases.put(List.of("--times", "cosine"), "--times = 'cosine'; allowed: uniform or logitnormal");
        cases.put(List.of("--stages", "8"), "--stages = '8'; allowed: 2, 3 or 4 stages for 16 frames");
        cases.put(List.of("--preset", "quick", "--steps"), "--steps needs a value");
        cases.put(List.of("--model", "--quiet"), "--model needs a value, but the next argument is the option --quiet");
        cases.put(List.of("--steps", "5", "--quiet", "--steps", "6"), "--steps is given twice");
        cases.put(List.of("--quiet", "--quiet"), "--quiet is given twice");
        cases.put(List.of("--frames", "8"), "unknown argument '--frames'");
        for (Map.Entry<List<String>, String> c : cases.entrySet()) {
            Run r = run("environment/compare", c.getKey(), Map.of(), Map.of());
            assertEquals(2, r.status, c.getKey() + ": " + r.output);
            assertTrue(r.output.contains("[compare] " + c.getValue()) && r.output.contains("usage: environment/compare"),
                    c.getKey() + ": " + r.output);
            assertFalse(r.output.contains("building"), r.output);
        }
    }

    /**
     * The README's row for environment/compare lists its options; it gave {@code --times logitnormal} only, while the
     * script takes {@code --times uniform|logitnormal}. Every option of the script's usage line must appear in the
     * row as the usage spells it (a table cell escapes each {@code |} as {@code \|}).
     */
    @Test
    void theReadmeRowOfCompareListsEveryOptionOfItsUsage() throws Exception {
        String usage = Files.readAllLines(ROOT.resolve("environment/compare"), StandardCharsets.UTF_8).stream()
                .filter(l -> l.startsWith("usage=")).findFirst().orElseThrow();
        String row = Files.readAllLines(ROOT.resolve("README.md"), StandardCharsets.UTF_8).stream()
                .filter(l -> l.startsWith("| `environment/compare")).findFirst().orElseThrow();
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("\\[(--[^\\]]+)\\]").matcher(usage);
        int options = 0;
        for (; m.find(); options++) {
            String option = m.group(1).replace("|", "\\|");
            assertTrue(row.contains("`" + option + "`"), "README row lacks `" + option + "`: " + row);
        }
        assertTrue(options >= 7, usage);
    }

    /**
     * environment/bench with {@code --preset} or {@code --times} last looped for ever ({@code shift 2} with one
     * argument left shifts nothing); an option given twice silently took the last value.
     */
    @Test
    void benchRefusesAMissingValueAndAnOptionGivenTwice() throws Exception {
        Map<List<String>, String> cases = new java.util.LinkedHashMap<>();
        cases.put(List.of("--preset"), "--preset needs a value");
        cases.put(List.of("--no-kernel", "--times"), "--times needs a value");
        cases.put(List.of("--preset", "--no-kernel"), "--preset needs a value");
        cases.put(List.of("--preset", "quick", "--preset=full"), "--preset is given twice");
        cases.put(List.of("--notebooks", "--no-notebooks"), "--notebooks/--no-notebooks is given twice");
        cases.put(List.of("--preset", "small"), "--preset = 'small'; allowed: quick or full");
        cases.put(List.of("--stages", "5"), "--stages = '5'; allowed: 2, 3 or 4 stages for 16 frames");
        cases.put(List.of("--stages=four"), "--stages = 'four'; allowed: 2, 3 or 4 stages for 16 frames");
        cases.put(List.of("--stages", "4", "--stages", "3"), "--stages is given twice");
        cases.put(List.of("--stages"), "--stages needs a value");
        for (Map.Entry<List<String>, String> c : cases.entrySet()) {
            Run r = run("environment/bench", c.getKey(), Map.of(), Map.of());
            assertEquals(2, r.status, c.getKey() + ": " + r.output);
            assertTrue(r.output.contains("[bench] " + c.getValue()), c.getKey() + ": " + r.output);
        }
        Run help = run("environment/bench", "--help");
        assertEquals(0, help.status, help.output);
        assertTrue(help.output.contains("# The benchmark report (BENCHMARKS.md): environment/bench [--preset quick|full]")
                && help.output.contains("Ctrl-C stops the running step"), help.output);
    }

    /** gpu-check took any steps=... to Java (a stack trace for steps=abc) and only after looking for the CUDA build. */
    @Test
    void gpuCheckRefusesBadArgumentsBeforeLookingForTheCudaBuild() throws Exception {
        Map<List<String>, String> cases = new java.util.LinkedHashMap<>();
        cases.put(List.of("steps=abc"), "steps = 'abc'; allowed: a whole number of steps, at least 1");
        cases.put(List.of("cpuSteps=-1"), "cpuSteps = '-1'; allowed: a whole number of steps, at least 1");
        cases.put(List.of("steps=3", "steps=4"), "steps is given twice");
        cases.put(List.of("--cpu"), "unknown argument '--cpu'");
        for (Map.Entry<List<String>, String> c : cases.entrySet()) {
            Run r = run("environment/gpu-check", c.getKey(), Map.of(), Map.of());
            assertEquals(2, r.status, c.getKey() + ": " + r.output);
            assertTrue(r.output.contains("[gpu-check] " + c.getValue()), c.getKey() + ": " + r.output);
            assertFalse(r.output.contains("lib-cuda"), r.output);
        }
    }

    /**
     * A java older than 17 first on PATH made the set-up fail deep inside Maven ("release version 17 not supported");
     * it is refused by name before anything is installed or built. The fake java answers as Java 11 and Java 8 do.
     */
    @Test
    void setupRefusesAJavaOlderThan17BeforeBuildingAnything() throws Exception {
        for (String version : List.of("11", "1.8")) {
            String fake = "#!/bin/sh\necho 'Property settings:' >&2\necho '    java.specification.version = " + version
                    + "' >&2\n";
            Run setup = run("environment/setup", "--cpu", Map.of("java", fake));
            assertEquals(1, setup.status, setup.output);
            String feature = version.equals("1.8") ? "8" : version;
            assertTrue(setup.output.contains("/java is Java " + feature + ": tpdiff4j needs Java 17 or newer"),
                    setup.output);
            assertFalse(setup.output.contains("building kernel-lib") || setup.output.contains("installing"),
                    setup.output);
        }
    }

    /**
     * A heap the JVM cannot read ({@code -Xmx4gb}, {@code -Xmx2.5g}) was written into the kernelspec as it was, and the
     * kernel's JVM then exited before its first reply on every start; it is refused by name before anything else.
     */
    @Test
    void setupRefusesAHeapJavaCannotRead() throws Exception {
        for (String heap : List.of("4gb", "2.5g", "4096", "4 g", "0g")) {
            Run setup = run("environment/setup", "--cpu", Map.of(), Map.of("TPDIFF4J_KERNEL_HEAP", heap));
            assertEquals(2, setup.status, setup.output);
            assertTrue(setup.output.contains("TPDIFF4J_KERNEL_HEAP = '" + heap + "'; allowed: a whole number of MiB or"
                    + " GiB"), setup.output);
        }
    }

    /**
     * environment/bench deleted its results folder at the start of every run without a word: the previous run's
     * results now move to build/bench/previous/ (replacing the run before that), and the run says so. It runs in a
     * copy of the checkout where environment/setup, java and python3 are fakes that return at once (the fake java
     * writes its arguments to build/bench/java-calls.txt), so no step builds or measures anything.
     */
    @Test
    void benchKeepsThePreviousRunsResultsAndSaysSo(@TempDir Path tmp) throws Exception {
        Path checkout = benchCheckout(tmp);
        Path bench = checkout.resolve("build/bench");
        Files.createDirectories(bench.resolve("previous"));
        Files.writeString(bench.resolve("measure.json"), "the run before");
        Files.writeString(bench.resolve("previous/measure.json"), "the run before that");
        Map<String, String> fakes = benchFakes("build/bench/java-calls.txt");
        List<String> tools = BENCH_TOOLS;

        Run first = run(checkout, "environment/bench", List.of("--no-kernel"), tools, fakes, Map.of());
        assertEquals(0, first.status, first.output);
        assertTrue(first.output.contains("[bench] the previous run's results moved to build/bench/previous/"),
                first.output);
        assertEquals("the run before", Files.readString(bench.resolve("previous/measure.json")));
        assertFalse(Files.exists(bench.resolve("measure.json")), "this run measured nothing");
        assertFalse(Files.exists(bench.resolve("previous/previous")), "only one earlier run is kept");
        String calls = Files.readString(bench.resolve("java-calls.txt"));
        assertTrue(calls.contains("tpdiff4j.bench.AssignmentBench") && calls.contains("tpdiff4j.bench.ReportMain"), calls);

        Run second = run(checkout, "environment/bench", List.of("--no-kernel"), tools, fakes, Map.of());
        assertEquals(0, second.status, second.output);
        assertEquals(calls, Files.readString(bench.resolve("previous/java-calls.txt")), "the first run's calls");
        assertFalse(Files.exists(bench.resolve("previous/measure.json")), "the run before that is replaced");
        try (var left = Files.list(checkout.resolve("build"))) {
            assertEquals(List.of(bench), left.toList(), "nothing left beside build/bench");
        }
    }

    /**
     * A race with a named option gets a page of its own, and the pages link each other: {@code --stages 4} runs
     * BenchMain with {@code stages=4} into build/bench-stages4 and writes BENCHMARKS-stages4.md (images in
     * docs/bench-stages4) linking BENCHMARKS.md; the paper's full run then links every page of a named option beside
     * it. Fakes as in {@link #benchKeepsThePreviousRunsResultsAndSaysSo}; the fake java logs its arguments.
     */
    @Test
    void benchWritesANamedOptionsPageOfItsOwnAndThePagesLinkEachOther(@TempDir Path tmp) throws Exception {
        Path checkout = benchCheckout(tmp);
        Path log = checkout.resolve("java-calls.txt");
        Map<String, String> fakes = benchFakes("java-calls.txt");
        List<String> tools = BENCH_TOOLS;
        List<String> quiet = List.of("--preset", "full", "--no-kernel", "--no-notebooks");

        Run four = run(checkout, "environment/bench", java.util.stream.Stream.concat(quiet.stream(),
                java.util.stream.Stream.of("--stages", "4")).toList(), tools, fakes, Map.of());
        assertEquals(0, four.status, four.output);
        List<String> calls = Files.readAllLines(log);
        String bench = calls.stream().filter(c -> c.contains("tpdiff4j.bench.BenchMain")).findFirst().orElseThrow();
        assertTrue(bench.contains(" stages=4 ") && bench.contains(" out=build/bench-stages4"), bench);
        String report = calls.stream().filter(c -> c.contains("tpdiff4j.bench.ReportMain")).findFirst().orElseThrow();
        assertTrue(report.contains(" markdown=BENCHMARKS-stages4.md images=docs/bench-stages4 companion=BENCHMARKS.md ")
                && report.contains("command=environment/bench --preset full --stages 4 --no-notebooks --no-kernel"), report);
        assertTrue(Files.isDirectory(checkout.resolve("build/bench-stages4")));

        Files.delete(log);
        Files.writeString(checkout.resolve("BENCHMARKS-stages4.md"), "four stages");
        Files.writeString(checkout.resolve("BENCHMARKS-logitnormal.md"), "logit-normal times");
        Run paper = run(checkout, "environment/bench", quiet, tools, fakes, Map.of());
        assertEquals(0, paper.status, paper.output);
        String main = Files.readAllLines(log).stream().filter(c -> c.contains("tpdiff4j.bench.ReportMain")).findFirst()
                .orElseThrow();
        assertTrue(main.contains(" markdown=BENCHMARKS.md images=docs/bench companion=BENCHMARKS-logitnormal.md,"
                + "BENCHMARKS-stages4.md "), main);
        assertTrue(Files.readAllLines(log).stream().anyMatch(c -> c.contains(" stages=3 out=build/bench ")), paper.output);
    }

    /** The real tools environment/bench needs beside its fakes. */
    private static final List<String> BENCH_TOOLS = List.of("mkdir", "touch", "rm", "mv", "find", "date");

    /** A copy of the checkout holding environment/bench and what it sources, with a set-up that returns at once. */
    private static Path benchCheckout(Path tmp) throws IOException {
        Path checkout = tmp.resolve("checkout");
        Files.createDirectories(checkout.resolve("environment/sh"));
        for (String f : List.of("environment/bench", "environment/sh/checkout.sh")) {
            Files.copy(ROOT.resolve(f), checkout.resolve(f));
        }
        Files.writeString(checkout.resolve("environment/setup"), "exit 0\n");
        return checkout;
    }

    /** A java that appends its arguments to {@code log} (relative to the checkout) and a python3 that does nothing. */
    private static Map<String, String> benchFakes(String log) {
        return Map.of("java", "#!/bin/sh\necho \"$*\" >> " + log + "\n", "python3", "#!/bin/sh\nexit 0\n");
    }

    private record Run(int status, String output) {}

    private static Run run(String script, String arg) throws IOException, InterruptedException {
        return run(script, arg, Map.of());
    }

    /** @param fakes tools of the PATH given as shell scripts (name to script text), beside the few real ones */
    private static Run run(String script, String arg, Map<String, String> fakes)
            throws IOException, InterruptedException {
        return run(script, arg, fakes, Map.of());
    }

    /** @param env variables added to the script's environment */
    private static Run run(String script, String arg, Map<String, String> fakes, Map<String, String> env)
            throws IOException, InterruptedException {
        return run(script, List.of(arg), fakes, env);
    }

    private static Run run(String script, List<String> args, Map<String, String> fakes, Map<String, String> env)
            throws IOException, InterruptedException {
        return run(ROOT, script, args, List.of(), fakes, env);
    }

    /**
     * @param checkout the folder the script runs in (the repository, or a copy of its parts under a temporary folder)
     * @param tools    real tools added to the few of every run
     */
    private static Run run(Path checkout, String script, List<String> args, List<String> tools, Map<String, String> fakes,
            Map<String, String> env) throws IOException, InterruptedException {
        String arg = String.join(" ", args);
        Path bin = Files.createTempDirectory("script-path");
        try {
            List<String> linked = new java.util.ArrayList<>(List.of("bash", "sed", "dirname", "cat"));
            linked.addAll(tools);
            for (String tool : linked) {
                Path real = Path.of("/usr/bin", tool);
                Files.createSymbolicLink(bin.resolve(tool), Files.exists(real) ? real : Path.of("/bin", tool));
            }
            for (Map.Entry<String, String> fake : fakes.entrySet()) {
                Path tool = bin.resolve(fake.getKey());
                Files.writeString(tool, fake.getValue());
                tool.toFile().setExecutable(true);
            }
            Path log = bin.resolve("output.txt");
            List<String> command = new java.util.ArrayList<>(List.of(bin.resolve("bash").toString(), script));
            command.addAll(args);
            ProcessBuilder pb = new ProcessBuilder(command).directory(checkout.toFile())
                    .redirectErrorStream(true).redirectOutput(log.toFile());
            pb.environment().put("PATH", bin.toString());
            pb.environment().putAll(env);
            Process p = pb.start();
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
                return new Run(-1, script + " " + arg + " did not return within 30 s");
            }
            return new Run(p.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
        } finally {
            try (var files = Files.list(bin)) {
                for (Path f : files.toList()) {
                    Files.delete(f);
                }
            }
            Files.delete(bin);
        }
    }
}
