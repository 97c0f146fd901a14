"""One module per operator command (see jaring/__main__.py)."""


def current_app():
    """The configured app, or None after printing the one-line reason (the command then exits 2)."""
    from jaring import app
    from jaring.config import ConfigError

    try:
        return app.current()
    except ConfigError as exc:
        print(f"error: {exc}")
        return None
