"""D6. Robust MDPs with (s,a)-rectangular sets (Iyengar 2005; Nilim & El Ghaoui 2005).

Checked exactly on generated MDPs and inner problems:
1. each closed form equals an independent route within 1e-8 (relative to the spread of V): L1 against a linear
   program (HiGHS); TV's greedy transfer against its alpha-dual; KL's dual against the primal tilted distribution
   with KL = beta (root finding); chi^2's alpha-dual against the primal likelihood-ratio solution (root finding);
2. T_R is a gamma-contraction in sup norm for every ball (random pairs V, U);
3. robust VI has a unique fixed point (two different starts agree) attained by a deterministic stationary policy:
   the worst-case value of the greedy policy equals V*_rob.
"""
import numpy as np

from proofs_check import robust_bellman_contraction_iyengar2005
from tabular_envs import chain, garnet
from tabular_envs.dp.robust import (
    BALLS,
    contraction_ratio,
    robust_bellman,
    robust_policy_evaluation,
    robust_value_iteration,
    worst_chi2,
    worst_chi2_primal,
    worst_kl,
    worst_kl_primal,
    worst_l1,
    worst_l1_lp,
    worst_tv,
    worst_tv_dual,
)
from testbed.claim import Claim, Source
from testbed.stats import decide_exact

TOL = 1e-8
_SIZES = {"quick": (2, 40, 2), "standard": (20, 100, 2), "full": (100, 100, 5)}   # tasks, inner problems, MDPs
# the radius sweep of the figure: (chain length, number of radii in [0, 1])
_SWEEP = {"quick": (6, 6), "standard": (10, 11), "full": (10, 11)}
ROUTES = {"l1 vs LP": (worst_l1, worst_l1_lp), "tv vs alpha-dual": (worst_tv, worst_tv_dual),
          "kl dual vs primal": (worst_kl, worst_kl_primal), "chi2 dual vs primal": (worst_chi2, worst_chi2_primal)}


def random_inner(rng):
    n = int(rng.integers(2, 8))
    p0 = rng.dirichlet(np.ones(n))
    if rng.random() < 0.3:
        p0[rng.integers(n)] = 0.0
        p0 /= p0.sum()
    V = rng.normal(0, 3, n)
    if rng.random() < 0.2:
        V[rng.integers(n)] = V[rng.integers(n)]          # ties
    return p0, V, float(rng.uniform(0, 1.5))


class RobustRectangular(Claim):
    id = "D6"
    family = "dp"
    title = "Robust MDPs, (s,a)-rectangular L1 / TV / KL / chi^2 balls: closed forms, contraction, fixed point"
    source = Source("Iyengar; Nilim & El Ghaoui", 2005, "Robust dynamic programming; Robust control of Markov "
                    "decision processes with uncertain transition matrices", "Thm 3.2 (Iyengar); inner problems")
    status = "confirmed"
    kind = ("exact",)
    statement = (
        "(T_R V)(s) = max_a [r(s,a) + gamma inf_{p in P_{s,a}} p.V] is a gamma-contraction with a unique fixed "
        "point attained by a deterministic stationary policy. Inner problems: L1 greedy transfer; KL dual "
        "sup_lambda -lambda log E exp(-V/lambda) - lambda beta; TV max_alpha E min(V, alpha) - delta(alpha - "
        "min V); chi^2 max_alpha E[V]_alpha - sqrt(delta Var([V]_alpha))."
    )

    def bound(self):
        return robust_bellman_contraction_iyengar2005()

    def tasks(self, fidelity, root_seed):
        n_tasks, inner, n_mdps = _SIZES[fidelity]
        batches = self.batched_tasks(fidelity, root_seed, n_tasks, {"inner": inner, "mdps": n_mdps})
        return batches + [
            self.make_task(
                "radius_sweep",
                {"sweep": True, "sweep_size": list(_SWEEP[fidelity])},
                fidelity,
                root_seed,
                stream="sweep",
            )
        ]

    def run_task(self, task):
        if "sweep" in task.spec:
            n_states, n_radii = task.spec["sweep_size"]
            mdp = chain(n_states, gamma=0.9, slip=0.1)
            radii = np.linspace(0.0, 1.0, n_radii)
            out = {"radii": radii}
            for kind in BALLS:
                out[kind] = np.array([robust_value_iteration(mdp, kind, rad).values[0] for rad in radii])
            return out
        rng = np.random.default_rng(task.seed)
        route = dict.fromkeys(ROUTES, 0.0)
        for _ in range(task.spec["inner"]):
            p0, V, rad = random_inner(rng)
            scale = max(1.0, np.ptp(V))
            for name, (closed, other) in ROUTES.items():
                route[name] = max(route[name], abs(closed(p0, V, rad) - other(p0, V, rad)) / scale)
        contraction, fixed, policy = dict.fromkeys(BALLS, 0.0), 0.0, 0.0
        for _ in range(task.spec["mdps"]):
            S, A = int(rng.integers(2, 7)), int(rng.integers(1, 4))
            mdp = garnet(S, A, None if rng.random() < 0.5 else min(2, S), gamma=float(rng.uniform(0.5, 0.9)),
                         rng=rng)
            for kind in BALLS:
                rad = float(rng.uniform(0.05, 1.0))
                for _ in range(4):
                    ratio = contraction_ratio(mdp, rng.normal(0, 5, S), rng.normal(0, 5, S), kind, rad)
                    contraction[kind] = max(contraction[kind], ratio)
                solved = robust_value_iteration(mdp, kind, rad)
                v_star, pi = solved.values, solved.policy
                scale = max(1.0, np.max(np.abs(v_star)))
                V = rng.normal(0, 50, S)
                for _ in range(2000):                          # a second start, iterated far past convergence
                    V = robust_bellman(mdp, V, kind, rad)
                    if np.max(np.abs(V - v_star)) < 1e-12 * scale:
                        break
                fixed = max(fixed, float(np.max(np.abs(V - v_star))) / scale)
                policy = max(policy, float(np.max(np.abs(robust_policy_evaluation(mdp, pi, kind, rad) - v_star)))
                             / scale)
        return {**{f"route {k}": np.array(v) for k, v in route.items()},
                **{f"contraction {k}": np.array(v) for k, v in contraction.items()},
                "fixed": np.array(fixed), "policy": np.array(policy)}

    def decide(self, tasks, results):
        batches = [r for t, r in zip(tasks, results, strict=True) if "inner" in t.spec]
        errors = {}
        for name in ROUTES:
            errors[f"inner problem, {name}: max |difference| / spread(V)"] = max(float(r[f"route {name}"])
                                                                                  for r in batches)
        for kind in BALLS:
            errors[f"T_R ({kind}): max ratio / gamma - 1"] = max(0.0, max(float(r[f"contraction {kind}"])
                                                                          for r in batches) - 1)
        errors["unique fixed point: max |V (second start) - V*_rob| (relative)"] = max(float(r["fixed"])
                                                                                       for r in batches)
        errors["greedy deterministic policy: max |V^pi_rob - V*_rob| (relative)"] = max(float(r["policy"])
                                                                                        for r in batches)
        v = decide_exact(errors, {k: (1e-9 if "ratio" in k else TOL) for k in errors})
        sweep = [r for t, r in zip(tasks, results, strict=True) if "sweep" in t.spec]
        if sweep:
            v = v.with_evidence(sweep={**{k: sweep[0][k].tolist() for k in ["radii", *BALLS]},
                                       "states": [t.spec for t in tasks if "sweep" in t.spec][0]["sweep_size"][0]})
        return v



CLAIM = RobustRectangular()
