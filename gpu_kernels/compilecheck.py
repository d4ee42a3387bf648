"""Compile every GPU kernel for a real GPU, without one: ``python -m gpu_kernels.compilecheck --cc 9.0``.

Numba's CUDA simulator runs device code as plain Python, so it cannot tell whether a kernel compiles: a NumPy ufunc on
a scalar (``np.sqrt``, ``np.exp``, ``np.abs``, ``np.floor``) types in numba-cuda but has no CUDA lowering, and dies
with a bare ``KeyError`` and no source line. This check compiles each kernel to PTX with NVVM for the target compute
capability, with the argument types its launch uses, assembles the PTX with ``ptxas`` and prints one line per kernel
(registers, spill bytes), then one line per device function the kernels reached (PTX compiled for the argument types
they were called with). Exit status: 0 every kernel compiles; 1 a kernel or device function fails (named, with the
first offending source line); 3 no CUDA compiler is installed (``pip install '.[gpucheck]'`` installs the pinned one).

No driver is needed: ``numba.cuda.compile_ptx(fn, argtypes, device=False, cc=...)`` compiles offline, except that
numba-cuda 0.30.4 asks the current device for its compute capability when a kernel calls another device function
(``numba.cuda.dispatcher.compile_device``). The check answers that query with the target capability (it touches a
numba-cuda internal, which is why the ``gpucheck`` extra pins numba-cuda==0.30.4).
"""
from __future__ import annotations

import argparse
import ast
import inspect
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import textwrap
from dataclasses import dataclass, field
from pathlib import Path

__all__ = ["KernelReport", "kernel_table", "compile_kernel", "unlowered_calls", "main", "NO_COMPILER"]

NO_COMPILER = 3
# the numba-cuda whose internal device query the check answers (the gpucheck extra in pyproject.toml pins it)
NUMBA_CUDA_VERSION = "0.30.4"
# NumPy functions numba-cuda types on scalars but cannot lower to CUDA (the math module's versions lower)
UNLOWERED_NUMPY = ("sqrt", "exp", "abs", "floor", "ceil", "fabs", "expm1", "log1p", "power", "round")


@dataclass
class KernelReport:
    name: str
    ok: bool
    registers: int | None = None
    spill_bytes: int | None = None
    error: str = ""
    where: str = ""
    extra: dict = field(default_factory=dict)

    def line(self) -> str:
        if self.ok and self.extra.get("device"):
            return f"ok    device {self.name}: PTX"
        if self.ok:
            regs = "?" if self.registers is None else self.registers
            spill = "?" if self.spill_bytes is None else self.spill_bytes
            return f"ok    {self.name}: {regs} registers, {spill} bytes spilled"
        return f"FAIL  {self.name}: {self.error}" + (f" (first suspect: {self.where})" if self.where else "")


def unlowered_calls(fn) -> list[str]:
    """``file:line: source`` of every ``np.<f>(...)`` call in ``fn``'s source with ``f`` in ``UNLOWERED_NUMPY``
    (``np`` or ``numpy`` as the module name). Works on plain functions and on Numba dispatchers (their
    ``py_func``)."""
    py = getattr(fn, "py_func", fn)
    try:
        lines, first = inspect.getsourcelines(py)
        path = inspect.getsourcefile(py) or "?"
    except (OSError, TypeError):
        return []
    tree = ast.parse(textwrap.dedent("".join(lines)))
    found = []
    for node in ast.walk(tree):
        if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                and isinstance(node.func.value, ast.Name) and node.func.value.id in ("np", "numpy")
                and node.func.attr in UNLOWERED_NUMPY):
            lineno = first + node.lineno - 1
            found.append(f"{path}:{lineno}: {lines[node.lineno - 1].strip()}")
    return found


def _device_callees(py_func, seen: set | None = None) -> list:
    """The ``cuda.jit(device=True)`` dispatchers a function reaches through its globals and closure, transitively."""
    from numba.cuda.dispatcher import CUDADispatcher
    seen = set() if seen is None else seen
    out = []
    names = set(py_func.__code__.co_names) | set(py_func.__code__.co_freevars)
    scope = dict(py_func.__globals__)
    if py_func.__closure__:
        scope.update(zip(py_func.__code__.co_freevars, (c.cell_contents for c in py_func.__closure__), strict=True))
    for name in sorted(names):
        obj = scope.get(name)
        if isinstance(obj, CUDADispatcher) and id(obj) not in seen:
            seen.add(id(obj))
            out.append(obj)
            out.extend(_device_callees(obj.py_func, seen))
    return out


class _TargetDevice:
    """Stands in for the current device when numba-cuda asks for its compute capability at compile time."""
    def __init__(self, cc: tuple[int, int]):
        self.compute_capability = cc


def _answer_capability_queries(cc: tuple[int, int]) -> None:
    import numba.cuda.dispatcher as dispatcher
    dispatcher.get_current_device = lambda: _TargetDevice(cc)


def kernel_table() -> dict:
    """Every GPU kernel with the argument types its launch passes: name -> (kernel dispatcher, argtypes)."""
    from numba import types

    from tabular_envs.bandits.simulate import ALGORITHMS

    from . import bandits, mdp, rl
    c1, c2 = types.Array(types.float64, 1, "C"), types.Array(types.float64, 2, "C")
    c3, i1, i2, i3 = (types.Array(types.float64, 3, "C"), types.Array(types.int64, 1, "C"),
                      types.Array(types.int64, 2, "C"), types.Array(types.int64, 3, "C"))
    u2, u3 = types.Array(types.uint64, 2, "C"), types.Array(types.uint64, 3, "C")
    f8, i8, u8, b1 = types.float64, types.int64, types.uint64, types.boolean
    # simulate_gpu: means, gaussian, sigma, T, seed, first_rep, checkpoints, params, regret, pulls
    bandit_sig = (c1, types.boolean, types.float64, types.int64, types.uint64, types.int64,
                  types.Array(types.int64, 1, "C"), c1, c2, c2)
    table = {f"bandits.{name}": (bandits.GPU_ALGORITHMS[code], bandit_sig)
             for name, (code, _) in ALGORITHMS.items()}
    # bellman_sweep: P, r, gamma, V, policy, use_policy, out
    table["mdp.bellman_sweep"] = (mdp._sweep, (types.Array(types.float64, 4, "C"), types.Array(types.float64, 3, "C"),
                                               c1, c2, types.Array(types.int64, 2, "C"), types.boolean, c2))
    # rl.q_learning_run_many: states, cdf, r, gamma, policy, T, code, param, log_factor, seed, first_rep, q_star,
    # checkpoints, err, Q0, Qs, keys, V
    table["rl.synchronous_q_learning"] = (rl._q_learning_kernel, (i3, c3, c2, f8, i1, i8, i8, f8, b1, u8, i8, c2, i1,
                                                                  c2, c2, c3, u3, c2))
    # rl.td0_run_many: states, cdf, r, gamma, mu, mu_cdf, v_pi, T, markov, decaying, alpha, beta, lam, seed,
    # first_rep, checkpoints, err_last, err_avg, keys, visits, st, V, avg
    table["rl.td0"] = (rl._td0_kernel, (i3, c3, c1, f8, c1, c1, c1, i8, b1, b1, f8, f8, f8, u8, i8, i1, c2, c2, u2,
                                        i2, u2, c2, c2))
    # rl.ucb_hoeffding_run_many: P, r, states, cdf, H, K, x1, v_star, c, iota, rate, seed, first_rep, checkpoints,
    # regret, first, until_first, keys, visits, N, Q, V, pi, V_pi
    c4, i4, u4 = types.Array(types.float64, 4, "C"), types.Array(types.int64, 4, "C"), types.Array(types.uint64, 4, "C")
    table["rl.ucb_hoeffding"] = (rl._ucb_hoeffding_kernel, (c4, c3, i4, c4, i8, i8, i8, f8, f8, f8, i8, u8, i8, i1, c2,
                                                            i1, b1, u4, i4, c4, c4, c3, i3, c3))
    # rl.ucbvi_run_many: P, r, states, cdf, n_support, H, K, x1, v_star, code, L, log_power, per_step, seed, first_rep,
    # checkpoints, regret, counts, failures, keys, N, Nsa, Nh_state, Q, V, pi, V_pi, cap
    c5 = types.Array(types.float64, 5, "C")
    table["rl.ucbvi"] = (rl._ucbvi_kernel, (c4, c3, i4, c4, i2, i8, i8, i8, f8, i8, f8, f8, b1, u8, i8, i1, c2, i3, i1,
                                            u4, c5, c4, c3, c4, c3, i3, c3, c2))
    return table


def _ptxas() -> str | None:
    try:
        import nvidia.cuda_nvcc as nvcc
        for root in list(getattr(nvcc, "__path__", [])):
            candidate = Path(root) / "bin" / "ptxas"
            if candidate.is_file():
                return str(candidate)
    except ImportError:
        pass
    return shutil.which("ptxas")


def _assemble(ptx: str, cc: tuple[int, int], ptxas: str) -> tuple[int | None, int | None, str]:
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "k.ptx"
        src.write_text(ptx)
        proc = subprocess.run([ptxas, f"-arch=sm_{cc[0]}{cc[1]}", "-v", "-o", str(Path(tmp) / "k.cubin"), str(src)],
                              capture_output=True, text=True, timeout=300)
    if proc.returncode != 0:
        return None, None, proc.stderr.strip().splitlines()[-1] if proc.stderr.strip() else "ptxas failed"
    text = proc.stderr + proc.stdout
    regs = [int(x) for x in re.findall(r"Used (\d+) registers", text)]
    spills = [int(a) + int(b) for a, b in re.findall(r"(\d+) bytes spill stores, (\d+) bytes spill loads", text)]
    return (max(regs) if regs else None), (max(spills) if spills else 0), ""


def _first_suspect(fn, exc: BaseException) -> str:
    loc = getattr(exc, "loc", None)
    if loc is not None and getattr(loc, "line", None):
        return f"{loc.filename}:{loc.line}"
    match = re.search(r'File "([^"]+)", line (\d+)', str(exc))
    if match:
        return f"{match.group(1)}:{match.group(2)}"
    py = getattr(fn, "py_func", fn)
    for f in [py, *(d.py_func for d in _device_callees(py))]:
        hits = unlowered_calls(f)
        if hits:
            return hits[0]
    return ""


def compile_kernel(name: str, kernel, argtypes, cc: tuple[int, int], ptxas: str | None) -> KernelReport:
    """Compile one kernel (a ``cuda.jit`` dispatcher or plain function) to PTX for ``cc`` and assemble it."""
    from numba import cuda
    py = getattr(kernel, "py_func", kernel)
    try:
        ptx, _ = cuda.compile_ptx(py, argtypes, device=False, cc=cc)
    except Exception as exc:       # any compiler failure is this kernel's failure, reported with its source line
        message = f"{type(exc).__name__}: {str(exc).strip().splitlines()[0] if str(exc).strip() else ''}".strip()
        return KernelReport(name, False, error=message[:300], where=_first_suspect(kernel, exc))
    if ptxas is None:
        return KernelReport(name, True, extra={"ptx_chars": len(ptx)})
    regs, spills, err = _assemble(ptx, cc, ptxas)
    if err:
        return KernelReport(name, False, error=f"ptxas: {err}")
    return KernelReport(name, True, regs, spills, extra={"ptx_chars": len(ptx)})


def _compile_device_functions(kernels: list, cc: tuple[int, int]) -> list[KernelReport]:
    """Each device function the kernels reach, compiled alone for every signature the kernels called it with."""
    from numba import cuda
    seen: set = set()
    reports = []
    for kernel in kernels:
        for dev in _device_callees(getattr(kernel, "py_func", kernel), seen):
            name = f"{dev.py_func.__module__}.{dev.py_func.__qualname__}"
            for sig in list(dev.overloads):
                try:
                    cuda.compile_ptx(dev.py_func, sig, device=True, cc=cc)
                    signature = ", ".join(str(t) for t in sig)
                    reports.append(KernelReport(f"{name}({signature})", True, extra={"device": True}))
                except Exception as exc:
                    reports.append(KernelReport(name, False, error=f"{type(exc).__name__}: {exc}"[:300],
                                                where=_first_suspect(dev, exc)))
    return reports


def compiler_available() -> tuple[bool, str]:
    """Whether numba-cuda and NVVM (the CUDA compiler) are installed; the reason when not."""
    if os.environ.get("NUMBA_ENABLE_CUDASIM") == "1":
        return False, "NUMBA_ENABLE_CUDASIM=1: the simulator is on, nothing is compiled"
    from importlib import metadata
    try:
        found = metadata.version("numba-cuda")
    except metadata.PackageNotFoundError:
        found = None
    if found != NUMBA_CUDA_VERSION:
        # numba's own deprecated numba.cuda (or another numba-cuda) may find a system CUDA toolkit, but the check
        # answers a device query of this numba-cuda only: with another one its failures would be the check's own
        return False, (f"numba-cuda {NUMBA_CUDA_VERSION} is not installed (found: {found or 'none'}; "
                       "pip install '.[gpucheck]')")
    try:
        from numba.cuda.cudadrv import nvvm
        nvvm.NVVM()
    except Exception as exc:
        return False, f"no CUDA compiler (numba-cuda with NVVM): {type(exc).__name__}: {str(exc).strip()[:200]}"
    return True, ""


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m gpu_kernels.compilecheck", description=__doc__.splitlines()[0])
    parser.add_argument("--cc", default="9.0", help="target compute capability, MAJOR.MINOR (default 9.0, an H200)")
    parser.add_argument("--json", action="store_true", help="one JSON object per line instead of text")
    parser.add_argument("--only", default=None, help="MODULE:FUNCTION of one extra kernel to check (a control)")
    args = parser.parse_args(argv)
    try:
        major, minor = (int(x) for x in args.cc.split("."))
    except ValueError:
        parser.error(f"--cc must be MAJOR.MINOR such as 9.0, got {args.cc!r}")
    cc = (major, minor)
    ok, why = compiler_available()
    if not ok:
        print(why, file=sys.stderr)
        return NO_COMPILER
    _answer_capability_queries(cc)
    ptxas = _ptxas()
    if args.only:
        import importlib
        mod, _, attr = args.only.partition(":")
        obj = getattr(importlib.import_module(mod), attr)
        table = {args.only: (obj, obj.argtypes)}
    else:
        table = kernel_table()
    reports = [compile_kernel(name, k, sig, cc, ptxas) for name, (k, sig) in table.items()]
    if all(r.ok for r in reports):
        reports += _compile_device_functions([k for k, _ in table.values()], cc)
    for r in reports:
        print(json.dumps({"name": r.name, "ok": r.ok, "registers": r.registers, "spill_bytes": r.spill_bytes,
                          "error": r.error, "where": r.where}) if args.json else r.line())
    failed = [r for r in reports if not r.ok]
    n_k = len(table)
    summary = (f"sm_{major}{minor}: {n_k - sum(1 for r in failed if r.name in table)} of {n_k} kernels and "
               f"{sum(1 for r in reports[n_k:] if r.ok)} device-function signatures compiled"
               + ("" if ptxas else " (PTX only: ptxas not found, no register counts)"))
    print(summary if not args.json else json.dumps({"summary": summary, "failed": len(failed)}))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
