"""An office and its rules: the office file's model and check, policies, hours, texts, working days, and its store."""
