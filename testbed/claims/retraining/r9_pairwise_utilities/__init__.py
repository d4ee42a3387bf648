"""R9. Utilities from pairwise preferences (standard; Bradley-Terry / Thurstone)."""
