"""Where the bundled seed articles are: the default input of ``extract``, ``replay`` and the demo.

Its own module so the CLI and the streaming commands both read it without importing each other.
"""

from __future__ import annotations

from pathlib import Path

SEEDS_DIR = Path(__file__).resolve().parent.parent / "seeds"


def default_seeds() -> Path:
    """The bundled seeds: beside the package in a checkout, else the working directory's."""
    return SEEDS_DIR if SEEDS_DIR.is_dir() else Path("seeds")
