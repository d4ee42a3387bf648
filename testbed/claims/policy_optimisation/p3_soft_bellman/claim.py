"""P3. Soft (entropy-regularised) Bellman equations (Haarnoja et al. 2017; Geist, Scherrer, Pietquin 2019).

(T_tau Q)(s, a) = r + gamma sum_s' P(s'|s, a) tau log sum_a' exp(Q(s', a') / tau). T_tau is a gamma-contraction in
sup norm; pi*_tau is proportional to exp(Q*_tau / tau); V*_hard <= V*_tau <= V*_hard + tau log A / (1 - gamma), with
equality on a state whose A actions are identical; V*_tau -> V*_hard as tau -> 0. Autoregressive factorisation
(ARSQ): over a joint action a = (a_1, ..., a_d) the soft value equals the nested log-sum-exp over the dimensions
exactly; a per-dimension hard max does not.

Checked exactly on random MDPs (S <= 6, A <= 4, gamma in {0.5, 0.9, 0.99}, tau in {1, 0.1, 0.01}):
1. contraction: ||T Q1 - T Q2|| / (gamma ||Q1 - Q2||) - 1 <= 1e-12 on random pairs (the allowance is float
   rounding: at small tau the ratio reaches 1, since the log-sum-exp is then a max and Q1 - Q2 can be largest at the
   maximising action; a constant shift attains it exactly);
2. fixed point: soft VI to 1e-13 (the iteration's own stop), and the regularised value of pi*_tau computed by a
   linear solve (an independent route) equals V*_tau;
3. the gap bound (exact upper bound, power by planted factor) and its lower side, equality on an identical-action
   MDP;
4. ARSQ: nested = joint log-sum-exp on random Q over 2 and 3 dimensions; the hard-max variant differs (found).
Traps (controls in test_p3.py): max instead of log-sum-exp at the inner dimensions; the temperature missing from
the policy (pi proportional to exp(Q)).
"""
import numpy as np

from proofs_check import soft_bellman_contraction, soft_value_gap
from tabular_envs import garnet, value_iteration
from tabular_envs.mdp.model import TabularMDP
from tabular_envs.policy_opt.soft_bellman import (
    joint_soft_max,
    nested_soft_max,
    regularised_policy_evaluation,
    soft_bellman_operator,
    soft_greedy_policy,
    soft_value_iteration,
)
from testbed.claim import Source
from testbed.declare import DeclaredClaim, Part, Unit

GAMMAS = (0.5, 0.9, 0.99)
TAUS = (1.0, 0.1, 0.01)
SOFT_VI_TOL = 1e-13
# identities between two float routes: 1e-9 of the value scale 1/(1 - gamma) (soft VI stops at 1e-13; the linear
# solve's rounding grows like the condition number 1/(1 - gamma) <= 100)
IDENTITY_TOLERANCE = 1e-9
CONTRACTION_ROUNDING = 1e-12      # ||T Q1 - T Q2|| / (gamma ||Q1 - Q2||) may reach 1 (tight) up to float rounding
_SIZES = {"quick": (2, 4), "standard": (5, 10), "full": (10, 20)}


class SoftBellman(DeclaredClaim):
    id = "P3"
    family = "policy_optimisation"
    title = "Soft Bellman: gamma-contraction, Boltzmann optimum, gap tau log A / (1 - gamma), nested log-sum-exp"
    source = Source("Haarnoja, Tang, Abbeel, Levine; Geist, Scherrer, Pietquin", 2019,
                    "Reinforcement learning with deep energy-based policies (2017); A theory of regularized Markov "
                    "decision processes (2019)", "Haarnoja eqs. (2)-(4), App. A.2; Geist Sec. 2, Prop. 2")
    status = "confirmed"
    kind = ("exact", "falsification")
    statement = ("(T_tau Q)(s,a) = r + gamma sum P(s'|s,a) tau log sum_a' exp(Q(s',a')/tau) is a gamma-contraction; "
                 "pi*_tau is proportional to exp(Q*_tau/tau); V*_hard <= V*_tau <= V*_hard + tau log A/(1-gamma) with "
                 "equality on identical actions; V*_tau -> V*_hard as tau -> 0; over a joint action the soft value is "
                 "the nested log-sum-exp over dimensions (a per-dimension hard max is not).")
    parts = (Part("T_tau is a gamma-contraction (ratio - 1 <= 1e-12)", "exact", units="contraction_units",
                  params={"tolerance": CONTRACTION_ROUNDING}),
             Part("V*_tau - V*_hard <= tau log A / (1 - gamma)", "exact_upper_bound", units="gap_units",
                  params={"value": "max_s V*_tau - V*_hard"}),
             Part("fixed point, Boltzmann optimum, lower side, equality, nested log-sum-exp", "exact",
                  units="identity_units", params={"tolerance": IDENTITY_TOLERANCE}))

    def bound(self):
        return soft_value_gap()

    def tasks(self, fidelity, root_seed):
        n_tasks, per_task = _SIZES[fidelity]
        return self.batched_tasks(fidelity, root_seed, n_tasks,
                                  {"mdps": per_task, "inner": "soft", "policy_temperature": "tau"})

    def run_task(self, task):
        spec = task.spec
        rng = np.random.default_rng(task.seed)
        rows = []
        for m in range(spec["mdps"]):
            S, A = int(rng.integers(1, 7)), int(rng.integers(2, 5))
            gamma, tau = GAMMAS[m % len(GAMMAS)], TAUS[(m // len(GAMMAS)) % len(TAUS)]
            mdp = garnet(S, A, gamma=gamma, rng=rng)
            Q, V, _ = soft_value_iteration(mdp, tau, tol=SOFT_VI_TOL)
            hard = value_iteration(mdp, epsilon=1e-12).values
            scale = 1 / (1 - gamma)
            pi = (soft_greedy_policy(Q, tau) if spec["policy_temperature"] == "tau"
                  else soft_greedy_policy(Q, 1.0))             # the trap: exp(Q), no temperature
            _, V_pi = regularised_policy_evaluation(mdp, pi, tau)
            Q1, Q2 = rng.normal(0, scale, (2, S, A))
            shift = float(rng.uniform(0.1, 1.0))
            shifted = float(np.max(np.abs(soft_bellman_operator(mdp, Q1 + shift, tau)
                                          - soft_bellman_operator(mdp, Q1, tau))))
            rows.append({
                "gamma": gamma, "tau": tau, "A": A,
                "contraction": float(np.max(np.abs(soft_bellman_operator(mdp, Q1, tau)
                                                   - soft_bellman_operator(mdp, Q2, tau)))),
                "d_q": float(np.max(np.abs(Q1 - Q2))),
                "shift_attained": abs(shifted - gamma * shift) / scale,
                "gap_max": float(np.max(V - hard)), "gap_min": float(np.min(V - hard)),
                "fixed_point": float(np.max(np.abs(soft_bellman_operator(mdp, Q, tau) - Q))) / scale,
                "boltzmann_value": float(np.max(np.abs(V_pi - V))) / scale,
            })
            # equality on an MDP whose A actions are identical (every row of P and r the same across actions)
            same = TabularMDP(np.repeat(mdp.P[:, :1], A, axis=1), np.repeat(mdp.r[:, :1], A, axis=1), gamma=gamma)
            Qs, Vs, _ = soft_value_iteration(same, tau, tol=SOFT_VI_TOL)
            hs = value_iteration(same, epsilon=1e-12).values
            rows[-1]["equality"] = float(np.max(np.abs((Vs - hs) - tau * np.log(A) / (1 - gamma)))) / scale
            # ARSQ: joint actions over 2 and 3 dimensions
            dims = tuple(int(x) for x in rng.integers(2, 4, size=2 + m % 2))
            Qj = rng.normal(0, 1, dims)
            rows[-1]["nested"] = abs(nested_soft_max(Qj, tau, inner=spec["inner"]) - joint_soft_max(Qj, tau))
            rows[-1]["hard_inner_gap"] = abs(nested_soft_max(Qj, tau, inner="hard") - joint_soft_max(Qj, tau))
        return {k: np.array([r[k] for r in rows]) for k in rows[0]}

    @staticmethod
    def _cat(results, key):
        return np.concatenate([np.atleast_1d(r[key]) for r in results])

    def _contraction_ratios(self, results):
        g, d = self._cat(results, "gamma"), self._cat(results, "d_q")
        bound = soft_bellman_contraction().evaluate(gamma=g, d_Q=d)
        return g, self._cat(results, "contraction") / bound

    def contraction_units(self, tasks, results):
        """||T Q1 - T Q2|| / (gamma ||Q1 - Q2||) - 1 on random pairs, per gamma (0 or below: within the modulus)."""
        g, ratio = self._contraction_ratios(results)
        return [Unit(f"gamma = {x}: max ||T Q1 - T Q2|| / (gamma ||Q1 - Q2||) - 1", ratio[g == x] - 1.0,
                     n=int((g == x).sum())) for x in GAMMAS if (g == x).any()]

    def gap_units(self, tasks, results):
        """max_s V*_tau - V*_hard per generated MDP, against tau log A / (1 - gamma)."""
        g, tau, A = (self._cat(results, k) for k in ("gamma", "tau", "A"))
        return [Unit(f"tau = {t}", self._cat(results, "gap_max")[m], at={"tau": tau[m], "A": A[m], "gamma": g[m]},
                     n=int(m.sum()), info={"name": f"tau = {t}"})
                for t in TAUS for m in [tau == t] if m.any()]

    def identity_units(self, tasks, results):
        """Errors relative to the value scale 1/(1 - gamma) (the lower side: its violation, 0 when V*_tau >=
        V*_hard); the hard-max trap found: 0 when some joint Q separates the two, else 1."""
        n = self._cat(results, "gamma").size
        return [Unit("||T Q* - Q*|| (soft VI's fixed point)", self._cat(results, "fixed_point").max(), n=n),
                Unit("|V^{pi*}_tau (linear solve) - V*_tau| (pi* = Boltzmann(Q*/tau))",
                     self._cat(results, "boltzmann_value").max(), n=n),
                Unit("violation of V*_tau >= V*_hard", max(0.0, -self._cat(results, "gap_min").min()), n=n),
                Unit("|gap - tau log A/(1 - gamma)| on identical actions", self._cat(results, "equality").max(), n=n),
                Unit("|a constant shift c: ||T(Q + c) - TQ|| - gamma c|", self._cat(results, "shift_attained").max(),
                     n=n),
                Unit("|nested - joint log-sum-exp|", self._cat(results, "nested").max(), n=n),
                Unit("hard inner max not separated from the joint soft value (0 found, 1 not)",
                     float(self._cat(results, "hard_inner_gap").max() <= 1e-6), n=n)]

    def extra_evidence(self, tasks, results, delta):
        tau, gap = self._cat(results, "tau"), self._cat(results, "gap_max")
        scale = 1 / (1 - self._cat(results, "gamma"))
        g, ratio = self._contraction_ratios(results)
        return {"gap_by_tau": {str(t): float(np.max(gap[tau == t] / scale[tau == t]))
                               for t in TAUS if (tau == t).any()},
                "contraction_ratio_max": float(ratio.max()),
                "hard_inner_gap_max": float(self._cat(results, "hard_inner_gap").max())}

    def evidence_lines(self, evidence):
        return super().evidence_lines(evidence) + [
            f"largest ||T Q1 - T Q2|| / (gamma ||Q1 - Q2||) over the pairs: {evidence['contraction_ratio_max']:.15f}",
            "tau -> 0: largest (V*_tau - V*_hard)(1 - gamma) by tau: " + ", ".join(
                f"tau = {t}: {v:.3g}" for t, v in evidence["gap_by_tau"].items()),
            f"ARSQ trap: a hard max at the inner dimensions misses the joint soft value by up to "
            f"{evidence['hard_inner_gap_max']:.3g}"]


CLAIM = SoftBellman()
