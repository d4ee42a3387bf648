"""B15. Cascading bandits / RL: the BestPerm oracle (Du, Srikant, Chen 2024; statement from reviews).

f(A) = sum_i prod_{j<i} (1 - q_j) q_i w_i + prod_j (1 - q_j) w_bot. The optimal list keeps the items with w > w_bot,
sorted by descending w, chosen by F[i][k] = max(F[i+1][k], q_i w_i + (1 - q_i) F[i+1][k-1]).
Checked exactly: the DP equals brute force over all ordered lists (N <= 8 items, lists of length <= m <= 4); the
optimal value is monotone in (q, w, w_bot); a FIXED list is not monotone in q (falsification: the smallest
counterexample on a grid is reported). The regret rate of CascadingVI is not checked here (issue 3, left open).
Status unconfirmed: the catalogue took the statement from reviews of the paper, not from the paper.
"""
import itertools

import numpy as np

from proofs_check import cascade_list_value_du2024
from testbed.claim import Claim, Source
from testbed.stats import decide_exact

from .model import best_perm, brute_force_best_list, list_value

_SIZES = {"quick": (4, 50), "standard": (20, 100), "full": (100, 100)}   # (tasks, instances per task)
TOL = 1e-12


def fixed_list_counterexample():
    """Smallest (fewest items, then coarsest grid values) q-increase that lowers a fixed list's value."""
    grid = (0.0, 0.5, 1.0)
    for n in (1, 2, 3):
        for q in itertools.product(grid, repeat=n):
            for w in itertools.product(grid, repeat=n):
                for w_bot in grid:
                    for order in itertools.permutations(range(n)):
                        base = list_value(q, w, w_bot, order)
                        for i in range(n):
                            if q[i] < 1.0:
                                q2 = list(q)
                                q2[i] = q[i] + 0.5
                                new = list_value(q2, w, w_bot, order)
                                if new < base - TOL:
                                    return {"q": list(q), "w": list(w), "w_bot": w_bot, "list": list(order),
                                            "raised_item": i, "q_raised_to": q2[i], "value_before": float(base),
                                            "value_after": float(new)}
    return None


class CascadingBestPerm(Claim):
    id = "B15"
    family = "bandits"
    title = "Cascading lists: BestPerm is optimal; the optimum is monotone, a fixed list is not"
    source = Source("Du, Srikant, Chen", 2024, "Cascading reinforcement learning", "BestPerm oracle (from reviews)")
    status = "unconfirmed"
    kind = ("exact", "falsification")
    statement = ("f(A) = sum_i prod_{j<i}(1 - q_j) q_i w_i + prod_j (1 - q_j) w_bot is maximised over lists of length "
                 "<= m by the items with w > w_bot, sorted by descending w, chosen by the DP F[i][k] = max(F[i+1][k], "
                 "q_i w_i + (1 - q_i) F[i+1][k-1]); the maximum is monotone in (q, w, w_bot), a fixed list is not. "
                 "[unconfirmed: statement from reviews]")

    def bound(self):
        return cascade_list_value_du2024()

    def tasks(self, fidelity, root_seed):
        n_tasks, per_task = _SIZES[fidelity]
        return self.batched_tasks(fidelity, root_seed, n_tasks, {"instances": per_task})

    def run_task(self, task):
        rng = np.random.default_rng(task.seed)
        dp_error, worst_monotone, sizes = 0.0, np.inf, []
        for _ in range(task.spec["instances"]):
            N, m = int(rng.integers(1, 9)), int(rng.integers(1, 5))
            q, w, w_bot = rng.random(N), rng.random(N), float(rng.random())
            value, chosen = best_perm(q, w, w_bot, m)
            brute, _ = brute_force_best_list(q, w, w_bot, m)
            dp_error = max(dp_error, abs(value - brute), abs(list_value(q, w, w_bot, chosen) - value))
            # raise one coordinate and compare optima (a decrease would break monotonicity)
            which = int(rng.integers(0, 3))
            q2, w2, wb2 = q.copy(), w.copy(), w_bot
            if which == 0:
                i = int(rng.integers(N))
                q2[i] = q[i] + (1.0 - q[i]) * rng.random()
            elif which == 1:
                w2[int(rng.integers(N))] += rng.random()
            else:
                wb2 += rng.random()
            worst_monotone = min(worst_monotone, best_perm(q2, w2, wb2, m)[0] - value)
            sizes.append(N)
        return {"dp_error": np.array(dp_error), "min_increase": np.array(worst_monotone), "sizes": np.array(sizes)}

    def decide(self, tasks, results):
        example = fixed_list_counterexample()
        errors = {"|BestPerm - brute force|": max(float(r["dp_error"]) for r in results),
                  "decrease of the optimum after raising q, w or w_bot": max(0.0, -min(float(r["min_increase"])
                                                                                      for r in results)),
                  "fixed list monotone (no counterexample found)": 0.0 if example else 1.0}
        v = decide_exact(errors, {k: (TOL if "BestPerm" in k or "decrease" in k else 0.0) for k in errors})
        sizes = np.concatenate([r["sizes"] for r in results])
        v = v.with_evidence(**{"instances": int(sizes.size), "items_histogram": np.bincount(sizes).tolist(),
                           "fixed_list_counterexample": example})
        v = v.replace(n_samples=int(sizes.size))
        return v

    def evidence_lines(self, evidence):
        return super().evidence_lines(evidence) + [
            f"{evidence['instances']} random instances checked against brute force",
            f"smallest fixed-list counterexample: {evidence['fixed_list_counterexample']}"]



CLAIM = CascadingBestPerm()
