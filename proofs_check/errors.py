"""Exceptions raised by proofs_check."""

__all__ = ["BoundError"]


class BoundError(ValueError):
    """A bound was evaluated outside its conditions or with missing or malformed values."""
