package tpdiff4j.kernel;

import java.lang.reflect.Field;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

import jdk.jshell.execution.DirectExecutionControl;
import jdk.jshell.spi.ExecutionControl;
import jdk.jshell.spi.ExecutionControlProvider;
import jdk.jshell.spi.ExecutionEnv;

/**
 * JShell execution engine that runs every snippet in this JVM, on the thread that calls {@code JShell.eval}.
 *
 * <p>JShell's own {@code "local"} engine starts a new thread per snippet, which breaks DJL (PyTorch grad mode is per
 * thread). This engine is a {@link DirectExecutionControl} that also keeps, for the kernel, the raw value of the last
 * snippet (JShell itself only keeps a string) and the original {@link Throwable} a snippet threw (JShell only keeps
 * its class name, message and frames). {@link #inClientCode()} tells whether user code is running right now.
 *
 * <p>It also knows, for each variable a cell declared, the static field that holds it now: JShell keeps a variable
 * as a static field of a wrapper class ({@code REPL.$JShell$12}) and, when it recompiles the declaration because
 * something it depends on changed, loads a new wrapper ({@code REPL.$JShell$12B}) whose field starts at null or 0.
 * {@link #variable(String)} lets the kernel carry the value over.
 */
public final class InProcessExecution implements ExecutionControlProvider {

    /** Name of this engine for {@code JShell.Builder.executionEngine}. */
    public static final String NAME = "tpdiff4j-in-process";

    private volatile Control control;

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Map<String, String> defaultParameters() {
        return Map.of();
    }

    @Override
    public ExecutionControl generate(ExecutionEnv env, Map<String, String> parameters) {
        Control c = new Control(this);
        control = c;
        return c;
    }

    /**
     * Runs {@code hook} on the cell thread right before a snippet runs whose classes refer to DJL ({@code ai.djl})
     * or to the library outside this kernel package, as long as the hook is set (null removes it). The kernel uses
     * it to let such a snippet wait for the engine's start ({@link ComputeStartup}); other snippets run at once.
     */
    public void beforeComputeCode(Runnable hook) {
        computeHook = hook;
    }

    private volatile Runnable computeHook;

    /**
     * Runs {@code hook} on the cell thread right before each snippet's code runs, once JShell has loaded the classes
     * it compiled for it, with the snippet's own wrapper class (null removes it). JShell compiles, together with a
     * snippet, the older variables that depend on what it changes, and their new fields start at null or 0: the
     * kernel uses the hook to give them their values before the snippet can read them.
     */
    public void beforeEachRun(java.util.function.Consumer<Class<?>> hook) {
        runHook = hook;
    }

    private volatile java.util.function.Consumer<Class<?>> runHook;

    /** @return the raw value the last snippet evaluated to ({@code null} for statements and void calls) */
    public Object lastValue() {
        Control c = control;
        return c == null ? null : c.lastValue;
    }

    /** @return the throwable the last snippet threw, or {@code null} when it completed normally */
    public Throwable lastFailure() {
        Control c = control;
        return c == null ? null : c.lastFailure;
    }

    /**
     * @param reported the failure JShell reports for a snippet
     * @return the throwable that snippet's code threw: the last failure when it was the last snippet to run, else the
     *         one of the snippets since {@link #clear} that {@code reported} stands for (JShell runs the variables of
     *         {@code int a = 1, b = 1 / 0, c = 3;} one after the other, and the later ones run after one threw); null
     *         when none is known
     */
    public Throwable failureFor(jdk.jshell.JShellException reported) {
        Control c = control;
        if (c == null) {
            return null;
        }
        if (reported instanceof jdk.jshell.EvalException e) {
            synchronized (c.failures) {
                for (Throwable t : c.failures) {
                    if (t.getClass().getName().equals(e.getExceptionClassName())
                            && String.valueOf(t.getMessage()).equals(String.valueOf(e.getMessage()))) {
                        return t;
                    }
                }
            }
        }
        return c.lastFailure;
    }

    /** @return true while a snippet's own code (not JShell's compiler) runs */
    public boolean inClientCode() {
        Control c = control;
        return c != null && c.inClient;
    }

    /**
     * @param name a variable declared in a cell
     * @return the static field that holds it in the newest wrapper class JShell loaded for it; empty when none
     */
    public Optional<Field> variable(String name) {
        Control c = control;
        return Optional.ofNullable(c == null ? null : c.fields.get(name));
    }

    /**
     * Forgets the last value and failure, and the values JShell keeps for the cell's expressions (it stores each
     * expression's value in a variable {@code $N} for the rest of the session, so a cell showing a large array or
     * tensor would otherwise hold it forever): a finished cell's objects can be collected. Such a {@code $N} reads
     * null afterwards.
     */
    public void clear() {
        Control c = control;
        if (c != null) {
            c.lastValue = null;
            c.lastFailure = null;
            synchronized (c.failures) {
                c.failures.clear();
            }
            for (Field f : c.temps) {
                try {
                    if (!f.getType().isPrimitive()) {
                        f.set(null, null);
                    }
                } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
                    // left as it is: only its memory stays held
                }
            }
            c.temps.clear();
        }
    }

    private static final byte[] DJL = "ai/djl/".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] LIBRARY = "tpdiff4j/".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] KERNEL = "tpdiff4j/kernel/".getBytes(StandardCharsets.US_ASCII);

    /**
     * @param classFile a class file
     * @return true when its constant pool names a DJL class or a library class outside this kernel package (class
     *         names appear there in internal form, {@code ai/djl/ndarray/NDArray}, also inside descriptors)
     */
    static boolean refersToCompute(byte[] classFile) {
        if (indexOf(classFile, DJL, 0) >= 0) {
            return true;
        }
        for (int at = indexOf(classFile, LIBRARY, 0); at >= 0; at = indexOf(classFile, LIBRARY, at + 1)) {
            if (!startsWith(classFile, KERNEL, at)) {
                return true;
            }
        }
        return false;
    }

    private static int indexOf(byte[] data, byte[] part, int from) {
        for (int i = Math.max(0, from); i <= data.length - part.length; i++) {
            if (startsWith(data, part, i)) {
                return i;
            }
        }
        return -1;
    }

    private static boolean startsWith(byte[] data, byte[] part, int at) {
        if (at + part.length > data.length) {
            return false;
        }
        for (int j = 0; j < part.length; j++) {
            if (data[at + j] != part[j]) {
                return false;
            }
        }
        return true;
    }

    /** The direct control with the hooks above. */
    private static final class Control extends DirectExecutionControl {
        /** A JShell wrapper class of a top-level snippet; nested classes (a cell's own classes) do not match. */
        private static final Pattern WRAPPER = Pattern.compile("REPL\\.\\$JShell\\$\\d+[A-Z]*");
        /** The most failures kept between two clears: a cell stops at its first, JShell may run a few more. */
        private static final int KEPT_FAILURES = 16;
        /** Expression values JShell keeps as variables $1, $2, ...: not the user's variables. */
        private static final Pattern TEMP = Pattern.compile("\\$\\d+|" + Pattern.quote(ValueSnippet.NAME) + "\\d+");

        final Map<String, Field> fields = new HashMap<>();
        final List<Field> temps = new ArrayList<>();
        volatile Object lastValue;
        volatile Throwable lastFailure;
        /** What the snippets since the last {@link #clear} threw, oldest first (at most {@link #KEPT_FAILURES}). */
        final List<Throwable> failures = new ArrayList<>();
        volatile boolean inClient;
        /** A class loaded while the hook was set refers to DJL or the library. */
        boolean computeLoaded;
        private final InProcessExecution owner;

        Control(InProcessExecution owner) {
            this.owner = owner;
        }

        @Override
        protected String invoke(Method doitMethod) throws Exception {
            lastValue = null;
            lastFailure = null;
            java.util.function.Consumer<Class<?>> each = owner.runHook;
            if (each != null) {
                each.accept(doitMethod.getDeclaringClass());
            }
            Runnable hook = owner.computeHook;
            if (computeLoaded && hook != null) {
                hook.run(); // the kernel removes the hook once its work is done
            }
            try {
                Object value = doitMethod.invoke(null);
                lastValue = value;
                // JShell wants a string; the kernel renders lastValue itself, so do not call a costly toString here.
                return value == null ? "null" : value.getClass().getName();
            } catch (InvocationTargetException e) {
                lastFailure = e.getCause();
                synchronized (failures) {
                    if (failures.size() < KEPT_FAILURES) {
                        failures.add(e.getCause());
                    }
                }
                throw e;
            }
        }

        @Override
        public void load(ClassBytecodes[] cbcs) throws ClassInstallException, NotImplementedException,
                EngineTerminationException {
            ClassBytecodes[] guarded = new ClassBytecodes[cbcs.length];
            for (int i = 0; i < cbcs.length; i++) {
                byte[] redirected = CellExit.redirect(cbcs[i].bytecodes());
                guarded[i] = redirected == cbcs[i].bytecodes() ? cbcs[i]
                        : new ClassBytecodes(cbcs[i].name(), redirected);
            }
            super.load(guarded);
            for (ClassBytecodes cb : cbcs) {
                if (owner.computeHook != null && !computeLoaded) {
                    computeLoaded = refersToCompute(cb.bytecodes());
                }
                if (WRAPPER.matcher(cb.name()).matches()) {
                    index(cb.name());
                }
            }
        }

        private void index(String wrapper) {
            try {
                for (Field f : findClass(wrapper).getDeclaredFields()) {
                    if (!Modifier.isStatic(f.getModifiers())) {
                        continue;
                    }
                    f.setAccessible(true);
                    if (TEMP.matcher(f.getName()).matches()) {
                        temps.add(f);
                    } else {
                        fields.put(f.getName(), f);
                    }
                }
            } catch (ClassNotFoundException | LinkageError | RuntimeException e) {
                // a wrapper that cannot be inspected holds no variable the kernel could carry over
            }
        }

        @Override
        protected void clientCodeEnter() {
            inClient = true;
        }

        @Override
        protected void clientCodeLeave() {
            inClient = false;
        }

        @Override
        public void stop() {
            // The kernel interrupts the cell thread itself (see CellThread); JShell's stop has nothing to add here.
        }
    }
}
