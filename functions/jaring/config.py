"""Settings read once from the environment.

In the cloud the secrets arrive as environment variables mounted from Secret Manager;
locally and in tests they are plain environment variables.
"""
from __future__ import annotations

import os
from dataclasses import dataclass

DEFAULT_WHATSAPP_API_BASE = "https://graph.facebook.com/v23.0"


class ConfigError(RuntimeError):
    """A required setting is missing or malformed; the message names it."""


@dataclass(frozen=True)
class Settings:
    project: str
    whatsapp_app_secret: str
    whatsapp_verify_token: str
    whatsapp_access_token: str
    whatsapp_phone_number_id: str
    whatsapp_api_base: str = DEFAULT_WHATSAPP_API_BASE
    forms_webhook_secret: str = ""
    default_office: str = "kemenag-bangkalan"
    emulator_host: str = ""
    whatsapp_api_timeout: float = 10.0
    # Tickets and invitations (issue 4).
    whatsapp_waba_id: str = ""  # the WhatsApp Business Account: registers templates, publishes the Flow
    invitation_template: str = "jaring_undangan_survei"  # default when the office sets none
    template_language: str = "id"
    admin_audience: str = ""  # the audience of admin_api's Google ID tokens
    id_token_certs_url: str = "https://www.googleapis.com/oauth2/v1/certs"
    dev_identity_allowed: bool = False  # only honoured together with the emulator
    # The reminder sweep (issue 5).
    scheduler_job: str = ""  # projects/…/locations/…/jobs/… of the sweep's Cloud Scheduler job (cloud only)
    sweep_budget_seconds: float = 120.0  # the function times out at 300 s; the next run picks up the rest
    send_rate: float = 20.0  # nudges per second for one number; Meta allows 80
    # WBS (issue 7): the key of the reporter links and PIN hashes; without it the WBS channel is closed.
    wbs_link_key: str = ""
    # The key of contact ids (jaring.pseudonyms): without it no citizen can be named in a record.
    pseudonym_key: str = ""


REQUIRED = {
    "GOOGLE_CLOUD_PROJECT": "project",
    "WHATSAPP_APP_SECRET": "whatsapp_app_secret",
    "WHATSAPP_VERIFY_TOKEN": "whatsapp_verify_token",
    "WHATSAPP_ACCESS_TOKEN": "whatsapp_access_token",
    "WHATSAPP_PHONE_NUMBER_ID": "whatsapp_phone_number_id",
}
OPTIONAL = {
    "WHATSAPP_API_BASE": "whatsapp_api_base",
    "FORMS_WEBHOOK_SECRET": "forms_webhook_secret",
    "WBS_LINK_KEY": "wbs_link_key",
    "JARING_PSEUDONYM_KEY": "pseudonym_key",  # required by the functions that name citizens (SECRETS_BY_FUNCTION)
    "JARING_DEFAULT_OFFICE": "default_office",
    "FIRESTORE_EMULATOR_HOST": "emulator_host",
    "WHATSAPP_WABA_ID": "whatsapp_waba_id",  # the older name; WHATSAPP_BUSINESS_ACCOUNT_ID wins when both are set
    "WHATSAPP_BUSINESS_ACCOUNT_ID": "whatsapp_waba_id",
    "JARING_INVITATION_TEMPLATE": "invitation_template",
    "JARING_TEMPLATE_LANGUAGE": "template_language",
    "JARING_ADMIN_AUDIENCE": "admin_audience",
    "JARING_ID_TOKEN_CERTS_URL": "id_token_certs_url",
    "JARING_SCHEDULER_JOB": "scheduler_job",
}
NUMBERS = {  # name: (field, lowest, highest)
    "JARING_SWEEP_BUDGET_SECONDS": ("sweep_budget_seconds", 1.0, 3000.0),
    "JARING_SEND_RATE": ("send_rate", 0.1, 80.0),
}


# The secrets each deployed function is given (JARING_FUNCTION names it); Terraform mounts exactly
# these, so one function's leak exposes no other's secret (tests/infra checks the two agree).
# Without JARING_FUNCTION (local stack, CLI) every secret in REQUIRED is needed.
SECRETS = ("WHATSAPP_APP_SECRET", "WHATSAPP_VERIFY_TOKEN", "WHATSAPP_ACCESS_TOKEN", "FORMS_WEBHOOK_SECRET",
           "WBS_LINK_KEY", "JARING_PSEUDONYM_KEY")
SECRETS_BY_FUNCTION = {  # JARING_PSEUDONYM_KEY: every function that names a citizen or staff member by contact id
    "whatsapp_webhook": ("WHATSAPP_APP_SECRET", "WHATSAPP_VERIFY_TOKEN", "WHATSAPP_ACCESS_TOKEN", "WBS_LINK_KEY",
                         "JARING_PSEUDONYM_KEY"),
    "form_submit": ("FORMS_WEBHOOK_SECRET", "WHATSAPP_ACCESS_TOKEN", "JARING_PSEUDONYM_KEY"),
    "admin_api": ("WHATSAPP_ACCESS_TOKEN", "WBS_LINK_KEY", "JARING_PSEUDONYM_KEY"),
    "reports": (),
    "reminder_sweep": ("WHATSAPP_ACCESS_TOKEN", "JARING_PSEUDONYM_KEY"),
}


def required_settings(function: str) -> list[str]:
    if not function:
        return list(REQUIRED)
    if function not in SECRETS_BY_FUNCTION:
        raise ConfigError(f"JARING_FUNCTION={function!r} is not one of: {', '.join(SECRETS_BY_FUNCTION)}")
    return [name for name in REQUIRED if name not in SECRETS] + list(SECRETS_BY_FUNCTION[function])


def load_settings(environ: dict[str, str] | None = None, needs: tuple[str, ...] | None = None) -> Settings:
    """Settings from the environment. `needs` (operators' commands) replaces the required list: the project
    and exactly the variables that command uses."""
    env = os.environ if environ is None else environ
    required = required_settings(env.get("JARING_FUNCTION", "").strip()) if needs is None else [
        "GOOGLE_CLOUD_PROJECT", *needs]
    missing = [name for name in required if not env.get(name, "").strip()]
    if missing:
        raise ConfigError(
            "missing required setting(s): " + ", ".join(missing)
            + " (set them as environment variables; in the cloud they come from Secret Manager)"
        )
    every = {**REQUIRED, **OPTIONAL}
    values = {field: "" for field in REQUIRED.values()}  # a secret this function is not given stays empty
    values.update({field: env[name].strip() for name, field in every.items() if env.get(name, "").strip()})
    if env.get("WHATSAPP_API_TIMEOUT", "").strip():
        try:
            values["whatsapp_api_timeout"] = float(env["WHATSAPP_API_TIMEOUT"])
        except ValueError as exc:
            raise ConfigError(f"WHATSAPP_API_TIMEOUT must be seconds, got {env['WHATSAPP_API_TIMEOUT']!r}") from exc
    values["dev_identity_allowed"] = env.get("JARING_DEV_IDENTITY_ALLOWED", "").strip() == "1"
    for name, (field, lowest, highest) in NUMBERS.items():
        if env.get(name, "").strip():
            values[field] = _number(name, env[name], lowest, highest)
    settings = Settings(**values)
    if not settings.whatsapp_api_base.startswith(("http://", "https://")):
        raise ConfigError(f"WHATSAPP_API_BASE must be an http(s) URL, got {settings.whatsapp_api_base!r}")
    return settings


def _number(name: str, raw: str, lowest: float, highest: float) -> float:
    try:
        value = float(raw)
    except ValueError:
        raise ConfigError(f"{name} must be a number, got {raw!r}") from None
    if not lowest <= value <= highest:
        raise ConfigError(f"{name} must be between {lowest:g} and {highest:g}, got {raw!r}")
    return value
