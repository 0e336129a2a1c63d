"""Is a Kafka broker there? One bounded probe before any real client is built.

Without it, every command that talks to a broker that is not there waits for
kafka-python's 30 s bootstrap default and then dies in a 35-line
``KafkaTimeoutError`` traceback. The probe bootstraps a kafka-python admin client
bounded by ``connect_timeout_seconds`` and turns a failure into
:class:`BrokerUnreachable`, which ``streams.cli.main`` prints as one line with exit 2.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Iterator


class BrokerUnreachable(RuntimeError):
    """No Kafka broker answered at ``bootstrap`` within ``timeout`` seconds."""

    def __init__(self, bootstrap: str, timeout: float) -> None:
        self.bootstrap = bootstrap
        self.timeout = timeout
        super().__init__(f"cannot reach a Kafka broker at {bootstrap} after {timeout:g} s")


@contextlib.contextmanager
def kafka_logging_silenced() -> Iterator[None]:
    """Keep kafka-python's retry warnings off stderr while the probe retries.

    An unreachable broker is reported once, by the caller; kafka-python would
    otherwise log a warning per failed attempt wherever logging is configured
    (a Faust worker configures it).
    """
    logger = logging.getLogger("kafka")
    was_disabled = logger.disabled
    logger.disabled = True
    try:
        yield
    finally:
        logger.disabled = was_disabled


def probe(bootstrap: str, timeout: float) -> None:
    """Bootstrap a throwaway admin client against ``bootstrap``; raise :class:`BrokerUnreachable` after ``timeout``.

    kafka-python's bootstrap retries every address until its deadline, so a broker
    that is still starting (the compose stack) is waited for, up to ``timeout``.
    """
    from kafka.admin import KafkaAdminClient
    from kafka.errors import KafkaError

    timeout_ms = max(1, int(timeout * 1000))
    with kafka_logging_silenced():
        try:
            admin = KafkaAdminClient(
                bootstrap_servers=bootstrap,
                client_id="diplostream-probe",
                bootstrap_timeout_ms=timeout_ms,
                request_timeout_ms=max(timeout_ms, 1000),
            )
        except (KafkaError, OSError) as exc:
            raise BrokerUnreachable(bootstrap, timeout) from exc
        admin.close()
