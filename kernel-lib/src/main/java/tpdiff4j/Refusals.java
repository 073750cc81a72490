package tpdiff4j;

import java.util.List;

/**
 * Refusing bad arguments in the library's one form, {@code name = value; allowed: ...}.
 *
 * <p>Every method of the library that is given an argument it cannot use throws an
 * {@link IllegalArgumentException} at the call, whose message names the argument, shows the value it was given and
 * says what would have been accepted:
 * <pre>{@code
 * batchSize = 0; allowed: at least 1
 * grid = null; allowed: a TimeGrid, e.g. TimeGrid.uniform(1, 0, 30)
 * traces[1] = null; allowed: a Trace
 * }</pre>
 * A null argument is refused the same way, never with a {@link NullPointerException} from deeper down. This class
 * builds those messages so that they read alike everywhere:
 * <pre>{@code
 * this.grid = Refusals.notNull(grid, "grid", "a TimeGrid, e.g. TimeGrid.uniform(1, 0, 30)");
 * Refusals.noNulls(traces, "traces", "a Trace");
 * if (batchSize < 1) {
 *     throw Refusals.refuse("batchSize", batchSize, "at least 1");
 * }
 * }</pre>
 * {@link #refuse} returns the exception rather than throwing it, so that the call site reads {@code throw ...} and
 * the compiler knows the method ends there. A refusal that has to show more than one value, such as
 * {@code offset = 5 with 3 steps of 10 gives a step beyond 9; allowed: ...}, writes its message itself, in the same
 * form.
 */
public final class Refusals {

    private Refusals() {
    }

    /**
     * Refuses a null argument.
     *
     * @param value   the argument
     * @param name    its name as the caller knows it, e.g. {@code "grid"} or {@code "traces[2]"}
     * @param allowed what would have been accepted, e.g. {@code "a TimeGrid, e.g. TimeGrid.uniform(1, 0, 30)"}
     * @param <T>     the argument's type
     * @return {@code value}, when it is not null
     * @throws IllegalArgumentException {@code name = null; allowed: ...} when {@code value} is null
     */
    public static <T> T notNull(T value, String name, String allowed) {
        if (value == null) {
            throw new IllegalArgumentException(name + " = null; allowed: " + allowed);
        }
        return value;
    }

    /**
     * Refuses a null array or an array with a null element, naming the element by its index.
     *
     * @param array   the argument
     * @param name    its name, e.g. {@code "traces"}
     * @param allowed what each element may be, e.g. {@code "a Trace"}
     * @throws IllegalArgumentException {@code traces = null; allowed: an array, each a Trace} for a null array,
     *                                  {@code traces[1] = null; allowed: a Trace} for a null element
     */
    public static void noNulls(Object[] array, String name, String allowed) {
        notNull(array, name, "an array, each " + allowed);
        for (int i = 0; i < array.length; i++) {
            notNull(array[i], name + "[" + i + "]", allowed);
        }
    }

    /**
     * Refuses a null list or a list with a null element, naming the element by its index.
     *
     * @param list    the argument
     * @param name    its name, e.g. {@code "schedules"}
     * @param allowed what each element may be, e.g. {@code "a NoiseSchedule"}
     * @throws IllegalArgumentException {@code schedules = null; allowed: a list, each a NoiseSchedule} for a null
     *                                  list, {@code schedules.get(2) = null; allowed: a NoiseSchedule} for a null
     *                                  element
     */
    public static void noNulls(List<?> list, String name, String allowed) {
        notNull(list, name, "a list, each " + allowed);
        for (int i = 0; i < list.size(); i++) {
            notNull(list.get(i), name + ".get(" + i + ")", allowed);
        }
    }

    /**
     * The refusal of one argument's value, to be thrown by the caller:
     * {@code throw Refusals.refuse("batchSize", batchSize, "at least 1")}.
     *
     * @param name    the argument's name
     * @param value   the value given, shown as {@link String#valueOf(Object)} shows it (as string concatenation
     *                would); a caller that shows a value its own way (an array's elements, a quoted string) passes
     *                that text
     * @param allowed what would have been accepted
     * @return an {@code IllegalArgumentException} with the message {@code name = value; allowed: ...}
     */
    public static IllegalArgumentException refuse(String name, Object value, String allowed) {
        return new IllegalArgumentException(name + " = " + value + "; allowed: " + allowed);
    }
}
