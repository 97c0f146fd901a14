"""One-line JSON logs that Cloud Logging reads as structured entries."""
from __future__ import annotations

import json
import logging
import re
import sys

from jaring.phone import mask_numbers

_LONG_NUMBER = re.compile(r"\b(\d{5})\d{3,}(\d{4})\b")


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        message = record.getMessage()
        if record.exc_info:
            message += "\n" + self.formatException(record.exc_info)
        # Last line of defence: a number is never written whole, however it is typed ("+62 812-3456-7890",
        # "0812-3456-7890", "08123456789"), nor any longer digit run.
        message = _LONG_NUMBER.sub(r"\1****\2", mask_numbers(message))
        return json.dumps({"severity": record.levelname, "message": message, "logger": record.name},
                          ensure_ascii=False)


class StdoutHandler(logging.StreamHandler):
    """Writes to whatever sys.stdout is now (so test capture sees it too)."""

    @property
    def stream(self):  # type: ignore[override]
        return sys.stdout

    @stream.setter
    def stream(self, _value) -> None:
        pass


def setup(level: int = logging.INFO) -> None:
    """The masking JSON handler on the root logger, so every library's log lines pass through it too;
    Jaring's own at `level`, everyone else's from WARNING."""
    root = logging.getLogger()
    logging.getLogger("jaring").setLevel(level)
    if any(isinstance(h.formatter, JsonFormatter) for h in root.handlers):
        return
    handler = StdoutHandler()
    handler.setFormatter(JsonFormatter())
    root.addHandler(handler)
    if root.level == logging.NOTSET or root.level > logging.WARNING:
        root.setLevel(logging.WARNING)
