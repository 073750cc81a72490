package tpdiff4j.kernel;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * The "did you mean" of a compile error: which of the names that exist at a place is the one a misspelt name was
 * meant to be.
 *
 * <p>A name counts as meant when, ignoring case and underscores ({@code with_frames}, {@code scaledlinear}), it
 * equals the typed one or differs from it by at most one edit per four characters (insert, delete, replace or swap
 * two neighbours; at least one: {@code withFrame} for {@code withFrames}). A typed name of one or two characters
 * ({@code p}, {@code st}) is one edit away from almost every other short name, so it counts only a name that equals
 * it ignoring case and underscores ({@code k} for {@code K}). Failing those, a name that contains the
 * typed name's last word of four or more letters ({@code numInferenceSteps}: {@code withSteps}, {@code steps}) is
 * offered. Best first: fewer edits, then shorter, then alphabetical.
 */
final class NameHints {

    /**
     * Members that the library removed, by name, with the member that replaced them (its name, then the call to
     * show): a notebook written for an older version gets the new form instead of no hint at all.
     */
    private static final java.util.Map<String, String[]> REPLACED = java.util.Map.of(
            "withQuiet", new String[] {"withProgress", "withProgress(false) (withQuiet(true) until 2 December 2026;"
                    + " progress is on by default)"},
            "quiet", new String[] {"progress", "progress() (the opposite of quiet() until 2 December 2026)"});

    /**
     * What replaced {@code typed}, a member the library removed, where {@code names} (the members that exist there)
     * hold its replacement; empty otherwise.
     */
    static java.util.Optional<String> replacement(String typed, List<String> names) {
        String[] r = REPLACED.get(typed);
        return r != null && names.contains(r[0]) ? java.util.Optional.of(r[1]) : java.util.Optional.empty();
    }

    /** A typed name of at most this many characters is matched only ignoring case and underscores. */
    static final int SHORT = 2;

    /** At most this many names are suggested. */
    static final int MAX = 3;

    private NameHints() {
    }

    /**
     * @param typed the name that does not exist, e.g. {@code withFrame}
     * @param names the names that exist there (methods without their parentheses)
     * @return up to {@link #MAX} of {@code names}, best first; empty when none is close
     */
    static List<String> closest(String typed, List<String> names) {
        String t = normal(typed);
        List<String> close = new ArrayList<>();
        List<Integer> edits = new ArrayList<>();
        int allowed = t.length() <= SHORT ? 0 : Math.max(1, t.length() / 4);
        for (String n : names.stream().distinct().toList()) {
            int d = distance(t, normal(n));
            if (d <= allowed && !n.equals(typed)) {
                close.add(n);
                edits.add(d);
            }
        }
        if (close.isEmpty()) {
            String word = lastWord(typed).toLowerCase(Locale.ROOT);
            if (word.length() >= 4) {
                names.stream().distinct().filter(n -> n.toLowerCase(Locale.ROOT).contains(word)).forEach(n -> {
                    close.add(n);
                    edits.add(Integer.MAX_VALUE);
                });
            }
        }
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < close.size(); i++) {
            order.add(i);
        }
        order.sort(Comparator.<Integer>comparingInt(edits::get).thenComparingInt(i -> close.get(i).length())
                .thenComparing(close::get));
        return order.stream().limit(MAX).map(close::get).toList();
    }

    /** @return the last word of a camelCase or snake_case name: {@code Steps} of {@code numInferenceSteps} */
    static String lastWord(String name) {
        int i = name.length();
        while (i > 0 && name.charAt(i - 1) == '_') {
            i--;
        }
        int end = i;
        while (i > 0 && name.charAt(i - 1) != '_' && !Character.isUpperCase(name.charAt(i - 1))) {
            i--;
        }
        if (i > 0 && Character.isUpperCase(name.charAt(i - 1))) {
            i--;
        }
        return name.substring(i, end);
    }

    private static String normal(String name) {
        return name.replace("_", "").toLowerCase(Locale.ROOT);
    }

    /** @return the optimal string alignment distance: inserts, deletes, replacements and swaps of neighbours */
    static int distance(String a, String b) {
        int[][] d = new int[a.length() + 1][b.length() + 1];
        for (int i = 0; i <= a.length(); i++) {
            d[i][0] = i;
        }
        for (int j = 0; j <= b.length(); j++) {
            d[0][j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
                    d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
                }
            }
        }
        return d[a.length()][b.length()];
    }
}
