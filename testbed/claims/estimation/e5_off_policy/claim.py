"""E5. Off-policy evaluation: inverse propensity scoring and doubly robust estimation (Horvitz & Thompson 1952;
Dudik, Langford, Li 2011, ICML).

Exact moments by enumerating every log of n <= 3 triples (x, a, r) on 3 contexts x 4 actions with Bernoulli rewards
(``tabular_envs.estimation.off_policy``):
1. IPS, (1/n) sum r pi(a|x)/mu(a|x), is unbiased when mu > 0 wherever pi > 0, and its variance is the one-sample
   variance over n (a second route, in closed form);
2. doubly robust, with a reward model q fixed before the log, is unbiased when mu is right, whatever q;
3. with a support failure (mu(a|x) = 0 for an action pi plays) IPS is biased: the bias is found (above 1e-6).
The DR variance against IPS's (q the true mean reward, and q random) is reported, not decided. Tolerance 1e-12 on
expectations, 1e-9 relative on the variance (enumeration sums up to 24^3 terms).
Traps (controls in test_e5.py): the propensities of the chosen and the target action swapped (mu/pi); clipped IPS
reported as unbiased (weights capped at 2); a reward model fitted on the same log (DR is then biased).
Not built: the inverse-gap-weighting inequality (Foster & Rakhlin 2020, Lemma 3; its constants are marked to confirm
in the catalogue and were not read).
"""
import numpy as np

from tabular_envs.estimation.off_policy import exact_moments, policy_value
from testbed.claim import Source
from testbed.declare import DeclaredClaim, Part, Unit

CONTEXTS, ACTIONS = 3, 4
P_X = (0.5, 0.3, 0.2)
SIZES_N = (1, 2, 3)
TOLERANCE = 1e-12
VARIANCE_TOLERANCE = 1e-9
_SIZES = {"quick": (1, 2), "standard": (3, 4), "full": (5, 8)}      # tasks, instances per task


class OffPolicyEvaluation(DeclaredClaim):
    id = "E5"
    family = "estimation"
    title = "Off-policy evaluation: IPS unbiased under support, DR unbiased for any fixed model; support failure biases"
    source = Source("Horvitz & Thompson; Dudik, Langford, Li", 2011, "A generalization of sampling without "
                    "replacement from a finite universe (1952); Doubly robust policy evaluation and learning (ICML "
                    "2011)", "IPS unbiasedness; DR Thm 1 (unbiased with correct propensities)")
    status = "confirmed"
    kind = ("exact", "falsification")
    no_bound = "unbiasedness identities (E[estimate] = V) and a variance identity: no inequality"
    statement = ("IPS (1/n) sum r pi(a|x)/mu(a|x) is unbiased when mu > 0 wherever pi > 0 and biased when support "
                 "fails; doubly robust is unbiased if mu is right, whatever the reward model.")
    parts = (Part("IPS and DR unbiased; IPS variance = one-sample variance / n", "exact", units="unbiased_units",
                  params={"tolerance": TOLERANCE}),
             Part("IPS variance by a second route (relative)", "exact", units="variance_units",
                  params={"tolerance": VARIANCE_TOLERANCE}),
             Part("a support failure biases IPS (found)", "exact", units="support_units", params={"tolerance": 0.0}))

    def tasks(self, fidelity, root_seed):
        n_tasks, per_task = _SIZES[fidelity]
        return self.batched_tasks(fidelity, root_seed, n_tasks, {"instances": per_task, "ips_kind": "ips",
                                                                  "dr_kind": "dr"})

    def run_task(self, task):
        rng = np.random.default_rng(task.seed)
        spec = task.spec
        px = np.array(P_X)
        rows, support_bias = [], []
        for _ in range(spec["instances"]):
            mu = rng.dirichlet(np.ones(ACTIONS) * 2, CONTEXTS)
            pi = rng.dirichlet(np.ones(ACTIONS), CONTEXTS)
            R = rng.uniform(0, 1, (CONTEXTS, ACTIONS))
            q = rng.uniform(0, 1, (CONTEXTS, ACTIONS))
            V = policy_value(px, pi, R)
            w = pi / mu
            one_sample_var = float(np.sum(px[:, None] * mu * w ** 2 * R)) - V ** 2
            for n in SIZES_N:
                e_ips, v_ips = exact_moments(px, mu, R, pi, n, spec["ips_kind"])
                e_dr, v_dr = exact_moments(px, mu, R, pi, n, spec["dr_kind"], q)
                _, v_dr_true = exact_moments(px, mu, R, pi, n, spec["dr_kind"], R)
                rows.append([n, abs(e_ips - V), abs(e_dr - V), abs(v_ips - one_sample_var / n) / (one_sample_var / n),
                             v_ips, v_dr, v_dr_true])
            # a support failure: mu never plays context 0's action pi likes most
            a0 = int(np.argmax(pi[0]))
            mu_bad = mu.copy()
            mu_bad[0, a0] = 0.0
            mu_bad[0] /= mu_bad[0].sum()
            e_bad, _ = exact_moments(px, mu_bad, R, pi, 1, "ips")
            support_bias.append(abs(e_bad - V))
        return {"rows": np.array(rows), "support_bias": np.array(support_bias)}

    def _rows(self, results):
        return np.concatenate([r["rows"] for r in results])

    def unbiased_units(self, tasks, results):
        rows = self._rows(results)
        return [Unit(f"n = {n}: max |E[IPS] - V|", rows[rows[:, 0] == n, 1], n=int((rows[:, 0] == n).sum()))
                for n in SIZES_N] + [
            Unit(f"n = {n}: max |E[DR] - V| (q random, fixed before the log)", rows[rows[:, 0] == n, 2],
                 n=int((rows[:, 0] == n).sum())) for n in SIZES_N]

    def variance_units(self, tasks, results):
        rows = self._rows(results)
        return [Unit("max |Var[IPS] (enumeration) - one-sample variance / n| / (variance / n)", rows[:, 3],
                     n=rows.shape[0])]

    def support_units(self, tasks, results):
        bias = np.concatenate([r["support_bias"] for r in results])
        return [Unit("no support failure found to bias IPS by more than 1e-6 (1 yes)", float(bias.max() <= 1e-6),
                     n=bias.size)]

    def extra_evidence(self, tasks, results, delta):
        rows = self._rows(results)
        return {"variance_ratio_dr_true_over_ips": float(np.median(rows[:, 6] / rows[:, 4])),
                "variance_ratio_dr_random_over_ips": float(np.median(rows[:, 5] / rows[:, 4])),
                "support_bias_max": float(max(r["support_bias"].max() for r in results))}

    def evidence_lines(self, evidence):
        return super().evidence_lines(evidence) + [
            f"reported: median Var[DR]/Var[IPS] = {evidence['variance_ratio_dr_true_over_ips']:.3g} with q the true "
            f"mean reward, {evidence['variance_ratio_dr_random_over_ips']:.3g} with q random; largest IPS bias under "
            f"a support failure {evidence['support_bias_max']:.3g}"]


CLAIM = OffPolicyEvaluation()
