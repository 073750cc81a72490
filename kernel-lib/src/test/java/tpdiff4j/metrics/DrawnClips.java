package tpdiff4j.metrics;

import java.util.SplittableRandom;

/**
 * Test clips drawn here, independent of the data package: one disc or square per clip on a -1 background, moving at
 * constant velocity and bouncing off the walls. Antialiased pixels have the value -1 + 2 * coverage (exact for
 * squares, 8 x 8 supersampled for discs); hard pixels are 1 where the pixel centre is inside the shape.
 */
final class DrawnClips {

    /** The parameters of one clip: start centre, velocity (px/frame), radius (half side for squares), shape. */
    record Sprite(double x0, double y0, double vx, double vy, double r, boolean square) {
    }

    private DrawnClips() {
    }

    /** @return n random sprites that fit in a size x size frame, speeds |v| in [0.3, 1.2] per axis */
    static Sprite[] randomSprites(int n, int size, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        Sprite[] out = new Sprite[n];
        for (int i = 0; i < n; i++) {
            double r = 2 + rng.nextInt(3) * 0.5;
            double x = r + rng.nextDouble() * (size - 2 * r);
            double y = r + rng.nextDouble() * (size - 2 * r);
            double vx = (rng.nextBoolean() ? 1 : -1) * (0.3 + 0.9 * rng.nextDouble());
            double vy = (rng.nextBoolean() ? 1 : -1) * (0.3 + 0.9 * rng.nextDouble());
            out[i] = new Sprite(x, y, vx, vy, r, rng.nextBoolean());
        }
        return out;
    }

    /** @return the sprite's centre in frame f, reflecting off the walls [r, size - r] on each axis */
    static double[] centre(Sprite s, int f, int size) {
        return new double[] {reflect(s.x0() + s.vx() * f, s.r(), size - s.r()),
                reflect(s.y0() + s.vy() * f, s.r(), size - s.r())};
    }

    static double reflect(double p, double lo, double hi) {
        double span = hi - lo;
        double q = (p - lo) % (2 * span);
        if (q < 0) {
            q += 2 * span;
        }
        return lo + (q <= span ? q : 2 * span - q);
    }

    /** @return the clips [n, frames, 1, size, size] of the given sprites */
    static ClipBatch render(Sprite[] sprites, int frames, int size, boolean antialias) {
        float[] data = new float[sprites.length * frames * size * size];
        for (int b = 0; b < sprites.length; b++) {
            for (int f = 0; f < frames; f++) {
                double[] c = centre(sprites[b], f, size);
                drawShape(data, ((b * frames) + f) * size * size, size, c[0], c[1], sprites[b].r(),
                        sprites[b].square(), antialias);
            }
        }
        return ClipBatch.of(data, sprites.length, frames, 1, size, size);
    }

    /** Renders one shape on the -1 background into the frame starting at {@code offset} (overwrites the frame). */
    static void drawShape(float[] data, int offset, int size, double cx, double cy, double r, boolean square,
            boolean antialias) {
        int sub = antialias ? 8 : 1;
        for (int y = 0; y < size; y++) {
            for (int x = 0; x < size; x++) {
                if (square && antialias) { // exact coverage of an axis-aligned square
                    double cover = overlap(x, cx - r, cx + r) * overlap(y, cy - r, cy + r);
                    data[offset + y * size + x] = (float) (-1 + 2 * cover);
                    continue;
                }
                int inside = 0;
                for (int sy = 0; sy < sub; sy++) {
                    for (int sx = 0; sx < sub; sx++) {
                        double px = x + (sx + 0.5) / sub - cx;
                        double py = y + (sy + 0.5) / sub - cy;
                        boolean in = square ? Math.abs(px) <= r && Math.abs(py) <= r : px * px + py * py <= r * r;
                        inside += in ? 1 : 0;
                    }
                }
                data[offset + y * size + x] = (float) (-1 + 2.0 * inside / (sub * sub));
            }
        }
    }

    /** @return the length of [i, i + 1] intersected with [lo, hi] */
    private static double overlap(int i, double lo, double hi) {
        return Math.max(0, Math.min(i + 1, hi) - Math.max(i, lo));
    }

    /** @return random clips: n sprites, seed, antialiased */
    static ClipBatch random(int n, int frames, int size, long seed) {
        return render(randomSprites(n, size, seed), frames, size, true);
    }

    /** @return the same clips with every clip's frames in a seeded random order */
    static ClipBatch shuffled(ClipBatch clips, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        int[][] order = new int[clips.batch()][clips.frames()];
        for (int b = 0; b < order.length; b++) {
            for (int f = 0; f < order[b].length; f++) {
                order[b][f] = f;
            }
            for (int f = order[b].length - 1; f > 0; f--) {
                int j = rng.nextInt(f + 1);
                int t = order[b][f];
                order[b][f] = order[b][j];
                order[b][j] = t;
            }
        }
        return clips.withFrameOrder(order);
    }
}
