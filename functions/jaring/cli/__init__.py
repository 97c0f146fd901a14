"""One module per operator command (see jaring/__main__.py)."""
import os


def add_project(parser) -> None:
    """--project, for a command that reads or writes one Firestore project and needs no other setting."""
    parser.add_argument("--project", default=os.environ.get("GOOGLE_CLOUD_PROJECT", ""),
                        help="Firestore project (default: $GOOGLE_CLOUD_PROJECT)")


def no_project(args) -> bool:
    """True after printing the one-line reason when no Firestore project was given (the command exits 2)."""
    if not args.project:
        print("error: no Firestore project: set GOOGLE_CLOUD_PROJECT or pass --project")
    return not args.project


def current_app(*needs: str):
    """The app for a command that needs GOOGLE_CLOUD_PROJECT and `needs` (environment variable names, e.g.
    WHATSAPP_ACCESS_TOKEN to send), or None after printing the one-line reason (the command then exits 2)."""
    from jaring import app
    from jaring.config import ConfigError, load_settings

    if app.installed() is not None:
        return app.installed()
    try:
        built = app.build(load_settings(needs=needs))
    except ConfigError as exc:
        print(f"error: {exc}")
        return None
    app.use(built)
    return built


SENDS = ("WHATSAPP_ACCESS_TOKEN", "WHATSAPP_PHONE_NUMBER_ID")  # what a command sending WhatsApp messages needs


def unit_of(config, given: str) -> str | None:
    """The unit id for what an operator typed (its id or its name, any case), or None after printing the
    one-line reason with the units the office has."""
    wanted = " ".join(given.split()).casefold()
    for unit in config.units:
        if wanted in (unit.id.casefold(), unit.title.casefold(), unit.name.casefold()):
            return unit.id
    known = ", ".join(u.id for u in config.units[:8]) + (", …" if len(config.units) > 8 else "")
    print(f"error: {config.office} has no unit {given!r} (units: {known}; `config check` lists them all)")
    return None


def office_config(jaring, office: str):
    """The office's loaded configuration, or None after printing that nobody configured it."""
    if not jaring.office_known(office):
        print(f"error: no office {office!r} is configured (python -m jaring config load FILE)")
        return None
    return jaring.office_config(office)
