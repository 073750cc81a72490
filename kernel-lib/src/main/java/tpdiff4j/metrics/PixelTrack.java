package tpdiff4j.metrics;

/**
 * The sprite of one clip as seen in its pixels, frame by frame: centroid, area and whether it was found. (The
 * generator's ground truth lives in the data package; this is what a metric can measure from any clip.)
 *
 * <p>Coordinates are continuous pixel units: pixel column {@code i} covers [i, i+1), so its centre is at
 * {@code i + 0.5}; likewise for rows. A frame where no pixel passes the threshold is {@code detected = false}, has
 * area 0 and holds the position of the nearest detected frame (the previous one, else the next one, else the frame
 * centre), so the motion features stay finite and a vanishing sprite shows up as a shrinking size.
 *
 * @param x        centroid column per frame, length F
 * @param y        centroid row per frame, length F
 * @param area     number of pixels above the threshold per frame
 * @param detected whether frame f had any pixel above the threshold
 */
public record PixelTrack(double[] x, double[] y, double[] area, boolean[] detected) {

    /** Checks that all four arrays have one entry per frame. */
    public PixelTrack {
        int f = x.length;
        if (y.length != f || area.length != f || detected.length != f) {
            throw new IllegalArgumentException("x, y, area, detected lengths = " + x.length
                    + ", " + y.length + ", " + area.length + ", " + detected.length + "; allowed: one length for all four");
        }
        x = x.clone();
        y = y.clone();
        area = area.clone();
        detected = detected.clone();
    }

    /** @return the number of frames F */
    public int frames() {
        return x.length;
    }

    /** @return the equivalent radius sqrt(area / pi) of frame f (a disc of radius r has this value ~ r) */
    public double radius(int f) {
        return Math.sqrt(area[f] / Math.PI);
    }

    /** @return the fraction of frames in which the sprite was found */
    public double detectedFraction() {
        int n = 0;
        for (boolean d : detected) {
            n += d ? 1 : 0;
        }
        return n / (double) detected.length;
    }

    @Override
    public double[] x() {
        return x.clone();
    }

    @Override
    public double[] y() {
        return y.clone();
    }

    @Override
    public double[] area() {
        return area.clone();
    }

    @Override
    public boolean[] detected() {
        return detected.clone();
    }

    /** Equal when every frame's position, area and detection are equal (a record compares arrays by identity). */
    @Override
    public boolean equals(Object o) {
        return o instanceof PixelTrack p && java.util.Arrays.equals(x, p.x) && java.util.Arrays.equals(y, p.y)
                && java.util.Arrays.equals(area, p.area) && java.util.Arrays.equals(detected, p.detected);
    }

    @Override
    public int hashCode() {
        return java.util.Objects.hash(java.util.Arrays.hashCode(x), java.util.Arrays.hashCode(y),
                java.util.Arrays.hashCode(area), java.util.Arrays.hashCode(detected));
    }

    /** E.g. {@code PixelTrack[16 frames, detected in 15]}. */
    @Override
    public String toString() {
        int found = 0;
        for (boolean d : detected) {
            found += d ? 1 : 0;
        }
        return "PixelTrack[" + frames() + " frames, detected in " + found + "]";
    }
}
