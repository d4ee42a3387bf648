"""E4. Gittins index and exploration from exploitation (Gittins 1979; Weber 1992; Gittins, Glazebrook, Weber 2011).

Discounted Bernoulli bandit with independent Beta priors: the arm with the largest Gittins index is Bayes-optimal.
The index of Beta(a, b) at discount g is the retirement reward at which retiring and continuing are indifferent,
computed by calibration DP over the Beta counts with bisection (``tabular_envs.estimation.gittins``), truncated after
D further pulls (D = 300 at g = 0.9, 2000 at g = 0.99) with a lower and an upper boundary value: their gap is the
stated truncation error.
1. The published table values (Gittins' tables as reproduced in Christian & Griffiths 2016, four decimals): g = 0.9:
   Beta(1, 1) 0.7029, Beta(2, 2) 0.6346, Beta(3, 3) 0.6010, Beta(10, 2) 0.8695; g = 0.99: Beta(1, 1) 0.8699; within
   5e-5 (the tables' rounding).
2. The truncation gap (upper - lower index) is at most 1e-8 at every entry.
3. Exploration from exploitation: an unknown Beta(1, 1) arm against a known arm of mean 0.6 at g = 0.9: the unknown
   arm's index is above 0.6, so the optimal policy pulls it first although its mean (0.5) is lower.
4. Bayes optimality (the index theorem) on two-armed bandits: the joint belief MDP is solved by backward induction
   (``two_arm_bayes_q``) to a depth where every Q-value is bracketed within g^(depth - k)/(1 - g) (below 1e-8 at
   the reported beliefs); at every belief within k pulls of the prior where the bracket certifies one arm optimal
   and the two indices differ by more than 1e-8, the optimal arm has the larger Gittins index. Priors Beta(1, 1)
   against Beta(2, 3) at g = 0.8 (k <= 8, depth 120) at every fidelity; Beta(3, 1) against Beta(1, 2) at g = 0.9
   (k <= 6, depth 200) at standard and full.
Beta(2, 1), Beta(1, 2) and Beta(5, 5) at both discounts are reported.
Traps (controls in test_e4.py): an index computed as the posterior mean plus a UCB-like bonus (it also picks a
Bayes-suboptimal arm at 7 of 207 certified beliefs of the g = 0.9 pair); the truncation too short at g = 0.99
(30 pulls).
Not built: a finite-horizon index used for a discounted problem.
"""
import numpy as np

from tabular_envs.estimation.gittins import gittins_index, two_arm_bayes_q, ucb_like_index
from testbed.claim import Source
from testbed.declare import DeclaredClaim, Part, Unit

TABLE = [(1, 1, 0.9, 0.7029), (2, 2, 0.9, 0.6346), (3, 3, 0.9, 0.6010), (10, 2, 0.9, 0.8695), (1, 1, 0.99, 0.8699)]
REPORTED = [(2, 1), (1, 2), (5, 5)]
TABLE_ROUNDING = 5e-5
TRUNCATION_GAP = 1e-8
KNOWN_ARM = 0.6
INDEX_TIE = 1e-8
# (priors, g, belief-DP depth, report depth); the first at every fidelity
BAYES_PAIRS = [(((1, 1), (2, 3)), 0.8, 120, 8), (((3, 1), (1, 2)), 0.9, 200, 6)]
_PAIRS = {"quick": 1, "standard": 2, "full": 2}


class GittinsIndex(DeclaredClaim):
    id = "E4"
    family = "estimation"
    title = "Gittins index by calibration: the published tables, and the unknown arm pulled before a better known one"
    source = Source("Gittins; Gittins, Glazebrook, Weber", 2011, "Bandit processes and dynamic allocation indices "
                    "(1979); Multi-armed bandit allocation indices (2011)", "the index theorem; calibration (Ch. 8)")
    status = "confirmed"
    kind = ("exact", "falsification")
    no_bound = "an index computed to a stated truncation error and compared with published four-decimal tables"
    statement = ("For a discounted Bernoulli bandit with independent Beta priors, playing the largest Gittins index "
                 "is Bayes-optimal; the index of Beta(a, b) is the retirement reward at which retiring and continuing "
                 "are indifferent (calibration); Beta(1, 1) at g = 0.9 has index 0.7029, so an unknown arm is pulled "
                 "before a known arm of mean 0.6.")
    parts = (Part("the published table values (within the tables' rounding)", "exact", units="table_units",
                  params={"tolerance": TABLE_ROUNDING}),
             Part("the truncation gap; the unknown arm beats the known 0.6 arm", "exact", units="truncation_units",
                  params={"tolerance": TRUNCATION_GAP}),
             Part("two arms: the Bayes-optimal arm has the larger index at every certified belief", "exact",
                  units="bayes_units", params={"tolerance": 0.0}))

    def tasks(self, fidelity, root_seed):
        depth = {"0.8": 150, "0.9": 300, "0.99": 2000}
        return [self.make_task("indices", {"index": "gittins", "depth": depth}, fidelity, root_seed, "indices")] + [
            self.make_task(f"bayes_{i}", {"index": "gittins", "depth": depth, "priors": [list(p) for p in priors],
                                          "g": g, "dp_depth": n, "report_depth": k}, fidelity, root_seed,
                           f"bayes_{i}")
            for i, (priors, g, n, k) in enumerate(BAYES_PAIRS[:_PAIRS[fidelity]])]

    def _index(self, spec, a, b, g, truncation="lower"):
        if spec["index"] == "ucb":
            return ucb_like_index(a, b, g)
        return gittins_index(a, b, g, depth=spec["depth"][str(g)], truncation=truncation)

    def run_task(self, task):
        spec = task.spec
        if task.unit.startswith("bayes"):
            (a1, b1), (a2, b2) = spec["priors"]
            out = two_arm_bayes_q(spec["priors"], spec["g"], spec["dp_depth"], spec["report_depth"])
            cache = {}

            def index(a, b):
                if (a, b) not in cache:
                    cache[(a, b)] = self._index(spec, a, b, spec["g"])
                return cache[(a, b)]
            k, n1, s1, s2 = out["states"][:, :4].T
            i1 = np.array([index(a1 + s, b1 + n - s) for n, s in zip(n1, s1, strict=True)])
            i2 = np.array([index(a2 + s, b2 + (kk - n) - s) for kk, n, s in zip(k, n1, s2, strict=True)])
            return {"q_low": out["q_low"], "q_up": out["q_up"], "index": np.column_stack([i1, i2])}
        lower = [self._index(spec, a, b, g) for a, b, g, _ in TABLE]
        upper = [self._index(spec, a, b, g, "upper") for a, b, g, _ in TABLE]
        reported = [[self._index(spec, a, b, g) for a, b in REPORTED] for g in (0.9, 0.99)]
        return {"lower": np.array(lower), "upper": np.array(upper), "reported": np.array(reported)}

    @staticmethod
    def _result(tasks, results, unit):
        return next(r for t, r in zip(tasks, results, strict=True) if t.unit == unit)

    def bayes_units(self, tasks, results):
        """Per pair: the number of certified beliefs (one arm's Q bracket entirely above the other's) whose indices
        differ by more than 1e-8 and where the larger index is not the optimal arm."""
        units = []
        for t, r in ((t, r) for t, r in zip(tasks, results, strict=True) if t.unit.startswith("bayes")):
            lo, up, idx = r["q_low"], r["q_up"], r["index"]
            optimal = np.where(lo[:, 0] > up[:, 1], 0, np.where(lo[:, 1] > up[:, 0], 1, -1))
            decided = (optimal >= 0) & (np.abs(idx[:, 0] - idx[:, 1]) > INDEX_TIE)
            wrong = int(np.sum(decided & (optimal != np.argmax(idx, axis=1))))
            priors = t.spec["priors"]
            units.append(Unit(f"Beta{tuple(priors[0])} vs Beta{tuple(priors[1])}, g = {t.spec['g']}: beliefs where "
                              "the larger index is not Bayes-optimal", float(wrong), n=int(decided.sum()),
                              info={"name": t.unit, "certified": int(decided.sum()), "beliefs": int(lo.shape[0]),
                                    "largest_bracket": float(np.max(up - lo))}))
        return units

    def table_units(self, tasks, results):
        r = self._result(tasks, results, "indices")
        mid = 0.5 * (r["lower"] + r["upper"])
        return [Unit(f"Beta({a}, {b}), g = {g}: |index - {v}|", abs(float(m) - v), n=1)
                for (a, b, g, v), m in zip(TABLE, mid, strict=True)]

    def truncation_units(self, tasks, results):
        r = self._result(tasks, results, "indices")
        unknown = float(r["lower"][0])          # Beta(1, 1) at g = 0.9
        return [Unit("largest upper - lower index (truncation)", float(np.max(r["upper"] - r["lower"])), n=len(TABLE)),
                Unit(f"Beta(1, 1) at g = 0.9 not above the known arm's {KNOWN_ARM} (1 yes)",
                     float(not unknown > KNOWN_ARM), n=1)]

    def extra_evidence(self, tasks, results, delta):
        r = self._result(tasks, results, "indices")
        return {"table": [{"a": a, "b": b, "g": g, "published": v, "lower": float(lo), "upper": float(hi)}
                          for (a, b, g, v), lo, hi in zip(TABLE, r["lower"], r["upper"], strict=True)],
                "other_indices": {str(g): {f"Beta({a}, {b})": float(x) for (a, b), x in zip(REPORTED, row, strict=True)}
                             for g, row in zip((0.9, 0.99), r["reported"], strict=True)}}

    def evidence_lines(self, evidence):
        lines = super().evidence_lines(evidence)
        lines += [f"Beta({t['a']}, {t['b']}), g = {t['g']}: index in [{t['lower']:.8f}, {t['upper']:.8f}] "
                  f"(published {t['published']})" for t in evidence["table"]]
        lines += [f"g = {g}: " + ", ".join(f"{k} {v:.4f}" for k, v in row.items())
                  for g, row in evidence["other_indices"].items()]
        return lines


CLAIM = GittinsIndex()
