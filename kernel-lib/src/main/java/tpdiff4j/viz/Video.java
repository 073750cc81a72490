package tpdiff4j.viz;

import tpdiff4j.Refusals;
import tpdiff4j.data.GifFrames;

import ai.djl.ndarray.NDArray;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Video views for notebooks: one clip, several clips in a grid, or the same sample stage by stage, shown as a
 * looping animated GIF ({@link #mimeBundle()}) or as a frame strip ({@link #strip()}).
 *
 * <p>A clip is {@code [F, C, H, W]} (frames first, C = 1 grey or 3 RGB) with values in [-1, 1], mapped to
 * 0..255; an NDArray may also be {@code [1, F, C, H, W]}. Immutable and fluent:
 * <pre>{@code
 * Video.of(sample)                                   // an animated GIF
 * Video.grid(4, batch).fps(6)                        // [B, F, C, H, W]: B clips, 4 per row, in step
 * Video.stages(List.of(s0, s1, s2))                  // 4, 8, 16 frames aligned on the full-rate time axis
 * Video.of(sample).strip()                           // the frames side by side, as a PNG display
 * }</pre>
 * Pixels are enlarged by {@link #scale(int)} blocks (default: to at least 64 pixels per side; a strip at the default
 * scale takes smaller blocks where it would be wider than {@link Figure#NOTEBOOK_WIDTH_PX}, down to one pixel per
 * pixel, so that a notebook shows it whole: 16 frames of 16 x 16 pixels in 48-pixel cells). In a grid, clips of
 * different sizes sit in cells of the largest size, and a clip with fewer frames than the longest holds its last
 * frame until the longest ends. The GIF shows grey clips (C = 1) with their 256 grey levels exactly; as soon as one
 * clip is RGB (C = 3), every clip is drawn on one fixed palette of 256 colours with ordered dithering (a faint checker
 * pattern on flat colours): the GIF is for viewing, the clip's own values are in the NDArray. A value that is {@code NaN}
 * or infinite (a diverged sample) is drawn magenta in the GIF and the strip (a grey clip is then drawn on the colour
 * palette), and the text form and the caption say how many values were not finite.
 */
public final class Video implements Displayable {

    final List<float[][][][]> clips;
    final List<String> labels;
    final boolean stages;
    int cols = 1;
    int fps = 8;
    int scale;
    /** Whether {@link #scale(int)} chose the scale (a strip then keeps it, however wide). */
    boolean scaleChosen;
    String title;

    private Video(List<float[][][][]> clips, List<String> labels, boolean stages) {
        this.clips = clips;
        this.labels = labels;
        this.stages = stages;
        int side = clips.stream().mapToInt(c -> Math.max(c[0][0].length, c[0][0][0].length)).max().orElse(1);
        this.scale = Math.max(1, (int) Math.ceil(64.0 / side));
    }

    /** One clip of shape [F, C, H, W] or [1, F, C, H, W]. */
    public static Video of(NDArray clip) {
        return single(Frames.of(clip));
    }

    /** One clip {@code float[F][C][H][W]} (copied). */
    public static Video of(float[][][][] clip) {
        return single(Frames.copy(clip));
    }

    /** The B clips of a batch [B, F, C, H, W], {@code cols} per row, played in step. */
    public static Video grid(int cols, NDArray batch) {
        List<float[][][][]> clips = List.of(Frames.batch(batch));
        List<String> labels = new ArrayList<>(Collections.nCopies(clips.size(), null));
        return new Video(clips, labels, false).cols(cols);
    }

    /** The clips of {@code videos} (each keeps its label or title as caption), {@code cols} per row, in step. */
    public static Video grid(int cols, Video... videos) {
        Refusals.noNulls(videos, "grid: videos", "a Video");
        if (videos.length == 0) throw new IllegalArgumentException("grid: videos = []; allowed: at least one video");
        List<float[][][][]> clips = new ArrayList<>();
        List<String> labels = new ArrayList<>();
        for (Video v : videos) {
            clips.addAll(v.clips);
            for (String l : v.labels) labels.add(l == null && v.clips.size() == 1 ? v.title : l);
        }
        return new Video(clips, labels, false).cols(cols);
    }

    /**
     * The same sample at each stage, in sampling order (lowest frame rate first), one row per stage; clip k
     * with F_k frames is stretched onto the full-rate time axis of T = max F_k steps (frame floor(j F_k / T)
     * at step j). Each row is labelled with its label, else {@code "stage k: F_k frames"}.
     */
    public static Video stages(List<?> perStage) {
        Refusals.notNull(perStage, "stages", "a list of one clip per stage");
        if (perStage.isEmpty()) throw new IllegalArgumentException("stages = []; allowed: at least one clip");
        List<float[][][][]> clips = new ArrayList<>();
        List<String> labels = new ArrayList<>();
        for (int k = 0; k < perStage.size(); k++) {
            Object o = perStage.get(k);
            Video v = o instanceof Video vv ? vv : o instanceof NDArray nd ? of(nd) : o instanceof float[][][][] fa ? of(fa) : null;
            if (v == null || v.clips.size() != 1) {
                throw Refusals.refuse("stages.get(" + k + ")", o == null ? "null" : "a " + o.getClass().getSimpleName(),
                        "one clip (NDArray, float[][][][] or a one-clip Video)");
            }
            clips.add(v.clips.get(0));
            String l = v.labels.get(0) != null ? v.labels.get(0) : v.title;
            labels.add(l != null ? l : "stage " + k + ": " + v.clips.get(0).length + " frames");
        }
        return new Video(clips, labels, true);
    }

    /** @return a copy with frames per second in 1..50 (GIF delay = round(100 / fps) hundredths) */
    public Video fps(int fps) {
        if (fps < 1 || fps > 50) throw Refusals.refuse("fps", fps, "1..50");
        Video v = copy(); v.fps = fps; return v;
    }

    /** @return a copy whose pixels are drawn as {@code scale x scale} blocks, scale in 1..32 */
    public Video scale(int scale) {
        if (scale < 1 || scale > 32) throw Refusals.refuse("scale", scale, "1..32");
        Video v = copy(); v.scale = scale; v.scaleChosen = true; return v;
    }

    /** @return a copy with a caption (below the GIF, above the strip; a one-clip video's label in a grid) */
    public Video title(String title) { Video v = copy(); v.title = title; return v; }

    /** @return a copy of a one-clip video with {@code label} drawn above it in a grid */
    public Video label(String label) {
        if (clips.size() != 1) throw new IllegalStateException("label applies to a one-clip video; this one has " + clips.size());
        Video v = copy(); v.labels.set(0, label); return v;
    }

    /** @return a copy with {@code cols >= 1} clips per row */
    public Video cols(int cols) {
        if (cols < 1) throw Refusals.refuse("cols", cols, "at least 1");
        Video v = copy(); v.cols = cols; return v;
    }

    /** @return the number of animation steps T = the largest clip's frame count */
    public int steps() { return clips.stream().mapToInt(c -> c.length).max().orElse(0); }

    /** @return the number of clips */
    public int clipCount() { return clips.size(); }

    /** @return the animated GIF, looping forever */
    public byte[] gif() { return gif(VideoRenderer.animation(this)); }

    private byte[] gif(List<BufferedImage> frames) {
        boolean grey = clips.stream().allMatch(c -> c[0].length == 1) && nonFinite() == 0; // magenta needs colour
        try {
            return GifFrames.write(frames, 10 * Math.max(2, Math.round(100f / fps)), true, grey);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("GIF encoding failed", e);
        }
    }

    /** @return the frame strip image: one row per clip, frames left to right */
    public BufferedImage stripImage() { return Images.keepingInterrupt(() -> VideoRenderer.strip(this)); }

    /** @return the frame strip as a display (image/png and an html img) */
    public Displayable strip() {
        BufferedImage img = stripImage();
        String b64 = Images.base64Png(img);
        long bad = nonFinite();
        String text = "Frame strip: " + describe() + ", " + img.getWidth() + "x" + img.getHeight() + " px"
                + (bad == 0 ? "" : ", " + nonFiniteNote(bad));
        return () -> bundle("image/png", b64, text);
    }

    /**
     * Writes {@link #gif()} to {@code file}, whose name must end in {@code .gif}, creating missing parent folders;
     * returns {@code file}.
     */
    public Path saveGif(Path file) { return Images.save(file, this::gif, "an animated GIF", ".gif"); }

    /**
     * Writes the frame strip as PNG to {@code file}, whose name must end in {@code .png}, creating missing parent
     * folders; returns {@code file}.
     */
    public Path savePng(Path file) {
        return Images.save(file, () -> Images.png(stripImage()), "a PNG frame strip", ".png");
    }

    /**
     * An html {@code <img>} of the animated GIF (inline data, no network), {@code image/gif}, the animation's last
     * frame as {@code image/png} (for what shows no GIF: a PDF export through LaTeX, a viewer of PNG and text only)
     * and a short text.
     */
    @Override
    public Map<String, String> mimeBundle() {
        List<BufferedImage> frames = VideoRenderer.animation(this);
        Map<String, String> b = bundle("image/gif", Base64.getEncoder().encodeToString(gif(frames)), toString());
        String text = b.remove("text/plain");
        b.put("image/png", Images.base64Png(frames.get(frames.size() - 1)));
        b.put("text/plain", text);
        return b;
    }

    /**
     * A short summary such as {@code Video "samples": 16 frames of 1x16x16, 8 fps}; a clip with values that are not
     * finite (a sampler that diverged) adds how many; its GIF and strip draw them magenta.
     */
    @Override
    public String toString() {
        long bad = nonFinite();
        String s = "Video" + (title == null ? "" : " \"" + title + "\"") + ": " + describe() + ", " + fps + " fps"
                + (bad == 0 ? "" : ", " + bad + " of " + values() + " values NaN or infinite (drawn magenta)");
        return s.length() <= 190 ? s : s.substring(0, 187) + "...";
    }

    /** @return how many values of the clips are NaN or infinite */
    long nonFinite() {
        long n = 0;
        for (float[][][][] clip : clips) {
            for (float[][][] frame : clip) for (float[][] ch : frame) for (float[] row : ch) for (float v : row) {
                if (!Float.isFinite(v)) n++;
            }
        }
        return n;
    }

    /** @return {@code "1 value NaN or infinite (drawn magenta)"}, {@code "3 values ..."} */
    private static String nonFiniteNote(long bad) {
        return bad + (bad == 1 ? " value" : " values") + " NaN or infinite (drawn magenta)";
    }

    private long values() {
        long n = 0;
        for (float[][][][] c : clips) n += (long) c.length * c[0].length * c[0][0].length * c[0][0][0].length;
        return n;
    }

    // ---- package-private for the renderer ----

    int frameAt(int clip, int step) {
        int f = clips.get(clip).length, t = steps();
        return stages ? (int) ((long) step * f / t) : Math.min(step, f - 1);
    }

    int cellWidth() { return cellWidth(scale); }

    int cellHeight() { return cellHeight(scale); }

    int cellWidth(int s) { return clips.stream().mapToInt(c -> c[0][0][0].length).max().orElse(1) * s; }

    int cellHeight(int s) { return clips.stream().mapToInt(c -> c[0][0].length).max().orElse(1) * s; }

    boolean hasLabels() { return labels.stream().anyMatch(Objects::nonNull); }

    private String describe() {
        float[][][][] c = clips.get(0);
        String size = c[0].length + "x" + c[0][0].length + "x" + c[0][0][0].length;
        if (clips.size() == 1) return c.length + " frames of " + size;
        int fewest = clips.stream().mapToInt(x -> x.length).min().orElse(0), most = steps();
        String frames = fewest == most ? most + " frames each" : fewest + " to " + most + " frames";
        return clips.size() + (stages ? " stages" : " clips") + " of " + size + ", " + frames
                + (stages && fewest != most ? " (shown on the " + most + "-frame time axis)" : "");
    }

    private Map<String, String> bundle(String mime, String base64, String text) {
        Map<String, String> b = new LinkedHashMap<>();
        String alt = Plotly.escapeHtml(text);
        long bad = nonFinite();
        String warning = bad == 0 ? "" : "<div style=\"color:#900\">" + nonFiniteNote(bad)
                + "</div>";
        String caption = title == null && bad == 0 ? "" : "<figcaption style=\"font:12px sans-serif\">"
                + (title == null ? "" : Plotly.escapeHtml(title)) + warning + "</figcaption>";
        b.put("text/html", "<figure class=\"tpdiff4j-video\" style=\"margin:4px\"><img alt=\"" + alt + "\" title=\"" + alt
                + "\" style=\"image-rendering:pixelated\" src=\"data:" + mime + ";base64," + base64 + "\"/>" + caption
                + "</figure>");
        b.put(mime, base64);
        b.put("text/plain", text);
        return b;
    }

    private static Video single(float[][][][] clip) {
        List<String> labels = new ArrayList<>();
        labels.add(null);
        return new Video(Collections.singletonList(clip), labels, false);
    }

    private Video copy() {
        Video v = new Video(clips, new ArrayList<>(labels), stages);
        v.cols = cols; v.fps = fps; v.scale = scale; v.scaleChosen = scaleChosen; v.title = title;
        return v;
    }

}
