"""One module per operator command (see jaring/__main__.py)."""
