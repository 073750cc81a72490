package tpdiff4j.metrics;

import java.util.concurrent.CancellationException;
import tpdiff4j.Refusals;

/**
 * Estimates the sprite of each frame from its pixels: an intensity-weighted centroid and an area.
 *
 * <p>With intensity {@code v(y, x)} = max over channels (see {@link ClipBatch#intensity}) and threshold
 * {@code tau}, the sprite's pixels are {@code S = {(y, x) : v > tau}}, and its rim {@code R} is S grown by one pixel
 * (8-neighbourhood), which brings back the partly covered edge pixels that the threshold cut:
 * <pre>
 *   w(y, x) = clamp((v(y, x) + 1) / 2, 0, 1)            coverage: 0 on the -1 background, 1 for a white pixel
 *   cx = sum_R w (x + 0.5) / sum_R w,  cy = sum_R w (y + 0.5) / sum_R w
 *   area = |S|                                         pixels above the threshold
 * </pre>
 * For an antialiased shape (pixel value -1 + 2 coverage) the coverage-weighted centroid over R is the shape's centre
 * up to the rendering's own sampling error; the threshold alone would drop the edge pixels with coverage below one
 * half unevenly and bias the centre by up to 0.4 px for small sprites. The threshold keeps the background and the
 * low-level noise of generated frames out of S (default {@code tau = 0}, half way between background and white).
 * Counting pixels of S rather than summing weights makes the area independent of the sprite's brightness. With
 * several sprites in a frame the centroid is that of their union: still a well-defined statistic for comparing real
 * with generated clips, but not the position of one sprite.
 *
 * @param threshold intensity above which a pixel belongs to the sprite, in [-1, 1)
 */
public record SpriteEstimator(double threshold) {

    /** The default estimator, threshold 0. */
    public static final SpriteEstimator DEFAULT = new SpriteEstimator(0.0);

    /** Validates the threshold. */
    public SpriteEstimator {
        if (!(threshold >= -1 && threshold < 1)) {
            throw Refusals.refuse("threshold", threshold, "a number in [-1, 1) (background is -1, white is 1)");
        }
    }

    /**
     * @return the sprite track of clip {@code b} of the batch
     * @throws IllegalArgumentException if a pixel of the clip is NaN or infinite (a diverged sample): such a pixel is
     *                                  neither sprite nor background, and counting it as background would turn a
     *                                  broken clip into an empty one with finite features
     */
    public PixelTrack track(ClipBatch clips, int b) {
        if (b < 0 || b >= clips.batch()) {
            throw Refusals.refuse("b", b, "a clip index in [0, " + clips.batch() + ")");
        }
        clips.requireFinite(b, "sprite tracking");
        int frames = clips.frames();
        double[] xs = new double[frames];
        double[] ys = new double[frames];
        double[] area = new double[frames];
        boolean[] detected = new boolean[frames];
        int h = clips.height();
        int w = clips.width();
        double[][] v = new double[h][w];
        for (int f = 0; f < frames; f++) {
            int count = 0;
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    v[y][x] = clips.intensity(b, f, y, x);
                    count += v[y][x] > threshold ? 1 : 0;
                }
            }
            double sw = 0;
            double swx = 0;
            double swy = 0;
            for (int y = 0; count > 0 && y < h; y++) {
                for (int x = 0; x < w; x++) {
                    if (nearSprite(v, y, x)) {
                        double c = Math.min(1, Math.max(0, (v[y][x] + 1) / 2));
                        sw += c;
                        swx += c * (x + 0.5);
                        swy += c * (y + 0.5);
                    }
                }
            }
            detected[f] = count > 0 && sw > 0;
            if (detected[f]) {
                xs[f] = swx / sw;
                ys[f] = swy / sw;
                area[f] = count;
            }
        }
        fillMissing(xs, ys, detected, clips.width() / 2.0, clips.height() / 2.0);
        return new PixelTrack(xs, ys, area, detected);
    }

    /**
     * @return the tracks of all clips, in batch order
     * @throws CancellationException if the thread is interrupted (checked between clips)
     */
    public PixelTrack[] tracks(ClipBatch clips) {
        PixelTrack[] out = new PixelTrack[clips.batch()];
        for (int b = 0; b < out.length; b++) {
            if (Thread.currentThread().isInterrupted()) {
                throw new CancellationException("sprite tracking interrupted at clip " + b);
            }
            out[b] = track(clips, b);
        }
        return out;
    }

    /** @return whether pixel (y, x) or one of its 8 neighbours is above the threshold */
    private boolean nearSprite(double[][] v, int y, int x) {
        for (int yy = Math.max(0, y - 1); yy <= Math.min(v.length - 1, y + 1); yy++) {
            for (int xx = Math.max(0, x - 1); xx <= Math.min(v[0].length - 1, x + 1); xx++) {
                if (v[yy][xx] > threshold) {
                    return true;
                }
            }
        }
        return false;
    }

    /** Undetected frames hold the previous detected position, else the next one, else the frame centre. */
    private static void fillMissing(double[] xs, double[] ys, boolean[] detected, double cx, double cy) {
        int first = -1;
        for (int f = 0; f < detected.length && first < 0; f++) {
            if (detected[f]) {
                first = f;
            }
        }
        double lx = first < 0 ? cx : xs[first];
        double ly = first < 0 ? cy : ys[first];
        for (int f = 0; f < detected.length; f++) {
            if (detected[f]) {
                lx = xs[f];
                ly = ys[f];
            } else {
                xs[f] = lx;
                ys[f] = ly;
            }
        }
    }
}
