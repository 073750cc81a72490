package tpdiff4j.data;

/**
 * Ground truth of one sprite in one clip: per frame f, the centre {@code (x[f], y[f])} in pixel units (pixel
 * (i, j) has its centre at (j + 0.5, i + 0.5)) and the velocity {@code (vx[f], vy[f])} in pixels per frame that
 * moves it to frame f + 1. Velocity changes sign only at a wall bounce.
 *
 * @param shape  disc or square
 * @param radius radius (disc) or half side (square) in pixels
 * @param color  intensity per channel in (0, 1]; the pixel value is -1 + 2 * coverage * color
 * @param x      per frame, the centre's column coordinate in pixels
 * @param y      per frame, the centre's row coordinate in pixels
 * @param vx     per frame, the velocity along x in pixels per frame (from this frame to the next)
 * @param vy     per frame, the velocity along y in pixels per frame (from this frame to the next)
 */
public record SpriteTrack(SpriteShape shape, double radius, double[] color,
                          double[] x, double[] y, double[] vx, double[] vy) {

    /** Number of frames of the track. */
    public int frames() {
        return x.length;
    }

    /** Equal when shape, radius, colour and every frame's position and velocity are equal (not by array identity). */
    @Override
    public boolean equals(Object o) {
        return o instanceof SpriteTrack t && shape == t.shape && Double.compare(radius, t.radius) == 0
                && java.util.Arrays.equals(color, t.color) && java.util.Arrays.equals(x, t.x)
                && java.util.Arrays.equals(y, t.y) && java.util.Arrays.equals(vx, t.vx) && java.util.Arrays.equals(vy, t.vy);
    }

    @Override
    public int hashCode() {
        return java.util.Objects.hash(shape, radius, java.util.Arrays.hashCode(color), java.util.Arrays.hashCode(x),
                java.util.Arrays.hashCode(y), java.util.Arrays.hashCode(vx), java.util.Arrays.hashCode(vy));
    }

    /** E.g. {@code SpriteTrack[DISC, radius 2.0, color [0.8], 16 frames, centre (3.1, 4.0) to (9.5, 12.2)]}. */
    @Override
    public String toString() {
        int last = x.length - 1;
        return String.format(java.util.Locale.ROOT, "SpriteTrack[%s, radius %s, color %s, %d frames%s]", shape, radius,
                java.util.Arrays.toString(color), x.length, last < 0 ? ""
                        : String.format(java.util.Locale.ROOT, ", centre (%.1f, %.1f) to (%.1f, %.1f)", x[0], y[0], x[last], y[last]));
    }
}
