"""`diplostream demo`, the newcomer's first command: it finishes, reports, and leaves nothing running."""

from __future__ import annotations

import re
import signal
import socket
import subprocess
import sys
import time

import pytest

from streams.core.extract import extract
from streams.kafka.producer import load_articles
from tests.conftest import SEEDS

pytestmark = pytest.mark.integration


def start_demo() -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "streams.cli", "demo"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={"PATH": "/usr/bin:/bin", "HOME": "/tmp", "COLUMNS": "200"},
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),  # as from a terminal
    )


def listening(port: int) -> bool:
    with socket.socket() as s:
        s.settimeout(0.5)
        return s.connect_ex(("127.0.0.1", port)) == 0


def ports_in(text: str) -> set[int]:
    return {int(p) for p in re.findall(r"127\.0\.0\.1:(\d+)", text)}


def test_demo_reports_and_stops_everything():
    proc = start_demo()
    out, err = proc.communicate(timeout=90)
    assert proc.returncode == 0, err
    assert "keeps nothing after it stops" in err
    articles, _ = load_articles([SEEDS], 2 * 1024 * 1024)
    expected = sum(len(extract(a)) for a in articles)  # what `diplostream extract` gives for the seeds
    assert f"{expected} events on the events topic" in out
    assert "distinct events per pair and type" in out and "PRK-RUS" in out
    assert "/metrics" in out
    ports = ports_in(err)
    assert len(ports) == 2  # the broker and the worker's metrics
    assert not any(listening(p) for p in ports)


def test_ctrl_c_stops_the_broker_and_the_worker():
    proc = start_demo()
    seen = ""
    deadline = time.monotonic() + 60
    assert proc.stderr is not None
    while "worker up" not in seen and time.monotonic() < deadline:
        seen += proc.stderr.readline()
    assert "worker up" in seen, seen
    proc.send_signal(signal.SIGINT)
    _, rest = proc.communicate(timeout=30)
    assert proc.returncode == 130, rest
    ports = ports_in(seen)
    assert ports and not any(listening(p) for p in ports)
