"""D10. Model error and Lipschitz values (Zheng et al. 2023; derived, standard).

On chain MDPs (states 0..n-1 with the metric |i - j|) and a perturbed model P_hat:
|(T_P V)(s, a) - (T_P_hat V)(s, a)| <= gamma L_V W_1(P(.|s, a), P_hat(.|s, a)), L_V the Lipschitz constant of V
(Kantorovich-Rubinstein duality), and ||V*_P - V*_P_hat|| <= gamma L max_{s,a} W_1 / (1 - gamma) with L the
Lipschitz constant of V*_P_hat (simulation lemma: V*_P - V*_P_hat = fixed-point perturbation of T_P V*_P_hat).
[unconfirmed: the paper's exact norm; the sup norm over states and (s, a) is used.] Checked exactly on generated
chains, random V and perturbations; the tightness (largest left/right ratio) is reported, and a shift-of-mass
instance where the one-step bound is attained.
"""
import numpy as np

from proofs_check import model_error_one_step, model_error_value
from tabular_envs import TabularMDP, chain, value_iteration
from testbed.claim import Claim, Source
from testbed.planting import planted_upper
from testbed.stats import decide_exact

from .model import lipschitz_constant_line, wasserstein1_line

TOL = 1e-9
_SIZES = {"quick": (4, 25), "standard": (20, 25), "full": (100, 25)}


def perturbed(mdp, rng, scale):
    P = mdp.P.copy()
    S = mdp.n_states
    for s in range(S):
        for a in range(mdp.n_actions):
            q = rng.dirichlet(np.ones(S) * 0.3)
            P[s, a] = (1 - scale) * P[s, a] + scale * q
    return TabularMDP(P, mdp.r, gamma=mdp.gamma)


class ModelErrorLipschitz(Claim):
    id = "D10"
    family = "dp"
    title = "Model error: one-step gamma L W_1 bound and the value bound gamma L max W_1 / (1 - gamma)"
    source = Source("Zheng et al.", 2023, "Model-based reinforcement learning with a Lipschitz value function "
                    "(derived; standard)", "simulation lemma with Kantorovich-Rubinstein duality")
    status = "unconfirmed"
    kind = ("upper_bound", "exact")
    statement = ("|(T_P V)(s,a) - (T_P_hat V)(s,a)| <= gamma L_V W_1(P(.|s,a), P_hat(.|s,a)); ||V*_P - V*_P_hat|| <= "
                 "gamma L max W_1/(1 - gamma). [unconfirmed: the paper's exact norm; sup norm used]")

    def bound(self):
        return model_error_value()

    def tasks(self, fidelity, root_seed):
        n_tasks, per_task = _SIZES[fidelity]
        return self.batched_tasks(fidelity, root_seed, n_tasks, {"instances": per_task})

    def run_task(self, task):
        rng = np.random.default_rng(task.seed)
        one_step, value, ratios_1, ratios_v = -np.inf, -np.inf, [], []
        for _ in range(task.spec["instances"]):
            n = int(rng.integers(3, 15))
            mdp = chain(n, gamma=float(rng.uniform(0.5, 0.95)), slip=float(rng.uniform(0, 0.4)))
            hat = perturbed(mdp, rng, float(rng.uniform(0.01, 0.5)))
            W = np.array([[wasserstein1_line(mdp.P[s, a], hat.P[s, a]) for a in range(mdp.n_actions)]
                          for s in range(n)])
            for _ in range(5):
                V = np.cumsum(rng.normal(size=n))
                lhs = np.abs(mdp.gamma * (mdp.P @ V - hat.P @ V))
                rhs = model_error_one_step().evaluate(gamma=mdp.gamma, L=lipschitz_constant_line(V), W_1=W)
                one_step = max(one_step, float(np.max(lhs - rhs)))
                ratios_1.append(float(np.max(lhs / np.maximum(rhs, 1e-300))))
            v_p = value_iteration(mdp, 1e-12).values
            v_hat = value_iteration(hat, 1e-12).values
            bound = self.bound().evaluate(gamma=mdp.gamma, L=lipschitz_constant_line(v_hat), W_1=W.max())
            gap = float(np.max(np.abs(v_p - v_hat)))
            value = max(value, gap - bound - 2e-12 * max(1.0, np.max(np.abs(v_p))) / (1 - mdp.gamma))
            ratios_v.append(gap / bound if bound > 0 else 0.0)
        return {"one_step": np.array(one_step), "value": np.array(value), "ratios_1": np.array(ratios_1),
                "ratios_v": np.array(ratios_v)}

    def decide(self, tasks, results):
        errors = {
            "one step: max |T_P V - T_P_hat V| - gamma L_V W_1": max(0.0, max(float(r["one_step"]) for r in results)),
            "values: max ||V*_P - V*_P_hat|| - gamma L max W_1/(1 - gamma) (VI error allowed)": max(
                0.0, max(float(r["value"]) for r in results)
            ),
        }
        r1 = np.concatenate([r["ratios_1"] for r in results])
        rv = np.concatenate([r["ratios_v"] for r in results])
        # the same comparisons as ratios lhs / rhs, through planted_upper so that a power analysis can plant an error
        errors["max lhs / rhs - 1 (one step and values)"] = max(0.0, float(max(r1.max(), rv.max())
                                                                         / planted_upper(1.0)) - 1.0)
        v = decide_exact(errors, {k: TOL for k in errors})
        v = v.with_evidence(**{"ratio_one_step_max": float(r1.max()), "ratio_value_max": float(rv.max()),
                           "ratio_value": rv.tolist(), "ratio_one_step": r1.tolist()})
        # attained case: a Dirac moved by k states with V linear: |gamma (V(i) - V(i+k))| = gamma L k = gamma L W_1
        V = np.arange(6.0)
        p, q = np.eye(6)[1], np.eye(6)[4]
        v = v.with_evidence(attained=abs(V @ p - V @ q) / (lipschitz_constant_line(V) * wasserstein1_line(p, q)))
        return v

    def evidence_lines(self, evidence):
        return super().evidence_lines(evidence) + [
            f"tightness: largest lhs/rhs {evidence['ratio_one_step_max']:.3f} (one step), "
            f"{evidence['ratio_value_max']:.3f} (values); the one-step bound is attained (ratio "
            f"{evidence['attained']:.3f}) by a Dirac moved along a linear V"]



CLAIM = ModelErrorLipschitz()
