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
import sympy as sp
from scipy import stats as st

from testbed.claim import Claim, Source
from testbed.stats import Verdict, combine, decide_exact

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
    kind = "exact"
    statement = ("Binary rewards with success rate p: the group-relative gradient signal scales with p(1 - p) (largest at "
                 "p = 1/2); with N rollouts it vanishes with probability p^N + (1 - p)^N.")

    def tasks(self, fidelity, root_seed):
        return [self.make_task("mc", {"draws": _DRAWS[fidelity]}, fidelity, root_seed, stream="mc")]

    def run_task(self, task):
        rng = np.random.default_rng(task.seed)
        draw = lambda: np.array([[int(np.sum(np.isin(rng.binomial(N, p, task.spec["draws"]), (0, N)))) for N in N_GRID]
                                 for p in P_GRID])  # noqa: E731
        return {"zeros": draw(), "replication": draw()}

    def decide(self, tasks, results):
        spread_err = max(abs(enumerated(p, N)[0] - p * (1 - p) * (N - 1) / N) for p in P_GRID for N in N_GRID)
        zero_err = max(abs(enumerated(p, N)[1] - (p ** N + (1 - p) ** N)) for p in P_GRID for N in N_GRID)
        q = sp.Symbol("p", positive=True)
        crit = sp.solve(sp.diff(q * (1 - q), q), q)
        exact = decide_exact({"max |enumerated spread - p(1-p)(N-1)/N|": spread_err,
                              "max |enumerated P(no signal) - p^N - (1-p)^N|": zero_err,
                              "argmax of p(1 - p) differs from 1/2 (0 or 1)": float(crit != [sp.Rational(1, 2)])},
                             {"max |enumerated spread - p(1-p)(N-1)/N|": 1e-14,
                              "max |enumerated P(no signal) - p^N - (1-p)^N|": 1e-14,
                              "argmax of p(1 - p) differs from 1/2 (0 or 1)": 0.0})
        draws = tasks[0].spec["draws"] if tasks else 0
        m = len(P_GRID) * len(N_GRID)
        alpha = self.delta / (2 * m)
        pvals, confirmed = [], []
        for i, p in enumerate(P_GRID):
            for j, N in enumerate(N_GRID):
                target = p ** N + (1 - p) ** N
                first = st.binomtest(int(results[0]["zeros"][i, j]), draws, target).pvalue
                pvals.append(first)
                if first <= alpha:
                    second = st.binomtest(int(results[0]["replication"][i, j]), draws, target).pvalue
                    confirmed.append({"p": p, "N": N, "first": first, "replication": second,
                                      "confirmed": bool(second <= alpha)})
        stat = "violated" if any(c["confirmed"] for c in confirmed) else "holds"
        ev = dict(exact.evidence)
        ev.update({"min_pvalue": float(min(pvals)), "zeros": results[0]["zeros"].tolist(), "draws": draws,
                   "rejections": confirmed})
        return Verdict(combine([exact.verdict, stat]), 1 - self.delta / 2, f"Bonferroni over {m} (p, N) cells (two-sided "
                       f"exact binomial tests at {alpha:.2g}), a rejection confirmed on an independent replication",
                       "exact enumeration; Monte Carlo frequencies", None, draws * m * 2, ev)

    def evidence_lines(self, evidence):
        lines = super().evidence_lines(evidence) + [
            f"Monte Carlo zero-signal frequencies ({evidence['draws']} groups per cell): smallest p-value "
            f"{evidence['min_pvalue']:.3g}"]
        for c in evidence.get("rejections", []):
            lines.append(f"p = {c['p']}, N = {c['N']}: first p-value {c['first']:.3g}, independent replication "
                         f"{c['replication']:.3g}: {'confirmed' if c['confirmed'] else 'not confirmed (a false alarm)'}")
        return lines

    def plot(self, evidence, fig):
        ax = fig.add_subplot(1, 1, 1)
        fig.set_size_inches(6.5, 4)
        p = np.linspace(0, 1, 201)
        for N in N_GRID:
            ax.plot(p, p * (1 - p) * (N - 1) / N * (1 - p ** N - (1 - p) ** N) / (1 - p ** N - (1 - p) ** N + 1e-300),
                    label=f"N = {N}: E spread / N")
        ax.plot(p, p * (1 - p), "k--", label="p(1 - p)")
        ax.set_xlabel("success rate p")
        ax.set_ylabel("gradient signal")
        ax.set_title("Group-relative signal is largest for prompts of medium difficulty", fontsize=9)
        ax.legend(fontsize=7)
        ax.grid(True, alpha=0.3)


CLAIM = GradientSignal()
