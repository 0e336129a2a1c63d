"""Security settings -> the options of both client libraries, and secrets that stay secret.

The mapping is checked down to what aiokafka receives (Faust's own
``credentials_to_aiokafka_auth``), and the CLI as a subprocess; connecting for
real is tests/integration/test_secured.py.
"""

from __future__ import annotations

import contextlib
import logging
import os
import ssl
import subprocess
import sys
from pathlib import Path

import pytest
from faust.auth import SASLCredentials, SSLCredentials
from faust.transport.drivers.aiokafka import credentials_to_aiokafka_auth

from streams.kafka.security import (
    PLAINTEXT,
    SecurityConfigError,
    broker_credentials,
    client_security,
    describe,
)
from streams.kafka.tls import Authority, TlsToolMissing
from streams.settings import Settings

PASSWORD = "pw-unit-5e1f0c2a"


@pytest.fixture(scope="module")
def ca(tmp_path_factory) -> Authority:
    try:
        return Authority.create(tmp_path_factory.mktemp("ca"))
    except TlsToolMissing as exc:
        pytest.skip(str(exc))


def sasl_ssl(ca: Authority, **overrides: object) -> Settings:
    values: dict[str, object] = {
        "security_protocol": "SASL_SSL",
        "sasl_username": "alice",
        "sasl_password": PASSWORD,
        "ssl_cafile": str(ca.cert),
        **overrides,
    }
    return Settings(**values)  # type: ignore[arg-type]


def test_plaintext_is_the_default_and_gives_no_credentials():
    security = client_security(Settings())
    assert security == PLAINTEXT
    assert broker_credentials(security) is None
    assert credentials_to_aiokafka_auth(broker_credentials(security)) == {"security_protocol": "PLAINTEXT"}


def test_sasl_ssl_reaches_kafka_python_and_aiokafka_with_one_verifying_context(ca: Authority):
    security = client_security(sasl_ssl(ca))
    assert security["security_protocol"] == "SASL_SSL"
    assert security["sasl_mechanism"] == "SCRAM-SHA-512"
    assert (security["sasl_plain_username"], security["sasl_plain_password"]) == ("alice", PASSWORD)
    context = security["ssl_context"]
    assert context.verify_mode == ssl.CERT_REQUIRED and context.check_hostname
    assert context.minimum_version >= ssl.TLSVersion.TLSv1_2
    assert [c["subject"] for c in context.get_ca_certs()] == [((("commonName", "diplostream throwaway ca"),),)]

    credentials = broker_credentials(security)
    assert isinstance(credentials, SASLCredentials)
    aiokafka = credentials_to_aiokafka_auth(credentials)
    assert aiokafka == {
        "security_protocol": "SASL_SSL",
        "sasl_mechanism": "SCRAM-SHA-512",
        "sasl_plain_username": "alice",
        "sasl_plain_password": PASSWORD,
        "ssl_context": context,
    }
    assert PASSWORD not in repr(credentials) and PASSWORD not in describe(security)


def test_kafka_pythons_debug_log_of_its_configuration_shows_no_password(ca: Authority, caplog):
    from kafka.admin import KafkaAdminClient

    security = client_security(sasl_ssl(ca))
    with caplog.at_level(logging.DEBUG, logger="kafka"), contextlib.suppress(Exception):
        KafkaAdminClient(bootstrap_servers="127.0.0.1:1", bootstrap_timeout_ms=300, **security)
    assert "Starting KafkaAdminClient with configuration" in caplog.text  # the line that would carry it
    assert PASSWORD not in caplog.text
    assert security["sasl_plain_password"] == PASSWORD and security["sasl_plain_password"].encode() == PASSWORD.encode()


def test_sasl_plaintext_has_no_tls_and_plain_mechanism_is_passed_on():
    settings = Settings(
        security_protocol="SASL_PLAINTEXT", sasl_mechanism="PLAIN", sasl_username="bob", sasl_password=PASSWORD
    )
    security = client_security(settings)
    assert "ssl_context" not in security
    assert credentials_to_aiokafka_auth(broker_credentials(security))["security_protocol"] == "SASL_PLAINTEXT"
    assert credentials_to_aiokafka_auth(broker_credentials(security))["sasl_mechanism"] == "PLAIN"


def test_mutual_tls_loads_the_client_certificate(ca: Authority, tmp_path: Path):
    cert, key = ca.issue(tmp_path, "client")
    settings = Settings(security_protocol="SSL", ssl_cafile=str(ca.cert), ssl_certfile=str(cert), ssl_keyfile=str(key))
    security = client_security(settings)
    assert "sasl_mechanism" not in security
    credentials = broker_credentials(security)
    assert isinstance(credentials, SSLCredentials) and credentials.context is security["ssl_context"]
    assert credentials_to_aiokafka_auth(credentials)["security_protocol"] == "SSL"


def test_a_key_that_is_not_the_certificates_is_a_clear_error(ca: Authority, tmp_path: Path):
    cert, _ = ca.issue(tmp_path, "one")
    _, other_key = ca.issue(tmp_path, "two")
    settings = Settings(security_protocol="SSL", ssl_certfile=str(cert), ssl_keyfile=str(other_key))
    with pytest.raises(SecurityConfigError, match="cannot load the client certificate"):
        client_security(settings)


def test_host_name_checking_can_be_turned_off(ca: Authority):
    assert client_security(sasl_ssl(ca, ssl_check_hostname=False))["ssl_context"].check_hostname is False


def test_the_password_file_wins_and_its_newline_is_not_part_of_it(ca: Authority, tmp_path: Path):
    secret = tmp_path / "password"
    secret.write_text("from-the-file\n", encoding="utf-8")
    security = client_security(sasl_ssl(ca, sasl_password_file=str(secret)))
    assert security["sasl_plain_password"] == "from-the-file"


def test_incomplete_settings_are_refused_before_any_connection(ca: Authority, tmp_path: Path):
    with pytest.raises(SecurityConfigError, match="needs DIPLOSTREAM_SASL_USERNAME"):
        client_security(sasl_ssl(ca, sasl_username=None))
    with pytest.raises(SecurityConfigError, match="needs DIPLOSTREAM_SASL_PASSWORD"):
        client_security(sasl_ssl(ca, sasl_password=None))
    with pytest.raises(SecurityConfigError, match="cannot read DIPLOSTREAM_SASL_PASSWORD_FILE"):
        client_security(sasl_ssl(ca, sasl_password_file=str(tmp_path / "absent")))
    with pytest.raises(SecurityConfigError, match=r"DIPLOSTREAM_SSL_CAFILE=.* is not a readable file"):
        client_security(sasl_ssl(ca, ssl_cafile=str(tmp_path / "absent.pem")))


def test_an_empty_variable_unsets_a_setting():
    settings = Settings(sasl_password="", ssl_cafile="", sasl_password_file="")
    assert settings.sasl_password is None and settings.ssl_cafile is None and settings.sasl_password_file is None


def test_settings_never_show_the_password(ca: Authority):
    settings = sasl_ssl(ca, ssl_key_password="key-secret")
    assert PASSWORD not in repr(settings) and PASSWORD not in str(settings.model_dump())
    assert "key-secret" not in repr(settings)


def cli(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "streams.cli", *args],
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, "COLUMNS": "250", **env},
    )


def test_config_masks_the_secrets_and_shows_the_rest():
    env = {
        "DIPLOSTREAM_SECURITY_PROTOCOL": "SASL_SSL",
        "DIPLOSTREAM_SASL_USERNAME": "alice",
        "DIPLOSTREAM_SASL_PASSWORD": PASSWORD,
        "DIPLOSTREAM_SSL_KEY_PASSWORD": "key-secret",
    }
    result = cli("config", env=env)
    assert result.returncode == 0, result.stderr
    assert PASSWORD not in result.stdout + result.stderr
    assert "key-secret" not in result.stdout + result.stderr
    lines = {line.split("│")[1].strip(): line for line in result.stdout.splitlines() if line.count("│") >= 3}
    assert "'********' (set)" in lines["DIPLOSTREAM_SASL_PASSWORD"]
    assert "'********' (set)" in lines["DIPLOSTREAM_SSL_KEY_PASSWORD"]
    assert "'SASL_SSL'" in lines["DIPLOSTREAM_SECURITY_PROTOCOL"]
    assert "'alice'" in lines["DIPLOSTREAM_SASL_USERNAME"]


def test_a_command_with_incomplete_security_is_one_line_and_exit_2():
    result = cli("tail", "events", "--bootstrap", "127.0.0.1:1", env={"DIPLOSTREAM_SECURITY_PROTOCOL": "SASL_SSL"})
    assert result.returncode == 2
    assert result.stderr.splitlines() == [
        "error: DIPLOSTREAM_SECURITY_PROTOCOL=SASL_SSL needs DIPLOSTREAM_SASL_USERNAME"
    ]


def test_a_bad_security_value_is_one_line_without_the_value():
    result = cli("tail", "events", "--bootstrap", "127.0.0.1:1", env={"DIPLOSTREAM_SECURITY_PROTOCOL": "TLS-ish"})
    assert result.returncode == 2
    assert result.stderr.splitlines() == [
        "error: setting security_protocol: Input should be 'PLAINTEXT', 'SSL', 'SASL_PLAINTEXT' or 'SASL_SSL'"
    ]
