package tpdiff4j.kernel;

import java.util.Collection;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import tpdiff4j.train.Trainer;

/**
 * Session variables that own native memory: an open {@link Trainer} (weights, EMA and optimizer state) or an open
 * DJL {@link NDManager} (every array made in it). Java's garbage collector never frees that memory; only
 * {@code close()} does. A cell that declares such a variable again ({@code Trainer trainer = ...build();} run twice)
 * or assigns it anew leaves the old owner open with nothing left to close it by, and every re-run of the cell adds
 * its memory again until the kernel restarts. The kernel compares the owners the variables held before a cell with
 * what they hold after it and names each one that was let go while still open. A cell that fails on a closed manager
 * (re-run after a clean-up cell closed it), or on an array made in one, is told which variables hold closed owners
 * and what to run first.
 *
 * <p>Values are told apart by class name first, so a session that never uses DJL loads none of it here.
 */
final class NativeOwners {

    private static final String TRAINER = "tpdiff4j.train.Trainer";
    /** The start of DJL's message for a closed manager that is used again. */
    static final String CLOSED_MANAGER = "NDManager has been closed already";
    /** DJL's message for an array (any native resource) read after {@code close()}, its manager's included. */
    static final String RELEASED_RESOURCE = "Native resource has been released already";

    private NativeOwners() {
    }

    /** @return the open owners among {@code values} (variable name to value), each with the name of one variable */
    static Map<Object, String> held(Map<String, Object> values) {
        Map<Object, String> out = new IdentityHashMap<>();
        values.forEach((name, v) -> {
            if (isOpenOwner(v)) {
                out.putIfAbsent(v, name);
            }
        });
        return out;
    }

    /**
     * @param before the open owners the variables held before the cell ({@link #held})
     * @param after  the variables' values after it
     * @return a note for each owner of {@code before} that is still open and that no variable holds any more, neither
     *         as its value nor as an element of a collection, map or array it holds; by variable name
     */
    static List<String> lost(Map<Object, String> before, Map<String, Object> after) {
        return before.entrySet().stream()
                .filter(e -> isOpenOwner(e.getKey()) && !heldBy(e.getKey(), after))
                .sorted(Map.Entry.comparingByValue()) // by variable name: the same order every time
                .map(e -> note(e.getKey(), e.getValue()))
                .toList();
    }

    /**
     * A cell that failed because it used a closed manager (DJL's {@code IllegalStateException} "NDManager has been
     * closed already": an array made in it after {@code close()}) or read one of its arrays ("Native resource has
     * been released already": closing a manager closes its arrays), typically a cell re-run after a notebook's
     * clean-up cell, gets a note for each variable that holds a closed manager or trainer: which one it is and what
     * to run first.
     *
     * @param failure what ended the cell
     * @param values  the variables' values after it
     * @return the notes, by variable name; none when {@code failure} is not about a closed manager
     */
    static List<String> closedInUse(Throwable failure, Map<String, Object> values) {
        boolean closedManager = false;
        Map<Throwable, Boolean> seen = new IdentityHashMap<>();
        for (Throwable t = failure; t != null && seen.put(t, true) == null; t = t.getCause()) {
            closedManager |= t instanceof IllegalStateException && t.getMessage() != null
                    && (t.getMessage().startsWith(CLOSED_MANAGER) || t.getMessage().startsWith(RELEASED_RESOURCE));
        }
        if (!closedManager) {
            return List.of();
        }
        return values.entrySet().stream()
                .filter(e -> isClosedOwner(e.getValue()))
                .sorted(Map.Entry.comparingByKey())
                .map(e -> "note: " + e.getKey() + " holds a closed " + (e.getValue() instanceof NDManager
                        ? "NDManager" : "Trainer") + " (" + e.getKey() + ".close() ran): run the cell that declares "
                        + e.getKey() + " again first, then the cells that make what this cell uses from it")
                .toList();
    }

    private static boolean isClosedOwner(Object v) {
        if (v == null) {
            return false;
        }
        String type = v.getClass().getName();
        if (type.equals(TRAINER)) {
            return !((Trainer) v).manager().isOpen();
        }
        return type.startsWith("ai.djl.") && v instanceof NDManager m && !m.isOpen()
                && !(m instanceof NDManager.SystemNDManager);
    }

    static boolean isOpenOwner(Object v) {
        if (v == null) {
            return false;
        }
        String type = v.getClass().getName(); // by name first: a cell's String or double[] loads no DJL class here
        if (type.equals(TRAINER)) {
            return ((Trainer) v).manager().isOpen();
        }
        return type.startsWith("ai.djl.") && v instanceof NDManager m && m.isOpen()
                && !(m instanceof NDManager.SystemNDManager);
    }

    private static boolean heldBy(Object owner, Map<String, Object> values) {
        for (Object v : values.values()) {
            try {
                if (v == owner || contains(v, owner)) {
                    return true;
                }
            } catch (RuntimeException e) {
                return true; // a collection that cannot be read now: assume it holds the owner, say nothing
            }
        }
        return false;
    }

    private static boolean contains(Object container, Object owner) {
        if (container instanceof Collection<?> c) {
            return c.stream().anyMatch(x -> x == owner);
        }
        if (container instanceof Map<?, ?> m) {
            return m.values().stream().anyMatch(x -> x == owner) || m.keySet().stream().anyMatch(x -> x == owner);
        }
        if (container instanceof Object[] a) {
            for (Object x : a) {
                if (x == owner) {
                    return true;
                }
            }
        }
        return false;
    }

    private static String note(Object owner, String name) {
        Trainer trainer = owner.getClass().getName().equals(TRAINER) ? (Trainer) owner : null;
        NDManager m = trainer != null ? trainer.manager() : (NDManager) owner;
        List<NDArray> arrays = m.getManagedArrays();
        long bytes = 0;
        for (NDArray a : arrays) {
            try {
                bytes += a.getShape().size() * a.getDataType().getNumOfBytes();
            } catch (RuntimeException e) {
                // an array closed meanwhile holds nothing
            }
        }
        String size = String.format(Locale.ROOT, "%d array%s, %.1f MB", arrays.size(), arrays.size() == 1 ? "" : "s",
                bytes / 1e6);
        String what = trainer != null
                ? "the Trainer that " + name + " held (" + trainer.model().weightCount() + " weights; " + size + ")"
                : "the NDManager that " + name + " held (" + size + ")";
        return "note: " + what + " was not closed, and no variable holds it now: its native memory stays taken until"
                + " the kernel restarts, and a cell that does this again takes as much again. Close it before " + name
                + " gets a new value (" + name + ".close();), or use try-with-resources";
    }
}
