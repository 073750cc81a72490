package tpdiff4j.data;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import tpdiff4j.Refusals;

/**
 * Synthetic videos with known physics: sprites (discs, squares) of a few sizes on a black background, moving at
 * constant velocity and bouncing elastically off the walls. Every clip is generated on the fly from its seed.
 *
 * <p>Physics: the centre {@code p} of a sprite of radius r stays in {@code [r, L - r]} on each axis. One frame
 * advances {@code p <- p + v}; a centre that leaves the interval is reflected back ({@code p <- 2 r - p} or
 * {@code p <- 2 (L - r) - p}) and that velocity component changes sign. So between frames without a bounce the
 * displacement equals the velocity, and |v| never changes.
 *
 * <p>Pixels: value {@code -1 + 2 * coverage * color} (background -1), the maximum over the sprites, in [-1, 1];
 * coverage is anti-aliased over one pixel ({@link SpriteShape#coverage}).
 *
 * <pre>{@code
 * SpriteVideos data = SpriteVideos.builder().withFrames(16).withSize(16).withChannels(1).build();
 * NDArray x0 = data.batch(manager, 8, 42);       // [8, 16, 1, 16, 16]
 * List<SpriteTrack> truth = data.clip(7).tracks();
 * }</pre>
 */
public final class SpriteVideos implements VideoDataset {

    /**
     * One generated clip: pixels {@code [F, C, H, W]} and the ground truth of its sprites.
     *
     * @param pixels the clip's values in [-1, 1], row-major {@code [F, C, H, W]}
     * @param tracks the ground truth of each sprite, frame by frame
     */
    public record Clip(float[] pixels, List<SpriteTrack> tracks) {

        /** Equal when the pixels and the tracks are equal (a record compares arrays by identity). */
        @Override
        public boolean equals(Object o) {
            return o instanceof Clip c && Arrays.equals(pixels, c.pixels) && java.util.Objects.equals(tracks, c.tracks);
        }

        @Override
        public int hashCode() {
            return 31 * Arrays.hashCode(pixels) + java.util.Objects.hashCode(tracks);
        }

        /** E.g. {@code Clip[4096 pixel values, 2 sprites]}. */
        @Override
        public String toString() {
            return "Clip[" + (pixels == null ? "no" : pixels.length) + " pixel values, "
                    + (tracks == null ? "no" : tracks.size()) + " sprite" + (tracks != null && tracks.size() == 1 ? "" : "s") + "]";
        }
    }

    private final VideoSpec spec;
    private final int minSprites;
    private final int maxSprites;
    private final double[] radii;
    private final SpriteShape[] shapes;
    private final double minSpeed;
    private final double maxSpeed;

    private SpriteVideos(Builder b) {
        this.spec = new VideoSpec(b.frames, b.channels, b.size, b.size);
        this.minSprites = b.minSprites;
        this.maxSprites = b.maxSprites;
        this.radii = b.radii != null ? b.radii.clone() : new double[] {b.size / 8.0, b.size / 5.0};
        this.shapes = b.shapes.clone();
        this.minSpeed = b.minSpeed * b.size / 16.0;
        this.maxSpeed = b.maxSpeed * b.size / 16.0;
        for (double r : radii) {
            if (!(r > 0) || 2 * r >= b.size) {
                throw Refusals.refuse("radius", r, "a radius in (0, size/2) = (0, " + b.size / 2.0 + ")");
            }
        }
    }

    /** A builder with every option at its default (see {@link Builder}). */
    public static Builder builder() {
        return new Builder();
    }

    @Override
    public VideoSpec spec() {
        return spec;
    }

    /**
     * Every setting that decides the clips, e.g. {@code "SpriteVideos(16 frames of 1 x 16 x 16, sprites 1..1,
     * radii [2.0, 3.2], shapes [DISC, SQUARE], speed 0.5..1.5 px/frame)"}: equal datasets print alike, so an
     * experiment's JSON records which sprites it trained on.
     */
    @Override
    public String toString() {
        return String.format(java.util.Locale.ROOT, "SpriteVideos(%d frames of %d x %d x %d, sprites %d..%d, radii %s,"
                + " shapes %s, speed %s..%s px/frame)", spec.frames(), spec.channels(), spec.height(), spec.width(),
                minSprites, maxSprites, java.util.Arrays.toString(radii), java.util.Arrays.toString(shapes), minSpeed,
                maxSpeed);
    }

    /** Sprite radii (or half sides) in pixels. */
    public double[] radii() {
        return radii.clone();
    }

    /** Speed range in pixels per frame, {minSpeed, maxSpeed}. */
    public double[] speedRange() {
        return new double[] {minSpeed, maxSpeed};
    }

    @Override
    public void fill(long seed, float[] out, int offset) {
        Clip c = clip(seed);
        System.arraycopy(c.pixels(), 0, out, offset, c.pixels().length);
    }

    /** Generates clip {@code seed}: sprites, their tracks and the rendered pixels. */
    public Clip clip(long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        int n = minSprites + rng.nextInt(maxSprites - minSprites + 1);
        List<SpriteTrack> tracks = new ArrayList<>(n);
        for (int s = 0; s < n; s++) {
            tracks.add(track(rng));
        }
        return new Clip(render(tracks), List.copyOf(tracks));
    }

    private SpriteTrack track(SplittableRandom rng) {
        int f = spec.frames();
        double r = radii[rng.nextInt(radii.length)];
        SpriteShape shape = shapes[rng.nextInt(shapes.length)];
        double[] color = new double[spec.channels()];
        for (int c = 0; c < color.length; c++) {
            color[c] = spec.channels() == 1 ? 0.7 + 0.3 * rng.nextDouble() : 0.2 + 0.8 * rng.nextDouble();
        }
        if (spec.channels() == 3) {
            color[rng.nextInt(3)] = 1.0; // keep every RGB sprite clearly brighter than the background
        }
        double speed = minSpeed + (maxSpeed - minSpeed) * rng.nextDouble();
        double angle = 2 * Math.PI * rng.nextDouble();
        double[] x = new double[f], y = new double[f], vx = new double[f], vy = new double[f];
        x[0] = r + (spec.width() - 2 * r) * rng.nextDouble();
        y[0] = r + (spec.height() - 2 * r) * rng.nextDouble();
        vx[0] = speed * Math.cos(angle);
        vy[0] = speed * Math.sin(angle);
        for (int i = 1; i < f; i++) {
            double[] px = bounce(x[i - 1] + vx[i - 1], vx[i - 1], r, spec.width());
            double[] py = bounce(y[i - 1] + vy[i - 1], vy[i - 1], r, spec.height());
            x[i] = px[0];
            vx[i] = px[1];
            y[i] = py[0];
            vy[i] = py[1];
        }
        return new SpriteTrack(shape, r, color, x, y, vx, vy);
    }

    /** Reflects position p (velocity v) into [r, length - r]; returns {p', v'}. */
    static double[] bounce(double p, double v, double r, double length) {
        double lo = r, hi = length - r, period = 2 * (hi - lo);
        if (p < lo - period || p > hi + period) {
            // several frame widths in one frame: drop whole round trips first (two reflections each, so the velocity
            // keeps its sign); the loop below then reflects at most once instead of once per wall crossed
            p = lo + ((p - lo) % period + period) % period;
        }
        while (p < lo || p > hi) {
            if (p < lo) {
                p = 2 * lo - p;
            } else {
                p = 2 * hi - p;
            }
            v = -v;
        }
        return new double[] {p, v};
    }

    private float[] render(List<SpriteTrack> tracks) {
        int f = spec.frames(), ch = spec.channels(), h = spec.height(), w = spec.width();
        float[] out = new float[spec.clipSize()];
        Arrays.fill(out, -1f);
        for (SpriteTrack t : tracks) {
            double r = t.radius();
            for (int i = 0; i < f; i++) {
                int y0 = Math.max(0, (int) Math.floor(t.y()[i] - r - 1));
                int y1 = Math.min(h - 1, (int) Math.ceil(t.y()[i] + r + 1));
                int x0 = Math.max(0, (int) Math.floor(t.x()[i] - r - 1));
                int x1 = Math.min(w - 1, (int) Math.ceil(t.x()[i] + r + 1));
                for (int py = y0; py <= y1; py++) {
                    for (int px = x0; px <= x1; px++) {
                        double cov = t.shape().coverage(px + 0.5 - t.x()[i], py + 0.5 - t.y()[i], r);
                        if (cov <= 0) {
                            continue;
                        }
                        for (int c = 0; c < ch; c++) {
                            int idx = ((i * ch + c) * h + py) * w + px;
                            out[idx] = Math.max(out[idx], (float) (-1 + 2 * cov * t.color()[c]));
                        }
                    }
                }
            }
        }
        return out;
    }

    /**
     * Builder with {@code withX} steps, every one optional: defaults 16 frames of 16x16 grayscale, 1 sprite, radii
     * size/8 and size/5, both shapes, speed 0.5 to 1.5 pixels per frame at size 16.
     */
    public static final class Builder {
        private int frames = 16;
        private int size = 16;
        private int channels = 1;
        private int minSprites = 1;
        private int maxSprites = 1;
        private double[] radii;
        private SpriteShape[] shapes = SpriteShape.values();
        private double minSpeed = 0.5;
        private double maxSpeed = 1.5;

        /** Frames per clip; any multiple of 4 (so a 3-stage pyramid divides it). */
        public Builder withFrames(int frames) {
            if (frames < 4 || frames % 4 != 0) {
                throw Refusals.refuse("frames", frames, "a positive multiple of 4");
            }
            this.frames = frames;
            return this;
        }

        /** Frame side in pixels: 16 or 32 (square frames). */
        public Builder withSize(int size) {
            if (size != 16 && size != 32) {
                throw Refusals.refuse("size", size, "16 or 32");
            }
            this.size = size;
            return this;
        }

        /** 1 (grayscale) or 3 (RGB). */
        public Builder withChannels(int channels) {
            if (channels != 1 && channels != 3) {
                throw Refusals.refuse("channels", channels, "1 or 3");
            }
            this.channels = channels;
            return this;
        }

        /** Number of sprites per clip, drawn uniformly in [min, max]. */
        public Builder withSprites(int min, int max) {
            if (min < 1 || max < min || max > 4) {
                throw new IllegalArgumentException("sprites = [" + min + ", " + max + "]; allowed: 1 <= min <= max <= 4");
            }
            this.minSprites = min;
            this.maxSprites = max;
            return this;
        }

        /** Sprite radii in pixels (default size/8 and size/5). */
        public Builder withRadii(double... radii) {
            if (radii == null || radii.length == 0) {
                throw Refusals.refuse("radii", java.util.Arrays.toString(radii), "at least one radius");
            }
            this.radii = radii.clone();
            return this;
        }

        /** Allowed shapes (default both). */
        public Builder withShapes(SpriteShape... shapes) {
            if (shapes == null || shapes.length == 0) {
                throw Refusals.refuse("shapes", java.util.Arrays.toString(shapes), "at least one shape");
            }
            for (int i = 0; i < shapes.length; i++) {
                Refusals.notNull(shapes[i], "shapes[" + i + "]",
                        "one of " + java.util.Arrays.toString(SpriteShape.values()));
            }
            this.shapes = shapes.clone();
            return this;
        }

        /** Speed range in pixels per frame at size 16 (scaled with the size), finite; default [0.5, 1.5]. */
        public Builder withSpeed(double min, double max) {
            if (!(min >= 0) || !(max >= min) || !Double.isFinite(max)) {
                throw new IllegalArgumentException("speed = [" + min + ", " + max + "]; allowed: finite 0 <= min <= max");
            }
            this.minSpeed = min;
            this.maxSpeed = max;
            return this;
        }

        /**
         * The data set.
         *
         * @throws IllegalArgumentException if a radius is not in (0, size/2)
         */
        public SpriteVideos build() {
            return new SpriteVideos(this);
        }
    }
}
