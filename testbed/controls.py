"""Wrong-algorithm controls: a claim's own procedure, on the claim's own tasks (instances, horizons, seeds), re-decided
after a change to what is simulated, at the false-alarm level a suite run gives the claim.

A control is the other half of a verdict: the procedure that says `holds` for the correct algorithm must say
`violated` for a wrong one, at the same level. Each claim's test declares its controls with ``decide_control``::

    v = decide_control("B9", change=coarse_grid, keep=lambda t: True)
    assert v.verdict == "violated"
"""
from __future__ import annotations

import dataclasses
from typing import Callable

from testbed.claim import Task
from testbed.registry import SUITE_FALSE_ALARM_BUDGET, all_claims, get_claim
from testbed.runner import claim_deltas
from testbed.stats import Verdict


def suite_delta(claim_id: str, budget: float = SUITE_FALSE_ALARM_BUDGET) -> float:
    """The level a suite run over every registered claim with ``budget`` gives ``claim_id`` (Bonferroni share)."""
    return claim_deltas(all_claims(), budget)[claim_id]


def decide_at_suite_delta(claim, tasks: list[Task], results: list[dict], delta: float | None = None) -> Verdict:
    """``claim.decide_at(tasks, results, delta=...)`` at ``delta`` (default: the suite's share for the claim)."""
    return claim.decide_at(tasks, results, delta=float(suite_delta(claim.id) if delta is None else delta))


def decide_control(claim_id: str, change: Callable[[dict], dict] | None = None,
                   keep: Callable[[Task], bool] = lambda t: True, *, fidelity: str = "quick", root_seed: int = 0,
                   results: Callable[[Task], dict] | None = None, delta: float | None = None) -> Verdict:
    """The claim's verdict on its ``fidelity`` tasks kept by ``keep``, each rewritten by ``change(spec)`` (the seed
    stays, so the reward tapes are the claim's own) and run by the claim's ``run_task``, or by ``results(task)`` for a
    wrong algorithm the project's simulators do not have. Decided at ``delta`` (default: the suite's share)."""
    claim = get_claim(claim_id)
    tasks = [t for t in claim.tasks(fidelity, root_seed) if keep(t)]
    if change is not None:
        tasks = [dataclasses.replace(t, spec=change(dict(t.spec))) for t in tasks]
    run = results or claim.run_task
    return decide_at_suite_delta(claim, tasks, [run(t) for t in tasks], delta)


def with_spec(**fields) -> Callable[[dict], dict]:
    """A ``change`` that overwrites spec fields."""
    def change(spec: dict) -> dict:
        spec.update(fields)
        return spec
    return change
