package tpdiff4j.kernel;

import java.util.Map;
import java.util.TreeMap;
import tpdiff4j.Refusals;

/**
 * Shrink knobs of the notebooks, such as {@code TPDIFF4J_QUICK=1} (run every heavy cell with tiny sizes, as CI does).
 *
 * <p>A knob {@code NAME} is read from the Java system property {@code NAME} first (set in a notebook with the
 * {@code %env NAME=VALUE} magic, or by {@link #set}), then from the process environment (set before the kernel
 * starts, e.g. {@code TPDIFF4J_QUICK=1 environment/notebook --execute}). Library code below the kernel package reads
 * the same two places ({@code System.getProperty(name, System.getenv(name))}); this class is the notebook-facing
 * accessor with typed getters.
 */
public final class Knobs {

    /** Prefix of the knobs that {@code %env} lists. */
    public static final String PREFIX = "TPDIFF4J_";

    private Knobs() {
    }

    /** @return the knob's value (system property first, then environment), or {@code null} when unset */
    public static String get(String name) {
        requireName(name);
        String fromProperty = System.getProperty(name);
        return fromProperty != null ? fromProperty : System.getenv(name);
    }

    /** @return the knob's value, or {@code fallback} when unset or blank */
    public static String get(String name, String fallback) {
        String v = get(name);
        return v == null || v.isBlank() ? fallback : v;
    }

    /** @return the knob parsed as an int, or {@code fallback} when unset; a non-integer value is an error */
    public static int intValue(String name, int fallback) {
        String v = get(name);
        if (v == null || v.isBlank()) {
            return fallback;
        }
        try {
            return Integer.parseInt(v.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " = '" + v + "'; allowed: a whole number, e.g. " + fallback, e);
        }
    }

    /**
     * The knob's value when it is one of {@code allowed}, or {@code fallback} when unset or blank:
     * {@code String preset = Knobs.choice("TPDIFF4J_MODEL", "tiny", ModelConfig.PRESETS);}.
     *
     * @throws IllegalArgumentException naming the knob, its value and the allowed values
     *                                  ({@code TPDIFF4J_MODEL = foo; allowed: tiny, small, attention}) when the value is
     *                                  none of them
     */
    public static String choice(String name, String fallback, java.util.List<String> allowed) {
        return checkChoice(name, get(name, fallback), allowed);
    }

    /**
     * Checks the value of the knob {@code name} as {@link #choice} does, without reading it.
     *
     * @return {@code value}, trimmed
     * @throws IllegalArgumentException {@code name = value; allowed: ...} when the value is none of {@code allowed}
     */
    public static String checkChoice(String name, String value, java.util.List<String> allowed) {
        requireName(name);
        if (allowed == null || allowed.isEmpty() || allowed.stream().anyMatch(java.util.Objects::isNull)) {
            throw Refusals.refuse("allowed", allowed, "a list of the values the knob " + name + " may take");
        }
        String v = value == null ? null : value.trim();
        if (v == null || !allowed.contains(v)) {
            throw Refusals.refuse(name, value, String.join(", ", allowed));
        }
        return v;
    }

    /**
     * A yes/no knob, read case-insensitively.
     *
     * @return true when the knob is set to 1, true, yes or on; false when it is unset, blank, 0, false, no or off
     * @throws IllegalArgumentException naming the knob and its value for anything else ({@code TPDIFF4J_QUICK=2},
     *                                  {@code =y}): such a value is a typo, and reading it as "off" would silently run
     *                                  the full sizes
     */
    public static boolean flag(String name) {
        String v = get(name);
        String s = v == null ? "" : v.trim().toLowerCase(java.util.Locale.ROOT);
        switch (s) {
            case "1", "true", "yes", "on":
                return true;
            case "", "0", "false", "no", "off":
                return false;
            default:
                throw new IllegalArgumentException(name + " = '" + v + "'; allowed: 1, true, yes or on to turn it on; "
                        + "0, false, no, off or unset to turn it off");
        }
    }

    /** @return true when {@code TPDIFF4J_QUICK} is on: notebooks shrink epochs, data and steps */
    public static boolean quick() {
        return flag("TPDIFF4J_QUICK");
    }

    /** @return {@code quick} when {@link #quick()} is on, else {@code full}: {@code int epochs = Knobs.pick(2, 50);} */
    public static int pick(int quick, int full) {
        return quick() ? quick : full;
    }

    /** Sets the knob for this kernel (as a system property), so library code and later cells see it. */
    public static void set(String name, String value) {
        requireName(name);
        if (value == null) {
            System.clearProperty(name);
        } else {
            System.setProperty(name, value);
        }
    }

    /** @return every knob whose name starts with {@value #PREFIX}, from the environment and properties (properties win) */
    public static Map<String, String> all() {
        Map<String, String> out = new TreeMap<>();
        System.getenv().forEach((k, v) -> {
            if (k.startsWith(PREFIX)) {
                out.put(k, v);
            }
        });
        System.getProperties().forEach((k, v) -> {
            if (k instanceof String && ((String) k).startsWith(PREFIX)) {
                out.put((String) k, String.valueOf(v));
            }
        });
        return out;
    }

    private static void requireName(String name) {
        if (name == null || !name.matches("[A-Za-z_][A-Za-z0-9_.]*")) {
            throw new IllegalArgumentException("knob name = '" + name
                    + "'; allowed: letters, digits, '_' and '.', e.g. TPDIFF4J_QUICK");
        }
    }
}
