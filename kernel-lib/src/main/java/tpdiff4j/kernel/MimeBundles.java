package tpdiff4j.kernel;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import org.dflib.jjava.jupyter.kernel.display.DisplayData;
import org.dflib.jjava.jupyter.kernel.display.mime.MIMEType;

import tpdiff4j.Refusals;
import tpdiff4j.viz.Displayable;

/**
 * Turns a cell value into a Jupyter MIME bundle ({@link DisplayData}).
 *
 * <ul>
 *   <li>{@link Displayable}: its own bundle; JSON types ({@code application/json}, {@code application/*+json}) are
 *       parsed and sent as JSON objects, as the Jupyter protocol requires, everything else as strings;</li>
 *   <li>{@link DisplayData}: as is;</li>
 *   <li>arrays: {@code Arrays.deepToString}; anything else: {@code String.valueOf} as {@code text/plain}.</li>
 * </ul>
 */
public final class MimeBundles {

    private MimeBundles() {
    }

    /** @return the bundle for {@code value} (never null; a null value gives {@code text/plain "null"}) */
    public static DisplayData of(Object value) {
        if (value instanceof DisplayData) {
            return (DisplayData) value;
        }
        if (value instanceof Displayable) {
            return ofBundle(((Displayable) value).mimeBundle(), value.getClass().getName());
        }
        DisplayData d = new DisplayData();
        d.putText(plain(value));
        return d;
    }

    /**
     * The bundle of a cell's value. The cell has run to its end when this is called, so a failure here (a
     * {@code toString()} or {@code mimeBundle()} that throws) says so and names the value's class.
     *
     * @param value the value of the cell's last expression
     * @return its bundle
     */
    public static DisplayData ofCellValue(Object value) {
        try {
            return of(value);
        } catch (RuntimeException | LinkageError e) {
            throw new IllegalStateException("every statement of the cell ran, but its value, of class "
                    + ErrorReport.cellNames(value.getClass().getName()).replace('$', '.')
                    + ", could not be shown: " + ErrorReport.headline(e), e);
        }
    }

    /**
     * The bundle of {@code value} with only the MIME types asked for (and {@code text/plain}, which every front end
     * can show). A type the value does not offer is filled with the value itself when it is a string, so
     * {@code as("<b>hi</b>", "text/html")} is HTML; otherwise it is an error naming the types on offer.
     *
     * @param value     what to show
     * @param mimeTypes e.g. {@code "text/html"}, {@code "image/svg+xml"}; none: the whole bundle
     * @return the restricted bundle
     */
    public static DisplayData as(Object value, String... mimeTypes) {
        DisplayData full = of(value);
        if (mimeTypes == null || mimeTypes.length == 0) {
            return full;
        }
        Map<String, Object> picked = new LinkedHashMap<>();
        for (String mime : mimeTypes) {
            if (mime == null || !mime.matches("[\\w.+-]+/[\\w.+-]+")) {
                throw new IllegalArgumentException("MIME type = '" + mime + "'; allowed: type/subtype, e.g. text/html");
            }
            Object data = full.getData(MIMEType.parse(mime));
            if (data == null && value instanceof CharSequence) {
                data = isJson(mime) ? JsonParser.parseString(value.toString()) : value.toString();
            }
            if (data == null) {
                throw new IllegalArgumentException("MIME type = '" + mime + "' for a "
                        + (value == null ? "null" : value.getClass().getName()) + ", which has no " + mime
                        + " form; allowed: " + offered(value) + " (the forms it offers), or pass a String that holds the "
                        + mime + " content");
            }
            picked.put(mime, data);
        }
        DisplayData out = new DisplayData();
        picked.forEach(out::putData);
        if (!picked.containsKey("text/plain")) {
            out.putData("text/plain", full.getData(MIMEType.TEXT_PLAIN));
        }
        return out;
    }

    private static String offered(Object value) {
        return value instanceof Displayable ? String.join(", ", ((Displayable) value).mimeBundle().keySet())
                : "text/plain";
    }

    /**
     * @param bundle MIME type to content as defined by {@link Displayable#mimeBundle()}
     * @param what   names the source in error messages
     * @return the bundle with JSON types as JSON objects
     */
    public static DisplayData ofBundle(Map<String, String> bundle, String what) {
        if (bundle == null || bundle.isEmpty()) {
            throw Refusals.refuse(what + ".mimeBundle()", bundle, "a bundle that holds at least text/plain");
        }
        DisplayData d = new DisplayData();
        for (Map.Entry<String, String> e : bundle.entrySet()) {
            String mime = e.getKey();
            if (isJson(mime)) {
                try {
                    d.putData(mime, JsonParser.parseString(e.getValue()));
                } catch (JsonParseException ex) {
                    throw new IllegalArgumentException(what + ".mimeBundle()[" + mime + "] = text that is not valid"
                            + " JSON (" + ex.getMessage() + "); allowed: JSON text for a JSON MIME type", ex);
                }
            } else {
                d.putData(mime, e.getValue());
            }
        }
        if (!bundle.containsKey("text/plain")) {
            d.putText(what);
        }
        return d;
    }

    /** @return true for {@code application/json} and every {@code application/...+json} type */
    public static boolean isJson(String mime) {
        return mime.equals("application/json") || mime.startsWith("application/") && mime.endsWith("+json");
    }

    /**
     * The text form of {@code value}: its {@code toString()} (of each element, for an array), where the names of
     * classes a cell declared read as the cell wrote them ({@code Box@1b6d3586}, {@code [Box@1b6d3586]}, where
     * {@code Object.toString()} gives JShell's {@code REPL.$JShell$53$Box@1b6d3586}). A string is shown as it is.
     */
    private static String plain(Object value) {
        String text = value != null && value.getClass().isArray()
                ? Arrays.deepToString(new Object[]{value}).replaceFirst("^\\[", "").replaceFirst("]$", "")
                : String.valueOf(value);
        return value instanceof CharSequence || !text.contains("REPL.$JShell$") ? text : ErrorReport.cellNames(text);
    }
}
