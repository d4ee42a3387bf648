"""Command line (contract, DESIGN.md):

    testbed list [--family F] [--json]
    testbed show CLAIM_ID [--json]
    testbed run (CLAIM_ID... | --suite NAME | --all) [--fidelity quick|standard|full] [--workers N]
                [--store PATH] [--seed N] [--json]
    testbed report [--store PATH] [--out DIR]
    testbed check MODULE:OBJECT [--property NAME ...] [--budget quick|standard] [--kind KIND] [--json]
                  [--replay FILE]
    testbed selftest [--budget quick|standard] [--json]

``list``, ``show``, ``run`` and ``report`` take ``--claims-path DIR`` (repeatable): claim folders from outside the
package, listed, run and reported like the project's own.

Exit codes: 0 when every requested claim ran (whatever the verdicts), 2 for usage errors, 1 for failures to run;
``check`` exits 1 when a property is violated, ``selftest`` when a mutant survives or a correct object fails.
Errors are printed as one line on stderr, without a traceback.
"""
from __future__ import annotations

import argparse
import json
import sys

from .claim import FIDELITIES
from .errors import TestbedError, UsageError
from .registry import SUITES, all_claims, get_claim, suite_claims
from .store import DEFAULT_STORE, Store


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="testbed", description="Check bandit and RL theorems against simulation.")
    sub = p.add_subparsers(dest="command", required=True)
    claims_path = argparse.ArgumentParser(add_help=False)
    claims_path.add_argument("--claims-path", action="append", default=[], metavar="DIR",
                             help="also load the claim folders (each with a claim.py) under DIR; repeatable")
    ls = sub.add_parser("list", help="list the claims", parents=[claims_path])
    ls.add_argument("--family")
    ls.add_argument("--json", action="store_true")
    show = sub.add_parser("show", help="show one claim", parents=[claims_path])
    show.add_argument("claim_id")
    show.add_argument("--store", default=DEFAULT_STORE)
    show.add_argument("--json", action="store_true")
    run = sub.add_parser("run", help="run claims and record verdicts", parents=[claims_path])
    run.add_argument("claim_ids", nargs="*")
    run.add_argument("--suite", choices=None, help=f"one of {', '.join(SUITES)}")
    run.add_argument("--all", action="store_true")
    run.add_argument("--fidelity", help=f"one of {', '.join(FIDELITIES)} (default: the suite's, else quick)")
    run.add_argument("--workers", type=int, default=1)
    run.add_argument("--store", default=DEFAULT_STORE)
    run.add_argument("--seed", type=int, default=0)
    run.add_argument("--json", action="store_true")
    run.add_argument("--no-progress", action="store_true")
    rep = sub.add_parser("report", help="write the Markdown and HTML report", parents=[claims_path])
    rep.add_argument("--store", default=DEFAULT_STORE)
    rep.add_argument("--out", default="reports")
    chk = sub.add_parser("check", help="property-test your own bandit policy, operator, planner or distributional "
                                       "operator")
    chk.add_argument("target", help="MODULE:OBJECT or FILE.py:OBJECT")
    chk.add_argument("--property", action="append", dest="properties")
    chk.add_argument("--budget", default="quick")
    chk.add_argument("--kind", help="bandit, operator, planner or distributional (default: inferred)")
    chk.add_argument("--seed", type=int, default=0)
    chk.add_argument("--out", default="testbed-counterexamples", help="where counterexamples are written")
    chk.add_argument("--replay", help="a counterexample file to re-run")
    chk.add_argument("--report", help="also write a Markdown report (verdicts and counterexamples) to this file")
    chk.add_argument("--json", action="store_true")
    st = sub.add_parser("selftest", help="kill rate on the mutant corpus and false alarms on correct objects")
    st.add_argument("--budget", default="quick")
    st.add_argument("--json", action="store_true")
    return p


def _cmd_check(args) -> int:
    from .check import check, replay
    from .check.protocols import KINDS
    if args.kind is not None and args.kind not in KINDS:
        raise UsageError(f"unknown kind {args.kind!r}; choose one of {', '.join(KINDS)}")
    if args.replay:
        res = replay(args.target, args.replay, kind=args.kind)
        print(json.dumps(res.__dict__, indent=1) if args.json else f"{res.verdict:12} {res.name}: {res.detail}")
        return 1 if res.verdict == "violated" else 0
    report = check(args.target, args.properties, args.budget, kind=args.kind, seed=args.seed, out_dir=args.out)
    print(json.dumps(report.to_dict(), indent=1) if args.json else report.summary())
    if args.report:
        with open(args.report, "w") as fh:
            fh.write(report.markdown())
    return 0 if report.passed else 1


def _cmd_selftest(args) -> int:
    from .check.corpus import selftest

    def show(row):
        if not args.json:
            tag = "killed by " + ", ".join(row["violated"]) if row["violated"] else "no property violated"
            print(f"{row['group']:8} {row['name']:42} {tag}", flush=True)
    res = selftest(args.budget, progress=show)
    if args.json:
        print(json.dumps(res, indent=1, default=str))
    else:
        print(f"kill rate {res['kill_rate']:.3f} on {res['n_mutants']} mutants; false-alarm rate "
              f"{res['false_alarm_rate']:.3f} on {res['n_correct']} correct objects (budget {res['budget']}; "
              "statistical properties at false-alarm budget 0.01 each object, Bonferroni across its properties)")
    return 0 if res["kill_rate"] == 1.0 and res["false_alarm_rate"] == 0.0 else 1


def _cmd_list(args) -> int:
    claims = all_claims(args.family)
    if args.json:
        print(json.dumps([c.summary() for c in claims], indent=1))
    else:
        for c in claims:
            print(f"{c.id:4} {c.family:18} {' + '.join(c.kind):32} {c.status:11} {c.title}\n     {c.source}")
    return 0


def _cmd_show(args) -> int:
    c = get_claim(args.claim_id)
    b = c.bound()
    last = None
    try:
        with Store(args.store, readonly=True) as st:
            rec = st.latest_run(c.id)
        if rec:
            last = {k: rec[k] for k in ("verdict", "confidence", "tightness", "n_samples", "fidelity", "correction")}
    except TestbedError:
        last = None  # no store yet: nothing has run
    out = {"id": c.id, "title": c.title, "source": str(c.source), "statement": c.statement,
           "bound": None if b is None else {"sympy": b.describe()["sympy"], "latex": b.latex()},
           "kind": list(c.kind), "status": c.status, "last_verdict": last}
    if args.json:
        print(json.dumps(out, indent=1))
    else:
        print(
            f"{c.id}: {c.title}\nsource: {c.source}\nstatus: {c.status}   kind: {' + '.join(c.kind)}\n\n{c.statement}\n"
        )
        if b is not None:
            print(f"bound ({b.theorem}): {out['bound']['sympy']}\nconditions: {'; '.join(b.conditions)}\n")
        else:
            print(f"no bound: {c.no_bound}\n")
        print("last verdict: " + ("none" if last is None else json.dumps(last)))
    return 0


def _cmd_run(args) -> int:
    from .runner import run_claims  # imports numba kernels: keep `list`/`show` fast

    chosen = sum(bool(x) for x in (args.claim_ids, args.suite, args.all))
    if chosen != 1:
        raise UsageError("give claim ids, --suite NAME or --all (exactly one of them)")
    if args.suite:
        claims, fidelity = suite_claims(args.suite)
    elif args.all:
        claims, fidelity = all_claims(), "quick"
    else:
        claims, fidelity = [get_claim(i) for i in args.claim_ids], "quick"
    fidelity = args.fidelity or fidelity
    if fidelity not in FIDELITIES:
        raise UsageError(f"unknown fidelity {fidelity!r}; choose one of {', '.join(FIDELITIES)}")
    with Store(args.store) as store:
        runs = run_claims(claims, fidelity, store, workers=args.workers, root_seed=args.seed,
                          progress=not args.no_progress)
    if args.json:
        print(json.dumps({"results": [{"id": r.claim.id, "verdict": r.verdict.verdict,
                                       "tightness": r.verdict.tightness, "n_samples": r.verdict.n_samples,
                                       "seconds": r.seconds, "evidence": r.verdict.to_dict()} for r in runs],
                          "store": str(args.store)}))
    else:
        for r in runs:
            tight = "n/a" if r.verdict.tightness is None else f"{r.verdict.tightness:.4g}"
            print(f"{r.claim.id:4} {r.verdict.verdict:13} confidence {r.verdict.confidence:.3g}  tightness {tight:>8}"
                  f"  samples {r.verdict.n_samples:7}  tasks {r.n_tasks} ({r.n_cached} stored)  {r.seconds:6.1f}s")
        print(f"store: {args.store}")
    return 0


def _cmd_report(args) -> int:
    from .report import write_report

    md, html_path = write_report(args.store, args.out)
    print(f"wrote {md} and {html_path}")
    return 0


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        if getattr(args, "claims_path", None):
            from .registry import add_claims_path
            add_claims_path(*args.claims_path)
        return {"list": _cmd_list, "show": _cmd_show, "run": _cmd_run, "report": _cmd_report, "check": _cmd_check,
            "selftest": _cmd_selftest}[args.command](args)
    except TestbedError as exc:
        print(f"testbed: error: {exc}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("testbed: interrupted; finished tasks are kept in the store", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
