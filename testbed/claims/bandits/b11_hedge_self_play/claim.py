"""B11. Zero-sum games: Hedge vs Hedge (Slivkins 2019, Theorem 9.5).

With realised regrets R (row player) and R' (column player) after T rounds, the average play (i_bar, j_bar) is an
eps_T-approximate Nash equilibrium, eps_T = (R + R')/T, pathwise: M(i_bar, q) <= v* + eps_T for every q and
M(p, j_bar) >= v* - eps_T for every p. v* by linear programming (both players' LPs; their duality gap is checked).
Exact, on rock-paper-scissors, matching pennies, a game with a pure saddle point and random games.

What the check can and cannot catch: R + R' = T (max_j M(i_bar, j) - min_i M(i, j_bar)) identically, so eps_T IS
the exploitability of the average play and the two inequalities reduce to min_i M(i, j_bar) <= v* <=
max_j M(i_bar, j), the minimax theorem. The exact check therefore tests the regret bookkeeping (the identity)
and the LP value (both players' LPs, their duality gap, and v* between the two sides); the theorem's content,
eps_T -> 0, comes from Hedge's O(sqrt(T ln K)) regret and is shown in the figure against
2 sqrt(3) (sqrt(ln m) + sqrt(ln n)) / sqrt(T), the sum of the two players' Hedge bounds on expected regret / T.
"""
import numpy as np

from proofs_check import nash_gap_slivkins_thm9_5
from testbed.claim import Claim, Source, task_seed
from testbed.stats import decide_exact

from .model import hedge_self_play, rock_paper_scissors, zero_sum_value

_GAMES = {
    "rock_paper_scissors": lambda rng: rock_paper_scissors(),
    "matching_pennies": lambda rng: np.array([[1.0, 0.0], [0.0, 1.0]]),
    "saddle_point_3x3": lambda rng: np.array([[0.4, 0.5, 0.9], [0.3, 0.2, 0.1], [0.6, 0.7, 0.8]]),
    "random_5x7": lambda rng: rng.random((5, 7)),
    "random_10x10": lambda rng: rng.random((10, 10)),
}
_SIZES = {"quick": ((100, 1_000, 10_000), 3), "standard": ((100, 1_000, 10_000, 100_000), 20),
          "full": ((100, 1_000, 10_000, 100_000), 100)}
TOL = 1e-9


class HedgeSelfPlay(Claim):
    id = "B11"
    family = "bandits"
    title = "Hedge vs Hedge in zero-sum games: the average play is an (R + R')/T-approximate Nash equilibrium"
    source = Source("Slivkins", 2019, "Introduction to Multi-Armed Bandits", "Theorem 9.5")
    status = "confirmed"
    kind = ("exact",)
    check_type = "identity"   # algebra and bookkeeping: it catches code bugs, it tests no theorem
    statement = ("With realised regrets R (row) and R' (column), the average play (i_bar, j_bar) is an "
                 "eps_T-approximate Nash equilibrium, eps_T = (R + R')/T, pathwise: M(i_bar, q) <= v* + eps_T for all "
                 "q and M(p, j_bar) >= v* - eps_T for all p.")

    def bound(self):
        return nash_gap_slivkins_thm9_5()

    def tasks(self, fidelity, root_seed):
        horizons, seeds = _SIZES[fidelity]
        # a random game is one instance for every (T, run): its matrix seed depends on the game only
        return [self.make_task(f"{game}/T={T}/run{k}",
                               {"game": game, "game_seed": task_seed(root_seed, self.id, game), "T": T, "run": k},
                               fidelity, root_seed, stream=f"{game}/T={T}/run{k}")
                for game in _GAMES for T in horizons for k in range(seeds)]

    def run_task(self, task):
        M = _GAMES[task.spec["game"]](np.random.default_rng(task.spec["game_seed"]))
        value = zero_sum_value(M)
        play = hedge_self_play(M, task.spec["T"], np.random.default_rng(task.seed))
        eps = self.bound().evaluate(R=play.row_regret, **{"R'": play.column_regret}, T=play.T)
        return {"v_star": np.array(value.value), "duality_gap": np.array(value.duality_gap),
                "shape": np.array(M.shape), "identity_error": np.array(abs(
                    eps - ((play.row_average @ M).max() - (M @ play.column_average).min()))),
                "eps": np.array(eps), "row_side": np.array((play.row_average @ M).max()),
                "column_side": np.array((M @ play.column_average).min())}

    def decide(self, tasks, results):
        excess_row = max(float(r["row_side"] - (r["v_star"] + r["eps"])) for r in results)
        excess_col = max(float((r["v_star"] - r["eps"]) - r["column_side"]) for r in results)
        errors = {"max_q M(i_bar, q) - (v* + eps_T)": excess_row,
                  "(v* - eps_T) - min_p M(p, j_bar)": excess_col,
                  "LP duality gap": max(float(r["duality_gap"]) for r in results),
                  "|eps_T - exploitability of the average play| (identity)":
                      max(float(r["identity_error"]) for r in results)}
        v = decide_exact(errors, {k: TOL for k in errors})
        rows = {}
        for t, r in zip(tasks, results, strict=True):
            m, n = (int(x) for x in r["shape"])
            reference = 2 * np.sqrt(3) * (np.sqrt(np.log(max(m, 2))) + np.sqrt(np.log(max(n, 2)))) / np.sqrt(
                t.spec["T"])
            rows.setdefault((t.spec["game"], t.spec["T"]), []).append((float(r["eps"]), float(reference)))
        v = v.with_evidence(rows=[{"game": g, "T": T, "mean_eps": float(np.mean([x[0] for x in xs])),
                               "max_eps": float(np.max([x[0] for x in xs])), "hedge_reference": xs[0][1],
                               "runs": len(xs)} for (g, T), xs in sorted(rows.items())])
        v = v.replace(n_samples=len(results))
        return v

    def evidence_lines(self, evidence):
        return super().evidence_lines(evidence) + [
            f"{r['game']}, T = {r['T']}: eps_T mean {r['mean_eps']:.4g}, max {r['max_eps']:.4g} over {r['runs']} runs "
            f"(Hedge reference {r['hedge_reference']:.4g})" for r in evidence["rows"]]



CLAIM = HedgeSelfPlay()
