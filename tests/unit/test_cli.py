"""The command line as a newcomer meets it."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from tests.conftest import GOLD


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "streams.cli", *args], capture_output=True, text=True)


def test_help_lists_the_commands():
    out = run("--help").stdout
    for command in ("extract", "evaluate"):
        assert command in out


def test_extract_reports_bad_files_and_goes_on(tmp_path: Path):
    (tmp_path / "good.txt").write_text(
        "Modi to visit Washington\n\nJune 1, 2024\n\nIndian Prime Minister Narendra Modi will visit Washington "
        "on June 21, the White House said."
    )
    (tmp_path / "binary.txt").write_bytes(b"\x00\x01\x02\x03")
    (tmp_path / "empty.txt").write_text("")
    out = tmp_path / "events.jsonl"
    result = run("extract", str(tmp_path), "--jsonl", str(out))
    assert result.returncode == 0
    assert "Traceback" not in result.stderr
    assert "binary.txt: binary file" in result.stderr
    assert "empty.txt: empty" in result.stderr
    lines = out.read_text().splitlines()
    assert len(lines) == 1 and '"source":"IND"' in lines[0] and '"target":"USA"' in lines[0]


def test_extract_missing_path_is_a_clear_error(tmp_path: Path):
    result = run("extract", str(tmp_path / "nope"))
    assert "no such file" in result.stderr and "Traceback" not in result.stderr
    assert result.returncode == 1


def test_evaluate_with_a_bad_events_file(tmp_path: Path):
    bad = tmp_path / "bad.jsonl"
    bad.write_text("not json\n")
    result = run("evaluate", str(GOLD), str(bad))
    assert result.returncode == 2 and "not JSON" in result.stderr and "Traceback" not in result.stderr


def test_evaluate_with_a_missing_events_file_is_one_plain_line(tmp_path: Path):
    result = subprocess.run(
        [sys.executable, "-m", "streams.cli", "evaluate", str(GOLD), "events.jsonl"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
    )
    assert result.returncode == 2
    assert result.stderr.splitlines() == ["error: events.jsonl: no such file"]


def test_evaluate_with_a_folder_for_events(tmp_path: Path):
    result = run("evaluate", str(GOLD), str(tmp_path))
    assert result.returncode == 2
    assert result.stderr.splitlines() == [f"error: {tmp_path}: a folder, not a JSON-lines file of events"]


def test_text_without_events_gives_an_empty_result(tmp_path: Path):
    (tmp_path / "a.txt").write_text("Weather\n\nMay 2, 2024\n\nIt rained all day in the valley.")
    result = run("extract", str(tmp_path))
    assert result.returncode == 0 and result.stdout == "" and "0 events from 1 articles" in result.stderr


def test_an_undated_file_is_read_against_its_file_time_and_says_so(tmp_path):
    """No date in the text or a manifest: every relative date hangs on the fallback, so it is named."""
    import os
    import subprocess
    import sys

    story = tmp_path / "undated.txt"
    story.write_text("Talks in Kampala\n\nKenyan President William Ruto will visit Uganda next week, his office said.")
    os.utime(story, (1_710_374_400, 1_710_374_400))  # 2024-03-14
    out = tmp_path / "e.jsonl"
    cmd = [sys.executable, "-m", "streams.cli", "extract", str(story), "--jsonl", str(out)]
    warned = subprocess.run(cmd, capture_output=True, text=True, check=True)
    assert "undated.txt: no publication date" in warned.stderr and "2024-03-14" in warned.stderr
    assert "1 dated by file time" in warned.stderr
    assert '"date":"2024-03-18"' in out.read_text()
    given = subprocess.run([*cmd, "--published", "2024-06-01"], capture_output=True, text=True, check=True)
    assert "warning" not in given.stderr
    assert '"date":"2024-06-03"' in out.read_text()
