"""The regular expressions of ``data/patterns.toml``, compiled once.

They are knowledge about English (what may stand between a visit word and its destination, what
ends a clause), so they live in data beside the word lists, where a change is a data change and
every rule sees the same shape.
"""

from __future__ import annotations

import re
import tomllib
from functools import cache
from typing import Any

from streams.core.lexicon import DATA_DIR

_FLAGS = {"": 0, "i": re.IGNORECASE}


@cache
def _table() -> dict[str, dict[str, Any]]:
    with (DATA_DIR / "patterns.toml").open("rb") as f:
        return tomllib.load(f)


def pattern(name: str) -> re.Pattern[str]:
    """The pattern ``section.key`` of patterns.toml; a missing name is an error at import time."""
    section, key = name.split(".", 1)
    entry = _table()[section][key]
    text = entry["pattern"]
    return re.compile("".join(text) if isinstance(text, list) else text, _FLAGS[entry.get("flags", "")])


def stems(rule: str) -> tuple[str, ...]:
    """The substrings one of which a sentence must contain for ``rule`` to read it (patterns.toml [stems])."""
    return tuple(_table()["stems"][rule])
