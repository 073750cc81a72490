package tpdiff4j.viz;

import java.util.List;

/** Refusals of the plotting API in the library's form, {@code name = value; allowed: ...}. */
final class Refusals {

    private Refusals() {
    }

    /** @return {@code v}, or an {@code IllegalArgumentException} {@code name = null; allowed: ...} when it is null */
    static <T> T notNull(T v, String name, String allowed) {
        if (v == null) {
            throw new IllegalArgumentException(name + " = null; allowed: " + allowed);
        }
        return v;
    }

    /** Refuses a null array or a null element, naming its index ({@code traces[1] = null; allowed: a Trace}). */
    static void noNulls(Object[] a, String name, String allowed) {
        notNull(a, name, "an array, each " + allowed);
        for (int i = 0; i < a.length; i++) {
            notNull(a[i], name + "[" + i + "]", allowed);
        }
    }

    /** {@link #noNulls(Object[], String, String)} for a list ({@code schedules.get(2) = null; ...}). */
    static void noNulls(List<?> l, String name, String allowed) {
        notNull(l, name, "a list, each " + allowed);
        for (int i = 0; i < l.size(); i++) {
            notNull(l.get(i), name + ".get(" + i + ")", allowed);
        }
    }
}
