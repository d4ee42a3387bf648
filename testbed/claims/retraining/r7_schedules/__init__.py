"""R7. Last-iterate learning-rate schedules (Defazio, Cutkosky, Mehta, Mishchenko 2023, Theorem 1)."""
