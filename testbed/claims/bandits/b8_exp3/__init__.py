"""B8. EXP3 on oblivious adversarial sequences, both published constant forms."""
