"""Exceptions of the testbed. ``exit_code`` is what the CLI exits with (DESIGN.md: 2 usage, 1 failure to run)."""


class TestbedError(Exception):
    """Base class; a failure to run (exit 1)."""
    __test__ = False  # not a pytest test class
    exit_code = 1


class UsageError(TestbedError):
    """Bad arguments: unknown claim, suite or fidelity, wrong file given as a store (exit 2)."""
    exit_code = 2


class UnknownClaimError(UsageError):
    pass


class StoreError(TestbedError):
    """The results store cannot be opened or written (exit 1)."""


class NotAStoreError(UsageError):
    """The file given as a store is not a testbed store (exit 2)."""


class ProtocolError(UsageError):
    """An object given to ``testbed check`` fits none of the protocols, or a property does not apply (exit 2)."""


class ClaimDefinitionError(UsageError):
    """A claim class or claim folder breaks the Claim contract (unknown kind or status, missing attributes, a
    duplicate id, a folder without CLAIM) (exit 2)."""


class ProcedureInputError(TestbedError, ValueError):
    """A verdict procedure (``testbed.stats``, ``testbed.planting``) was given what it cannot decide on: too few
    replications for its measured level, mismatched lengths, a delta outside (0, 1), a planted error in the wrong
    direction (exit 1). A ValueError too, for callers that catch that."""
