package tpdiff4j.data;

/** The sprite kinds of {@link SpriteVideos}: a disc of radius r, or an axis-aligned square of half side r. */
public enum SpriteShape {
    DISC,
    SQUARE;

    /**
     * Anti-aliased coverage in [0, 1] of the pixel whose centre is at distance (dx, dy) from the sprite centre:
     * 1 inside, 0 outside, a linear ramp of one pixel across the edge.
     */
    double coverage(double dx, double dy, double r) {
        double d = this == DISC ? Math.hypot(dx, dy) : Math.max(Math.abs(dx), Math.abs(dy));
        return Math.max(0.0, Math.min(1.0, r + 0.5 - d));
    }
}
