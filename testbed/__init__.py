"""testbed: how a claim is decided and shown: registry, statistics, store, runner, report, CLI.

Importing it pins the BLAS and OpenMP thread pools to one thread (unless the environment already says otherwise),
before NumPy or SciPy load them: a task's numbers must not depend on where it runs, and SciPy's optimisers give
results that differ in the last bits with the number of BLAS threads (R4's SLSQP did, between the in-process
executor and the worker processes, which already run with one BLAS thread). Numba's own threads are not affected.
"""
import os as _os

for _variable in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    _os.environ.setdefault(_variable, "1")

__version__ = "0.1.0"
