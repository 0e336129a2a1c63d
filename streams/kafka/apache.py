"""Apache Kafka without Docker: the broker's own jars from Maven Central, one KRaft node on loopback.

The embedded Tansu broker is right on the normal path but wrong on restart
offsets and rebalances with a backlog (FIELD-NOTES), so everything that proves
restart behaviour runs here instead. The release is pinned in
``deploy/kafka/pom.xml`` (the same one compose's image uses); Maven fetches it
and its runtime jars once into an ignored cache folder and checks their
checksums. :class:`ApacheKafka` formats a log dir, writes a server.properties
for one combined broker and controller on free loopback ports, waits until the
broker answers metadata, and stops it with SIGTERM, then SIGKILL. A kept log dir
survives a restart on the same ports; a temporary one is removed with the broker.

    python -m streams.kafka.apache            # or `make kafka`: a broker until Ctrl-C
"""

from __future__ import annotations

import argparse
import base64
import contextlib
import os
import secrets
import shutil
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from streams.kafka.broker import BrokerError, free_port, stop_process_group
from streams.kafka.tls import BrokerStores

KAFKA_VERSION = "4.1.1"
ROOT = Path(__file__).resolve().parents[2]
POM = ROOT / "deploy" / "kafka" / "pom.xml"
LOG4J_CONFIG = ROOT / "deploy" / "kafka" / "log4j2.yaml"


class KafkaUnavailable(BrokerError):
    """Apache Kafka cannot be fetched or started on this machine (no Java, no Maven, no pom)."""


def kafka_home() -> Path:
    """Where the jars live: ``DIPLOSTREAM_KAFKA_HOME``, else ``.cache/kafka-<version>`` in the checkout."""
    override = os.environ.get("DIPLOSTREAM_KAFKA_HOME")
    return Path(override) if override else ROOT / ".cache" / f"kafka-{KAFKA_VERSION}"


def missing_tools() -> list[str]:
    """The programs a fetch and a start need that this machine lacks."""
    return [tool for tool in ("java", "mvn") if shutil.which(tool) is None]


def fetched(home: Path | None = None) -> bool:
    home = home or kafka_home()
    return (home / "lib" / f"kafka_2.13-{KAFKA_VERSION}.jar").exists()


def fetch(home: Path | None = None, *, quiet: bool = True) -> Path:
    """The broker's jars in ``home/lib``, fetched with Maven once; later calls return at once.

    Maven copies into a sibling folder that is renamed into place only when complete,
    so an interrupted fetch never leaves a half-filled ``lib`` that looks fetched.
    """
    home = home or kafka_home()
    if fetched(home):
        return home
    if missing_tools():
        raise KafkaUnavailable(f"Apache Kafka needs {' and '.join(missing_tools())} (Java 17+ and Maven)")
    if not POM.exists():
        raise KafkaUnavailable(f"no {POM}: fetching Apache Kafka needs a checkout of diplostream")
    home.mkdir(parents=True, exist_ok=True)
    partial = Path(tempfile.mkdtemp(prefix="lib-", dir=home))
    cmd = [
        "mvn",
        *(["-q"] if quiet else []),
        "-B",
        "-f",
        str(POM),
        "dependency:copy-dependencies",
        "-DincludeScope=runtime",
        f"-DoutputDirectory={partial}",
    ]
    try:
        done = subprocess.run(cmd, capture_output=quiet, text=True, stdin=subprocess.DEVNULL, check=False)
        if done.returncode != 0:
            detail = (done.stdout or "")[-2000:] if quiet else ""
            why = f"mvn could not fetch Apache Kafka {KAFKA_VERSION} (exit {done.returncode})"
            raise KafkaUnavailable(f"{why} {detail}".strip())
        partial.rename(home / "lib")
    finally:
        shutil.rmtree(partial, ignore_errors=True)
    return home


def cluster_id() -> str:
    """A KRaft cluster id: 16 random bytes, URL-safe base64 without padding (what kafka-storage random-uuid prints)."""
    return base64.urlsafe_b64encode(uuid.uuid4().bytes).decode().rstrip("=")


SCRAM_MECHANISM = "SCRAM-SHA-512"


@dataclass(frozen=True)
class SecureListeners:
    """Two more client listeners, as a managed cluster has them, beside the PLAINTEXT one.

    ``sasl_ssl_port``: SASL_SSL with SCRAM-SHA-512 for ``users`` (name -> password,
    created when the log dir is formatted: ``kafka-storage format --add-scram``).
    ``ssl_port``: TLS with a client certificate required (mutual TLS), signed by the
    CA of ``stores.truststore``. Both present ``stores.keystore``'s certificate. The
    controller and the broker itself keep talking PLAINTEXT on loopback.
    """

    stores: BrokerStores
    users: Mapping[str, str]
    sasl_ssl_port: int = field(default_factory=free_port)
    ssl_port: int = field(default_factory=free_port)

    def properties(self) -> list[str]:
        return [
            f"sasl.enabled.mechanisms={SCRAM_MECHANISM}",
            f"listener.name.sasl_ssl.{SCRAM_MECHANISM.lower()}.sasl.jaas.config="
            "org.apache.kafka.common.security.scram.ScramLoginModule required;",
            "listener.name.ssl.ssl.client.auth=required",
            "ssl.keystore.type=PKCS12",
            f"ssl.keystore.location={self.stores.keystore}",
            f"ssl.keystore.password={self.stores.password}",
            "ssl.truststore.type=PEM",
            f"ssl.truststore.location={self.stores.truststore}",
        ]

    def scram_arguments(self) -> list[str]:
        """``--add-scram`` for each user; the passwords are generated hex, so the bracket syntax needs no quoting."""
        return [
            arg
            for name, password in self.users.items()
            for arg in ("--add-scram", f"{SCRAM_MECHANISM}=[name={name},password={password}]")
        ]


def server_properties(
    log_dir: Path, port: int, controller_port: int, host: str = "127.0.0.1", secure: SecureListeners | None = None
) -> str:
    """One node that is broker and controller, replication 1, no initial rebalance delay."""
    listeners = f"PLAINTEXT://{host}:{port}"
    protocols = "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT"
    if secure is not None:
        listeners += f",SASL_SSL://{host}:{secure.sasl_ssl_port},SSL://{host}:{secure.ssl_port}"
        protocols += ",SASL_SSL:SASL_SSL,SSL:SSL"
    return "\n".join(
        [
            "process.roles=broker,controller",
            "node.id=1",
            f"controller.quorum.bootstrap.servers={host}:{controller_port}",
            f"listeners={listeners},CONTROLLER://{host}:{controller_port}",
            f"advertised.listeners={listeners}",
            "controller.listener.names=CONTROLLER",
            f"listener.security.protocol.map={protocols}",
            "inter.broker.listener.name=PLAINTEXT",
            *(secure.properties() if secure is not None else []),
            f"log.dirs={log_dir}",
            "num.partitions=1",
            "offsets.topic.replication.factor=1",
            "offsets.topic.num.partitions=6",
            "transaction.state.log.replication.factor=1",
            "transaction.state.log.min.isr=1",
            "share.coordinator.state.topic.replication.factor=1",
            "share.coordinator.state.topic.min.isr=1",
            "group.initial.rebalance.delay.ms=0",
            "",
        ]
    )


@dataclass
class ApacheKafka:
    """One Apache Kafka node on loopback; use :func:`apache_kafka` for one that is always stopped.

    ``log_dir`` None means a temporary folder, removed by :meth:`stop`; a given one is
    kept, formatted once, and reused by the next start on the same ports.
    """

    log_dir: Path | None = None
    host: str = "127.0.0.1"
    port: int = field(default_factory=free_port)
    controller_port: int = field(default_factory=free_port)
    heap: str = "512m"
    home: Path | None = None
    log_path: Path | None = None
    secure: SecureListeners | None = None
    process: subprocess.Popen[bytes] | None = None
    _workdir: Path | None = None

    @property
    def bootstrap(self) -> str:
        return f"{self.host}:{self.port}"

    @property
    def sasl_ssl_bootstrap(self) -> str:
        """The SASL_SSL listener (SCRAM-SHA-512 users of ``secure``)."""
        if self.secure is None:
            raise BrokerError("this broker has no secure listeners")
        return f"{self.host}:{self.secure.sasl_ssl_port}"

    @property
    def ssl_bootstrap(self) -> str:
        """The mutual-TLS listener."""
        if self.secure is None:
            raise BrokerError("this broker has no secure listeners")
        return f"{self.host}:{self.secure.ssl_port}"

    def _java(self, main: str, *args: str) -> list[str]:
        home = self.home or kafka_home()
        return [
            "java",
            f"-Xmx{self.heap}",
            "-Xms128m",
            "-XX:+UseG1GC",
            "-Djava.awt.headless=true",
            f"-Dlog4j2.configurationFile={LOG4J_CONFIG}",
            "-cp",
            f"{home / 'lib'}/*",
            main,
            *args,
        ]

    def _prepare(self) -> Path:
        """server.properties in place and the log dir formatted (once); returns the properties file."""
        if self._workdir is None:
            self._workdir = Path(tempfile.mkdtemp(prefix="diplostream-kafka-"))
        log_dir = self.log_dir or self._workdir / "data"
        log_dir.mkdir(parents=True, exist_ok=True)
        props = self._workdir / "server.properties"
        text = server_properties(log_dir, self.port, self.controller_port, self.host, self.secure)
        props.write_text(text, encoding="utf-8")
        props.chmod(0o600)  # it holds the key store's password
        if not (log_dir / "meta.properties").exists():
            users = self.secure.scram_arguments() if self.secure is not None else []
            cmd = self._java(
                "kafka.tools.StorageTool", "format", "--standalone", "-t", cluster_id(), "-c", str(props), *users
            )
            done = subprocess.run(cmd, capture_output=True, text=True, stdin=subprocess.DEVNULL, check=False)
            if done.returncode != 0:
                raise BrokerError(f"formatting {log_dir} failed: {(done.stdout + done.stderr)[-1500:]}")
        return props

    def start(self, timeout: float = 60.0) -> ApacheKafka:
        """Start the node and return once it answers a metadata request."""
        if missing_tools():
            raise KafkaUnavailable(f"Apache Kafka needs {' and '.join(missing_tools())} (Java 17+ and Maven)")
        self.home = fetch(self.home)
        try:
            props = self._prepare()
            assert self._workdir is not None
            log_path = self.log_path or self._workdir / "broker.log"
            with open(log_path, "ab") as sink:
                self.process = subprocess.Popen(
                    self._java("kafka.Kafka", str(props)),
                    stdout=sink,
                    stderr=subprocess.STDOUT,
                    stdin=subprocess.DEVNULL,
                    start_new_session=True,  # Ctrl-C in a terminal is ours to pass on, not the JVM's
                )
            self._wait_ready(timeout, log_path)
        except BaseException:
            self.close()  # a failed start leaves no process and no working folder (a kept log dir stays)
            raise
        return self

    def _wait_ready(self, timeout: float, log_path: Path) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process is None or self.process.poll() is not None:
                tail = log_path.read_text(errors="replace")[-1500:] if log_path.exists() else ""
                raise BrokerError(f"Apache Kafka exited while starting:\n{tail}")
            if answers_metadata(self.bootstrap):
                return
            time.sleep(0.2)
        raise BrokerError(f"Apache Kafka did not answer metadata on {self.bootstrap} within {timeout:.0f} s")

    def stop(self, timeout: float = 20.0, *, keep_workdir: bool = False) -> None:
        """SIGTERM (a clean shutdown flushes the log), SIGKILL after ``timeout``; remove a temporary log dir."""
        proc, self.process = self.process, None
        if proc is not None:
            stop_process_group(proc, timeout)
        if not keep_workdir and self._workdir is not None and self.log_dir is None:
            shutil.rmtree(self._workdir, ignore_errors=True)
            self._workdir = None

    def restart(self, timeout: float = 60.0) -> ApacheKafka:
        """Stop and start again on the same ports and log dir (temporary or not)."""
        self.stop(keep_workdir=True)
        return self.start(timeout)

    def close(self) -> None:
        """Stop, and remove the working folder whatever kind of log dir it has (the log dir itself stays)."""
        self.stop()
        if self._workdir is not None:
            shutil.rmtree(self._workdir, ignore_errors=True)
            self._workdir = None


def answers_metadata(bootstrap: str, timeout_ms: int = 2000) -> bool:
    """True when a broker at ``bootstrap`` answers a cluster metadata request now."""
    import logging

    from kafka.admin import KafkaAdminClient

    logging.getLogger("kafka").setLevel(logging.CRITICAL)  # refused connections while it starts are expected
    try:
        admin = KafkaAdminClient(
            bootstrap_servers=bootstrap,
            client_id="diplostream-probe",
            request_timeout_ms=timeout_ms,
            bootstrap_timeout_ms=timeout_ms,
        )
    except Exception:
        return False
    try:
        return bool(admin.describe_cluster().get("brokers"))
    except Exception:
        return False
    finally:
        admin.close()


@contextlib.contextmanager
def apache_kafka(log_dir: Path | None = None, **kwargs: object) -> Iterator[ApacheKafka]:
    broker = ApacheKafka(log_dir=log_dir, **kwargs).start()  # type: ignore[arg-type]
    try:
        yield broker
    finally:
        broker.close()


def throwaway_secure_listeners(folder: Path, port: int, user: str = "diplostream") -> tuple[SecureListeners, str]:
    """SASL_SSL on ``port + 1`` and mutual TLS on ``port + 2``, with a new CA, user and password in ``folder``.

    Returns the listeners and the settings a diplostream command reaches each with; the
    password is in a file (``DIPLOSTREAM_SASL_PASSWORD_FILE``), never printed.
    """
    from streams.kafka.tls import Authority, broker_stores

    ca = Authority.create(folder)
    stores = broker_stores(ca, folder, hosts=("127.0.0.1", "localhost"))
    client_cert, client_key = ca.issue(folder, "diplostream-client")
    password = secrets.token_hex(16)
    password_file = folder / "sasl-password"
    password_file.write_text(password + "\n", encoding="utf-8")
    password_file.chmod(0o600)
    secure = SecureListeners(stores, {user: password}, sasl_ssl_port=port + 1, ssl_port=port + 2)
    how = (
        f"SASL_SSL on 127.0.0.1:{port + 1}:\n  DIPLOSTREAM_SECURITY_PROTOCOL=SASL_SSL "
        f"DIPLOSTREAM_SASL_MECHANISM={SCRAM_MECHANISM} DIPLOSTREAM_SASL_USERNAME={user} "
        f"DIPLOSTREAM_SASL_PASSWORD_FILE={password_file} DIPLOSTREAM_SSL_CAFILE={ca.cert}\n"
        f"mutual TLS on 127.0.0.1:{port + 2}:\n  DIPLOSTREAM_SECURITY_PROTOCOL=SSL DIPLOSTREAM_SSL_CAFILE={ca.cert} "
        f"DIPLOSTREAM_SSL_CERTFILE={client_cert} DIPLOSTREAM_SSL_KEYFILE={client_key}"
    )
    return secure, how


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m streams.kafka.apache",
        description=f"Run Apache Kafka {KAFKA_VERSION} (one KRaft node) on loopback until Ctrl-C; the jars are "
        "fetched with Maven into the cache folder on first use.",
    )
    parser.add_argument("--port", type=int, default=9094, help="client port (default 9094, as compose's broker)")
    parser.add_argument("--controller-port", type=int, default=0, help="controller port (default: a free one)")
    parser.add_argument(
        "--log-dir", type=Path, default=None, help="keep the data here across runs (default: a temporary folder)"
    )
    parser.add_argument("--heap", default="512m", help="JVM heap (default 512m)")
    parser.add_argument("--fetch-only", action="store_true", help="fetch the jars and exit")
    parser.add_argument(
        "--secure",
        action="store_true",
        help="also a SASL_SSL (SCRAM-SHA-512) listener on PORT+1 and a mutual-TLS one on PORT+2, with a throwaway "
        "CA and user (needs openssl; not with --log-dir); prints the settings that reach them",
    )
    args = parser.parse_args(argv)
    if args.secure and args.log_dir:
        parser.error("--secure makes a new user and CA each run: use it without --log-dir")
    tls_dir = Path(tempfile.mkdtemp(prefix="diplostream-kafka-tls-")) if args.secure else None
    try:
        return _run(args, tls_dir)
    finally:
        if tls_dir is not None:
            shutil.rmtree(tls_dir, ignore_errors=True)


def _run(args: argparse.Namespace, tls_dir: Path | None) -> int:
    secure, how = throwaway_secure_listeners(tls_dir, args.port) if tls_dir else (None, "")
    try:
        if args.fetch_only:
            print(f"Apache Kafka {KAFKA_VERSION} in {fetch()}")
            return 0
        started = time.monotonic()
        broker = ApacheKafka(
            log_dir=args.log_dir,
            port=args.port,
            controller_port=args.controller_port or free_port(),
            heap=args.heap,
            secure=secure,
        )
        broker.start()
    except BrokerError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    if how:
        print(how, file=sys.stderr)
    print(
        f"Apache Kafka {KAFKA_VERSION} on {broker.bootstrap} (started in {time.monotonic() - started:.1f} s; "
        f"data in {args.log_dir or 'a temporary folder, removed on exit'}); Ctrl-C stops it",
        file=sys.stderr,
        flush=True,
    )
    try:
        assert broker.process is not None
        broker.process.wait()
        print("error: Apache Kafka exited", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
    finally:
        broker.close()


if __name__ == "__main__":
    sys.exit(main())
