"""Bandit sweeps as tasks: replication blocks of ``tabular_envs.simulate`` as plain-data tasks, gathering them back,
and the logarithmic-regime instances and shape test shared by the claims on O(log T) regret (B2, B5, B6).

Used by the project's bandit claims and by users' own claim folders."""
from __future__ import annotations

from collections import defaultdict

import numpy as np

from tabular_envs import BanditInstance, bernoulli_bandit, log_checkpoints, simulate
from testbed.claim import Claim, Task
from testbed.stats import decide_slope_below, t_bounds


def bandit_tasks(claim: Claim, fidelity: str, root_seed: int, instance: BanditInstance, algorithm: str,
                 horizon: int, n_replications: int, block: int, checkpoints=None, params=None,
                 group: str = "") -> list[Task]:
    """Split n_replications into blocks of ``block``. The seed is keyed by the instance (and ``group``), not the
    algorithm: algorithms compared on an instance share its reward tape."""
    tasks = []
    for first in range(0, n_replications, block):
        n = min(block, n_replications - first)
        spec = {"instance": instance.to_dict(), "algorithm": algorithm, "horizon": int(horizon),
                "first_replication": first, "n_replications": n, "params": params or {},
                "checkpoints": None if checkpoints is None else [int(c) for c in checkpoints], "group": group}
        unit = f"{instance.name}/{algorithm}/T={horizon}/reps{first}-{first + n - 1}"
        tasks.append(claim.make_task(unit, spec, fidelity, root_seed, stream=f"{group}/{instance.name}"))
    return tasks


def run_bandit_task(task: Task) -> dict[str, np.ndarray]:
    """Run one replication block of ``bandit_tasks`` (in any process): regret at the checkpoints, pull counts."""
    s = task.spec
    res = simulate(BanditInstance.from_dict(s["instance"]), s["algorithm"], s["horizon"], s["n_replications"],
                   task.seed, checkpoints=s["checkpoints"], params=s["params"],
                   first_replication=s["first_replication"], parallel=False)
    return {"regret": res.regret, "pulls": res.pulls, "checkpoints": res.checkpoints}


def gather(tasks: list[Task], results: list[dict]) -> dict[tuple, dict]:
    """Concatenate blocks of the same (group, instance, algorithm, horizon) in replication order."""
    groups: dict[tuple, list] = defaultdict(list)
    for t, r in zip(tasks, results, strict=True):
        s = t.spec
        groups[(s["group"], s["instance"]["name"], s["algorithm"], s["horizon"])].append(
            (s["first_replication"], r, s["instance"]))
    out = {}
    for key, blocks in groups.items():
        blocks.sort(key=lambda b: b[0])
        out[key] = {"regret": np.concatenate([b[1]["regret"] for b in blocks]),
                    "pulls": np.concatenate([b[1]["pulls"] for b in blocks]),
                    "checkpoints": blocks[0][1]["checkpoints"],
                    "instance": BanditInstance.from_dict(blocks[0][2])}
    return out


def last_decade(checkpoints: np.ndarray, horizon: int) -> np.ndarray:
    """Mask of the checkpoints in [T/10, T] (where a finite-T rate is read)."""
    return checkpoints >= horizon / 10


def worst_case_gap_family(K: int, T: int, name: str):
    """K Bernoulli arms at 1/2, the last one at 1/2 + sqrt(K/T) (capped at 1): the gap order that makes
    instance-independent regret bounds tight."""
    means = np.full(K, 0.5)
    means[-1] = min(1.0, 0.5 + np.sqrt(K / T))
    return bernoulli_bandit(means, name=name)


def regret_curves(groups: dict, delta: float) -> list[dict]:
    """Mean regret with simultaneous one-sided bands (Bonferroni over every plotted point) for the figures."""
    n_points = sum(g["checkpoints"].size for g in groups.values())
    out = []
    for (group, name, alg, T), g in groups.items():
        mean, lo, hi = t_bounds(g["regret"], delta / n_points)
        out.append({"group": group, "instance": name, "algorithm": alg, "horizon": T,
                    "T": g["checkpoints"].tolist(), "mean": mean.tolist(), "lower": lo.tolist(), "upper": hi.tolist()})
    return out


# ---- the logarithmic regime (B2, B5, B6) -------------------------------------------------------------------------

LOG_REGIME_INSTANCES = {"quick": [("two_arms_gap0.5", [0.9, 0.4]), ("K5_gap0.4", [0.9, 0.5, 0.4, 0.3, 0.1])]}
LOG_REGIME_INSTANCES["standard"] = LOG_REGIME_INSTANCES["quick"] + [
    ("K10_gap0.15", [0.9, 0.75, 0.7, 0.6, 0.55, 0.5, 0.4, 0.3, 0.2, 0.1])]
LOG_REGIME_INSTANCES["full"] = LOG_REGIME_INSTANCES["standard"] + [("catalogue_K10", np.linspace(0.1, 0.9, 10))]
LOG_REGIME_SIZES = {"quick": (10_000, 200), "standard": (100_000, 500), "full": (1_000_000, 1000)}  # (T, replications)


def log_regime_instances(fidelity: str) -> list[BanditInstance]:
    """The fixed instances of a fidelity, each checked to be in the logarithmic regime over [T/10, T]: the closest
    arm is separated after about 16 ln T / Delta_min^2 pulls (successive elimination's radius sqrt(2 ln T / n) on
    both arms), so T/10 >= 16 ln T / Delta_min^2 is required."""
    T = LOG_REGIME_SIZES[fidelity][0]
    out = []
    for name, mu in LOG_REGIME_INSTANCES[fidelity]:
        inst = bernoulli_bandit(mu, name=name)
        gaps = inst.gaps[inst.gaps > 0]
        if T / 10 < 16 * np.log(T) / gaps.min() ** 2:
            raise ValueError(f"{name}: Delta_min = {gaps.min():.3g} is too small for the logarithmic regime at T = {T}")
        out.append(inst)
    return out


def log_regime_tasks(claim: Claim, fidelity: str, root_seed: int, algorithms) -> list[Task]:
    """Every algorithm on every logarithmic-regime instance, regret on a log grid up to T (task group "fixed")."""
    T, reps = LOG_REGIME_SIZES[fidelity]
    return [t for inst in log_regime_instances(fidelity) for alg in algorithms
            for t in bandit_tasks(claim, fidelity, root_seed, inst, alg, T, reps, min(reps, 100),
                                  checkpoints=log_checkpoints(T), group="fixed")]


def decide_log_shape(groups, delta: float, threshold: float, group: str = "fixed"):
    """The logarithmic-shape test on the units of one task group: the log-log slope of E[R(T)] over the last decade
    of T lies below ``threshold`` (percentile bootstrap, Bonferroni over the units)."""
    fixed = {k: g for k, g in groups.items() if k[0] == group}
    samples, xs, labels = [], [], []
    for (_, name, alg, T), g in fixed.items():
        window = last_decade(g["checkpoints"], T)
        samples.append(g["regret"][:, window])
        xs.append(g["checkpoints"][window].astype(float))
        labels.append(f"{name}/{alg}")
    return decide_slope_below(samples, xs, threshold, delta, labels)


# ---- worst-case instance search (issue: power) ------------------------------------------------------------------

def _search_instance(K: int, best: float, gap: float, spread: float) -> np.ndarray:
    """Bernoulli means: the best arm first, K - 1 arms with gaps spaced evenly from ``gap`` to ``spread * gap``
    (clipped so that every mean stays in [0, 1])."""
    gaps = np.linspace(gap, min(spread * gap, best), K - 1)
    return np.concatenate([[best], np.clip(best - gaps, 0.0, 1.0)])


def worst_case_bandit_search(algorithm: str, horizon: int, ratio_bound, seed: int, *, n_random: int = 48,
                             n_refine: int = 32, reps_screen: int = 24, reps_final: int = 200,
                             k_range: tuple[int, int] = (2, 10), params: dict | None = None) -> dict[str, np.ndarray]:
    """The Bernoulli instance maximising E[R(T)] / bound, searched as one task (a pure function of ``seed``):
    ``n_random`` random instances (K, best mean, smallest gap on a log scale, spread of the gaps), then
    ``n_refine`` local moves from the best so far, each scored on ``reps_screen`` replications; the winner is
    re-simulated on ``reps_final`` fresh replications (so its reported ratio has no winner's curse) with regret on
    a log grid of checkpoints. ``ratio_bound(means, T)`` is the bound at horizon T for those means."""
    rng = np.random.default_rng(seed)

    def score(x) -> float:
        means = _search_instance(*x)
        inst = bernoulli_bandit(means, name="search")
        res = simulate(inst, algorithm, horizon, reps_screen, int(rng.integers(2 ** 63)), checkpoints=[horizon],
                       params=params or {}, parallel=False)
        return float(res.regret[:, -1].mean()) / float(ratio_bound(means, horizon))

    def propose():
        return (int(rng.integers(k_range[0], k_range[1] + 1)), float(rng.uniform(0.3, 0.95)),
                float(np.exp(rng.uniform(np.log(0.005), np.log(0.5)))), float(np.exp(rng.uniform(0.0, np.log(10.0)))))

    def move(x):
        K, best, gap, spread = x
        K = int(np.clip(K + rng.integers(-1, 2), k_range[0], k_range[1]))
        best = float(np.clip(best + rng.normal(0, 0.05), 0.05, 1.0))
        gap = float(np.clip(gap * np.exp(rng.normal(0, 0.3)), 1e-3, best))
        spread = float(np.clip(spread * np.exp(rng.normal(0, 0.3)), 1.0, 20.0))
        return K, best, gap, spread

    trace = []
    best_x, best_s = None, -np.inf
    for _ in range(n_random):
        x = propose()
        s = score(x)
        trace.append(s)
        if s > best_s:
            best_x, best_s = x, s
    for _ in range(n_refine):
        x = move(best_x)
        s = score(x)
        trace.append(s)
        if s > best_s:
            best_x, best_s = x, s
    means = _search_instance(*best_x)
    final = simulate(bernoulli_bandit(means, name="worst_case"), algorithm, horizon, reps_final,
                     int(rng.integers(2 ** 63)), checkpoints=log_checkpoints(horizon), params=params or {},
                     parallel=False)
    return {"means": means, "regret": final.regret, "checkpoints": final.checkpoints,
            "screen_ratios": np.array(trace), "screen_best": np.array(best_s)}
