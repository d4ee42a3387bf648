"""B13. Dynamical linear bandits (Mussi, Metelli, Restelli 2023): steady state and the optimal constant action.

x_{t+1} = A x_t + B u_t + eps_t, y_t = <omega, x_t> + <theta, u_t> + eta_t, rho(A) < 1. Steady-state value
J(u) = <h, u>, h = theta + B^T (I - A)^{-T} omega; the optimal policy is the constant action u* = argmax_{u in U} <h, u>.
Checked exactly: on the authors' instance, h in exact arithmetic (SymPy) equals (9/16, 1/2, 1/9) (by hand:
(I - A)^{-1} = diag(5/4, 1, 10/9)) and J* = 13/16 at u* = (1, 1/2, 0); on generated stable systems, h equals the
limit of the noise-free reward under a constant action (an independent route), the LP optimum equals vertex
enumeration, and no feasible action sequence earns more than T J* + C in T rounds (C: the transient bound of
``tabular_envs.dynamical.transient_constant``), which is the sense in which a constant action is optimal.
NOT YET CHECKED: the DynLin-UCB regret rate O~(d sqrt(T) / (1 - rho)^(3/2)).
"""
import numpy as np
import sympy as sp

from proofs_check import dynamical_steady_state_gain
from tabular_envs.dynamical import (mussi2023_instance, noise_free_rewards, optimal_constant_action,
                                    polytope_vertices, steady_state_gain, transient_constant)

from ...claim import Claim, Source
from ...stats import decide_exact

_SIZES = {"quick": (4, 25), "standard": (20, 50), "full": (100, 50)}   # (tasks, systems per task)
TOL = 1e-9


def random_system(rng):
    n, m = int(rng.integers(1, 5)), int(rng.integers(1, 5))
    A = rng.normal(size=(n, n))
    A *= rng.uniform(0.05, 0.9) / max(np.max(np.abs(np.linalg.eigvals(A))), 1e-12)
    return {"A": A, "B": rng.normal(size=(n, m)) / np.sqrt(n), "omega": rng.normal(size=n),
            "theta": rng.normal(size=m), "budget": float(rng.uniform(0.5, m))}


class DynamicalLinearBandits(Claim):
    id = "B13"
    family = "bandits"
    title = "Dynamical linear bandits: steady-state gain h and the optimal constant action (regret rate not yet)"
    source = Source("Mussi, Metelli, Restelli", 2023, "Dynamical linear bandits", "steady-state analysis")
    status = "confirmed"
    kind = "exact"
    statement = ("x_{t+1} = A x_t + B u_t + eps_t, y_t = <omega, x_t> + <theta, u_t> + eta_t, rho(A) < 1: J(u) = <h, u> "
                 "with h = theta + B^T (I - A)^{-T} omega; the optimal policy is the constant u* = argmax_{u in U} <h, u>. "
                 "[DynLin-UCB regret O~(d sqrt(T)/(1 - rho)^(3/2)) not checked yet]")

    def tasks(self, fidelity, root_seed):
        n_tasks, per_task = _SIZES[fidelity]
        return self.batched_tasks(fidelity, root_seed, n_tasks, {"systems": per_task})

    def run_task(self, task):
        rng = np.random.default_rng(task.seed)
        h_route, lp_vs_vertices, pathwise = 0.0, 0.0, -np.inf
        for _ in range(task.spec["systems"]):
            s = random_system(rng)
            h = steady_state_gain(s["A"], s["B"], s["omega"], s["theta"])
            u = rng.uniform(0, 1, size=h.size)
            u *= min(1.0, s["budget"] / u.sum())
            settled = noise_free_rewards(s["A"], s["B"], s["omega"], s["theta"], np.tile(u, (400, 1)))[-1]
            h_route = max(h_route, abs(settled - h @ u))
            u_star, j_star = optimal_constant_action(h, s["budget"])
            lp_vs_vertices = max(lp_vs_vertices, abs(j_star - (polytope_vertices(h.size, s["budget"]) @ h).max()))
            T = int(rng.integers(1, 300))
            seq = rng.uniform(0, 1, size=(T, h.size))
            seq *= np.minimum(1.0, s["budget"] / seq.sum(axis=1))[:, None]
            seq[rng.random(T) < 0.5] = u_star                      # mix in the optimum: the tightest sequences
            total = noise_free_rewards(s["A"], s["B"], s["omega"], s["theta"], seq).sum()
            C = transient_constant(s["A"], s["B"], s["omega"], np.sqrt(h.size))
            pathwise = max(pathwise, total - (T * j_star + C))
        return {"h_route": np.array(h_route), "lp_vs_vertices": np.array(lp_vs_vertices),
                "pathwise": np.array(pathwise)}

    def decide(self, tasks, results):
        inst = mussi2023_instance()
        h_exact = dynamical_steady_state_gain(inst["A"], inst["B"], inst["omega"], inst["theta"])
        by_hand = sp.Matrix([sp.Rational(9, 16), sp.Rational(1, 2), sp.Rational(1, 9)])
        h_num = steady_state_gain(inst["A"], inst["B"], inst["omega"], inst["theta"])
        u_star, j_star = optimal_constant_action(h_num, inst["budget"])
        errors = {
            "authors' instance: SymPy h - (9/16, 1/2, 1/9) (exact, 0 or 1)": 0.0 if (h_exact - by_hand).is_zero_matrix else 1.0,
            "authors' instance: |numeric h - SymPy h|": float(np.max(np.abs(h_num - np.array(h_exact, dtype=float).ravel()))),
            "authors' instance: |J* - 13/16| + |u* - (1, 1/2, 0)|": abs(j_star - 13 / 16) + float(
                np.max(np.abs(u_star - [1.0, 0.5, 0.0]))),
            "generated: |settled reward - <h, u>|": max(float(r["h_route"]) for r in results),
            "generated: |LP optimum - vertex enumeration|": max(float(r["lp_vs_vertices"]) for r in results),
            "generated: max over sequences of (total reward - T J* - C)": max(float(r["pathwise"]) for r in results),
        }
        v = decide_exact(errors, {k: (1e-7 if "settled" in k else TOL) for k in errors})
        v.evidence.update({"h_exact": [str(x) for x in h_exact], "u_star": u_star.tolist(), "J_star": j_star,
                           "systems": sum(1 for _ in results) * (tasks[0].spec["systems"] if tasks else 0)})
        v.n_samples = v.evidence["systems"]
        return v

    def evidence_lines(self, evidence):
        return super().evidence_lines(evidence) + [
            f"authors' instance: h = ({', '.join(evidence['h_exact'])}), u* = {np.round(evidence['u_star'], 12).tolist()}, "
            f"J* = {evidence['J_star']:.6f}; {evidence['systems']} generated stable systems"]

    def plot(self, evidence, fig):
        inst = mussi2023_instance()
        h = steady_state_gain(inst["A"], inst["B"], inst["omega"], inst["theta"])
        ax = fig.add_subplot(1, 1, 1)
        fig.set_size_inches(6.5, 4)
        constant = noise_free_rewards(inst["A"], inst["B"], inst["omega"], inst["theta"],
                                      np.tile(evidence["u_star"], (30, 1)))
        alternating = noise_free_rewards(inst["A"], inst["B"], inst["omega"], inst["theta"],
                                         [[1, 0.5, 0] if t % 2 else [0.5, 1, 0] for t in range(30)])
        ax.plot(constant, "o-", label="constant u* = (1, 1/2, 0)")
        ax.plot(alternating, "x-", label="alternating (1, 1/2, 0) / (1/2, 1, 0)")
        ax.axhline(evidence["J_star"], color="black", ls="--", label=f"J* = <h, u*> = {evidence['J_star']:.4f}")
        ax.set_title(f"authors' instance: h = ({', '.join(evidence['h_exact'])})", fontsize=9)
        ax.set_xlabel("round t")
        ax.set_ylabel("noise-free reward")
        ax.legend(fontsize=7)
        ax.grid(True, alpha=0.3)


CLAIM = DynamicalLinearBandits()
