"""Command line (contract, DESIGN.md):

    testbed list [--family F] [--json]
    testbed show CLAIM_ID [--json]
    testbed run (CLAIM_ID... | --suite NAME | --all) [--fidelity quick|standard|full] [--workers N]
                [--oversubscribe] [--executor local|dask [--scheduler ADDRESS]] [--backend cpu|gpu|auto]
                [--store PATH] [--seed N] [--no-power] [--json]
    testbed power CLAIM_ID... [--store PATH] [--json]
    testbed report [--store PATH] [--out DIR] [--self-contained] [--latex DIR]
    testbed check MODULE:OBJECT [--property NAME ...] [--budget quick|standard] [--kind KIND] [--json]
                  [--replay FILE] [--timeout SECONDS] [--out DIR] [--report FILE]
    testbed selftest [--budget quick|standard] [--false-alarms [--seeds N]] [--json]

``list``, ``show``, ``run`` and ``report`` take ``--claims-path DIR`` (repeatable): claim folders from outside the
package, listed, run and reported like the project's own.

Exit codes: 0 when every requested claim ran (whatever the verdicts), 2 for usage errors (validated before any
file is created), 1 for failures to run (a task or a decision that raised, a store that cannot be written), 130
interrupted (every command); ``check``: 0 holds or inconclusive, 1 violated, 2 usage error, 3 could not evaluate
(the object raised, returned an invalid output or crashed), 4 a property timed out; ``selftest`` exits 1 when a mutant
survives or a correct object fails. Errors are printed as one line on stderr, without a traceback.
"""
from __future__ import annotations

import argparse
import json
import math
import os
import signal
import sys
import threading
from pathlib import Path

from .claim import FIDELITIES
from .errors import StoreError, TestbedError, UsageError
from .registry import SUITE_FALSE_ALARM_BUDGET, SUITES, all_claims, get_claim, suite_claims
from .runner import check_run_arguments
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
    run.add_argument("--workers", type=int, default=1,
                     help="worker processes (at most the number of CPUs unless --oversubscribe)")
    run.add_argument("--oversubscribe", action="store_true", help="allow more workers than CPUs")
    run.add_argument("--executor", choices=("local", "dask"), default="local",
                     help="local: a process pool on this machine (default); dask: a Dask cluster (the dask extra)")
    run.add_argument("--scheduler", metavar="ADDRESS",
                     help="with --executor dask: the scheduler to connect to (tcp://host:8786); without it a "
                          "LocalCluster of --workers processes is started")
    run.add_argument("--scheduler-timeout", type=float, default=20.0, metavar="SECONDS",
                     help="how long to wait for the Dask scheduler (default 20)")
    run.add_argument("--backend", choices=("cpu", "gpu", "auto"), default="cpu",
                     help="gpu: bandit simulations (tabular_envs.bandits.simulate, up to 64 arms), synchronous "
                          "Q-learning, TD(0), UCB-H and UCBVI run on the GPU kernels of gpu_kernels, on the same "
                          "tapes as the CPU (`testbed list --json`: gpu_tasks); auto: the GPU when there is one; "
                          "every other task runs on the CPU")
    run.add_argument("--store", default=DEFAULT_STORE)
    run.add_argument("--seed", type=int, default=0, help="root seed, an integer in [0, 2**64 - 1]")
    run.add_argument("--json", action="store_true")
    run.add_argument("--no-progress", action="store_true")
    run.add_argument("--no-power", action="store_true",
                     help="skip the power analysis (re-decisions against planted bound errors) after each verdict")
    pw = sub.add_parser("power", help="re-decide stored verdicts against planted errors in their bounds",
                        parents=[claims_path])
    pw.add_argument("claim_ids", nargs="+")
    pw.add_argument("--store", default=DEFAULT_STORE)
    pw.add_argument("--json", action="store_true")
    rep = sub.add_parser("report", help="write the Markdown and HTML report", parents=[claims_path])
    rep.add_argument("--store", default=DEFAULT_STORE)
    rep.add_argument("--out", default="reports")
    rep.add_argument("--self-contained", action="store_true",
                     help="one HTML file with the figures inlined (PNG), for mailing; default: figures as files")
    rep.add_argument("--latex", metavar="DIR",
                     help="also write a LaTeX appendix (results.tex, figures.tex, appendix.tex, PDF figures) to DIR")
    chk = sub.add_parser("check", help="property-test your own bandit policy, operator, planner or distributional "
                                       "operator")
    chk.add_argument("target", help="MODULE:OBJECT or FILE.py:OBJECT")
    chk.add_argument("--property", action="append", dest="properties")
    chk.add_argument("--budget", default="quick")
    chk.add_argument("--kind", help="bandit, operator, planner, distributional, sampler, advantage, ope or agent "
                     "(default: inferred)")
    chk.add_argument("--seed", type=int, default=0)
    chk.add_argument("--out", default="testbed-counterexamples", help="where counterexamples are written")
    chk.add_argument("--replay", help="a counterexample file to re-run")
    chk.add_argument("--report", help="also write a Markdown report (verdicts and counterexamples) to this file")
    chk.add_argument("--timeout", type=float, default=300.0,
                     help="seconds each property may take before it is stopped (outcome 'timeout', exit 4)")
    chk.add_argument("--json", action="store_true")
    st = sub.add_parser("selftest", help="kill rate on the mutant corpus and false alarms on correct objects")
    st.add_argument("--budget", default="quick")
    st.add_argument("--false-alarms", action="store_true",
                    help="also run each statistical property on correct randomised policies over many seeds and "
                         "report its false-alarm rate against its budget")
    st.add_argument("--seeds", type=int, default=200, help="seeds per policy and property for --false-alarms")
    st.add_argument("--json", action="store_true")
    return p


def _writable_file(path: str, what: str) -> None:
    """UsageError unless ``path`` can be written (checked before the run, so no result is lost at the end)."""
    p = Path(path)
    if len(p.name.encode()) > 255:
        raise UsageError(f"{what} {path}: the file name is longer than 255 bytes")
    try:
        if p.is_dir():
            raise UsageError(f"{what} {path} is a directory")
        parent = p.parent if str(p.parent) else Path(".")
        writable = parent.is_dir() and os.access(parent, os.W_OK) and (not p.exists() or os.access(p, os.W_OK))
    except OSError as exc:
        raise UsageError(f"{what} {path} cannot be written: {exc.strerror or exc}") from None
    if not writable:
        raise UsageError(f"{what} {path} cannot be written (its folder is missing or not writable)")


def _writable_folder(path: str, what: str) -> None:
    """UsageError unless ``path`` is a writable folder or can be created as one."""
    p = Path(path)
    existing = p
    try:
        while not existing.exists() and existing != existing.parent:
            existing = existing.parent
        usable = existing.is_dir() and os.access(existing, os.W_OK)
    except OSError as exc:
        raise UsageError(f"{what} {path} cannot be used as a folder: {exc.strerror or exc}") from None
    if not usable:
        raise UsageError(f"{what} {path} is not a writable folder (nor can it be created: {existing} "
                         f"{'is not a folder' if not existing.is_dir() else 'is not writable'})")


def _cmd_check(args) -> int:
    from .check import EXIT_CODES, check, replay
    from .check.protocols import KINDS
    if args.kind is not None and args.kind not in KINDS:
        raise UsageError(f"unknown kind {args.kind!r}; choose one of {', '.join(KINDS)}")
    if args.report:
        _writable_file(args.report, "--report")
    if args.replay:
        res = replay(args.target, args.replay, kind=args.kind, timeout=args.timeout)
        print(json.dumps(res.__dict__, indent=1) if args.json else f"{res.verdict:12} {res.name}: {res.detail}")
        return EXIT_CODES.get(res.verdict, 0)
    _writable_folder(args.out, "--out")
    report = check(args.target, args.properties, args.budget, kind=args.kind, seed=args.seed, out_dir=args.out,
                   timeout=args.timeout)
    print(json.dumps(report.to_dict(), indent=1) if args.json else report.summary())
    if args.report:
        try:
            Path(args.report).write_text(report.markdown())
        except OSError as exc:
            raise StoreError(f"cannot write --report {args.report}: {exc.strerror or exc}") from None
    return report.exit_code


def _cmd_selftest(args) -> int:
    from .check.corpus import false_alarm_rates, selftest

    def show(row):
        if not args.json:
            tag = "violated: " + ", ".join(row["violated"]) if row["violated"] else "no property violated"
            if row["errors"]:
                tag += "; could not evaluate: " + ", ".join(row["errors"])
            print(f"{row['group']:12} {row['name']:42} {tag}", flush=True)
    def show_rate(row):
        if not args.json:
            print(f"{row['policy']:34} {row['property']:22} {row['violated']:4d}/{row['seeds']} violated "
                  f"(rate {row['rate']:.4f}, 95% upper bound {row['rate_upper_95']:.4f}; budget {row['budget']:g})"
                  + ("" if row["within_budget"] else "  ABOVE BUDGET"), flush=True)
    if args.seeds < 1:
        raise UsageError(f"--seeds must be a positive integer, got {args.seeds}")
    res = selftest(args.budget, progress=show)
    if args.false_alarms:
        res["false_alarms"] = false_alarm_rates(args.seeds, args.budget, progress=show_rate)
    if args.json:
        print(json.dumps(res, indent=1, default=str))
    else:
        print(f"kill rate {res['kill_rate']:.3f} on {res['n_mutants']} mutants; false-alarm rate "
              f"{res['false_alarm_rate']:.3f} on {res['n_correct']} correct objects (budget {res['budget']}; "
              "statistical properties at false-alarm budget 0.01 each object, Bonferroni across its properties)")
        if args.false_alarms:
            over = [r for r in res["false_alarms"] if not r["within_budget"]]
            total = sum(r["violated"] for r in res["false_alarms"])
            runs = sum(r["seeds"] for r in res["false_alarms"])
            print(f"statistical properties on correct randomised policies: {total} violated of {runs} runs; "
                  f"{len(over)} (policy, property) pairs significantly above their budget")
    ok = res["kill_rate"] == 1.0 and res["false_alarm_rate"] == 0.0
    return 0 if ok and all(r["within_budget"] for r in res.get("false_alarms", [])) else 1


def _cmd_list(args) -> int:
    claims = all_claims(args.family)
    if args.json:
        print(json.dumps([c.summary() for c in claims], indent=1))
    else:
        for c in claims:
            print(f"{c.id:4} {c.family:18} {' + '.join(c.kind):32} {c.status:11} {c.title}\n     {c.source}")
    return 0


def _cmd_power(args) -> int:
    from .power import claim_power, decide_recording_plants

    claims = [get_claim(i) for i in args.claim_ids]
    if not Path(args.store).exists():
        raise UsageError(f"no store at {args.store}; run `testbed run` first or give --store")
    rows = []
    with Store(args.store, readonly=True) as store:
        for c in claims:
            rec = store.latest_run(c.id)
            if rec is None:
                raise UsageError(f"{c.id} has no verdict in {args.store}; run it first")
            tasks = c.tasks(rec["fidelity"], int(rec.get("root_seed", 0)))
            done = store.finished_keys([t.key for t in tasks])
            missing = [t for t in tasks if t.key not in done]
            if missing:
                raise UsageError(
                    f"{c.id}: {len(missing)} of its {len(tasks)} tasks at {rec['fidelity']} fidelity, seed "
                    f"{rec.get('root_seed', 0)} are not in the store for the current code version "
                    "(the claim's code changed since); rerun it with `testbed run`"
                )
            results = store.get_results(tasks)
            # re-decided at the delta the stored verdict was decided at (a suite's share), not the claim's default
            stored_delta = (rec.get("provenance") or {}).get("claim_delta", c.delta)
            verdict, consumed = decide_recording_plants(c, tasks, results, float(stored_delta))
            power = claim_power(c, tasks, results, verdict, consumed, float(stored_delta))
            rows.append({"id": c.id, "verdict": verdict.verdict, "tightness": verdict.tightness,
                         "delta": float(stored_delta), **power})
    if args.json:
        print(json.dumps(rows, indent=1, default=str))
        return 0
    for r in rows:
        k = "none up to 1000" if r["detectable_factor"] is None else f"{r['detectable_factor']:g}"
        c = "none up to 1000" if r["detectable_coverage_factor"] is None else f"{r['detectable_coverage_factor']:g}"
        s = "none up to 1" if r["detectable_shift"] is None else f"{r['detectable_shift']:g}"
        t = "n/a" if r["tightness"] is None else f"{r['tightness']:.3g}"
        print(
            f"{r['id']:4} {r['verdict']:12} delta {r['delta']:.3g} tightness {t:8} detectable factor "
            f"{k if 'factor' in r['applies'] else 'n/a':16} failure rate "
            f"{c if 'coverage' in r['applies'] else 'n/a':16} exponent shift "
            f"{s if 'shift' in r['applies'] else 'n/a':13} {r['note']}"
            + (f"\n     why not x2: {r['why_not']}" if r.get("why_not") else "")
        )
    return 0


def _cmd_show(args) -> int:
    c = get_claim(args.claim_id)
    b = c.bound()
    last = None
    if Path(args.store).exists():              # no store yet: nothing has run; anything else must be a store
        with Store(args.store, readonly=True) as st:
            rec = st.latest_run(c.id)
        if rec:
            last = {k: rec[k] for k in ("verdict", "confidence", "tightness", "n_samples", "fidelity", "correction")}
    out = {"id": c.id, "title": c.title, "source": str(c.source), "statement": c.statement,
           "bound": None if b is None else {"sympy": b.describe()["sympy"], "latex": b.latex()},
           "kind": list(c.kind), "status": c.status, "check_type": c.check_type, "last_verdict": last}
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
    # the arguments first, before any file is created and before the claims are imported (seconds): a usage error
    # answers at once
    if args.fidelity is not None and args.fidelity not in FIDELITIES:
        raise UsageError(f"unknown fidelity {args.fidelity!r}; choose one of {', '.join(FIDELITIES)}")
    check_run_arguments(args.workers, args.seed, oversubscribe=args.oversubscribe)
    if not (math.isfinite(args.scheduler_timeout) and args.scheduler_timeout > 0):
        raise UsageError(f"--scheduler-timeout must be a positive number of seconds, got {args.scheduler_timeout:g}")
    if args.scheduler and args.executor != "dask":
        raise UsageError("--scheduler needs --executor dask")
    if args.suite:
        claims, fidelity = suite_claims(args.suite)
    elif args.all:
        claims, fidelity = all_claims(), "quick"
    else:
        claims, fidelity = [get_claim(i) for i in args.claim_ids], "quick"
    fidelity = args.fidelity or fidelity
    from gpu_kernels import NoGPUError, resolve_backend
    try:
        resolve_backend(args.backend)
    except NoGPUError as exc:
        raise UsageError(str(exc)) from None
    executor = None
    if args.executor == "dask":
        from .dask_executor import DaskExecutor
        executor = DaskExecutor(args.workers, args.scheduler, connect_timeout=args.scheduler_timeout).open()
    try:
        with Store(args.store) as store:
            runs = run_claims(claims, fidelity, store, workers=args.workers, root_seed=args.seed, executor=executor,
                              progress=not args.no_progress, oversubscribe=args.oversubscribe,
                              with_power=not args.no_power, backend=args.backend,
                              suite=args.suite or ("all" if args.all else None),
                              false_alarm_budget=SUITE_FALSE_ALARM_BUDGET if (args.suite or args.all) else None)
    finally:
        if executor is not None:
            executor.close()
    failed = [r for r in runs if r.verdict is None]
    if args.json:
        print(json.dumps({"results": [{"id": r.claim.id, "verdict": None, "error": r.failure, "tightness": None,
                                       "n_samples": 0, "seconds": r.seconds, "evidence": {}} if r.verdict is None else
                                      {"id": r.claim.id, "verdict": r.verdict.verdict,
                                       "tightness": r.verdict.tightness, "n_samples": r.verdict.n_samples,
                                       "seconds": r.seconds, "evidence": r.verdict.to_dict()} for r in runs],
                          "store": str(args.store)}))
    else:
        for r in runs:
            if r.verdict is None:
                print(f"{r.claim.id:4} {'FAILED':13} {r.failure}")
                continue
            tight = "n/a" if r.verdict.tightness is None else f"{r.verdict.tightness:.4g}"
            print(f"{r.claim.id:4} {r.verdict.verdict:13} confidence {_shown_confidence(r.verdict):9}  "
                  f"tightness {tight:>8}  samples {r.verdict.n_samples:7}  tasks {r.n_tasks} ({r.n_cached} stored)  "
                  f"{r.seconds:6.1f}s")
        done = [r for r in runs if r.verdict is not None]
        alarm = sum(1 - r.verdict.confidence for r in done)
        budget = f" (declared budget {SUITE_FALSE_ALARM_BUDGET:g})" if (args.suite or args.all) else ""
        print(f"false-alarm probability of these {len(done)} verdicts together: at most {alarm:.3g}{budget}")
        print(f"store: {args.store}")
    if failed:
        print(f"testbed: error: {len(failed)} claim(s) failed to run ({', '.join(r.claim.id for r in failed)}); "
              f"their tracebacks are in the store's failures table; the finished tasks are kept", file=sys.stderr)
        return 1
    return 0


def _shown_confidence(v) -> str:
    from .stats import verdict_confidence_text
    return verdict_confidence_text(v.verdict, v.confidence, v.evidence)


def _cmd_report(args) -> int:
    from .report import write_report

    _writable_folder(args.out, "--out")
    if args.latex:
        _writable_folder(args.latex, "--latex")
    files = write_report(args.store, args.out, self_contained=args.self_contained, latex_dir=args.latex)
    for kind, path in files.items():
        print(f"wrote {kind}: {path}")
    return 0


def _terminate(signum, frame):
    raise KeyboardInterrupt      # SIGTERM: stop the workers and keep what is stored, as for Ctrl-C


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGTERM, _terminate)
    try:
        if getattr(args, "claims_path", None):
            from .registry import add_claims_path
            add_claims_path(*args.claims_path)
        return {"list": _cmd_list, "show": _cmd_show, "run": _cmd_run, "power": _cmd_power, "report": _cmd_report,
                "check": _cmd_check,
            "selftest": _cmd_selftest}[args.command](args)
    except TestbedError as exc:
        print(f"testbed: error: {exc}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        if args.command == "run":
            print("testbed: interrupted; the finished tasks are kept in the store", file=sys.stderr)
        else:
            print("testbed: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:                     # `testbed list | head`: the reader left; not an error of ours
        try:
            sys.stdout = open(os.devnull, "w")
        except OSError:
            pass
        return 0


if __name__ == "__main__":
    sys.exit(main())
