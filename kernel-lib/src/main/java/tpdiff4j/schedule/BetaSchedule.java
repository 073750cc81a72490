package tpdiff4j.schedule;

import com.google.gson.JsonObject;
import java.util.Objects;

/**
 * DDPM betas spaced between {@code betaStart} and {@code betaEnd} over {@code steps} steps (diffusers
 * {@code DDIMScheduler.__init__}):
 * <ul>
 *   <li>{@link Kind#LINEAR}: {@code beta_i = b0 + i (b1 - b0) / (N - 1)} (AnimateDiff configs);</li>
 *   <li>{@link Kind#SCALED_LINEAR}: {@code beta_i = (sqrt b0 + i (sqrt b1 - sqrt b0) / (N - 1))^2} (Stable Diffusion 1.5
 *       with 0.00085, 0.012, 1000).</li>
 * </ul>
 * The last beta is exactly b1. Time convention and interpolation: {@link DiscreteVpSchedule}.
 */
public final class BetaSchedule extends DiscreteVpSchedule {

    /** How betas are spaced. */
    public enum Kind {
        /** Betas linear in i. */
        LINEAR("linear"),
        /** Square roots of the betas linear in i. */
        SCALED_LINEAR("scaledLinear");

        final String type;

        Kind(String type) {
            this.type = type;
        }
    }

    private final Kind kind;
    private final double betaStart;
    private final double betaEnd;

    BetaSchedule(Kind kind, double betaStart, double betaEnd, int steps) {
        super(betas(kind, Checks.beta("b0", betaStart), Checks.beta("b1", betaEnd), Checks.steps("n", steps)));
        this.kind = kind;
        this.betaStart = betaStart;
        this.betaEnd = betaEnd;
    }

    static double[] betas(Kind kind, double b0, double b1, int n) {
        boolean scaled = kind == Kind.SCALED_LINEAR;
        double start = scaled ? Math.sqrt(b0) : b0;
        double stop = scaled ? Math.sqrt(b1) : b1;
        double step = (stop - start) / (n - 1);
        double[] betas = new double[n];
        for (int i = 0; i < n; i++) {
            double v = i == n - 1 ? stop : start + i * step;
            betas[i] = scaled ? v * v : v;
        }
        return betas;
    }

    /** The spacing. */
    public Kind kind() {
        return kind;
    }

    /** beta_0. */
    public double betaStart() {
        return betaStart;
    }

    /** beta_{N-1}. */
    public double betaEnd() {
        return betaEnd;
    }

    @Override
    public String name() {
        return kind.type + "(" + betaStart + ", " + betaEnd + ", " + steps() + ")";
    }

    @Override
    public String toJson() {
        JsonObject o = ScheduleJson.header(kind.type);
        o.addProperty("betaStart", betaStart);
        o.addProperty("betaEnd", betaEnd);
        o.addProperty("steps", steps());
        return o.toString();
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof BetaSchedule)) {
            return false;
        }
        BetaSchedule b = (BetaSchedule) o;
        return kind == b.kind && Double.compare(betaStart, b.betaStart) == 0 && Double.compare(betaEnd, b.betaEnd) == 0
                && steps() == b.steps();
    }

    @Override
    public int hashCode() {
        return Objects.hash(kind, betaStart, betaEnd, steps());
    }

    @Override
    public String toString() {
        return name();
    }
}
