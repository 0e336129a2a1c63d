"""``diplostream``: extract, evaluate, and (with a broker) replay, worker, demo, tail."""

from __future__ import annotations

import argparse
import dataclasses
import json
import sys
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from rich.console import Console

from schemas import DiplomaticEvent
from streams import __version__
from streams.seeds import default_seeds

if TYPE_CHECKING:
    from streams.core.happenings import Rules

err = Console(stderr=True, soft_wrap=True, highlight=False)


# --- extract -------------------------------------------------------------------------------


def _article_inputs(p: argparse.ArgumentParser, what: str) -> None:
    """The arguments every command that reads article files takes: paths, --jsonl, --max-bytes."""
    p.add_argument("paths", nargs="*", metavar="PATH", help="article files or folders (default: the bundled seeds)")
    p.add_argument("--jsonl", metavar="FILE", help=f"write {what} as JSON lines to FILE")
    p.add_argument(
        "--max-bytes",
        type=int,
        default=2 * 1024 * 1024,
        metavar="N",
        help="refuse articles larger than N bytes (default: 2 MiB)",
    )


def _published_arg(value: str) -> datetime:
    from streams.core.ingest import parse_manifest_date

    try:
        return parse_manifest_date(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date: {value!r} (YYYY-MM-DD or an ISO time)") from None


def cmd_extract(args: argparse.Namespace) -> int:
    from streams.core.extract import extract
    from streams.core.ingest import IngestError, article_paths, iter_articles

    inputs = [Path(p) for p in args.paths] or [default_seeds()]
    missing = [p for p in inputs if not p.exists()]
    for p in missing:
        err.print(f"[red]error[/]: {p}: no such file or directory")
    inputs = [p for p in inputs if p.exists()]
    total = len(article_paths(inputs))
    out = open(args.jsonl, "w", encoding="utf-8") if args.jsonl else None  # noqa: SIM115
    events: list[DiplomaticEvent] = []
    failures = len(missing)
    read = 0
    warnings: list[str] = []
    undated = 0
    show_progress = err.is_terminal and total > 20
    try:
        from rich.progress import Progress

        with Progress(console=err, transient=True, disable=not show_progress) as progress:
            task = progress.add_task("extracting", total=total)
            for item in iter_articles(
                inputs, max_bytes=args.max_bytes, fallback_published=args.published, warn=warnings.append
            ):
                progress.advance(task)
                for warning in warnings:
                    err.print(f"[yellow]warning[/]: {warning}")
                undated += len(warnings)
                warnings.clear()
                if isinstance(item, IngestError):
                    failures += 1
                    err.print(f"[red]error[/]: {item}")
                    continue
                read += 1
                found = extract(item)
                events.extend(found)
                if out:
                    for e in found:
                        out.write(e.model_dump_json() + "\n")
    finally:
        if out:
            out.close()
    if out is None or sys.stdout.isatty():
        _print_events(events, as_table=sys.stdout.isatty())
    err.print(
        f"{len(events)} events from {read} articles"
        + (f", {failures} unreadable" if failures else "")
        + (f", {undated} dated by file time" if undated else "")
        + (f" → {args.jsonl}" if args.jsonl else "")
    )
    return 1 if failures and not read else 0


def _print_events(events: list[DiplomaticEvent], *, as_table: bool) -> None:
    if not as_table:
        for e in events:
            sys.stdout.write(e.model_dump_json() + "\n")
        return
    from streams.tables import events_table

    console = Console()
    console.print(events_table(events, f"{len(events)} diplomatic events", evidence=True, width=console.width))


# --- happenings ----------------------------------------------------------------------------


def cmd_happenings(args: argparse.Namespace) -> int:
    """Extract every article, then fuse the events in publication order, as the stream does."""
    from streams.core.happenings import fuse_articles
    from streams.core.ingest import IngestError, iter_articles

    inputs = [Path(p) for p in args.paths] or [default_seeds()]
    failures = 0
    for p in inputs:
        if not p.exists():
            failures += 1
            err.print(f"[red]error[/]: {p}: no such file or directory")
    articles = []
    for item in iter_articles([p for p in inputs if p.exists()], max_bytes=args.max_bytes):
        if isinstance(item, IngestError):
            failures += 1
            err.print(f"[red]error[/]: {item}")
        else:
            articles.append(item)
    happenings, events = fuse_articles(articles, _happening_rules())
    lines = "".join(h.model_dump_json() + "\n" for h in happenings)
    if args.jsonl:
        Path(args.jsonl).write_text(lines, encoding="utf-8")
    if not args.jsonl or sys.stdout.isatty():
        if sys.stdout.isatty():
            from streams.tables import happenings_table

            console = Console()
            console.print(happenings_table(happenings, f"{len(happenings)} happenings", width=console.width))
        else:
            sys.stdout.write(lines)
    err.print(
        f"{len(happenings)} happenings from {events} events in {len(articles)} articles"
        + (f", {failures} unreadable" if failures else "")
        + (f" → {args.jsonl}" if args.jsonl else "")
    )
    return 1 if failures and not articles else 0


def _happening_rules() -> Rules:
    """The stream's rules (retention, caps, historical threshold) from the same settings and environment."""
    from streams.core.happenings import Rules
    from streams.settings import load

    return Rules.of(load())


# --- evaluate ------------------------------------------------------------------------------


def cmd_evaluate(args: argparse.Namespace) -> int:
    from streams.evaluate import load_events, load_gold, score

    gold_dir, events_path = Path(args.gold_dir), Path(args.events)
    if not gold_dir.is_dir():
        err.print(f"[red]error[/]: {gold_dir}: not a folder of gold files")
        return 2
    if not events_path.exists():  # said plainly, not as "[Errno 2] No such file or directory: ..."
        err.print(f"[red]error[/]: {events_path}: no such file")
        return 2
    if events_path.is_dir():
        err.print(f"[red]error[/]: {events_path}: a folder, not a JSON-lines file of events")
        return 2
    try:
        result = score(load_gold(gold_dir), load_events(events_path))
    except OSError as exc:  # unreadable: permissions, a vanished file
        reason = (exc.strerror or str(exc)).lower()
        err.print(f"[red]error[/]: {exc.filename or events_path}: {reason}")
        return 2
    except ValueError as exc:
        err.print(f"[red]error[/]: {exc}")
        return 2
    if args.verbose:
        for note in result.notes:
            print(f"  {note}")
    if args.json:
        figures = dataclasses.asdict(result)
        figures.pop("notes")
        print(json.dumps(figures))
    else:
        print(result.summary())
    return 1 if args.min_f1 is not None and result.f1 < args.min_f1 else 0


# --- parser --------------------------------------------------------------------------------


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="diplostream",
        description="Extract diplomatic events (visit, invitation, summit, sanction_warning) from news "
        "and count them per country pair over event-time windows.",
    )
    parser.add_argument("--version", action="version", version=f"diplostream {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    p = sub.add_parser(
        "extract",
        help="extract events from article files or folders",
        description="Read .txt/.json articles (folders are expanded; a manifest.json beside them "
        "supplies metadata) and print one event per line, or a table on a terminal.",
    )
    _article_inputs(p, "events")
    p.add_argument(
        "--published",
        type=_published_arg,
        metavar="DATE",
        help="publication date (YYYY-MM-DD or ISO time) of files whose text and manifest give none "
        "(default: the file's modification time, with a warning: relative dates are read against it)",
    )
    p.set_defaults(func=cmd_extract)

    p = sub.add_parser(
        "happenings",
        help="fuse the events of article files or folders into happenings",
        description="Extract events from .txt/.json articles as `extract` does, then fuse the reports of one "
        "real-world happening across articles (EVENTS.md, 'Happenings') in publication order, as the stream's "
        "happenings agent does, and print one happening per line, or a table on a terminal.",
    )
    _article_inputs(p, "happenings")
    p.set_defaults(func=cmd_happenings)

    p = sub.add_parser(
        "evaluate",
        help="score events against a folder of gold annotations",
        description="Precision, recall and F1 over events, with date and status accuracy of the "
        "matched ones, by the rules of EVENTS.md.",
    )
    p.add_argument("gold_dir", metavar="GOLD_DIR")
    p.add_argument("events", metavar="EVENTS.jsonl")
    p.add_argument("-v", "--verbose", action="store_true", help="list misses, spurious events and wrong fields")
    p.add_argument("--json", action="store_true", help="print the figures as JSON")
    p.add_argument("--min-f1", type=float, default=None, metavar="X", help="exit 1 when F1 is below X")
    p.set_defaults(func=cmd_evaluate)

    from streams.kafka import commands

    commands.register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help()
        return 2
    from pydantic import ValidationError
    from rich.markup import escape

    from streams.kafka.reach import CannotConnect
    from streams.kafka.security import SecurityConfigError

    try:
        return int(args.func(args) or 0)
    except (CannotConnect, SecurityConfigError) as exc:  # one line, not kafka-python's 35-line traceback
        err.print(f"[red]error[/]: {escape(str(exc))}")
        return 2
    except ValidationError as exc:  # a bad DIPLOSTREAM_* value: which one and why, never the value (it may be secret)
        for problem in exc.errors():
            where = ".".join(str(part) for part in problem["loc"]) or "settings"
            err.print(f"[red]error[/]: setting {escape(where)}: {escape(problem['msg'])}")
        return 2
    except KeyboardInterrupt:
        err.print("interrupted")
        return 130
    except BrokenPipeError:
        return 0


if __name__ == "__main__":
    sys.exit(main())
