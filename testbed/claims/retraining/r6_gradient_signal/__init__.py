"""R6. Prompt difficulty and the group-relative gradient signal (derived; see also B17)."""
