"""A claim folder outside the repository is listed, run (by worker processes) and reported by the CLI."""
import json
import textwrap

import pytest

from testbed import registry
from testbed.cli import main

CLAIM = '''
"""X7. An outside claim: the mean of Uniform(0, 1) is 1/2 (checked by Monte Carlo, two tasks)."""
import numpy as np

from testbed.claim import Claim, Source
from testbed.stats import decide_within_standard_errors

from .model import draw_uniforms


class OutsideMean(Claim):
    id = "X7"
    family = "outside"
    title = "The mean of Uniform(0, 1) is 1/2"
    source = Source("A. Researcher", 2026, "A paper of their own", "Lemma 1")
    status = "confirmed"
    kind = ("exact", "statistical")
    statement = "E[U] = 1/2 for U ~ Uniform(0, 1)."
    no_bound = "an identity checked by Monte Carlo"

    def tasks(self, fidelity, root_seed):
        return [self.make_task(f"block{k}", {"n": 2000}, fidelity, root_seed, stream=f"block{k}") for k in range(2)]

    def run_task(self, task):
        return {"u": draw_uniforms(task.spec["n"], task.seed)}

    def decide(self, tasks, results):
        import numpy as np
        u = np.concatenate([r["u"] for r in results])
        return decide_within_standard_errors([u.mean()], [u.std(ddof=1) / np.sqrt(u.size)], [0.5], 4.0, ["E[U]"])


CLAIM = OutsideMean()
'''


@pytest.fixture
def outside(tmp_path, monkeypatch):
    folder = tmp_path / "my_repo" / "claims" / "x7_uniform_mean"
    folder.mkdir(parents=True)
    (folder / "claim.py").write_text(CLAIM)
    (folder / "model.py").write_text("import numpy as np\n\n\ndef draw_uniforms(n, seed):\n"
                                     "    return np.random.default_rng(seed).random(n)\n")
    (folder / "figure.py").write_text(textwrap.dedent('''
        def draw(evidence, fig):
            ax = fig.add_subplot(1, 1, 1)
            ax.bar([0], [evidence["comparisons"][0]["mean"]], label="mean")
            ax.axhline(0.5, color="black")
    '''))
    monkeypatch.setenv(registry.CLAIMS_PATH_VARIABLE, "")     # recorded, so the test's additions are undone
    monkeypatch.chdir(tmp_path)
    yield tmp_path / "my_repo" / "claims"
    registry.refresh()


def test_an_outside_claim_folder_is_listed_run_and_reported(outside, capsys):
    path = str(outside)
    assert main(["list", "--claims-path", path, "--family", "outside", "--json"]) == 0
    listed = json.loads(capsys.readouterr().out)
    assert [c["id"] for c in listed] == ["X7"] and listed[0]["source"].startswith("A. Researcher (2026)")
    assert main(["run", "X7", "--claims-path", path, "--workers", "2", "--store", "s.sqlite", "--json",
                 "--no-progress"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["results"][0]["id"] == "X7" and out["results"][0]["verdict"] == "holds"
    assert main(["report", "--store", "s.sqlite", "--out", "rep", "--claims-path", path]) == 0
    assert (outside.parent.parent / "rep" / "figures" / "X7.png").stat().st_size > 1000
    md = (outside.parent.parent / "rep" / "index.md").read_text()
    assert "X7" in md
    # the user's report: its own header, none of the project's procedure history, no absolute path
    assert "**Fidelity: quick · root seed: 0 · suite: claims named one by one · procedure version: " in md
    assert "## Procedure changes" not in md and "t_bounds" not in md
    assert str(outside.parent.parent) not in md
    with_project = outside.parent.parent / "both"
    assert main(["run", "B14", "--store", "s.sqlite", "--no-progress", "--no-power"]) == 0
    assert main(["report", "--store", "s.sqlite", "--out", str(with_project), "--claims-path", path]) == 0
    md = (with_project / "index.md").read_text()
    assert "## Procedure changes" in md and "every claim using it" in md      # B14 shares the project's procedures


def test_an_outside_claim_with_a_built_in_id_is_refused(outside, capsys, tmp_path):
    clash = outside / "b1_clash"
    clash.mkdir()
    (clash / "claim.py").write_text(CLAIM.replace('id = "X7"', 'id = "B1"'))
    (clash / "model.py").write_text((outside / "x7_uniform_mean" / "model.py").read_text())
    assert main(["list", "--claims-path", str(outside)]) == 2
    assert "duplicate claim id 'B1'" in capsys.readouterr().err


def test_a_missing_claims_path_is_a_usage_error(tmp_path, capsys):
    assert main(["list", "--claims-path", str(tmp_path / "nowhere")]) == 2
    assert "not a directory" in capsys.readouterr().err
