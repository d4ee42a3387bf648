"""Keep Numba's on-disk cache consistent across modules and subpackages.

Numba validates a cached function against the modification time of its OWN source file only, so a kernel whose
callee in another module changed (``bandits/kernels.py`` calling ``counter_rng.py``, or a claim's ``model.py``
calling the reward tape) would load stale machine code. At import the package hashes every Python source of the
project trees that hold kernels (``tabular_envs``, ``gpu_kernels`` and the claim folders of ``testbed/claims``)
and, when the hash differs from the one recorded beside the cache, drops every Numba cache file under those trees
before any kernel is compiled or loaded.
"""
from __future__ import annotations

import hashlib
from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent
_KERNEL_TREES = ("tabular_envs", "gpu_kernels", "testbed/claims")


def _trees(package: Path) -> list[Path]:
    """The kernel-holding trees beside ``package`` (only ``package`` itself when it stands alone, as in tests)."""
    root = package.parent
    found = [root / t for t in _KERNEL_TREES if (root / t).is_dir()]
    return found if package in found else [package]


def drop_stale_kernel_cache() -> bool:
    """Remove the Numba cache files of every kernel-holding tree if any source changed since they were written;
    True if it did."""
    trees = _trees(_PACKAGE)
    sources = sorted(p for tree in trees for p in tree.rglob("*.py"))
    h = hashlib.sha256()
    for p in sources:
        h.update(str(p.relative_to(_PACKAGE.parent)).encode())
        h.update(p.read_bytes())
    digest = h.hexdigest()
    stamp = _PACKAGE / "__pycache__" / "numba-kernel-sources.sha256"
    try:
        if stamp.read_text() == digest:
            return False
    except OSError:
        pass
    try:
        stamp.parent.mkdir(exist_ok=True)
        for tree in trees:
            for f in list(tree.rglob("*.nbi")) + list(tree.rglob("*.nbc")):
                f.unlink(missing_ok=True)
        stamp.write_text(digest)
    except OSError:
        return False  # a read-only install: its sources cannot change either
    return True
