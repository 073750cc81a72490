package tpdiff4j.viz;

import ai.djl.ndarray.NDArray;

/**
 * 2-D points of a tensor as {@code double[n][2]}, the input of {@link Plots#matching} and
 * {@link Plots#trajectories(java.util.List)}: the last axis (length 2) holds the coordinates, every axis before it
 * counts points ({@code [n, 2]}, or {@code [B, F, C, H, 2]} read as {@code B F C H} points).
 */
public final class Points {

    private Points() {}

    /** The points of {@code x} (any float type); the last axis must have length 2. */
    public static double[][] of(NDArray x) {
        return TrajectoryRecorder.toPoints(x, "x");
    }
}
