"""Where a number came from: package versions, git commit, machine, seeds."""
from __future__ import annotations

import os
import platform
import subprocess
import sys
import time
from importlib import metadata
from pathlib import Path

_PACKAGES = ("rl-theory-testbed", "numpy", "numba", "scipy", "sympy", "hypothesis", "matplotlib")


def _version(name: str) -> str:
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return "not installed"


def git_commit() -> str:
    """The git commit of the checkout (with a mark when it has uncommitted changes), or why it is unknown."""
    root = Path(__file__).resolve().parent.parent
    try:
        out = subprocess.run(["git", "-C", str(root), "rev-parse", "HEAD"], capture_output=True, text=True,
                             timeout=5)
        dirty = subprocess.run(["git", "-C", str(root), "status", "--porcelain", "--untracked-files=no"],
                               capture_output=True, text=True, timeout=5)
    except (OSError, subprocess.SubprocessError):
        return "unknown"
    if out.returncode != 0:
        return "unknown (not a git checkout)"
    return out.stdout.strip() + (" (with uncommitted changes)" if dirty.stdout.strip() else "")


def provenance(**extra) -> dict:
    """Where a number came from: Python and package versions, git commit, machine, time, and ``extra``."""
    return {"python": sys.version.split()[0], "packages": {p: _version(p) for p in _PACKAGES},
            "git_commit": git_commit(),
            "machine": f"{platform.platform()}; {platform.processor() or platform.machine()}; "
                       f"{os.cpu_count()} CPUs",
            "timestamp": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()), **extra}
