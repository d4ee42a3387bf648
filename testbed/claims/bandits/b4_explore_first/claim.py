"""B4. Explore-first and epsilon-greedy: T^(2/3) regret (Slivkins 2019, Theorems 1.5 and 1.6).

Explore-first with N = (T/K)^(2/3) O(log T)^(1/3) pulls per arm, and epsilon-greedy with
eps_t = t^(-1/3) (K log t)^(1/3), have E[R(T)] <= T^(2/3) O(K log T)^(1/3). Only the order is stated, so the
check is a rate: the log-log slope of E[R(T)] across a grid of T is below 3/4, halfway between the claimed 2/3
(its log factor adds about 1/(3 ln T)) and 5/6, so that an exploration schedule with the wrong exponent
(m ~ T^0.8) fails. Linearised t intervals, Bonferroni over the two algorithms.

Where the order shows: both algorithms pay about T^(2/3) rounds of exploration (explore-first m K with
m = (T/K)^(2/3) (ln T)^(1/3); epsilon-greedy sum_t eps_t ~ (3/2) T^(2/3) (K ln T)^(1/3)), each costing the average
gap. So the slope is 2/3 on instances with CONSTANT gaps (decided here: K = 5, one arm at 0.8, four at 0.4).
The catalogue suggests gaps (K ln T / T)^(1/3); there the exploration cost grows only like T^(1/3) (ln T)^(2/3)
and the slope is about 0.4: those runs are reported, not decided. UCB1 on the constant-gap instance is reported
as the contrast (logarithmic regret, slope near 0).
"""
import numpy as np
import sympy as sp

from proofs_check import explore_first_slivkins_thm1_5_order, slope_threshold
from tabular_envs import bernoulli_bandit
from testbed.bandit_sweep import bandit_tasks, gather, run_bandit_task
from testbed.claim import Source
from testbed.declare import DeclaredClaim, Part, Unit
from testbed.stats import loglog_slope_interval

ALGORITHMS = ("etc", "epsilon_greedy")
CONTRAST = "ucb1"
_K = 5
_SIZES = {"quick": ((1_000, 3_162, 10_000), 200), "standard": ((1_000, 3_162, 10_000, 31_623, 100_000), 400),
          "full": ((1_000, 10_000, 100_000, 1_000_000), 1000)}
# halfway between the bound's exponent 2/3 and 5/6: an exploration schedule m ~ T^0.8 (regret slope above 0.8) must
# fail. The first threshold, 5/6 (halfway to linear regret), let that schedule pass (referee, issue 11); 3/4 was set
# knowing the quick slopes 0.70 (explore-first) and 0.72 (epsilon-greedy): a procedure change listed in the report.
THRESHOLD = float(slope_threshold(explore_first_slivkins_thm1_5_order(), toward=sp.Rational(5, 6)))


def constant_gap_instance(K: int, T: int):
    return bernoulli_bandit([0.4] * (K - 1) + [0.8], name=f"constant_gap_T={T}")


def catalogue_gap_instance(K: int, T: int):
    means = np.full(K, 0.5)
    means[-1] = min(1.0, 0.5 + (K * np.log(T) / T) ** (1 / 3))
    return bernoulli_bandit(means, name=f"catalogue_gap_T={T}")


class ExploreFirst(DeclaredClaim):
    id = "B4"
    family = "bandits"
    title = "Explore-first and epsilon-greedy: E[R(T)] <= T^(2/3) O(K log T)^(1/3)"
    source = Source("Slivkins", 2019, "Introduction to Multi-Armed Bandits", "Theorems 1.5, 1.6")
    status = "confirmed"
    kind = ("rate",)
    statement = ("Explore-first with N = (T/K)^(2/3) O(log T)^(1/3) pulls per arm, and epsilon-greedy with "
                 "eps_t = t^(-1/3) (K log t)^(1/3): E[R(T)] <= T^(2/3) O(K log T)^(1/3). Only the order is stated.")
    parts = (Part("log-log slope of E[R(T)] on the constant-gap instances", "slope_below", units="rate_units",
                  params={"threshold": THRESHOLD}),)

    def bound(self):
        return explore_first_slivkins_thm1_5_order()

    def tasks(self, fidelity, root_seed):
        horizons, reps = _SIZES[fidelity]
        return [t for T in horizons
                for group, make, algs in (("constant", constant_gap_instance, ALGORITHMS + (CONTRAST,)),
                                          ("catalogue", catalogue_gap_instance, ALGORITHMS))
                for alg in algs
                for t in bandit_tasks(self, fidelity, root_seed, make(_K, T), alg, T, reps, min(reps, 100),
                                      checkpoints=[T], group=group)]

    def run_task(self, task):
        return run_bandit_task(task)

    def _series(self, groups, alg, group="constant"):
        keys = sorted((k for k in groups if k[2] == alg and k[0] == group), key=lambda k: k[3])
        return (np.column_stack([groups[k]["regret"][:, -1] for k in keys]),
                np.array([k[3] for k in keys], dtype=float))

    def rate_units(self, tasks, results):
        """Each algorithm's regret at the end of each horizon on the constant-gap instances, against T."""
        groups = gather(tasks, results)
        return [Unit(alg, s, x=x) for alg in ALGORITHMS if any(k[2] == alg for k in groups)
                for s, x in [self._series(groups, alg)]]

    def extra_evidence(self, tasks, results, delta):
        """The decided series' means, and (reported, not decided) the catalogue-gap runs and UCB1's contrast."""
        groups = gather(tasks, results)
        points = []
        for alg in ALGORITHMS:
            if any(k[2] == alg for k in groups):
                s, x = self._series(groups, alg)
                points.append({"algorithm": alg, "T": x.tolist(), "mean": s.mean(axis=0).tolist()})
        reported = []
        for group, alg in [("constant", CONTRAST)] + [("catalogue", a) for a in ALGORITHMS]:
            if any(k[2] == alg and k[0] == group for k in groups):
                s, x = self._series(groups, alg, group)
                slope, lo, hi = loglog_slope_interval(s, x, delta)
                reported.append({"label": f"{alg} on the {group}-gap instances", "slope": slope, "lower": lo,
                                 "upper": hi})
                points.append({"algorithm": f"{alg} ({group} gap)", "T": x.tolist(), "mean": s.mean(axis=0).tolist()})
        return {"reported": reported, "points": points, "K": _K}


CLAIM = ExploreFirst()
