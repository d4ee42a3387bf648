"""D1. Value iteration and policy iteration (Puterman 1994, Thms 6.2.3, 6.3.1, 6.4.2; Bertsekas 2012)."""
