"""D11. Edge-of-reach in offline model-based RL (Sims et al. 2024; abstract, definition reconstructed).

On generated MDPs (chains, gridworlds, sparse Garnets; rewards in [0, 1]) with a dataset covering some states:
1. exact: the edge set (reached only at the last rollout step) keeps its initial values after Q-iteration with the
   TRUE model; with optimistic initialisation (q0 = 10/(1 - gamma)) the updated pairs overestimate Q* on some
   instance (the collapse); patching the edge (its values set to 0, a pessimistic bound for rewards >= 0) removes
   every overestimation (Q <= Q* on the updated pairs), and without an edge the iteration returns Q* exactly;
2. statistical: an ensemble of learned models (bootstrap resamples of the data; a Dirichlet prior outside it) is
   more uncertain at the edge than on the data: on a majority of instances the mean spread of predicted values at
   edge states exceeds that at dataset pairs (one-sided Clopper-Pearson lower bound > 1/2).
"""
import numpy as np

from tabular_envs import chain, garnet, gridworld
from testbed.claim import Claim, Source
from testbed.stats import combine_verdicts, decide_exact, decide_proportion_at_least

from .model import edge_of_reach, ensemble_spread, optimal_q, truncated_q_iteration

TOL = 1e-9
_SIZES = {"quick": (4, 10), "standard": (20, 10), "full": (100, 10)}


def random_setting(rng):
    kind = int(rng.integers(0, 3))
    g = float(rng.uniform(0.8, 0.95))
    if kind == 0:
        mdp = chain(int(rng.integers(6, 20)), gamma=g, slip=float(rng.uniform(0, 0.3)))
    elif kind == 1:
        mdp = gridworld(int(rng.integers(3, 6)), int(rng.integers(3, 6)), gamma=g, slip=float(rng.uniform(0, 0.3)))
    else:
        S = int(rng.integers(6, 20))
        mdp = garnet(S, int(rng.integers(2, 4)), 2, gamma=g, rng=rng)
        mdp = type(mdp)(mdp.P, (mdp.r - mdp.r.min()) / max(np.ptp(mdp.r), 1e-12), gamma=g)
    n_data = max(1, mdp.n_states // 4)
    data = rng.choice(mdp.n_states, size=n_data, replace=False)
    return mdp, data, int(rng.integers(1, 4))


class EdgeOfReach(Claim):
    id = "D11"
    family = "dp"
    title = "Edge of reach: states reached only at the last rollout step are never updated; patching removes it"
    source = Source("Sims et al.", 2024, "The edge-of-reach problem in offline model-based reinforcement learning",
                    "abstract (definition reconstructed)")
    status = "unconfirmed"
    kind = ("exact", "statistical")
    statement = (
        "k-step truncated rollouts from dataset states: states reachable only at the last step are bootstrapped "
        "from but never updated; with the true model, Q-iteration on dataset + rollouts still overestimates "
        "under optimistic initialisation; patching those states (or an ensemble minimum, RAVL) removes it. "
        "[reconstructed from the abstract]"
    )

    no_bound = (
        "the definition is reconstructed from the abstract: the claim is a set identity (edge states keep their "
        "initial values) and a comparison of ensemble spreads, with no bound to evaluate"
    )

    def tasks(self, fidelity, root_seed):
        n_tasks, per_task = _SIZES[fidelity]
        return self.batched_tasks(fidelity, root_seed, n_tasks, {"instances": per_task})

    def run_task(self, task):
        rng = np.random.default_rng(task.seed)
        stuck, patched, no_edge, over = 0.0, -np.inf, 0.0, []
        spread_wins, spread_trials, rows = 0, 0, []
        for _ in range(task.spec["instances"]):
            mdp, data, k = random_setting(rng)
            updated, edge = edge_of_reach(mdp, data, k)
            q_star = optimal_q(mdp)
            q0 = 10 / (1 - mdp.gamma)
            Q = truncated_q_iteration(mdp, updated, q0)
            if edge.any():
                stuck = max(stuck, float(np.max(np.abs(Q[edge] - q0))))
            over.append(float(np.max(Q[updated] - q_star[updated])) if updated.any() else 0.0)
            Qp = truncated_q_iteration(mdp, updated, q0, edge_value=0.0)
            if updated.any():
                patched = max(patched, float(np.max(Qp[updated] - q_star[updated])))
            full, _ = edge_of_reach(mdp, np.arange(mdp.n_states), 1)
            no_edge = max(no_edge, float(np.max(np.abs(truncated_q_iteration(mdp, full, q0) - q_star))))
            if edge.any():
                data_pairs = [(s, a) for s in np.flatnonzero(updated) for a in range(mdp.n_actions)]
                spread = ensemble_spread(mdp, data_pairs, 20, 8, q_star.max(axis=1), rng)
                at_edge, on_data = spread[edge].mean(), spread[updated].mean()
                spread_trials += 1
                spread_wins += int(at_edge > on_data)
                rows.append((at_edge, on_data))
        return {"stuck": np.array(stuck), "patched": np.array(patched), "no_edge": np.array(no_edge),
                "over": np.array(over), "wins": np.array(spread_wins), "trials": np.array(spread_trials),
                "spreads": np.array(rows).reshape(-1, 2)}

    def decide(self, tasks, results):
        over = np.concatenate([r["over"] for r in results])
        errors = {
            "edge states: max |Q - q0| after Q-iteration (never updated)": max(float(r["stuck"]) for r in results),
            "patched edge: max (Q - Q*) on updated pairs": max(0.0, max(float(r["patched"]) for r in results)),
            "no edge (every state updated): max |Q - Q*|": max(float(r["no_edge"]) for r in results),
            "optimistic init: no instance overestimates (0 or 1)": float(not np.any(over > 1e-6)),
        }
        exact = decide_exact(errors, {k: (0.0 if "(0 or 1)" in k else TOL) for k in errors})
        wins, trials = sum(int(r["wins"]) for r in results), sum(int(r["trials"]) for r in results)
        stat = decide_proportion_at_least([(wins, trials)], [0.5], self.delta,
                                          ["ensemble spread larger at the edge than on the data"])
        spreads = np.concatenate([r["spreads"] for r in results])
        return combine_verdicts({"edge set and patching (exact)": exact, "ensemble spread at the edge": stat},
                                evidence={"overestimation": over.tolist(), "spreads": spreads.tolist()})

    def evidence_lines(self, evidence):
        over = np.array(evidence["overestimation"])
        p = evidence["proportions"][0]
        return super().evidence_lines(evidence) + [
            f"optimistic init: {int(np.sum(over > 1e-6))} of {over.size} instances overestimate, by up to "
            f"{over.max():.3g}",
            f"{p['label']}: {p['successes']}/{p['trials']} instances, Clopper-Pearson lower bound {p['lower']:.3f} "
            f"vs 1/2: {p['verdict']}"]



CLAIM = EdgeOfReach()
