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
3. MDP version, in the form derived for rho = mu (``proofs_check.softmax_pg_mdp_rho_mu``: smoothness 8/(1 - gamma)^3
   and Mei et al.'s non-uniform Lojasiewicz inequality, read in full in a textbook's derivation):
   V*(mu) - V^{pi_t}(mu) <= 16 S D^2 / (c^2 (1 - gamma)^5 t), D = ||d^{pi*}_mu / mu||, eta = (1 - gamma)^3 / 8,
   on Garnets with S in {2, 3}, A = 2, gamma = 0.5, mu uniform, decided at the checkpoints where the bound is below
   the trivial maximum 1/(1 - gamma) (the others are counted as vacuous in the evidence).
Mei et al.'s Theorem 4 as recalled (16 S / (c^2 (1 - gamma)^6 t) ||d/mu||^2 ||1/mu||, general rho) is not decided: on
the catalogue's Garnet (S = 5, A = 3, gamma = 0.9, mu uniform) it is at least 4e8 / t, above the trivial maximum 10
for every t < 4e7 (vacuous wherever an exact run can reach); ``proofs_check.softmax_pg_mdp_mei2020`` states it.
Traps (controls in test_p1.py): NPG mislabelled as PG converges geometrically (t gap -> 0: the limit fails); the
baseline-free update theta_a += eta pi_a r_a is a different dynamic.
"""
from functools import lru_cache

import numpy as np
import sympy as sp

from proofs_check import softmax_pg_bandit_limit, softmax_pg_bandit_mei2020, softmax_pg_mdp_rho_mu
from tabular_envs import garnet, value_iteration
from tabular_envs.policy_opt.occupancy import occupancy
from tabular_envs.policy_opt.softmax_pg import bandit_policy_gradient, policy_gradient_mdp
from testbed.claim import Source
from testbed.declare import DeclaredClaim, Part, Unit

ETA = 0.4
LIMIT_TOLERANCE = 0.02
INSTANCES = {"catalogue": [1.0, 0.9, 0.1], "K5": [1.0, 0.5, 0.5, 0.2, 0.0]}
_T = {"quick": 100_000, "standard": 1_000_000, "full": 1_000_000}
MDP_GAMMA = 0.5
MDP_STATES = (2, 3)
_MDP_T = {"quick": 20_000, "standard": 100_000, "full": 200_000}


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
                  "constant (K - 1)/(eta K) to 2 %; the MDP bound, where it is not vacuous, is about 100 times the "
                  "gap")
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
        bandits = [self.make_task(name, {"r": r, "T": _T[fidelity], "update": "pg"}, fidelity, root_seed, name)
                   for name, r in INSTANCES.items()]
        mdps = [self.make_task(f"mdp_S{S}", {"S": S, "T": _MDP_T[fidelity], "update": "pg"}, fidelity, root_seed,
                               f"mdp_S{S}") for S in MDP_STATES]
        return bandits + mdps

    def run_task(self, task):
        if "S" in task.spec:
            mdp = garnet(task.spec["S"], 2, gamma=MDP_GAMMA, rng=np.random.default_rng(task.seed))
            S, T = mdp.n_states, task.spec["T"]
            mu = np.full(S, 1.0 / S)
            ck = np.unique(np.round(np.logspace(0, np.log10(T), 60)).astype(np.int64))
            out = policy_gradient_mdp(mdp, (1 - MDP_GAMMA) ** 3 / 8, T, mu, ck, update=task.spec["update"])
            best = value_iteration(mdp, epsilon=1e-13)
            mdp0 = type(mdp)(mdp.P, mdp.r, gamma=mdp.gamma, initial=mu)
            d_star = (1 - MDP_GAMMA) * occupancy(mdp0, best.policy).sum(axis=1)     # normalised d^{pi*}_mu
            return {"checkpoints": out["checkpoints"], "gaps": np.maximum(float(mu @ best.values) - out["values"], 0.0),
                    "c": np.array(out["c"]), "D": np.array(float(np.max(d_star / mu))), "S": np.array(S)}
        out = bandit_policy_gradient(task.spec["r"], ETA, task.spec["T"], update=task.spec["update"])
        return {"checkpoints": out["checkpoints"], "gaps": out["gaps"], "c": np.array(out["c"]),
                "worst_t": np.array(out["worst_t"]), "worst_gap": np.array(out["worst_gap"])}

    @staticmethod
    def _split(tasks, results):
        bandit = [(t, r) for t, r in zip(tasks, results, strict=True) if "S" not in t.spec]
        mdp = [(t, r) for t, r in zip(tasks, results, strict=True) if "S" in t.spec]
        return bandit, mdp

    def _mdp_points(self, r):
        """The checkpoints t >= 1 where the derived MDP bound is below the trivial maximum 1/(1 - gamma)."""
        t = r["checkpoints"].astype(float)
        b = softmax_pg_mdp_rho_mu().evaluate(S=float(r["S"]), D=float(r["D"]), c=float(r["c"]), gamma=MDP_GAMMA,
                                            t=np.maximum(t, 1.0))
        return (t >= 1) & (b < 1 / (1 - MDP_GAMMA))

    def bound_units(self, tasks, results):
        """Per bandit the gap at the t where t gap is largest (the bound's worst point) and at the checkpoints; per
        MDP the gap at the checkpoints where the derived bound is not vacuous."""
        bandit, mdp = self._split(tasks, results)
        units = []
        for t, r in mdp:
            keep = self._mdp_points(r)
            if keep.any():
                units.append(Unit(t.unit, r["gaps"][keep], bound=softmax_pg_mdp_rho_mu(), n=1,
                                  at={"t": r["checkpoints"][keep].astype(float), "S": float(r["S"]),
                                      "D": float(r["D"]), "c": float(r["c"]), "gamma": MDP_GAMMA},
                                  info={"name": t.unit, "c": float(r["c"]), "D": float(r["D"]),
                                        "vacuous_checkpoints": int((~keep).sum())}))
        for t, r in bandit:
            ts = np.concatenate([[float(r["worst_t"])], r["checkpoints"][1:].astype(float)])
            gaps = np.concatenate([[float(r["worst_gap"])], r["gaps"][1:]])
            units.append(Unit(t.unit, gaps, at={"t": ts, "c": float(r["c"])}, n=1,
                              info={"name": t.unit, "c": float(r["c"])}))
        return units

    def limit_units(self, tasks, results):
        """|T gap_T - L| / L with L = (K - 1)/(eta K), the SymPy-derived limit."""
        L = limit_from_ansatz()
        units = []
        for t, r in self._split(tasks, results)[0]:
            K = len(t.spec["r"])
            lim = float(L.subs({sp.Symbol("K", positive=True): K, sp.Symbol("eta", positive=True): ETA}))
            T = float(r["checkpoints"][-1])
            units.append(Unit(f"{t.unit}: |T gap_T - (K-1)/(eta K)| / ((K-1)/(eta K))",
                              abs(T * float(r["gaps"][-1]) - lim) / lim, n=1))
        return units

    def extra_evidence(self, tasks, results, delta):
        L = limit_from_ansatz()
        curves = []
        bandit, mdp = self._split(tasks, results)
        for t, r in bandit:
            K = len(t.spec["r"])
            curves.append({"name": t.unit, "t": r["checkpoints"][1:].tolist(),
                           "t_gap": (r["checkpoints"][1:] * r["gaps"][1:]).tolist(), "c": float(r["c"]),
                           "limit": float(L.subs({sp.Symbol("K", positive=True): K,
                                                  sp.Symbol("eta", positive=True): ETA}))})
        mdp_curves = []
        for t, r in mdp:
            ts = np.maximum(r["checkpoints"].astype(float), 1.0)
            mdp_curves.append({"name": t.unit, "t": ts.tolist(), "gap": r["gaps"].tolist(), "c": float(r["c"]),
                               "D": float(r["D"]), "S": int(r["S"]),
                               "bound": softmax_pg_mdp_rho_mu().evaluate(S=float(r["S"]), D=float(r["D"]),
                                                                         c=float(r["c"]), gamma=MDP_GAMMA,
                                                                         t=ts).tolist(),
                               "decided": int(self._mdp_points(r).sum())})
        return {"curves": curves, "limit_expression": str(L), "mdp_curves": mdp_curves,
                "trivial_max": 1 / (1 - MDP_GAMMA)}

    def evidence_lines(self, evidence):
        return super().evidence_lines(evidence) + [
            f"{c['name']}: T gap_T = {c['t_gap'][-1]:.5f} against the limit {c['limit']:.5f} "
            f"(derived in SymPy: {evidence['limit_expression']}); c = {c['c']:.4f}" for c in evidence["curves"]] + [
            f"{m['name']}: c = {m['c']:.4f}, D = {m['D']:.3f}; the derived bound is below 1/(1 - gamma) at "
            f"{m['decided']} of {len(m['t'])} checkpoints (decided there); final gap {m['gap'][-1]:.3g} vs bound "
            f"{m['bound'][-1]:.3g}" for m in evidence.get("mdp_curves", [])]


CLAIM = SoftmaxPG()
