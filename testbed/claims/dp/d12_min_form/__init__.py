"""D12. Min-form credit assignment (PURE; Cheng et al. 2025; notes + derived)."""
