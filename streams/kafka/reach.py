"""Is a Kafka broker there, and does it let us in? One bounded probe before any real client is built.

Without it, every command that talks to a broker that is not there waits for
kafka-python's 30 s bootstrap default and then dies in a 35-line
``KafkaTimeoutError`` traceback. The probe bootstraps a kafka-python admin client
with the configured security (``streams/kafka/security.py``), bounded by
``connect_timeout_seconds``, and turns a failure into a :class:`CannotConnect`,
which ``streams.cli.main`` prints as one line with exit 2:

- :class:`BrokerUnreachable`: nothing answered in time;
- :class:`AuthenticationFailed`: the broker refused the SASL credentials;
- :class:`TlsFailed`: the TLS handshake failed, mostly a certificate the client does not trust.

kafka-python retries a failed bootstrap connection until its deadline and then
reports only the timeout, so the probe listens to its connection warnings
(:class:`_Failures`): a refused login or a failed handshake, which no retry
mends, closes the probe's client at once (its bootstrap loop ends when its
manager is closed), so the probe ends after the first refusal rather than at the
deadline. One bootstrap gets the whole timeout: cutting it into short attempts
lost slow handshakes on a loaded machine.
"""

from __future__ import annotations

import contextlib
import logging
import ssl
from collections.abc import Callable, Iterator
from typing import Any

from streams.kafka.security import Security, client_security, describe


class CannotConnect(RuntimeError):
    """A command cannot talk to the broker; ``str()`` is the one line the CLI prints."""


class BrokerUnreachable(CannotConnect):
    """No Kafka broker answered at ``bootstrap`` within ``timeout`` seconds."""

    def __init__(self, bootstrap: str, timeout: float) -> None:
        self.bootstrap = bootstrap
        self.timeout = timeout
        super().__init__(f"cannot reach a Kafka broker at {bootstrap} after {timeout:g} s")


class AuthenticationFailed(CannotConnect):
    """The broker at ``bootstrap`` refused the SASL user name or password."""

    def __init__(self, bootstrap: str, how: str) -> None:
        super().__init__(
            f"authentication failed at {bootstrap} ({how}): the broker refused the user name or password "
            "(DIPLOSTREAM_SASL_USERNAME, DIPLOSTREAM_SASL_PASSWORD[_FILE], DIPLOSTREAM_SASL_MECHANISM)"
        )


TLS_HINTS = {
    "verify": "the broker's certificate is not signed by a CA in DIPLOSTREAM_SSL_CAFILE (or the system's), "
    "or does not name this host",
    "refused": "the broker wants a client certificate it trusts (mutual TLS: DIPLOSTREAM_SSL_CERTFILE and "
    "DIPLOSTREAM_SSL_KEYFILE)",
    "other": "is the port a TLS listener, and DIPLOSTREAM_SECURITY_PROTOCOL right?",
}


class TlsFailed(CannotConnect):
    """The TLS handshake with ``bootstrap`` failed; ``reason`` is OpenSSL's, ``kind`` a key of :data:`TLS_HINTS`."""

    def __init__(self, bootstrap: str, reason: str, kind: str) -> None:
        self.kind = kind
        super().__init__(f"TLS handshake with {bootstrap} failed ({reason}): {TLS_HINTS[kind]}")


class _Failures(logging.Handler):
    """The first definitive connection failure kafka-python logs: a refused login or a failed TLS handshake.

    kafka-python logs the exception object as an argument of its warning. A failure
    of our side's handshake is wrapped in ``KafkaConnectionError('Handshake failed:
    ...')`` with the ``ssl.SSLError`` as its context; the broker's refusal of our
    certificate (TLS 1.3 sends it after the handshake) comes as a
    ``KafkaConnectionError`` carrying OpenSSL's ``[SSL: ...]`` text only.
    """

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.auth: Exception | None = None
        self.tls: tuple[str, str] | None = None  # (reason, kind)
        self.on_failure: Callable[[], None] = lambda: None

    def emit(self, record: logging.LogRecord) -> None:
        from kafka.errors import SaslAuthenticationFailedError

        args = record.args if isinstance(record.args, tuple) else ()
        for arg in args:
            if not isinstance(arg, BaseException):
                continue
            if isinstance(arg, SaslAuthenticationFailedError) and self.auth is None:
                self.auth = arg
            if self.tls is None:
                self.tls = _tls_failure(arg)
            if self.auth is not None or self.tls is not None:
                self.on_failure()


def _tls_failure(error: BaseException) -> tuple[str, str] | None:
    """(reason, kind) when ``error`` is a TLS failure, else None."""
    cause = error.__cause__ or error.__context__
    if isinstance(cause, ssl.SSLCertVerificationError):
        return f"certificate verify failed: {cause.verify_message or cause.reason}", "verify"
    if isinstance(cause, ssl.SSLError):
        return str(cause.reason or cause), "other"
    text = str(error)
    if "[SSL: " not in text:
        return None
    reason = text.split("] ", 1)[-1].split(" (_ssl.c", 1)[0]
    refused = "BAD_CERTIFICATE" in text or "CERTIFICATE_REQUIRED" in text or "UNKNOWN_CA" in text
    return reason, "refused" if refused else "other"


@contextlib.contextmanager
def _listening() -> Iterator[_Failures]:
    """kafka-python's connection logs go to :class:`_Failures` only, not to stderr, while the probe runs."""
    logger = logging.getLogger("kafka")
    failures = _Failures()
    saved = (logger.level, logger.propagate, logger.disabled)
    logger.addHandler(failures)
    logger.setLevel(logging.WARNING)
    logger.propagate = False
    logger.disabled = False
    try:
        yield failures
    finally:
        logger.removeHandler(failures)
        logger.setLevel(saved[0])
        logger.propagate, logger.disabled = saved[1], saved[2]


def probe(bootstrap: str, timeout: float, security: Security | None = None) -> None:
    """Bootstrap a throwaway admin client against ``bootstrap``; raise :class:`CannotConnect` within ``timeout``.

    kafka-python's bootstrap retries every address until its deadline, so a broker
    that is still starting (the compose stack) is waited for, up to ``timeout``.
    ``security`` None means the environment's settings.
    """
    from kafka.admin import KafkaAdminClient
    from kafka.errors import KafkaError
    from kafka.net.compat import KafkaNetClient

    security = client_security() if security is None else security
    timeout_ms = max(1, int(timeout * 1000))
    clients: list[Any] = []

    def recorded_client(**config: Any) -> Any:
        """kafka-python's own client, kept so that a definitive failure can close it mid-bootstrap."""
        client = KafkaNetClient(**config)
        clients.append(client)
        return client

    def give_up() -> None:  # runs on kafka-python's IO thread, inside its bootstrap loop: close() only flags
        for client in clients:
            client._manager.close()

    with _listening() as failures:
        failures.on_failure = give_up
        try:
            admin = KafkaAdminClient(
                bootstrap_servers=bootstrap,
                client_id="diplostream-probe",
                bootstrap_timeout_ms=timeout_ms,
                request_timeout_ms=max(timeout_ms, 1000),
                kafka_client=recorded_client,
                **security,
            )
        except (KafkaError, OSError) as exc:
            for client in clients:  # the IO thread a failed constructor leaves running
                with contextlib.suppress(Exception):
                    client.close()
            if failures.auth is not None:
                raise AuthenticationFailed(bootstrap, describe(security)) from None
            if failures.tls is not None:
                raise TlsFailed(bootstrap, *failures.tls) from None
            raise BrokerUnreachable(bootstrap, timeout) from exc
    admin.close()
