package tpdiff4j.viz;

import java.util.Map;

/**
 * Anything that a notebook can show: it renders itself as a Jupyter MIME bundle.
 *
 * <p>The kernel displays every {@code Displayable} (a figure, a video view, a table) by publishing this bundle
 * as {@code display_data} or {@code execute_result}. Keys are MIME types; values are
 * <ul>
 *   <li>{@code String} for textual types ({@code text/plain}, {@code text/html}, {@code text/markdown}),</li>
 *   <li>a base64 {@code String} for binary types ({@code image/png}, {@code image/gif}),</li>
 *   <li>a JSON text ({@code String}) for JSON types ({@code application/json},
 *       {@code application/vnd.plotly.v1+json}); the kernel sends it as a JSON object, not a string.</li>
 * </ul>
 * {@code text/plain} must always be present and short.
 */
public interface Displayable {

    /** @return MIME type to content, in preference order (richest first), always including {@code text/plain} */
    Map<String, String> mimeBundle();
}
