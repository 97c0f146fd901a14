"""The composition root: settings, adapters and the clock, built once per process.

Every store is built here (and cached); features ask the app for theirs and never build one themselves.
"""
from __future__ import annotations

import logging
import os
import threading
import time
from dataclasses import dataclass, field
from typing import Any, Callable

from jaring.clock import Clock
from jaring.clock import from_environment as clock_from_environment
from jaring.config import Settings, load_settings

log = logging.getLogger(__name__)


def _adapter(build: Callable[["Jaring"], Any]) -> property:
    """A feature store as a property of the app: built on first use and kept, built again when the app's
    `store` is replaced (as the fault drills do)."""
    def get(app: "Jaring") -> Any:
        built = app._adapters.get(build.__name__)
        if built is None or built[0] is not app.store:
            built = app._adapters[build.__name__] = (app.store, build(app))
        return built[1]
    return property(get, doc=build.__doc__)


@dataclass
class Jaring:
    settings: Settings
    store: "Store"  # noqa: F821 - imported lazily to keep this module light
    graph: "GraphClient"  # noqa: F821
    clock: Clock
    sleep: Callable[[float], None] = time.sleep
    retry_delays: tuple[float, ...] = (0.2, 0.8)  # in-request retries of a failed send
    _offices: dict[str, str] = field(default_factory=dict)
    _numbers: dict[str, str] = field(default_factory=dict)
    _configs: "OfficeConfigs | None" = None  # noqa: F821
    _adapters: dict[str, tuple[object, Any]] = field(default_factory=dict)

    def office_config(self, office: str) -> "OfficeConfig":  # noqa: F821
        """The office's hotline configuration, re-read from Firestore at most once a minute."""
        return self._office_configs().get(office)

    def office_known(self, office: str) -> bool:
        return self._office_configs().known(office)

    def _office_configs(self) -> "OfficeConfigs":  # noqa: F821
        if self._configs is None:
            from jaring.offices.store import OfficeConfigs

            self._configs = OfficeConfigs(self.office_store, self.clock)
        return self._configs

    def number_for(self, office: str) -> str:
        """The WhatsApp number id an office sends from: the one `numbers` registers for it, else the default."""
        if office == self.settings.default_office:
            return self.settings.whatsapp_phone_number_id
        if office not in self._numbers:
            number = self.store.number_of(office)
            if number is None:
                log.warning("office %s has no number in `numbers`; sending from the default number", office)
            self._numbers[office] = number or self.settings.whatsapp_phone_number_id
        return self._numbers[office]

    # -- the feature stores, built on first use (again if `store` is replaced, as the fault drills do) --------
    @_adapter
    def office_store(self) -> "OfficeStore":  # noqa: F821
        """The loaded office configurations and who may sign in (staff_by_email)."""
        from jaring.offices.store import OfficeStore

        return OfficeStore(self.store.db)

    @_adapter
    def ticket_store(self) -> "TicketStore":  # noqa: F821
        from jaring.tickets.store import TicketStore

        return TicketStore(self.store.db, self.number_for, self.office_config, self.flow_store, self.store.contact_id)

    @_adapter
    def flow_store(self) -> "FlowStore":  # noqa: F821
        from jaring.survey.flow_store import FlowStore

        return FlowStore(self.store.db)

    @_adapter
    def complaint_store(self) -> "ComplaintStore":  # noqa: F821
        from jaring.cases.store import ComplaintStore

        return ComplaintStore(self.store.db, self.number_for)

    @_adapter
    def wbs_store(self) -> "WbsStore | None":  # noqa: F821
        """None when WBS_LINK_KEY is not set (the webhook then offers no WBS)."""
        from jaring.cases.wbs_store import WbsStore

        key = self.settings.wbs_link_key.encode()
        return WbsStore(self.store.db, key, self.number_for) if key else None

    @_adapter
    def response_store(self) -> "ResponseStore":  # noqa: F821
        from jaring.survey.store import ResponseStore

        return ResponseStore(self.store.db)

    @_adapter
    def nudge_store(self) -> "SweepStore":  # noqa: F821
        from jaring.survey.nudge_store import SweepStore

        return SweepStore(self.store)

    @_adapter
    def report_store(self) -> "ReportStore":  # noqa: F821
        from jaring.reports.store import ReportStore

        return ReportStore(self.store.db)

    @_adapter
    def rollup_store(self) -> "RollupStore":  # noqa: F821
        from jaring.reports.rollup_store import RollupStore

        return RollupStore(self.store.db, self.report_store)

    def office_for(self, phone_number_id: str) -> str | None:
        """The office (tenant) that owns a WhatsApp number: the default office's number (settings), or one
        `config load` registered; None for a number no office owns (never another office's)."""
        if phone_number_id == self.settings.whatsapp_phone_number_id:
            return self.settings.default_office
        if phone_number_id not in self._offices:
            office = self.store.office_for_number(phone_number_id)
            if office is None:  # not remembered: the office may be loaded in a minute
                return None
            self._offices[phone_number_id] = office
        return self._offices[phone_number_id]


_current: Jaring | None = None
_lock = threading.Lock()


def build(settings: Settings | None = None, clock: Clock | None = None) -> Jaring:
    from google.cloud import firestore

    from jaring.messaging.store import Store
    from jaring.whatsapp.graph import GraphClient

    settings = settings or load_settings()
    client = firestore.Client(project=settings.project)
    return Jaring(
        settings=settings,
        store=Store(client, pseudonym_key=settings.pseudonym_key.encode()),
        graph=GraphClient(settings.whatsapp_api_base, settings.whatsapp_access_token, settings.whatsapp_api_timeout),
        clock=clock or clock_from_environment(os.environ),
    )


def _client_of_project(project: str) -> "firestore.Client":  # noqa: F821
    """A Firestore client for an operator's command: an unreachable Firestore is one line after 10 s, not a hang."""
    from google.cloud import firestore

    from jaring.messaging.store import bound_deadlines

    client = firestore.Client(project=project)
    bound_deadlines(client, 10.0)
    return client


def rollup_store_of_project(project: str) -> "RollupStore":  # noqa: F821
    """The roll-ups' store alone, for commands that need no other setting (`rollup refresh`)."""
    from jaring.reports.rollup_store import RollupStore
    from jaring.reports.store import ReportStore

    client = _client_of_project(project)
    return RollupStore(client, ReportStore(client))


def office_store_of_project(project: str) -> "OfficeStore":  # noqa: F821
    """The offices' store alone, for a command that needs no other setting (`config load`, `offices`)."""
    from jaring.offices.store import OfficeStore

    return OfficeStore(_client_of_project(project))


def current() -> Jaring:
    """The process-wide app; raises ConfigError when a required setting is missing."""
    global _current
    if _current is None:
        with _lock:
            if _current is None:
                _current = build()
    return _current


def installed() -> Jaring | None:
    """The app installed by use() or built by current(), if any (operators' commands build a leaner one)."""
    return _current


def use(app: Jaring | None) -> None:
    """Install an app (tests, local tools); None forgets it so the next call rebuilds from env."""
    global _current
    _current = app
