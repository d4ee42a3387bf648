"""The README says what the repository holds and how to use it: its RL example runs, its listings match the tree,
and it points at nothing outside the repository."""
from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")


def _section(heading: str) -> str:
    start = README.index(heading)
    nxt = re.search(r"^#{2,3} ", README[start + len(heading):], flags=re.M)
    return README[start: start + len(heading) + (nxt.start() if nxt else len(README))]


def _code_blocks(text: str, language: str = "") -> list[str]:
    return re.findall(r"^```" + language + r"\n(.*?)^```$", text, flags=re.M | re.S)


def _tracked() -> set[str]:
    out = subprocess.run(["git", "ls-files"], cwd=ROOT, capture_output=True, text=True, check=True).stdout
    return set(out.split())


def test_the_rl_engine_example_runs_and_shows_what_its_comment_says():
    (code,) = _code_blocks(_section("### 4. The RL engine from Python"), "python")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=600)
    assert proc.returncode == 0, proc.stderr[-2000:]
    lines = proc.stdout.strip().splitlines()
    assert [ln.split()[0] for ln in lines] == ["UCBVI-BF", "UCB-H", "rho*"], lines
    bf = np.array([float(x) for x in re.findall(r"[-\d.]+", lines[0].split(":", 1)[1])])
    assert bf.size == 4 and bf[-1] < bf[0] / 5, bf        # the comment: learning after a burn-in
    noted = re.search(r"# UCBVI-BF: \[([\d. ]+)\]", code).group(1)
    assert np.allclose([float(x) for x in noted.split()], bf, atol=0.006), (noted, bf)


def test_layout_lists_every_top_level_folder_and_names_only_files_that_exist():
    (layout,) = _code_blocks(_section("## Layout"))
    tracked = _tracked()
    top_dirs = {p.split("/")[0] for p in tracked if "/" in p and not p.startswith(".")}
    listed_top = {m.group(1) for m in re.finditer(r"^(\w+)/ ", layout, flags=re.M)}
    assert listed_top == top_dirs, (listed_top ^ top_dirs)
    # second-level entries (two-space indent) name a folder or file under the last top-level folder
    parent = None
    checked = 0
    for line in layout.splitlines():
        if m := re.match(r"^(\w+)/ ", line):
            parent = m.group(1)
        elif (m := re.match(r"^  ([\w.]+/?)", line)) and parent:
            name = m.group(1).rstrip("/")
            assert any(p == f"{parent}/{name}" or p.startswith(f"{parent}/{name}/") for p in tracked), (parent, name)
            checked += 1
    assert checked >= 6
    packages = {p.split("/")[1] for p in tracked if p.startswith("tabular_envs/") and p.endswith("/__init__.py")
                and p.count("/") == 2}
    listed = set(re.findall(r"^  (\w+)/", layout, flags=re.M))
    assert packages <= listed, packages - listed


def test_the_b1_folder_listing_is_the_b1_folder():
    section = _section("## How to add a claim")
    listing = next(b for b in _code_blocks(section) if b.startswith("b1_ucb1_auer2002/"))
    listed = {ln.split()[0] for ln in listing.splitlines()[1:] if ln.strip()}
    folder = "testbed/claims/bandits/b1_ucb1_auer2002/"
    actual = {p[len(folder):] for p in _tracked() if p.startswith(folder)}
    assert listed == actual, listed ^ actual


def test_the_readme_points_at_nothing_outside_the_repository():
    assert "../shared" not in README
    for path in re.findall(r"`((?:tabular_envs|testbed|proofs_check|gpu_kernels|benchmarks|tests)/[\w/.<>]*)`",
                           README):
        if "<" in path:
            continue
        assert (ROOT / path).exists(), path
