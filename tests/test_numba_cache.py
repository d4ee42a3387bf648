from tabular_envs import _numba_cache


def test_stale_kernel_cache_is_dropped_when_a_source_changes(tmp_path, monkeypatch):
    pkg = tmp_path / "pkg"
    (pkg / "__pycache__").mkdir(parents=True)
    (pkg / "a.py").write_text("x = 1\n")
    stale = pkg / "__pycache__" / "a.f-1.py311.nbi"
    stale.write_text("old index")
    monkeypatch.setattr(_numba_cache, "_PACKAGE", pkg)
    assert _numba_cache.drop_stale_kernel_cache() is True and not stale.exists()
    stale.write_text("fresh index")
    assert _numba_cache.drop_stale_kernel_cache() is False and stale.exists()   # unchanged sources: kept
    (pkg / "b.py").write_text("y = 2\n")                                        # a callee module changes
    assert _numba_cache.drop_stale_kernel_cache() is True and not stale.exists()
    nested = pkg / "sub" / "__pycache__" / "k.g-2.py311.nbc"                    # a subpackage's cache
    nested.parent.mkdir(parents=True)
    nested.write_text("compiled")
    (pkg / "sub" / "callee.py").write_text("z = 3\n")
    assert _numba_cache.drop_stale_kernel_cache() is True and not nested.exists()
