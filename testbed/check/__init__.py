"""Property-test your own algorithm (the third user task).

    from testbed.check import check, assert_check
    report = check(MyPolicy)                  # or an operator (mdp, V), a planner (mdp), a distributional operator,
                                              # a sampler, an advantage or off-policy estimator, an episodic agent
    print(report.summary())
    assert_check(my_operator, properties=["contraction"])   # inside a pytest test

and from the shell ``testbed check my_module:MyPolicy [--property NAME ...] [--budget quick|standard] [--json]``.
A failed exact property writes its shrunk counterexample to ``testbed-counterexamples/`` with a one-line command
that replays it; a failed statistical property reports the instance and the interval that decided it.

Each property runs in a child process of its own with a time limit (``timeout`` seconds, 300 by default), so an
object that never returns, raises or crashes the interpreter costs that property only; the outcome of every
property is reported:

=============  ======================================================================  =========
outcome        meaning                                                                 exit code
=============  ======================================================================  =========
holds          no violation (exact: no counterexample in N inputs; statistical: the    0
               confidence bound excludes a violation)
inconclusive   statistical, not enough evidence either way                              0
violated       the property fails (a counterexample or a confidence bound)             1
error          could not evaluate: the object raised, returned an invalid output or    3
               crashed (the message is the exception's one line)
timeout        the property did not finish within the time limit                       4
=============  ======================================================================  =========

The exit code is that of the worst outcome (violated > error > timeout > holds); 2 is a usage error (an object that
fits no protocol, a module that does not import, a property that does not apply, a malformed replay file).
"""
from __future__ import annotations

import hashlib
import json
import multiprocessing as mp
import numbers
import time
import traceback
from dataclasses import asdict, dataclass, field
from functools import partial
from pathlib import Path

from ..errors import ProtocolError
from ..escaping import markdown_escape
from ..stats import HOLDS, VIOLATED
from .agent_properties import AGENT_PROPERTIES, AgentAdapter
from .bandit_properties import BANDIT_PROPERTIES
from .estimator_properties import ADVANTAGE_PROPERTIES, OPE_PROPERTIES, OPE_STATISTICAL, SAMPLER_PROPERTIES
from .operator_properties import DISTRIBUTIONAL_PROPERTIES, OPERATOR_PROPERTIES, PLANNER_PROPERTIES
from .protocols import BanditAdapter, check_kind, infer_kind, load_object

__all__ = ["check", "assert_check", "CheckReport", "PropertyResult", "properties_for", "replay", "ERROR", "TIMEOUT",
           "EXIT_CODES", "DEFAULT_TIMEOUT"]

BUDGETS = ("quick", "standard")
_EXACT = {"operator": OPERATOR_PROPERTIES, "planner": PLANNER_PROPERTIES, "distributional": DISTRIBUTIONAL_PROPERTIES,
          "advantage": ADVANTAGE_PROPERTIES, "ope": OPE_PROPERTIES}
# statistical properties, by kind (an off-policy estimator has both kinds of property)
_STATISTICAL = {"bandit": BANDIT_PROPERTIES, "sampler": SAMPLER_PROPERTIES, "ope": OPE_STATISTICAL,
                "agent": AGENT_PROPERTIES}
_EXAMPLES = {"quick": 150, "standard": 600}    # generated inputs per exact property (times its examples_factor)
DEFAULT_DELTA = 0.01
DEFAULT_TIMEOUT = 300.0
ERROR, TIMEOUT = "error", "timeout"
EXIT_CODES = {VIOLATED: 1, ERROR: 3, TIMEOUT: 4}
_SEVERITY = (VIOLATED, ERROR, TIMEOUT)
_MAX_NAME = 120          # characters of the target in a counterexample's file name


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
        """No property violated, errored or timed out."""
        return self.exit_code == 0

    @property
    def exit_code(self) -> int:
        for outcome in _SEVERITY:
            if any(r.verdict == outcome for r in self.results):
                return EXIT_CODES[outcome]
        return 0

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
        cell = markdown_escape
        out = [f"# testbed check: {cell(self.target)}", "", f"Kind: {self.kind}; budget: {self.budget}; statistical "
               f"properties at false-alarm budget {self.delta} (Bonferroni across them).", "",
               "| property | verdict | detail |", "|---|---|---|"]
        out += [f"| {cell(r.name)} | **{cell(r.verdict)}** | {cell(r.detail)} |" for r in self.results]
        for r in self.results:
            if r.counterexample is not None:
                out += ["", f"## Counterexample: {cell(r.name)}", "", "```json",
                        json.dumps(r.counterexample, indent=1).replace("```", "` ` `"), "```"]
                if r.replay:
                    out += ["", f"Replay: `{r.replay.replace('`', '')}`"]
        return "\n".join(out) + "\n"

    def to_dict(self) -> dict:
        return {"target": self.target, "kind": self.kind, "budget": self.budget, "delta": self.delta,
                "passed": self.passed, "exit_code": self.exit_code, "results": [asdict(r) for r in self.results]}


def properties_for(kind: str) -> list[str]:
    return list(_EXACT.get(kind, {})) + list(_STATISTICAL.get(kind, {}))


def _name(obj) -> str:
    return getattr(obj, "__qualname__", None) or getattr(obj, "__name__", None) or type(obj).__name__


def _evaluate(kind, p, obj, budget, delta, seed) -> tuple:
    """One property on one object: (verdict, detail, example) -- in whatever process runs it."""
    if kind == "bandit":
        return BANDIT_PROPERTIES[p](BanditAdapter(obj), budget, delta, seed)
    if p in _STATISTICAL.get(kind, {}):
        return _STATISTICAL[kind][p](obj, budget, delta, seed)
    prop = _EXACT[kind][p]
    n_examples = prop.n_examples(_EXAMPLES[budget])
    found = prop.search(obj, _EXAMPLES[budget])
    note = f"; {prop.report(obj)}" if prop.report is not None else ""
    if found is None:
        return HOLDS, f"{prop.description}: no counterexample in {n_examples} generated inputs{note}", None
    return VIOLATED, f"{prop.description}: fails on a shrunk input{note}", prop.to_json(found)


def _one_line(exc: BaseException) -> str:
    text = f"{type(exc).__name__}: {exc}" if not isinstance(exc, ProtocolError) else str(exc)
    return " ".join(text.split())[:500]


def _child(conn, call):
    try:
        conn.send(("ok", call()))
    except BaseException as exc:  # the user's object raised: report it, whatever it was
        conn.send(("error", _one_line(exc), traceback.format_exc()))
    finally:
        conn.close()


def _run_isolated(call, timeout) -> tuple:
    """``call()`` -> (verdict, detail, example), run in a forked child with a time limit (a fork, so the user's
    object needs no pickling); a raise, a crash or the time limit become the outcomes 'error' and 'timeout'."""
    ctx = mp.get_context("fork")
    recv, send = ctx.Pipe(duplex=False)
    proc = ctx.Process(target=_child, args=(send, call), daemon=True)
    proc.start()
    send.close()
    try:
        if not recv.poll(timeout):
            return TIMEOUT, f"did not finish within the time limit of {timeout:g} s (--timeout)", None
        try:
            msg = recv.recv()
        except EOFError:
            proc.join(5)
            return ERROR, (f"could not evaluate: the object ended the process (exit code {proc.exitcode}) before "
                           "the property finished"), None
    finally:
        if proc.is_alive():
            proc.kill()
        proc.join(5)
        recv.close()
    if msg[0] == "ok":
        return msg[1]
    return ERROR, f"could not evaluate: {msg[1]}", None


def _validate_timeout(timeout) -> None:
    if timeout is not None and not (isinstance(timeout, (int, float)) and 0 < timeout <= 7 * 24 * 3600):
        raise ProtocolError(f"timeout must be a number of seconds in (0, 604800], got {timeout!r}")


def check(obj, properties=None, budget: str = "quick", *, kind: str | None = None, delta: float = DEFAULT_DELTA,
          seed: int = 0, out_dir: str | Path = "testbed-counterexamples", target: str | None = None,
          timeout: float | None = DEFAULT_TIMEOUT) -> CheckReport:
    """Run the properties of the object's protocol; ``obj`` may be the object or 'module:attr'. Each property runs in
    its own child process, stopped after ``timeout`` seconds (None: in this process, without a limit)."""
    if isinstance(obj, str):
        target = target or obj
        obj = load_object(obj)
    if budget not in BUDGETS:
        raise ProtocolError(f"unknown budget {budget!r}; choose one of {', '.join(BUDGETS)}")
    _validate_timeout(timeout)
    if isinstance(seed, bool) or not isinstance(seed, numbers.Integral) or not 0 <= seed < 2 ** 63:
        raise ProtocolError(f"seed must be a non-negative integer below 2^63, got {seed!r}")
    kind = kind or infer_kind(obj)
    check_kind(obj, kind)
    available = properties_for(kind)
    chosen = list(properties) if properties else available
    for p in chosen:
        if p not in available:
            article = "an" if kind[0] in "aeiou" else "a"
            raise ProtocolError(f"property {p!r} does not apply to {article} {kind}; its properties are "
                                f"{', '.join(available)}")
    report = CheckReport(target or _name(obj), kind, budget, delta)
    if kind == "bandit":
        BanditAdapter(obj)                      # a class that cannot be instantiated is a usage error, up front
    if kind == "agent":
        AgentAdapter(obj)
    isolate = timeout is not None and "fork" in mp.get_all_start_methods()
    for p in chosen:
        t0 = time.perf_counter()
        if isolate:
            verdict, detail, example = _run_isolated(partial(_evaluate, kind, p, obj, budget, delta, seed), timeout)
        else:
            try:
                verdict, detail, example = _evaluate(kind, p, obj, budget, delta, seed)
            except Exception as exc:
                verdict, detail, example = ERROR, f"could not evaluate: {_one_line(exc)}", None
        res = PropertyResult(p, verdict, detail, example)
        if verdict == VIOLATED and example is not None and p in _EXACT.get(kind, {}):
            written = _write_counterexample(report, p, example, out_dir)
            if isinstance(written, str):
                res.detail += f" ({written})"
            else:
                res.counterexample_file, res.replay = written
        res.seconds = time.perf_counter() - t0
        report.results.append(res)
    return report


def counterexample_path(target: str, prop: str, out_dir) -> Path:
    """Where a counterexample of ``target`` goes: a file-system-safe name, shortened (with a hash of the full
    target) when the target is too long for a file name."""
    safe = "".join(ch if ch.isalnum() or ch in "._-" else "_" for ch in target)
    if len(safe) > _MAX_NAME:
        safe = safe[:_MAX_NAME - 13] + "-" + hashlib.sha256(target.encode()).hexdigest()[:12]
    return Path(out_dir) / f"{safe}.{prop}.json"


def _write_counterexample(report: CheckReport, prop: str, example: dict, out_dir) -> tuple[str, str] | str:
    """(file, replay command), or why the file could not be written (the verdict stands either way)."""
    path = counterexample_path(report.target, prop, out_dir)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps({"target": report.target, "kind": report.kind, "property": prop,
                                    "input": example}, indent=1))
    except OSError as exc:
        return f"counterexample not written to {path}: {exc.strerror or exc}"
    return str(path), f"testbed check {report.target} --replay {path}"


def _replay_data(path) -> dict:
    p = Path(path)
    try:
        text = p.read_text()
    except (OSError, UnicodeDecodeError) as exc:
        raise ProtocolError(f"cannot read the replay file {path}: {getattr(exc, 'strerror', None) or exc}") from None
    try:
        data = json.loads(text)
    except ValueError as exc:
        raise ProtocolError(f"the replay file {path} is not valid JSON ({exc.msg}, line {exc.lineno})") from None
    if not isinstance(data, dict):
        raise ProtocolError(f"the replay file {path} holds a JSON {type(data).__name__}, not a counterexample object")
    missing = [k for k in ("property", "input") if k not in data]
    if missing:
        raise ProtocolError(f"the replay file {path} lacks {', '.join(missing)} (write it with testbed check)")
    for key in ("property", "kind"):
        if key in data and not isinstance(data[key], str):
            raise ProtocolError(f"the replay file {path}: '{key}' must be a string, got {type(data[key]).__name__}")
    return data


def _replay_one(prop, obj, example) -> tuple:
    fails = prop.fails(obj, example)
    return (VIOLATED if fails else HOLDS,
            f"{prop.description}: {'still fails' if fails else 'passes now'} on the stored input", None)


def replay(obj, path, kind: str | None = None, timeout: float | None = DEFAULT_TIMEOUT) -> PropertyResult:
    """Re-run the property of a counterexample file on its stored input (ProtocolError, exit 2, for a file that is
    not a counterexample of this object's kind), in a child process stopped after ``timeout`` seconds."""
    _validate_timeout(timeout)
    data = _replay_data(path)
    if isinstance(obj, str):
        obj = load_object(obj)
    kind = kind or data.get("kind") or infer_kind(obj)
    if kind not in _EXACT or data["property"] not in _EXACT[kind]:
        raise ProtocolError(f"{path} holds a counterexample of kind {data.get('kind')!r}, property "
                            f"{data.get('property')!r}, which cannot be replayed on this object")
    check_kind(obj, kind)
    prop = _EXACT[kind][data["property"]]
    try:
        example = prop.from_json(data["input"])
    except Exception as exc:
        raise ProtocolError(f"the input stored in {path} is malformed: {_one_line(exc)}") from None
    if timeout is not None and "fork" in mp.get_all_start_methods():
        verdict, detail, _ = _run_isolated(partial(_replay_one, prop, obj, example), timeout)
    else:
        try:
            verdict, detail, _ = _replay_one(prop, obj, example)
        except Exception as exc:
            verdict, detail = ERROR, f"could not evaluate: {_one_line(exc)}"
    return PropertyResult(prop.name, verdict, detail)


def assert_check(obj, properties=None, budget: str = "quick", **kwargs) -> CheckReport:
    """For a user's pytest suite: raise AssertionError with the summary when a property is violated, errors or
    times out."""
    report = check(obj, properties, budget, **kwargs)
    if not report.passed:
        raise AssertionError(report.summary())
    return report
