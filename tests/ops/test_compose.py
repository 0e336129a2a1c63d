"""docker-compose.yml, read as data: pinned images, health checks, real mounts, settings the app reads.

No Docker here: these checks catch what `docker compose up` would only find late
(a typo in an environment variable is silently ignored by the app).
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from pydantic import AliasChoices

from streams.kafka.apache import KAFKA_VERSION
from streams.kafka.topics import Topics
from streams.settings import Settings
from tests.conftest import ROOT
from tests.ops.deploy import COMPOSE, DASHBOARD_PROVIDERS, PROMETHEUS_CONFIG, load_yaml

CONDITIONS = {"service_healthy", "service_completed_successfully", "service_started"}
DEFAULT = re.compile(r"^\$\{(\w+):-([^}]*)\}$")


@pytest.fixture(scope="module")
def compose() -> dict[str, Any]:
    return load_yaml(COMPOSE)


@pytest.fixture(scope="module")
def services(compose) -> dict[str, dict[str, Any]]:
    return compose["services"]


def app_services(services: dict[str, dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """The services that run the diplostream image: the ones built from the Dockerfile."""
    return {name: s for name, s in services.items() if "build" in s}


def environment(service: dict[str, Any]) -> dict[str, str]:
    env = service.get("environment") or {}
    if isinstance(env, list):
        env = dict(item.split("=", 1) if "=" in item else (item, "") for item in env)
    return {str(k): str(v) for k, v in env.items()}


def app_env_names() -> set[str]:
    """Every environment variable streams.settings.Settings reads."""
    prefix = Settings.model_config.get("env_prefix", "")
    names = set()
    for field, info in Settings.model_fields.items():
        names.add(f"{prefix}{field}".upper())
        alias = info.validation_alias
        if isinstance(alias, AliasChoices):
            names |= {str(choice) for choice in alias.choices}
        elif isinstance(alias, str):
            names.add(alias)
    return names


def test_the_stack_has_its_services(services):
    assert {"kafka", "topic-init", "worker", "replay", "prometheus", "grafana"} <= set(services)
    assert set(app_services(services)) == {"worker", "replay"}


def test_every_image_is_pinned_and_the_app_is_built_here(services):
    for name, service in services.items():
        if "build" in service:
            build = service["build"]
            context = ROOT / (build["context"] if isinstance(build, dict) else build)
            dockerfile = context / (build.get("dockerfile", "Dockerfile") if isinstance(build, dict) else "Dockerfile")
            assert dockerfile.is_file(), f"{name}: {dockerfile} is missing"
        image = service.get("image")
        if image is None:
            assert "build" in service, f"{name}: neither image nor build"
            continue
        repository, _, tag = image.rpartition(":")
        assert repository and "/" not in tag, f"{name}: image {image!r} has no tag"
        assert tag != "latest" and re.search(r"\d", tag), f"{name}: image {image!r} is not pinned to a version"


def test_long_running_services_have_health_checks(services):
    for name in ("kafka", "worker", "prometheus", "grafana"):
        check = services[name].get("healthcheck")
        assert check and check.get("test") and not check.get("disable"), f"{name}: no health check"
    assert "kafka-broker-api-versions.sh" in str(services["kafka"]["healthcheck"]["test"])


def test_services_wait_on_conditions_not_sleeps(services):
    for name, service in services.items():
        depends = service.get("depends_on", {})
        assert isinstance(depends, dict), f"{name}: depends_on without conditions"
        for target, spec in depends.items():
            assert target in services, f"{name} depends on unknown {target}"
            condition = spec.get("condition")
            assert condition in CONDITIONS, f"{name} -> {target}: condition {condition!r}"
            if condition == "service_healthy":
                assert services[target].get("healthcheck"), f"{name} waits for {target}'s health: it has no check"
            if condition == "service_completed_successfully":
                assert services[target].get("restart", "no") == "no", f"{target} is waited for, so it must end"
        command = " ".join(map(str, service.get("command") or [])) + " " + str(service.get("entrypoint") or "")
        assert not re.search(r"\bsleep\b", command), f"{name} sleeps instead of waiting on a condition"
    for name in ("worker", "replay"):
        assert services[name]["depends_on"]["kafka"]["condition"] == "service_healthy"
        assert services[name]["depends_on"]["topic-init"]["condition"] == "service_completed_successfully"


def test_every_mounted_host_path_exists_and_named_volumes_are_declared(compose, services):
    declared = set(compose.get("volumes") or {})
    for name, service in services.items():
        for volume in service.get("volumes", []):
            if isinstance(volume, dict):
                source, kind = volume.get("source", ""), volume.get("type", "volume")
            else:
                source = volume.split(":", 1)[0]
                kind = "bind" if source.startswith((".", "/", "~")) else "volume"
            if kind == "bind":
                assert (ROOT / source).resolve().exists(), f"{name}: mounts {source}, which does not exist"
                assert (ROOT / source).resolve().is_relative_to(ROOT), f"{name}: mounts {source} from outside the repo"
            else:
                assert source in declared, f"{name}: named volume {source} is not declared"


def test_the_app_services_pass_only_settings_the_app_reads(services):
    known = app_env_names()
    assert {"KAFKA_BOOTSTRAP_SERVERS", "DIPLOSTREAM_METRICS_PORT", "DIPLOSTREAM_PARTITIONS"} <= known
    for name, service in app_services(services).items():
        unknown = set(environment(service)) - known
        assert not unknown, f"{name}: the app reads no {sorted(unknown)} (see `diplostream config`)"
        assert environment(service)["KAFKA_BOOTSTRAP_SERVERS"] == "kafka:9092"


def test_workers_scale_and_prometheus_finds_every_replica(services):
    worker = services["worker"]
    assert "container_name" not in worker and "ports" not in worker, "a fixed name or host port stops --scale"
    assert worker["command"] == ["worker"]
    port = int(environment(worker)["DIPLOSTREAM_METRICS_PORT"])
    jobs = load_yaml(PROMETHEUS_CONFIG)["scrape_configs"]
    found = [sd for job in jobs if job["job_name"] == "diplostream" for sd in job.get("dns_sd_configs", [])]
    assert found and all(sd["names"] == ["worker"] and sd["type"] == "A" and sd["port"] == port for sd in found)


def test_kafka_has_an_internal_and_a_host_listener(services):
    kafka = services["kafka"]
    env = environment(kafka)
    advertised = dict(item.split("://") for item in env["KAFKA_ADVERTISED_LISTENERS"].split(","))
    assert "kafka:9092" in advertised.values()
    assert "localhost:9094" in advertised.values()  # the same port as `make kafka`
    assert any(str(p).endswith(":9094:9094") or str(p) == "9094:9094" for p in kafka["ports"])
    assert env["KAFKA_PROCESS_ROLES"] == "broker,controller"  # KRaft, no ZooKeeper


def test_the_tested_apache_kafka_is_the_release_compose_runs(services):
    """The tests run Apache Kafka's jars (deploy/kafka/pom.xml); they speak for compose's broker only if
    both are the same release."""
    pom = (ROOT / "deploy" / "kafka" / "pom.xml").read_text(encoding="utf-8")
    assert f"<kafka.version>{KAFKA_VERSION}</kafka.version>" in pom
    for name in ("kafka", "topic-init"):
        assert services[name]["image"] == f"apache/kafka:{KAFKA_VERSION}"


def test_topic_init_creates_every_topic_with_the_app_defaults(services):
    init = services["topic-init"]
    script = " ".join(map(str, init["command"]))
    for topic in Topics(prefix="").all():
        assert re.search(rf"(?<![\w-]){re.escape(topic)}(?![\w-])", script), f"topic-init does not create {topic}"
    env = environment(init)
    prefix, partitions = DEFAULT.match(env["TOPIC_PREFIX"]), DEFAULT.match(env["PARTITIONS"])
    assert prefix and partitions
    assert prefix.group(1) == "DIPLOSTREAM_TOPIC_PREFIX" and prefix.group(2) == Settings().topic_prefix
    assert partitions.group(1) == "DIPLOSTREAM_PARTITIONS" and int(partitions.group(2)) == Settings().partitions
    assert int(partitions.group(2)) >= 3, "enough partitions for --scale worker=3"
    assert init.get("restart") == "no"
    # the configs the app creates its topics with (a replayed archive must not be deleted by time)
    configs = {c for config in Topics(prefix="").configs().values() for c in config.items()}
    for name, value in configs:
        assert f"{name}={value}" in script, f"topic-init does not set {name}={value}"


def test_replay_is_a_one_shot_under_its_profile(services):
    replay = services["replay"]
    assert replay["profiles"] == ["replay"]
    assert replay["command"][0] == "replay"
    assert replay.get("restart") == "no"


def test_prometheus_and_grafana_mount_the_project_config(services):
    prometheus = services["prometheus"]
    assert "./deploy/prometheus/prometheus.yml:/etc/prometheus/prometheus.yml:ro" in prometheus["volumes"]
    assert "--config.file=/etc/prometheus/prometheus.yml" in prometheus["command"]
    grafana = services["grafana"]
    targets = {v.split(":")[1]: v.split(":")[0] for v in grafana["volumes"] if v.startswith("./")}
    provider_path = load_yaml(DASHBOARD_PROVIDERS)["providers"][0]["options"]["path"]
    assert targets[provider_path] == "./deploy/grafana/dashboards"
    assert targets["/etc/grafana/provisioning/datasources"] == "./deploy/grafana/provisioning/datasources"


def test_no_secret_is_written_in_the_compose_file(services):
    env = environment(services["grafana"])
    assert re.fullmatch(r"\$\{GRAFANA_ADMIN_PASSWORD:\?[^}]+\}", env["GF_SECURITY_ADMIN_PASSWORD"])
    for name, service in services.items():
        for key, value in environment(service).items():
            if re.search(r"PASSWORD|SECRET|TOKEN", key):
                assert value.startswith("${"), f"{name}: {key} is hard-coded"
    example = (ROOT / ".env.example").read_text(encoding="utf-8")
    assert re.search(r"^GRAFANA_ADMIN_PASSWORD=$", example, re.MULTILINE)
    assert ".env" in (ROOT / ".gitignore").read_text(encoding="utf-8").split()


def test_the_app_services_take_the_security_settings_from_the_environment_plaintext_by_default(services):
    """Every security setting but the secrets is passed through (the password comes as a file), and the
    defaults, empty values included, are a valid PLAINTEXT configuration."""
    from streams.kafka.security import PLAINTEXT, client_security

    prefixes = ("DIPLOSTREAM_SECURITY", "DIPLOSTREAM_SASL", "DIPLOSTREAM_SSL")
    secrets = {"DIPLOSTREAM_SASL_PASSWORD", "DIPLOSTREAM_SSL_KEY_PASSWORD"}
    wanted = {name for name in app_env_names() if name.startswith(prefixes)} - secrets
    for name, service in app_services(services).items():
        env = environment(service)
        assert {v for v in env if v.startswith(prefixes)} == wanted, name
        defaults = {}
        for variable in wanted:
            match = DEFAULT.match(env[variable])
            assert match and match.group(1) == variable, f"{name}: {variable} is not taken from the environment"
            defaults[variable.removeprefix("DIPLOSTREAM_").lower()] = match.group(2)
        assert client_security(Settings(**defaults)) == PLAINTEXT
