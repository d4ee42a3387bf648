"""D2. The effective horizon (Laidlaw, Russell, Dragan 2023) and GORP."""
