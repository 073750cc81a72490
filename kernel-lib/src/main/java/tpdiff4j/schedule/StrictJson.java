package tpdiff4j.schedule;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;
import com.google.gson.Strictness;
import com.google.gson.internal.LazilyParsedNumber;
import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonToken;
import java.io.IOException;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import tpdiff4j.Refusals;

/**
 * The one JSON reader for the library's files (schedules, pyramids, checkpoints, experiments): standard JSON
 * only (RFC 8259: quoted keys, no comments, no NaN, no single quotes, nothing after the value), and a key that
 * appears twice in one object is an error naming that key. Errors quote at most {@value #EXCERPT} characters of
 * the input, so that a huge or hostile input never ends up in a message.
 */
public final class StrictJson {

    /** The longest piece of the input an error message quotes. */
    static final int EXCERPT = 80;
    /** Deepest nesting accepted (a config is a few levels deep; this stops stack exhaustion). */
    static final int MAX_DEPTH = 64;

    private StrictJson() {
    }

    /**
     * Parses one JSON value.
     *
     * @param what what the text is, for messages (for example "schedule JSON" or a file name)
     * @throws IllegalArgumentException naming {@code what}, the position and the problem, with a short excerpt
     */
    public static JsonElement parse(String json, String what) {
        Refusals.notNull(json, what, "a JSON text");
        try (JsonReader r = new JsonReader(new StringReader(json))) {
            r.setStrictness(Strictness.STRICT);
            JsonElement e = read(r, what, 0);
            if (!atEnd(r)) {
                throw new IllegalArgumentException(what + " is not valid JSON: unexpected text after the JSON value at " + where(r)
                        + "; input starts " + excerpt(json));
            }
            return e;
        } catch (IOException | IllegalStateException | NumberFormatException ex) {
            // Gson's MalformedJsonException (an IOException) says what and where; drop its long help link
            String m = ex.getMessage() == null ? ex.getClass().getSimpleName() : ex.getMessage();
            m = m.replace("Use JsonReader.setStrictness(Strictness.LENIENT) to accept malformed JSON", "malformed JSON");
            int see = m.indexOf("\nSee ");
            throw new IllegalArgumentException(what + " is not valid JSON: " + excerpt(see < 0 ? m : m.substring(0, see))
                    + "; input starts " + excerpt(json), ex);
        }
    }

    /**
     * As {@link #parse}, but also accepts the bare number tokens {@code NaN}, {@code Infinity} and {@code -Infinity}
     * (as Gson writes non-finite doubles, for example a result that has no value yet), and nothing else that
     * standard JSON forbids. A quoted {@code "NaN"} stays a string.
     */
    public static JsonElement parseWithNonFinite(String json, String what) {
        Refusals.notNull(json, what, "a JSON text");
        JsonElement checked = parse(finiteStandIns(json), what); // strict, each non-finite token read as 0
        try (JsonReader r = new JsonReader(new StringReader(json))) {
            r.setStrictness(Strictness.LENIENT); // for the tokens only: the text passed the strict check above
            return withNonFinite(checked, read(r, what, 0));
        } catch (IOException | IllegalStateException | NumberFormatException ex) {
            throw new IllegalArgumentException(what + " is not valid JSON: " + excerpt(String.valueOf(ex.getMessage())), ex);
        }
    }

    /**
     * The strict tree with the stand-ins put back: where it has a number and the lenient tree (same structure) a
     * string, the text held a bare NaN, Infinity or -Infinity token, which a lenient reader returns as a string.
     */
    private static JsonElement withNonFinite(JsonElement strict, JsonElement lenient) {
        if (strict.isJsonObject()) {
            JsonObject o = new JsonObject();
            strict.getAsJsonObject().entrySet().forEach(e -> o.add(e.getKey(),
                    withNonFinite(e.getValue(), lenient.getAsJsonObject().get(e.getKey()))));
            return o;
        }
        if (strict.isJsonArray()) {
            JsonArray a = new JsonArray();
            for (int i = 0; i < strict.getAsJsonArray().size(); i++) {
                a.add(withNonFinite(strict.getAsJsonArray().get(i), lenient.getAsJsonArray().get(i)));
            }
            return a;
        }
        if (strict.isJsonPrimitive() && strict.getAsJsonPrimitive().isNumber() && lenient.isJsonPrimitive()
                && lenient.getAsJsonPrimitive().isString()) {
            return new JsonPrimitive(Double.parseDouble(lenient.getAsString()));
        }
        return strict;
    }

    /** {@code json} with each bare NaN, Infinity and -Infinity outside strings replaced by 0 and spaces (same length). */
    private static String finiteStandIns(String json) {
        StringBuilder b = new StringBuilder(json);
        boolean inString = false;
        for (int i = 0; i < b.length(); i++) {
            char c = b.charAt(i);
            if (inString) {
                if (c == '\\') {
                    i++;
                } else if (c == '"') {
                    inString = false;
                }
            } else if (c == '"') {
                inString = true;
            } else {
                for (String token : new String[] {"-Infinity", "Infinity", "NaN"}) {
                    int end = i + token.length();
                    if (json.startsWith(token, i) && (end == json.length() || !Character.isLetterOrDigit(json.charAt(end)))
                            && (i == 0 || !Character.isLetterOrDigit(json.charAt(i - 1)))) {
                        b.replace(i, end, "0" + " ".repeat(token.length() - 1));
                        i = end - 1;
                        break;
                    }
                }
            }
        }
        return b.toString();
    }

    /** Parses a JSON object, or fails naming {@code what}. */
    public static JsonObject parseObject(String json, String what) {
        JsonElement e = parse(json, what);
        if (!e.isJsonObject()) {
            throw new IllegalArgumentException(what + " is not a JSON object: " + excerpt(json));
        }
        return e.getAsJsonObject();
    }

    /** Receives one place where two JSON trees differ ({@link #compare}). */
    @FunctionalInterface
    public interface Difference {
        /**
         * @param path   where, as keys and indices from the root: {@code arms[0].name}; the root itself is {@code ""}
         * @param first  the first tree's value there, or null when only the second has the key
         * @param second the second tree's value there, or null when only the first has the key
         * @param parent the second tree's object or array that holds {@code path}, or null at the root
         */
        void at(String path, JsonElement first, JsonElement second, JsonElement parent);
    }

    /**
     * Walks two JSON trees side by side and reports each place where they differ: a key that only one object has,
     * or two values that are not equal. Objects are compared key by key and arrays of the same length element by
     * element; numbers compare by the value of their decimal text (2 and 2.0 are equal, and so are a float and the
     * double read from its text), a string never equals a number ("2" and 2 differ).
     *
     * @param path where the two trees sit ({@code ""} for whole documents), prefixed to every reported path
     */
    public static void compare(String path, JsonElement first, JsonElement second, Difference out) {
        compare(path, first, second, null, null, null, (p, a, b, parent, holder, key) -> out.at(p, a, b, parent));
    }

    /** A {@link Difference} that also gets the first tree's object holding the place and its key (null if none). */
    @FunctionalInterface
    private interface Located {
        void at(String path, JsonElement first, JsonElement second, JsonElement parent, JsonObject holder, String key);
    }

    private static void compare(String path, JsonElement first, JsonElement second, JsonElement parent,
                                JsonObject holder, String key, Located out) {
        if (first != null && second != null && first.isJsonObject() && second.isJsonObject()) {
            JsonObject a = first.getAsJsonObject(), b = second.getAsJsonObject();
            for (String k : a.keySet()) {
                compare(join(path, k), a.get(k), b.get(k), b, a, k, out);
            }
            for (String k : b.keySet()) {
                if (!a.has(k)) {
                    out.at(join(path, k), null, b.get(k), b, null, null);
                }
            }
        } else if (first != null && second != null && first.isJsonArray() && second.isJsonArray()
                && first.getAsJsonArray().size() == second.getAsJsonArray().size()) {
            JsonArray a = first.getAsJsonArray(), b = second.getAsJsonArray();
            for (int i = 0; i < a.size(); i++) {
                compare(path + "[" + i + "]", a.get(i), b.get(i), b, null, null, out);
            }
        } else if (first == null ? second != null : !(first.equals(second) || sameNumber(first, second))) {
            out.at(path, first, second, parent, holder, key);
        }
    }

    /**
     * Two numbers whose decimal texts have the same value: a float written as -0.40970302 and read back as that
     * double are the same number, though their doubles differ in the ninth digit.
     */
    private static boolean sameNumber(JsonElement a, JsonElement b) {
        if (b == null || !(a.isJsonPrimitive() && a.getAsJsonPrimitive().isNumber() && b.isJsonPrimitive() && b.getAsJsonPrimitive().isNumber())) {
            return false;
        }
        try {
            return new java.math.BigDecimal(a.getAsString()).compareTo(new java.math.BigDecimal(b.getAsString())) == 0;
        } catch (NumberFormatException e) {
            return false; // NaN or an infinity, which equals() has compared
        }
    }

    private static String join(String path, String key) {
        return path.isEmpty() ? key : path + "." + key;
    }

    /**
     * Refuses a document that would not be written back as read: a field this format does not have (a misspelt key),
     * a value in another form than the writer's (a number in quotes, a fraction where an integer belongs) or a field
     * the reader filled in. Such a file loads only to lose or change what its author wrote, so the error names the
     * field by its path, the value found and what the writer puts there.
     *
     * <p>A field the writer leaves out because it holds the default (a spelt-out {@code "timeDraw": {"rule":
     * "uniform"}}) loses nothing and is accepted: {@code rewrite} tells it from a misspelt key, since the reader reads
     * the one (another value there changes what is read, or is refused) and passes over the other.
     *
     * @param what    the file or text, for messages
     * @param read    the document as parsed
     * @param rewrite reads a document and returns what {@code writer} writes for the object read from it (throws
     *                when the document is refused); {@code rewrite.apply(read)} is the written form compared with
     * @param writer  the method that writes this format, for messages
     */
    public static void requireWrittenAsRead(String what, JsonElement read, UnaryOperator<JsonElement> rewrite,
                                            String writer) {
        JsonElement written = rewrite.apply(read);
        List<Runnable> refusals = new ArrayList<>();
        compare("", read, written, null, null, null, (path, found, wrote, parent, holder, key) -> {
            String field = what + ": field '" + path + "'";
            if (wrote == null && holder != null) {
                refusals.add(() -> {
                    if (!readsKey(read, holder, key, written, rewrite)) {
                        throw new IllegalArgumentException(field + " = " + excerpt(String.valueOf(found))
                                + " is not part of this format and would be dropped; allowed "
                                + (parent != null && parent.isJsonObject() ? "keys there: "
                                + parent.getAsJsonObject().keySet() + " and the ones " + writer + " leaves out when"
                                + " they hold their default" : "there: nothing") + " (as " + writer + " writes them)");
                    }
                });
                return;
            }
            if (wrote == null) {
                throw new IllegalArgumentException(field + " = " + excerpt(String.valueOf(found))
                        + " is not part of this format and would be dropped; allowed " + (parent != null && parent.isJsonObject()
                        ? "keys there: " + parent.getAsJsonObject().keySet() : "there: nothing") + " (as " + writer + " writes them)");
            }
            if (found == null) {
                throw new IllegalArgumentException(field + " is missing; " + writer + " writes it (here it would be "
                        + excerpt(wrote.toString()) + ")");
            }
            throw new IllegalArgumentException(field + " = " + excerpt(found.toString()) + " would be read as "
                    + excerpt(wrote.toString()) + "; allowed: a value in the form " + writer
                    + " writes (numbers without quotes, integers without a fraction, keys as written)");
        });
        refusals.forEach(Runnable::run); // after the walk: the probe below changes the tree for a moment
    }

    /**
     * Whether the reader reads {@code key} of {@code holder} (an object inside {@code read}): with a value there that
     * no field of any format takes, the document is refused or read as something else. The tree is put back as it
     * was, in its key order.
     */
    private static boolean readsKey(JsonElement read, JsonObject holder, String key, JsonElement written,
                                    UnaryOperator<JsonElement> rewrite) {
        java.util.LinkedHashMap<String, JsonElement> entries = new java.util.LinkedHashMap<>();
        holder.entrySet().forEach(e -> entries.put(e.getKey(), e.getValue()));
        holder.add(key, new JsonPrimitive("\u0000 a value no reader takes"));
        try {
            JsonElement probe = rewrite.apply(read);
            boolean[] differs = {false};
            compare("", probe, written, (p, a, b, parent) -> differs[0] = true);
            return differs[0];
        } catch (RuntimeException refused) {
            return true;
        } finally {
            entries.keySet().forEach(holder::remove);
            entries.forEach(holder::add);
        }
    }

    /**
     * The value of the field {@code key} of {@code o}, which a reader of one of the library's formats requires. A
     * key written with the value {@code null} is refused as that, never as if it were missing: the message says
     * {@code what: field 'key' = 'null'; allowed: ...} (the value quoted as the readers quote every value they
     * refuse); a key that is absent gives
     * {@code what: field 'key' is missing (the object has the keys [...]); allowed: ...}.
     *
     * @param what    the document, for messages (for example "pyramid JSON")
     * @param allowed what the field may hold, for example {@code "an integer >= 1"}
     * @throws IllegalArgumentException for a missing key or a null value, in the form above
     */
    public static JsonElement field(JsonObject o, String key, String what, String allowed) {
        return fieldIn(o, "", key, what, allowed);
    }

    /**
     * As {@link #field}, for an object inside the document: messages name the field by its path,
     * {@code parent.key} ({@code arms[0].name}).
     *
     * @param parent where {@code o} sits in the document, as keys and indices from the root ({@code arms[0]});
     *               {@code ""} for the root
     */
    public static JsonElement fieldIn(JsonObject o, String parent, String key, String what, String allowed) {
        String path = join(parent, key);
        JsonElement e = o.get(key);
        if (e == null) {
            String keys = o.keySet().toString();
            throw new IllegalArgumentException(what + ": field '" + path + "' is missing (the object has the keys "
                    + (keys.length() <= 4 * EXCERPT ? keys : excerpt(keys)) + "); allowed: " + allowed);
        }
        if (e.isJsonNull()) {
            throw new IllegalArgumentException(what + ": field '" + path + "' = " + excerpt("null") + "; allowed: " + allowed);
        }
        return e;
    }

    /**
     * The constant of {@code type} named by {@code value}, or an error that names the document, the field, the value
     * and the constants allowed ({@code Enum.valueOf} names none of them).
     */
    public static <E extends Enum<E>> E constant(String what, Class<E> type, JsonElement value, String field) {
        for (E c : type.getEnumConstants()) {
            if (value != null && value.isJsonPrimitive() && value.getAsJsonPrimitive().isString()
                    && c.name().equals(value.getAsString())) {
                return c;
            }
        }
        String found = value == null ? "missing" : value.toString();
        throw new IllegalArgumentException(what + ": field '" + field + "' = " + (found.length() <= EXCERPT ? found
                : excerpt(found)) + "; allowed: " + java.util.Arrays.toString(type.getEnumConstants()));
    }

    /** At most {@value #EXCERPT} characters of {@code s}, with "..." and the total length when cut. */
    public static String excerpt(String s) {
        if (s == null) {
            return "null";
        }
        return s.length() <= EXCERPT ? "'" + s + "'" : "'" + s.substring(0, EXCERPT) + "...' (" + s.length() + " characters)";
    }

    private static JsonElement read(JsonReader r, String what, int depth) throws IOException {
        if (depth > MAX_DEPTH) {
            throw new IllegalArgumentException(what + ": nested deeper than " + MAX_DEPTH + " levels at " + where(r));
        }
        switch (r.peek()) {
            case BEGIN_OBJECT: {
                JsonObject o = new JsonObject();
                r.beginObject();
                while (r.hasNext()) {
                    String key = r.nextName();
                    if (o.has(key)) {
                        throw new IllegalArgumentException(what + ": duplicate key " + excerpt(key) + " at " + where(r)
                                + "; each key may appear once per object");
                    }
                    o.add(key, read(r, what, depth + 1));
                }
                r.endObject();
                return o;
            }
            case BEGIN_ARRAY: {
                JsonArray a = new JsonArray();
                r.beginArray();
                while (r.hasNext()) {
                    a.add(read(r, what, depth + 1));
                }
                r.endArray();
                return a;
            }
            case STRING:
                return new JsonPrimitive(r.nextString());
            case NUMBER:
                return new JsonPrimitive(new LazilyParsedNumber(r.nextString()));
            case BOOLEAN:
                return new JsonPrimitive(r.nextBoolean());
            case NULL:
                r.nextNull();
                return JsonNull.INSTANCE;
            default:
                throw new IllegalArgumentException(what + ": unexpected " + r.peek() + " at " + where(r));
        }
    }

    private static boolean atEnd(JsonReader r) {
        try {
            return r.peek() == JsonToken.END_DOCUMENT;
        } catch (IOException e) {
            return false; // a second value or garbage: reported as text after the value
        }
    }

    private static String where(JsonReader r) {
        String s = r.toString(); // "JsonReader at line L column C path $.x"
        int at = s.indexOf(" at ");
        String w = at < 0 ? s : s.substring(at + 4);
        return w.length() <= EXCERPT ? w : w.substring(0, EXCERPT) + "...";
    }
}
