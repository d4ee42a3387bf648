"""R6. Prompt difficulty and the group-relative gradient signal (derived; see also B17).

Binary rewards with success rate p and N rollouts: the group-relative signal is the within-group spread of the
rewards; E[sum_i (r_i - rbar)^2]/N = p(1 - p)(N - 1)/N (largest at p = 1/2), and the group carries no signal (all
rewards equal) with probability p^N + (1 - p)^N. Checked exactly by enumerating the binomial outcomes against the
closed forms on a grid of (p, N), SymPy for the maximiser p = 1/2, and a Monte Carlo frequency of zero-signal groups
(two-sided exact binomial tests at delta/(2m), Bonferroni over the m cells of the grid). A cell that rejects is
re-drawn from an independent stream and the claim is violated only if the replication rejects too, so the
family-wise false-alarm rate stays below delta/2 while a real discrepancy is still caught (it rejects twice).
"""
import math

import numpy as np

from proofs_check import group_signal_spread, signal_spread_maximiser, zero_signal_probability
from testbed.claim import Claim, Source
from testbed.stats import combine_verdicts, decide_exact, decide_proportion_equals

P_GRID = (0.05, 0.2, 0.5, 0.8, 0.95)
N_GRID = (2, 4, 8, 16)
_DRAWS = {"quick": 20000, "standard": 200000, "full": 1000000}


def enumerated(p: float, N: int) -> tuple[float, float]:
    """(E[within-group spread]/N, P(all equal)) by summing over the number of successes k."""
    spread, zero = 0.0, 0.0
    for k in range(N + 1):
        w = math.comb(N, k) * p ** k * (1 - p) ** (N - k)
        rbar = k / N
        spread += w * (k * (1 - rbar) ** 2 + (N - k) * rbar ** 2) / N
        zero += w * (k in (0, N))
    return spread, zero


class GradientSignal(Claim):
    id = "R6"
    family = "retraining"
    title = "Group-relative gradient signal scales with p(1 - p) and vanishes with probability p^N + (1 - p)^N"
    source = Source("derived", 2025, "group-relative policy gradients with binary rewards (catalogue R6, B17)",
                    "derived")
    status = "confirmed"
    kind = ("exact", "statistical")
    statement = (
        "Binary rewards with success rate p: the group-relative gradient signal scales with p(1 - p) (largest at "
        "p = 1/2); with N rollouts it vanishes with probability p^N + (1 - p)^N."
    )

    def bound(self):
        return zero_signal_probability()

    def tasks(self, fidelity, root_seed):
        return [self.make_task("mc", {"draws": _DRAWS[fidelity]}, fidelity, root_seed, stream="mc")]

    def run_task(self, task):
        rng = np.random.default_rng(task.seed)
        draw = lambda: np.array([[int(np.sum(np.isin(rng.binomial(N, p, task.spec["draws"]), (0, N)))) for N in N_GRID]
                                 for p in P_GRID])  # noqa: E731
        return {"zeros": draw(), "replication": draw()}

    def decide(self, tasks, results):
        spread_err = max(abs(enumerated(p, N)[0] - group_signal_spread().evaluate(p=p, N=N))
                         for p in P_GRID for N in N_GRID)
        zero_err = max(abs(enumerated(p, N)[1] - self.bound().evaluate(p=p, N=N)) for p in P_GRID for N in N_GRID)
        exact = decide_exact(
            {
                "max |enumerated spread - p(1-p)(N-1)/N|": spread_err,
                "max |enumerated P(no signal) - p^N - (1-p)^N|": zero_err,
                "argmax of p(1 - p) differs from 1/2 (0 or 1)": 0.0 if signal_spread_maximiser().passed else 1.0,
            },
            {
                "max |enumerated spread - p(1-p)(N-1)/N|": 1e-14,
                "max |enumerated P(no signal) - p^N - (1-p)^N|": 1e-14,
                "argmax of p(1 - p) differs from 1/2 (0 or 1)": 0.0,
            },
        )
        draws = tasks[0].spec["draws"] if tasks else 0
        cells = [(i, j, p, N) for i, p in enumerate(P_GRID) for j, N in enumerate(N_GRID)]
        stat = decide_proportion_equals(
            [(int(results[0]["zeros"][i, j]), draws) for i, j, _, _ in cells],
            [self.bound().evaluate(p=p, N=N) for _, _, p, N in cells], self.delta / 2,
            [f"p = {p}, N = {N}: groups with no signal" for _, _, p, N in cells],
            replication=[(int(results[0]["replication"][i, j]), draws) for i, j, _, _ in cells])
        return combine_verdicts({"enumeration (exact)": exact, "Monte Carlo frequencies": stat},
                                evidence={"zeros": results[0]["zeros"].tolist(), "draws": draws})

    def evidence_lines(self, evidence):
        lines = super().evidence_lines(evidence) + [
            f"Monte Carlo zero-signal frequencies ({evidence['draws']} groups per cell)"]
        for c in evidence["proportions"]:
            rep = c.get("replication")
            lines.append(f"{c['label']}: {c['successes']}/{c['trials']}, Clopper-Pearson [{c['lower']:.5f}, "
                         f"{c['upper']:.5f}] vs {c['value']:.5f}" + ("" if rep is None else
                         f"; outside, replication [{rep['lower']:.5f}, {rep['upper']:.5f}]: "
                         f"{'confirmed' if rep['confirmed'] else 'not confirmed (a false alarm)'}"))
        return lines



CLAIM = GradientSignal()
