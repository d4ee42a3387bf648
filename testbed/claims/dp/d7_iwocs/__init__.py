"""D7. Static vs dynamic adversary; IWOCS (Zouitine, Geist, Rachelson 2024; abstract, algorithm reconstructed)."""
