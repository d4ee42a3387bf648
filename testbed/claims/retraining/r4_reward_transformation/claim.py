"""R4. Reward transformation and combination (Wang et al. 2024; abstract, formula recalled).

u(x, y) = log sigmoid(r(x, y) - r_ref(x)). Checked exactly:
1. symbolically (SymPy): sum_i u_i = log prod_i sigmoid(r_i - r_ref,i), the log-probability that independent
   Bradley-Terry judgements find y better than the reference in every property; du/dr = 1 - sigmoid(r - r_ref),
   which tends to 0 as r -> infinity (diminishing returns); u < 0;
2. on generated tabular problems (a prompt with a finite response set, two properties), the KL-regularised
   optimum pi* ~ pi0 exp(u/beta) attains beta log E_pi0 exp(u/beta), beats every sampled policy on
   E_pi u - beta KL(pi || pi0), and agrees with a numerical optimiser (SLSQP on the simplex) to 1e-6; the optimum of
   the transformed sum is compared with that of the raw sum r_1 + r_2 AT THE SAME KL BUDGET on the probability that
   both properties beat the reference (reported).
"""
import numpy as np
from scipy.optimize import brentq, minimize

from proofs_check import categorical_kl, kl_regularised_value, reward_transformation_steps
from testbed.claim import Claim, Source
from testbed.stats import decide_exact

from .model import kl_regularised_optimum

_SIZES = {"quick": (4, 25), "standard": (20, 25), "full": (100, 25)}


def sigmoid(z):
    return 1 / (1 + np.exp(-z))


class RewardTransformation(Claim):
    id = "R4"
    family = "retraining"
    title = "Reward transformation u = log sigmoid(r - r_ref): identities and the KL-regularised optimum"
    source = Source("Wang et al.", 2024, "Transforming and combining rewards for aligning large language models",
                    "abstract (formula recalled)")
    status = "unconfirmed"
    kind = ("exact",)
    check_type = "identity"   # algebra and bookkeeping: it catches code bugs, it tests no theorem
    statement = (
        "u = log sigmoid(r - r_ref); sum_i u_i = log prod_i sigmoid(r_i - r_ref,i) = log P(good in every property) "
        "under independent Bradley-Terry judgements; du/dr = 1 - sigmoid(r - r_ref) -> 0; u < 0; KL-regularised "
        "optimum pi* ~ pi0 exp(u/beta). [unconfirmed: recalled formula]"
    )

    def bound(self):
        return kl_regularised_value()

    def tasks(self, fidelity, root_seed):
        n_tasks, per_task = _SIZES[fidelity]
        return self.batched_tasks(fidelity, root_seed, n_tasks, {"problems": per_task})

    def run_task(self, task):
        rng = np.random.default_rng(task.seed)
        value_err, sampled, slsqp, neg, rows = 0.0, -np.inf, 0.0, -np.inf, []
        for _ in range(task.spec["problems"]):
            n = int(rng.integers(2, 8))
            pi0 = rng.dirichlet(np.ones(n))
            r = rng.normal(0, 2, (2, n))
            ref = rng.normal(0, 1, 2)
            beta = float(np.exp(rng.uniform(np.log(0.05), np.log(2))))
            u = np.log(sigmoid(r - ref[:, None])).sum(axis=0)
            neg = max(neg, float(u.max()))
            pi, val = kl_regularised_optimum(pi0, u, beta)
            closed = self.bound().evaluate(pi0=pi0, u=u, beta=beta)
            value_err = max(value_err, abs(val - closed))
            for _ in range(20):
                q = rng.dirichlet(np.ones(n) * 0.5)
                sampled = max(sampled, q @ u - beta * categorical_kl(q, pi0) - val)
            def objective(q, u=u, beta=beta, pi0=pi0):
                return -(q @ u - beta * categorical_kl(np.maximum(q, 1e-300), pi0))
            res = minimize(objective, pi0, method="SLSQP", bounds=[(0, 1)] * n, constraints=[
                {"type": "eq", "fun": lambda q: q.sum() - 1}], options={"ftol": 1e-15, "maxiter": 1000})
            slsqp = max(slsqp, abs(-res.fun - val))
            # the raw-sum optimum at the same KL budget (its beta found by root finding; KL decreases in beta)
            target = categorical_kl(pi, pi0)
            raw = r.sum(axis=0)

            def gap(log_beta, pi0=pi0, raw=raw, target=target):
                return categorical_kl(kl_regularised_optimum(pi0, raw, float(np.exp(log_beta)))[0], pi0) - target
            raw_pi = kl_regularised_optimum(pi0, r.sum(axis=0), float(np.exp(brentq(gap, -12, 12))))[0] \
                if gap(-12) > 0 > gap(12) else kl_regularised_optimum(pi0, r.sum(axis=0), beta)[0]
            both = sigmoid(r - ref[:, None]).prod(axis=0)
            rows.append((float(pi @ both), float(raw_pi @ both)))
        return {"value_err": np.array(value_err), "sampled": np.array(sampled), "numeric": np.array(slsqp),
                "u_max": np.array(neg), "both": np.array(rows)}

    def decide(self, tasks, results):
        errors = {f"{step.name}: {step.statement} fails (SymPy; 0 or 1)": 0.0 if step.passed else 1.0
                  for step in reward_transformation_steps()}
        errors["optimum value - beta log E_pi0 exp(u/beta)"] = max(float(r["value_err"]) for r in results)
        errors["a sampled policy beats the optimum (max excess)"] = max(0.0, max(float(r["sampled"]) for r in results))
        errors["|closed-form optimum - numerical optimiser|"] = max(float(r["numeric"]) for r in results)
        errors["max u (must be < 0)"] = max(0.0, max(float(r["u_max"]) for r in results))
        tol = {k: (0.0 if "(SymPy; 0 or 1)" in k else (1e-6 if "numerical" in k else 1e-10)) for k in errors}
        tol["max u (must be < 0)"] = 0.0
        v = decide_exact(errors, tol)
        both = np.concatenate([r["both"] for r in results])
        v = v.with_evidence(both_good={"transformed": both[:, 0].tolist(), "raw": both[:, 1].tolist(),
                                   "share_transformed_higher": float(np.mean(both[:, 0] >= both[:, 1] - 1e-12))})
        return v

    def evidence_lines(self, evidence):
        b = evidence["both_good"]
        return super().evidence_lines(evidence) + [
            f"P(both properties beat the reference) at equal KL(pi || pi0): transformed >= raw sum on "
            f"{100 * b['share_transformed_higher']:.0f}% of {len(b['raw'])} generated problems"]


CLAIM = RewardTransformation()
