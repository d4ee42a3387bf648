"""S6. UCRL2, average reward (Jaksch, Ortner, Auer 2010, Thm 2; confidence radii as in Fig. 1).

Communicating MDP, rewards in [0, 1], realised regret Delta(T) = T rho* - sum_t r_t (``tabular_envs.rl.ucrl2``).
Instance: RiverSwim(6) with the Osband-Russo-Van Roy probabilities (``tabular_envs.river_swim``: reward 5/1000 for
left at s_0, 1 for right at s_5), start s_0, delta = 0.1. rho* by relative value iteration and D by shortest-path
value iteration (``tabular_envs.mdp.average_reward``). Checked, the statistical parts at half the claim's delta:
- exact: the EVI inner max (Fig. 2) equals the linear program over the L1 ball in the simplex on random inputs;
  rho* and D equal their values by enumerating the deterministic policies; the kernel reproduces a plain-Python
  transcription (span stopping rule included) on the same tape: the same action at every step, the realised
  regret to 1e-9. This is what names UCRL2 with a fixed number of EVI sweeps when that number is large enough to
  see the whole river: 10 sweeps learn RiverSwim about as fast as UCRL2 does;
- statistical: the share of replications whose regret ever exceeded Thm 2's 34 D S sqrt(A T ln(T/delta)) at a
  checkpoint is <= delta (one-sided Clopper-Pearson). The bound exceeds T rho*, the largest possible realised
  regret, at every T here: its tightness is reported with the word "vacuous";
- rate: for T >= 10^5 the log-log slope of the mean regret in T is below 1/2 (bootstrap interval). Three EVI sweeps
  (fewer than the river's length) leave the far reward unseen and fail it.
RiverSwim (S = 6, A = 2) is outside Thm 5's conditions (S, A >= 10): the lower bound is not checked here.
"""
import numpy as np

from proofs_check import ucrl2_regret_bound
from tabular_envs import river_swim
from tabular_envs.mdp.average_reward import diameter, optimal_gain
from tabular_envs.rl.ucrl2 import optimistic_transition, ucrl2, ucrl2_reference
from testbed.claim import Claim, Source
from testbed.planting import planted_upper
from testbed.stats import combine_verdicts, decide_exact, decide_proportion_at_least, decide_slope_below

from .model import gain_and_diameter_by_enumeration, inner_max_lp

ALGORITHM_DELTA = 0.1
RATE_THRESHOLD = 0.5
EXACT_TOL = 1e-9
_CHECKPOINTS = {"quick": (100_000, 200_000, 300_000, 400_000),
                "standard": (100_000, 200_000, 400_000, 800_000),
                "full": (100_000, 200_000, 400_000, 800_000, 1_600_000)}
_REPS = {"quick": 80, "standard": 120, "full": 300}
_CONFORMANCE_STEPS, _LP_CASES = 100_000, 300


def instance():
    return river_swim(6, gamma=0.9)


def conformance_errors(seed: int, variant: dict) -> tuple[float, int]:
    """(max |regret_kernel - regret_transcription|, steps whose actions differ) of the kernel run with ``variant``
    against the transcription of UCRL2, two replications on the same tape."""
    m = instance()
    rho, _ = optimal_gain(m.P, m.r)
    T = _CONFORMANCE_STEPS
    regret, _, _ = ucrl2(m.P, m.r, T, rho, delta=ALGORITHM_DELTA, seed=seed, n_replications=2,
                         checkpoints=np.arange(1, T + 1), **variant)
    err, differ = 0.0, 0
    for i in range(2):
        rewards, actions = ucrl2_reference(m.P, m.r, T, delta=ALGORITHM_DELTA, seed=seed, rep=i)
        err = max(err, float(np.max(np.abs(regret[i] - (rho * np.arange(1, T + 1) - np.cumsum(rewards))))))
        gained = rho * np.arange(1, T + 1) - regret[i]
        differ += int(np.sum(np.abs(np.diff(gained, prepend=0.0) - rewards) > EXACT_TOL))
    return err, differ


class UCRL2(Claim):
    id = "S6"
    family = "sample_complexity"
    title = "UCRL2 on RiverSwim: EVI exact, the regret bound (vacuous here) and a sqrt(T) rate"
    source = Source("Jaksch, Ortner, Auer", 2010, "Near-optimal regret bounds for reinforcement learning (JMLR)",
                    "Thm 2, Fig. 1 and 2")
    status = "confirmed"
    kind = ("exact", "statistical", "rate")
    statement = ("With probability >= 1 - delta, for all T > 1, UCRL2's realised regret T rho* - sum r_t <= "
                 "34 D S sqrt(A T ln(T/delta)) on a communicating MDP with diameter D and rewards in [0, 1].")

    def bound(self):
        return ucrl2_regret_bound()

    def tasks(self, fidelity, root_seed):
        return [self.make_task("riverswim", {"unit": "riverswim", "T": list(_CHECKPOINTS[fidelity]),
                                             "reps": _REPS[fidelity], "variant": {}}, fidelity, root_seed,
                               "riverswim"),
                self.make_task("exact", {"unit": "exact", "variant": {}}, fidelity, root_seed, "exact")]

    def run_task(self, task):
        m = instance()
        rho, _ = optimal_gain(m.P, m.r)
        D = diameter(m.P)
        variant = task.spec.get("variant", {})
        if task.spec["unit"] == "exact":
            rng = np.random.default_rng(task.seed)
            lp = 0.0
            for _ in range(_LP_CASES):
                S = int(rng.integers(2, 9))
                p = rng.dirichlet(np.full(S, rng.choice([0.2, 1.0, 5.0])))
                d, u = float(rng.uniform(0, 2.5)), rng.normal(size=S) * rng.choice([1.0, 10.0])
                out = np.zeros(S)
                optimistic_transition(p, d, np.argsort(-u, kind="mergesort"), out)
                lp = max(lp, abs(out @ u - inner_max_lp(p, d, u)) / max(1.0, np.abs(u).max()))
            gain_enum, d_enum = gain_and_diameter_by_enumeration(m.P, m.r)
            err, differ = conformance_errors(task.seed, variant)
            return {"lp": np.array(lp), "gain": np.array(abs(rho - gain_enum)), "diameter": np.array(abs(D - d_enum)),
                    "conformance": np.array(err), "differ": np.array(differ)}
        T = task.spec["T"]
        regret, episodes, capped = ucrl2(m.P, m.r, T[-1], rho, delta=ALGORITHM_DELTA, seed=task.seed,
                                         n_replications=task.spec["reps"], checkpoints=T, **variant)
        return {"regret": regret, "T": np.array(T), "rho": np.array(rho), "D": np.array(D),
                "episodes": episodes, "capped": capped}

    def decide(self, tasks, results):
        by = {t.spec["unit"]: r for t, r in zip(tasks, results, strict=True)}
        ex, run = by["exact"], by["riverswim"]
        errors = {"EVI inner max vs LP (relative)": float(ex["lp"]), "rho*: |RVI - enumeration|": float(ex["gain"]),
                  "D: |shortest-path VI - enumeration|": float(ex["diameter"]),
                  "kernel vs transcription: max |regret difference|": float(ex["conformance"]),
                  "kernel vs transcription: steps with different rewards": float(ex["differ"])}
        tol = {k: (0.0 if "steps" in k else EXACT_TOL) for k in errors}
        exact = decide_exact(errors, tol)
        bound_v, ratio, vacuous = decide_bound(run, self.delta / 2)
        rate = decide_rate(run, self.delta / 2)
        v = combine_verdicts({"exact": exact, "Thm 2 bound": bound_v, "rate in T": rate}, tightness=ratio)
        return v.with_evidence(vacuous=vacuous, rho_star=float(run["rho"]), diameter=float(run["D"]),
                               episodes_mean=float(run["episodes"].mean()), evi_capped=int(run["capped"].sum()),
                               curve={"T": run["T"].tolist(), "mean": run["regret"].mean(0).tolist(),
                                      "sd": run["regret"].std(0).tolist(),
                                      "bound": _bound(run).tolist(),
                                      "trivial": (run["T"] * float(run["rho"])).tolist()})

    def evidence_lines(self, evidence):
        lines = super().evidence_lines(evidence) + self.proportion_lines(evidence)
        lines.append(f"rho* = {evidence['rho_star']:.6f}, D = {evidence['diameter']:.4f}; mean episodes "
                     f"{evidence['episodes_mean']:.1f}; EVI runs stopped by the sweep cap: {evidence['evi_capped']}")
        lines.append("Thm 2 bound: " + ("vacuous (it exceeds T rho*, the largest possible realised regret)"
                                        if evidence["vacuous"] else "non-vacuous"))
        return lines


def _bound(run):
    return ucrl2_regret_bound().evaluate(D=float(run["D"]), S=6.0, A=2.0, T=run["T"].astype(float),
                                         delta=ALGORITHM_DELTA)


def decide_bound(run: dict, delta: float):
    """(verdict, mean regret / bound at the largest T, vacuous): the share of replications within the bound at
    every checkpoint is >= 1 - delta (one-sided Clopper-Pearson)."""
    b = planted_upper(_bound(run))
    within = np.all(run["regret"] <= b, axis=1)
    v = decide_proportion_at_least([(int(within.sum()), within.size)], [1 - ALGORITHM_DELTA], delta,
                                   ["UCRL2: regret within 34 D S sqrt(A T ln(T/delta)) at every checkpoint"])
    ratio = float(np.max(run["regret"].mean(0) / b))
    return v, ratio, bool(np.all(_bound(run) >= run["T"] * float(run["rho"])))


def decide_rate(run: dict, delta: float):
    """The log-log slope of the mean realised regret in T over T >= 10^5 is below 1/2 (bootstrap interval)."""
    return decide_slope_below([run["regret"]], [run["T"].astype(float)], RATE_THRESHOLD, delta,
                              ["UCRL2 on RiverSwim(6): slope of the mean regret in T"])


CLAIM = UCRL2()
