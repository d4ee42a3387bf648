"""D6. Robust MDPs with (s,a)-rectangular sets (Iyengar 2005; Nilim & El Ghaoui 2005)."""
