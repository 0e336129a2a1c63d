"""Throwaway certificates for a local TLS broker: a CA, a broker certificate and key store, client certificates.

Made with the ``openssl`` command line, which every machine with Java and Python
has, so that the tests (and ``python -m streams.kafka.apache --sasl-ssl``) run a
real TLS listener without a certificate checked in. The broker's certificate
names ``127.0.0.1`` and ``localhost``, so clients verify the host name as they
do against a real cluster. Keys are RSA 2048 and unencrypted on disk (in a
temporary folder); the broker's key store is PKCS#12 with a generated password, its trust
store the CA's PEM.
"""

from __future__ import annotations

import secrets
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path


class TlsToolMissing(RuntimeError):
    """No ``openssl`` on this machine."""


def _openssl(*args: str, cwd: Path) -> None:
    if shutil.which("openssl") is None:
        raise TlsToolMissing("making test certificates needs the openssl command")
    done = subprocess.run(["openssl", *args], cwd=cwd, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"openssl {args[0]} failed: {done.stderr[-800:]}")


@dataclass(frozen=True, slots=True)
class Authority:
    """A self-signed CA: ``cert`` is what a client trusts (``DIPLOSTREAM_SSL_CAFILE``)."""

    cert: Path
    key: Path

    @classmethod
    def create(cls, folder: Path, name: str = "ca") -> Authority:
        folder.mkdir(parents=True, exist_ok=True)
        cert, key = folder / f"{name}.pem", folder / f"{name}-key.pem"
        _openssl(
            "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
            "-subj", f"/CN=diplostream throwaway {name}",
            "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign",
            "-keyout", str(key), "-out", str(cert), cwd=folder,
        )  # fmt: skip
        return cls(cert, key)

    def issue(self, folder: Path, name: str, hosts: tuple[str, ...] = ()) -> tuple[Path, Path]:
        """A certificate and key for ``name`` signed by this CA; ``hosts`` go in its subjectAltName."""
        cert, key, csr, ext = (folder / f"{name}{suffix}" for suffix in (".pem", "-key.pem", ".csr", ".ext"))
        _openssl(
            "req", "-newkey", "rsa:2048", "-nodes", "-subj", f"/CN={name}", "-keyout", str(key), "-out", str(csr),
            cwd=folder,
        )  # fmt: skip
        names = ",".join(f"IP:{h}" if h.replace(".", "").isdigit() else f"DNS:{h}" for h in hosts)
        ext.write_text(
            "basicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth,clientAuth\n"
            + (f"subjectAltName={names}\n" if names else ""),
            encoding="utf-8",
        )
        _openssl(
            "x509", "-req", "-in", str(csr), "-CA", str(self.cert), "-CAkey", str(self.key), "-CAcreateserial",
            "-days", "2", "-extfile", str(ext), "-out", str(cert), cwd=folder,
        )  # fmt: skip
        csr.unlink()
        ext.unlink()
        return cert, key


@dataclass(frozen=True, slots=True)
class BrokerStores:
    """The broker's key store (its certificate and key, PKCS#12) and trust store (the CA as PEM, for client
    certificates: Kafka reads PEM trust stores, ``ssl.truststore.type=PEM``)."""

    keystore: Path
    truststore: Path
    password: str


def broker_stores(ca: Authority, folder: Path, hosts: tuple[str, ...] = ("127.0.0.1", "localhost")) -> BrokerStores:
    """PKCS#12 stores for a Kafka listener, the certificate signed by ``ca`` and naming ``hosts``."""
    cert, key = ca.issue(folder, "broker", hosts)
    password = secrets.token_hex(12)
    keystore = folder / "broker.p12"
    _openssl(
        "pkcs12", "-export", "-in", str(cert), "-inkey", str(key), "-certfile", str(ca.cert), "-name", "broker",
        "-out", str(keystore), "-passout", f"pass:{password}", cwd=folder,
    )  # fmt: skip
    return BrokerStores(keystore, ca.cert, password)
