"""The report: light page with linked figures, self-contained variant, LaTeX appendix, and escaping of everything
read from the store (a store is data a colleague may hand over; it must not inject markup)."""
import json
import re
import shutil
import subprocess

import pytest

from testbed.cli import main
from testbed.errors import StoreError
from testbed.report import html_escape, latex_escape, markdown_escape, write_report
from testbed.store import Store

PAYLOAD = "<script>alert(1)</script>|**x**_$y$"


@pytest.fixture(scope="module")
def store_path(tmp_path_factory):
    path = tmp_path_factory.mktemp("report") / "s.sqlite"
    assert main(["run", "B1", "D1", "--store", str(path), "--no-progress"]) == 0
    return path


@pytest.fixture(scope="module")
def hostile_store(store_path, tmp_path_factory):
    """A copy of the store whose text fields all carry markup, plus a record of an unknown claim and a failure."""
    path = tmp_path_factory.mktemp("hostile") / "s.sqlite"
    shutil.copy(store_path, path)
    with Store(path) as store:
        rec = store.latest_run("B1")
        for field in ("title", "source", "status", "verdict", "correction", "method", "statement", "fidelity"):
            rec[field] = f"{field}{PAYLOAD}"
        rec["provenance"] = {**rec["provenance"], "machine": PAYLOAD, "git_commit": PAYLOAD}
        rec["bound"] = {**rec["bound"], "theorem": PAYLOAD, "conditions": [PAYLOAD], "latex": PAYLOAD}
        store.put_run("B1", "quick", 0, rec)
        alien = dict(rec, id=f"Z{PAYLOAD}")
        store.put_run(alien["id"], "quick", 0, alien)
        store.put_failure(None, f"RuntimeError: {PAYLOAD}", "tb", "w", claim_id="B1", fidelity="quick")
    return path


def test_default_report_links_figures_and_evidence(store_path, tmp_path):
    files = write_report(str(store_path), str(tmp_path / "rep"))
    assert set(files) == {"html", "markdown"}
    out = tmp_path / "rep"
    html = (out / "index.html").read_text()
    assert "data:image" not in html and len(html.encode()) < 60_000
    for cid in ("B1", "D1"):
        assert f"src='figures/{cid}.png'" in html and f"figures/{cid}.svg" in html and f"figures/{cid}.pdf" in html
        for ext, magic in (("png", b"\x89PNG"), ("svg", b"<?xml"), ("pdf", b"%PDF")):
            assert (out / "figures" / f"{cid}.{ext}").read_bytes().startswith(magic)
        evidence = json.loads((out / "evidence" / f"{cid}.json").read_text())
        assert isinstance(evidence, dict) and evidence
    # counts and family tables, the bound as MathML with its LaTeX source beside it
    assert re.search(r"2 claims: <span class='holds'>2 holds</span>", html)
    assert "<h2>Family: bandits</h2>" in html and "<h2>Family: dp</h2>" in html
    assert "<math" in html and "<summary>LaTeX source</summary>" in html
    # the bounds are drawn (glyphs as paths: readable without a math font), MathML beside them
    assert "class='bound'" in html and "<summary>MathML</summary>" in html
    # B1's symbols: its own glossary (figure.SYMBOLS) and n, the length of the sum (from the Bound's own vectors)
    assert ("Symbols: bounds E[R(T)] of UCB1; Delta_i = mu* - mu_i, the gap of the i-th suboptimal arm" in html
            and "; T = the horizon, the number of pulls; n = the number of entries of Delta_i" in html)
    drawn = sorted((out / "figures").glob("*-bound.svg"))
    assert drawn and all(b"<path" in p.read_bytes() and b"<text" not in p.read_bytes() for p in drawn)
    md = (out / "index.md").read_text()
    assert "## Family: bandits" in md and "$$" in md and "](evidence/B1.json)" in md


def test_self_contained_report_inlines_figures(store_path, tmp_path):
    files = write_report(str(store_path), str(tmp_path / "rep"), self_contained=True)
    html = files["html"].read_text()
    assert html.count("data:image/png;base64,") == 2
    assert not (tmp_path / "rep" / "figures").exists() and "full evidence (JSON)" in html


def test_latex_appendix_structure(store_path, tmp_path):
    files = write_report(str(store_path), str(tmp_path / "rep"), latex_dir=str(tmp_path / "tex"))
    tex = tmp_path / "tex"
    assert files["latex"] == tex / "appendix.tex"
    results = (tex / "results.tex").read_text()
    assert results.count("\\\\") == 3 and "\\begin{longtable}" in results and "\\end{longtable}" in results
    figures = (tex / "figures.tex").read_text()
    assert figures.count("\\begin{figure}") == 2 and figures.count("Bound (Theorem") == 2
    assert (tex / "figures" / "B1.pdf").read_bytes().startswith(b"%PDF")
    appendix = (tex / "appendix.tex").read_text()
    assert "\\input{results.tex}" in appendix and "\\input{figures.tex}" in appendix


@pytest.mark.skipif(shutil.which("pdflatex") is None, reason="pdflatex not installed")
def test_latex_appendix_compiles_even_from_a_hostile_store(hostile_store, tmp_path):
    write_report(str(hostile_store), str(tmp_path / "rep"), latex_dir=str(tmp_path / "tex"))
    res = subprocess.run(["pdflatex", "-interaction=nonstopmode", "-halt-on-error", "appendix.tex"],
                         cwd=tmp_path / "tex", capture_output=True, text=True, timeout=300)
    assert res.returncode == 0, res.stdout[-3000:]
    assert (tmp_path / "tex" / "appendix.pdf").stat().st_size > 10_000


def test_hostile_store_text_is_escaped_everywhere(hostile_store, tmp_path, capsys):
    files = write_report(str(hostile_store), str(tmp_path / "rep"), latex_dir=str(tmp_path / "tex"))
    assert "figure of Z" in capsys.readouterr().err      # the unknown claim gets a placeholder figure
    html = files["html"].read_text()
    assert "<script" not in html
    assert html.count("&lt;script&gt;") >= 12
    md = files["markdown"].read_text()
    assert "<script" not in md
    # every table row still has its header's number of cells: no unescaped pipe split a cell
    cells = []
    for line in md.splitlines():
        if line.startswith("| claim |"):
            cells.append(len(re.split(r"(?<!\\)\|", line)))
        elif line.startswith("| ["):
            assert len(re.split(r"(?<!\\)\|", line)) == cells[-1], line
    assert len(cells) == 3          # the summary and one table per family (bandits, dp)
    # the id of the unknown claim becomes a safe file name
    assert all(re.fullmatch(r"[A-Za-z0-9._-]+", p.name) for p in (tmp_path / "rep" / "figures").iterdir())
    results = (tmp_path / "tex" / "results.tex").read_text()
    assert "<script>" not in results and "\\textless{}script\\textgreater{}" in results


def test_escape_helpers_on_known_strings():
    assert html_escape("<a href='x'>&</a>") == "&lt;a href=&#x27;x&#x27;&gt;&amp;&lt;/a&gt;"
    assert markdown_escape("a|b\n*c* [d](e) <i>") == "a\\|b \\*c\\* \\[d\\](e) &lt;i&gt;"
    assert latex_escape("50% of $x_1$ & {y} ~ ^ \\ #") == (
        "50\\% of \\$x\\_1\\$ \\& \\{y\\} \\textasciitilde{} \\textasciicircum{} \\textbackslash{} \\#")
    assert latex_escape("δ ≤ 1 — ok 漢") == "$\\delta$ $\\leq$ 1 --- ok ?"


def test_report_cli_writes_all_three(store_path, tmp_path, capsys):
    assert main(["report", "--store", str(store_path), "--out", str(tmp_path / "r"), "--latex",
                 str(tmp_path / "t")]) == 0
    out = capsys.readouterr().out
    assert "wrote html:" in out and "wrote markdown:" in out and "wrote latex:" in out


def test_report_of_empty_or_missing_store_is_a_usage_error(tmp_path, capsys):
    assert main(["report", "--store", str(tmp_path / "missing.sqlite"), "--out", str(tmp_path / "r")]) == 2
    assert "Traceback" not in capsys.readouterr().err


def test_low_power_claims_are_counted_against_factor_2_and_shift_quarter():
    from testbed.report import low_power_claims, power_counts_text
    records = [
        {"id": "A", "power": {"applies": ["factor"], "detectable_factor": 2.0, "detectable_shift": None}},
        {"id": "B", "power": {"applies": ["factor"], "detectable_factor": 3.0, "detectable_shift": None}},
        {"id": "C", "power": {"applies": ["shift"], "detectable_factor": None, "detectable_shift": 0.25}},
        {"id": "D", "power": {"applies": ["factor", "shift"], "detectable_factor": None, "detectable_shift": 0.3}},
        {"id": "E", "power": {"applies": [], "detectable_factor": None, "detectable_shift": None}},
        {"id": "F"},
        # a success-probability claim: its failure rate wrong by 2 is its statement wrong by 2
        {"id": "G", "power": {"applies": ["coverage"], "detectable_coverage_factor": 2.0}},
        {"id": "H", "power": {"applies": ["coverage"], "detectable_coverage_factor": 5.0}},
        # a bound with a failure rate: the bound itself must be seen wrong by 2
        {"id": "I", "power": {"applies": ["coverage", "factor"], "detectable_factor": 5.0,
                              "detectable_coverage_factor": 1.5}},
    ]
    assert low_power_claims(records) == ["B", "D", "H", "I"]
    assert power_counts_text(records).startswith("Power: 4 claims detect neither")
    assert ("Explained by a searched tightest instance or by failures far below the claimed rate: none; not "
            "explained that way, only by its power note: B, D, H, I.") in power_counts_text(records)
    # a searched worst-case tightness 0.5 explains a detectable factor up to 1.5 / 0.5 = 3, not 5
    records[1]["power"]["worst_case_tightness"] = 0.5
    records[8]["power"]["worst_case_tightness"] = 0.5
    text = power_counts_text(records)
    assert ("failures far below the claimed rate: B (factor 3 <= 1.5 / searched worst-case tightness 0.5 = 3)"
            in text and "only by its power note: D, H, I." in text)
    from testbed.report import _power_cells
    assert _power_cells(records[8])[1] == "5; 1.5 (failure rate)" and _power_cells(records[6])[1] == "2 (failure rate)"
    # a lower bound: the best policy's regret is 20 times the bound; a bound wrong by 30 is within 1.5 x 20, 50 is not
    records[1]["power"].update(worst_case_tightness=20.0, worst_case_lower=True, detectable_factor=30.0)
    assert "B (lower bound: factor 30 <= 1.5 x the best policy's tightness 20 = 30)" in power_counts_text(records)
    records[1]["power"]["detectable_factor"] = 50.0
    assert "only by its power note: B, D, H, I." in power_counts_text(records)
    # a success-probability claim: failures at 0.2 of the claimed rate explain a detectable factor up to 7.5, not 10
    records[7]["power"].update(coverage_tightness=0.2)
    assert "H (failure rate: factor 5 <= 1.5 / (observed failure share / claimed rate 0.2) = 7.5)" \
        in power_counts_text(records)
    records[7]["power"].update(detectable_coverage_factor=10.0)
    assert "only by its power note: B, D, H, I." in power_counts_text(records)
    # no failure at all: no smaller claimed rate is an error of the algorithm; the factor of a claim that also
    # compares a bound (I) is the bound's, so its failures explain nothing
    records[7]["power"].update(detectable_coverage_factor=None, coverage_tightness=0.0, coverage_units=1,
                               coverage_all_trials=170)
    records[8]["power"].update(coverage_tightness=0.0, worst_case_tightness=None)
    text = power_counts_text(records)
    assert "H (failure rate: no failure in any of its 1 units (170 trials)" in text
    assert "only by its power note: B, D, I." in text


def test_coverage_tightness_is_the_largest_failure_share_over_the_claimed_rate():
    from testbed.power import coverage_tightness
    from testbed.stats import Verdict, decide_proportion_at_least
    v = decide_proportion_at_least([(190, 200), (99, 100)], [0.9, 0.98], 0.01, ["a", "b"])
    # unit a: 0.05 / 0.1 = 0.5; unit b: 0.01 / 0.02 = 0.5; then unit b at 0.06 / 0.1 = 0.6 is the largest
    got = coverage_tightness(v)
    assert abs(got["coverage_tightness"] - 0.5) < 1e-12 and got["coverage_all_trials"] == 300
    v = decide_proportion_at_least([(190, 200), (94, 100)], [0.9, 0.9], 0.01, ["a", "b"])
    got = coverage_tightness(v)
    assert abs(got["coverage_tightness"] - 0.6) < 1e-12
    assert (got["coverage_failures"], got["coverage_trials"]) == (6, 100)
    assert coverage_tightness(Verdict("holds", 0.99, "none", "exact", None, 1, {})) == {}


def test_a_report_that_fails_midway_changes_nothing(tmp_path, monkeypatch):
    """The report is staged beside its targets and moved in only when complete: a failure while writing the LaTeX
    appendix (after the HTML and every figure were written) leaves the previous report and no LaTeX folder."""
    import testbed.report as report
    from testbed.registry import get_claim
    from testbed.runner import run_claims
    from testbed.store import Store

    store = tmp_path / "s.sqlite"
    with Store(store) as st:
        run_claims([get_claim("B14")], "quick", st, progress=False)
    out, tex = tmp_path / "rep", tmp_path / "tex"
    report.write_report(str(store), str(out))
    before = {p: p.read_bytes() for p in out.rglob("*") if p.is_file()}

    def full_disk(*args, **kwargs):
        raise OSError(28, "No space left on device")
    monkeypatch.setattr(report, "_write_latex", full_disk)
    with pytest.raises(StoreError, match="No space left on device"):
        report.write_report(str(store), str(out), latex_dir=str(tex))
    assert {p: p.read_bytes() for p in out.rglob("*") if p.is_file()} == before
    assert not tex.exists()
    assert not [p.name for p in tmp_path.iterdir() if p.name.startswith(".")]       # no staging folder left


def test_the_same_evidence_gives_the_same_figure_bytes(store_path, tmp_path):
    # no dates in the SVG and PDF, fixed SVG ids: re-rendering a committed report changes only what changed
    write_report(str(store_path), str(tmp_path / "a"))
    write_report(str(store_path), str(tmp_path / "b"))
    figures = sorted((tmp_path / "a" / "figures").iterdir())
    assert {p.suffix for p in figures} >= {".png", ".svg", ".pdf"}
    for p in figures:
        assert p.read_bytes() == (tmp_path / "b" / "figures" / p.name).read_bytes(), p.name
