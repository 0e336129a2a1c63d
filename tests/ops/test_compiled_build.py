"""The compiled package the image ships extracts exactly what the source does.

The Dockerfile builds the wheel with the extractor's core compiled by mypyc (setup.py,
DIPLOSTREAM_COMPILE=1) and installs it over requirements.lock. This test does the same
in a fresh virtual environment (no Docker here) and runs its ``diplostream extract`` on
the seeds, the dev articles and bad input, against the development install's output.
It takes a minute or two: mypyc and the C compiler are slow.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import venv
from pathlib import Path

import pytest

from tests.conftest import ROOT, SEEDS

DEV_ARTICLES = ROOT / "tests" / "data" / "dev" / "articles"
SOURCES = ["pyproject.toml", "setup.py", "README.md", "schemas", "streams"]  # what the Dockerfile copies


def run(*args: str | Path, cwd: Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(
        [str(a) for a in args], cwd=cwd, env=env, capture_output=True, text=True, timeout=900, check=False
    )
    assert result.returncode == 0, (
        f"{' '.join(map(str, args))} failed:\n{result.stdout[-2000:]}\n{result.stderr[-4000:]}"
    )
    return result


@pytest.fixture(scope="module")
def compiled(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A virtual environment with the compiled wheel installed as the image installs it; its bin/."""
    if shutil.which("gcc") is None and shutil.which("cc") is None:
        pytest.fail("no C compiler: the compiled build needs gcc (Debian: apt-get install gcc)")
    work = tmp_path_factory.mktemp("compiled")
    source = work / "src"
    source.mkdir()
    for name in SOURCES:
        if (ROOT / name).is_dir():
            shutil.copytree(ROOT / name, source / name, ignore=shutil.ignore_patterns("__pycache__", "*.so"))
        else:
            shutil.copy2(ROOT / name, source / name)
    env_dir = work / "venv"
    venv.EnvBuilder(with_pip=True).create(env_dir)
    bin_dir = env_dir / "bin"
    pip = [bin_dir / "python", "-m", "pip", "--disable-pip-version-check", "-q"]
    run(*pip, "install", "--no-deps", "--require-hashes", "-r", ROOT / "deploy" / "parser.lock", cwd=work)
    run(*pip, "install", "--no-deps", "-r", ROOT / "requirements.lock", "-r", ROOT / "deploy" / "build.lock", cwd=work)
    # gcc -O0: the same modules compiled with less work than the image's -O3 (199 s for this fixture against 231 s,
    # both on a loaded machine: mypyc and the installs are most of it); speed is measured in benchmarks/ on -O3
    build_env = {**os.environ, "DIPLOSTREAM_COMPILE": "1", "DIPLOSTREAM_COMPILE_OPT_LEVEL": "0"}
    wheels = work / "wheels"
    built = run(
        *pip, "wheel", "--no-deps", "--no-build-isolation", "--wheel-dir", wheels, ".", cwd=source, env=build_env
    )
    # the SPDX string form of project.license (setuptools>=77), not the deprecated table
    assert "project.license" not in built.stdout + built.stderr, built.stderr
    (wheel,) = wheels.glob("diplostream-*.whl")
    run(*pip, "install", "--no-deps", wheel, cwd=work)
    return bin_dir


def extract(python: Path, out: Path, *paths: Path) -> list[str]:
    # run from a folder outside the project so the installed package is the one imported
    run(python, "-m", "streams.cli", "extract", *paths, "--jsonl", out, cwd=out.parent)
    return out.read_text(encoding="utf-8").splitlines()


def test_the_wheel_holds_compiled_modules(compiled: Path, tmp_path: Path) -> None:
    where = run(
        compiled / "python", "-c", "import streams.core.extract as m; print(m.__file__)", cwd=tmp_path
    ).stdout.strip()
    assert where.endswith(".so"), f"the installed extractor is not compiled: {where}"


def test_compiled_and_source_extract_the_same_events(compiled: Path, tmp_path: Path) -> None:
    articles = [SEEDS, DEV_ARTICLES]
    shipped = extract(compiled / "python", tmp_path / "compiled.jsonl", *articles)
    source = extract(Path(sys.executable), tmp_path / "source.jsonl", *articles)
    assert len(source) > 50
    assert shipped == source


def test_compiled_build_reports_bad_input_without_a_traceback(compiled: Path, tmp_path: Path) -> None:
    bad = tmp_path / "bad"
    bad.mkdir()
    (bad / "empty.txt").write_bytes(b"")
    (bad / "binary.txt").write_bytes(bytes(range(256)) * 8)
    (bad / "latin1.txt").write_bytes("Caf\xe9 Putin visited Pyongyang.".encode("latin-1"))
    (bad / "quiet.txt").write_text("Title\n\nNothing happened between any two states today.\n", encoding="utf-8")
    result = subprocess.run(
        [str(compiled / "python"), "-m", "streams.cli", "extract", str(bad), "--jsonl", str(tmp_path / "out.jsonl")],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert "Traceback" not in result.stderr
    for name in ("empty.txt", "binary.txt", "latin1.txt"):
        assert name in result.stderr
