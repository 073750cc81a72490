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

/**
 * The one JSON reader for the library's configuration files (schedules, pyramids, checkpoints): standard JSON
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
        if (json == null) {
            throw new IllegalArgumentException(what + " = null; allowed: a JSON text");
        }
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

    /** Parses a JSON object, or fails naming {@code what}. */
    public static JsonObject parseObject(String json, String what) {
        JsonElement e = parse(json, what);
        if (!e.isJsonObject()) {
            throw new IllegalArgumentException(what + " is not a JSON object: " + excerpt(json));
        }
        return e.getAsJsonObject();
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
