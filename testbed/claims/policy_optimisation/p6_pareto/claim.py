"""P6. Linear scalarisation and the Pareto front (derived; multi-objective MDP survey: Roijers, Vamplew, Whiteson,
Dazeley 2013, JAIR).

Over stochastic stationary policies the achievable value vectors form a convex polytope (the image of the occupancy
polytope), so every Pareto-optimal point is reached by some weight (plus randomisation). Over deterministic policies
(or a non-convex parameterisation) there are Pareto-optimal points no weight selects.

Checked exactly:
1. catalogue instance (one state, actions with reward vectors (1, 0), (0, 1), (0.4, 0.4)): over deterministic
   policies (0.4, 0.4) is Pareto-optimal and no weight w = (l, 1 - l) on a grid of 1001 selects it; over stochastic
   policies it is dominated by the mixture (0.5, 0.5);
2. generated two-objective MDPs: the front f(v) = max {V_1 : V_2 >= v} (the occupancy LP with the constraint) is
   concave on a grid of v (midpoint test), and each front point is the maximiser of the weight (1, lambda) / (1 +
   lambda), lambda the LP's multiplier (its scalarised value equals the front point's).
Trap (control in test_p6.py): a front computed over deterministic policies, then called the tabular front: it is not
concave.
"""
import numpy as np

from tabular_envs import garnet
from tabular_envs.policy_opt.occupancy import (
    ConstrainedMDP,
    _optimal_value,
    cmdp_lp,
    deterministic_policies,
    occupancy,
    scalarised_lp,
)
from testbed.claim import Source
from testbed.declare import DeclaredClaim, Part, Unit

CATALOGUE = np.array([[1.0, 0.0], [0.0, 1.0], [0.4, 0.4]])
WEIGHT_GRID = 1001
FRONT_POINTS = 9
TOLERANCE = 1e-7        # HiGHS's feasibility tolerance is 1e-7 relative; values are at most 1/(1 - gamma) <= 20
_SIZES = {"quick": (2, 5), "standard": (5, 20), "full": (10, 40)}


def deterministic_front(mdp, rewards, v):
    """max {V_1 : V_2 >= v} over deterministic policies (-inf where none reaches v)."""
    vals = np.array([np.einsum("sa,san->n", occupancy(mdp, p), rewards) for p in deterministic_policies(mdp)])
    return np.array([vals[vals[:, 1] >= x - 1e-12, 0].max(initial=-np.inf) for x in v])


class ParetoScalarisation(DeclaredClaim):
    id = "P6"
    family = "policy_optimisation"
    title = "Stochastic policies: a convex front, every Pareto point a weight's optimum; deterministic: not"
    source = Source("Roijers, Vamplew, Whiteson, Dazeley", 2013, "A survey of multi-objective sequential "
                    "decision-making (JAIR)", "derived (convex coverage set; occupancy polytope)")
    status = "confirmed"
    kind = ("exact", "falsification")
    no_bound = "identities (concavity, a front point equal to a weighted optimum) and a search: no inequality"
    statement = ("Over stochastic stationary policies the achievable value vectors form a convex polytope, so every "
                 "Pareto-optimal point is reached by some weight plus randomisation; over deterministic policies "
                 "there are Pareto-optimal points no weight selects.")
    parts = (Part("catalogue: (0.4, 0.4) deterministic-Pareto, no weight selects it; dominated by a mixture", "exact",
                  units="catalogue_units", params={"tolerance": 0.0}),
             Part("generated MDPs: the front is concave and each point a weighted optimum", "exact",
                  units="front_units", params={"tolerance": TOLERANCE}))

    def tasks(self, fidelity, root_seed):
        n_tasks, per_task = _SIZES[fidelity]
        return self.batched_tasks(fidelity, root_seed, n_tasks, {"mdps": per_task, "policies": "stochastic"})

    def run_task(self, task):
        rng = np.random.default_rng(task.seed)
        concavity, supported = [], []
        for _ in range(task.spec["mdps"]):
            mdp = garnet(int(rng.integers(2, 4)), int(rng.integers(2, 4)), gamma=float(rng.uniform(0.5, 0.95)),
                         rng=rng)
            rewards = np.stack([mdp.r, rng.uniform(0, 1, mdp.r.shape)], axis=2)
            lo, hi = -_optimal_value(mdp, -rewards[:, :, 1]), _optimal_value(mdp, rewards[:, :, 1])
            v = lo + (hi - lo) * np.linspace(0.0, 1.0, FRONT_POINTS)
            if task.spec["policies"] == "stochastic":
                front, gaps = [], []
                for x in v:
                    value, d, lam = cmdp_lp(ConstrainedMDP(mdp, -rewards[:, :, 1], -x))
                    front.append(value)
                    w = np.array([1.0, lam]) / (1.0 + lam)
                    best, _ = scalarised_lp(mdp, rewards, w)
                    point = np.einsum("sa,san->n", d, rewards)
                    gaps.append(abs(float(w @ best) - float(w @ point)))
                front = np.array(front)
                supported.append(max(gaps))
            else:
                front = deterministic_front(mdp, rewards, v)
                supported.append(0.0)
            mid = 0.5 * (front[:-2] + front[2:]) - front[1:-1]       # > 0 where the front is not concave
            concavity.append(float(np.max(mid)))
        return {"concavity": np.array(concavity), "supported": np.array(supported)}

    def catalogue_units(self, tasks, results):
        """Deterministic: 1 if some weight selects (0.4, 0.4) or it is dominated by a pure action; stochastic: 1 if
        the (0.5, 0.5) mixture does not dominate it."""
        lam = np.linspace(0.0, 1.0, WEIGHT_GRID)
        scores = np.outer(lam, CATALOGUE[:, 0]) + np.outer(1 - lam, CATALOGUE[:, 1])
        selected = np.any(np.argmax(scores, axis=1) == 2) or np.any(scores[:, 2] >= scores.max(axis=1))
        dominated_pure = any(np.all(CATALOGUE[a] >= CATALOGUE[2]) for a in (0, 1))
        mixture = 0.5 * CATALOGUE[0] + 0.5 * CATALOGUE[1]
        return [Unit("(0.4, 0.4) selected by a weight or dominated by a deterministic point (1 yes)",
                     float(selected or dominated_pure), n=1),
                Unit("(0.4, 0.4) not dominated by the (0.5, 0.5) mixture (1 yes)",
                     float(not (np.all(mixture >= CATALOGUE[2]) and np.any(mixture > CATALOGUE[2]))), n=1)]

    def front_units(self, tasks, results):
        """The largest midpoint-concavity violation, and the largest |w . (weighted optimum) - w . (front point)|."""
        n = sum(r["concavity"].size for r in results)
        worst = max(float(r["concavity"].max()) for r in results)
        return [Unit("max concavity violation of the front", max(0.0, worst), n=n),
                Unit("max |w.V(weighted optimum) - w.V(front point)|",
                     max(float(r["supported"].max()) for r in results), n=n)]

    def extra_evidence(self, tasks, results, delta):
        lam = np.linspace(0.0, 1.0, 201)
        return {"points": CATALOGUE.tolist(),
                "best_weighted": (np.max(np.outer(lam, CATALOGUE[:, 0]) + np.outer(1 - lam, CATALOGUE[:, 1]), axis=1)
                                  ).tolist(), "lambda": lam.tolist()}


CLAIM = ParetoScalarisation()
