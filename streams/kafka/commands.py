"""The streaming commands of ``diplostream``: worker, replay, demo, tail.

Faust and Kafka clients are imported inside each command, so ``diplostream
extract`` stays quick to start.
"""

from __future__ import annotations

import argparse
import json
import os
from pathlib import Path
from typing import Any

from rich.console import Console

from streams.kafka.security import Security, client_security
from streams.settings import Settings, load

err = Console(stderr=True, soft_wrap=True, highlight=False)

BOOTSTRAP_HELP = "Kafka bootstrap servers HOST:PORT[,...] (env KAFKA_BOOTSTRAP_SERVERS)"


def _settings(args: argparse.Namespace, **extra: Any) -> Settings:
    return load(
        bootstrap_servers=getattr(args, "bootstrap", None),
        topic_prefix=getattr(args, "topic_prefix", None),
        partitions=getattr(args, "partitions", None),
        app_id=getattr(args, "app_id", None),
        connect_timeout_seconds=getattr(args, "connect_timeout", None),
        **extra,
    )


def _require_bootstrap(settings: Settings) -> str:
    if not settings.bootstrap_servers:
        err.print(
            "[red]error[/]: no broker: pass --bootstrap HOST:PORT or set KAFKA_BOOTSTRAP_SERVERS "
            "(or run `diplostream demo` for the embedded one)"
        )
        raise SystemExit(2)
    return settings.bootstrap_servers


def _reachable_bootstrap(settings: Settings) -> tuple[str, Security]:
    """The bootstrap servers and the client security, once a broker has let us in within ``connect_timeout_seconds``.

    Probed before any real client is built, so an unreachable broker, a refused
    login or an untrusted certificate is one line and exit 2 (``CannotConnect``,
    printed by ``streams.cli.main``) in about the timeout, for every command alike.
    The security returned is what every client of the command then uses.
    """
    from streams.kafka.reach import probe

    bootstrap = _require_bootstrap(settings)
    security = client_security(settings)
    probe(bootstrap, settings.connect_timeout_seconds, security)
    return bootstrap, security


def _add_connect_timeout(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--connect-timeout",
        type=float,
        default=None,
        metavar="SECONDS",
        help="give up (exit 2) when no broker answers within this long "
        "(env DIPLOSTREAM_CONNECT_TIMEOUT_SECONDS, default 10)",
    )


def _add_common(p: argparse.ArgumentParser, *, bootstrap: bool = True) -> None:
    if bootstrap:
        p.add_argument("--bootstrap", metavar="HOST:PORT", help=BOOTSTRAP_HELP)
        _add_connect_timeout(p)
    p.add_argument(
        "--topic-prefix",
        metavar="PREFIX",
        help="prefix of every topic (env DIPLOSTREAM_TOPIC_PREFIX, default 'diplostream.')",
    )
    p.add_argument(
        "--partitions",
        type=int,
        metavar="N",
        help="partitions of topics created here (env DIPLOSTREAM_PARTITIONS, default 6)",
    )


# --- worker --------------------------------------------------------------------------------


def cmd_worker(args: argparse.Namespace) -> int:
    settings = _settings(args, metrics_port=args.metrics_port, metrics_host=args.metrics_host, loglevel=args.loglevel)
    bootstrap, security = _reachable_bootstrap(settings)  # before Faust is imported: a missing broker fails fast

    import faust

    from streams.kafka.app import create_app
    from streams.kafka.limits import LimitsError, check_limits
    from streams.kafka.topics import Topics, ensure_topics
    from streams.metrics import serve

    topics = Topics(settings.topic_prefix)
    ensure_topics(
        bootstrap,
        topics,
        settings.partitions,
        settings.replication_factor,
        connect_timeout=settings.connect_timeout_seconds,
        app_id=settings.app_id,
        max_message_bytes=settings.producer_max_request_bytes,
        security=security,
    )
    try:
        check_limits(settings, bootstrap, topics, security)
    except LimitsError as exc:
        err.print(f"[red]error[/]: {exc}")
        return 2
    if settings.metrics_port:
        serve(settings.metrics_port, settings.metrics_host)
        err.print(f"metrics on http://{settings.metrics_host}:{settings.metrics_port}/metrics, health on /healthz")
    app = create_app(settings, security)
    worker = faust.Worker(app, loglevel=settings.loglevel, quiet=True, redirect_stdouts=False)
    # No progress spinner: with one, Faust sets the root logger to DEBUG (Worker._setup_spinner_handler),
    # so every aiokafka and Faust debug() call builds a record that is then dropped (13 % of a worker's
    # CPU, FIELD-NOTES), and its cursor escapes land in the log file.
    worker.spinner = None
    worker.execute_from_commandline()
    return 0  # pragma: no cover - execute_from_commandline exits


# --- replay --------------------------------------------------------------------------------


def cmd_replay(args: argparse.Namespace) -> int:
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    from streams.kafka.producer import load_articles, replay
    from streams.kafka.topics import Topics, ensure_topics
    from streams.seeds import default_seeds

    settings = _settings(args)
    bootstrap = _require_bootstrap(settings)
    folders = [Path(p) for p in args.dirs] or [default_seeds()]
    for folder in folders:
        if not folder.exists():
            err.print(f"[red]error[/]: {folder}: no such file or directory")
            return 2
    articles, errors = load_articles(
        folders, settings.max_article_bytes, warn=lambda line: err.print(f"[yellow]warning[/]: {line}")
    )
    for error in errors:
        err.print(f"[red]skipped[/]: {error}")
    if not articles:
        err.print("[red]error[/]: no readable articles to replay")
        return 1
    bootstrap, security = _reachable_bootstrap(settings)
    topics = Topics(settings.topic_prefix)
    created = ensure_topics(
        bootstrap,
        topics,
        settings.partitions,
        settings.replication_factor,
        connect_timeout=settings.connect_timeout_seconds,
        security=security,
    )
    if created:
        err.print(f"created topics {', '.join(created)} with {settings.partitions} partitions")
    speed = None if args.fast else args.speed
    total = len(articles) * args.loop
    with Progress(
        TextColumn("replay"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=err,
        disable=not err.is_terminal,
    ) as progress:
        task = progress.add_task("replay", total=total)
        sent = replay(
            articles,
            bootstrap=bootstrap,
            topics=topics,
            speed=speed,
            max_gap=args.max_gap,
            loops=args.loop,
            on_sent=lambda _: progress.advance(task),
            connect_timeout=settings.connect_timeout_seconds,
            security=security,
        )
    span = f"{articles[0].published_at:%Y-%m-%d} … {articles[-1].published_at:%Y-%m-%d}"
    pace = "as fast as possible" if speed is None else f"at {speed:g}x, gaps capped at {args.max_gap:g} s"
    err.print(
        f"sent {sent} articles ({span}) to {topics.articles} {pace}"
        + (f"; {len(errors)} unreadable files skipped" if errors else "")
    )
    return 0


# --- tail ----------------------------------------------------------------------------------


def cmd_tail(args: argparse.Namespace) -> int:
    from kafka import KafkaConsumer

    from streams.kafka.topics import Topics

    settings = _settings(args)
    topic = Topics(settings.topic_prefix).by_name(args.topic)
    bootstrap, security = _reachable_bootstrap(settings)
    consumer = KafkaConsumer(
        topic,
        bootstrap_servers=bootstrap,
        bootstrap_timeout_ms=max(1, int(settings.connect_timeout_seconds * 1000)),
        group_id=None,
        auto_offset_reset="earliest" if args.from_beginning else "latest",
        enable_auto_commit=False,
        consumer_timeout_ms=int(args.timeout * 1000) if args.timeout else float("inf"),
        **security,
    )
    shown = 0
    try:
        for record in consumer:
            headers = {k: v.decode("utf-8", "replace") for k, v in (record.headers or [])}
            value = record.value.decode("utf-8", "replace") if record.value is not None else None
            if args.json:
                print(
                    json.dumps(
                        {
                            "key": record.key.decode() if record.key else None,
                            "partition": record.partition,
                            "offset": record.offset,
                            "headers": headers,
                            "value": json.loads(value) if value and value.startswith("{") else value,
                        }
                    ),
                    flush=True,
                )
            else:
                print(
                    f"{record.partition}:{record.offset} key={record.key.decode() if record.key else None} "
                    f"{headers} {value}",
                    flush=True,
                )
            shown += 1
            if args.max and shown >= args.max:
                break
    except KeyboardInterrupt:
        pass
    finally:
        consumer.close()
    return 0


# --- demo ----------------------------------------------------------------------------------


def cmd_demo(args: argparse.Namespace) -> int:
    from streams.kafka.demo import run_demo

    return run_demo(
        bootstrap=args.bootstrap or os.environ.get("KAFKA_BOOTSTRAP_SERVERS"),
        folders=[Path(p) for p in args.dirs],
        timeout=args.timeout,
        metrics_port=args.metrics_port,
        connect_timeout=load(connect_timeout_seconds=args.connect_timeout).connect_timeout_seconds,
    )


# --- config --------------------------------------------------------------------------------


def cmd_config(args: argparse.Namespace) -> int:
    from pydantic import SecretStr
    from rich.table import Table

    from streams.settings import Settings, env_names

    settings = load()
    table = Table(title="diplostream settings (flags win over environment, environment over defaults)")
    for col in ("environment variable", "value", "meaning"):
        table.add_column(col, overflow="fold")
    names = env_names()
    for name, info in Settings.model_fields.items():
        value = getattr(settings, name)
        shown = "'********' (set)" if isinstance(value, SecretStr) else repr(value)  # never the secret itself
        table.add_row(names[name], shown, info.description or "")
    Console().print(table)
    return 0


# --- registration --------------------------------------------------------------------------


def register(sub: Any) -> None:
    p = sub.add_parser("config", help="print every setting, its environment variable and current value")
    p.set_defaults(func=cmd_config)

    p = sub.add_parser(
        "worker",
        help="run the stream worker (extraction agent, windowed aggregator, /metrics)",
        description="The Faust worker: articles -> events (+ DLQ) -> windowed counts, with Prometheus metrics. "
        "Start several with the same --app-id to share partitions. Every setting is also an environment "
        "variable DIPLOSTREAM_<NAME> (see README).",
    )
    _add_common(p)
    p.add_argument(
        "--metrics-port",
        type=int,
        default=None,
        metavar="N",
        help="port of /metrics (env DIPLOSTREAM_METRICS_PORT, default 9464; 0 disables)",
    )
    p.add_argument(
        "--metrics-host",
        default=None,
        metavar="ADDR",
        help="address /metrics binds to (env DIPLOSTREAM_METRICS_HOST, default 0.0.0.0)",
    )
    p.add_argument("--app-id", metavar="ID", help="consumer group and table namespace (env DIPLOSTREAM_APP_ID)")
    p.add_argument(
        "--loglevel",
        default=None,
        choices=["debug", "info", "warning", "error"],
        help="worker log level (env DIPLOSTREAM_LOGLEVEL, default warning)",
    )
    p.set_defaults(func=cmd_worker)

    p = sub.add_parser(
        "replay",
        help="send articles to the articles topic in publication order",
        description="Replay a folder of .txt/.json articles (default: the bundled seeds) onto the articles topic, "
        "key = article id, record timestamp = publication time. Paced by the gaps between publication times "
        "divided by --speed, or --fast.",
    )
    p.add_argument("dirs", nargs="*", metavar="DIR", help="folders or files of articles (default: bundled seeds)")
    _add_common(p)
    pace = p.add_mutually_exclusive_group()
    pace.add_argument(
        "--speed",
        type=float,
        default=1_000_000.0,
        metavar="N",
        help="divide the gaps between publication times by N (default 1e6: a day in 0.09 s)",
    )
    pace.add_argument("--fast", action="store_true", help="send as fast as possible")
    p.add_argument(
        "--max-gap",
        type=float,
        default=5.0,
        metavar="SECONDS",
        help="never wait longer than this between two articles (default 5)",
    )
    p.add_argument("--loop", type=int, default=1, metavar="N", help="replay the articles N times (default 1)")
    p.set_defaults(func=cmd_replay)

    p = sub.add_parser(
        "tail",
        help="print records of events, event-counts or happenings as they arrive",
        description="For downstream developers: follow the events, event-counts or happenings topic (or the DLQ).",
    )
    p.add_argument("topic", choices=["events", "event-counts", "happenings", "articles-dlq", "articles"])
    _add_common(p)
    p.add_argument("--from-beginning", action="store_true", help="start at the earliest offset")
    p.add_argument("--json", action="store_true", help="one JSON object per record")
    p.add_argument("--max", type=int, default=0, metavar="N", help="stop after N records")
    p.add_argument("--timeout", type=float, default=0, metavar="SECONDS", help="stop after this long without records")
    p.set_defaults(func=cmd_tail)

    p = sub.add_parser(
        "demo",
        help="the main job: embedded broker + worker + replay of the seeds, then a report",
        description="With no --bootstrap (and no KAFKA_BOOTSTRAP_SERVERS) start the embedded Tansu broker on a "
        "free loopback port, run a worker, replay the seeds, wait until every article is processed, print the "
        "events, the per-pair counts and the metrics URL, and stop everything. The embedded broker keeps "
        "nothing after it stops.",
    )
    p.add_argument("dirs", nargs="*", metavar="DIR", help="folders of articles (default: bundled seeds)")
    p.add_argument("--bootstrap", metavar="HOST:PORT", help="use this broker instead of the embedded one")
    _add_connect_timeout(p)
    p.add_argument("--timeout", type=float, default=90.0, metavar="SECONDS", help="give up after this long")
    p.add_argument("--metrics-port", type=int, default=0, metavar="N", help="worker metrics port (default: free)")
    p.set_defaults(func=cmd_demo)
