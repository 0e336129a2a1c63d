"""A broker that is not there: one line on stderr, exit 2, in about --connect-timeout, for every command.

The commands run as real subprocesses against 127.0.0.1:1, where nothing listens;
the reachable case runs against the suite's Tansu broker.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time

import pytest

from streams.kafka.broker import EmbeddedBroker
from streams.kafka.reach import BrokerUnreachable, probe

UNREACHABLE = "127.0.0.1:1"
COMMANDS = {
    "replay": ["replay"],
    "tail": ["tail", "events"],
    "worker": ["worker", "--metrics-port", "0"],
    "demo": ["demo"],
}


def run(args: list[str], env: dict[str, str] | None = None) -> tuple[subprocess.CompletedProcess[str], float]:
    started = time.monotonic()
    result = subprocess.run(
        [sys.executable, "-m", "streams.cli", *args],
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, "COLUMNS": "200", **(env or {})},
    )
    return result, time.monotonic() - started


@pytest.mark.parametrize("command", list(COMMANDS))
def test_an_unreachable_broker_is_one_line_and_exit_2(command: str):
    result, elapsed = run([*COMMANDS[command], "--bootstrap", UNREACHABLE, "--connect-timeout", "2"])
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert result.returncode == 2, result.stderr
    assert lines == [f"error: cannot reach a Kafka broker at {UNREACHABLE} after 2 s"], result.stderr
    assert result.stdout == ""
    assert elapsed < 8, f"{command} took {elapsed:.1f} s"


def test_the_timeout_comes_from_the_environment_too():
    result, elapsed = run(
        ["tail", "events", "--bootstrap", UNREACHABLE], env={"DIPLOSTREAM_CONNECT_TIMEOUT_SECONDS": "1.5"}
    )
    assert result.returncode == 2
    assert result.stderr.strip() == f"error: cannot reach a Kafka broker at {UNREACHABLE} after 1.5 s"
    assert elapsed < 8


def test_config_lists_the_connect_timeout():
    result, _ = run(["config"])
    assert "DIPLOSTREAM_CONNECT_TIMEOUT_SECONDS" in result.stdout and "10.0" in result.stdout


def test_the_probe_raises_in_about_the_timeout():
    started = time.monotonic()
    with pytest.raises(BrokerUnreachable, match="after 1 s"):
        probe(UNREACHABLE, 1.0)
    assert time.monotonic() - started < 4


@pytest.mark.integration
def test_a_reachable_broker_passes_the_probe_and_the_command_runs(tansu: EmbeddedBroker):
    probe(tansu.bootstrap, 5.0)
    result, _ = run(
        ["tail", "events", "--bootstrap", tansu.bootstrap, "--topic-prefix", "unreachable-test.", "--timeout", "1"]
    )
    assert result.returncode == 0, result.stderr
    assert "error" not in result.stderr
