package tpdiff4j.bench;

import tpdiff4j.train.StageDraw;
import tpdiff4j.train.StageTimeDraw;
import tpdiff4j.train.TrainConfig;

/**
 * How the training race draws diffusion times, the same rule for both arms so that the race stays fair.
 * {@link #UNIFORM} is the paper's method: vanilla draws t uniformly, TPDiff draws a stage uniformly and a time
 * uniformly inside its window. {@link #LOGIT_NORMAL} is a named option that is not the paper's method: the global time
 * follows logit-normal(0, 1), the usual density of rectified-flow training, for vanilla over the whole axis and for
 * TPDiff over each stage's window, with stages drawn in proportion to the curve's mass over their windows
 * ({@link StageDraw#byMass}); docs/levers.md measures what it changes.
 */
public enum RaceTimes {
    /** The paper's draw: uniform stages, uniform times inside a stage (vanilla: uniform times). */
    UNIFORM("uniform"),
    /** Logit-normal(0, 1) global times for both arms, TPDiff's stages drawn by the curve's mass. */
    LOGIT_NORMAL("logitnormal");

    private final String label;

    RaceTimes(String label) {
        this.label = label;
    }

    /** The name on the command lines ({@code times=uniform|logitnormal}). */
    public String label() {
        return label;
    }

    /** By command-line name. */
    public static RaceTimes named(String name) {
        for (RaceTimes t : values()) {
            if (t.label.equals(name)) {
                return t;
            }
        }
        throw new IllegalArgumentException("times = '" + name + "'; allowed: uniform or logitnormal");
    }

    /** {@code c} with this time draw (UNIFORM leaves it as it is); the stage weights are computed for c's pyramid. */
    public TrainConfig apply(TrainConfig c) {
        if (this == UNIFORM) {
            return c;
        }
        StageTimeDraw global = StageTimeDraw.globalLogitNormal(0, 1);
        return c.withStageDraw(StageDraw.byMass(global, c.pyramid())).withTimeDraw(global);
    }

    /** A phrase for the report: what both arms of the race draw. */
    String describe() {
        return this == UNIFORM
                ? "uniform times (the paper's draw: TPDiff's stages uniform, times uniform inside a stage)"
                : "logit-normal(0, 1) times for both arms, TPDiff's stages drawn by the curve's mass over their windows "
                        + "(a named option, not the paper's draw)";
    }
}
