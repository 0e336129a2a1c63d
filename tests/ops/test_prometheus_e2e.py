"""Prometheus against live workers: the project's scrape job, rules and every dashboard query.

Two workers on the embedded broker; a Prometheus (Debian's /usr/bin/prometheus,
started here, always stopped) with the job of deploy/prometheus/prometheus.yml
pointed at them by static targets and a 1 s interval, and the rule files of
deploy/prometheus/rules. Then the seeds and one bad record are replayed, and
through the HTTP API: every target is up, every rule group is loaded and
evaluated without error, every query of the Grafana dashboard returns data,
and the dead-letter alert fires.
"""

from __future__ import annotations

import contextlib
import json
import math
import re
import shutil
import subprocess
import time
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml

from streams.kafka.broker import EmbeddedBroker, free_port, stop_process_group
from streams.kafka.producer import load_articles, replay
from tests.conftest import SEEDS
from tests.integration.conftest import Deployment
from tests.ops.deploy import (
    DATASOURCES,
    PROMETHEUS_CONFIG,
    PROMETHEUS_DIR,
    dashboard,
    load_yaml,
    panel_targets,
    rule_files,
)

PROMETHEUS = shutil.which("prometheus") or ("/usr/bin/prometheus" if Path("/usr/bin/prometheus").exists() else None)

pytestmark = [
    pytest.mark.integration,
    pytest.mark.skipif(PROMETHEUS is None, reason="no prometheus binary (Debian: apt-get install prometheus)"),
]

WORKER_JOB_SERVICE = "worker"  # the compose service the scrape job discovers by DNS
SCRAPE_INTERVAL = "1s"
NOT_EVALUATED = "0001-01-01T00:00:00Z"


def wait(predicate: Callable[[], Any], timeout: float, what: str, proc: subprocess.Popen[bytes] | None = None) -> Any:
    """Poll until ``predicate`` returns something truthy; fail with ``what`` (and the last error) at the deadline."""
    deadline = time.monotonic() + timeout
    last: object = None
    while time.monotonic() < deadline:
        if proc is not None and proc.poll() is not None:
            raise AssertionError(f"prometheus exited (code {proc.returncode}) while waiting for {what}")
        try:
            result = predicate()
        except (OSError, ValueError, KeyError) as exc:
            last, result = exc, None
        if result:
            return result
        time.sleep(0.5)
    raise AssertionError(
        f"timed out after {timeout:.0f} s waiting for {what}" + (f" (last error {last!r})" if last else "")
    )


# --- the generated config -------------------------------------------------------------------


def worker_job(config: dict[str, Any]) -> dict[str, Any]:
    """The scrape job of deploy/prometheus/prometheus.yml that finds the compose workers."""
    (job,) = [
        job
        for job in config["scrape_configs"]
        if any(WORKER_JOB_SERVICE in sd.get("names", []) for sd in job.get("dns_sd_configs", []))
    ]
    return job


def e2e_config(worker_targets: list[str], listen: str) -> dict[str, Any]:
    """deploy/prometheus/prometheus.yml with static targets, the rule files by absolute path and a 1 s interval."""
    deployed = load_yaml(PROMETHEUS_CONFIG)
    job = {k: v for k, v in worker_job(deployed).items() if not k.endswith("_sd_configs")}
    job.update(
        scrape_interval=SCRAPE_INTERVAL, scrape_timeout=SCRAPE_INTERVAL, static_configs=[{"targets": worker_targets}]
    )
    others = []
    for other in deployed["scrape_configs"]:
        if other["job_name"] != job["job_name"]:  # Prometheus itself: here, on its test port
            others.append(
                {
                    "job_name": other["job_name"],
                    "scrape_interval": SCRAPE_INTERVAL,
                    "static_configs": [{"targets": [listen]}],
                }
            )
    return {
        "global": {**deployed["global"], "scrape_interval": SCRAPE_INTERVAL, "evaluation_interval": SCRAPE_INTERVAL},
        "rule_files": sorted(str(p) for pattern in deployed["rule_files"] for p in PROMETHEUS_DIR.glob(pattern)),
        "scrape_configs": [job, *others],
    }


@contextlib.contextmanager
def prometheus_process(config: dict[str, Any], workdir: Path, port: int) -> Iterator[subprocess.Popen[bytes]]:
    """/usr/bin/prometheus on 127.0.0.1:``port`` with ``config``, in its own process group, always stopped."""
    assert PROMETHEUS is not None
    config_path = workdir / "prometheus.yml"
    config_path.write_text(yaml.safe_dump(config, sort_keys=False), encoding="utf-8")
    cmd = [
        PROMETHEUS,
        f"--config.file={config_path}",
        f"--storage.tsdb.path={workdir / 'tsdb'}",
        f"--web.listen-address=127.0.0.1:{port}",
    ]
    with open(workdir / "prometheus.log", "wb") as sink:
        proc = subprocess.Popen(
            cmd, stdout=sink, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, start_new_session=True
        )
    try:
        yield proc
    finally:
        stop_process_group(proc)


# --- the HTTP API ---------------------------------------------------------------------------


@dataclass
class Live:
    url: str
    deployment: Deployment
    proc: subprocess.Popen[bytes]
    log: Path

    def api(self, path: str, **params: str) -> Any:
        query = f"?{urllib.parse.urlencode(params)}" if params else ""
        with urllib.request.urlopen(f"{self.url}/api/v1/{path}{query}", timeout=10) as response:
            body = json.load(response)
        assert body["status"] == "success", body
        return body["data"]

    def query(self, expr: str) -> list[dict[str, Any]]:
        data = self.api("query", query=expr)
        if data["resultType"] == "scalar":
            return [{"metric": {}, "value": data["result"]}]
        return data["result"]


def has_data(result: list[dict[str, Any]]) -> bool:
    """Non-empty, with at least one real number (not NaN: a quantile over no observations is NaN)."""
    values = [float(r["value"][1]) for r in result if "value" in r] + [
        float(v[1]) for r in result for v in r.get("values", [])
    ]
    return any(math.isfinite(v) for v in values)


@pytest.fixture(scope="module")
def live(tansu: EmbeddedBroker, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Live]:
    workdir = tmp_path_factory.mktemp("prometheus-e2e")
    d = Deployment(bootstrap=tansu.bootstrap, workdir=workdir)
    with d.stack:
        urls = d.start_workers(2)
        targets = [urllib.parse.urlsplit(u).netloc for u in urls]
        port = free_port()
        config = e2e_config(targets, f"127.0.0.1:{port}")
        with prometheus_process(config, workdir, port) as proc:
            live = Live(f"http://127.0.0.1:{port}", d, proc, workdir / "prometheus.log")
            try:
                wait(
                    lambda: urllib.request.urlopen(f"{live.url}/-/ready", timeout=2).status == 200, 30, "/-/ready", proc
                )
                wait(lambda: every_target_up(live, len(targets) + 1), 30, "every target to be scraped", proc)
                # articles arrive while Prometheus watches, so rates and quantiles see them
                articles, errors = load_articles([SEEDS], 2 * 1024 * 1024)
                assert articles and not errors
                sent = replay(articles, bootstrap=d.bootstrap, topics=d.topics, speed=None)
                d.produce([(b"bad-record", b"not json")])

                def processed() -> bool:
                    extracted = d.metric("diplostream_events_extracted_total")
                    return (
                        d.metric("diplostream_articles_consumed_total") >= sent + 1
                        and d.metric("diplostream_dlq_records_total") >= 1
                        and 0 < extracted <= d.metric("diplostream_events_aggregated_total")
                    )

                wait(processed, 90, "the workers to process the seeds and the bad record")
                consumed = d.metric("diplostream_articles_consumed_total")
                wait(
                    lambda: has_data(live.query(f"sum(diplostream_articles_consumed_total) >= {consumed}")),
                    30,
                    "Prometheus to scrape the processed counts",
                    proc,
                )
                yield live
            except AssertionError:
                print(f"--- prometheus log ---\n{live.log.read_text(errors='replace')[-3000:]}")
                raise


def every_target_up(live: Live, expected: int) -> bool:
    active = live.api("targets")["activeTargets"]
    return len(active) == expected and all(t["health"] == "up" for t in active)


# --- the tests ------------------------------------------------------------------------------


def test_every_target_is_up_under_the_deployed_job_name(live: Live):
    active = live.api("targets")["activeTargets"]
    job = worker_job(load_yaml(PROMETHEUS_CONFIG))["job_name"]
    workers = [t for t in active if t["labels"]["job"] == job]
    assert len(workers) == 2
    assert all(t["health"] == "up" for t in active), [(t["scrapeUrl"], t["lastError"]) for t in active]


def test_every_rule_group_is_loaded_and_evaluates_without_error(live: Live):
    expected = {group["name"]: len(group["rules"]) for path in rule_files() for group in load_yaml(path)["groups"]}

    def evaluated() -> list[dict[str, Any]] | None:
        groups = live.api("rules")["groups"]
        rules = [rule for group in groups for rule in group["rules"]]
        return groups if all(rule["lastEvaluation"] != NOT_EVALUATED for rule in rules) else None

    groups = wait(evaluated, 30, "every rule to be evaluated once", live.proc)
    assert {g["name"]: len(g["rules"]) for g in groups} == expected
    for group in groups:
        for rule in group["rules"]:
            assert rule["health"] == "ok", f"{group['name']} {rule['name']}: {rule.get('lastError')}"


def substitutions(live: Live) -> dict[str, list[dict[str, str]]]:
    """Values for the dashboard's variables: Grafana's "All" (.*) and each real pair, type and pair+type."""
    series = live.api("series", **{"match[]": "diplostream_events_extracted_total"})
    combos = sorted({(s["pair"], s["type"]) for s in series})
    assert combos, "no event series: nothing to substitute for $pair and $type"
    return {
        "all": [{"pair": ".*", "type": ".*"}],
        "real": [{"pair": grafana_regex(p), "type": grafana_regex(t)} for p, t in combos],
    }


def grafana_regex(value: str) -> str:
    """How Grafana writes one selected value into a regex matcher."""
    return re.sub(r"([\\^$.|?*+()\[\]{}])", r"\\\\\1", value)


def grafana_builtins() -> dict[str, str]:
    """$__interval, $__rate_interval, $__range as Grafana would set them for the deployed datasource and dashboard."""
    (source,) = load_yaml(DATASOURCES)["datasources"]
    scrape = int(source["jsonData"]["timeInterval"].rstrip("s"))
    default_range = dashboard()["time"]["from"].removeprefix("now-")
    return {
        "__rate_interval": f"{4 * scrape}s",  # max($__interval + scrape, 4 x scrape) at the default range
        "__interval": f"{scrape}s",
        "__range": default_range,
    }


def substitute(expr: str, values: dict[str, str]) -> str:
    return re.sub(r"\$(\w+)", lambda m: values.get(m.group(1), m.group(0)), expr)


def test_every_dashboard_query_returns_data(live: Live):
    builtins = grafana_builtins()
    choices = substitutions(live)
    pending = {(p["title"], t["refId"]): t["expr"] for p, t in panel_targets()}
    assert len(pending) >= 15
    failures: dict[tuple[str, str], str] = {}
    deadline = time.monotonic() + 60  # rate() and the recording rules need a few scrapes
    while True:
        failures = {}
        for key, expr in pending.items():
            for kind, options in choices.items():
                tried = [substitute(expr, {**builtins, **values}) for values in options]
                if not any(has_data(live.query(q)) for q in dict.fromkeys(tried)):
                    failures[key] = f"no data with {kind} values, e.g. {tried[0]}"
                    break
        if not failures or time.monotonic() > deadline:
            break
        pending = {key: pending[key] for key in failures}
        time.sleep(2)
    assert not failures, "\n".join(f"{title} [{ref}]: {why}" for (title, ref), why in failures.items())


def test_the_dead_letter_alert_fires_and_the_worker_alert_does_not(live: Live):
    def dead_letters() -> list[dict[str, Any]]:
        alerts = live.api("alerts")["alerts"]
        return [a for a in alerts if a["labels"]["alertname"] == "DiplostreamDeadLetters" and a["state"] == "firing"]

    firing = wait(dead_letters, 30, "DiplostreamDeadLetters to fire", live.proc)
    assert {a["labels"]["reason"] for a in firing} == {"not_json"}
    assert firing[0]["annotations"]["runbook_url"] == "docs/operator-guide.md#diplostreamdeadletters"
    alerts = live.api("alerts")["alerts"]
    assert "DiplostreamNoWorkerUp" not in {a["labels"]["alertname"] for a in alerts}
    # others may be pending (a worker's first article is slow to extract: the p95 of a handful
    # of articles is that one) but nothing else fires
    assert {a["labels"]["alertname"] for a in alerts if a["state"] == "firing"} == {"DiplostreamDeadLetters"}
