"""`diplostream demo`, the newcomer's first command: it finishes, reports, and leaves nothing running."""

from __future__ import annotations

import re
import signal
import socket
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest

from streams.core.extract import extract
from streams.kafka.producer import load_articles
from tests.conftest import SEEDS

pytestmark = pytest.mark.integration


def start_demo(tmp: Path, marker: str = "", columns: int = 200) -> subprocess.Popen[str]:
    """The demo as from a terminal; its temp folders go to ``tmp``, its processes carry ``marker`` in their env."""
    return subprocess.Popen(
        [sys.executable, "-m", "streams.cli", "demo"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={"PATH": "/usr/bin:/bin", "HOME": "/tmp", "COLUMNS": str(columns), "TMPDIR": str(tmp), MARKER: marker},
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),  # as from a terminal
    )


MARKER = "DIPLOSTREAM_TEST_RUN"


def processes_with(marker: str) -> list[str]:
    """Command lines of every process whose environment carries ``MARKER=marker``: the demo and all it started.

    The broker and the worker run in their own sessions (Ctrl-C in a terminal is the
    demo's to handle), so the demo's process group does not find them; the inherited
    environment does.
    """
    found = []
    needle = f"{MARKER}={marker}".encode()
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit():
            continue
        try:
            if needle in (proc / "environ").read_bytes().split(b"\0"):
                found.append((proc / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace"))
        except OSError:
            continue  # gone, or not ours
    return found


def demo_folders(tmp: Path) -> list[Path]:
    return sorted(tmp.glob("diplostream-demo-*"))


def listening(port: int) -> bool:
    with socket.socket() as s:
        s.settimeout(0.5)
        return s.connect_ex(("127.0.0.1", port)) == 0


def ports_in(text: str) -> set[int]:
    return {int(p) for p in re.findall(r"127\.0\.0\.1:(\d+)", text)}


def test_demo_reports_and_stops_everything(tmp_path: Path):
    """Piped and 80 columns wide, as in a CI log: every date of the report is whole."""
    marker = uuid.uuid4().hex
    proc = start_demo(tmp_path, marker, columns=80)
    out, err = proc.communicate(timeout=90)
    assert proc.returncode == 0, err
    assert "keeps nothing after it stops" in err
    articles, _ = load_articles([SEEDS], 2 * 1024 * 1024)
    events = [e for a in articles for e in extract(a)]  # what `diplostream extract` gives for the seeds
    assert f"{len(events)} events on the events topic" in out
    dates = {str(d) for e in events for d in (e.date, e.date_end) if d}
    assert dates and {d for d in dates if d not in out} == set()
    assert "-…" not in out and max(len(line) for line in out.splitlines()) <= 80
    assert "sanction_warning" in out
    assert "distinct events per pair and type" in out and "PRK-RUS" in out
    assert "/metrics" in out
    ports = ports_in(err)
    assert len(ports) == 2  # the broker and the worker's metrics
    assert not any(listening(p) for p in ports)
    assert processes_with(marker) == []
    assert demo_folders(tmp_path) == []


def test_demo_prints_a_line_per_phase(tmp_path: Path):
    """Piped, the demo says what it is doing, one plain line per phase, and no spinner frames."""
    proc = start_demo(tmp_path)
    _, err = proc.communicate(timeout=90)
    assert proc.returncode == 0, err
    lines = err.splitlines()
    for phase in PHASES:
        assert any(line.startswith(phase) for line in lines), f"no {phase!r} line in:\n{err}"
    assert "\r" not in err and "\x1b" not in err


# Lines of the demo's stderr, in order; each is a point where it is interrupted below.
PHASES = [
    "starting the embedded Tansu broker",  # then the broker starts
    "embedded Tansu broker on",  # then topics are created
    "topics demo-",  # then the worker starts and is waited for
    "worker up",  # then the replay starts
    "replaying",  # then the replay's producer bootstraps: where a Ctrl-C used to hang the demo
    "replayed",  # then the demo waits for the worker to process the articles
]


def interrupt_after(tmp_path: Path, phase: str, sig: signal.Signals) -> tuple[int, str]:
    """Start the demo, send ``sig`` as soon as it prints ``phase``; check that it left nothing behind."""
    marker = uuid.uuid4().hex
    proc = start_demo(tmp_path, marker)
    assert proc.stderr is not None
    seen = ""
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        line = proc.stderr.readline()
        if not line:
            break
        seen += line
        if line.startswith(phase):
            break
    assert phase in seen, seen
    sent = time.monotonic()
    proc.send_signal(sig)
    try:
        _, rest = proc.communicate(timeout=30)
    except subprocess.TimeoutExpired:
        proc.kill()
        raise AssertionError(f"the demo did not stop within 30 s of {sig.name} after {phase!r}:\n{seen}") from None
    took = time.monotonic() - sent
    ports = ports_in(seen)
    assert not any(listening(p) for p in ports), f"still listening: {ports}"
    assert processes_with(marker) == []
    assert demo_folders(tmp_path) == []
    assert "Traceback" not in rest, rest
    assert took < 20, f"{took:.1f} s to stop"
    return proc.returncode, seen + rest


def test_ctrl_c_stops_the_broker_and_the_worker(tmp_path: Path):
    code, output = interrupt_after(tmp_path, "worker up", signal.SIGINT)
    assert code == 130, output
    assert "interrupted (SIGINT)" in output


@pytest.mark.parametrize("phase", PHASES)
@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM], ids=["SIGINT", "SIGTERM"])
def test_a_signal_at_any_phase_stops_everything(tmp_path: Path, phase: str, sig: signal.Signals):
    code, output = interrupt_after(tmp_path, phase, sig)
    assert code == 128 + sig, output  # 130 for SIGINT, 143 for SIGTERM: the shell's convention
    assert f"interrupted ({sig.name})" in output
