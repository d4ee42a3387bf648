"""B10's wrong-algorithm control: OFUL with a sign bug (it maximises <a, -theta*>, i.e. it is fed the negated
rewards) on the claim's quick instances and seeds, decided at the suite's delta. Its true regret is
T (max_a <a, theta*> - min_a <a, theta*>) minus its regret on the negated problem, linear in T; the share of runs
within Theorem 19.2's bound must fall below 1 - delta. The elliptical potential lemma still holds (it does not
depend on the rewards), so the control also shows that the coverage part, not the lemma, carries the verdict."""
from testbed.controls import decide_control

from .claim import ALG_DELTA, CLAIM, LAMBDA, instance, searched_instance
from .model import simulate_oful


def _sign_bug(task):
    s = task.spec
    # the search task: the instance the claim's (correct) search finds, played by the bugged algorithm
    found = CLAIM.run_task(task) if "search" in s else None
    A, theta = searched_instance(found) if found is not None else instance(s["instance"])
    res = simulate_oful(A, -theta, s["T"], s["n"], task.seed, lam=LAMBDA, delta=ALG_DELTA,
                        first_replication=s.get("first", 0), parallel=False)
    spread = float((A @ theta).max() - (A @ theta).min())
    out = {"regret": s["T"] * spread - res.regret[:, -1], "potential": res.potential[:, -1]}
    return {**found, **out} if found is not None else out


def test_oful_with_a_sign_bug_is_violated():
    v = decide_control("B10", results=_sign_bug)
    assert v.verdict == "violated"
    parts = {p["name"]: p["verdict"] for p in v.evidence["parts"]}
    assert parts == {"elliptical potential lemma": "holds", "coverage": "violated"}
    assert any(r["within_bound"] / r["runs"] < 0.5 for r in v.evidence["rows"])

