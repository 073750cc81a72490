package tpdiff4j.data;

/**
 * Ground truth of one sprite in one clip: per frame f, the centre {@code (x[f], y[f])} in pixel units (pixel
 * (i, j) has its centre at (j + 0.5, i + 0.5)) and the velocity {@code (vx[f], vy[f])} in pixels per frame that
 * moves it to frame f + 1. Velocity changes sign only at a wall bounce.
 *
 * @param shape  disc or square
 * @param radius radius (disc) or half side (square) in pixels
 * @param color  intensity per channel in (0, 1]; the pixel value is -1 + 2 * coverage * color
 */
public record SpriteTrack(SpriteShape shape, double radius, double[] color,
                          double[] x, double[] y, double[] vx, double[] vy) {

    /** Number of frames of the track. */
    public int frames() {
        return x.length;
    }
}
