package tpdiff4j.kernel;

import java.lang.invoke.MethodType;
import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

import jdk.jshell.Diag;
import jdk.jshell.JShell;
import jdk.jshell.JShellException;
import jdk.jshell.Snippet;
import jdk.jshell.SnippetEvent;
import jdk.jshell.SourceCodeAnalysis;
import jdk.jshell.UnresolvedReferenceException;
import jdk.jshell.VarSnippet;

/**
 * Java cells on one JShell whose snippets run in this JVM ({@link InProcessExecution}).
 *
 * <p>A cell is split into snippets that run in order; the first failure ends the cell. The value of a final
 * expression is the cell's value, unless the expression as written ends with a semicolon (then, as in IPython, the
 * value is not shown). Not thread safe: the kernel calls it from its one cell thread only.
 */
public final class CellEvaluator implements AutoCloseable {

    private final InProcessExecution engine = new InProcessExecution();
    /** Methods and classes that a later cell made fail to compile, for {@link #compileAgainAfterImport}. */
    private final List<jdk.jshell.DeclarationSnippet> broken = new ArrayList<>();
    private final JShell shell;
    private final SourceCodeAnalysis analysis;
    private volatile Stop lastStop;
    /**
     * Variables that a failed cell meant to declare but did not, by name, with why: a later "cannot find symbol"
     * for one of them says so. Only names never declared since are looked up (a declared one finds its symbol).
     */
    private final Map<String, String> notDeclared = new HashMap<>();
    /** Whether an interrupt of the running cell was asked for (the kernel's interrupt request). */
    private volatile java.util.function.BooleanSupplier interruptAsked = () -> true;
    /** Declarations of the running cell that used something not declared yet (a later statement may declare it). */
    private final List<jdk.jshell.DeclarationSnippet> unresolved = new ArrayList<>();
    /** The snippet of the cell that JShell evaluates now (the one that makes it recompile older snippets). */
    private Snippet evaluating;
    /**
     * The source text of each valid variable's type as it was before the running snippet, packages written out
     * ({@link #fullTypeName}): an import that gives a name another meaning recompiles the variables declared with
     * it, and this is the type they are declared again with.
     */
    private Map<String, String> fullTypesBefore = Map.of();
    /** How many variables the kernel has declared again with their values ({@link #redeclare}). */
    private int redeclarations;
    /** The serial number of the last value snippet ({@link ValueSnippet#wrap}). */
    private long valueSerial;
    /** The last cell's final expression as written, when the cell had a value; null otherwise. */
    private String valueSource;

    /**
     * Where the last cell that failed while running stopped.
     *
     * @param failure what it threw
     * @param where   the failing statement: {@code "line L of the cell: <its first line>"}
     * @param rest    what did not run after it
     */
    record Stop(Throwable failure, String where, Skipped rest) {

        /** @return what did not run after the failing statement, as a sentence; empty when nothing was left */
        String skipped() {
            return rest.text();
        }
    }

    /**
     * The statements (and magics) of a cell after the one that failed, which did not run.
     *
     * @param count     how many; 0 when the failing one was the last
     * @param first     the cell line where the first of them starts (-1 when none)
     * @param last      the cell line where the last of them ends (-1 when none)
     * @param ranBefore whether statements before the failing one ran
     * @param after     a sentence added at the end (empty when none)
     */
    record Skipped(int count, int first, int last, boolean ranBefore, String after) {

        /**
         * @return the sentence for the notebook, e.g. "the cell stopped there: the 2 statements after it ...", or,
         *     when the failing statement was the last, "the statements before it ran" (empty when it was the only one)
         */
        String text() {
            String own = count == 0 ? (ranBefore ? "the statements before it ran" : "")
                    : "the cell stopped there: " + (count == 1 ? "the statement"
                    : "the " + count + " statements") + " after it (" + (first == last ? "line " + first
                    : "lines " + first + "-" + last) + ") did not run" + (ranBefore ? "; the ones before it did" : "");
            return own.isEmpty() || after.isEmpty() ? own + after : own + "; " + after;
        }

        /** @return these and then {@code later} (lines further down the same cell) */
        Skipped then(Skipped later) {
            return later.count == 0 ? this : new Skipped(count + later.count, first < 0 ? later.first : first,
                    later.last, ranBefore || later.ranBefore, after);
        }
    }

    /** @return a new session with the notebook preload's imports already run (what every kernel starts from) */
    static CellEvaluator withPreload() throws Exception {
        CellEvaluator ev = new CellEvaluator();
        for (String imp : Preload.imports()) {
            ev.run(imp);
        }
        return ev;
    }

    /** Starts JShell with this JVM's class path visible to the compiler. */
    public CellEvaluator() {
        shell = JShell.builder().executionEngine(engine, Map.of()).fileManager(SteadyFileManager.mapping()).build();
        // The class path first, then the analysis. Creating the analysis starts JShell's background indexer, which
        // asks the compiler's file manager for its class path; while none has been set, that question computes the
        // default one (this JVM's class path) and stores it, and it can store it after a %jars or %maven on the
        // cell thread has set the longer one: the compiler then never sees those jars in this session. Set here
        // first, the class path exists before the indexer runs and the indexer only reads it.
        shell.addToClasspath(System.getProperty("java.class.path"));
        analysis = shell.sourceCodeAnalysis();
    }

    /**
     * Tells the evaluator how to know whether an interrupt was asked for. The cell thread's interrupt flag is set
     * between two statements either by such a request (the cell then stops there) or by a statement itself, as in
     * {@code catch (InterruptedException e) { Thread.currentThread().interrupt(); }}; in that case the flag is
     * cleared with a note and the cell goes on. Without this call every set flag counts as a request.
     */
    public void interruptAsked(java.util.function.BooleanSupplier asked) {
        interruptAsked = asked;
    }

    /** @return the execution engine (raw values, failures, whether user code runs now) */
    public InProcessExecution engine() {
        return engine;
    }

    /** @return every variable snippet JShell holds for this session, active or not (dropped, overwritten) */
    java.util.stream.Stream<VarSnippet> variableSnippets() {
        return shell.snippets().filter(VarSnippet.class::isInstance).map(VarSnippet.class::cast);
    }

    /** @return the JShell analysis of this session (completion, documentation) */
    public SourceCodeAnalysis analysis() {
        return analysis;
    }

    /**
     * Runs Java code.
     *
     * @return the value of a final expression, or null when there is none (or it ends with a semicolon)
     * @throws CompileError when a snippet does not compile; the user's exception when one is thrown; CellError for
     *                      a JVM {@link Error}; CellInterrupted when the thread is interrupted between snippets
     */
    public Object run(String code) throws Exception {
        return run(code, true);
    }

    /**
     * @return the final expression of the last cell {@link #run} ran, as written, when that cell had a value (also
     *         when it was then interrupted); null when it had none or failed
     */
    String valueSource() {
        return valueSource;
    }

    /**
     * @return the advice after a cell was interrupted while it waited for a line of {@code System.in}, naming the
     *         variables that hold a Scanner left at its end ({@link SpentScanners})
     */
    String afterInterruptedRead(Throwable failure) {
        return SpentScanners.afterInterruptedRead(failure, variableValues());
    }

    /**
     * Runs code for the JIT's sake while the kernel is idle (the idle warm-up). Unlike {@link #run}, it leaves
     * where the last cell stopped as it was: that cell's error report may still be in the making.
     */
    Object warmUp(String code) throws Exception {
        return run(code, false);
    }

    /** @param cell true for a cell: where it stops is kept for its error report ({@link #stopOf}) */
    private Object run(String code, boolean cell) throws Exception {
        Object value = null;
        if (cell) {
            lastStop = null;
            valueSource = null;
        }
        unresolved.clear();
        Map<Object, String> owners = cell ? NativeOwners.held(variableValues()) : Map.of();
        try {
            List<Chunks.Chunk> chunks = Chunks.split(analysis, code);
            for (int i = 0; i < chunks.size(); i++) {
                Chunks.Chunk chunk = chunks.get(i);
                if (Thread.currentThread().isInterrupted()) {
                    int line = lineOf(code, firstNonBlank(code, chunk.start()));
                    if (interruptAsked.getAsBoolean()) {
                        CellInterrupted stopped = new CellInterrupted("the cell was interrupted before the "
                                + "statement at line " + line + ", which did not run", null);
                        remember(cell, stop(stopped, code, chunks, i));
                        throw stopped;
                    }
                    Thread.interrupted();
                    System.err.println("note: the statement before line " + line + " left the cell thread's "
                            + "interrupt flag set (Thread.currentThread().interrupt()) although no interrupt was "
                            + "asked for; the kernel cleared it and runs the rest of the cell");
                }
                if (chunk.source() == null) {
                    throw incomplete(code, chunk);
                }
                int overlong = Chunks.overlongLiteral(chunk.text());
                if (overlong >= 0) { // javac fails on it, and JShell then fails every later declaration too
                    CompileError e = new CompileError("a string constant longer than " + Chunks.MAX_CONSTANT_BYTES
                            + " bytes (UTF-8) does not fit in a class file", List.of("line "
                            + lineOf(code, chunk.start() + overlong) + ": read such text from a file, or build it"
                            + " while the cell runs (String.repeat, a StringBuilder, String.join)"));
                    remember(cell, stop(e, code, chunks, i));
                    throw e;
                }
                int escapedEnd = Chunks.escapedLineEndInComment(chunk.text());
                if (escapedEnd >= 0) { // javac would run the rest of that line, JShell would skip it silently
                    int line = lineOf(code, chunk.start() + escapedEnd);
                    CompileError e = new CompileError("a // comment holds a unicode line end (\\u000A or \\u000D) "
                            + "with code after it", List.of("line " + line + ": javac reads the escape as the end of "
                            + "the line and compiles the rest, but JShell keeps it in the comment and would skip it; "
                            + "write that code on a line of its own, or remove the escape"));
                    remember(cell, stop(e, code, chunks, i));
                    throw e;
                }
                try {
                    refuseNameClash(code, chunk);
                    Optional<Value> shown = i == chunks.size() - 1 && !chunk.endsWithSemicolon()
                            ? runAsValue(chunk) : Optional.empty();
                    value = shown.isPresent() ? shown.get().value() : runSnippet(code, chunk);
                } catch (Exception e) {
                    remember(cell, stop(e, code, chunks, i));
                    if (cell) {
                        rememberNotDeclared(code, chunks, i, e instanceof CompileError);
                        NativeOwners.closedInUse(e, variableValues()).forEach(System.err::println);
                        if (!Thread.currentThread().isInterrupted()) { // an interrupted read says so in its error
                            SpentScanners.notes(e, variableValues()).forEach(System.err::println);
                        }
                    }
                    throw e;
                }
                if (cell) {
                    noteMainNotRun(chunk.text(), chunks.subList(i + 1, chunks.size()));
                    if (IMPORT_START.matcher(chunk.text()).lookingAt()) {
                        compileAgainAfterImport();
                    }
                }
            }
            if (cell && value != null) {
                valueSource = chunks.get(chunks.size() - 1).text();
            }
            if (cell && !chunks.isEmpty() && Thread.currentThread().isInterrupted() && interruptAsked.getAsBoolean()) {
                throw interruptedInLastStatement(code, chunks, value);
            }
            return value;
        } finally {
            engine.clear();
            noteUnresolved();
            if (!owners.isEmpty()) {
                NativeOwners.lost(owners, variableValues()).forEach(System.err::println);
            }
        }
    }

    /**
     * The cell's last statement returned with the interrupt flag set after an interrupt request: a library call that
     * stops early and returns what it did ({@code trainer.train(...)}, an experiment's run). The cell ends as
     * interrupted, as it would before a next statement, so that the front end stops the cells queued after it
     * (Run All) instead of running them on a partial result; the value, if any, travels with the error.
     */
    private CellInterrupted interruptedInLastStatement(String code, List<Chunks.Chunk> chunks, Object value) {
        int last = chunks.size() - 1;
        int line = lineOf(code, firstNonBlank(code, chunks.get(last).start()));
        CellInterrupted stopped = new CellInterrupted("the cell was interrupted during the statement at line " + line
                + ", which then returned; " + (value != null ? "its value, shown above," : "what it assigned")
                + " tells how far it got (an interrupted training or experiment says so in its result)", null, value);
        remember(true, stop(stopped, code, chunks, last));
        return stopped;
    }

    /**
     * What to do after an {@link OutOfMemoryError}: the heap in use against the machine's memory, and a larger heap
     * only where one fits, at most twice the present one and half the machine's memory, since PyTorch's arrays and the
     * JVM itself need the rest (a heap as large as the machine lets the system end the kernel without a word).
     */
    static String heapHint(long maxHeapBytes, double physicalBytes) {
        double gib = 1L << 30;
        String heap = String.format(java.util.Locale.ROOT, "%.2f GiB", maxHeapBytes / gib);
        String smaller = "smaller Java arrays (a smaller batch, fewer frames or pixels; data and noise batches are"
                + " drawn on the heap)";
        if (!Double.isFinite(physicalBytes)) {
            return "the heap is " + heap + ": " + smaller + ", or a larger heap (TPDIFF4J_KERNEL_HEAP, e.g."
                    + " TPDIFF4J_KERNEL_HEAP=" + Math.max(1, 2 * maxHeapBytes / (1L << 30)) + "g environment/setup, then"
                    + " restart the kernel)";
        }
        String of = String.format(java.util.Locale.ROOT, "the heap is %s of the machine's %.2f GiB", heap,
                physicalBytes / gib);
        long larger = (long) Math.floor(Math.min(2.0 * maxHeapBytes, physicalBytes / 2) / gib); // whole GiB
        if (larger * (1L << 30) <= maxHeapBytes) {
            return of + ", already as much as fits beside PyTorch's memory: " + smaller;
        }
        return of + ": " + smaller + ", or a larger heap, at most half the machine's memory (TPDIFF4J_KERNEL_HEAP="
                + larger + "g environment/setup, then restart the kernel)";
    }

    private static final java.util.regex.Pattern MAIN =
            java.util.regex.Pattern.compile("\\bstatic\\s+void\\s+main\\s*\\(\\s*(final\\s+)?String");
    private static final java.util.regex.Pattern TYPE =
            java.util.regex.Pattern.compile("\\b(?:class|record|enum|interface)\\s+([\\p{L}_$][\\p{L}\\p{N}_$]*)");

    /**
     * A program pasted into a cell ({@code public class Main { public static void main(String[] args) ... }}) is
     * declared, not run, and the cell shows nothing: a note says how to run it, unless a later statement of the
     * cell calls a {@code main}.
     */
    private static void noteMainNotRun(String declaration, List<Chunks.Chunk> later) {
        java.util.regex.Matcher m = MAIN.matcher(declaration);
        if (!m.find() || later.stream().anyMatch(c -> c.text().contains("main("))) {
            return;
        }
        java.util.regex.Matcher type = TYPE.matcher(declaration.substring(0, m.start()));
        String call = (type.find() ? type.group(1) + "." : "") + "main(new String[0]);";
        System.err.println("note: main was declared, not run: a cell runs its statements; to run the program, call "
                + call);
    }

    /**
     * After the cell: a note for each declaration of it that still uses something undeclared. A cell may declare
     * its classes and methods in any order, so what a later statement of the same cell declared is not reported.
     */
    private void remember(boolean cell, Stop stop) {
        if (cell) {
            lastStop = stop;
        }
    }

    /** @return "variable x is declared", "class A, class B are declared": what {@code d} waits for */
    private String waitsFor(jdk.jshell.DeclarationSnippet d) {
        List<String> missing = shell.unresolvedDependencies(d).toList();
        return String.join(", ", missing) + (missing.size() == 1 ? " is" : " are") + " declared";
    }

    /**
     * @return whether {@code d} is a method a cell declared {@code abstract}: JShell keeps it as a declaration that
     *         waits for itself ("method am()"), to be declared again with a body
     */
    private boolean bodiless(jdk.jshell.DeclarationSnippet d) {
        if (!(d instanceof jdk.jshell.MethodSnippet m)) {
            return false;
        }
        List<String> missing = shell.unresolvedDependencies(d).toList();
        return missing.size() == 1 && missing.get(0).startsWith("method " + m.name() + "(");
    }

    private void noteUnresolved() {
        for (jdk.jshell.DeclarationSnippet sn : unresolved) {
            Snippet.Status st = shell.status(sn);
            if (st == Snippet.Status.RECOVERABLE_DEFINED || st == Snippet.Status.RECOVERABLE_NOT_DEFINED) {
                System.err.println("note: " + describe(sn) + (bodiless(sn) ? " has no body: " + sn.name()
                        + "(...) can be called once a cell declares it again with one" : " can be used once "
                        + waitsFor(sn)));
            }
        }
        unresolved.clear();
    }

    /**
     * Refuses the second of an import and a type a cell declares that share a simple name ({@code record Point}
     * and {@code import java.awt.Point;}, in either order). JShell puts every import of the session into every later
     * snippet, and javac refuses a single-type import beside a type of the same name: JShell would accept the second
     * of the two, then refuse every later statement of the session ("a type with the same simple name is already
     * defined by the single-type-import") and drop the variables declared with that name, until a restart.
     */
    private void refuseNameClash(String code, Chunks.Chunk chunk) throws CompileError {
        String text = chunk.text();
        if (chunk.source() == null || !text.contains("import") && !TYPE.matcher(text).find()) {
            return;
        }
        int at = firstNonBlank(code, chunk.start());
        for (Snippet sn : snippetsOf(chunk.source())) {
            if (sn instanceof jdk.jshell.ImportSnippet imp && importsOneType(imp)) {
                String simple = simpleName(imp.fullname());
                Optional<jdk.jshell.TypeDeclSnippet> declared = shell.types()
                        .filter(t -> shell.status(t).isActive() && t.name().equals(simple)).findFirst();
                if (declared.isPresent()) {
                    String type = typeKind(declared.get()) + " " + simple;
                    throw new CompileError("import " + imp.fullname() + " would give " + simple + " a second meaning"
                            + " beside " + type + ", which a cell declared", pointAt(code, at, "JShell would then "
                            + "refuse every later statement of the session; write " + imp.fullname() + " in full "
                            + "where you use it, or import its package (import " + packageOf(imp.fullname())
                            + ".*;), under which " + simple + " stays your " + typeKind(declared.get())));
                }
            } else if (sn instanceof jdk.jshell.TypeDeclSnippet t) {
                Optional<jdk.jshell.ImportSnippet> imported = shell.imports()
                        .filter(i -> shell.status(i).isActive() && importsOneType(i)
                                && simpleName(i.fullname()).equals(t.name())).findFirst();
                if (imported.isPresent()) {
                    String full = imported.get().fullname();
                    String by = Preload.imports().contains(imported.get().source().strip())
                            ? "the notebook's imports hold" : "an earlier cell ran";
                    throw new CompileError(typeKind(t) + " " + t.name() + " would give " + t.name() + " a second "
                            + "meaning beside " + full + " (" + by + " import " + (imported.get().isStatic()
                            ? "static " : "") + full + ";)", pointAt(code, at, "JShell would then refuse every later"
                            + " statement of the session; give the " + typeKind(t) + " another name (the import "
                            + "stays until the kernel restarts)"));
                }
            }
        }
    }

    /**
     * @return whether {@code imp} names one type ({@code import java.awt.Point;}, {@code import static
     *         java.util.Map.Entry;}): not a package's or a class's members on demand, nor a static method or field
     */
    private static boolean importsOneType(jdk.jshell.ImportSnippet imp) {
        String full = imp.fullname();
        if (full.endsWith(".*")) {
            return false;
        }
        if (!imp.isStatic()) {
            return true;
        }
        int dot = full.lastIndexOf('.');
        // not a class: a static method or field, or a class this loader cannot see
        return classNamed(full.substring(0, dot) + "$" + full.substring(dot + 1)).isPresent();
    }

    /** @return the class of binary name {@code binaryName} that the kernel's own class loader sees, if any */
    private static Optional<Class<?>> classNamed(String binaryName) {
        try {
            return Optional.of(Class.forName(binaryName, false, CellEvaluator.class.getClassLoader()));
        } catch (ClassNotFoundException | LinkageError e) {
            return Optional.empty();
        }
    }

    private static String simpleName(String fullName) {
        return fullName.substring(fullName.lastIndexOf('.') + 1);
    }

    private static String packageOf(String fullName) {
        return fullName.substring(0, Math.max(0, fullName.lastIndexOf('.')));
    }

    /** @return "class", "interface", "enum", "record" or "annotation type" */
    private static String typeKind(jdk.jshell.TypeDeclSnippet t) {
        return switch (t.subKind()) {
            case INTERFACE_SUBKIND -> "interface";
            case ENUM_SUBKIND -> "enum";
            case RECORD_SUBKIND -> "record";
            case ANNOTATION_TYPE_SUBKIND -> "annotation type";
            default -> "class";
        };
    }

    private static final java.util.regex.Pattern IMPORT_START =
            java.util.regex.Pattern.compile("(?:\\s|//[^\\n]*\\n|/\\*(?s:.*?)\\*/)*import\\b");

    /**
     * After an import: a method or class that an earlier import kept from compiling ({@code double sum(List<T> xs)}
     * under {@code import java.awt.List;}) is not compiled again by JShell when a later import gives the name back the
     * meaning it was written for ({@code import java.util.List;}), and calling it would still fail. The kernel declares
     * each such declaration again from its source; a note names those that compile now.
     */
    private void compileAgainAfterImport() {
        broken.removeIf(d -> !stillBroken(d));
        if (broken.isEmpty()) {
            return;
        }
        Map<String, Object> before = variableValues();
        evaluating = null; // the same declarations again: their objects are not of an old declaration
        for (jdk.jshell.DeclarationSnippet d : List.copyOf(broken)) {
            if (!stillBroken(d)) {
                continue; // declared again already, with one before it that it depends on
            }
            boolean defined = false;
            try {
                for (SnippetEvent again : shell.eval(d.source())) {
                    if (again.causeSnippet() != null) {
                        carryOver(again, before);
                    } else {
                        defined = again.status().isDefined();
                    }
                }
            } catch (AssertionError | InternalError e) {
                continue; // JShell's compiler failed on it: it stays as it was
            }
            if (defined) {
                broken.remove(d);
                System.err.println("note: " + describe(d) + " compiles again after this import");
            }
        }
    }

    /**
     * @return whether {@code d}, a method or class that a cell made fail to compile, still does not compile and has
     *         not been declared again since (a method of the same signature, a type of the same name)
     */
    private boolean stillBroken(jdk.jshell.DeclarationSnippet d) {
        if (shell.status(d).isDefined()) {
            return false;
        }
        if (d instanceof jdk.jshell.MethodSnippet m) {
            return shell.methods().noneMatch(o -> o != d && o.name().equals(m.name())
                    && o.signature().equals(m.signature()));
        }
        return shell.types().noneMatch(o -> o != d && o.name().equals(d.name()));
    }

    /** A cell's value, possibly null. */
    private record Value(Object value) {
    }

    /**
     * Runs the last snippet of a cell as a {@link ValueSnippet} (one compilation instead of two for an expression).
     *
     * @return the value; empty when the snippet is no expression of this kind (it did not compile and nothing ran)
     */
    private Optional<Value> runAsValue(Chunks.Chunk chunk) throws Exception {
        String source = ValueSnippet.wrap(chunk.text(), ++valueSerial);
        if (source == null) {
            return Optional.empty();
        }
        List<SnippetEvent> events;
        try {
            events = shell.eval(source);
        } catch (AssertionError | InternalError e) {
            return Optional.empty(); // JShell failed on the wrapped form: the snippet runs as written, which says so
        }
        SnippetEvent main = null;
        for (SnippetEvent ev : events) {
            if (ev.causeSnippet() == null) {
                main = ev;
            }
        }
        if (main == null || !(main.snippet() instanceof VarSnippet)) {
            return Optional.empty();
        }
        VarSnippet v = (VarSnippet) main.snippet();
        JShellException ex = main.exception();
        Object value = main.status() == Snippet.Status.VALID && ex == null ? engine.lastValue() : null;
        if (shell.status(v).isActive()) {
            flagCleared(() -> shell.drop(v));
        }
        if (main.status() != Snippet.Status.VALID) {
            return Optional.empty(); // rejected: it did not run; the snippet runs as written
        }
        if (ex != null) {
            throw runtimeFailure(v, ex);
        }
        return Optional.of(new Value(value));
    }

    private Object runSnippet(String code, Chunks.Chunk chunk) throws Exception {
        Map<String, Object> before = variableValues();
        fullTypesBefore = new HashMap<>();
        Map<String, Field> fieldsBefore = new HashMap<>();
        before.keySet().forEach(name -> engine.variable(name).ifPresent(f -> {
            fieldsBefore.put(name, f);
            fullTypesBefore.put(name, fullTypeName(f.getGenericType()));
        }));
        List<String> finals = new ArrayList<>();
        try {
            int redeclaredBefore = redeclarations;
            Object value = runEvents(code, chunk, eval(code, chunk, before, fieldsBefore), before, finals);
            if (evaluating instanceof VarSnippet v && redeclarations > redeclaredBefore && unresolved.contains(v)
                    && shell.status(v).isActive() && shell.status(v) != Snippet.Status.VALID) {
                // It reads a variable that JShell could not compile again with it (var y = (long) x, and it declares
                // x a String), so it waited for that one, whose initializer had not run; the kernel has declared it
                // again since, with its value: now it compiles, and its initializer runs for the first time.
                unresolved.remove(v);
                finals.clear();
                value = runEvents(code, chunk, eval(code, chunk, before, fieldsBefore), before, finals);
            }
            return value;
        } finally {
            if (!finals.isEmpty()) {
                System.err.println(finalIgnored(finals));
            }
        }
    }

    /**
     * JShell's own compiler failed on a statement ({@code var a = a;} on Java 17: "InternalError: Exception during
     * analyze", or an AssertionError of javac): a bug of JShell, not of the cell, that JShell leaves as it was. The cell
     * gets a compile error at the statement's line, as for code that does not compile, and the kernel goes on.
     */
    private static CompileError failedInsideJShell(String code, Chunks.Chunk chunk, Error e) {
        String what = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage().lines()
                .findFirst().orElse(""));
        int at = firstNonBlank(code, chunk.start());
        return new CompileError("JShell's compiler failed on the statement at line " + lineOf(code, at) + " (" + what
                + ")", pointAt(code, at, "JShell's compiler failed on this statement (" + what + "); this is a fault "
                + "of JShell, not of the code: the session is unchanged, and the statement written another way "
                + "(a type instead of var, an expression split into steps) usually compiles"));
    }

    /**
     * JShell's eval of {@code chunk}, with the variables it compiles again given their values before the snippet
     * runs ({@link #carryAhead}), and a failure inside JShell's compiler turned into the statement's compile error.
     */
    private List<SnippetEvent> eval(String code, Chunks.Chunk chunk, Map<String, Object> before,
            Map<String, Field> fieldsBefore) throws CompileError {
        engine.beforeEachRun(own -> carryAhead(own, before, fieldsBefore));
        try {
            return shell.eval(chunk.source());
        } catch (AssertionError | InternalError e) {
            throw failedInsideJShell(code, chunk, e);
        } finally {
            engine.beforeEachRun(null);
        }
    }

    /**
     * Right before a snippet runs: the variables that JShell compiled again with it (it declares {@code x} again with
     * another type, and {@code int y = x * 2} uses it) have new fields at null or 0, and the snippet may read them
     * ({@code String x = "n" + y}). Each such field gets the value the variable had before the snippet where that
     * fits, as {@link #carryOver} would give it after the snippet ran; the snippet's own variables (fields of its
     * wrapper class {@code own}) are left to its initializer.
     */
    private void carryAhead(Class<?> own, Map<String, Object> before, Map<String, Field> fieldsBefore) {
        fieldsBefore.forEach((name, was) -> engine.variable(name).ifPresent(f -> {
            Object old = before.get(name);
            if (f.equals(was) || f.getDeclaringClass() == own || old == null || !fits(f.getType(), old)) {
                return;
            }
            try {
                Object now = f.get(null);
                Object unset = f.getType().isPrimitive()
                        ? java.lang.reflect.Array.get(java.lang.reflect.Array.newInstance(f.getType(), 1), 0) : null;
                if (java.util.Objects.equals(now, unset)) {
                    f.set(null, old);
                }
            } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
                // left as JShell made it: carryOver notes it after the snippet
            }
        }));
    }

    private static final Set<String> MODIFIERS =
            Set.of("final", "static", "public", "protected", "private", "transient", "volatile");

    /**
     * @return whether the declaration {@code text} (a variable of a cell) has the modifier {@code final} among the
     *         modifiers, annotations and comments before its type
     */
    static boolean declaredFinal(String text) {
        int i = 0;
        int n = text.length();
        while (i < n) {
            char c = text.charAt(i);
            if (Character.isWhitespace(c)) {
                i++;
            } else if (text.startsWith("//", i)) {
                int end = text.indexOf('\n', i);
                i = end < 0 ? n : end + 1;
            } else if (text.startsWith("/*", i)) {
                int end = text.indexOf("*/", i + 2);
                i = end < 0 ? n : end + 2;
            } else if (c == '@' || Character.isJavaIdentifierStart(c)) {
                int j = i + 1;
                while (j < n && (Character.isJavaIdentifierPart(text.charAt(j)) || text.charAt(j) == '.')) {
                    j++;
                }
                String word = text.substring(i, j);
                if (c == '@') { // an annotation, with its arguments
                    int k = j;
                    while (k < n && Character.isWhitespace(text.charAt(k))) {
                        k++;
                    }
                    if (k < n && text.charAt(k) == '(') {
                        int depth = 0;
                        for (j = k; j < n; j++) {
                            char d = text.charAt(j);
                            depth += d == '(' ? 1 : d == ')' ? -1 : 0;
                            if (depth == 0) {
                                j++;
                                break;
                            }
                        }
                    }
                } else if (word.equals("final")) {
                    return true;
                } else if (!MODIFIERS.contains(word)) {
                    return false; // the type: the modifiers are over
                }
                i = j;
            } else {
                return false;
            }
        }
        return false;
    }

    /**
     * The note for variables a cell declared {@code final}: JShell keeps a cell's variable as a field that it
     * assigns after declaring it, so it drops {@code final} without a word; the variable can be assigned again and
     * is no compile-time constant.
     */
    static String finalIgnored(List<String> names) {
        String list = String.join(", ", names);
        boolean one = names.size() == 1;
        return "note: JShell ignores 'final' on a variable that a cell declares: " + list + (one ? " is" : " are")
                + " not final (a later statement can assign " + (one ? "it" : "them") + ") and not a constant a case"
                + " label can use; for a constant, declare it in a class or interface: interface K { int "
                + names.get(0) + " = ...; }, then K." + names.get(0);
    }

    private Object runEvents(String code, Chunks.Chunk chunk, List<SnippetEvent> events, Map<String, Object> before,
            List<String> finals) throws Exception {
        evaluating = events.stream().filter(e -> e.causeSnippet() == null).map(SnippetEvent::snippet).findFirst()
                .orElse(null);
        Object value = null;
        for (SnippetEvent ev : events) {
            if (ev.causeSnippet() != null) {
                carryOver(ev, before); // an older snippet JShell recompiled because this one changed what it uses
                noteBroken(ev);
                continue;
            }
            Snippet sn = ev.snippet();
            if (ev.status() == Snippet.Status.REJECTED) {
                restoreOverwritten(events, before); // first: the error's notes see the session as it stays
                throw compileError(code, chunk, sn);
            }
            JShellException ex = ev.exception();
            if (ex != null) {
                Exception failure = runtimeFailure(sn, ex);
                if (sn instanceof VarSnippet && sn.subKind() != Snippet.SubKind.TEMP_VAR_EXPRESSION_SUBKIND) {
                    flagCleared(() -> keepEarlierValue((VarSnippet) sn, before));
                }
                throw failure;
            }
            if (ev.status() == Snippet.Status.RECOVERABLE_DEFINED
                    || ev.status() == Snippet.Status.RECOVERABLE_NOT_DEFINED) {
                if (!(sn instanceof jdk.jshell.DeclarationSnippet d)) {
                    // JShell makes only declarations recoverable; anything else did not run, so say why
                    throw compileError(code, chunk, sn);
                }
                if (shell.unresolvedDependencies(d).findAny().isEmpty()
                        && shell.diagnostics(d).anyMatch(Diag::isError)) {
                    // nothing to wait for: an error no later declaration can mend ("code too large")
                    CompileError e = compileError(code, chunk, sn);
                    shell.drop(d);
                    throw e;
                }
                unresolved.add(d); // noted after the cell if still unresolved
            }
            if (sn instanceof VarSnippet v && sn.kind() == Snippet.Kind.VAR && declaredFinal(chunk.text())) {
                finals.add(v.name());
            }
            if (sn instanceof jdk.jshell.TypeDeclSnippet t && ev.status().isDefined()) {
                noteOldObjectsOfOtherTypes(t, events, before);
            }
            boolean expression = sn.kind() == Snippet.Kind.EXPRESSION
                    || sn.subKind() == Snippet.SubKind.TEMP_VAR_EXPRESSION_SUBKIND;
            value = expression && !chunk.endsWithSemicolon() ? engine.lastValue() : null;
            if (sn.subKind() == Snippet.SubKind.TEMP_VAR_EXPRESSION_SUBKIND) {
                // JShell's $N for the value: every later snippet would import it (slower per cell)
                flagCleared(() -> shell.drop(sn));
            }
        }
        return value;
    }

    /**
     * A declaration that does not compile still overwrites JShell's earlier declaration of the same name (a class,
     * a method of the same signature, a variable), and that takes with it what uses it: the variables of the class,
     * the records of a sealed interface. The earlier declarations are declared again here: a class or method from
     * its source (the same source gives the same class, so objects of it stay valid), a variable with its type and
     * its old value; a note says that the earlier one stands.
     */
    private void restoreOverwritten(List<SnippetEvent> events, Map<String, Object> before) {
        Snippet rejected = events.get(0).snippet();
        evaluating = null; // the same declaration again: its objects are not of an old declaration
        for (SnippetEvent ev : events) {
            Snippet old = ev.snippet();
            if (ev.causeSnippet() != rejected || ev.status() != Snippet.Status.OVERWRITTEN
                    || !ev.previousStatus().isActive() || !(old instanceof jdk.jshell.DeclarationSnippet)) {
                continue;
            }
            boolean restored;
            if (old instanceof VarSnippet) {
                VarSnippet v = (VarSnippet) old;
                restored = redeclare(v, v.typeName(), before.get(v.name()), before);
            } else {
                restored = false;
                for (SnippetEvent again : shell.eval(old.source())) {
                    if (again.causeSnippet() != null) {
                        carryOver(again, before);
                    } else {
                        restored = again.status().isDefined();
                    }
                }
            }
            if (restored) {
                System.err.println("note: the earlier " + describe(old) + " stands, since the new declaration "
                        + "did not compile");
            }
        }
    }

    /** @return the current value of every valid variable of the session, by name */
    private Map<String, Object> variableValues() {
        Map<String, Object> out = new HashMap<>();
        shell.variables().filter(v -> shell.status(v) == Snippet.Status.VALID).forEach(v ->
                engine.variable(v.name()).ifPresent(f -> {
                    try {
                        out.put(v.name(), f.get(null));
                    } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
                        // unreadable: nothing to carry over
                    }
                }));
        return out;
    }

    /**
     * Keeps the value of a variable whose declaration JShell recompiled (an import, a class or a method it uses
     * changed): JShell gives the recompiled variable a new field that starts at null or 0. Where the old value no
     * longer fits (its class was redeclared) or the declaration no longer compiles, a note names the variable.
     */
    private void carryOver(SnippetEvent ev, Map<String, Object> before) {
        if (!(ev.snippet() instanceof VarSnippet)) {
            return;
        }
        VarSnippet v = (VarSnippet) ev.snippet();
        if (!before.containsKey(v.name()) || v.subKind() == Snippet.SubKind.TEMP_VAR_EXPRESSION_SUBKIND) {
            return;
        }
        Object old = before.get(v.name());
        String fullType = fullTypesBefore.get(v.name());
        if (!ev.status().isDefined()) {
            boolean byImport = ev.causeSnippet() instanceof jdk.jshell.ImportSnippet; // the type it had comes first
            if (ev.status() != Snippet.Status.OVERWRITTEN
                    && !(byImport && redeclaredByFullName(v, fullType, old, before))
                    && !redeclare(v, v.typeName(), old, before)
                    && !(!byImport && redeclaredByFullName(v, fullType, old, before))) {
                String why = shell.diagnostics(v).filter(Diag::isError).findFirst().map(CellEvaluator::firstLine)
                        .orElseGet(() -> {
                            String missing = shell.unresolvedDependencies(v).collect(Collectors.joining(", "));
                            return missing.isEmpty() ? "JShell refused it" : "it needs " + missing + ", which is"
                                    + " not declared now";
                        });
                System.err.println("note: variable " + v.name() + " was dropped, with its value: its declaration "
                        + describe(v) + " no longer compiles after this cell (" + why + ")");
            }
            return;
        }
        if (ev.causeSnippet() instanceof jdk.jshell.ImportSnippet && old != null
                && engine.variable(v.name()).filter(f -> !fits(f.getType(), old)).isPresent()
                && redeclaredByFullName(v, fullType, old, before)) {
            return; // the import made its type name another class (DJL's Trainer): it keeps the one it had
        }
        if (carryInto(v, old)) {
            noteOldElements(v, old);
        }
    }

    /**
     * After {@code t} replaced a different declaration of its type: notes each variable whose declared type does not
     * name the type ({@code Object o = new Box();}, an interface) but that holds an object of the old declaration.
     * JShell leaves such a variable alone, so it keeps the object, and a cast to the new type throws; a variable
     * whose type names it is handled where JShell recompiles it ({@link #carryOver}).
     */
    private void noteOldObjectsOfOtherTypes(jdk.jshell.TypeDeclSnippet t, List<SnippetEvent> events,
            Map<String, Object> before) {
        String name = t.name();
        boolean replaced = events.stream().anyMatch(e -> e.causeSnippet() == t
                && e.status() == Snippet.Status.OVERWRITTEN && e.snippet() instanceof jdk.jshell.TypeDeclSnippet o
                && o.name().equals(name) && !o.source().equals(t.source()));
        if (!replaced) {
            return;
        }
        variableValues().forEach((variable, value) -> {
            if (value == null || before.get(variable) != value) {
                return;
            }
            Class<?> c = value.getClass();
            while (c.isAnonymousClass()) { // an enum constant with a body, an anonymous subclass
                c = c.getSuperclass();
            }
            if (!c.getName().startsWith("REPL.") || !ErrorReport.cellNames(c.getName()).equals(name)) {
                return;
            }
            String type = shell.variables().filter(v -> v.name().equals(variable)
                    && shell.status(v) == Snippet.Status.VALID).map(VarSnippet::typeName).findFirst().orElse("?");
            if (!namesType(type, name)) {
                System.err.println("note: variable " + variable + " (" + type + ") holds a " + name + " of the old "
                        + "declaration of " + name + ": using it as " + name + " throws ClassCastException; run the "
                        + "cell that makes it again");
            }
        });
    }

    /**
     * Notes that {@code v}, which keeps its {@code old} value, holds objects of a type that the running snippet
     * redeclared ({@code List<P>} after {@code record P} changed): they are of the old declaration. JShell recompiles
     * such a variable either because of the type itself or because of another variable it uses ({@code List.of(p)}),
     * so the type is taken from the snippet that started the recompilation.
     */
    private void noteOldElements(VarSnippet v, Object old) {
        if (old != null && evaluating instanceof jdk.jshell.TypeDeclSnippet) {
            String type = ((jdk.jshell.TypeDeclSnippet) evaluating).name();
            if (!v.typeName().equals(type) && namesType(v.typeName(), type)) {
                System.err.println("note: variable " + v.name() + " (" + v.typeName() + ") keeps its value, but the "
                        + type + " objects in it are of the old declaration of " + type + ": using them as " + type
                        + " throws ClassCastException; run the cell that fills " + v.name() + " again");
            }
        }
    }

    /**
     * A variable declaration whose initializer threw ({@code int n = a / 0;}, {@code var model = train(...)} stopped
     * halfway) would leave JShell's variable at 0 or null, as if it had been computed. Instead the variable keeps the
     * value it had before the cell where that still fits its type; otherwise it is not declared, so that using it is
     * a compile error. A note says which.
     */
    private void keepEarlierValue(VarSnippet v, Map<String, Object> before) {
        if (!shell.status(v).isActive()) {
            return;
        }
        Optional<Field> field = engine.variable(v.name());
        if (before.containsKey(v.name()) && field.isPresent()) {
            Object old = before.get(v.name());
            Field f = field.get();
            if (old == null ? !f.getType().isPrimitive() : fits(f.getType(), old)) {
                try {
                    f.set(null, old);
                    System.err.println("note: variable " + v.name() + " keeps its earlier value, since its new "
                            + "initializer threw");
                    return;
                } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
                    // cannot be set: dropped below
                }
            }
        }
        shell.drop(v);
        notDeclared.put(v.name(), "its initializer threw");
        System.err.println("note: variable " + v.name() + " was not declared, since its initializer threw"
                + (before.containsKey(v.name()) ? " (its earlier value did not fit the new type " + v.typeName()
                + ")" : ""));
    }

    /**
     * Runs the kernel's own request to JShell after a statement ran, with the cell thread's interrupt flag cleared,
     * and sets the flag again afterwards when it was set. JShell's compiler reads the class path's jars through
     * interruptible channels: one read on a thread whose flag is set closes that jar for the rest of the session, and
     * every later cell that needs a class of it not read before fails to compile ("bad class file ...
     * ClosedChannelException"), or fails inside JShell. A statement stopped by Kernel → Interrupt often ends with the
     * flag set (a trainer returns early and sets it again for its caller; a stop at the next library step throws with
     * it set), and the kernel still asks JShell about the cell then: which variables the statements that did not run
     * would have declared, the variable whose initializer threw, the value snippet to drop.
     */
    private static <T> T flagCleared(java.util.function.Supplier<T> request) {
        boolean flag = Thread.interrupted();
        try {
            return request.get();
        } finally {
            if (flag) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** {@link #flagCleared(java.util.function.Supplier)} for a request without a result. */
    private static void flagCleared(Runnable request) {
        flagCleared(() -> {
            request.run();
            return null;
        });
    }

    /**
     * Remembers the variables that the failing statement {@code chunks[failed]} (when it did not compile) and the
     * statements after it (which did not run) declare, for the hint of a later "cannot find symbol".
     */
    private void rememberNotDeclared(String code, List<Chunks.Chunk> chunks, int failed, boolean didNotCompile) {
        for (int j = failed; j < chunks.size(); j++) {
            Chunks.Chunk c = chunks.get(j);
            if (c.source() == null || j == failed && !didNotCompile) {
                continue;
            }
            String why = "its declaration (line " + lineOf(code, firstNonBlank(code, c.start())) + " of the cell that "
                    + "failed: " + lineText(code, firstNonBlank(code, c.start())).strip() + ") "
                    + (j == failed ? "did not compile" : "did not run: a statement before it failed");
            for (Snippet sn : flagCleared(() -> snippetsOf(c.source()))) {
                if (sn instanceof VarSnippet) {
                    notDeclared.put(((VarSnippet) sn).name(), why);
                }
            }
        }
    }

    /**
     * @return the snippets JShell reads in {@code source} without running it (for hints, completion and the names a
     *         cell declares); none when JShell cannot read it, or fails inside its own compiler on it
     *         ({@code var a = a;}): these are courtesies, which must not hide the cell's own error
     */
    private List<Snippet> snippetsOf(String source) {
        try {
            return analysis.sourceToSnippets(source);
        } catch (RuntimeException | AssertionError | InternalError e) {
            return List.of();
        }
    }

    private static final java.util.regex.Pattern MISSING_VARIABLE =
            java.util.regex.Pattern.compile("symbol:\\s+variable\\s+([\\w$]+)");

    /** @return the hint for a diagnostic "cannot find symbol ... variable x" when a failed cell meant to declare x */
    private Optional<String> notDeclaredHint(String message) {
        java.util.regex.Matcher m = MISSING_VARIABLE.matcher(message);
        if (!m.find() || !notDeclared.containsKey(m.group(1))) {
            return Optional.empty();
        }
        return Optional.of("note: " + m.group(1) + " was not declared: " + notDeclared.get(m.group(1)));
    }

    /**
     * A method or class of an earlier cell that JShell recompiled because of this cell and that no longer compiles
     * (its variable {@code count} is now a String, and it computes {@code count * 2}) gets a note now: it throws
     * when it is called. One that waits for a declaration is noted after the cell ({@link #noteUnresolved}).
     */
    private void noteBroken(SnippetEvent ev) {
        if (!(ev.snippet() instanceof jdk.jshell.DeclarationSnippet) || ev.snippet() instanceof VarSnippet
                || ev.previousStatus() != Snippet.Status.VALID || ev.status() == Snippet.Status.VALID
                || ev.status() == Snippet.Status.OVERWRITTEN || ev.status() == Snippet.Status.DROPPED) {
            return;
        }
        jdk.jshell.DeclarationSnippet d = (jdk.jshell.DeclarationSnippet) ev.snippet();
        if (shell.unresolvedDependencies(d).findAny().isPresent()) {
            unresolved.add(d);
            return;
        }
        shell.diagnostics(d).filter(Diag::isError).findFirst().ifPresent(diag -> {
            System.err.println("note: " + describe(d) + " no longer compiles after this cell: " + firstLine(diag)
                    + "; calling it throws until it is declared again");
            broken.add(d);
        });
    }

    /**
     * A variable whose type an import gave another meaning ({@code List<Double> xs} after
     * {@code import java.awt.List;}) is declared again with its type written in full, as the variable had it before
     * the cell ({@code java.util.List<java.lang.Double>}), and keeps its value; a note says how its type is written
     * now.
     *
     * @return false when there is no such name, it is the one JShell has, or that declaration does not compile either
     */
    private boolean redeclaredByFullName(VarSnippet v, String fullType, Object old, Map<String, Object> before) {
        if (fullType == null || fullType.equals(v.typeName()) || !redeclare(v, fullType, old, before)) {
            return false;
        }
        System.err.println("note: variable " + v.name() + " keeps its value and is now declared as " + fullType
                + " " + v.name() + ": after this cell, its type " + v.typeName() + " would mean another class");
        return true;
    }

    /**
     * @return the Java source text of a variable field's type: packages written out, nested classes joined with a
     *         dot, a cell's own classes by their names ({@code REPL.$JShell$12$Box} is {@code Box})
     */
    static String fullTypeName(java.lang.reflect.Type type) {
        return ErrorReport.cellNames(type.getTypeName()).replaceAll("\\$(?=[\\p{L}_])", ".");
    }

    /**
     * A variable whose recompiled declaration JShell no longer accepts although it compiles as written: JShell
     * recompiles a {@code var} with the type it inferred first, so {@code var p = new P(1, 2);} is refused once
     * the class {@code P} is redeclared ("P cannot be converted to P"). The variable is declared again with its
     * type and no initializer, then gets its old value where that still fits ({@link #carryInto}).
     *
     * @return false when that declaration does not compile either (the variable is gone then)
     */
    private boolean redeclare(VarSnippet v, String type, Object old, Map<String, Object> before) {
        if (type == null || type.isBlank() || type.contains("<anonymous") || type.contains("&")) {
            return false; // no type that can be written down
        }
        List<SnippetEvent> events = shell.eval(type + " " + v.name() + ";");
        VarSnippet again = null;
        for (SnippetEvent e : events) {
            if (e.causeSnippet() != null) {
                carryOver(e, before);
            } else if (e.status() == Snippet.Status.VALID && e.snippet() instanceof VarSnippet) {
                again = (VarSnippet) e.snippet();
            }
        }
        if (again == null) {
            return false;
        }
        redeclarations++;
        if (carryInto(again, old)) {
            noteOldElements(again, old);
        }
        return true;
    }

    /**
     * Sets the new field of the recompiled variable {@code v} to its {@code old} value, or notes that it cannot.
     *
     * @return whether the variable keeps its old value (false: it was reset, and a note says so)
     */
    private boolean carryInto(VarSnippet v, Object old) {
        Optional<Field> field = engine.variable(v.name());
        if (field.isEmpty()) {
            System.err.println("note: variable " + v.name() + " was reset: JShell recompiled " + describe(v)
                    + " and the kernel could not find its new field");
            return false;
        }
        Field f = field.get();
        try {
            Object now = f.get(null);
            if (now == old || old == null) {
                return true;
            }
            if (fits(f.getType(), old)) {
                f.set(null, old);
                return true;
            }
            System.err.println("note: variable " + v.name() + " was reset to " + now + ": " + whyRecompiled(v)
                    + ", so " + heldObject(old) + " is not a " + v.typeName() + " of the new declaration; run the"
                    + " cell that makes it again");
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            System.err.println("note: variable " + v.name() + " was reset: " + e);
        }
        return false;
    }

    /**
     * @return whether {@code text} (a type as written, or code) names the type {@code name} on its own: not as part of
     *         a longer name, nor as a member after a dot
     */
    private static boolean namesType(String text, String name) {
        return java.util.regex.Pattern.compile("(?<![\\w$.])" + java.util.regex.Pattern.quote(name) + "(?![\\w$])")
                .matcher(text).find();
    }

    /**
     * @return why the type of {@code v} is a new class now: "its type Op was redeclared" when the running snippet
     *         declared it, else what changed under it ("JShell compiled its type Op again because method scale(int)
     *         changed": a method the type's code calls)
     */
    private String whyRecompiled(VarSnippet v) {
        if (evaluating instanceof jdk.jshell.TypeDeclSnippet t && namesType(v.typeName(), t.name())) {
            return "its type " + t.name() + " was redeclared";
        }
        String changed = evaluating instanceof jdk.jshell.MethodSnippet m ? "method " + m.name() + "("
                + m.parameterTypes() + ")" : evaluating instanceof jdk.jshell.TypeDeclSnippet t ? "type " + t.name()
                : evaluating instanceof VarSnippet w ? "variable " + w.name() : evaluating != null ? describe(evaluating)
                : "an earlier declaration";
        return "JShell compiled its type " + v.typeName() + " again because " + changed + " changed";
    }

    /**
     * @return the object a reset variable held, as a note names it: "the lambda it held, which keeps the old code",
     *         "the anonymous Op it held, which keeps the old code", or "the old Holder object"
     */
    private static String heldObject(Object old) {
        Class<?> c = old.getClass();
        if (c.isHidden() || c.isSynthetic()) {
            return "the lambda it held, which keeps the old code,";
        }
        if (c.isAnonymousClass()) {
            Class<?> of = c.getInterfaces().length > 0 ? c.getInterfaces()[0] : c.getSuperclass();
            return "the anonymous " + shownName(of) + " it held, which keeps the old code,";
        }
        return "the old " + shownName(c) + " object";
    }

    /** @return a class as a cell names it: a cell's class as the cell wrote it ({@code Outer.Inner}), else simply */
    private static String shownName(Class<?> c) {
        return c.getName().startsWith("REPL.") ? ErrorReport.cellNames(c.getName()) : c.getSimpleName();
    }

    private static boolean fits(Class<?> type, Object value) {
        if (!type.isPrimitive()) {
            return type.isInstance(value);
        }
        return MethodType.methodType(type).wrap().returnType().isInstance(value);
    }

    private Exception runtimeFailure(Snippet sn, JShellException ex) {
        if (ex instanceof UnresolvedReferenceException) {
            UnresolvedReferenceException u = (UnresolvedReferenceException) ex;
            String missing = shell.unresolvedDependencies(u.getSnippet()).collect(Collectors.joining(", "));
            if (missing.isEmpty()) { // nothing to wait for: a later declaration broke it (a variable of another type)
                String why = shell.diagnostics(u.getSnippet()).filter(Diag::isError).findFirst()
                        .map(CellEvaluator::firstLine).orElse("JShell rejected it");
                return new IllegalStateException(describe(u.getSnippet()) + " cannot run: it no longer compiles ("
                        + why + "); declare it again");
            }
            jdk.jshell.DeclarationSnippet d = u.getSnippet();
            return new IllegalStateException(bodiless(d) ? describe(d) + " has no body: declare " + d.name()
                    + "(...) again with one before calling it" : describe(d) + " cannot run before " + waitsFor(d));
        }
        Throwable original = engine.failureFor(ex);
        Throwable t = original != null ? original : ex;
        if (t instanceof OutOfMemoryError) {
            return new CellError((Error) t, "the kernel is still running; objects the cell created are freed "
                    + "unless a variable holds them; " + heapHint(Runtime.getRuntime().maxMemory(),
                    tpdiff4j.nn.Compute.physicalMemoryBytes()));
        }
        if (t instanceof ThreadDeath) {
            // no cause: the ThreadDeath's trace is that of the kernel's thread that stopped the cell, not the cell's
            return new CellInterrupted("the cell ignored the interrupt and was stopped", null);
        }
        if (Thread.currentThread().isInterrupted() || t instanceof InterruptedException) {
            return new CellInterrupted("the cell was interrupted", t);
        }
        if (t instanceof java.util.concurrent.CancellationException && interruptAsked.getAsBoolean()) {
            // the library's solvers and samplers end with this when interrupted (they clear the flag)
            return new CellInterrupted("the cell was interrupted: " + t.getMessage(), t);
        }
        if (t instanceof StackOverflowError) {
            return new CellError((Error) t, "a method called itself again and again until the stack was full: a "
                    + "recursive method needs a case that returns without calling itself; the kernel is still running");
        }
        if (t instanceof Error) {
            return new CellError((Error) t, null);
        }
        if (t instanceof NullPointerException && String.valueOf(t.getMessage()).contains(
                "\"java.lang.System.console()\" is null")) {
            NullPointerException hinted = new NullPointerException(t.getMessage() + NO_CONSOLE);
            hinted.setStackTrace(t.getStackTrace());
            return hinted;
        }
        return (Exception) t;
    }

    /** Why {@code System.console()} is null in a cell, and what to read instead. */
    static final String NO_CONSOLE = ": the kernel has no terminal, so System.console() is null in a cell; read "
            + "System.in instead (new Scanner(System.in).nextLine()), which asks the front end for a line";

    /** How the error of code that ends inside a statement starts. */
    static final String INCOMPLETE = "incomplete code: ";

    /**
     * The cell ends inside its last statement (JShell would wait for more lines): the error names what is still
     * open, e.g. the {@code {} of a method whose {@code }} is missing, with its line and a caret under it.
     */
    private static CompileError incomplete(String code, Chunks.Chunk chunk) {
        int from = firstNonBlank(code, chunk.start());
        String start = INCOMPLETE + "the cell ends inside the statement that starts at line " + lineOf(code, from);
        int open = Chunks.unclosedAt(chunk.text());
        if (open < 0) {
            return new CompileError(start, pointAt(code, from, "this statement is not finished"));
        }
        String what = chunk.text().startsWith("/*", open) ? "the comment /*"
                : chunk.text().startsWith("\"\"\"", open) ? "the text block \"\"\""
                : "the '" + chunk.text().charAt(open) + "'";
        int at = chunk.start() + open;
        return new CompileError(start + "; " + what + " at line " + lineOf(code, at) + " is never closed",
                pointAt(code, at, what + " is never closed"));
    }

    /** @return the lines "line L: message", the cell's line L, and a caret under {@code code[at]} */
    private static List<String> pointAt(String code, int at, String message) {
        return List.of("line " + lineOf(code, at) + ": " + message.replace("\n", "\n    "), "    " + lineText(code, at),
                "    " + caretIndent(code.substring(lineStart(code, at), Math.min(at, code.length()))) + ErrorReport.RED
                        + "^" + ErrorReport.RESET);
    }

    /**
     * @return white space as wide as {@code before} (the line up to the caret): a space for each character, and a tab
     *         where the line has one, so that the caret stays under its place however wide a tab is shown
     */
    static String caretIndent(String before) {
        return before.replaceAll("[^\t]", " ");
    }

    private CompileError compileError(String code, Chunks.Chunk chunk, Snippet sn) {
        List<Diag> diags = shell.diagnostics(sn).filter(Diag::isError).collect(Collectors.toList());
        List<String> lines = new ArrayList<>();
        String first = diags.isEmpty() ? "the snippet was rejected" : firstLine(diags.get(0));
        for (Diag d : diags) {
            // javac's "location: class" names JShell's wrapper class, which is empty or meaningless in a cell
            String msg = ErrorReport.cellNames(d.getMessage(Locale.ROOT))
                    .replaceAll("\\n\\s*location: class\\s*(?=\\n|$)", "");
            long pos = Math.max(0, d.getPosition() >= 0 ? d.getPosition() : d.getStartPosition());
            // never on the blank before the statement (where "code too large", which has no place, points)
            int at = Math.max(firstNonBlank(code, chunk.start()),
                    (int) Math.min(code.length(), chunk.start() + Math.min(pos, chunk.text().length())));
            lines.addAll(pointAt(code, at, msg));
            notDeclaredHint(msg).ifPresent(h -> lines.add("    " + h));
            if (msg.contains("attempting to assign stronger access privileges; was public")) {
                lines.add("    note: JShell declares the classes and records of a cell public, so a record's "
                        + "canonical or compact constructor must be public too (public " + recordName(chunk.text())
                        + "(...) or public " + recordName(chunk.text()) + " { ... })");
            }
            try {
                int p = (int) Math.min(pos, chunk.text().length());
                memberHint(chunk.text(), p, d.getMessage(Locale.ROOT)).ifPresent(h -> lines.add("    " + h));
                importHint(d.getMessage(Locale.ROOT)).ifPresent(h -> lines.add("    " + h));
                factoryHint(d.getMessage(Locale.ROOT)).ifPresent(h -> lines.add("    " + h));
                if (notDeclaredHint(msg).isEmpty()) {
                    undeclaredHint(code, chunk.text(), p, d.getMessage(Locale.ROOT)).ifPresent(h -> lines.add("    " + h));
                }
            } catch (RuntimeException e) {
                // the hint is a courtesy: a completion that fails here must not hide the compile error itself
            }
        }
        lines.addAll(waitingTypes(chunk.text(), sn));
        return new CompileError(first, lines);
    }

    /** @return the name of the first record that {@code text} declares, or "Name" when it declares none */
    private static String recordName(String text) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("\\brecord\\s+([\\w$]+)").matcher(text);
        return m.find() ? m.group(1) : "Name";
    }

    private static final java.util.regex.Pattern MISSING_MEMBER =
            java.util.regex.Pattern.compile("symbol:\\s+(method|variable) ([\\w$]+)");

    /** javac's errors for a type name it does not know: as a package, as a class, as a variable before a dot. */
    private static final java.util.regex.Pattern UNKNOWN_TYPE = java.util.regex.Pattern.compile(
            "^package ([A-Z][\\w$]*) does not exist|symbol:\\s+(?:class|variable) ([A-Z][\\w$]*)");

    /**
     * A note for a tpdiff4j class that the notebook's imports leave out ({@code Comparison} of the benchmarks, which
     * would crowd the namespace if imported by default): where it is, and the import that makes it known.
     *
     * @param message the diagnostic
     */
    static Optional<String> importHint(String message) {
        java.util.regex.Matcher m = UNKNOWN_TYPE.matcher(message);
        if (!m.find()) {
            return Optional.empty();
        }
        String simple = m.group(1) != null ? m.group(1) : m.group(2);
        List<String> packages = new ArrayList<>(List.of("tpdiff4j.bench", "tpdiff4j.kernel", "tpdiff4j"));
        Preload.PACKAGES.forEach(p -> packages.add("tpdiff4j." + p));
        List<String> found = new ArrayList<>();
        for (String p : packages) {
            classNamed(p + "." + simple).filter(c -> java.lang.reflect.Modifier.isPublic(c.getModifiers()))
                    .ifPresent(c -> found.add(c.getName()));
        }
        if (found.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of("note: " + simple + " is " + String.join(" or ", found) + ", which the notebook's imports"
                + " leave out: add " + found.stream().map(f -> "import " + f + ";").collect(Collectors.joining(" or "))
                + " at the top of the cell");
    }

    /** javac's errors for {@code new X(...)} of a class whose constructors are not public. */
    private static final java.util.regex.Pattern HIDDEN_CONSTRUCTOR = java.util.regex.Pattern.compile(
            "^constructor [\\w$]+ in class ([\\w.$]+) cannot be applied|^[\\w$]+\\([^)]*\\) has private access in ([\\w.$]+)");

    /**
     * A note for {@code new TemporalPyramid(...)} and the like, a class that is made by its static methods instead of
     * a public constructor (javac's message then lists the private constructor's parameters, which are no help): the
     * methods that make one.
     *
     * @param message the diagnostic
     */
    static Optional<String> factoryHint(String message) {
        java.util.regex.Matcher m = HIDDEN_CONSTRUCTOR.matcher(message);
        if (!m.find()) {
            return Optional.empty();
        }
        String name = m.group(1) != null ? m.group(1) : m.group(2);
        Class<?> type = null;
        for (String binary = name; type == null; ) {   // a nested class: a.b.Outer.Inner is a.b.Outer$Inner
            type = classNamed(binary).orElse(null);
            if (type == null) {
                int dot = binary.lastIndexOf('.');
                if (dot < 0) {
                    return Optional.empty();
                }
                binary = binary.substring(0, dot) + "$" + binary.substring(dot + 1);
            }
        }
        if (type.getConstructors().length > 0) {
            return Optional.empty();   // a public constructor exists: the arguments are what is wrong
        }
        Class<?> made = type;
        List<String> makers = java.util.Arrays.stream(type.getMethods())
                .filter(x -> java.lang.reflect.Modifier.isStatic(x.getModifiers()) && x.getDeclaringClass() == made)
                .filter(x -> x.getReturnType() == made || x.getReturnType().getEnclosingClass() == made)
                .map(x -> made.getSimpleName() + "." + x.getName() + (x.getParameterCount() == 0 ? "()" : "(...)"))
                .distinct().sorted().toList();
        if (makers.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of("note: " + made.getSimpleName() + " has no public constructor; make one with "
                + (makers.size() == 1 ? makers.get(0) : String.join(", ", makers.subList(0, makers.size() - 1))
                + " or " + makers.get(makers.size() - 1)));
    }

    /** javac's error for a field that exists but is private: a record's component read as {@code st.start}. */
    private static final java.util.regex.Pattern PRIVATE_FIELD =
            java.util.regex.Pattern.compile("^([\\w$]+) has private access in ");

    /**
     * A "did you mean" for a member that does not exist ({@code builder.withFrame(16)}, {@code sampler.set_timesteps}):
     * the members that completion offers after the dot the diagnostic points at, the closest by {@link NameHints}. A
     * method named as a field ({@code st.start}: no such field, or a record's private component field) is offered as
     * the call, {@code start()}.
     *
     * @param text    the snippet's text
     * @param pos     the diagnostic's position in it (javac puts it on the dot before the member)
     * @param message the diagnostic
     */
    private Optional<String> memberHint(String text, int pos, String message) {
        java.util.regex.Matcher m = MISSING_MEMBER.matcher(message);
        java.util.regex.Matcher hidden = PRIVATE_FIELD.matcher(message);
        boolean missing = message.startsWith("cannot find symbol") && m.find();
        if (!missing && !hidden.find() || pos >= text.length() || text.charAt(pos) != '.') {
            return Optional.empty();
        }
        String typed = missing ? m.group(2) : hidden.group(1);
        int[] anchor = new int[1];
        Map<String, String> shown = new java.util.LinkedHashMap<>();
        for (SourceCodeAnalysis.Suggestion s : analysis.completionSuggestions(text.substring(0, pos + 1), pos + 1,
                anchor)) {
            String c = s.continuation();
            String name = c.endsWith("()") ? c.substring(0, c.length() - 2)
                    : c.endsWith("(") ? c.substring(0, c.length() - 1) : c;
            shown.putIfAbsent(name, c.endsWith("()") ? name + "()" : c.endsWith("(") ? name + "(...)" : name);
        }
        if ((!missing || m.group(1).equals("variable")) && shown.getOrDefault(typed, "").endsWith(")")) {
            // st.start where start is a method: the name is right, the parentheses are missing
            return Optional.of("did you mean " + shown.get(typed) + "? (" + typed + " is a method: call it with"
                    + " parentheses)");
        }
        if (!missing) {
            return Optional.empty();
        }
        Optional<String> replaced = NameHints.replacement(m.group(2), new ArrayList<>(shown.keySet()));
        if (replaced.isPresent()) {
            return Optional.of(m.group(2) + " was replaced by " + replaced.get());
        }
        List<String> best = NameHints.closest(m.group(2), new ArrayList<>(shown.keySet()));
        if (best.isEmpty()) {
            return Optional.empty();
        }
        List<String> calls = best.stream().map(shown::get).collect(Collectors.toList());
        return Optional.of("did you mean " + (calls.size() == 1 ? calls.get(0)
                : String.join(", ", calls.subList(0, calls.size() - 1)) + " or " + calls.get(calls.size() - 1))
                + "? (Tab after the dot lists them all)");
    }

    /**
     * The hint for a variable or method named on its own ({@code needTraining();}, {@code vanillaLos.size()}) that
     * no cell of this kernel declares: the closest names when one is close (a typo), among earlier cells' variables
     * and methods and this cell's own words (a local variable misspelt inside a loop); when the cell declares the name
     * elsewhere, that it is out of scope where the error is; else that the cell declaring it has not run in this
     * kernel, the usual cause after a restart or when a notebook is run from the middle. Names that start with a
     * capital are left alone: those are usually classes (a missing import).
     *
     * @param cell    the whole cell, whose words are candidates
     * @param text    the snippet's text
     * @param pos     the diagnostic's position in it (javac puts it on the name)
     * @param message the diagnostic
     */
    private Optional<String> undeclaredHint(String cell, String text, int pos, String message) {
        java.util.regex.Matcher m = MISSING_MEMBER.matcher(message);
        if (!message.startsWith("cannot find symbol") || !m.find()) {
            return Optional.empty();
        }
        String name = m.group(2);
        if (Character.isUpperCase(name.charAt(0)) || !text.startsWith(name, pos)
                || pos > 0 && text.charAt(pos - 1) == '.') {
            return Optional.empty();
        }
        Map<String, String> declared = new java.util.LinkedHashMap<>();   // name -> as shown
        shell.variables().filter(v -> shell.status(v).isActive()).forEach(v -> declared.putIfAbsent(v.name(), v.name()));
        shell.methods().filter(x -> shell.status(x).isActive()).forEach(x -> declared.putIfAbsent(x.name(),
                x.name() + (x.parameterTypes().isEmpty() ? "()" : "(...)")));
        // the variables the cell itself declares: a local variable misspelt inside the cell is closer to them than to
        // other cells; the cell's other words (members it calls, names of cells not run yet, lambda parameters) are no
        // variable the typed name could have been meant as
        Set<String> own = new LinkedHashSet<>();
        java.util.regex.Matcher w = WORD.matcher(cell);
        while (w.find()) {
            if (!w.group().equals(name) && !javax.lang.model.SourceVersion.isKeyword(w.group())
                    && declaresLocally(cell, w.group())) {
                own.add(w.group());
            }
        }
        if (declaresLocally(cell, name)) { // declared in this cell, out of scope where it is used
            return Optional.of("note: " + name + " is named elsewhere in this cell but is not in scope here: a variable"
                    + " declared inside a block { ... } lives only until that block's closing brace");
        }
        List<String> candidates = new ArrayList<>(declared.keySet());
        candidates.addAll(own);
        List<String> best = NameHints.closest(name, candidates);
        if (!best.isEmpty()) {
            // a name this cell declared in an earlier statement is the cell's own, not an earlier cell's
            boolean earlier = best.stream().allMatch(b -> declared.containsKey(b) && !own.contains(b));
            return Optional.of("did you mean " + best.stream().map(b -> declared.getOrDefault(b, b))
                    .collect(Collectors.joining(" or ")) + "?" + (earlier ? " (declared by an earlier cell)" : ""));
        }
        Optional<jdk.jshell.DeclarationSnippet> failing = broken.stream()
                .filter(d -> d.name().equals(name) && stillBroken(d)).findFirst();
        if (failing.isPresent()) {
            jdk.jshell.DeclarationSnippet d = failing.get();
            String why = shell.diagnostics(d).filter(Diag::isError).findFirst().map(CellEvaluator::firstLine)
                    .map(reason -> " (" + reason + ")").orElse("");
            return Optional.of("note: an earlier cell declared " + describe(d) + ", but it does not compile now" + why
                    + ": declare it again once it does");
        }
        return Optional.of("note: no cell run in this kernel declares " + name + ": run the cell that declares it"
                + " first (after a restart, or in a new kernel, nothing of an earlier run is kept: run the notebook's"
                + " cells from the top)");
    }

    /**
     * Whether {@code cell} declares a variable {@code name} somewhere: a type (a word, or one ending in {@code >} or
     * {@code ]}), then the name, then {@code =}, {@code ;}, {@code ,}, {@code :} or {@code )}; a keyword before the
     * name counts only when it is a primitive type ({@code return total;} declares nothing).
     */
    static boolean declaresLocally(String cell, String name) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("([A-Za-z0-9_$>\\]]+)\\s+"
                + java.util.regex.Pattern.quote(name) + "\\s*[=;,:)]").matcher(cell);
        while (m.find()) {
            String type = m.group(1);
            if (!javax.lang.model.SourceVersion.isKeyword(type)
                    || Set.of("boolean", "byte", "char", "short", "int", "long", "float", "double").contains(type)) {
                return true;
            }
        }
        return false;
    }

    /** A Java word as the hint for an undeclared name reads a cell: identifiers and keywords alike. */
    private static final java.util.regex.Pattern WORD = java.util.regex.Pattern.compile("\\b[A-Za-z_$][A-Za-z0-9_$]*\\b");

    /**
     * Notes for the types that {@code text} names but that the session cannot use yet, because their declaration
     * waits for others ({@code sealed interface Shape permits Circle, Square}, then {@code record Circle(...)
     * implements Shape}): until then the name means nothing, or a type of the same name from a wildcard import
     * (DJL's {@code ai.djl.ndarray.types.Shape}), which gives confusing errors.
     */
    private List<String> waitingTypes(String text, Snippet failed) {
        List<String> out = new ArrayList<>();
        shell.types().filter(t -> t != failed && shell.status(t) == Snippet.Status.RECOVERABLE_NOT_DEFINED)
                .filter(t -> namesType(text, t.name()))
                .forEach(t -> {
                    List<String> deps = shell.unresolvedDependencies(t).collect(Collectors.toList());
                    String imported = importedType(t.name());
                    if (deps.isEmpty()) { // nothing to wait for: a declaration it uses changed under it
                        String why = shell.diagnostics(t).filter(Diag::isError).findFirst()
                                .map(CellEvaluator::firstLine).orElse("JShell rejected it");
                        out.add("note: " + t.name() + " is declared in this session but no longer compiles (" + why
                                + ")" + (imported == null ? "" : ", so " + t.name() + " here means " + imported
                                + " of the notebook's imports") + "; declare it again");
                        return;
                    }
                    out.add("note: " + t.name() + " is declared in this session but cannot be used until "
                            + String.join(", ", deps) + (deps.size() == 1 ? " is" : " are") + " declared"
                            + (imported == null ? "" : "; until then " + t.name() + " here means " + imported
                            + " of the notebook's imports")
                            + "; declare types that refer to each other in one declaration (e.g. the records "
                            + "nested in the sealed interface) or rename " + t.name());
                });
        return out;
    }

    /** @return the class that a wildcard import of the session gives {@code simpleName}, or null */
    private String importedType(String simpleName) {
        List<String> packages = new ArrayList<>(List.of("java.lang"));
        shell.imports().filter(i -> shell.status(i).isActive() && !i.isStatic() && i.fullname().endsWith(".*"))
                .forEach(i -> packages.add(i.fullname().substring(0, i.fullname().length() - 2)));
        return packages.stream().map(p -> classNamed(p + "." + simpleName)).flatMap(Optional::stream).findFirst()
                .map(Class::getName).orElse(null);
    }

    private static String firstLine(Diag d) {
        String m = ErrorReport.cellNames(d.getMessage(Locale.ROOT));
        int nl = m.indexOf('\n');
        return nl < 0 ? m : m.substring(0, nl);
    }

    private static String describe(Snippet sn) {
        String src = sn.source().strip();
        int nl = src.indexOf('\n');
        return "'" + (nl < 0 ? src : src.substring(0, nl) + " ...") + "'";
    }

    /** Adds jars or folders (separated by the path separator) to the compiler and the class loader. */
    public void addToClasspath(String path) {
        shell.addToClasspath(path);
    }

    /**
     * Completion at {@code cursor}.
     *
     * @return the distinct completions and, in {@code anchor[0]}, where the replaced text starts
     */
    public List<String> complete(String code, int cursor, int[] anchor) {
        List<Chunks.Chunk> chunks = Chunks.split(analysis, code);
        int at = chunkAt(chunks, cursor);
        int base = at < 0 ? 0 : chunks.get(at).start();
        String text = code.substring(base);
        int[] a = new int[1];
        List<SourceCodeAnalysis.Suggestion> suggestions = analysis.completionSuggestions(text, cursor - base, a);
        if (suggestions.isEmpty() && at > 0) {
            // nothing in the session's scope: perhaps a variable an earlier statement of this cell declares
            String context = localContext(chunks, at);
            int[] b = new int[1];
            List<SourceCodeAnalysis.Suggestion> local = context.isEmpty() ? List.of()
                    : analysis.completionSuggestions(context + text, context.length() + cursor - base, b);
            if (!local.isEmpty() && b[0] >= context.length()) {
                suggestions = local;
                a[0] = b[0] - context.length();
            }
        }
        List<CompletionRanking.Candidate> found = new ArrayList<>();
        for (SourceCodeAnalysis.Suggestion s : suggestions) {
            found.add(new CompletionRanking.Candidate(s.continuation(), s.matchesType()));
        }
        anchor[0] = base + a[0];
        Set<String> variables = shell.variables().filter(v -> shell.status(v).isActive()).map(v -> v.name())
                .collect(Collectors.toCollection(java.util.HashSet::new));
        // JShell proposes no plain name that the cell itself declares (not even inside a block): add those
        String typed = nameBefore(code, cursor);
        if (!typed.isEmpty() && at > 0) {
            for (String name : cellVariables(chunks, at)) {
                if (name.startsWith(typed)) {
                    found.add(new CompletionRanking.Candidate(name, false));
                    variables.add(name);
                    anchor[0] = cursor - typed.length();
                }
            }
        }
        return CompletionRanking.rank(found, code.substring(anchor[0], Math.max(anchor[0], cursor)), variables);
    }

    /** @return the identifier that ends at {@code cursor}, unless it follows a dot (a member); else empty */
    static String nameBefore(String code, int cursor) {
        int i = cursor;
        while (i > 0 && Character.isJavaIdentifierPart(code.charAt(i - 1))) {
            i--;
        }
        if (i == cursor || !Character.isJavaIdentifierStart(code.charAt(i))) {
            return "";
        }
        int j = i;
        while (j > 0 && Character.isWhitespace(code.charAt(j - 1))) {
            j--;
        }
        return j > 0 && code.charAt(j - 1) == '.' ? "" : code.substring(i, cursor);
    }

    /** @return the names of the variables that the statements before {@code chunks[at]} declare */
    private List<String> cellVariables(List<Chunks.Chunk> chunks, int at) {
        List<String> names = new ArrayList<>();
        for (int j = 0; j < at; j++) {
            Chunks.Chunk c = chunks.get(j);
            if (c.source() == null || c.text().isBlank()) {
                continue;
            }
            for (Snippet sn : snippetsOf(c.source())) {
                if (sn instanceof VarSnippet v) {
                    names.add(v.name());
                }
            }
        }
        return names;
    }

    /** @return the signatures and documentation of the symbol at {@code cursor} ({@link Inspector}); empty when none */
    public List<String> documentation(String code, int cursor, boolean javadoc) {
        List<Chunks.Chunk> chunks = Chunks.split(analysis, code);
        int at = chunkAt(chunks, cursor);
        int base = at < 0 ? 0 : chunks.get(at).start();
        Inspector inspector = new Inspector(shell, analysis);
        List<String> found = inspector.describe(code.substring(base), cursor - base, javadoc);
        String context = found.isEmpty() && at > 0 ? localContext(chunks, at) : "";
        return context.isEmpty() ? found
                : inspector.describe(context + code.substring(base), context.length() + cursor - base, javadoc);
    }

    /**
     * The statements and variable declarations of the cell before {@code chunks[at]}, one per line: JShell completes
     * a statement in the scope of statements written before it (as in a method body), but not after a method or
     * class declaration, so those, and imports, are left out.
     */
    private String localContext(List<Chunks.Chunk> chunks, int at) {
        StringBuilder sb = new StringBuilder();
        for (int j = 0; j < at; j++) {
            Chunks.Chunk c = chunks.get(j);
            if (c.source() == null || c.text().isBlank()) {
                continue;
            }
            List<Snippet> parsed = snippetsOf(c.source());
            boolean statement = !parsed.isEmpty() && parsed.stream().allMatch(sn -> sn.kind() == Snippet.Kind.VAR
                    || sn.kind() == Snippet.Kind.STATEMENT || sn.kind() == Snippet.Kind.EXPRESSION);
            if (statement) {
                sb.append(c.source()).append('\n');
            }
        }
        return sb.toString();
    }

    /** @return the index of the snippet that holds {@code cursor} (the last one starting at or before it), or -1 */
    private static int chunkAt(List<Chunks.Chunk> chunks, int cursor) {
        int at = -1;
        for (int i = 0; i < chunks.size() && chunks.get(i).start() <= cursor; i++) {
            at = i;
        }
        return at;
    }

    /** @return whether the session has an active variable or method named {@code name} */
    boolean declares(String name) {
        return java.util.stream.Stream.concat(shell.variables(), shell.methods())
                .anyMatch(d -> d.name().equals(name) && shell.status(d).isActive());
    }

    /** @return "complete", "incomplete" (with the indent to continue with), or "invalid" for the whole cell */
    public String completeness(String code) {
        for (Chunks.Chunk c : Chunks.split(analysis, code)) {
            if (c.source() == null) {
                return "incomplete";
            }
            if (c.completeness() == SourceCodeAnalysis.Completeness.UNKNOWN) {
                return "invalid";
            }
        }
        return "complete";
    }

    /**
     * The line of a declaration a cell made (a method, or a method of a class) where the JVM frame {@code frame} is:
     * JShell compiles each declaration into a wrapper class ({@code REPL.$JShell$20}, a class {@code Box} of it as
     * {@code REPL.$JShell$20$Box}) whose line numbers count the wrapper's lines; the wrapper maps them back to the
     * declaration's text. Null when no active declaration has that class or the line does not map.
     */
    ErrorReport.DeclaredLine declaredLine(StackTraceElement frame) {
        String cls = frame.getClassName();
        int n = frame.getLineNumber();
        if (!cls.startsWith("REPL.") || n < 1) {
            return null;
        }
        for (Snippet sn : (Iterable<Snippet>) shell.snippets()::iterator) {
            if (!(sn instanceof jdk.jshell.DeclarationSnippet) || sn instanceof VarSnippet || !shell.status(sn).isActive()) {
                continue;
            }
            SourceCodeAnalysis.SnippetWrapper w = analysis.wrapper(sn);
            if (!cls.equals(w.fullClassName()) && !cls.startsWith(w.fullClassName() + "$")) {
                continue;
            }
            String wrapped = w.wrapped();
            int at = 0;
            for (int line = 1; line < n && at >= 0; line++) {
                at = wrapped.indexOf('\n', at);
                at = at < 0 ? -1 : at + 1;
            }
            if (at < 0) {
                return null;
            }
            while (at < wrapped.length() && (wrapped.charAt(at) == ' ' || wrapped.charAt(at) == '\t')) {
                at++; // the line's first character of code maps into the declaration, leading blanks may not
            }
            int pos = w.wrappedToSourcePosition(at);
            String source = w.source();
            if (pos < 0 || pos >= source.length()) {
                return null;
            }
            int line = 1 + (int) source.substring(0, pos).chars().filter(c -> c == '\n').count();
            int start = source.lastIndexOf('\n', pos - 1) + 1;
            int end = source.indexOf('\n', pos);
            return new ErrorReport.DeclaredLine(line, source.substring(start, end < 0 ? source.length() : end));
        }
        return null;
    }

    /**
     * Where the last cell stopped, when {@code failure} (or the cause it wraps) is what ended it: a statement that
     * threw, or one that did not compile (that one did not run; its traceback shows its line and column).
     */
    Optional<Stop> stopOf(Throwable failure) {
        Stop s = lastStop;
        return s != null && failure != null && (s.failure() == failure || s.failure() == failure.getCause())
                ? Optional.of(s) : Optional.empty();
    }

    /** The failing statement {@code chunks[i]} of {@code code} and the statements after it, which did not run. */
    static Stop stop(Throwable failure, String code, List<Chunks.Chunk> chunks, int i) {
        int from = firstNonBlank(code, chunks.get(i).start());
        String where = "line " + lineOf(code, from) + " of the cell: " + lineText(code, from).strip();
        return new Stop(failure, where, skipped(code, chunks, i + 1, i > 0));
    }

    /** @return the statements {@code chunks[from..]} of {@code code} as skipped ones (comments and blanks left out) */
    private static Skipped skipped(String code, List<Chunks.Chunk> chunks, int from, boolean ranBefore) {
        int count = 0, first = -1, last = -1;
        for (int j = from; j < chunks.size(); j++) {
            Chunks.Chunk c = chunks.get(j);
            if (c.text().isBlank()) {
                continue;
            }
            // a chunk carries the comment lines around its statement: only the statement's lines are named
            String[] lines = c.text().split("\n", -1);
            int line0 = lineOf(code, c.start());
            int own = 0;
            for (int k = 0; k < lines.length; k++) {
                String t = lines[k].strip();
                if (!t.isEmpty() && !t.startsWith("//")) {
                    first = first < 0 ? line0 + k : first;
                    last = line0 + k;
                    own++;
                }
            }
            count += own > 0 ? 1 : 0;
        }
        return new Skipped(count, first, last, ranBefore, "");
    }

    /**
     * @param code      Java lines of a cell that did not run, after as many empty lines as come before them in the
     *                  cell (so that line numbers are the cell's)
     * @param ranBefore whether parts of the cell before them ran
     * @return its statements as skipped ones
     */
    Skipped notRun(String code, boolean ranBefore) {
        return skipped(code, Chunks.split(analysis, code), 0, ranBefore);
    }

    /**
     * {@code failure} ended a file that {@code %load} ran as one cell: the failing statement's place names that file,
     * whose lines it counts, not the cell ({@code line 3 of helpers.jsh: ...}).
     */
    void failedInFile(Throwable failure, String file) {
        Stop s = stopOf(failure).orElse(null);
        String cell = " of the cell: ";
        int at = s == null ? -1 : s.where().indexOf(cell);
        if (at >= 0) {
            lastStop = new Stop(s.failure(), s.where().substring(0, at) + " of " + file + ": "
                    + s.where().substring(at + cell.length()), s.rest());
        }
    }

    /**
     * A cell whose parts (Java between magic lines, each magic line) run one after the other stopped at the part
     * that threw {@code failure}: the parts after it did not run either, which the error then says.
     *
     * @param failure  what the failing part threw
     * @param line     the cell line where the failing part starts, and its text: the error's place when the part
     *                 itself gave none (a magic)
     * @param later    the statements and magics after the failing part
     * @param fromFile true when the failing part was a {@code %load}: its own place and statements count the
     *                 file's lines, so the cell's lines are named in a sentence of their own
     */
    void laterPartsDidNotRun(Throwable failure, String line, Skipped later, boolean fromFile) {
        Stop s = stopOf(failure).orElse(null);
        if (s == null) {
            lastStop = new Stop(failure, line, later);
        } else if (fromFile) {
            lastStop = later.count() == 0 ? s : new Stop(s.failure(), s.where(), new Skipped(s.rest().count(),
                    s.rest().first(), s.rest().last(), s.rest().ranBefore(), "back in the cell, " + (later.count() == 1
                    ? "the statement" : "the " + later.count() + " statements") + " after the %load line ("
                    + (later.first() == later.last() ? "line " + later.first() : "lines " + later.first() + "-"
                    + later.last()) + ") did not run"));
        } else {
            lastStop = new Stop(s.failure(), s.where(), s.rest().then(later));
        }
    }

    /**
     * Where the statement of a chunk that starts at {@code offset} begins: past white space and comments, since a
     * chunk carries the comments before its statement, such as one at the end of the previous statement's line (that
     * line belongs to the previous statement). An unclosed block comment is where it stops; a chunk of comments only
     * gives its first comment, one of white space only {@code offset}.
     */
    private static int firstNonBlank(String code, int offset) {
        int k = offset, firstText = -1;
        while (k < code.length()) {
            if (Character.isWhitespace(code.charAt(k))) {
                k++;
                continue;
            }
            firstText = firstText < 0 ? k : firstText;
            if (code.startsWith("//", k)) {
                int end = code.indexOf('\n', k);
                if (end < 0) {
                    break;
                }
                k = end + 1;
            } else if (code.startsWith("/*", k)) {
                int end = code.indexOf("*/", k + 2);
                if (end < 0) {
                    return k;
                }
                k = end + 2;
            } else {
                return k;
            }
        }
        return firstText >= 0 ? firstText : offset;
    }

    static int lineOf(String code, int offset) {
        int line = 1;
        for (int i = 0; i < Math.min(offset, code.length()); i++) {
            if (code.charAt(i) == '\n') {
                line++;
            }
        }
        return line;
    }

    private static int lineStart(String code, int offset) {
        int s = Math.min(offset, code.length());
        while (s > 0 && code.charAt(s - 1) != '\n') {
            s--;
        }
        return s;
    }

    private static String lineText(String code, int offset) {
        int s = lineStart(code, offset);
        int e = code.indexOf('\n', s);
        return code.substring(s, e < 0 ? code.length() : e);
    }

    @Override
    public void close() {
        shell.close();
    }
}
