"""`python -m jaring understand [--office-file FILE] [--context C] TEXT` or `--batch FILE`: how the bot reads
a citizen's message (jaring.hotline.reading), without Firestore or any setting besides the office file.

One message prints `intent value`; `--batch FILE` reads lines `context<TAB>text` (more
columns are ignored, blank lines and `#` lines skipped) and prints one JSON object per line, in order:
{"context", "text", "intent", "value"}.
"""
from __future__ import annotations

import argparse
import json
from pathlib import Path

SEED = Path(__file__).resolve().parents[1] / "offices" / "seed" / "kemenag-bangkalan.toml"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("text", nargs="?", help="the message, as the citizen typed it")
    parser.add_argument("--context", default="none",
                        help="what is pending: new, none, survey:U1 … survey:U9, intake, confirm (default: none)")
    parser.add_argument("--office-file", default=str(SEED), help="office configuration (default: the shipped seed)")
    parser.add_argument("--batch", metavar="FILE", help="lines context<TAB>text; prints JSON lines")


def run(args: argparse.Namespace) -> int:
    from jaring.hotline import reading
    from jaring.offices.model import InvalidConfig
    from jaring.offices.store import read_file

    if (args.text is None) == (args.batch is None):
        print("error: give either TEXT or --batch FILE")
        return 2
    try:
        config = read_file(args.office_file).config
    except InvalidConfig as exc:
        for problem in exc.problems:
            print(f"error: {problem}")
        return 1
    if args.batch is None:
        try:
            found = reading.read(args.text, args.context, config)
        except reading.UnknownContext as exc:
            print(f"error: {exc}")
            return 2
        print(f"{found.intent} {found.value}".rstrip())
        return 0
    try:
        lines = Path(args.batch).read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        print(f"error: cannot read {args.batch}: {exc}")
        return 1
    problems = 0
    for number, line in enumerate(lines, 1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        context, _, rest = line.partition("\t")
        text = rest.split("\t")[0]
        try:
            found = reading.read(text, context.strip(), config)
        except reading.UnknownContext as exc:
            print(f"error: {args.batch}:{number}: {exc}")
            problems += 1
            continue
        print(json.dumps(found.as_dict(context.strip(), text), ensure_ascii=False))
    return 1 if problems else 0
