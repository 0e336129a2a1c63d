"""The event tables of `diplostream extract` and the demo's report on narrow terminals: no date is cut."""

from __future__ import annotations

import io
import os
import pty
import select
import subprocess
import sys

import pytest
from rich.console import Console

from streams.core.extract import extract
from streams.kafka.producer import load_articles
from streams.tables import events_table, pair_table
from tests.conftest import ROOT, SEEDS


@pytest.fixture(scope="module")
def seed_events():
    articles, _ = load_articles([SEEDS], 2 * 1024 * 1024)
    return [e for a in articles for e in extract(a)]


def render(table, width: int) -> str:
    console = Console(file=io.StringIO(), width=width)
    console.print(table)
    return console.file.getvalue()  # type: ignore[attr-defined]


def dates_of(events) -> set[str]:
    return {str(d) for e in events for d in (e.date, e.date_end) if d}


@pytest.mark.parametrize("width", [80, 100, 120, 200])
@pytest.mark.parametrize("evidence", [True, False])
def test_every_date_and_type_is_whole_at_any_usual_width(seed_events, width: int, evidence: bool):
    text = render(events_table(seed_events, "events", evidence=evidence, width=width), width)
    assert dates_of(seed_events) and {d for d in dates_of(seed_events) if d not in text} == set()
    assert "-…" not in text  # rich's cut: 2023-09-…
    assert "sanction_warning" in text and "occurred" in text
    assert max(len(line) for line in text.splitlines()) <= width


def test_the_evidence_shrinks_and_goes_only_when_there_is_no_room(seed_events):
    wide = render(events_table(seed_events, "events", evidence=True, width=160), 160)
    narrow = render(events_table(seed_events, "events", evidence=True, width=80), 80)
    assert "evidence" in wide and "left out" not in wide
    assert "evidence left out at 80 columns" in narrow


def test_pair_table_keeps_pairs_and_types_whole():
    text = render(pair_table([("PRK-RUS", "sanction_warning", 3)], "a title much wider than the table is"), 30)
    assert "PRK-RUS" in text and "sanction_warning" in text


def test_extract_on_an_80_column_terminal_shows_whole_dates(seed_events):
    """`diplostream extract` prints its table only on a terminal: run it on a pseudo-terminal 80 wide."""
    leader, follower = pty.openpty()
    env = {**os.environ, "COLUMNS": "80", "LINES": "50", "TERM": "dumb"}
    proc = subprocess.Popen(
        [sys.executable, "-m", "streams.cli", "extract", str(SEEDS)],
        stdin=subprocess.DEVNULL,
        stdout=follower,
        stderr=subprocess.PIPE,
        cwd=ROOT,
        env=env,
    )
    os.close(follower)
    chunks = []
    while True:
        ready, _, _ = select.select([leader], [], [], 60)
        if not ready:
            proc.kill()
            raise AssertionError("no output from extract within 60 s")
        try:
            data = os.read(leader, 65536)
        except OSError:  # the terminal closed: extract exited
            break
        if not data:
            break
        chunks.append(data)
    os.close(leader)
    _, err = proc.communicate(timeout=30)
    assert proc.returncode == 0, err
    text = b"".join(chunks).decode(errors="replace").replace("\r", "")
    assert f"{len(seed_events)} diplomatic events" in text
    assert {d for d in dates_of(seed_events) if d not in text} == set()
    assert "-…" not in text
    assert max(len(line) for line in text.splitlines()) <= 80
