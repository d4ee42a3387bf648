"""Record where the claims evaluate the public bounds of ``proofs_check``: tests/data/bound_ranges.json.

    python tests/data/record_bound_ranges.py standard-confirm.sqlite   # about 15 minutes on one core

It decides the standard suite on the store (root seed 20261202) and runs and decides the quick suite here at seed 0
(in one process, so that the bounds the simulations evaluate are seen as well).

Every claim whose tasks are in the store is decided again (no simulation) with ``Bound.evaluate`` and
``Bound.numeric`` watched. For each (bound, claim) the file keeps the points that span the range the decision used:
the arguments at the smallest and the largest value of the bound, and at the smallest and the largest value of each
argument (array arguments are broadcast and taken element by element, so every point is one the claim really
evaluated). ``tests/test_bounds.py`` evaluates each public bound at these points against a 30-digit SymPy evaluation
of the same expression, and decides the committed quick store itself to add the quick points; this file carries the
standard ones, which CI cannot recompute. Rerun it when a claim's sweep changes (the test names what is missing).
"""
from __future__ import annotations

import argparse
import json
import sys
from contextlib import contextmanager
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[1]))

from proofs_check.bound import Bound  # noqa: E402

BOUND_RANGES = HERE / "bound_ranges.json"


class _Extremes:
    """The span of one (bound, claim): for the output and each scalar argument, the point at its minimum and at its
    maximum."""

    def __init__(self):
        self.points: dict[str, tuple[float, dict]] = {}

    def add(self, out, scalars: dict, vectors: dict) -> None:
        names = sorted(scalars)
        arrays = np.broadcast_arrays(np.asarray(out, dtype=np.float64), *[np.asarray(scalars[n], dtype=np.float64)
                                                                          for n in names])
        flat = [a.ravel() for a in arrays]
        if flat[0].size == 0:
            return
        vec = {k: [float(x) for x in np.asarray(v, dtype=np.float64)] for k, v in vectors.items()}
        for key, values in zip(["value", *names], flat, strict=True):
            finite = np.isfinite(values)
            if not finite.any():
                continue
            for side, pick in (("min", np.nanargmin), ("max", np.nanargmax)):
                i = int(pick(np.where(finite, values, np.nan)))
                v = float(values[i])
                slot = f"{key}:{side}"
                old = self.points.get(slot)
                if old is None or (v < old[0] if side == "min" else v > old[0]):
                    point = {n: float(f[i]) for n, f in zip(names, flat[1:], strict=True)}
                    self.points[slot] = (v, {**point, **vec})

    def unique_points(self) -> list[dict]:
        seen, out = set(), []
        for _, point in self.points.values():
            key = json.dumps(point, sort_keys=True)
            if key not in seen:
                seen.add(key)
                out.append(point)
        return out


_SEEN: dict[str, _Extremes] | None = None        # where the watched calls go while a claim is recorded


def _install() -> None:
    """Watch every ``Bound.evaluate`` call and every call of a function made by ``Bound.numeric``, from now on in
    this process. Installed when this module is imported, before any claim module is: a claim that builds its
    numeric function at import time (``_F = bound().numeric()``) is then watched too."""
    evaluate, numeric = Bound.evaluate, Bound.numeric
    if getattr(evaluate, "_watched", False):
        return

    def watched_evaluate(self, **values):
        out = evaluate(self, **values)
        if _SEEN is not None:
            vecs = {str(b.label) for b in self.vectors}
            _SEEN.setdefault(self.name, _Extremes()).add(out, {k: v for k, v in values.items() if k not in vecs},
                                                         {k: v for k, v in values.items() if k in vecs})
        return out

    def watched_numeric(self):
        fn = numeric(self)
        name = self.name

        def call(**values):
            out = fn(**values)
            if _SEEN is not None:
                _SEEN.setdefault(name, _Extremes()).add(out, values, {})
            return out
        return call

    watched_evaluate._watched = True
    Bound.evaluate, Bound.numeric = watched_evaluate, watched_numeric


_install()


@contextmanager
def watching_bounds():
    """Within the block, the watched calls are recorded into the yielded dict {bound name: _Extremes}."""
    global _SEEN
    seen: dict[str, _Extremes] = {}
    previous, _SEEN = _SEEN, seen
    try:
        yield seen
    finally:
        _SEEN = previous


def record(store_path, fidelity: str, seed: int, simulate: bool = False) -> dict[str, dict[str, list[dict]]]:
    """{bound name: {claim id: points}} from deciding every claim whose tasks at (fidelity, seed) are all in the
    store; with ``simulate``, every claim's tasks are also run here, in this process, so the bounds a simulation
    evaluates (outside Numba) are recorded too, and the store is not needed. Import this module before any claim
module (see :func:`_install`)."""
    from testbed.registry import all_claims
    from testbed.store import Store
    out: dict[str, dict[str, list[dict]]] = {}
    with Store(store_path, readonly=True) as store:
        for claim in all_claims():
            tasks = claim.tasks(fidelity, seed)
            with watching_bounds() as seen:
                claim.bound()
                if simulate:
                    results = [claim.run_task(t) for t in tasks]
                else:
                    done = store.finished_keys([t.key for t in tasks])
                    if any(t.key not in done for t in tasks):
                        print(f"{claim.id}: not all its tasks are in the store; skipped", file=sys.stderr)
                        continue
                    results = store.get_results(tasks)
                claim.decide(tasks, results)
            for name, ext in seen.items():
                out.setdefault(name, {})[claim.id] = ext.unique_points()
    return out


def merge(*found: dict) -> dict[str, dict[str, list[dict]]]:
    """The union of several recordings' points, per (bound, claim), without repeats."""
    out: dict[str, dict[str, list[dict]]] = {}
    for f in found:
        for name, per_claim in f.items():
            for cid, points in per_claim.items():
                have = out.setdefault(name, {}).setdefault(cid, [])
                keys = {json.dumps(p, sort_keys=True) for p in have}
                have.extend(p for p in points if json.dumps(p, sort_keys=True) not in keys)
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("store", help="a store holding the standard suite at --seed")
    ap.add_argument("--seed", type=int, default=20261202)
    args = ap.parse_args()
    found = merge(record(args.store, "standard", args.seed), record(args.store, "quick", 0, simulate=True))
    data = {"recorded_from": f"standard (decided on the store, seed {args.seed}) and quick (simulated and decided, "
                             "seed 0)", "bounds": found}
    BOUND_RANGES.write_text(json.dumps(data, indent=1, sort_keys=True) + "\n")
    print(f"{sum(len(v) for v in found.values())} (bound, claim) pairs over {len(found)} bounds -> {BOUND_RANGES}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
