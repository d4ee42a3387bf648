"""S2. Synchronous Q-learning and TD(0): the horizon exponent (Li, Cai, Chen, Wei, Chi 2021/2024).

One sample per (s, a) per iteration (``tabular_envs.rl.synchronous_q_learning``), eta_t = 1/(1 + (1 - gamma) t).
- Q-learning (Thm 2, tight by Thm 3): eps ~ (1 - gamma)^{-2} T^{-1/2} up to logs;
- TD (Thm 1, minimax): eps ~ (1 - gamma)^{-3/2} T^{-1/2}.
Checked, as the catalogue says, on the Azar, Munos, Kappen (2013) instance with two identical noisy actions
(Q-learning) and with one (TD), at T >= 100/(1 - gamma)^2: the slope of log E||Q_T - Q*||_inf against
log 1/(1 - gamma). These exponents are asymptotic and hide log factors and the unspecified constant of the
learning rate, so they are decided with a tolerance of 0.2 fixed before any run: TD's slope below 3/2 + 0.2, and
Q-learning's slope at least 2 - 0.2 (which also puts it above TD's). Linearised t intervals over the
replications, Bonferroni over the two units. [Catalogue, simulated: T = 2^18, 400 replications, gamma in {0.8,
0.9, 0.95, 0.975}: 1.54 (TD), 2.09 (Q-learning).]
Trap: Q-learning looks minimax (slope 3/2) when one measures V of the greedy policy or uses a single action.
"""
import numpy as np

from tabular_envs import azar_hard_instance, policy_evaluation
from tabular_envs.rl.qlearning import synchronous_q_learning
from testbed.claim import Source
from testbed.declare import DeclaredClaim, Part, Unit

TOLERANCE = 0.2
TD_EXPONENT, Q_EXPONENT = 1.5, 2.0
_SWEEP = {"quick": ((0.8, 0.9, 0.95), 2 ** 16, 300), "standard": ((0.8, 0.9, 0.95, 0.975), 2 ** 18, 400),
          "full": ((0.8, 0.9, 0.95, 0.975), 2 ** 20, 1000)}
_ACTIONS = {"td": 1, "q_learning": 2}


class HorizonExponent(DeclaredClaim):
    id = "S2"
    family = "sample_complexity"
    title = "Synchronous Q-learning's error grows like (1-gamma)^-2, TD's like (1-gamma)^-3/2"
    source = Source("Li, Cai, Chen, Wei, Chi", 2021, "Is Q-learning minimax optimal? A tight sample complexity "
                    "analysis", "Thms 1, 2, 3")
    status = "confirmed"
    kind = ("rate",)
    no_bound = "the exponents are asymptotic rates with unspecified constants; decided as slopes with a tolerance"
    statement = ("Synchronous Q-learning with a rescaled linear rate needs T ~ (1-gamma)^-4 eps^-2 iterations (tight); "
                 "TD needs (1-gamma)^-3 eps^-2 (minimax): eps ~ (1-gamma)^-2 T^-1/2 against (1-gamma)^-3/2 T^-1/2.")
    parts = (Part("TD exponent", "slope_below", units="td_units", share=0.5,
                  params={"threshold": TD_EXPONENT + TOLERANCE}),
             Part("Q-learning exponent", "slope_above", units="q_learning_units", share=0.5,
                  params={"threshold": Q_EXPONENT - TOLERANCE}))

    def tasks(self, fidelity, root_seed):
        gammas, T, reps = _SWEEP[fidelity]
        return [self.make_task(f"{algo}/gamma{g}", {"algorithm": algo, "gamma": g, "T": T, "reps": reps}, fidelity,
                               root_seed, f"gamma{g}") for algo in _ACTIONS for g in gammas]

    def run_task(self, task):
        g, T = task.spec["gamma"], task.spec["T"]
        mdp = azar_hard_instance(g, _ACTIONS[task.spec["algorithm"]])
        v = policy_evaluation(mdp, np.zeros(3, dtype=np.int64))
        q_star = mdp.r + g * mdp.P @ v                     # all actions are identical: Q* = Q^pi for any pi
        policy = np.zeros(3, dtype=np.int64) if task.spec["algorithm"] == "td" else None
        err, _ = synchronous_q_learning(mdp.P, mdp.r, g, T, q_star, schedule="rescaled_linear", param=1.0,
                                        policy=policy, seed=task.seed, n_replications=task.spec["reps"])
        return {"error": err[:, -1], "gamma": np.array(g)}

    def _columns(self, tasks, results, algorithm):
        """(replications x gammas errors, 1/(1 - gamma)) of one algorithm, in increasing gamma."""
        runs = sorted((float(r["gamma"]), r["error"]) for t, r in zip(tasks, results, strict=True)
                      if t.spec["algorithm"] == algorithm)
        return np.column_stack([e for _, e in runs]), np.array([1 / (1 - g) for g, _ in runs])

    def td_units(self, tasks, results):
        samples, x = self._columns(tasks, results, "td")
        return [Unit("TD(0), one action: slope in 1/(1 - gamma)", samples, x=x)]

    def q_learning_units(self, tasks, results):
        samples, x = self._columns(tasks, results, "q_learning")
        return [Unit("Q-learning, two identical actions: slope in 1/(1 - gamma)", samples, x=x)]

    def extra_evidence(self, tasks, results, delta):
        cols = {a: self._columns(tasks, results, a) for a in dict.fromkeys(t.spec["algorithm"] for t in tasks)}
        return {"curves": [{"algorithm": a, "x": x.tolist(), "mean": e.mean(0).tolist(), "sd": e.std(0).tolist()}
                           for a, (e, x) in cols.items()]}


CLAIM = HorizonExponent()
