package tpdiff4j.bench;

import java.util.function.Function;

/** Numbers on the command lines of the bench tools: a value that is not a number names its option and what it takes. */
final class Args {

    private Args() {
    }

    /**
     * @param option the option as the user wrote it ({@code --steps}, {@code steps})
     * @param value  its value
     * @param what   what it takes, for the message ("a whole number of steps")
     */
    static <T> T number(String option, String value, String what, Function<String, T> parser) {
        try {
            return parser.apply(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(option + " = '" + value + "': must be " + what);
        }
    }
}
