"""Keep Numba's on-disk cache consistent across modules.

Numba validates a cached function against the modification time of its OWN source file only, so a kernel whose
callee in another module changed (``_bandit_kernels`` calling ``_rng``, for instance) would load stale machine
code. At import the package hashes all of its sources and, when the hash differs from the one recorded beside
the cache, drops the package's cache files before any kernel is compiled or loaded.
"""
from __future__ import annotations

import hashlib
from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


def drop_stale_kernel_cache() -> bool:
    """Remove this package's Numba cache files if any source changed since they were written; True if it did."""
    digest = hashlib.sha256(b"".join(p.read_bytes() for p in sorted(_PACKAGE.glob("*.py")))).hexdigest()
    cache = _PACKAGE / "__pycache__"
    stamp = cache / "numba-kernel-sources.sha256"
    try:
        if stamp.read_text() == digest:
            return False
    except OSError:
        pass
    try:
        cache.mkdir(exist_ok=True)
        for f in list(cache.glob("*.nbi")) + list(cache.glob("*.nbc")):
            f.unlink(missing_ok=True)
        stamp.write_text(digest)
    except OSError:
        return False  # a read-only install: its sources cannot change either
    return True
