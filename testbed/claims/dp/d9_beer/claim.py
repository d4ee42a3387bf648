"""D9. The representation bound of BEER (He et al. 2024): a Cauchy-Schwarz bound on cos(phi, phibar).

If a linear Q = phi^T w satisfies the Bellman evaluation equation, phibar = E[phi(s', a')]:
cos(phi, phibar) <= (||phi||^2 + gamma^2 ||phibar||^2 - r^2/||w||^2) / (2 gamma ||phi|| ||phibar||), with equality
iff phi - gamma phibar is parallel to w. Checked exactly on generated MDPs, policies and features (rewards chosen so
that the Bellman equation holds): the bound at every (s, a); equality when d = 1 (everything is parallel); and,
as a falsification case, a Hypothesis search for an instance violating the bound once the Bellman equation is
broken (rewards perturbed), smallest shown.
"""
import numpy as np
from hypothesis import strategies as st

from proofs_check import beer_cosine_he2024
from tabular_envs import garnet
from tabular_envs.strategies import deterministic_find
from testbed.claim import Claim, Source
from testbed.stats import decide_exact

from .model import beer_cosine_bound, cosines, linear_bellman_instance

TOL = 1e-10
_SIZES = {"quick": (4, 40, 800), "standard": (20, 50, 3000), "full": (100, 50, 10000)}


def instance(rng, d=None):
    S, A = int(rng.integers(1, 7)), int(rng.integers(1, 4))
    d = int(rng.integers(1, 6)) if d is None else d
    mdp = garnet(S, A, None if rng.random() < 0.5 else min(2, S), gamma=float(rng.uniform(0.1, 0.99)), rng=rng)
    pi = rng.dirichlet(np.ones(A), size=S)
    phi = rng.normal(size=(S, A, d))
    w = rng.normal(size=d)
    r, _, phibar = linear_bellman_instance(mdp, pi, phi, w)
    return mdp, phi, phibar, r, w


@st.composite
def broken(draw):
    seed = draw(st.integers(0, 2 ** 20))
    noise = draw(st.floats(-2, 2))
    return seed, noise


def violates(case) -> bool:
    seed, noise = case
    mdp, phi, phibar, r, w = instance(np.random.default_rng(seed))
    r = r + noise
    return bool(np.any(cosines(phi, phibar) > beer_cosine_bound(phi, phibar, r, w, mdp.gamma) + 1e-9))


class BeerBound(Claim):
    id = "D9"
    family = "dp"
    title = "BEER: Cauchy-Schwarz bound on cos(phi, phibar) for linear Q satisfying the Bellman equation"
    source = Source("He et al.", 2024, "Adaptive regularization of representation rank as an implicit constraint of "
                    "Bellman equation (BEER; code)", "the cosine bound")
    status = "confirmed"
    kind = ("upper_bound", "exact", "falsification")
    statement = (
        "For Q = phi^T w satisfying the Bellman evaluation equation, phibar = E[phi(s',a')]: cos(phi, phibar) <= "
        "(||phi||^2 + gamma^2 ||phibar||^2 - r^2/||w||^2)/(2 gamma ||phi|| ||phibar||), equality iff "
        "phi - gamma phibar || w. Falsification: the bound can fail when the Bellman equation is violated."
    )

    def bound(self):
        return beer_cosine_he2024()

    def tasks(self, fidelity, root_seed):
        n_tasks, per_task, search = _SIZES[fidelity]
        return self.batched_tasks(fidelity, root_seed, n_tasks, {"instances": per_task}) + [
            self.make_task("search", {"search": search}, fidelity, root_seed, stream="search")]

    def run_task(self, task):
        if "search" in task.spec:
            found = deterministic_find(broken(), violates, task.spec["search"])
            if found is None:
                return {"found": np.array(0)}
            seed, noise = found
            mdp, phi, phibar, r, w = instance(np.random.default_rng(seed))
            excess = cosines(phi, phibar) - beer_cosine_bound(phi, phibar, r + noise, w, mdp.gamma)
            return {"found": np.array(1), "seed": np.array(seed), "noise": np.array(noise),
                    "excess": np.array(float(excess.max())), "shape": np.array(phi.shape)}
        rng = np.random.default_rng(task.seed)
        excess, eq_gap, cos_min = -np.inf, 0.0, 1.0
        for _ in range(task.spec["instances"]):
            mdp, phi, phibar, r, w = instance(rng)
            bound = beer_cosine_bound(phi, phibar, r, w, mdp.gamma)
            c = cosines(phi, phibar)
            excess = max(excess, float(np.max(c - bound)))
            cos_min = min(cos_min, float(c.min()))
            mdp, phi, phibar, r, w = instance(rng, d=1)
            eq_gap = max(eq_gap, float(np.max(np.abs(cosines(phi, phibar) -
                                                     beer_cosine_bound(phi, phibar, r, w, mdp.gamma)))))
        return {"excess": np.array(excess), "equality_gap": np.array(eq_gap)}

    def decide(self, tasks, results):
        gen = [r for t, r in zip(tasks, results, strict=True) if "instances" in t.spec]
        errors = {"max cos(phi, phibar) - bound over all (s, a)": max(0.0, max(float(r["excess"]) for r in gen)),
                  "d = 1 (phi - gamma phibar parallel to w): max |cos - bound|": max(float(r["equality_gap"])
                                                                                    for r in gen)}
        search = [r for t, r in zip(tasks, results, strict=True) if "search" in t.spec]
        if search:
            errors["Bellman equation broken: no violation found (0 or 1)"] = float(int(search[0]["found"]) == 0)
        v = decide_exact(errors, {k: (0.0 if "(0 or 1)" in k else TOL) for k in errors})
        if search and int(search[0]["found"]):
            s = search[0]
            v = v.with_evidence(counterexample={"seed": int(s["seed"]), "noise": float(s["noise"]),
                                            "excess": float(s["excess"]), "shape": s["shape"].tolist()})
        return v

    def evidence_lines(self, evidence):
        lines = super().evidence_lines(evidence)
        c = evidence.get("counterexample")
        if c:
            lines.append(
                f"smallest violation once the Bellman equation is broken: reward shift {c['noise']:.4g} on the "
                f"instance with seed {c['seed']} (phi of shape {c['shape']}): cos exceeds the bound by "
                f"{c['excess']:.4g}"
            )
        return lines



CLAIM = BeerBound()
