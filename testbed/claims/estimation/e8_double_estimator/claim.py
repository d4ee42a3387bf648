"""E8. Maximisation bias and the double estimator (van Hasselt 2010, NeurIPS, Sec. 2; Sutton & Barto 2018, Ex. 6.7).

For K actions of equal value and n samples each (Gaussian, standard deviation sigma), E[max_a Qhat_a] - max_a Q_a =
sigma e_K / sqrt(n) > 0, e_K the expected maximum of K standard normals; the double estimator (select with one
sample set, evaluate with an independent one) is at most the truth. Checked by quadrature
(``tabular_envs.estimation.double_estimator``), no sampling:
1. e_K by the density of the maximum against e_2 = 1/sqrt(pi), e_3 = 3/(2 sqrt(pi)) and against a second quadrature
   route (the CDF form of E[max]) for K in {2, ..., 10};
2. at equal values the single estimator's bias equals sigma e_K / sqrt(n) (``proofs_check.maximisation_bias``), for
   K in {2, 4, 10}, n in {1, 4, 16}, sigma in {0.5, 1};
3. on random means (K in 2..6) the single estimator is >= and the double estimator <= max_a mu_a.
Tolerance 1e-9 (quadrature to 1e-13).
4. on Sutton and Barto's left-right MDP (Example 6.7: 10 actions at B, rewards N(-0.1, 1), epsilon = 0.1,
   alpha = 0.1; ``tabular_envs.estimation.left_right``), over independent runs: double Q-learning picks left with
   probability at most epsilon/2 + a = 0.1 at episodes 200 and 300 (epsilon/2 is the epsilon-greedy optimum;
   a = 0.05 declared before the first simulation), and Q-learning's bias propagates: it picks left with probability
   at least 1/2 at episode 20 (threshold and episode chosen after seeing one development seed's curves, decided on
   other seeds). One-sided Clopper-Pearson, each part at half the claim's delta. These two parts are "conformance":
   a textbook example's behaviour, not a theorem's constant.
Traps (controls in test_e8.py): "double" Q-learning that selects and evaluates with the same table (the single
estimator): above the truth, and on the left-right MDP still picking left at episode 300 (about 0.86); Q-learning
labelled double (left about 0.15 at episode 200); double Q-learning labelled Q-learning (left about 0.3 at
episode 20).
"""
import numpy as np

from proofs_check import maximisation_bias
from tabular_envs.estimation.double_estimator import (
    double_estimator,
    expected_max_by_cdf,
    expected_max_standard_normals,
    single_estimator,
)
from tabular_envs.estimation.left_right import left_right_left_frequency
from testbed.claim import Source
from testbed.declare import DeclaredClaim, Part, Unit

TOLERANCE = 1e-9
GRID = [(K, n, s) for K in (2, 4, 10) for n in (1, 4, 16) for s in (0.5, 1.0)]
_SIZES = {"quick": 5, "standard": 40, "full": 100}
_RUNS = {"quick": 2000, "standard": 10000, "full": 20000}
EPISODES = 300
LATE_EPISODES = (200, 300)
EARLY_EPISODE = 20


class DoubleEstimator(DeclaredClaim):
    id = "E8"
    family = "estimation"
    title = "Maximisation bias sigma e_K / sqrt(n) of the single estimator; the double estimator and double Q-learning"
    source = Source("van Hasselt", 2010, "Double Q-learning (NeurIPS); Sutton & Barto (2018), Example 6.7",
                    "Sec. 2 (single and double estimators); Alg. 1 (double Q-learning)")
    status = "confirmed"
    kind = ("exact", "falsification", "statistical")
    statement = ("For K actions of equal value and n samples each, E[max_a Qhat_a] - max_a Q_a = sigma e_K/sqrt(n) "
                 "> 0; the double estimator is <= the truth. In Q-learning the bias propagates (Sutton & Barto's "
                 "left-right MDP: left is preferred early); double Q-learning removes it.")
    parts = (Part("e_K two ways and the closed forms; the bias sigma e_K / sqrt(n)", "exact", units="bias_units",
                  params={"tolerance": TOLERANCE}),
             Part("single >= truth >= double on random means", "exact", units="order_units",
                  params={"tolerance": TOLERANCE}),
             Part("double Q-learning: P(left) <= epsilon/2 + 0.05 at episodes 200, 300", "proportion_at_least",
                  units="double_q_units", share=0.5, role="conformance", params={"at_least": 0.9}),
             Part("Q-learning: P(left) >= 1/2 at episode 20 (the bias propagates)", "proportion_at_least",
                  units="q_learning_units", share=0.5, role="conformance", params={"at_least": 0.5}))

    def bound(self):
        return maximisation_bias()

    def tasks(self, fidelity, root_seed):
        return [self.make_task("means", {"instances": _SIZES[fidelity], "same_table": False}, fidelity, root_seed,
                               "means")] + [
            self.make_task(name, {"method": method, "runs": _RUNS[fidelity], "episodes": EPISODES}, fidelity,
                           root_seed, name) for name, method in (("left_right_double", "double"),
                                                                 ("left_right_q", "q_learning"))]

    def run_task(self, task):
        if task.unit.startswith("left_right"):
            left = left_right_left_frequency(task.spec["runs"], task.spec["episodes"], task.seed,
                                             method=task.spec["method"])
            return {"left": left, "left_frequency": left.mean(axis=0)}
        rng = np.random.default_rng(task.seed)
        same = task.spec["same_table"]
        eK = np.array([expected_max_standard_normals(K) for K in range(2, 11)])
        eK_cdf = np.array([expected_max_by_cdf(np.zeros(K), 1.0, 1) for K in range(2, 11)])
        bias = np.array([single_estimator(np.zeros(K), s, n) for K, n, s in GRID])
        double_equal = np.array([double_estimator(np.zeros(K), s, n, same) for K, n, s in GRID])
        single_excess, double_excess = [], []
        for _ in range(task.spec["instances"]):
            K = int(rng.integers(2, 7))
            means = rng.normal(0, 1, K)
            sigma, n = float(rng.uniform(0.2, 2.0)), int(rng.integers(1, 10))
            single_excess.append(means.max() - single_estimator(means, sigma, n))
            double_excess.append(double_estimator(means, sigma, n, same) - means.max())
        return {"eK": eK, "eK_cdf": eK_cdf, "bias": bias, "double_equal": double_equal,
                "single_shortfall": np.array(single_excess), "double_excess": np.array(double_excess)}

    @staticmethod
    def _result(tasks, results, unit):
        return next(r for t, r in zip(tasks, results, strict=True) if t.unit == unit)

    def double_q_units(self, tasks, results):
        left = self._result(tasks, results, "left_right_double")["left"]
        return [Unit(f"double Q-learning, episode {e}: right at A", 1 - left[:, e - 1], info={"name": f"episode {e}"})
                for e in LATE_EPISODES]

    def q_learning_units(self, tasks, results):
        left = self._result(tasks, results, "left_right_q")["left"]
        return [Unit(f"Q-learning, episode {EARLY_EPISODE}: left at A", left[:, EARLY_EPISODE - 1],
                     info={"name": f"episode {EARLY_EPISODE}"})]

    def bias_units(self, tasks, results):
        r = self._result(tasks, results, "means")
        K, n, s = (np.array([g[i] for g in GRID], dtype=float) for i in range(3))
        eK = r["eK"][K.astype(int) - 2]
        formula = maximisation_bias().evaluate(sigma=s, e_K=eK, n=n)
        return [Unit("|e_2 - 1/sqrt(pi)|, |e_3 - 3/(2 sqrt(pi))|",
                     np.abs(r["eK"][:2] - np.array([1, 1.5]) / np.sqrt(np.pi)), n=2),
                Unit("|e_K (density) - e_K (CDF route)|, K = 2..10", np.abs(r["eK"] - r["eK_cdf"]), n=9),
                Unit("|E[max Qhat] - sigma e_K / sqrt(n)| at equal values", np.abs(r["bias"] - formula), n=len(GRID))]

    def order_units(self, tasks, results):
        r = self._result(tasks, results, "means")
        n = r["double_excess"].size + len(GRID)
        return [Unit("max_a mu_a - E[max Qhat] (single below the truth)", np.maximum(r["single_shortfall"], 0.0),
                     n=r["single_shortfall"].size),
                Unit("E[double] - max_a mu_a (double above the truth)",
                     np.maximum(np.concatenate([r["double_excess"], r["double_equal"]]), 0.0), n=n)]

    def extra_evidence(self, tasks, results, delta):
        r = self._result(tasks, results, "means")
        return {"K": list(range(2, 11)), "eK": r["eK"].tolist(),
                "left_frequency": {name: self._result(tasks, results, f"left_right_{name}")["left_frequency"].tolist()
                                   for name in ("q", "double")}}

    def evidence_lines(self, evidence):
        return super().evidence_lines(evidence) + [
            "e_K: " + ", ".join(f"K = {k}: {e:.6f}" for k, e in zip(evidence["K"], evidence["eK"], strict=True))]


CLAIM = DoubleEstimator()
