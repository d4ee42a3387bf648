"""P1. Softmax policy gradient converges at Theta(1/t) (Mei, Xiao, Szepesvari, Schuurmans 2020, ICML; the one-state
theorem and the Omega(1/t) lower bound; statements recalled, to confirm: see ``status``).

One state, K actions, rewards r in [0, 1]^K, theta_0 = 0, exact gradient, theta <- theta + eta d(pi_theta^T r)/d theta
with eta = 2/5:
1. (pi* - pi_t)^T r <= 5 / (c^2 t) at every t <= T, c = inf_t pi_t(a*) (here the minimum over t <= T, which is at
   least the infimum, so the bound checked is at most the theorem's: a `holds` carries over);
2. it is not faster: t (r* - pi_t^T r) tends to (K - 1) / (eta K), whatever the gaps. Derived here in SymPy from the
   ansatz pi_t(a) ~ c_a / t, a != a* (``limit_from_ansatz``): d/dt log pi_a = eta (pi_a (r_a - pi^T r) - pi*(r* -
   pi^T r)) gives -1/t = eta (-c_a Delta_a / t - gap) for every a != a*, so c_a Delta_a = 1/eta - t gap and,
   summing over the K - 1 arms, t gap = (K - 1)(1/eta - t gap). Decided as |t gap - L| / L <= 2 % at t = T
   (declared: the ansatz's corrections are O(log t / t) relative).
Instances: r = (1, 0.9, 0.1) (catalogue), and r = (1, 0.5, 0.5, 0.2, 0) (K = 5), T = 1e5 (quick) or 1e6.
The MDP version (Theorem 4, 16 S / (c^2 (1 - gamma)^6 t) ||d/mu||^2 ||1/mu||) is not decided: on the catalogue's
Garnet (S = 5, A = 3, gamma = 0.9, mu uniform so ||1/mu|| = 5) it is at least 16 * 5 * 5 / (1e-6 t) = 4e8 / t, above
the trivial maximum 1/(1 - gamma) = 10 for every t < 4e7 (vacuous wherever an exact run can reach);
``proofs_check.softmax_pg_mdp_mei2020`` states it and ``tabular_envs.policy_opt.softmax_pg.policy_gradient_mdp`` runs
the iteration for users.
Traps (controls in test_p1.py): NPG mislabelled as PG converges geometrically (t gap -> 0: the limit fails); the
baseline-free update theta_a += eta pi_a r_a is a different dynamic.
"""
from functools import lru_cache

import numpy as np
import sympy as sp

from proofs_check import softmax_pg_bandit_limit, softmax_pg_bandit_mei2020
from tabular_envs.policy_opt.softmax_pg import bandit_policy_gradient
from testbed.claim import Source
from testbed.declare import DeclaredClaim, Part, Unit

ETA = 0.4
LIMIT_TOLERANCE = 0.02
INSTANCES = {"catalogue": [1.0, 0.9, 0.1], "K5": [1.0, 0.5, 0.5, 0.2, 0.0]}
_T = {"quick": 100_000, "standard": 1_000_000, "full": 1_000_000}


@lru_cache(maxsize=1)
def limit_from_ansatz():
    """Solve the ansatz's K - 1 equations in SymPy: returns the expression of lim t gap in K and eta."""
    Ks, eta, L = sp.symbols("K eta L", positive=True)
    # c_a Delta_a = 1/eta - L for each of the K - 1 suboptimal arms, and L = sum_a c_a Delta_a
    solution = sp.solve(sp.Eq(L, (Ks - 1) * (1 / eta - L)), L)[0]
    derived = sp.simplify(solution)
    stated = softmax_pg_bandit_limit().expr.subs({sp.Symbol("K", positive=True, integer=True): Ks,
                                                  sp.Symbol("eta", positive=True): eta})
    if sp.simplify(derived - stated) != 0:
        raise AssertionError(f"the derived limit {derived} is not the stated {stated}")
    return derived


class SoftmaxPG(DeclaredClaim):
    id = "P1"
    family = "policy_optimisation"
    title = "Softmax policy gradient: gap <= 5/(c^2 t), and t * gap -> (K - 1)/(eta K) (Theta(1/t))"
    source = Source("Mei, Xiao, Szepesvari, Schuurmans", 2020, "On the global convergence rates of softmax policy "
                    "gradient methods (ICML)", "one-state theorem (eta = 2/5), Thm 4 (MDP), Thm 10 (lower bound)")
    status = "unconfirmed"
    check_type = "theorem"
    kind = ("upper_bound", "exact")
    power_note = ("the bound 5/(c^2 t) is about 15 times the gap at its worst t on both instances, so a constant "
                  "wrong by a factor below ~15 cannot be seen by the bound part; the limit part decides the 1/t "
                  "constant (K - 1)/(eta K) to 2 %")
    statement = ("Unconfirmed: the constant 5 and eta = 2/5 of the one-state bound, and Thm 4's MDP constant "
                 "16 S/(c^2 (1-gamma)^6 t) with eta = (1-gamma)^3/8, are recalled, not read in the paper (the search "
                 "tool reached only the abstract, which confirms the O(1/t) rate and the Omega(1/t) lower bound). "
                 "Statement: softmax PG with exact gradient, eta = 2/5, theta_0 = 0: (pi* - pi_t)^T r <= 5/(c^2 t), "
                 "c = inf_t pi_t(a*); t (r* - pi_t^T r) -> (K - 1)/(eta K) (derived).")
    parts = (Part("gap <= 5 / (c^2 t) at every t <= T", "exact_upper_bound", units="bound_units",
                  params={"value": "r* - pi_t^T r at the t maximising t gap"}),
             Part("t gap -> (K - 1)/(eta K) (relative error at t = T)", "exact", units="limit_units",
                  params={"tolerance": LIMIT_TOLERANCE}))

    def bound(self):
        return softmax_pg_bandit_mei2020()

    def tasks(self, fidelity, root_seed):
        return [self.make_task(name, {"r": r, "T": _T[fidelity], "update": "pg"}, fidelity, root_seed, name)
                for name, r in INSTANCES.items()]

    def run_task(self, task):
        out = bandit_policy_gradient(task.spec["r"], ETA, task.spec["T"], update=task.spec["update"])
        return {"checkpoints": out["checkpoints"], "gaps": out["gaps"], "c": np.array(out["c"]),
                "worst_t": np.array(out["worst_t"]), "worst_gap": np.array(out["worst_gap"])}

    def bound_units(self, tasks, results):
        """Per instance the gap at the t where t gap is largest (the bound's worst point) and at the checkpoints."""
        units = []
        for t, r in zip(tasks, results, strict=True):
            ts = np.concatenate([[float(r["worst_t"])], r["checkpoints"][1:].astype(float)])
            gaps = np.concatenate([[float(r["worst_gap"])], r["gaps"][1:]])
            units.append(Unit(t.unit, gaps, at={"t": ts, "c": float(r["c"])}, n=1,
                              info={"name": t.unit, "c": float(r["c"])}))
        return units

    def limit_units(self, tasks, results):
        """|T gap_T - L| / L with L = (K - 1)/(eta K), the SymPy-derived limit."""
        L = limit_from_ansatz()
        units = []
        for t, r in zip(tasks, results, strict=True):
            K = len(t.spec["r"])
            lim = float(L.subs({sp.Symbol("K", positive=True): K, sp.Symbol("eta", positive=True): ETA}))
            T = float(r["checkpoints"][-1])
            units.append(Unit(f"{t.unit}: |T gap_T - (K-1)/(eta K)| / ((K-1)/(eta K))",
                              abs(T * float(r["gaps"][-1]) - lim) / lim, n=1))
        return units

    def extra_evidence(self, tasks, results, delta):
        L = limit_from_ansatz()
        curves = []
        for t, r in zip(tasks, results, strict=True):
            K = len(t.spec["r"])
            curves.append({"name": t.unit, "t": r["checkpoints"][1:].tolist(),
                           "t_gap": (r["checkpoints"][1:] * r["gaps"][1:]).tolist(), "c": float(r["c"]),
                           "limit": float(L.subs({sp.Symbol("K", positive=True): K,
                                                  sp.Symbol("eta", positive=True): ETA}))})
        return {"curves": curves, "limit_expression": str(L)}

    def evidence_lines(self, evidence):
        return super().evidence_lines(evidence) + [
            f"{c['name']}: T gap_T = {c['t_gap'][-1]:.5f} against the limit {c['limit']:.5f} "
            f"(derived in SymPy: {evidence['limit_expression']}); c = {c['c']:.4f}" for c in evidence["curves"]]


CLAIM = SoftmaxPG()
