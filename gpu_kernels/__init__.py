"""gpu_kernels: batched solvers and simulators on CuPy (later issues). For now only backend detection.

Importable without CuPy or a GPU: ``backend()`` returns ``"cupy"`` only when CuPy imports and sees at least
one CUDA device, else ``"cpu"`` (the NumPy/Numba path of ``tabular_envs``).
"""
from __future__ import annotations

import functools

__all__ = ["backend", "gpu_available", "describe_backend"]


@functools.lru_cache(maxsize=1)
def _probe() -> tuple[str, str]:
    try:
        import cupy  # noqa: F401
    except Exception as exc:  # ImportError, or a broken CUDA install raising at import
        return "cpu", f"cupy not importable ({type(exc).__name__})"
    try:
        n = cupy.cuda.runtime.getDeviceCount()
    except Exception as exc:
        return "cpu", f"cupy imported but no CUDA device ({type(exc).__name__})"
    if n < 1:
        return "cpu", "cupy imported but no CUDA device"
    return "cupy", f"cupy {cupy.__version__}, {n} CUDA device(s)"


def backend() -> str:
    return _probe()[0]


def gpu_available() -> bool:
    return backend() == "cupy"


def describe_backend() -> str:
    return _probe()[1]
