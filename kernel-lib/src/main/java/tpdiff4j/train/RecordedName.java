package tpdiff4j.train;

/**
 * How code that a user passes in (a noise coupling, a data set) is recorded in checkpoints and experiments, so that a
 * resume can tell whether it is given the same code again: by its {@code toString()}, which for a record names the
 * record and every field. Two forms would change from process to process and are replaced by a stable one: a lambda
 * (its class is made at run time) is recorded as {@code "lambda"}, and an object whose class keeps
 * {@link Object#toString()} (class name, {@code @}, identity hash) as its class name alone. Such objects cannot be told
 * apart from others of their class; give them a {@code toString()} that names what makes them different.
 */
public final class RecordedName {

    private RecordedName() {
    }

    /** The stable name of {@code o}: {@code "lambda"}, its class name, or its {@code toString()}. */
    public static String of(Object o) {
        Class<?> c = o.getClass();
        if (c.isSynthetic() || c.isHidden()) {
            return "lambda";
        }
        String s = o.toString();
        return s.equals(c.getName() + "@" + Integer.toHexString(o.hashCode())) ? c.getName() : s;
    }
}
