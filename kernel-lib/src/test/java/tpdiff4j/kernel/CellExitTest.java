package tpdiff4j.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * A cell's {@code System.exit} is aimed at {@link CellExit#exit(int)} before its class is loaded, which is the only
 * guard on Java 24 and newer (no security manager). The redirected copy of {@link ExitCaller} runs here; the original
 * is never called, so a redirect that missed a call would end this test's JVM.
 */
class CellExitTest {

    private static byte[] classFile(Class<?> c) throws IOException {
        try (InputStream in = c.getResourceAsStream(c.getSimpleName() + ".class")) {
            return in.readAllBytes();
        }
    }

    /** Defines the given class file itself instead of asking its parent (which already holds the original). */
    private static final class Isolated extends ClassLoader {
        Isolated() {
            super(CellExitTest.class.getClassLoader());
        }

        Class<?> define(String name, byte[] bytes) {
            return defineClass(name, bytes, 0, bytes.length);
        }
    }

    private static Object call(Class<?> c, String method, Object... args) throws Throwable {
        Method m = c.getDeclaredMethod(method, args.length == 0 ? new Class<?>[0] : new Class<?>[]{int.class});
        m.setAccessible(true);
        try {
            return m.invoke(null, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }

    @Test
    void systemExitCallsThrowExitBlockedAndEveryOtherSystemCallIsKept() throws Throwable {
        byte[] original = classFile(ExitCaller.class);
        byte[] redirected = CellExit.redirect(original);
        String text = new String(redirected, StandardCharsets.ISO_8859_1);
        assertTrue(text.contains("tpdiff4j/kernel/CellExit") && text.contains("java/lang/System"),
                "the class still uses System for its other calls");
        Class<?> copy = new Isolated().define(ExitCaller.class.getName(), redirected);

        ExitBlocked direct = assertThrows(ExitBlocked.class, () -> call(copy, "quit", 7));
        assertTrue(direct.getMessage().contains("System.exit(7)"), direct.getMessage());
        ExitBlocked reference = assertThrows(ExitBlocked.class, () -> call(copy, "quitThroughAReference", 9));
        assertTrue(reference.getMessage().contains("System.exit(9)"), reference.getMessage());
        assertEquals(ExitCaller.otherSystemCalls(), call(copy, "otherSystemCalls"));
    }

    @Test
    void aClassWithoutSystemExitIsLeftAsItIs() throws IOException {
        byte[] own = classFile(CellExitTest.class);
        assertSame(own, CellExit.redirect(own));
        byte[] string;
        try (InputStream in = String.class.getResourceAsStream("String.class")) {
            string = in.readAllBytes();
        }
        assertSame(string, CellExit.redirect(string));
    }

    @Test
    void somethingThatIsNoClassFileIsRefusedByName() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> CellExit.redirect(new byte[]{1, 2, 3}));
        assertTrue(e.getMessage().startsWith("classFile: not a class file"), e.getMessage());
    }

    @Test
    void aCellThatCallsSystemExitFailsAndTheSessionKeepsItsVariables() throws Exception {
        assertFalse(System.getSecurityManager() instanceof ExitGuard, "this test must not rely on the security manager");
        try (CellEvaluator ev = CellEvaluator.withPreload()) {
            ev.run("int kept = 5;");
            Exception e = assertThrows(Exception.class, () -> ev.run("System.out.print(\"\");\nSystem.exit(3);"));
            ExitBlocked blocked = assertInstanceOf(ExitBlocked.class, e instanceof CellError ? e.getCause() : e);
            assertTrue(blocked.getMessage().contains("System.exit(3)"), blocked.getMessage());
            assertEquals(5, ev.run("kept"));
        }
    }
}
