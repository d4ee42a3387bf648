"""D13. Model-based generalization (Young et al. 2023; abstract, statement reconstructed).

Models consistent with the data give a set of optimal values contained in the set of values consistent with the
Bellman equation on the data, sometimes strictly. Reconstruction checked exactly by enumeration on a small factored
family: two binary state variables (S = 4), A = 2, deterministic factored dynamics (each variable's next value a
table of its own value and the action), a true factored model, and a random subset of its transitions as data.
- model-based set: V*(s0) of every FACTORED model reproducing the data (the structure generalises to unseen pairs);
- Bellman-consistent set: V*(s0) of every TABULAR model reproducing the data (unseen pairs unconstrained: exactly
  the Q* consistent with the Bellman equation on the data and some successor elsewhere);
checked: the model-based set is contained in the Bellman-consistent set, both contain the true V*(s0), and the
containment is strict on some instances (count reported).
"""
import numpy as np

from tabular_envs import TabularMDP, policy_iteration
from testbed.claim import Source
from testbed.declare import DeclaredClaim, Part, Unit

from .model import consistent_tabular_values, factored_consistent_values, factored_models, factored_next

N_VARS, A = 2, 2
_SIZES = {"quick": (4, 6), "standard": (20, 6), "full": (100, 6)}


class ModelBasedGeneralization(DeclaredClaim):
    id = "D13"
    family = "dp"
    title = (
        "Model-based generalization: factored-model values are a (sometimes strict) subset of Bellman-consistent ones"
    )
    source = Source(
        "Young et al.",
        2023,
        "The benefits of model-based generalization in reinforcement learning",
        "abstract (statement reconstructed)",
    )
    status = "unconfirmed"
    kind = ("exact",)
    statement = (
        "Models consistent with the data give a set of optimal values contained in the set of values consistent "
        "with the Bellman equation on the data, sometimes strictly. [reconstructed: factored family by "
        "enumeration]"
    )

    no_bound = ("a containment of two finite sets of values, found by enumeration; no expression to evaluate")
    parts = (Part("containment, by enumeration", "exact", units="containment_units", params={"tolerance": 0.0}),)

    def tasks(self, fidelity, root_seed):
        n_tasks, per_task = _SIZES[fidelity]
        return self.batched_tasks(fidelity, root_seed, n_tasks, {"instances": per_task})

    def run_task(self, task):
        rng = np.random.default_rng(task.seed)
        S = 2 ** N_VARS
        models = list(factored_models(N_VARS, A))
        not_contained, missing_true, strict, sizes = 0, 0, 0, []
        for _ in range(task.spec["instances"]):
            true = models[int(rng.integers(len(models)))]
            r = rng.choice([0.0, 0.5, 1.0], size=(S, A))
            gamma = 0.9
            pairs = [(s, a) for s in range(S) for a in range(A)]
            observed = [pairs[i] for i in rng.choice(len(pairs), size=int(rng.integers(2, 6)), replace=False)]
            known = {(s, a): factored_next(true, s, a, A) for s, a in observed}
            fac = factored_consistent_values(r, gamma, known, N_VARS, A)
            tab = consistent_tabular_values(r, gamma, known, S, A)
            P = np.zeros((S, A, S))
            for s in range(S):
                for a in range(A):
                    P[s, a, factored_next(true, s, a, A)] = 1
            v_true = round(float(policy_iteration(TabularMDP(P, r, gamma=gamma)).values[0]), 10)
            not_contained += len(fac - tab)
            missing_true += int(v_true not in fac) + int(v_true not in tab)
            strict += int(len(tab - fac) > 0)
            sizes.append((len(fac), len(tab)))
        return {"not_contained": np.array(not_contained), "missing_true": np.array(missing_true),
                "strict": np.array(strict), "sizes": np.array(sizes)}

    def containment_units(self, tasks, results):
        """The counts that must be zero: model-based values outside the Bellman-consistent set, the true V*(s0)
        missing from either set, and (0 or 1) no instance with strict containment."""
        def total(key):
            return float(sum(int(r[key]) for r in results))
        return [Unit("model-based values outside the Bellman-consistent set", total("not_contained")),
                Unit("true V*(s0) missing from a set", total("missing_true")),
                Unit("no instance with strict containment (0 or 1)", float(total("strict") == 0))]

    def extra_evidence(self, tasks, results, delta):
        sizes = np.concatenate([r["sizes"] for r in results])
        return {"strict": sum(int(r["strict"]) for r in results), "instances": int(sizes.shape[0]),
                "sizes": sizes.tolist()}

    def evidence_lines(self, evidence):
        s = np.array(evidence["sizes"])
        return super().evidence_lines(evidence) + [
            f"strict containment on {evidence['strict']} of {evidence['instances']} instances; distinct V*(s0) values: "
            f"model-based median {np.median(s[:, 0]):.0f}, Bellman-consistent median {np.median(s[:, 1]):.0f}"]


CLAIM = ModelBasedGeneralization()
