"""D3. Tree MDPs of LLM reasoning: random-policy valuation (ROVER; He et al. 2025, Theorems 3.1 and 3.2)."""
