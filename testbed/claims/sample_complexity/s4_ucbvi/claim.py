"""S4. UCBVI-CH and UCBVI-BF (Azar, Osband, Munos 2017, Thms 1 and 2; via a third-party formal transcription).

Episodic, time-homogeneous P (counts pooled over the stages), known rewards in [0, 1], T = K H. Instance: a Garnet
with S = 3, A = 2, branching 3 (``tabular_envs.garnet(3, 2, 3, rng=1)``, its rewards, x_1 = 0). Pseudo-regret is
exact: every episode's greedy policy is evaluated by backward induction in the true P. delta = 0.1 in the bonuses.
Checked, each part at its share of the claim's delta:
- conformance (exact): the Numba kernel run by this claim reproduces a plain-Python transcription of the algorithm
  on the same tape (the same visit counts, the cumulative regret after every episode to 1e-12 relative), for CH
  and BF. This is what tells UCBVI from its look-alikes (sqrt(L) in the CH bonus, counts kept per stage, L with
  T = K): those are better or worse algorithms, not violations of a regret statement, and no regret check at these
  sizes can name them;
- high-probability events (statistical): the replications in which the optimistic value max_a Q_{k,1}(x_1, a) ever
  fell below V*_1(x_1), and those in which the regret exceeded the theorem's bound at some checkpoint, are each a
  share <= delta = 0.1 (one-sided Clopper-Pearson, Bonferroni over the four (algorithm, event) units);
- rate: after the burn-in, the log-log slope of the mean cumulative regret in K is below 1/2 (bootstrap interval,
  Bonferroni over the units). On a fixed instance UCBVI's regret eventually grows like log K, so this holds with
  room; an algorithm that stops learning (no bonus: certainty equivalence) has slope 1.
The bounds (constants `unconfirmed`: the transcription notes that the appendix does not reproduce 20, 250, 2500)
exceed K H, the largest possible regret, at every runnable size: their tightness is reported with the word
"vacuous". The catalogue's H-exponent at fixed K (CH <= 3/2, BF ~ 1) is a statement about the leading term; at
runnable K the second-order terms dominate (BF's regret here grows like H^1.8 between H = 2 and 6), so it is not
decided.
"""
import numpy as np

from proofs_check import ucbvi_bf_regret_bound, ucbvi_ch_regret_bound
from tabular_envs import garnet
from tabular_envs.rl.episodic import episodic_model
from tabular_envs.rl.ucbvi import ucbvi, ucbvi_reference
from testbed.claim import Claim, Source
from testbed.planting import planted_upper
from testbed.stats import combine_verdicts, decide_exact, decide_proportion_at_least, decide_slope_below

ALGORITHM_DELTA = 0.1
RATE_THRESHOLD = 0.5
CONFORMANCE_TOL = 1e-12
_BOUNDS = {"ch": ucbvi_ch_regret_bound, "bf": ucbvi_bf_regret_bound}
# unit -> (bonus, H, K, rate window of checkpoints, replications by fidelity)
_UNITS = {
    "ch/H2": ("ch", 2, 3_000_000, (1_500_000, 2_000_000, 2_500_000, 3_000_000), {"quick": 8, "standard": 24,
                                                                                  "full": 64}),
    "ch/H2/events": ("ch", 2, 200_000, (50_000, 100_000, 200_000), {"quick": 100, "standard": 200, "full": 400}),
    "bf/H2": ("bf", 2, 400_000, (100_000, 200_000, 300_000, 400_000), {"quick": 60, "standard": 200, "full": 400}),
    "bf/H4": ("bf", 4, 400_000, (100_000, 200_000, 300_000, 400_000), {"quick": 60, "standard": 200, "full": 400}),
}
# (H, episodes, replications) of the conformance runs: CH's bonus 7 H L / sqrt(N) stays above H (and the values
# at their cap H) until a pair has about 49 L^2 ~ 10^4 visits, so only a long run tells its variants apart
_CONFORMANCE = {"ch": (2, 40_000, 1), "bf": (3, 300, 2)}


def instance(H: int):
    g = garnet(3, 2, 3, gamma=0.9, rng=1)
    return episodic_model(g.P, g.r, H)


def conformance_errors(bonus: str, seed: int, variant: dict) -> tuple[float, int]:
    """(max relative difference of the cumulative regret after every episode, number of pairs whose visit counts
    differ) of the kernel run with ``variant`` against the transcription of UCBVI, on the same tapes."""
    H, K, reps = _CONFORMANCE[bonus]
    model = instance(H)
    regret, _, counts = ucbvi(model, K, bonus=bonus, delta=ALGORITHM_DELTA, seed=seed, n_replications=reps,
                         checkpoints=np.arange(1, K + 1), **variant)
    err, differ = 0.0, 0
    for i in range(reps):
        ref, _, _, visits = ucbvi_reference(model, K, bonus=bonus, delta=ALGORITHM_DELTA, seed=seed, rep=i)
        cum = np.cumsum(ref)
        err = max(err, float(np.max(np.abs(regret[i] - cum) / np.maximum(1.0, np.abs(cum)))))
        differ += int(np.sum(counts[i] != visits))
    return err, differ


class UCBVI(Claim):
    id = "S4"
    family = "sample_complexity"
    title = "UCBVI-CH and UCBVI-BF: optimism, regret bounds (vacuous here) and a sublinear rate"
    source = Source("Azar, Osband, Munos", 2017, "Minimax regret bounds for reinforcement learning (ICML)",
                    "Thm 1 (UCBVI-CH), Thm 2 (UCBVI-BF), Algorithms 1-4")
    status = "unconfirmed"
    kind = ("upper_bound", "statistical", "rate", "exact")
    statement = ("With probability >= 1 - delta, UCBVI-CH has Regret(K) <= 20 H^{3/2} L sqrt(SAK) + 250 H^2 S^2 A L^2 "
                 "and UCBVI-BF Regret(K) <= 30 H L sqrt(SAK) + 2500 H^2 S^2 A L^2 + 4 H^{3/2} sqrt(KL), "
                 "L = ln(5 H S A T / delta), T = K H [constants unconfirmed]; the optimistic values upper-bound V*.")

    def bound(self):
        return ucbvi_ch_regret_bound()

    def tasks(self, fidelity, root_seed):
        tasks = [self.make_task(unit, {"unit": unit, "reps": reps[fidelity], "variant": {}}, fidelity, root_seed,
                                unit) for unit, (_, _, _, _, reps) in _UNITS.items()]
        return tasks + [self.make_task("conformance", {"unit": "conformance", "variant": {}}, fidelity, root_seed,
                                       "conformance")]

    def run_task(self, task):
        variant = task.spec.get("variant", {})
        if task.spec["unit"] == "conformance":
            out = {}
            for bonus in ("ch", "bf"):
                err, differ = conformance_errors(bonus, task.seed, variant)
                out[f"{bonus}_error"], out[f"{bonus}_differ"] = np.array(err), np.array(differ)
            return out
        bonus, H, K, window, _ = _UNITS[task.spec["unit"]]
        model = instance(H)
        kw = {"bonus": bonus, **variant}              # a variant may replace the bonus (the negative control)
        regret, failures, _ = ucbvi(model, K, delta=ALGORITHM_DELTA, seed=task.seed,
                                    n_replications=task.spec["reps"], checkpoints=list(window), **kw)
        return {"regret": regret, "K": np.array(window), "optimism_failures": failures, "H": np.array(H),
                "S": np.array(model.S), "A": np.array(model.A), "v_star": np.array(model.v_star)}

    def decide(self, tasks, results):
        by_unit = {t.spec["unit"]: r for t, r in zip(tasks, results, strict=True)}
        conformance = decide_conformance(by_unit.pop("conformance"))
        coverage, ratios, vacuous = decide_events(by_unit, self.delta / 2)
        rate_units = [u for u in by_unit if not u.endswith("/events")]
        rate = decide_rate({u: by_unit[u] for u in rate_units}, self.delta / 2)
        v = combine_verdicts({"conformance to the transcription": conformance, "high-probability events": coverage,
                              "rate in K after burn-in": rate}, tightness=max(ratios.values()))
        return v.with_evidence(
            bound_ratio=ratios, vacuous=vacuous,
            curves=[{"unit": u, "K": r["K"].tolist(), "mean": r["regret"].mean(axis=0).tolist(),
                     "sd": r["regret"].std(axis=0).tolist(),
                     "bound": _BOUNDS[_UNITS[u][0]]().evaluate(H=float(r["H"]), S=float(r["S"]), A=float(r["A"]),
                                                               K=r["K"].astype(float),
                                                               delta=ALGORITHM_DELTA).tolist(),
                     "trivial": (r["K"] * float(r["v_star"])).tolist()} for u, r in by_unit.items()])

    def evidence_lines(self, evidence):
        lines = super().evidence_lines(evidence) + self.proportion_lines(evidence)
        for u, ratio in evidence["bound_ratio"].items():
            word = ("vacuous: the bound exceeds K H, the largest possible regret" if evidence["vacuous"][u]
                    else "non-vacuous")
            lines.append(f"{u}: mean regret / bound {ratio:.2e} ({word})")
        return lines


def decide_conformance(result):
    """Exact: the kernel's per-episode regrets and final counts equal the transcription's on the same tape."""
    errors = {f"UCBVI-{b.upper()}: max relative |kernel - transcription| cumulative regret": float(result[f"{b}_error"])
              for b in ("ch", "bf")}
    errors.update({f"UCBVI-{b.upper()}: pairs whose visit counts differ": float(result[f"{b}_differ"])
                   for b in ("ch", "bf")})
    return decide_exact(errors, {k: (CONFORMANCE_TOL if "regret" in k else 0.0) for k in errors})


def decide_events(by_unit: dict, delta: float):
    """Clopper-Pearson on the replications where optimism always held and where the regret stayed within the
    theorem's bound at every checkpoint, pooled per algorithm: (verdict, mean regret / bound per unit, vacuous per
    unit)."""
    events, ratios, vacuous = {}, {}, {}
    for unit, r in by_unit.items():
            bonus = _UNITS[unit][0]
            H, S, A = float(r["H"]), float(r["S"]), float(r["A"])
            bound = planted_upper(_BOUNDS[bonus]().evaluate(H=H, S=S, A=A, K=r["K"].astype(float),
                                                            delta=ALGORITHM_DELTA))
            n = r["regret"].shape[0]
            ok_bound = int(np.sum(np.all(r["regret"] <= bound, axis=1)))
            ok_optimism = int(np.sum(r["optimism_failures"] == 0))
            for event, ok in (("optimism", ok_optimism), ("bound", ok_bound)):
                k, m = events.get((bonus, event), (0, 0))
                events[(bonus, event)] = (k + ok, m + n)
            ratios[unit] = float(np.max(r["regret"].mean(axis=0) / bound))
            vacuous[unit] = bool(np.all(bound >= r["K"] * H))
    keys = sorted(events)
    labels = [f"UCBVI-{b.upper()}: {'optimism held' if e == 'optimism' else 'regret within the bound'}"
              for b, e in keys]
    coverage = decide_proportion_at_least([events[k] for k in keys], [1 - ALGORITHM_DELTA] * len(keys), delta,
                                          labels)
    return coverage, ratios, vacuous


def decide_rate(by_unit: dict, delta: float):
    """The log-log slope of the mean regret in K over each unit's window is below 1/2 (bootstrap, Bonferroni)."""
    return decide_slope_below([r["regret"] for r in by_unit.values()], [r["K"].astype(float) for r in by_unit.values()],
                              RATE_THRESHOLD, delta, [f"{u}: slope of the mean regret in K" for u in by_unit])


CLAIM = UCBVI()
