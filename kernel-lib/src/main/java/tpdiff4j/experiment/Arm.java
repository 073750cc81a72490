package tpdiff4j.experiment;

import java.util.Arrays;
import java.util.Objects;
import java.util.stream.Collectors;
import tpdiff4j.pyramid.JumpRule;
import tpdiff4j.pyramid.NoiseCoupling;
import tpdiff4j.pyramid.TemporalPyramid;
import tpdiff4j.train.StageDraw;
import tpdiff4j.train.StageLossWeights;
import tpdiff4j.train.StageTimeDraw;

/**
 * One arm of an {@link Experiment}: what is trained and how it is sampled. Data, model, seed, optimizer settings
 * and budget are the experiment's and shared by all arms.
 *
 * @param name          label in tables and figures (unique within the experiment)
 * @param pyramid       the temporal pyramid (one stage: vanilla); its schedule is the arm's noise schedule
 * @param coupling      data-noise coupling in training ({@link NoiseCoupling#NONE}, the batch aligner, or one's own)
 * @param stageDraw     how training picks stages
 * @param stepsPerStage solver steps per stage in sampling order (one value: the same for every stage)
 * @param jumpRule      the stage jump used in sampling
 * @param timeDraw      how training draws the time inside a stage ({@link StageTimeDraw#uniform()}: the paper's)
 * @param lossWeights   factor on each stage's loss ({@link StageLossWeights#equal()}: the paper's, all 1)
 */
public record Arm(String name, TemporalPyramid pyramid, NoiseCoupling coupling, StageDraw stageDraw,
                  int[] stepsPerStage, JumpRule jumpRule, StageTimeDraw timeDraw, StageLossWeights lossWeights) {

    /** Total sampling steps of the default: split over the stages, at least one each. */
    public static final int DEFAULT_SAMPLING_STEPS = 30;

    public Arm {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("arm name = '" + name + "'; allowed: a non-blank label");
        }
        if (pyramid == null || coupling == null || stageDraw == null || jumpRule == null || timeDraw == null
                || lossWeights == null) {
            String missing = pyramid == null ? "pyramid" : coupling == null ? "coupling" : stageDraw == null
                    ? "stageDraw" : jumpRule == null ? "jumpRule" : timeDraw == null ? "timeDraw" : "lossWeights";
            throw new IllegalArgumentException("arm " + name + ": " + missing + " = null; allowed: a non-null value"
                    + " (the defaults are NoiseCoupling.NONE, StageDraw.uniform(), JumpRule.CORRECTED,"
                    + " StageTimeDraw.uniform(), StageLossWeights.equal())");
        }
        stepsPerStage = stepsPerStage.clone();
        if (!(stepsPerStage.length == 1 || stepsPerStage.length == pyramid.size())
                || Arrays.stream(stepsPerStage).anyMatch(n -> n < 1)) {
            throw new IllegalArgumentException("arm " + name + ": stepsPerStage = " + Arrays.toString(stepsPerStage)
                    + "; allowed: one value >= 1 or " + pyramid.size() + " values >= 1 (one per stage)");
        }
        try {
            stageDraw.probabilities(pyramid); // weights must match the stages
        } catch (IllegalArgumentException e) {   // the draw's own words, after the arm's name
            throw new IllegalArgumentException("arm " + name + ": stageDraw = " + stageDraw + ": " + e.getMessage(), e);
        }
        if (!lossWeights.isEqual() && lossWeights.factors().length != pyramid.size()) {
            throw new IllegalArgumentException("arm " + name + ": lossWeights = " + lossWeights + ", with "
                    + lossWeights.factors().length + " entries; allowed: equal weights or " + pyramid.size()
                    + " entries, one per stage of the pyramid");
        }
    }

    /** An arm with the paper's time draw and equal stage losses. */
    public Arm(String name, TemporalPyramid pyramid, NoiseCoupling coupling, StageDraw stageDraw, int[] stepsPerStage,
            JumpRule jumpRule) {
        this(name, pyramid, coupling, stageDraw, stepsPerStage, jumpRule, StageTimeDraw.uniform(),
                StageLossWeights.equal());
    }

    /**
     * {@code pyramid} without coupling, uniform stage draw, corrected jumps, and {@code round(30 / K)} sampling steps in
     * each of its K stages: 30 for one stage, 10/10/10 for three, 8 per stage (32 in all) for four; {@link #withSteps}
     * sets others.
     */
    public static Arm of(String name, TemporalPyramid pyramid) {
        int stages = pyramid == null ? 1 : pyramid.size(); // a null pyramid is refused by the constructor, by name
        return new Arm(name, pyramid, NoiseCoupling.NONE, StageDraw.uniform(),
                new int[] {Math.max(1, Math.round((float) DEFAULT_SAMPLING_STEPS / stages))}, JumpRule.CORRECTED);
    }

    /** The same arm with another data-noise coupling in training ({@link NoiseCoupling#NONE}: independent pairs). */
    public Arm withCoupling(NoiseCoupling c) {
        return new Arm(name, pyramid, c, stageDraw, stepsPerStage, jumpRule, timeDraw, lossWeights);
    }

    /** The same arm with another rule for which stage a training step trains (default: every stage equally often). */
    public Arm withStageDraw(StageDraw d) {
        return new Arm(name, pyramid, coupling, d, stepsPerStage, jumpRule, timeDraw, lossWeights);
    }

    /**
     * The same arm with other sampling steps: one value (each stage takes that many steps) or one per stage in
     * sampling order, every value at least 1.
     */
    public Arm withSteps(int... n) {
        return new Arm(name, pyramid, coupling, stageDraw, n, jumpRule, timeDraw, lossWeights);
    }

    /** The same arm with another stage jump at sampling time (default {@link JumpRule#CORRECTED}). */
    public Arm withJumpRule(JumpRule r) {
        return new Arm(name, pyramid, coupling, stageDraw, stepsPerStage, r, timeDraw, lossWeights);
    }

    /** The same arm under another label (non-blank, unique within the experiment). */
    public Arm withName(String n) {
        return new Arm(n, pyramid, coupling, stageDraw, stepsPerStage, jumpRule, timeDraw, lossWeights);
    }

    /** The same with another draw of the time inside a stage (see {@link StageTimeDraw}). */
    public Arm withTimeDraw(StageTimeDraw d) {
        return new Arm(name, pyramid, coupling, stageDraw, stepsPerStage, jumpRule, d, lossWeights);
    }

    /** The same with factors on the stages' losses, one per stage in sampling order (see {@link StageLossWeights}). */
    public Arm withLossWeights(StageLossWeights w) {
        return new Arm(name, pyramid, coupling, stageDraw, stepsPerStage, jumpRule, timeDraw, w);
    }

    @Override
    public int[] stepsPerStage() {
        return stepsPerStage.clone();
    }

    /** Equal components; the steps per stage compared by value (a record compares arrays by identity). */
    @Override
    public boolean equals(Object o) {
        return o instanceof Arm a && name.equals(a.name) && pyramid.equals(a.pyramid) && coupling.equals(a.coupling)
                && stageDraw.equals(a.stageDraw) && Arrays.equals(stepsPerStage, a.stepsPerStage)
                && jumpRule == a.jumpRule && timeDraw.equals(a.timeDraw) && lossWeights.equals(a.lossWeights);
    }

    @Override
    public int hashCode() {
        return 31 * Objects.hash(name, pyramid, coupling, stageDraw, jumpRule, timeDraw, lossWeights)
                + Arrays.hashCode(stepsPerStage);
    }

    /**
     * One line: the name, the pyramid's schedule and frames per stage, the coupling, the draw, the steps, the jump
     * rule, and the time draw and stage loss weights where they are not the paper's (uniform times, equal losses).
     */
    @Override
    public String toString() {
        String frames = pyramid.stages().stream().map(s -> String.valueOf(s.frames())).collect(Collectors.joining("-"));
        return "Arm[name=" + name + ", pyramid=" + pyramid.schedule().name() + ", K = " + pyramid.size() + " (" + frames
                + " frames), coupling=" + (coupling == NoiseCoupling.NONE ? "none" : coupling.toString())
                + ", stageDraw=" + stageDraw + ", stepsPerStage=" + Arrays.toString(stepsPerStage) + ", jumpRule="
                + jumpRule + (timeDraw.isUniform() ? "" : ", timeDraw=" + timeDraw)
                + (lossWeights.isEqual() ? "" : ", lossWeights=" + lossWeights) + "]";
    }

    /** Solver steps of one sample. */
    public int totalSteps() {
        return stepsPerStage.length == 1 ? stepsPerStage[0] * pyramid.size() : Arrays.stream(stepsPerStage).sum();
    }
}
