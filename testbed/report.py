"""The report, built from the verdict records in the store alone (figures and bounds from the claims' code).

``write_report(store, out)`` writes a light page and the files it links:

    out/index.html           summary (counts by verdict, the false-alarm budget), a table per family, one section per
                             claim with its bound rendered as MathML (no script, no network) and its LaTeX source
    out/index.md             the same in Markdown (readable on a code host)
    out/figures/<id>.png     the figure for the page, and .svg and .pdf for print
    out/evidence/<id>.json   the claim's full evidence

``self_contained=True`` writes one index.html with the PNG figures and the evidence inlined (for mailing), and
``latex_dir`` adds ``results.tex`` (a table of verdicts), ``figures.tex`` (one figure per claim, its bound as LaTeX)
and ``appendix.tex`` (a small document that \\inputs both and compiles with pdflatex) with vector figures.

Everything that comes from the store is escaped (HTML, Markdown, LaTeX): a store shared by a colleague cannot
inject markup. MathML and LaTeX of bounds are generated from the claims' code, never read from the store.
"""
from __future__ import annotations

import base64
import io
import os
import shutil
import sys
import tempfile
import textwrap
from collections import Counter
from contextlib import contextmanager
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

from .errors import StoreError, TestbedError, UsageError  # noqa: E402
from .escaping import html_escape, latex_escape, markdown_escape, strict_json  # noqa: E402
from .procedures import CHANGES, changes_for, procedure_version  # noqa: E402
from .registry import claim_order, get_claim  # noqa: E402
from .stats import verdict_confidence_text  # noqa: E402
from .store import Store  # noqa: E402

__all__ = ["write_report", "html_escape", "markdown_escape", "latex_escape", "ReportFiles"]

VERDICTS = ("holds", "violated", "inconclusive", "vacuous")


def strength_of(record: dict) -> dict:
    """The claim's strongest tested part and its vacuous parts (``testbed.stats.combine_verdicts``' ``strength``);
    a one-procedure claim's part is its check type (an identity claim tests an identity, any other a theorem)."""
    ev = record.get("evidence")
    st = ev.get("strength") if isinstance(ev, dict) else None
    if isinstance(st, dict) and "strongest" in st:
        return st
    role = "identity" if record.get("check_type") == "identity" else "theorem"
    if record.get("verdict") == "vacuous":
        return {"strongest": None, "vacuous": ["the claim"], "line": "vacuous: nothing was tested"}
    return {"strongest": role, "vacuous": [], "line": f"one part: {role}"}


def strength_counts_text(records) -> str:
    """Claims counted by their strongest non-vacuous part: how many hold on the theorem's own statement and how many
    only on an identity or a conformance check (their theorem parts vacuous or absent)."""
    counts = Counter()
    for r in records:
        st = strength_of(r)
        counts[(str(r.get("verdict")), st.get("strongest"))] += 1
    held = {role: counts.get(("holds", role), 0) for role in ("theorem", "identity", "conformance")}
    with_vacuous = sum(1 for r in records if strength_of(r).get("vacuous"))
    return (f"By strength: {held['theorem']} hold on a tested statement of the theorem, {held['identity']} only on "
            f"identities or lemmas and {held['conformance']} only on conformance to a transcription; "
            f"{with_vacuous} claims have vacuous parts (a bound above the trivial maximum at every tested size: "
            "shown apart, no alpha spent, never counted as holding).")


def low_power_claims(records) -> list[str]:
    """The claims whose decision compares a bound or a slope threshold but detects neither a bound wrong by a factor
    2 nor a rate exponent wrong by 0.25 (issue 22's marks), from the power stored with each verdict. A claimed
    failure rate wrong by 2 counts only for a claim that compares no bound (a success probability is then its
    statement); where there is a bound, the bound itself must be seen wrong by 2."""
    out = []
    for r in records:
        power = r.get("power") if isinstance(r.get("power"), dict) else {}
        applies = power.get("applies") or []
        if not applies:
            continue
        factor, shift = power.get("detectable_factor"), power.get("detectable_shift")
        coverage = power.get("detectable_coverage_factor")
        if not (("factor" in applies and factor is not None and factor <= 2.0)
                or ("factor" not in applies and "coverage" in applies and coverage is not None and coverage <= 2.0)
                or ("shift" in applies and shift is not None and shift <= 0.25)):
            out.append(str(r["id"]))
    return out


def low_power_explained(record) -> str | None:
    """Why a low-power claim cannot see a factor 2, when a searched instance shows it (issue 22's rule): its
    detectable factor is at most 1.5 / the worst-case tightness its instance search found, so the theorem's
    constants, not a weak instance, limit the power. None when no search explains it."""
    power = record.get("power") if isinstance(record.get("power"), dict) else {}
    factor, tightness = power.get("detectable_factor"), power.get("worst_case_tightness")
    applies = power.get("applies") or []
    if "factor" not in applies and "coverage" in applies:
        return _failure_rate_explained(power)
    if "factor" not in applies or factor is None or not tightness or tightness <= 0:
        return None
    if power.get("worst_case_lower"):
        # a lower bound: tightness = the best policy's regret / bound >= 1, and a bound multiplied by k is
        # contradicted once k exceeds it
        if factor <= 1.5 * tightness:
            return (f"lower bound: factor {_fmt(factor)} <= 1.5 x the best policy's tightness {_fmt(tightness)} = "
                    f"{_fmt(1.5 * tightness)}")
        return None
    if factor <= 1.5 / tightness:
        return (f"factor {_fmt(factor)} <= 1.5 / searched worst-case tightness {_fmt(tightness)} = "
                f"{_fmt(1.5 / tightness)}")
    return None


def _failure_rate_explained(power) -> str | None:
    """A success-probability claim's low power explained by its data (``testbed.power.coverage_tightness``): the
    largest observed failure share is so far below the claimed failure rate that a claimed rate wrong by the
    detectable factor c is still true of the algorithm (c <= 1.5 / tightness), or no unit failed at all, so every
    smaller claimed rate is true of the data and no planted one is an error the algorithm makes."""
    tightness, c = power.get("coverage_tightness"), power.get("detectable_coverage_factor")
    if tightness is None:
        return None
    if tightness == 0:
        return (f"failure rate: no failure in any of its {power.get('coverage_units')} units "
                f"({power.get('coverage_all_trials')} trials), so every smaller claimed failure rate is also true "
                "of the algorithm")
    if c is not None and c <= 1.5 / tightness:
        return (f"failure rate: factor {_fmt(c)} <= 1.5 / (observed failure share / claimed rate "
                f"{_fmt(tightness)}) = {_fmt(1.5 / tightness)}")
    return None


def power_counts_text(records) -> str:
    low = low_power_claims(records)
    if not any(isinstance(r.get("power"), dict) for r in records):
        return ""
    by_id = {str(r["id"]): r for r in records}
    explained = {cid: why for cid in low if (why := low_power_explained(by_id[cid]))}
    unexplained = [cid for cid in low if cid not in explained]
    text = (f"Power: {len(low)} claims detect neither a bound wrong by a factor 2 nor an exponent wrong by 0.25 on "
            f"their stored data{': ' + ', '.join(low) if low else ''}")
    if not low:
        return text + "."
    return (text + f". Explained by a searched tightest instance or by failures far below the claimed rate: "
            f"{'; '.join(f'{c} ({w})' for c, w in explained.items()) or 'none'}; not explained that way, only by "
            f"its power note: {', '.join(unexplained) or 'none'}.")


def _fmt(x, digits=4) -> str:
    if x is None:
        return "n/a"
    if isinstance(x, bool):
        return str(x)
    if isinstance(x, (int, float)):
        return f"{x:.{digits}g}"
    return str(x)


class ReportFiles(dict):
    """The files written: keys 'html', 'markdown', and 'latex' when a LaTeX appendix was asked for."""


def _claim_or_none(claim_id):
    try:
        return get_claim(str(claim_id))
    except TestbedError:
        return None


def _render_figure(record, claim, formats):
    """{format: bytes} of the claim's figure (a placeholder figure naming the problem when it cannot be drawn)."""
    fig = plt.figure()
    try:
        try:
            if claim is None:
                raise LookupError(f"claim {record['id']} is not loaded (give --claims-path for claims from outside "
                                  "the package)")
            claim.plot(record["evidence"], fig)
        except Exception as exc:  # one claim's broken figure must not cost the whole report
            print(f"testbed: warning: the figure of {record['id']} failed: {type(exc).__name__}: {exc}",
                  file=sys.stderr)
            fig.clf()
            fig.text(0.5, 0.5, textwrap.fill(f"figure failed: {type(exc).__name__}: {exc}", 80), ha="center",
                     va="center", fontsize=9)
        width_chars = max(40, int(fig.get_figwidth() * 13))   # about 13 characters of 9 pt per inch
        fig.suptitle(textwrap.fill(f"{record['id']}: {record['title']}", width_chars), fontsize=9)
        fig.tight_layout()
        out = {}
        # no dates and fixed SVG ids: the same evidence gives the same bytes, so a re-rendered report changes
        # only where a figure changed
        undated = {"svg": {"Date": None}, "pdf": {"CreationDate": None, "ModDate": None}}
        with matplotlib.rc_context({"svg.hashsalt": f"figure-{record['id']}"}):
            for fmt in formats:
                buf = io.BytesIO()
                fig.savefig(buf, format=fmt, dpi=110 if fmt == "png" else None, metadata=undated.get(fmt))
                out[fmt] = buf.getvalue()
        return out
    finally:
        plt.close(fig)


def _evidence_lines(record, claim) -> list[str]:
    if claim is None:
        return []
    try:
        return claim.evidence_lines(record["evidence"])
    except Exception as exc:  # a digest that does not fit an old record: the full evidence is still linked
        return [f"(evidence digest unavailable: {type(exc).__name__}: {exc})"]


def _provenance_lines(p: dict) -> list[str]:
    if not isinstance(p, dict):
        return []
    pk = ", ".join(f"{k} {v}" for k, v in (p.get("packages") or {}).items())
    return [f"git commit: {p.get('git_commit')}", f"code version: {p.get('code_version')}",
            f"python {p.get('python')}; {pk}", f"machine: {p.get('machine')}",
            f"root seed {p.get('root_seed')}, fidelity {p.get('fidelity')}, {p.get('workers')} worker(s), executor "
            f"{p.get('executor', 'local')}, run finished {p.get('timestamp')}, wall time {p.get('wall_seconds')} s"]


def _bound_parts(record, claim):
    """(theorem, finite_time, conditions, mathml or None, latex or None): text from the record (escaped by the
    caller), MathML and LaTeX only from the claim's code."""
    bound = record.get("bound") if isinstance(record.get("bound"), dict) else None
    if not bound:
        return None
    mathml = latex = None
    symbols = ""
    if claim is not None:
        b = claim.bound()
        if b is not None:
            mathml, latex = b.mathml(), b.latex()
            symbols = _symbols_text(b, claim.symbols())
    return (bound.get("theorem", ""), bool(bound.get("finite_time")), bound.get("conditions") or [], mathml, latex,
            bound.get("latex", ""), symbols)


def _symbols_text(b, glossary: dict[str, str]) -> str:
    """What the bound's symbols mean: the quantity it bounds, the claim's own glossary (``figure.SYMBOLS``: the same
    letter means different things in different claims) and the length of each vector its sums run over, which the
    Bound object itself defines (B1's n is the number of gaps Delta_i it sums, one per suboptimal arm)."""
    parts = [f"bounds {b.quantity}"] if getattr(b, "quantity", None) else []
    for name, meaning in glossary.items():
        restates = meaning.startswith(name) and not meaning[len(name):len(name) + 1].isalnum()
        parts.append(meaning if restates else f"{name} = {meaning}")
    parts += [f"{length} = the number of entries of {base.label}_i (the instance's vector the sum runs over, "
              f"i = 1..{length})" for base, length in b.vectors.items()]
    return "; ".join(parts)


def _power_cells(record) -> tuple[str, str, str]:
    """(worst-case tightness, detectable factor, detectable exponent shift) as shown in the summary: 'n/a' where
    the decision compares no bound (or no slope), '> 1000' / '> 1' where no error on the grid was detected. The
    factor cell shows the bound's and, named as such, the claimed failure rate's, each planted alone."""
    power = record.get("power") if isinstance(record.get("power"), dict) else {}
    applies = power.get("applies") or []

    def found(key):
        return "> 1000" if power.get(key) is None else _fmt(power[key])
    cells = ([found("detectable_factor")] if "factor" in applies else []) + (
        [f"{found('detectable_coverage_factor')} (failure rate)"] if "coverage" in applies else [])
    factor = "; ".join(cells) if cells else "n/a"
    shift = ("n/a" if "shift" not in applies else
             "> 1" if power.get("detectable_shift") is None else _fmt(power["detectable_shift"]))
    return _fmt(power.get("worst_case_tightness")), factor, shift


def _conf(record) -> str:
    return verdict_confidence_text(record.get("verdict"), record.get("confidence"), record.get("evidence"))


def _procedure_text(record) -> str:
    """Which procedure version decided the verdict, and the procedure changes that touched the claim."""
    cid = str(record["id"])
    stored = record.get("procedure_version")
    current = procedure_version()
    text = (f"Decided by procedure version {stored}" if stored else "Decided before procedure versions were recorded")
    if stored and stored != current:
        text += f" (the current procedures are version {current}: rerun to decide with them)"
    if record.get("decision_version"):
        params = dict(record.get("decision_parameters") or {})
        parts = params.pop("PARTS", None)
        declared = (f" and {len(parts)} declared part{'s' if len(parts) != 1 else ''} (procedure, parameters, share "
                    f"of delta, role)" if isinstance(parts, list) else "")
        text += (f"; the claim's declared decision parameters ({len(params)} module constants of its claim.py: "
                 f"thresholds, windows, tolerances, replications{declared}) hash to {record['decision_version']}")
    late = [c for c in changes_for(cid) if c["after_seeing_results"]]
    if late:
        text += "; procedure changes made after seeing this claim's results: " + "; ".join(
            f"{c['date']}: {c['change']} ({c['effect']})" for c in late)
    return text + "."


def _changes_rows(ids: set[str], with_shared: bool) -> list[list[str]]:
    """The procedure changes that touched the report's claims: those naming one of ``ids``, and the changes to the
    shared procedures ("*") when the report holds project claims (a report of a user's own claims lists only its
    claims' history; its verdicts name the procedure version they were decided by)."""
    return [[c["date"], ", ".join(c["claims"]).replace("*", "every claim using it"), ", ".join(c["procedures"]),
             c["change"], c["why"], "yes" if c["after_seeing_results"] else "no", c["effect"]] for c in CHANGES
            if ids & set(c["claims"]) or (with_shared and "*" in c["claims"])]


def _header_line(records, store_path) -> str:
    """What the report shows, in one line at its top: fidelity, root seed, suite, procedure version, store."""
    def values(get):
        found = sorted({str(v) for r in records if (v := get(r)) is not None})
        return ", ".join(found) if found else "not recorded"

    def suite(r):
        prov = r.get("provenance") if isinstance(r.get("provenance"), dict) else {}
        if "suite" not in prov:
            return "not recorded"
        return prov["suite"] or "claims named one by one"
    return (f"Fidelity: {values(lambda r: r.get('fidelity'))} · root seed: {values(lambda r: r.get('root_seed'))} · "
            f"suite: {values(suite)} · procedure version: {values(lambda r: r.get('procedure_version'))} · "
            f"store: {Path(str(store_path)).name}")


_CHANGES_HEADS = ["date", "claims", "procedures", "change", "why", "made after seeing the results", "effect"]


def _power_text(record) -> str:
    power = record.get("power") if isinstance(record.get("power"), dict) else None
    if power is None:
        return ""
    text = f"Power: {power.get('note', '')}"
    if power.get("worst_case_tightness") is not None and power.get("worst_case_lower"):
        text += (f"; lower bound: the best policy found has regret {_fmt(power['worst_case_tightness'])} times the "
                 "bound")
    elif power.get("worst_case_tightness") is not None:
        text += f"; worst-case tightness found by the instance search {_fmt(power['worst_case_tightness'])}"
        if power.get("worst_case_instance"):
            text += f" ({power['worst_case_instance']})"
    if power.get("why_not"):
        text += f". Why a factor-2 error is not detected: {power['why_not']}"
    return text + "."


def _budget_text(records) -> str:
    declared = [r.get("provenance", {}).get("false_alarm_budget") for r in records
                if isinstance(r.get("provenance"), dict)]
    declared = [d for d in declared if isinstance(d, (int, float))]
    alarm = sum(1 - r["confidence"] for r in records if isinstance(r.get("confidence"), (int, float)))
    text = (f"False-alarm probability of these verdicts together: at most {alarm:.3g} (union bound: the sum of "
            "1 - confidence over the claims shown; exact checks add nothing).")
    if declared:
        text = f"Declared family-wise false-alarm budget of the suite: {max(declared):.3g}. " + text
    seeds = sorted({r.get("root_seed") for r in records if isinstance(r.get("root_seed"), int)})
    fidelities = sorted({str(r.get("fidelity")) for r in records if r.get("fidelity")})
    if seeds:
        text += (f" Decided at fidelity {', '.join(fidelities)} on root seed{'s' if len(seeds) > 1 else ''} "
                 f"{', '.join(map(str, seeds))}.")
    return text


_SUMMARY_NOTE = ("check: theorem (a published statement, constants included), identity (an algebraic or "
                 "definitional fact: it catches code bugs, it does not test a theorem) or reconstructed (the statement "
                 "was rebuilt from an abstract or notes). Tightness = empirical / bound on the claim's instances; the "
                 "worst case is the largest found by the claim's instance search (for a lower bound, the best policy's "
                 "regret / bound, the smallest). Detectable factor: the smallest k "
                 "such that the same decision on the same stored simulations calls the bound violated when it is "
                 "wrong by k (upper bounds divided, lower bounds and constants multiplied); exponent shift likewise "
                 "for slope thresholds; n/a where the decision compares no bound or slope.")

_STYLE = ("body{font-family:sans-serif;max-width:1100px;margin:auto;padding:1em;color:#1f2328}"
          "table{border-collapse:collapse;margin:0.5em 0}td,th{border:1px solid #ccc;padding:3px 7px;font-size:88%}"
          "th{background:#f6f8fa}img{max-width:100%}.holds{color:#1a7f37;font-weight:bold}"
          ".violated{color:#cf222e;font-weight:bold}.inconclusive{color:#9a6700;font-weight:bold}"
          ".vacuous{color:#656d76;font-style:italic}"
          "pre{font-size:75%;white-space:pre-wrap}math{font-size:115%}section{border-top:1px solid #ddd;margin-top:"
          "1.5em}.counts span{margin-right:1.2em}details{margin:0.3em 0}img.bound{max-width:100%;margin:0.3em 0}")


def write_report(store_path: str, out_dir: str = "reports", *, self_contained: bool = False,
                 latex_dir: str | None = None) -> ReportFiles:
    """Write the report of the latest verdict of every claim in the store (see the module docstring)."""
    if not Path(store_path).exists():
        raise UsageError(f"no store at {store_path}; run `testbed run` first or give --store")
    with Store(store_path, readonly=True) as store:
        records = store.latest_runs()
        failures = store.failures()
    if not records:
        raise UsageError(f"the store {store_path} holds no verdicts yet; run `testbed run` first")
    records.sort(key=lambda rec: claim_order(str(rec["id"])))
    out = Path(out_dir)
    latex_path = Path(latex_dir) if latex_dir else None
    claims = {str(r["id"]): _claim_or_none(r["id"]) for r in records}
    formats = ("png",) if self_contained else ("png", "svg", "pdf")
    if latex_path is not None:
        formats = tuple(dict.fromkeys(formats + ("pdf",)))
    # Everything is written into staging folders beside the targets first and moved into place only when all of it
    # was written: a failure (a full disk, an unwritable --latex folder, a figure that raises) leaves the targets
    # as they were, never half a report.
    staged = []
    try:
        with _oserror_as(f"cannot write the report to {out}"):
            stage_out = _staging(out, staged)
            if not self_contained:
                (stage_out / "figures").mkdir()
                (stage_out / "evidence").mkdir()
        stage_latex = None
        if latex_path is not None:
            with _oserror_as(f"cannot write the LaTeX appendix to {latex_path}"):
                stage_latex = _staging(latex_path, staged)
                (stage_latex / "figures").mkdir()
        with _oserror_as(f"cannot write the report to {out}"):
            files = _write(records, failures, claims, stage_out, formats, self_contained, stage_latex, store_path)
        with _oserror_as(f"cannot move the report into {out}"):
            _move_into(stage_out, out)
            if stage_latex is not None:
                _move_into(stage_latex, latex_path)
    finally:
        for folder in staged:
            shutil.rmtree(folder, ignore_errors=True)
    return ReportFiles({k: (latex_path if k == "latex" else out) / Path(v).name for k, v in files.items()})


@contextmanager
def _oserror_as(message: str):
    """An OSError inside (a full disk, a folder that cannot be made) as one StoreError line: ``message: why``."""
    try:
        yield
    except OSError as exc:
        raise StoreError(f"{message}: {exc.strerror or exc}") from None


def _staging(target: Path, staged: list) -> Path:
    """A new empty folder beside ``target`` (same file system, so the final moves are renames)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    folder = Path(tempfile.mkdtemp(prefix=f".{target.name}.staging-", dir=target.parent))
    staged.append(folder)
    return folder


def _move_into(stage: Path, target: Path) -> None:
    """Move every file of ``stage`` to the same place under ``target`` (each file replaced by a rename)."""
    target.mkdir(parents=True, exist_ok=True)
    for path in sorted(stage.rglob("*")):
        dest = target / path.relative_to(stage)
        if path.is_dir():
            dest.mkdir(exist_ok=True)
        else:
            os.replace(path, dest)


def _bound_svg(latex_code: str) -> bytes | None:
    """The bound drawn by Matplotlib's mathtext (Computer Modern, glyphs as paths), or None where mathtext cannot
    parse it (the page then shows the MathML). Browsers render MathML with whatever math font the reader has; with
    none, nested radicals come out as superscripts, so the drawn formula is what the page shows."""
    fig = plt.figure(figsize=(0.01, 0.01))
    try:
        fig.text(0, 0, f"${latex_code}$", fontsize=20, math_fontfamily="cm")
        buf = io.BytesIO()
        with matplotlib.rc_context({"svg.fonttype": "path", "svg.hashsalt": "bound"}):
            fig.savefig(buf, format="svg", bbox_inches="tight", pad_inches=0.03, transparent=True,
                        metadata={"Date": None})
        return buf.getvalue()
    except ValueError:                             # mathtext's parse error (e.g. \begin{cases})
        return None
    finally:
        plt.close(fig)


def _file_id(claim_id) -> str:
    """A claim id as a file name (ids are short identifiers, but a hand-edited store may hold anything)."""
    return "".join(ch if ch.isalnum() or ch in "-._" else "_" for ch in str(claim_id))[:64] or "claim"


def _write(records, failures, claims, out, formats, self_contained, latex_path, store_path) -> ReportFiles:
    e, m = html_escape, markdown_escape
    counts = Counter(str(r["verdict"]) for r in records)
    fam_of = {str(r["id"]): str(r.get("family") or (claims[str(r["id"])].family if claims[str(r["id"])] else "other"))
              for r in records}
    families = list(dict.fromkeys(fam_of[str(r["id"])] for r in records))
    has_power = any(isinstance(r.get("power"), dict) for r in records)
    failed_by_claim = {}
    for f in failures:
        failed_by_claim.setdefault(str(f["claim_id"]), []).append(f)

    counts_text = ", ".join(f"{counts.get(v, 0)} {v}" for v in VERDICTS)
    budget = " ".join(t for t in (_budget_text(records), strength_counts_text(records), power_counts_text(records))
                      if t)
    header = _header_line(records, store_path)
    ids = {str(r["id"]) for r in records}
    with_shared = any(c is not None and c.package.startswith("testbed.claims.") for c in claims.values())
    changes = _changes_rows(ids, with_shared)
    md = ["# RL theory testbed: verification report", "", f"**{m(header)}**", "",
          f"Generated by `testbed report` from the verdicts in `{m(Path(str(store_path)).name)}`: {len(records)} "
          f"claims, {counts_text}."
          " Verdicts `holds` / `violated` / `inconclusive` at the stated confidence (`vacuous`: not a test); "
          "tightness = empirical / bound (exact claims: true error / guaranteed error); slope ratios are named as "
          "such in the evidence.", "",
          m(budget), ""]
    summary_heads = ["claim", "check", "verdict", "strongest tested part", "vacuous parts", "confidence",
                     "tightness (catalogue instances)"]
    if has_power:
        summary_heads += ["worst-case tightness (search)", "detectable factor", "detectable exponent shift"]
    summary_md = ["## Summary", "", "| " + " | ".join(summary_heads) + " |", "|" + "---|" * len(summary_heads)]
    summary_rows = []
    for r in records:
        cid, fid = str(r["id"]), _file_id(r["id"])
        st = strength_of(r)
        cells = [r.get("check_type") or "", r["verdict"], st.get("strongest") or "none",
                 ", ".join(map(str, st.get("vacuous") or [])) or "-", _conf(r), _fmt(r["tightness"])]
        if has_power:
            cells += list(_power_cells(r))
        summary_md.append("| " + " | ".join([f"[{m(cid)}](#{m(fid.lower())})"] + [m(c) for c in cells]) + " |")
        verdict_class = str(r["verdict"]) if str(r["verdict"]) in VERDICTS else ""
        summary_rows.append("<tr>" + "".join(
            [f"<td><a href='#{e(fid)}'>{e(cid)}</a></td>"]
            + [f"<td class='{verdict_class}'>{e(c)}</td>" if k == 1 else f"<td>{e(c)}</td>"
               for k, c in enumerate(cells)]) + "</tr>")
    md += summary_md + ["", _SUMMARY_NOTE, ""]
    summary_html = ("<h2>Summary</h2><table><tr>" + "".join(f"<th>{e(h)}</th>" for h in summary_heads) + "</tr>"
                    + "".join(summary_rows) + f"</table><p>{e(_SUMMARY_NOTE)}</p>")
    heads = ["claim", "source", "status", "kind", "verdict", "confidence", "tightness", "samples", "time (s)",
             "fidelity"]
    html_tables, html_sections, md_body, latex_rows, latex_figs = [], [], [], [], []
    for fam in families:
        fam_records = [r for r in records if fam_of[str(r["id"])] == fam]
        md += [f"## Family: {m(fam)}", "", "| " + " | ".join(heads) + " |", "|" + "---|" * len(heads)]
        rows = []
        for r in fam_records:
            cid = str(r["id"])
            fid = _file_id(cid)
            cells = [f"{cid} {r['title']}", r["source"], r["status"], " + ".join(map(str, r.get("kind") or [])),
                     r["verdict"], _conf(r), _fmt(r["tightness"]), _fmt(r["n_samples"]),
                     _fmt(r["seconds"], 3), r["fidelity"]]
            md.append("| " + " | ".join([f"[{m(cid)}](#{m(fid.lower())}) {m(r['title'])}"]
                                        + [m(c) for c in cells[1:]]) + " |")
            verdict_class = str(r["verdict"]) if str(r["verdict"]) in VERDICTS else ""
            rows.append("<tr>" + "".join(
                [f"<td><a href='#{e(fid)}'>{e(cid)}</a> {e(r['title'])}</td>"]
                + [f"<td class='{verdict_class}'>{e(c)}</td>" if k == 4 else f"<td>{e(c)}</td>"
                   for k, c in enumerate(cells) if k > 0]) + "</tr>")
            latex_rows.append(r)
        md.append("")
        html_tables.append(f"<h2>Family: {e(fam)}</h2><table><tr>" + "".join(f"<th>{e(h)}</th>" for h in heads)
                           + "</tr>" + "".join(rows) + "</table>")

    for r in records:
        cid = str(r["id"])
        fid = _file_id(cid)
        claim = claims[cid]
        figs = _render_figure(r, claim, formats)
        evidence_json = strict_json(r.get("evidence"), indent=1, default=str)
        if not self_contained:
            for fmt, data in figs.items():
                (out / "figures" / f"{fid}.{fmt}").write_bytes(data)
            (out / "evidence" / f"{fid}.json").write_text(evidence_json)
        if latex_path is not None:
            (latex_path / "figures" / f"{fid}.pdf").write_bytes(figs["pdf"])
            latex_figs.append((r, claim, fid))
        ev_lines = _evidence_lines(r, claim)
        prov = _provenance_lines(r.get("provenance"))
        bound = _bound_parts(r, claim)
        fails = failed_by_claim.get(cid, [])
        power_text = _power_text(r)
        procedure_text = _procedure_text(r)

        md_body += [f"## {m(cid)}", f'<a id="{e(fid.lower())}"></a>', "",
                    f"**{m(r['title'])}** — {m(r['source'])} (statement {m(r['status'])})", "",
                    f"> {m(r['statement'])}", ""]
        if bound:
            theorem, finite, conditions, _, latex_code, _stored, symbols = bound
            md_body += [f"Bound ({m(theorem)}, {'finite-time' if finite else 'asymptotic'}):", ""]
            if latex_code:
                md_body += [f"$$ {latex_code} $$", ""]
            md_body += [f"Conditions: {m('; '.join(map(str, conditions)))}.", ""]
            if symbols:
                md_body += [f"Symbols: {m(symbols)}.", ""]
        md_body += [f"Strength: {m(strength_of(r).get('line', ''))}.", ""]
        md_body += [f"Verdict: **{m(r['verdict'])}** at confidence {m(_conf(r))} — "
                    f"{m(r['method'])}; correction: {m(r['correction'])}. Tightness {m(_fmt(r['tightness']))}; "
                    f"{m(r['n_samples'])} samples in {m(r['n_tasks'])} tasks ({m(r['n_cached'])} from the store).", "",
                    m(power_text), "", m(procedure_text), "",
                    f"![{m(cid)}](figures/{fid}.png)" if not self_contained else "", "", "Evidence:", ""]
        evidence_link = "" if self_contained else f"- full evidence: [evidence/{fid}.json](evidence/{fid}.json)"
        md_body += [f"- {m(line)}" for line in ev_lines] + [evidence_link, "", "Provenance:", ""]
        md_body += [f"- {m(p)}" for p in prov] + [""]

        if bound:
            theorem, finite, conditions, mathml, latex_code, stored_latex, symbols = bound
            shown = mathml if mathml else f"<pre>{e(stored_latex)}</pre>"
            source_latex = latex_code if latex_code else stored_latex
            svg = _bound_svg(latex_code) if latex_code else None
            if svg is not None:                   # fonts drawn as paths: readable without any math font
                if self_contained:
                    src = "data:image/svg+xml;base64," + base64.b64encode(svg).decode()
                else:
                    (out / "figures" / f"{fid}-bound.svg").write_bytes(svg)
                    src = f"figures/{fid}-bound.svg"
                shown = (f"<p><img class='bound' alt='{e(source_latex)}' src='{src}'></p>"
                         + (f"<details><summary>MathML</summary>{mathml}</details>" if mathml else ""))
            bound_html = (f"<p>Bound ({e(theorem)}, {'finite-time' if finite else 'asymptotic'}):</p>{shown}"
                          f"<details><summary>LaTeX source</summary><pre>{e(source_latex)}</pre></details>"
                          f"<p>Conditions: {e('; '.join(map(str, conditions)))}.</p>"
                          + (f"<p>Symbols: {e(symbols)}.</p>" if symbols else ""))
        else:
            no_bound = getattr(claim, "no_bound", None) if claim else None
            bound_html = f"<p>No bound: {e(no_bound)}</p>" if no_bound else ""
        if self_contained:
            img = (f"<img alt='{e(cid)} figure' src='data:image/png;base64,{base64.b64encode(figs['png']).decode()}'>")
            evidence_html = (f"<details><summary>full evidence (JSON)</summary><pre>{e(evidence_json)}</pre>"
                             "</details>")
        else:
            img = (f"<img alt='{e(cid)} figure' src='figures/{e(fid)}.png' loading='lazy'><p>Figure for print: "
                   f"<a href='figures/{e(fid)}.svg'>SVG</a>, <a href='figures/{e(fid)}.pdf'>PDF</a></p>")
            evidence_html = f"<p>Full evidence: <a href='evidence/{e(fid)}.json'>evidence/{e(fid)}.json</a></p>"
        fail_html = "".join(f"<p class='violated'>failed run ({e(f['finished_at'])}): {e(f['error'])}</p>"
                            for f in fails[-3:])
        verdict_class = str(r["verdict"]) if str(r["verdict"]) in VERDICTS else ""
        html_sections.append(
            f"<section id='{e(fid)}'><h2>{e(cid)}: {e(r['title'])}</h2>"
            f"<p>{e(r['source'])} (statement {e(r['status'])}; check {e(r.get('check_type') or 'n/a')}; kind "
            f"{e(' + '.join(map(str, r.get('kind') or [])))})"
            f"</p><blockquote>{e(r['statement'])}</blockquote>{bound_html}"
            f"<p>Strength: {e(strength_of(r).get('line', ''))}.</p>"
            f"<p>Verdict: <span class='{verdict_class}'>{e(r['verdict'])}</span> at confidence "
            f"{e(_conf(r))} — {e(r['method'])}; correction: {e(r['correction'])}. "
            f"Tightness {e(_fmt(r['tightness']))}; {e(r['n_samples'])} samples in {e(r['n_tasks'])} tasks.</p>"
            + (f"<p>{e(power_text)}</p>" if power_text else "") + f"<p>{e(procedure_text)}</p>" +
            f"{fail_html}{img}<h3>Evidence</h3><ul>{''.join(f'<li>{e(x)}</li>' for x in ev_lines)}</ul>"
            f"{evidence_html}<h3>Provenance</h3><ul>{''.join(f'<li>{e(x)}</li>' for x in prov)}</ul></section>")

    md_path, html_path = out / "index.md", out / "index.html"
    if changes:
        changes_md = ["## Procedure changes", "", "| " + " | ".join(_CHANGES_HEADS) + " |",
                      "|" + "---|" * len(_CHANGES_HEADS)] + ["| " + " | ".join(m(c) for c in row) + " |"
                                                             for row in changes] + [""]
        changes_html = ("<h2>Procedure changes</h2><table><tr>" + "".join(f"<th>{e(h)}</th>" for h in _CHANGES_HEADS)
                        + "</tr>" + "".join("<tr>" + "".join(f"<td>{e(c)}</td>" for c in row) + "</tr>"
                                            for row in changes) + "</table>")
    else:
        changes_md, changes_html = [], ""
    md_path.write_text("\n".join(md + changes_md + md_body) + "\n")
    counts_html = "".join(f"<span class='{v}'>{counts.get(v, 0)} {v}</span>" for v in VERDICTS)
    html_path.write_text(
        "<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'><title>RL theory testbed report</title>"
        f"<style>{_STYLE}</style></head><body><h1>RL theory testbed: verification report</h1>"
        f"<p class='header'><strong>{e(header)}</strong></p>"
        f"<p class='counts'>{len(records)} claims: {counts_html}</p><p>{e(budget)}</p>"
        "<p>Verdicts at the stated confidence; tightness = empirical / bound. Bounds are drawn from the claims' "
        "SymPy expressions (SVG, no math font needed); each has its MathML and LaTeX source.</p>"
        + summary_html + "".join(html_tables) + changes_html + "".join(html_sections) + "</body></html>\n")
    files = ReportFiles(html=html_path, markdown=md_path)
    if latex_path is not None:
        files["latex"] = _write_latex(latex_rows, latex_figs, latex_path, has_power, counts_text, budget)
    return files


def _write_latex(records, figs, path: Path, has_power: bool, counts_text: str, budget: str) -> Path:
    t = latex_escape
    cols = ["Claim", "Source", "Verdict", "Confidence", "Tightness"] + (["Detectable factor"] if has_power else [])
    ragged = ">{\\raggedright\\arraybackslash}"
    widths = (0.19, 0.21, 0.09, 0.12, 0.09) + ((0.1,) if has_power else ())
    spec = "".join(f"{ragged}p{{{w}\\textwidth}}" for w in widths)
    lines = [
        "% results.tex: written by `testbed report --latex`; \\input it in a document that loads array and longtable",
        "{\\small",
        f"\\begin{{longtable}}{{{spec}}}",
        "\\hline",
        " & ".join(f"\\textbf{{{c}}}" for c in cols) + " \\\\",
        "\\hline",
        "\\endhead",
    ]
    for r in records:
        row = [f"{t(r['id'])}: {t(r['title'])}", t(r["source"]), t(r["verdict"]), t(_conf(r)),
               t(_fmt(r["tightness"]))]
        if has_power:
            row.append(t(_power_cells(r)[1]))
        lines.append(" & ".join(row) + " \\\\")
    lines += [
        "\\hline",
        f"\\caption{{Verdicts of the testbed ({t(counts_text)}). {t(budget)}}}",
        "\\end{longtable}",
        "}",
    ]
    (path / "results.tex").write_text("\n".join(lines) + "\n")
    fig_lines = ["% figures.tex: written by `testbed report --latex`; needs graphicx and amsmath (one float per "
                 "claim, its bound under its figure)"]
    for r, claim, fid in figs:
        bound = claim.bound() if claim is not None else None
        caption = f"{t(r['id'])}: {t(r['title'])} ({t(r['source'])}). Verdict {t(r['verdict'])}."
        fig_lines += ["\\begin{figure}[htbp]", "\\centering",
                      f"\\includegraphics[width=\\textwidth,height=0.35\\textheight,keepaspectratio]"
                      f"{{figures/{fid}.pdf}}"]
        if bound is not None:   # the bound travels with its figure
            fig_lines += [f"\\par\\smallskip Bound ({t(bound.theorem)}): $\\displaystyle {bound.latex()}$"]
        fig_lines += [f"\\caption{{{caption}}}", "\\end{figure}"]
    (path / "figures.tex").write_text("\n".join(fig_lines) + "\n")
    appendix = path / "appendix.tex"
    appendix.write_text("\n".join([
        "% appendix.tex: compile with `pdflatex appendix.tex`, or \\input results.tex and figures.tex in a paper",
        "\\documentclass{article}", "\\usepackage[T1]{fontenc}", "\\usepackage[utf8]{inputenc}",
        "\\usepackage{lmodern}", "\\usepackage{amsmath,amssymb,array,graphicx,longtable}",
        "\\usepackage[margin=2cm]{geometry}",
        "\\begin{document}", "\\section*{Appendix: verification by the RL theory testbed}",
        "\\input{results.tex}", "\\clearpage", "\\input{figures.tex}", "\\clearpage", "\\end{document}"])
        + "\n")
    return appendix
