"""Every knob diplostream has, read in one place.

Values come from flags first, then environment variables (``DIPLOSTREAM_*``,
plus the conventional ``KAFKA_BOOTSTRAP_SERVERS``), then these defaults. The
defaults suit the embedded broker: short session and heartbeat timeouts, since
Tansu holds every JoinGroup for half the session timeout (FIELD-NOTES).
"""

from __future__ import annotations

from typing import Literal

from pydantic import AliasChoices, Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

DEFAULT_MAX_ARTICLE_BYTES = 2 * 1024 * 1024
DEFAULT_MAX_MESSAGE_BYTES = 3 * 1024 * 1024
"""The producer's request limit and the ``max.message.bytes`` topics are created with: room for an
article at the default limit plus the DLQ headroom (``streams.core.deadletter.record_budget``)."""


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="DIPLOSTREAM_", extra="ignore", populate_by_name=True)

    bootstrap_servers: str | None = Field(
        default=None,
        validation_alias=AliasChoices("KAFKA_BOOTSTRAP_SERVERS", "DIPLOSTREAM_BOOTSTRAP_SERVERS"),
        description="Kafka bootstrap servers; unset means the embedded broker (demo only).",
    )
    topic_prefix: str = Field(default="diplostream.", description="Prefix of every topic name.")
    partitions: int = Field(default=6, ge=1, description="Partitions for topics the app creates.")
    replication_factor: int = Field(default=1, ge=1, description="Replication of topics the app creates.")
    app_id: str = Field(default="diplostream", description="Faust app id = consumer group id.")
    max_article_bytes: int = Field(
        default=DEFAULT_MAX_ARTICLE_BYTES, ge=1024, description="Larger articles go to the DLQ (as a prefix)."
    )
    producer_max_request_bytes: int = Field(
        default=DEFAULT_MAX_MESSAGE_BYTES,
        ge=1024,
        description="The producer's max_request_size, and max.message.bytes of the topics the app creates; "
        "must hold max_article_bytes plus 16 KiB (checked at start-up, with the topics' limits).",
    )
    send_retries: int = Field(
        default=5,
        ge=0,
        description="Failed DLQ or event sends retried this often before the worker reports the partition "
        "blocked (it keeps retrying, never skips the record).",
    )
    send_retry_backoff_seconds: float = Field(
        default=0.5, gt=0, description="First wait between send retries; doubles up to 30 s."
    )
    tumbling_window_seconds: int = Field(default=86_400, ge=60, description="Size of the tumbling windows.")
    hopping_window_seconds: int = Field(default=7 * 86_400, ge=60, description="Size of the hopping windows.")
    hopping_step_seconds: int = Field(default=86_400, ge=60, description="Step of the hopping windows.")
    window_retention_seconds: int = Field(
        default=400 * 86_400,
        ge=60,
        description="Windows older than this, relative to the newest event time seen, are dropped.",
    )
    happening_retention_seconds: int = Field(
        default=400 * 86_400,
        ge=86_400,
        description="A lane's happenings whose last report is older than this, relative to its newest report, "
        "are forgotten (their last record stays on the happenings topic); older reports are ignored.",
    )
    happening_max_reports: int = Field(
        default=2_000,
        ge=10,
        description="Reports one lane (type, source, target) holds at most; the happenings reported longest ago "
        "are forgotten first. Bounds the happenings table's records.",
    )
    happening_historical_days: int = Field(
        default=30,
        ge=1,
        description="The grace of historical references: a happening dated more than this many days before its "
        "first report is marked historical, and one dated that long before the newest event time when first "
        "counted is counted in the historical series, never in current windows.",
    )
    metrics_port: int = Field(default=9464, ge=0, le=65535, description="Port of /metrics; 0 disables it.")
    metrics_host: str = Field(default="0.0.0.0", description="Address /metrics binds to.")
    loglevel: str = Field(default="warning", pattern="^(debug|info|warning|error)$", description="Worker log level.")
    session_timeout_ms: int = Field(
        default=6_000, ge=1000, description="Consumer session timeout; Tansu holds JoinGroup for half of it."
    )
    heartbeat_interval_ms: int = Field(default=2_000, ge=100, description="Consumer heartbeat interval.")
    rebalance_timeout_ms: int = Field(default=40_000, ge=1000, description="Time members get to rejoin a rebalance.")
    request_timeout_ms: int = Field(default=40_000, ge=1000, description="Broker request timeout.")
    window_flush_seconds: float = Field(
        default=1.0,
        gt=0,
        le=60,
        description="Window updates are coalesced: event-counts gets the newest count of each window changed, "
        "at most once per this interval (and before every offset commit, on revoke and on shutdown); the "
        "happenings are settled on the same beat, each changed one sent once.",
    )
    fetch_max_wait_ms: int = Field(
        default=100,
        ge=10,
        le=10_000,
        description="Longest a consumer fetch waits for records (Faust hard-codes 1,500 ms). Tansu holds a fetch "
        "for all of it even when records arrive, so it bounds the latency there; Apache Kafka answers at once.",
    )
    data_dir: str = Field(default="/tmp/diplostream", description="Faust table state directory.")
    connect_timeout_seconds: float = Field(
        default=10.0, gt=0, description="How long a command waits for the broker before it gives up (exit 2)."
    )
    # --- connecting to a secured cluster: read by streams/kafka/security.py, and only there ---
    security_protocol: Literal["PLAINTEXT", "SSL", "SASL_PLAINTEXT", "SASL_SSL"] = Field(
        default="PLAINTEXT",
        description="How every client talks to Kafka: PLAINTEXT, SSL (TLS, optionally mutual), "
        "SASL_PLAINTEXT or SASL_SSL (SASL over TLS: managed clusters).",
    )
    sasl_mechanism: Literal["PLAIN", "SCRAM-SHA-256", "SCRAM-SHA-512"] = Field(
        default="SCRAM-SHA-512", description="SASL mechanism with a SASL_* protocol."
    )
    sasl_username: str | None = Field(default=None, description="SASL user name.")
    sasl_password: SecretStr | None = Field(
        default=None, description="SASL password (never printed); or give sasl_password_file."
    )
    sasl_password_file: str | None = Field(
        default=None,
        description="File holding the SASL password (a container secret); its content wins over sasl_password.",
    )
    ssl_cafile: str | None = Field(
        default=None, description="PEM file of the CA(s) that sign the brokers' certificates; unset: the system's."
    )
    ssl_certfile: str | None = Field(default=None, description="Client certificate (PEM) for mutual TLS.")
    ssl_keyfile: str | None = Field(default=None, description="Private key (PEM) of the client certificate.")
    ssl_key_password: SecretStr | None = Field(
        default=None, description="Password of an encrypted ssl_keyfile (never printed)."
    )
    ssl_check_hostname: bool = Field(
        default=True, description="Check that the broker's certificate names the host connected to."
    )

    @field_validator(
        "sasl_username",
        "sasl_password",
        "sasl_password_file",
        "ssl_cafile",
        "ssl_certfile",
        "ssl_keyfile",
        "ssl_key_password",
        mode="before",
    )
    @classmethod
    def _empty_is_unset(cls, value: object) -> object:
        """``VAR=`` in a compose file or a shell unsets a security setting rather than naming an empty file."""
        return None if value == "" else value


def load(**overrides: object) -> Settings:
    """Settings from the environment with non-None overrides (from CLI flags) on top."""
    return Settings(**{k: v for k, v in overrides.items() if v is not None})  # type: ignore[arg-type]


def env_names() -> dict[str, str]:
    """Field name -> the environment variable(s) that set it."""
    out = {}
    prefix = Settings.model_config.get("env_prefix", "")
    for name, info in Settings.model_fields.items():
        alias = info.validation_alias
        choices = [str(c) for c in alias.choices] if isinstance(alias, AliasChoices) else []
        out[name] = " or ".join(choices) if choices else f"{prefix}{name}".upper()
    return out
