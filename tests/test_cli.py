import json
import subprocess
import sys

import pytest

from testbed.cli import main

CLI = [sys.executable, "-m", "testbed.cli"]


def test_list_json_has_the_four_claims_with_sources(capsys):
    assert main(["list", "--json"]) == 0
    claims = json.loads(capsys.readouterr().out)
    assert {c["id"] for c in claims} >= {"B1", "B2", "B3", "D1"}
    for c in claims:
        assert set(c) == {"id", "family", "title", "source", "kind", "status", "check_type", "gpu_tasks"}
        assert c["source"]


def test_show_json_contract(capsys, tmp_path):
    assert main(["show", "B1", "--json", "--store", str(tmp_path / "none.sqlite")]) == 0
    out = json.loads(capsys.readouterr().out)
    assert set(out) == {"id", "title", "source", "statement", "bound", "kind", "status", "check_type", "last_verdict"}
    assert "log" in out["bound"]["sympy"] and out["bound"]["latex"] and out["last_verdict"] is None


def test_run_json_contract_and_report(capsys, tmp_path):
    store = str(tmp_path / "s.sqlite")
    assert main(["run", "B1", "D1", "--store", store, "--json", "--no-progress"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["store"] == store
    for r in out["results"]:
        assert set(r) == {"id", "verdict", "tightness", "n_samples", "seconds", "evidence"}
        assert r["verdict"] == "holds"
    assert main(["report", "--store", store, "--out", str(tmp_path / "rep")]) == 0
    md = (tmp_path / "rep" / "index.md").read_text()
    assert "| [B1]" in md and "figures/B1.png" in md and "Provenance" in md
    html = (tmp_path / "rep" / "index.html").read_text()
    assert "src='figures/B1.png'" in html and "holds" in html and "data:image" not in html
    assert (tmp_path / "rep" / "figures" / "D1.png").stat().st_size > 1000


@pytest.mark.parametrize("args, code, fragment", [
    (["show", "Z9"], 2, "unknown claim id 'Z9'"),
    (["run", "Z9"], 2, "unknown claim id"),
    (["run", "--suite", "nope"], 2, "unknown suite"),
    (["run", "B1", "--fidelity", "huge"], 2, "unknown fidelity"),
    (["run"], 2, "exactly one"),
    (["run", "B1", "--workers", "0"], 2, "--workers"),
    (["list", "--family", "nope"], 2, "unknown family"),
    (["frobnicate"], 2, "invalid choice"),
])
@pytest.mark.slow
def test_usage_errors_exit_2_without_traceback(args, code, fragment, tmp_path):
    res = subprocess.run(CLI + args + (["--store", str(tmp_path / "s.sqlite")] if args[0] == "run" else []),
                         capture_output=True, text=True, timeout=120)
    assert res.returncode == code
    assert fragment in res.stderr and "Traceback" not in res.stderr


def test_bad_store_files(tmp_path):
    bad = tmp_path / "bad.sqlite"
    bad.write_text("not sqlite")
    res = subprocess.run(CLI + ["run", "B1", "--store", str(bad)], capture_output=True, text=True, timeout=120)
    assert res.returncode == 2 and "not a testbed store" in res.stderr and "Traceback" not in res.stderr
    res = subprocess.run(CLI + ["report", "--store", str(tmp_path / "absent.sqlite")], capture_output=True,
                         text=True, timeout=120)
    assert res.returncode == 2 and "no store" in res.stderr and "Traceback" not in res.stderr


def test_power_redecides_at_the_stored_delta(capsys, tmp_path):
    """`testbed power` re-decides a stored verdict at the delta it was decided at (a suite's share), not at the
    claim's default: with a budget of 1e-3 over one statistical claim, R8 decided at 1e-3 and power says so."""
    from testbed.registry import get_claim
    from testbed.runner import run_claims
    from testbed.store import Store
    store = str(tmp_path / "s.sqlite")
    claim = get_claim("R8")
    with Store(store) as st:
        run_claims([claim], "quick", st, with_power=False, false_alarm_budget=1e-3)
    capsys.readouterr()
    assert main(["power", "R8", "--store", store, "--json"]) == 0
    row = json.loads(capsys.readouterr().out)[0]
    assert row["delta"] == 1e-3 != claim.delta
