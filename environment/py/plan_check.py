#!/usr/bin/env python3
"""Reads tpdiff4j pyramid plans with numpy alone and checks them against the Java values.

Usage: plan_check.py [DIR]   (default: kernel-lib/target/plan-check, written by the Maven test PyramidPlanTest)

For every DIR/fixture-NAME.json it loads the plan it names (DIR/plan-NAME.json, format in docs/plan-format.md) and
checks, failing with exit status 1 on the first mismatch:

  1. the schedule: gamma and sigma evaluated here from the plan alone equal the plan's numbers at every stage end
     and grid time: from the diffusers config where it is exact (flow matching, or diffusers betas with log-SNR
     linear in t between steps), otherwise from the schedule's own JSON (vpCosine in closed form, a tabulated
     schedule by cubic Hermite interpolation); for a table of Java functions within the table's tolerance;
  2. the jump moments, exactly from the coefficients: scale * gamma_end = gamma_start (the mean),
     scale^2 sigma_end^2 + noiseWeight^2 = sigma_start^2 (the variance of each frame) and
     scale^2 sigma_end^2 - noiseWeight^2 / (B - 1) = 0 (the covariance of two frames of one block);
     a plan whose jumpRule is one of the ablations makes no such promise: its coefficients are checked against that
     rule's formula instead (NONE: scale = gamma_start / gamma_end, noiseWeight = 0; PAPER_PRINTED: scale =
     sqrt(B) gamma_start / (sigma_start + sqrt(B) gamma_start), noiseWeight = sigma_start sqrt((B - 1) / B)), and
     item 3 is left out for it;
  3. the jump moments by Monte Carlo: the jump applied to many draws of a stage end, with block noise built here
     from the plan's rule (fixed numpy seed), has mean gamma_start Up(D), variance sigma_start^2 per element and no
     correlation inside or across blocks, within five standard errors;
  4. the windows: stage 0 starts at t = 1 and the last stage ends at t = 0; between stages k and k + 1 the side the
     convention names sits exactly on the nominal boundary b = boundaries[K - 1 - k] (A: the next start, B: the
     previous end) and the other side has rho = rho(b) / sqrt(B) (A) or sqrt(B) rho(b) (B), to 1e-12 relative; each
     stage's rateFactor is the product of the factors of the jumps after it;
  5. the stage-wise x_t and the four targets of the fixture's fixed tensors, rebuilt here from the plan's rule and
     the schedule evaluated here at the fixture's times, equal Java's to 1e-10 (a table of Java functions: to the
     bound its tolerance gives); gamma, sigma and their derivatives there to 1e-12 relative, except the derivatives
     of a discrete schedule, whose log-SNR slope agrees only within a rounding bound derived from the betas.
"""
import json
import math
import os
import sys

import numpy as np

EXACT = 1e-12          # algebraic identities between float64 numbers that went through a few operations
BETA_ULPS = 6          # bound on a beta's rounding error in units of eps = 2^-52: a cosine beta is
                       # 1 - f(i+1) / f(i) with f = cos^2, each cos within 1 ulp in Java and in C, the square and
                       # the quotient within half an ulp each, so the quotient near 1 is off by at most 6 eps
                       # (absolute) and the subtraction is exact; a linear or scaled-linear beta (or a given one)
                       # is off by at most 6 ulps of itself (relative)
TARGETS = 1e-10        # x_t and targets: tensors of unit size built by a handful of operations
MC_SAMPLES = 200_000   # Monte Carlo draws per jump
MC_SIGMAS = 5.0        # tolerance in standard errors (a false alarm has probability ~6e-7 per checked number)
SEED = 20261129


class CheckFailed(Exception):
    pass


def check(ok, message):
    if not ok:
        raise CheckFailed(message)


# ---------------------------------------------------------------------------------------------- schedule

class Schedule:
    """gamma, sigma and their t-derivatives from the plan's "schedule" section.

    tolerance: how far the plan's numbers may be from this evaluation (0 up to rounding; for a table of Java functions
    the table's tolerance, since the plan and the Java fixtures hold the functions' own values)."""

    def __init__(self, section):
        cfg = section["diffusers"]
        self.name = section["name"]
        self.tolerance = 0.0
        if not section["diffusersExact"]:
            self._from_json(section)
            return
        if cfg["_class_name"] == "FlowMatchEulerDiscreteScheduler":
            self.kind = "flow"
            self.shift = float(cfg.get("shift", 1.0))
            return
        n = int(cfg.get("num_train_timesteps", 1000))
        cosine = False
        if cfg.get("trained_betas") is not None:
            betas = np.array(cfg["trained_betas"], dtype=np.float64)
        else:
            kind = cfg.get("beta_schedule", "linear")
            b0, b1 = float(cfg.get("beta_start", 1e-4)), float(cfg.get("beta_end", 0.02))
            cosine = kind == "squaredcos_cap_v2"
            if kind == "linear":
                betas = np.linspace(b0, b1, n, dtype=np.float64)
            elif kind == "scaled_linear":
                betas = np.linspace(math.sqrt(b0), math.sqrt(b1), n, dtype=np.float64) ** 2
            elif kind == "squaredcos_cap_v2":
                f = lambda u: np.cos((u + 0.008) / 1.008 * np.pi / 2) ** 2
                i = np.arange(n, dtype=np.float64)
                betas = np.minimum(1 - f((i + 1) / n) / f(i / n), 0.999)
            else:
                raise CheckFailed("beta_schedule %r is not one a plan uses" % kind)
        log_cum = np.cumsum(np.log1p(-betas))
        alpha_bar = np.exp(log_cum)
        self.kind = "discrete"
        self.log_snr = np.log(alpha_bar) - np.log(-np.expm1(log_cum))
        self.n = len(betas)
        # Rounding bound of each log-SNR value, here and in Java alike (the same formulas, another libm): the sum
        # S_i = sum log1p(-beta_j) is off by at most sum (err(beta_j) / (1 - beta_j) + eps |log1p(-beta_j)|) from
        # the betas (BETA_ULPS) and the logarithms, plus eps |S_j| per addition; 1 - alphaBar = -expm1(S) then carries that
        # error of S divided by 1 - alphaBar relative, and l = ln(alphaBar) - ln(1 - alphaBar) gets it times
        # 1 + alphaBar / (1 - alphaBar), plus a few ulps of l. Early cosine steps have 1 - alphaBar ~ 1e-3 and a
        # log-SNR slope far below l, so the slope (the derivatives) agrees with Java's only to about 1e-12 relative.
        eps = np.finfo(np.float64).eps
        beta_err = BETA_ULPS * eps * (np.ones_like(betas) if cosine else betas)
        err_sum = np.cumsum(beta_err / (1 - betas) + eps * (np.abs(np.log1p(-betas)) + np.abs(log_cum)))
        self.log_snr_err = err_sum * (1 + alpha_bar / -np.expm1(log_cum)) + 4 * eps * np.abs(self.log_snr)

    def _from_json(self, section):
        """A schedule without a closed diffusers form, from its own JSON (plan-format.md, "Evaluating json")."""
        own = section["json"]
        check(isinstance(own, dict), "schedule %s: no closed diffusers form and no JSON (%r): a script cannot"
              " evaluate it at a training time" % (self.name, str(own)[:80]))
        if own["type"] == "vpCosine":
            self.kind = "vpCosine"
        elif own["type"] == "tabulated":
            self.kind = "tabulated"
            self.table = {k: np.array(own[k], dtype=np.float64) for k in ("gamma", "sigma", "gammaDot", "sigmaDot")}
            self.intervals = len(own["gamma"]) - 1
            if "table" in section:
                self.tolerance = float(section["table"]["tolerance"])
        else:
            raise CheckFailed("schedule %s: JSON type %r has no closed diffusers form and this reader has no rule"
                              " for it" % (self.name, own["type"]))

    def _shifted(self, t):
        s = self.shift
        return t if s == 1 else s * t / (s * t + (1 - t))

    def _segment(self, t):
        """Segment k of [t_k, t_(k+1)]: the one below t at a step time (as the Java schedule does)."""
        k = math.ceil(t * (self.n - 1)) - 1
        return max(0, min(self.n - 2, k))

    def _l(self, t):
        k = self._segment(t)
        w = t * (self.n - 1) - k
        return self.log_snr[k + 1] if w == 1 else (1 - w) * self.log_snr[k] + w * self.log_snr[k + 1]

    @staticmethod
    def _sigmoid(x):
        return 1 / (1 + math.exp(-x)) if x >= 0 else math.exp(x) / (1 + math.exp(x))

    VP_S = 0.008
    VP_RATE = math.pi / (2 * (1 + VP_S))

    def _hermite(self, name, t):
        """Value and derivative of the tabulated function at t: cubic Hermite between the nodes j / n."""
        n = self.intervals
        i = min(int(math.floor(t * n)), n - 1)
        h = 1.0 / n
        u = (t - i * h) / h
        f, d = self.table[name], self.table[name + "Dot"]
        value = ((2 * u ** 3 - 3 * u ** 2 + 1) * f[i] + h * (u ** 3 - 2 * u ** 2 + u) * d[i]
                 + (-2 * u ** 3 + 3 * u ** 2) * f[i + 1] + h * (u ** 3 - u ** 2) * d[i + 1])
        slope = 6 * (u * u - u) * (f[i] - f[i + 1]) / h + (3 * u * u - 4 * u + 1) * d[i] + (3 * u * u - 2 * u) * d[i + 1]
        return value, slope

    def values(self, t):
        """(gamma, sigma, gammaDot, sigmaDot) at t."""
        if self.kind == "flow":
            d = self.shift * t + (1 - t)
            rate = self.shift / (d * d)
            u = self._shifted(t)
            gamma = 1 - t if self.shift == 1 else (1 - t) / d
            return gamma, u, -rate, rate
        if self.kind == "discrete":
            k = self._segment(t)
            rate = (self.log_snr[k + 1] - self.log_snr[k]) * (self.n - 1)
            l = self._l(t)
            g, s = math.sqrt(self._sigmoid(l)), math.sqrt(self._sigmoid(-l))
            return g, s, 0.5 * g * self._sigmoid(-l) * rate, -0.5 * s * self._sigmoid(l) * rate
        if self.kind == "vpCosine":
            phi0 = self.VP_S * self.VP_RATE
            phi = (t + self.VP_S) * self.VP_RATE
            g = 0.0 if t == 1 else math.cos(phi) / math.cos(phi0)
            s = 1.0 if t == 1 else math.sqrt(math.sin(phi - phi0) * math.sin(phi + phi0)) / math.cos(phi0)
            gd = -math.sin(phi) * self.VP_RATE / math.cos(phi0)
            return g, s, gd, (math.inf if s == 0 else -g * gd / s)
        g, gd = self._hermite("gamma", t)
        s, sd = self._hermite("sigma", t)
        return g, s, gd, sd

    def derivative_tolerance(self, t):
        """How far (gammaDot, sigmaDot) at t may differ from Java's by rounding alone: 0 but for a discrete schedule,
        whose slope (l_(k+1) - l_k) (N - 1) takes the rounding bound of both log-SNR values, once from here and once
        from Java."""
        if self.kind != "discrete":
            return 0.0, 0.0
        k = self._segment(t)
        rate_err = 2 * (self.log_snr_err[k] + self.log_snr_err[k + 1]) * (self.n - 1)
        l = self._l(t)
        g, s = math.sqrt(self._sigmoid(l)), math.sqrt(self._sigmoid(-l))
        return 0.5 * g * self._sigmoid(-l) * rate_err, 0.5 * s * self._sigmoid(l) * rate_err

    def gamma(self, t):
        return self.values(t)[0]

    def sigma(self, t):
        return self.values(t)[1]

    def derivatives(self, t):
        """(gammaDot, sigmaDot) at t."""
        return self.values(t)[2:]


def check_schedule(plan, sched):
    limit = max(EXACT, sched.tolerance)
    worst = 0.0
    for st in plan["stages"]:
        points = [(st["start"], st["gammaStart"], st["sigmaStart"]), (st["end"], st["gammaEnd"], st["sigmaEnd"])]
        points += zip(st["grid"], st["gridGamma"], st["gridSigma"])
        for t, g, s in points:
            err = max(abs(sched.gamma(t) - g), abs(sched.sigma(t) - s))
            worst = max(worst, err)
            check(err <= limit, "stage %d: gamma/sigma at t = %r are (%r, %r) here but (%r, %r) in the plan"
                  % (st["index"], t, sched.gamma(t), sched.sigma(t), g, s))
    print("  schedule %s (%s): gamma and sigma at all stage ends and grid times agree (max error %.1e <= %.0e)"
          % (sched.name, sched.kind, worst, limit))


# ---------------------------------------------------------------------------------------------- windows

def check_windows(plan, sched):
    """The stage windows from the nominal boundaries and the convention (plan-format.md, "stages[k]")."""
    stages, jumps, k_count, b_all = plan["stages"], plan["jumps"], plan["K"], plan["boundaries"]
    check(len(b_all) == k_count + 1 and b_all[0] == 0 and b_all[-1] == 1
          and all(a < b for a, b in zip(b_all, b_all[1:])), "boundaries %r are not 0 < ... < 1" % (b_all,))
    check(stages[0]["start"] == 1 and stages[-1]["end"] == 0, "the stages do not run from t = 1 to t = 0")
    rate = 1
    for k in range(k_count - 1, -1, -1):
        check(stages[k]["rateFactor"] == rate and stages[k]["frames"] * rate == plan["frames"],
              "stage %d: rateFactor %r, frames %r; the jumps after it give %d" % (k, stages[k]["rateFactor"],
                                                                                 stages[k]["frames"], rate))
        if k > 0:
            rate *= jumps[k - 1]["factor"]
    rho = lambda t: sched.sigma(t) / sched.gamma(t)
    worst = 0.0
    for k, j in enumerate(jumps):
        b, factor = b_all[k_count - 1 - k], j["factor"]
        lo, hi = stages[k], stages[k + 1]
        if plan["convention"] == "A":
            on, other, want = hi["start"], lo["end"], rho(b) / math.sqrt(factor)
        else:
            on, other, want = lo["end"], hi["start"], rho(b) * math.sqrt(factor)
        check(on == b, "jump %d (convention %s): the window side on the boundary is %r, not %r"
              % (k, plan["convention"], on, b))
        err = abs(rho(other) - want) / want
        worst = max(worst, err)
        check(err <= max(EXACT, 1e3 * sched.tolerance), "jump %d (convention %s): rho at %r is %r, expected %r"
              % (k, plan["convention"], other, rho(other), want))
        check(hi["start"] > lo["end"], "jump %d: the windows do not overlap" % k)
    print("  windows follow boundaries %s and convention %s (rho relative error %.1e)"
          % (b_all, plan["convention"], worst))


# ---------------------------------------------------------------------------------------------- jumps

def up(y, b):
    """Nearest-neighbour temporal upsampling on axis 1: Up_B(y)[:, i] = y[:, i // B]."""
    return np.repeat(y, b, axis=1)


def block_noise(rng, shape_low, b):
    """Block noise for a jump by B from a tensor [N, f, ...]: [N, B f, ...], the plan's rule."""
    n, f = shape_low[0], shape_low[1]
    rest = tuple(shape_low[2:])
    if b == 2:
        m = rng.standard_normal((n, f, 1) + rest)
        pairs = np.concatenate([m, -m], axis=2)
        return pairs.reshape((n, 2 * f) + rest)
    z = rng.standard_normal((n, f, b) + rest)
    centred = z - z.mean(axis=2, keepdims=True)
    return (math.sqrt(b / (b - 1)) * centred).reshape((n, b * f) + rest)


def check_jump_exact(plan, j):
    lo, hi = plan["stages"][j["from"]], plan["stages"][j["to"]]
    b, scale, w = j["factor"], j["scale"], j["noiseWeight"]
    ge, se, gs, ss = lo["gammaEnd"], lo["sigmaEnd"], hi["gammaStart"], hi["sigmaStart"]
    check(j["end"] == lo["end"] and j["start"] == hi["start"], "jump %d -> %d: its times are not the stage ends"
          % (j["from"], j["to"]))
    check(hi["frames"] == b * lo["frames"], "jump %d -> %d: %d frames times B = %d is not %d"
          % (j["from"], j["to"], lo["frames"], b, hi["frames"]))
    rule = plan.get("jumpRule", "CORRECTED")
    if rule != "CORRECTED":
        check(rule in ABLATION_JUMPS, "jumpRule %r; allowed: CORRECTED, %s" % (rule, ", ".join(ABLATION_JUMPS)))
        want_scale, want_w = ABLATION_JUMPS[rule](b, ge, gs, ss)
        check(abs(scale - want_scale) <= EXACT * abs(want_scale) and abs(w - want_w) <= EXACT * max(ss, 1.0),
              "jump %d (%s): scale %r, noiseWeight %r; the rule gives %r, %r"
              % (j["from"], rule, scale, w, want_scale, want_w))
        print("  jump %d -> %d (B = %d): %s coefficients; this rule does not restore the start distribution"
              % (j["from"], j["to"], b, rule))
        return None
    check(abs(scale * ge - gs) <= EXACT, "jump %d: mean scale * gamma_end = %r, gamma_start = %r"
          % (j["from"], scale * ge, gs))
    var = scale ** 2 * se ** 2 + w ** 2
    check(abs(var - ss ** 2) <= EXACT, "jump %d: frame variance %r, sigma_start^2 = %r" % (j["from"], var, ss ** 2))
    cov = scale ** 2 * se ** 2 - w ** 2 / (b - 1)
    check(abs(cov) <= EXACT, "jump %d: covariance inside a block %r, expected 0" % (j["from"], cov))
    return ge, se, gs, ss


# the jump coefficients (scale, noiseWeight) of the ablation rules, from B, gamma_end, gamma_start, sigma_start
ABLATION_JUMPS = {
    "NONE": lambda b, ge, gs, ss: (gs / ge, 0.0),
    "PAPER_PRINTED": lambda b, ge, gs, ss: (math.sqrt(b) * gs / (ss + math.sqrt(b) * gs), ss * math.sqrt((b - 1) / b)),
}


def check_jump_monte_carlo(j, ge, se, gs, ss, rng):
    b, scale, w = j["factor"], j["scale"], j["noiseWeight"]
    f = 2                                               # two frames at the low rate: two blocks after the jump
    data = np.array([[0.5, -1.0, 2.0], [1.5, 0.25, -0.75]])[None, :f, :]     # fixed D, [1, f, 3]
    m = MC_SAMPLES
    x_end = ge * data + se * rng.standard_normal((m, f, 3))
    noise = block_noise(rng, (m, f, 3), b)
    if b == 2:
        check(np.all(noise[:, 0::2] + noise[:, 1::2] == 0), "antithetic pairs do not sum to exactly 0")
    x_start = scale * up(x_end, b) + w * noise        # [m, B f, 3]
    mean_err = np.abs(x_start.mean(axis=0) - gs * up(data, b)[0]).max()
    mean_tol = MC_SIGMAS * ss / math.sqrt(m)
    var = x_start.var(axis=0, ddof=1)
    var_err = np.abs(var - ss ** 2).max()
    var_tol = MC_SIGMAS * ss ** 2 * math.sqrt(2.0 / (m - 1))
    centred = (x_start - x_start.mean(axis=0)) / ss
    corr_inside = (centred[:, 0] * centred[:, 1]).mean(axis=0)          # two frames of block 0
    corr_across = (centred[:, 0] * centred[:, b]).mean(axis=0)          # first frames of blocks 0 and 1
    corr_err = max(np.abs(corr_inside).max(), np.abs(corr_across).max())
    corr_tol = MC_SIGMAS / math.sqrt(m)
    check(mean_err <= mean_tol, "jump %d: Monte Carlo mean off by %.3g > %.3g" % (j["from"], mean_err, mean_tol))
    check(var_err <= var_tol, "jump %d: Monte Carlo variance off by %.3g > %.3g" % (j["from"], var_err, var_tol))
    check(corr_err <= corr_tol, "jump %d: Monte Carlo correlation %.3g > %.3g" % (j["from"], corr_err, corr_tol))
    print("  jump %d -> %d (B = %d): exact moments hold; Monte Carlo (%d draws) mean %.1e <= %.1e,"
          " variance %.1e <= %.1e, correlation %.1e <= %.1e"
          % (j["from"], j["to"], b, m, mean_err, mean_tol, var_err, var_tol, corr_err, corr_tol))


# ---------------------------------------------------------------------------------------------- targets

def stage_targets(plan, sched, k, t, x0, eps):
    """x_t and the four targets of stage k at time t, by the plan's training rule."""
    st = plan["stages"][k]
    d = x0[:, ::st["rateFactor"]]
    if k == 0:
        a = d
    else:
        b = plan["jumps"][k - 1]["factor"]
        a = up(d[:, ::b], b)
    gs, ss, ge, se = st["gammaStart"], st["sigmaStart"], st["gammaEnd"], st["sigmaEnd"]
    rho_e = se / ge
    c = 0.0 if gs == 0 else 1.0 / (ss / gs - rho_e)
    eps_k = eps + c * (a - d)
    x0_k = d + rho_e * c * (d - a)
    g, s = sched.gamma(t), sched.sigma(t)
    gd, sd = sched.derivatives(t)
    xt = g * x0_k + s * eps_k
    targets = {"EPSILON": eps_k, "X0": x0_k, "VELOCITY": gd * x0_k + sd * eps_k, "V_PREDICTION": g * eps_k - s * x0_k}
    return (g, s, gd, sd), xt, targets


def check_case(plan, sched, case):
    k, t = case["stage"], case["t"]
    x0 = np.array(case["x0"], dtype=np.float64).reshape(case["x0Shape"])
    eps = np.array(case["eps"], dtype=np.float64).reshape(case["epsShape"])
    coeffs, xt, targets = stage_targets(plan, sched, k, t, x0, eps)
    java = (case["gamma"], case["sigma"], case["gammaDot"], case["sigmaDot"])
    rounding = (0.0, 0.0) + sched.derivative_tolerance(t)
    for name, here, there, r in zip(("gamma", "sigma", "gammaDot", "sigmaDot"), coeffs, java, rounding):
        check(abs(here - there) <= max(EXACT * max(1.0, abs(there)), sched.tolerance, r),
              "stage %d, t = %r: %s = %r here, %r in Java" % (k, t, name, here, there))
    # every target is a * x0_k + b * eps_k: coefficients off by at most the tolerance move it by that times the sum
    limit = TARGETS + max(sched.tolerance, *rounding) * float(np.abs(targets["X0"]).max()
                                                                 + np.abs(targets["EPSILON"]).max())
    worst = 0.0
    for name, here in [("x_t", xt)] + sorted(targets.items()):
        there = np.array(case["xt"] if name == "x_t" else case["targets"][name]).reshape(here.shape)
        err = float(np.abs(here - there).max())
        worst = max(worst, err)
        check(err <= limit, "stage %d, t = %r: %s differs from Java by %.3g > %.3g" % (k, t, name, err, limit))
    return worst


# ---------------------------------------------------------------------------------------------- main

def check_fixture(directory, fixture_name, rng):
    fixture = json.load(open(os.path.join(directory, fixture_name)))
    plan = json.load(open(os.path.join(directory, fixture["plan"])))
    check(plan.get("schema") == "tpdiff4j.pyramid-plan" and plan.get("version") == 2,
          "%s: schema %r version %r; expected tpdiff4j.pyramid-plan 2" % (fixture["plan"], plan.get("schema"),
                                                                           plan.get("version")))
    check(len(plan["stages"]) == plan["K"] and len(plan["jumps"]) == plan["K"] - 1, "stage or jump count != K")
    print("%s: K = %d, %d frames, convention %s, steps %s" % (fixture["plan"], plan["K"], plan["frames"],
          plan["convention"], [st["steps"] for st in plan["stages"]]))
    for st in plan["stages"]:
        grid = st["grid"]
        check(len(grid) == st["steps"] + 1 and grid[0] == st["start"] and grid[-1] == st["end"],
              "stage %d: the grid does not run from start to end in steps + 1 times" % st["index"])
        check(all(a > b for a, b in zip(grid, grid[1:])), "stage %d: grid not decreasing" % st["index"])
    sched = Schedule(plan["schedule"])
    check_schedule(plan, sched)
    check_windows(plan, sched)
    for j in plan["jumps"]:
        moments = check_jump_exact(plan, j)
        if moments is not None:
            check_jump_monte_carlo(j, *moments, rng)
    worst = max(check_case(plan, sched, case) for case in fixture["cases"])
    print("  x_t and targets of %d fixed cases equal Java's (max difference %.1e)" % (len(fixture["cases"]), worst))


def main(argv):
    directory = argv[1] if len(argv) > 1 else os.path.join("kernel-lib", "target", "plan-check")
    fixtures = sorted(f for f in os.listdir(directory) if f.startswith("fixture-") and f.endswith(".json")) \
        if os.path.isdir(directory) else []
    if not fixtures:
        print("plan_check: no fixture-*.json in %s (run the Maven test PyramidPlanTest first)" % directory)
        return 1
    rng = np.random.default_rng(SEED)
    try:
        for f in fixtures:
            check_fixture(directory, f, rng)
    except CheckFailed as e:
        print("plan_check: FAILED: %s" % e)
        return 1
    print("plan_check: %d plan(s) passed" % len(fixtures))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
