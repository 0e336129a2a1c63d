"""A secured Apache Kafka: SASL_SSL with SCRAM-SHA-512, and mutual TLS, for every command.

The broker (``apache_secure`` in conftest) has three client listeners: PLAINTEXT,
SASL_SSL and SSL with a client certificate required, a certificate signed by a
throwaway CA made with openssl, and a SCRAM user created when its log dir was
formatted. The commands run as real subprocesses configured by the environment,
as an operator configures them; nothing they print or log may contain the password.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from prometheus_client.parser import text_string_to_metric_families

from schemas import DiplomaticEvent
from streams.core.extract import extract
from streams.kafka.producer import load_articles
from streams.kafka.reach import AuthenticationFailed, TlsFailed, probe
from tests.conftest import SEEDS
from tests.integration.conftest import Deployment, SecuredKafka, wait_for
from tests.integration.test_pipeline import check_counts, latest_counts

pytestmark = [pytest.mark.integration, pytest.mark.apache_kafka, pytest.mark.timeout(600)]

CONNECT_TIMEOUT = 20
# Generous for a refusal that takes ~2.5 s on a quiet machine: in a loaded CI run (three brokers,
# workers of the tests before) the TLS handshake and SCRAM exchange once took over 10 s, and a
# probe that gives up first reports an absent broker instead of the refusal.

COMPARED = (
    "diplostream_articles_consumed_total",
    "diplostream_events_extracted_total",
    "diplostream_events_aggregated_total",
    "diplostream_events_duplicate_total",
    "diplostream_dlq_records_total",
    "diplostream_extraction_latency_seconds_count",
    "diplostream_newest_event_time_seconds",
)


def cli(args: list[str], env: dict[str, str], timeout: float = 120) -> tuple[subprocess.CompletedProcess[str], float]:
    started = time.monotonic()
    result = subprocess.run(
        [sys.executable, "-m", "streams.cli", *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        env={**os.environ, "COLUMNS": "200", **env},
    )
    return result, time.monotonic() - started


def window_gauges(url: str) -> dict[tuple[str, ...], float]:
    text = urllib.request.urlopen(url, timeout=5).read().decode()
    return {
        (s.labels["window"], s.labels["pair"], s.labels["type"]): s.value
        for family in text_string_to_metric_families(text)
        for s in family.samples
        if s.name == "diplostream_window_events"
    }


def run_pipeline(d: Deployment, env: dict[str, str], expected: dict[str, DiplomaticEvent]) -> dict:
    """replay (the CLI) -> one worker -> events and counts, as the topics and /metrics show them."""
    d.start_workers(1, env={"DIPLOSTREAM_LOGLEVEL": "debug"})  # the most a log can say, aiokafka's included
    args = ["replay", str(SEEDS), "--bootstrap", d.bootstrap, "--topic-prefix", d.topics.prefix, "--fast"]
    result, _ = cli(args, env)
    assert result.returncode == 0, result.stderr
    sent = int(result.stderr.split("sent ", 1)[1].split()[0])
    wait_for(lambda: d.metric("diplostream_articles_consumed_total") >= sent, 90, "articles consumed")
    wait_for(lambda: d.metric("diplostream_events_aggregated_total") >= len(expected), 90, "events aggregated")
    wait_for(lambda: d.metric("diplostream_window_updates_pending") == 0, 30, "window updates sent")
    events = {e.event_id: e for e in (DiplomaticEvent.model_validate_json(r.value) for r in d.read(d.topics.events, 1))}
    counts = latest_counts(d, 1)
    newest = max(e.published_at for e in expected.values())
    wanted_today = {e.event_id for e in expected.values() if e.published_at.date() == newest.date()}
    wait_for(
        lambda: (
            sum(v for (kind, *_), v in window_gauges(d.metrics_urls[0]).items() if kind == "tumbling")
            == len(wanted_today)
        ),
        15,
        "the window gauges",
    )
    return {
        "sent": sent,
        "replay_output": result.stdout + result.stderr,
        "events": events,
        "counts": {key: (c.window_kind, c.window_start, c.pair, c.type, c.count) for key, c in counts.items()},
        "metrics": {name: d.metric(name) for name in COMPARED},
        "gauges": window_gauges(d.metrics_urls[0]),
    }


def test_the_pipeline_over_sasl_ssl_gives_what_the_plaintext_run_gives(apache_secure: SecuredKafka, tmp_path: Path):
    secured = apache_secure
    articles, errors = load_articles([SEEDS], 2 * 1024 * 1024)
    assert not errors
    expected = {e.event_id: e for a in articles for e in extract(a)}

    (tmp_path / "plain").mkdir()
    (tmp_path / "sasl").mkdir()
    plain = Deployment(bootstrap=secured.kafka.bootstrap, workdir=tmp_path / "plain")
    with plain.stack:
        plain_run = run_pipeline(plain, {}, expected)

    # the worker gets the password from the environment, the replay from a file (a container secret)
    password_file = tmp_path / "sasl-password"
    password_file.write_text(secured.password + "\n", encoding="utf-8")
    replay_env = secured.env(DIPLOSTREAM_SASL_PASSWORD="", DIPLOSTREAM_SASL_PASSWORD_FILE=str(password_file))
    sasl = Deployment(
        bootstrap=secured.kafka.sasl_ssl_bootstrap,
        workdir=tmp_path / "sasl",
        security=secured.security(),
        worker_env=secured.env(),
    )
    with sasl.stack:
        sasl_run = run_pipeline(sasl, replay_env, expected)
        worker_log = b"".join(p.read_bytes() for p in (tmp_path / "sasl").glob("worker-*.log"))

    assert sasl_run["sent"] == plain_run["sent"] == len(articles)
    assert sasl_run["events"] == plain_run["events"] == expected
    assert sasl_run["counts"] == plain_run["counts"]
    check_counts(latest_counts(plain, 1), expected)
    assert sasl_run["metrics"] == plain_run["metrics"]
    assert sasl_run["metrics"]["diplostream_events_extracted_total"] == len(expected)
    assert sasl_run["gauges"] == plain_run["gauges"] and sasl_run["gauges"]

    assert len(worker_log) > 10_000, "the worker logged next to nothing at debug level"
    assert secured.password.encode() not in worker_log
    assert secured.password not in sasl_run["replay_output"]


def test_mutual_tls_reaches_the_ssl_listener_and_a_client_without_certificate_is_refused(apache_secure: SecuredKafka):
    secured = apache_secure
    bootstrap = secured.kafka.ssl_bootstrap
    args = ["tail", "events", "--bootstrap", bootstrap, "--topic-prefix", "mtls.", "--timeout", "1"]
    result, _ = cli(args, secured.mtls_env())
    assert result.returncode == 0, result.stderr
    assert "error" not in result.stderr

    no_cert = {**secured.mtls_env(), "DIPLOSTREAM_SSL_CERTFILE": "", "DIPLOSTREAM_SSL_KEYFILE": ""}
    result, elapsed = cli([*args, "--connect-timeout", str(CONNECT_TIMEOUT)], no_cert)
    assert result.returncode == 2
    assert len(result.stderr.strip().splitlines()) == 1, result.stderr
    assert result.stderr.strip() == (
        f"error: TLS handshake with {bootstrap} failed (sslv3 alert bad certificate): the broker wants a client "
        "certificate it trusts (mutual TLS: DIPLOSTREAM_SSL_CERTFILE and DIPLOSTREAM_SSL_KEYFILE)"
    ), result.stderr
    assert elapsed < CONNECT_TIMEOUT + 10


def test_the_demo_runs_on_the_secured_cluster_and_on_embedded_tansu_despite_the_settings(
    apache_secure: SecuredKafka, tmp_path: Path
):
    """``demo --bootstrap``: every client of the demo and its worker over SASL_SSL; without --bootstrap the
    embedded broker, which speaks PLAINTEXT only, whatever the environment configures."""
    secured = apache_secure
    articles, _ = load_articles([SEEDS], 2 * 1024 * 1024)
    events = sum(len(extract(a)) for a in articles)
    env = {**secured.env(), "TMPDIR": str(tmp_path)}
    for args in (["--bootstrap", secured.kafka.sasl_ssl_bootstrap], []):
        result, _ = cli(["demo", *args, "--timeout", "120"], env, timeout=180)
        assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-3000:]
        assert f"processed {len(articles)} articles into {events} events" in result.stderr
        assert secured.password not in result.stdout + result.stderr


COMMANDS = {
    "replay": ["replay"],
    "tail": ["tail", "events"],
    "worker": ["worker", "--metrics-port", "0"],
    "demo": ["demo"],
}


@pytest.mark.parametrize("command", list(COMMANDS))
def test_a_wrong_password_is_one_line_and_exit_2(apache_secure: SecuredKafka, command: str):
    secured = apache_secure
    bootstrap = secured.kafka.sasl_ssl_bootstrap
    wrong = f"not-{secured.password}"
    result, elapsed = cli(
        [*COMMANDS[command], "--bootstrap", bootstrap, "--connect-timeout", str(CONNECT_TIMEOUT)],
        secured.env(DIPLOSTREAM_SASL_PASSWORD=wrong),
        timeout=60,
    )
    assert result.returncode == 2, result.stderr
    assert result.stderr.splitlines() == [
        f"error: authentication failed at {bootstrap} (SASL_SSL, SCRAM-SHA-512 as {secured.user!r}): the broker "
        "refused the user name or password (DIPLOSTREAM_SASL_USERNAME, DIPLOSTREAM_SASL_PASSWORD[_FILE], "
        "DIPLOSTREAM_SASL_MECHANISM)"
    ], result.stderr
    assert result.stdout == ""
    assert wrong not in result.stderr and secured.password not in result.stderr
    assert elapsed < CONNECT_TIMEOUT + 10, f"{command} took {elapsed:.1f} s"


@pytest.mark.parametrize("command", list(COMMANDS))
def test_an_untrusted_certificate_is_one_line_and_exit_2(apache_secure: SecuredKafka, command: str):
    secured = apache_secure
    bootstrap = secured.kafka.sasl_ssl_bootstrap
    result, elapsed = cli(
        [*COMMANDS[command], "--bootstrap", bootstrap, "--connect-timeout", str(CONNECT_TIMEOUT)],
        secured.env(DIPLOSTREAM_SSL_CAFILE=str(secured.untrusted.cert)),
        timeout=60,
    )
    assert result.returncode == 2, result.stderr
    assert result.stderr.splitlines() == [
        f"error: TLS handshake with {bootstrap} failed (certificate verify failed: self-signed certificate in "
        "certificate chain): the broker's certificate is not signed by a CA in DIPLOSTREAM_SSL_CAFILE (or the "
        "system's), or does not name this host"
    ], result.stderr
    assert result.stdout == ""
    assert elapsed < CONNECT_TIMEOUT + 10, f"{command} took {elapsed:.1f} s"


def test_the_host_name_is_checked_unless_turned_off(apache_secure: SecuredKafka):
    """The broker's certificate names 127.0.0.1 only: reached as localhost, its name does not match."""
    secured = apache_secure
    other_name = f"localhost:{secured.kafka.secure.sasl_ssl_port}"  # type: ignore[union-attr]
    with pytest.raises(TlsFailed, match="certificate verify failed: Hostname mismatch"):
        probe(other_name, CONNECT_TIMEOUT, secured.security())
    probe(other_name, CONNECT_TIMEOUT, secured.security({**secured.env(), "DIPLOSTREAM_SSL_CHECK_HOSTNAME": "false"}))
    with pytest.raises(AuthenticationFailed):
        probe(  # twice the bound: a refused SCRAM exchange outlasted 20 s once, with a compile running beside CI
            secured.kafka.sasl_ssl_bootstrap,
            2 * CONNECT_TIMEOUT,
            secured.security(secured.env(DIPLOSTREAM_SASL_USERNAME="nobody")),
        )


def test_tls_to_a_plain_listener_is_a_failed_handshake_not_a_hang(apache_secure: SecuredKafka):
    started = time.monotonic()
    with pytest.raises(TlsFailed, match="is the port a TLS listener") as failed:
        probe(apache_secure.kafka.bootstrap, CONNECT_TIMEOUT, apache_secure.security())
    assert failed.value.kind == "other"
    assert time.monotonic() - started < CONNECT_TIMEOUT
