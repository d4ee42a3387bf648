"""Per-claim code versions: which sources determine a claim's stored numbers.

A task's key hashes its claim's code version, so a rerun recomputes exactly the tasks whose code changed. The code
version of a claim is the hash of
- the Python files of its folder, except ``figure.py`` and ``test_*.py`` (they cannot change a stored number), and
- every project module its folder imports, transitively: ``tabular_envs``, ``proofs_check``, ``gpu_kernels`` and
  ``testbed.bandit_sweep`` (the bandit task plumbing) with everything they import in turn.

Imports are read statically (``ast``), including imports inside functions. A name imported from a package
(``from tabular_envs import simulate``) is followed to the submodule that defines it through the package's
re-exports, so ``tabular_envs/__init__.py`` does not tie every claim to every module. The decision and reporting
layer (``testbed.claim``, ``testbed.stats``, ``testbed.plotting`` ...) is not part of the version: it is re-run on the
stored results at every ``testbed run``, and a changed decision procedure is recorded by its own procedure version.
So an edit to one claim's folder invalidates that claim's tasks only, and an edit to a kernel invalidates the claims
that import it.
"""
from __future__ import annotations

import ast
import hashlib
from functools import lru_cache
from pathlib import Path

__all__ = ["PROJECT_ROOT", "VERSIONED_PACKAGES", "claim_code_version", "claim_sources", "module_dependencies",
           "gpu_code_version"]

PROJECT_ROOT = Path(__file__).resolve().parent.parent
# packages whose modules can determine a task's numbers (besides the claim folder itself)
VERSIONED_PACKAGES = ("tabular_envs", "proofs_check", "gpu_kernels", "testbed.bandit_sweep", "testbed.claims")


def _is_versioned(module: str) -> bool:
    return any(module == p or module.startswith(p + ".") for p in VERSIONED_PACKAGES)


def _module_file(module: str, root: Path) -> Path | None:
    """The file of a project module (a package's ``__init__.py``), or None if it is not under ``root``."""
    base = root.joinpath(*module.split("."))
    if base.with_suffix(".py").is_file():
        return base.with_suffix(".py")
    if (base / "__init__.py").is_file():
        return base / "__init__.py"
    return None


def _package_of(module: str, path: Path) -> str:
    return module if path.name == "__init__.py" else module.rpartition(".")[0]


def _resolve_relative(level: int, name: str | None, package: str) -> str:
    parts = package.split(".")
    if level > 1:
        parts = parts[: len(parts) - (level - 1)]
    return ".".join(parts + ([name] if name else []))


def _parse(path: Path) -> ast.Module:
    st = path.stat()
    return _parse_file(path, st.st_mtime_ns, st.st_size)


@lru_cache(maxsize=None)
def _parse_file(path: Path, mtime_ns: int, size: int) -> ast.Module:   # keyed by the file's state: edits re-parse
    return ast.parse(path.read_text(encoding="utf-8"), filename=str(path))


def _reexports(module: str, root: Path) -> dict[str, str]:
    """For a package ``__init__``: exported name -> absolute module it is imported from."""
    path = _module_file(module, root)
    out: dict[str, str] = {}
    if path is None or path.name != "__init__.py":
        return out
    for node in ast.walk(_parse(path)):
        if isinstance(node, ast.ImportFrom):
            src = _resolve_relative(node.level, node.module, module) if node.level else (node.module or "")
            for alias in node.names:
                if alias.name == "*":
                    out.update(dict.fromkeys(_top_level_names(src, root), src))
                else:
                    out[alias.asname or alias.name] = src
    return out


def _top_level_names(module: str, root: Path) -> set[str]:
    """Names a module defines at its top level (what ``from module import *`` can bring)."""
    path = _module_file(module, root)
    names: set[str] = set()
    if path is None:
        return names
    for node in _parse(path).body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            names.add(node.name)
        elif isinstance(node, ast.Assign):
            names.update(t.id for t in node.targets if isinstance(t, ast.Name))
        elif isinstance(node, (ast.AnnAssign,)) and isinstance(node.target, ast.Name):
            names.add(node.target.id)
    return names


def _targets(module: str, names: list[str], root: Path) -> set[str]:
    """The modules that ``from module import names`` really depends on."""
    out: set[str] = set()
    for name in names:
        sub = f"{module}.{name}"
        if _module_file(sub, root) is not None:          # a submodule
            out.add(sub)
            continue
        seen, current = set(), module
        while current not in seen:                        # follow re-exports through package __init__ files
            seen.add(current)
            src = _reexports(current, root).get(name)
            if src is None:
                break
            current = src
        out.add(current)
    return out


def _direct_imports(module: str, root: Path) -> frozenset[str]:
    path = _module_file(module, root)
    if path is None:
        return frozenset()
    package = _package_of(module, path)
    found: set[str] = set()
    for node in ast.walk(_parse(path)):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = _resolve_relative(node.level, node.module, package) if node.level else (node.module or "")
            names = [a.name for a in node.names if a.name != "*"]
            found.update(_targets(base, names, root) if names else {base})
    return frozenset(m for m in found if _is_versioned(m) and _module_file(m, root) is not None)


def module_dependencies(modules: list[str], root: Path = PROJECT_ROOT) -> list[Path]:
    """Files of ``modules`` and of every project module they import, transitively (sorted)."""
    todo, seen = list(modules), set()
    while todo:
        m = todo.pop()
        if m in seen:
            continue
        seen.add(m)
        todo.extend(_direct_imports(m, root) - seen)
    return sorted({p for m in seen if (p := _module_file(m, root)) is not None})


def _is_numbers_file(path: Path) -> bool:
    return path.suffix == ".py" and path.name != "figure.py" and not path.name.startswith("test_")


def claim_sources(folder: Path, package: str, root: Path) -> list[Path]:
    """The files that determine a claim's numbers: its folder (figures and tests excluded) and its imports."""
    own = sorted(p for p in folder.rglob("*.py") if _is_numbers_file(p) and "__pycache__" not in p.parts)
    modules = [package + "." + ".".join(p.relative_to(folder).with_suffix("").parts) for p in own]
    modules = [m[: -len(".__init__")] if m.endswith(".__init__") else m for m in modules]
    deps = [p for p in module_dependencies(modules, root) if folder not in p.parents and _is_numbers_file(p)]
    return own + deps


def claim_code_version(folder: Path, package: str, root: Path = PROJECT_ROOT) -> str:
    """16 hex digits of the hash of :func:`claim_sources` (paths relative to their roots, then contents)."""
    h = hashlib.sha256()
    for p in claim_sources(folder, package, root):
        rel = p.relative_to(folder) if folder in p.parents else p.relative_to(root)
        h.update(str(rel).encode())
        h.update(b"\0")
        h.update(p.read_bytes())
        h.update(b"\0")
    return h.hexdigest()[:16]


@lru_cache(maxsize=1)
def gpu_code_version() -> str:
    """Hash of the GPU kernels' sources (every module of ``gpu_kernels`` and what they import from the project):
    part of the key of a task run on the GPU. The CPU claims do not import ``gpu_kernels`` (``tabular_envs`` routes
    to it at run time), so their code version cannot see a GPU kernel's edit; this does."""
    h = hashlib.sha256()
    modules = [("gpu_kernels." + p.stem) if p.name != "__init__.py" else "gpu_kernels"
               for p in sorted((PROJECT_ROOT / "gpu_kernels").glob("*.py"))]
    files = module_dependencies(modules, PROJECT_ROOT)
    for path in sorted(files):
        h.update(str(path.relative_to(PROJECT_ROOT)).encode() + b"\0" + path.read_bytes())
    return h.hexdigest()[:16]
