package tpdiff4j.bench;

import java.util.Set;
import java.util.function.Function;
import java.util.function.Supplier;

/** Numbers on the command lines of the bench tools: a value that is not a number names its option and what it takes. */
final class Args {

    private Args() {
    }

    /**
     * @param option the option as the user wrote it ({@code --steps}, {@code steps})
     * @param value  its value
     * @param what   what it takes, for the message ("a whole number of steps"), after "allowed: "
     */
    static <T> T number(String option, String value, String what, Function<String, T> parser) {
        try {
            return parser.apply(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(option + " = '" + value + "'; allowed: " + what);
        }
    }

    /** Refuses an argument given twice ({@code seen} holds the names read so far): which value was meant is unknown. */
    static void once(Set<String> seen, String option) {
        if (!seen.add(option)) {
            throw new IllegalArgumentException(option + " is given twice: give it once");
        }
    }

    /**
     * The command line read by {@code parse}; when it is bad ({@link IllegalArgumentException}), the program ends with
     * exit status 2 and "[tag] " and the exception's message on standard error, without a stack trace.
     */
    static <T> T orExit(String tag, Supplier<T> parse) {
        try {
            return parse.get();
        } catch (IllegalArgumentException e) {
            System.err.println("[" + tag + "] " + e.getMessage());
            System.exit(2);
            throw e; // not reached
        }
    }
}
