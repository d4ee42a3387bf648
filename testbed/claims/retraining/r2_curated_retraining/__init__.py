"""R2. Curated self-consuming training (Ferbach et al. 2024; abstract, population update derived)."""
