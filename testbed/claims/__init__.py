"""Claim modules, one per claim, grouped by family (bsuite-style)."""
