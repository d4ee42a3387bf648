"""Exceptions raised by proofs_check."""


class BoundError(ValueError):
    """A bound was evaluated outside its conditions or with missing or malformed values."""
