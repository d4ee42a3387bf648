"""Property-test your own algorithm (the third user task).

    from testbed.check import check, assert_check
    report = check(MyPolicy)                  # or an operator (mdp, V), a planner (mdp), a distributional operator
    print(report.summary())
    assert_check(my_operator, properties=["contraction"])   # inside a pytest test

and from the shell ``testbed check my_module:MyPolicy [--property NAME ...] [--budget quick|standard] [--json]``.
A failed exact property writes its shrunk counterexample to ``testbed-counterexamples/`` with a one-line command
that replays it; a failed statistical property reports the instance and the interval that decided it.
"""
from __future__ import annotations

import json
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

from ..errors import ProtocolError
from ..stats import HOLDS, VIOLATED
from .bandit_properties import BANDIT_PROPERTIES
from .operator_properties import DISTRIBUTIONAL_PROPERTIES, OPERATOR_PROPERTIES, PLANNER_PROPERTIES
from .protocols import BanditAdapter, infer_kind, load_object

__all__ = ["check", "assert_check", "CheckReport", "PropertyResult", "properties_for", "replay"]

BUDGETS = ("quick", "standard")
_EXACT = {"operator": OPERATOR_PROPERTIES, "planner": PLANNER_PROPERTIES, "distributional": DISTRIBUTIONAL_PROPERTIES}
_EXAMPLES = {"quick": 150, "standard": 600}
# distributional inputs are cheap and the failures of non-contracting operators sit on ties, which are rare
_EXAMPLE_FACTOR = {"operator": 1, "planner": 1, "distributional": 20}
DEFAULT_DELTA = 0.01


@dataclass
class PropertyResult:
    name: str
    verdict: str
    detail: str
    counterexample: dict | None = None
    counterexample_file: str | None = None
    replay: str | None = None
    seconds: float = 0.0


@dataclass
class CheckReport:
    target: str
    kind: str
    budget: str
    delta: float
    results: list[PropertyResult] = field(default_factory=list)

    @property
    def passed(self) -> bool:
        return all(r.verdict != VIOLATED for r in self.results)

    def summary(self) -> str:
        lines = [f"{self.target} ({self.kind}, budget {self.budget}, false-alarm budget {self.delta} for the "
                 "statistical properties, Bonferroni across them)"]
        for r in self.results:
            lines.append(f"  {r.verdict:12} {r.name}: {r.detail}")
            if r.counterexample is not None:
                text = json.dumps(r.counterexample, separators=(",", ":"))
                lines.append(f"               input: {text if len(text) <= 600 else text[:600] + ' ...'}")
            if r.counterexample_file:
                lines.append(
                    f"               counterexample: {r.counterexample_file}\n               replay: {r.replay}"
                )
        return "\n".join(lines)

    def markdown(self) -> str:
        out = [f"# testbed check: {self.target}", "", f"Kind: {self.kind}; budget: {self.budget}; statistical "
               f"properties at false-alarm budget {self.delta} (Bonferroni across them).", "",
               "| property | verdict | detail |", "|---|---|---|"]
        out += [f"| {r.name} | **{r.verdict}** | {r.detail} |" for r in self.results]
        for r in self.results:
            if r.counterexample is not None:
                out += [
                    "",
                    f"## Counterexample: {r.name}",
                    "",
                    "```json",
                    json.dumps(r.counterexample, indent=1),
                    "```",
                ]
                if r.replay:
                    out += ["", f"Replay: `{r.replay}`"]
        return "\n".join(out) + "\n"

    def to_dict(self) -> dict:
        return {"target": self.target, "kind": self.kind, "budget": self.budget, "delta": self.delta,
                "passed": self.passed, "results": [asdict(r) for r in self.results]}


def properties_for(kind: str) -> list[str]:
    return list(BANDIT_PROPERTIES) if kind == "bandit" else list(_EXACT[kind])


def _name(obj) -> str:
    return getattr(obj, "__qualname__", None) or getattr(obj, "__name__", None) or type(obj).__name__


def check(obj, properties=None, budget: str = "quick", *, kind: str | None = None, delta: float = DEFAULT_DELTA,
          seed: int = 0, out_dir: str | Path = "testbed-counterexamples", target: str | None = None) -> CheckReport:
    """Run the properties of the object's protocol; ``obj`` may be the object or 'module:attr'."""
    if isinstance(obj, str):
        target = target or obj
        obj = load_object(obj)
    if budget not in BUDGETS:
        raise ProtocolError(f"unknown budget {budget!r}; choose one of {', '.join(BUDGETS)}")
    kind = kind or infer_kind(obj)
    available = properties_for(kind)
    chosen = list(properties) if properties else available
    for p in chosen:
        if p not in available:
            article = "an" if kind[0] in "aeiou" else "a"
            raise ProtocolError(f"property {p!r} does not apply to {article} {kind}; its properties are "
                                f"{', '.join(available)}")
    report = CheckReport(target or _name(obj), kind, budget, delta)
    adapter = BanditAdapter(obj) if kind == "bandit" else None
    for p in chosen:
        t0 = time.perf_counter()
        if kind == "bandit":
            verdict, detail, example = BANDIT_PROPERTIES[p](adapter, budget, delta, seed)
            res = PropertyResult(p, verdict, detail, example)
        else:
            prop = _EXACT[kind][p]
            n_examples = _EXAMPLES[budget] * _EXAMPLE_FACTOR[kind]
            found = prop.search(obj, n_examples)
            if found is None:
                res = PropertyResult(
                    p, HOLDS, f"{prop.description}: no counterexample in {n_examples} generated inputs"
                )
            else:
                example = prop.to_json(found)
                res = PropertyResult(p, VIOLATED, f"{prop.description}: fails on a shrunk input", example)
                res.counterexample_file, res.replay = _write_counterexample(report, p, example, out_dir)
        res.seconds = time.perf_counter() - t0
        report.results.append(res)
    return report


def _write_counterexample(report: CheckReport, prop: str, example: dict, out_dir) -> tuple[str, str]:
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    safe = "".join(ch if ch.isalnum() or ch in "._-" else "_" for ch in report.target)
    path = out / f"{safe}.{prop}.json"
    path.write_text(json.dumps({"target": report.target, "kind": report.kind, "property": prop, "input": example},
                               indent=1))
    return str(path), f"testbed check {report.target} --replay {path}"


def replay(obj, path, kind: str | None = None) -> PropertyResult:
    """Re-run the property of a counterexample file on its stored input."""
    data = json.loads(Path(path).read_text())
    if isinstance(obj, str):
        obj = load_object(obj)
    kind = kind or data.get("kind") or infer_kind(obj)
    if kind not in _EXACT or data["property"] not in _EXACT[kind]:
        raise ProtocolError(f"{path} holds a {data.get('kind')} / {data.get('property')} counterexample that cannot "
                            "be replayed on this object")
    prop = _EXACT[kind][data["property"]]
    fails = prop.fails(obj, prop.from_json(data["input"]))
    return PropertyResult(prop.name, VIOLATED if fails else HOLDS,
                          f"{prop.description}: {'still fails' if fails else 'passes now'} on the stored input")


def assert_check(obj, properties=None, budget: str = "quick", **kwargs) -> CheckReport:
    """For a user's pytest suite: raise AssertionError with the summary when a property is violated."""
    report = check(obj, properties, budget, **kwargs)
    if not report.passed:
        raise AssertionError(report.summary())
    return report
