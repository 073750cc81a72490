package tpdiff4j.ode;

import java.util.Locale;

/**
 * A process knob with two values, set by a system property or else an environment variable (the property wins),
 * blank or absent meaning the first value. Anything else is an {@link IllegalArgumentException} that names the knob,
 * the value and both allowed values with their meaning.
 *
 * @param env            environment variable, e.g. {@code TPDIFF4J_NATIVE_HEAP}
 * @param property       system property, e.g. {@code tpdiff4j.nativeHeap}
 * @param first          the default value
 * @param firstMeaning   what it does, for the error message
 * @param second         the other value
 * @param secondMeaning  what it does
 */
record TwoWayKnob(String env, String property, String first, String firstMeaning, String second, String secondMeaning) {

    /** @return {@link #first} or {@link #second}, from the property's value if not null, else the environment's */
    String choice(String propertyValue, String envValue) {
        String v = propertyValue != null ? propertyValue : envValue;
        if (v == null || v.isBlank()) {
            return first;
        }
        String c = v.trim().toLowerCase(Locale.ROOT);
        if (!c.equals(first) && !c.equals(second)) {
            throw new IllegalArgumentException(env + " (or -D" + property + ") = '" + v + "': allowed " + first + " ("
                    + firstMeaning + ", the default) or " + second + " (" + secondMeaning + ")");
        }
        return c;
    }
}
