package tpdiff4j.kernel;

import java.io.InterruptedIOException;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Scanner;

/**
 * Scanners that an interrupt left at their end. A {@link Scanner} takes any {@link java.io.IOException} of its source
 * as the end of input for good, and the kernel's {@code System.in} ends an interrupted wait for a line with an
 * {@link InterruptedIOException}: a Scanner that was reading then throws {@link NoSuchElementException} at once, in
 * this cell and every later one, without asking the front end again. These sentences name the variables that hold
 * such a Scanner and say to make a new one.
 */
final class SpentScanners {

    private SpentScanners() {
    }

    /** @return whether {@code v} is a Scanner whose source was interrupted while it waited (it reads nothing more) */
    static boolean spent(Object v) {
        return v instanceof Scanner s && s.ioException() instanceof InterruptedIOException;
    }

    /** @return the names, sorted, of the variables in {@code values} that hold a spent Scanner */
    static List<String> holders(Map<String, Object> values) {
        return values.entrySet().stream().filter(e -> spent(e.getValue())).map(Map.Entry::getKey).sorted().toList();
    }

    /**
     * @param failure what the interrupted cell threw
     * @param values  the session's variables
     * @return the advice after a cell was interrupted while it waited for a line of input, starting with "; ": that a
     *         Scanner is now at its end (naming the variables that hold one); empty when no Scanner was reading and
     *         no variable holds a spent one
     */
    static String afterInterruptedRead(Throwable failure, Map<String, Object> values) {
        List<String> names = holders(values);
        if (names.isEmpty() && !inChain(failure)) {
            return "";
        }
        String first = names.isEmpty() ? "sc" : names.get(0);
        return "; a Scanner takes an interrupted read as the end of its input for good" + (names.isEmpty() ? ""
                : ", and " + String.join(", ", names) + (names.size() == 1 ? " is such a Scanner now"
                : " are such Scanners now")) + ": make a new one (" + first + " = new Scanner(System.in);) before "
                + "reading again";
    }

    /** @return whether {@code failure} or one of its causes is a {@link NoSuchElementException} (a Scanner's) */
    private static boolean inChain(Throwable failure) {
        Map<Throwable, Boolean> seen = new IdentityHashMap<>();
        for (Throwable t = failure; t != null && seen.put(t, true) == null; t = t.getCause()) {
            if (t instanceof NoSuchElementException) {
                return true;
            }
        }
        return false;
    }

    /**
     * @return notes for a cell that failed with {@link NoSuchElementException} (in its cause chain) while variables
     *         hold a spent Scanner: the likely reason, and what to do; empty otherwise
     */
    static List<String> notes(Throwable failure, Map<String, Object> values) {
        if (!inChain(failure)) {
            return List.of();
        }
        return holders(values).stream().map(name -> "note: " + name + " is a Scanner whose read of System.in was "
                + "interrupted in an earlier cell, and a Scanner takes that as the end of its input for good: make a "
                + "new one (" + name + " = new Scanner(System.in);) and read again").toList();
    }
}
