"""How every Kafka client of diplostream authenticates: one mapping from Settings, for both client libraries.

Managed and hardened clusters (Strimzi, MSK, Confluent Cloud, Aiven, Redpanda
Cloud) all require TLS and most SASL. The settings (``security_protocol``,
``sasl_*``, ``ssl_*`` in :mod:`streams.settings`) are turned into client options
here and nowhere else: :func:`client_security` gives the keyword arguments of
kafka-python's producer, consumer and admin client (replay, tail, the probe, the
topic and limit checks, the demo), :func:`broker_credentials` the
``broker_credentials`` of the Faust app (aiokafka). Both use the one
:class:`ssl.SSLContext` built by :func:`ssl_context`, so the two libraries verify
certificates alike. Every function that opens a client takes these options and,
when given none, reads them from the environment, so no command connects in
plain text by accident once security is configured.

The password is a pydantic ``SecretStr`` (masked in ``diplostream config``, in
reprs and in validation errors) and is unwrapped only into the client options.
"""

from __future__ import annotations

import ssl
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from streams.settings import Settings, load

Security = Mapping[str, Any]
"""kafka-python keyword arguments: ``security_protocol`` and, as configured, ``sasl_*`` and ``ssl_context``."""

PLAINTEXT: Security = {"security_protocol": "PLAINTEXT"}
"""What the embedded broker speaks, whatever the environment says."""


class SecurityConfigError(ValueError):
    """The security settings are incomplete or point at files that cannot be read."""


class MaskedStr(str):
    """A password as the client libraries need it (a ``str``), whose repr is a mask.

    kafka-python logs its whole configuration at debug level
    (``Starting KafkaAdminClient with configuration: %s``), which formats each value
    with ``repr``: this keeps the password out of that line, while the SASL code,
    which encodes and joins the string, gets its characters.
    """

    __slots__ = ()

    def __repr__(self) -> str:
        return "'********'"


def uses_tls(settings: Settings) -> bool:
    return settings.security_protocol in ("SSL", "SASL_SSL")


def uses_sasl(settings: Settings) -> bool:
    return settings.security_protocol in ("SASL_PLAINTEXT", "SASL_SSL")


def sasl_password(settings: Settings) -> str:
    """The password from ``sasl_password_file`` (trailing newline removed), else ``sasl_password``.

    A file is how container platforms hand over secrets (``/run/secrets/...``), and
    keeps the password out of the process environment.
    """
    if settings.sasl_password_file:
        path = Path(settings.sasl_password_file)
        try:
            return path.read_text(encoding="utf-8").rstrip("\r\n")
        except OSError as exc:
            raise SecurityConfigError(f"cannot read DIPLOSTREAM_SASL_PASSWORD_FILE {path}: {exc.strerror}") from None
    if settings.sasl_password is not None:
        return settings.sasl_password.get_secret_value()
    raise SecurityConfigError(
        f"DIPLOSTREAM_SECURITY_PROTOCOL={settings.security_protocol} needs DIPLOSTREAM_SASL_PASSWORD "
        "or DIPLOSTREAM_SASL_PASSWORD_FILE"
    )


def _readable(setting: str, value: str | None) -> str | None:
    if value is not None and not Path(value).is_file():
        raise SecurityConfigError(f"DIPLOSTREAM_{setting.upper()}={value} is not a readable file")
    return value


def ssl_context(settings: Settings) -> ssl.SSLContext | None:
    """The TLS context of every client, or None without TLS.

    Certificates are always verified (against ``ssl_cafile``, else the system's
    trust store, which is what managed clusters with public CAs need), TLS 1.2 at
    least; the host name is checked unless ``ssl_check_hostname`` is off. A client
    certificate and key make it mutual TLS.
    """
    if not uses_tls(settings):
        return None
    cafile = _readable("ssl_cafile", settings.ssl_cafile)
    certfile = _readable("ssl_certfile", settings.ssl_certfile)
    keyfile = _readable("ssl_keyfile", settings.ssl_keyfile)
    if keyfile and not certfile:
        raise SecurityConfigError("DIPLOSTREAM_SSL_KEYFILE needs DIPLOSTREAM_SSL_CERTFILE (mutual TLS)")
    context = ssl.create_default_context(ssl.Purpose.SERVER_AUTH, cafile=cafile)
    context.minimum_version = ssl.TLSVersion.TLSv1_2
    context.check_hostname = settings.ssl_check_hostname
    if certfile:
        key_password = settings.ssl_key_password.get_secret_value() if settings.ssl_key_password else None
        try:
            context.load_cert_chain(certfile, keyfile, password=key_password)
        except (ssl.SSLError, OSError) as exc:  # the message names neither the key nor its password
            raise SecurityConfigError(f"cannot load the client certificate {certfile} and its key: {exc}") from None
    return context


def client_security(settings: Settings | None = None) -> dict[str, Any]:
    """kafka-python keyword arguments for ``settings`` (default: the environment's).

    Raises :class:`SecurityConfigError` when a SASL protocol has no user name or
    password, or a TLS file is missing: better at start-up than as a refused login.
    """
    settings = settings if settings is not None else load()
    out: dict[str, Any] = {"security_protocol": settings.security_protocol}
    if uses_sasl(settings):
        if not settings.sasl_username:
            raise SecurityConfigError(
                f"DIPLOSTREAM_SECURITY_PROTOCOL={settings.security_protocol} needs DIPLOSTREAM_SASL_USERNAME"
            )
        out["sasl_mechanism"] = settings.sasl_mechanism
        out["sasl_plain_username"] = settings.sasl_username
        out["sasl_plain_password"] = MaskedStr(sasl_password(settings))
    context = ssl_context(settings)
    if context is not None:
        out["ssl_context"] = context
        out["ssl_check_hostname"] = settings.ssl_check_hostname
    return out


def broker_credentials(security: Security) -> Any:
    """Faust's ``broker_credentials`` for the same options (None for PLAINTEXT).

    Faust hands them to aiokafka (``credentials_to_aiokafka_auth``): SASL credentials
    carry the mechanism, user, password and, for SASL_SSL, the TLS context; TLS alone
    is :class:`faust.SSLCredentials` around the context.
    """
    from faust.auth import SASLCredentials, SSLCredentials

    protocol = security.get("security_protocol", "PLAINTEXT")
    if protocol in ("SASL_PLAINTEXT", "SASL_SSL"):
        return SASLCredentials(
            username=security["sasl_plain_username"],
            password=security["sasl_plain_password"],
            mechanism=security["sasl_mechanism"],
            ssl_context=security.get("ssl_context") if protocol == "SASL_SSL" else None,
        )
    if protocol == "SSL":
        return SSLCredentials(security["ssl_context"])
    return None


def describe(security: Security) -> str:
    """The options for a log line or an error: protocol, mechanism and user, never the password."""
    protocol = str(security.get("security_protocol", "PLAINTEXT"))
    if "sasl_mechanism" in security:
        return f"{protocol}, {security['sasl_mechanism']} as {security['sasl_plain_username']!r}"
    return protocol
