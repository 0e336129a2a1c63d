"""What the ops tests read: the files under deploy/, and the metric names the app exports."""

from __future__ import annotations

import json
import re
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from tests.conftest import ROOT

PROMETHEUS_DIR = ROOT / "deploy" / "prometheus"
PROMETHEUS_CONFIG = PROMETHEUS_DIR / "prometheus.yml"
RULES_DIR = PROMETHEUS_DIR / "rules"
RULE_TESTS_DIR = PROMETHEUS_DIR / "tests"
GRAFANA_DIR = ROOT / "deploy" / "grafana"
DASHBOARD = GRAFANA_DIR / "dashboards" / "diplostream.json"
DATASOURCES = GRAFANA_DIR / "provisioning" / "datasources" / "prometheus.yml"
DASHBOARD_PROVIDERS = GRAFANA_DIR / "provisioning" / "dashboards" / "dashboards.yml"
COMPOSE = ROOT / "docker-compose.yml"
OPERATOR_GUIDE = ROOT / "docs" / "operator-guide.md"

# a metric the app exports, or a recording rule (level:metric:operation)
METRIC_TOKEN = re.compile(r"(?<![\w:\"'])(diplostream_\w+|[a-zA-Z_]\w*:\w+:\w+)")


def load_yaml(path: Path) -> Any:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def rule_files() -> list[Path]:
    return sorted(RULES_DIR.glob("*.yml"))


def rule_test_files() -> list[Path]:
    return sorted(RULE_TESTS_DIR.glob("*.yml"))


def rules() -> list[dict[str, Any]]:
    """Every rule of every group of every rule file, with its group name under ``group``."""
    return [
        {**rule, "group": group["name"]}
        for path in rule_files()
        for group in load_yaml(path)["groups"]
        for rule in group["rules"]
    ]


def alerts() -> list[dict[str, Any]]:
    return [r for r in rules() if "alert" in r]


def recorded_names() -> set[str]:
    return {r["record"] for r in rules() if "record" in r}


@cache
def exported_names() -> frozenset[str]:
    """Every sample name streams/metrics.py can export, children or not."""
    from streams.metrics import REGISTRY

    suffixes = {
        "counter": ("_total", "_created"),
        "gauge": ("",),
        "histogram": ("_bucket", "_sum", "_count", "_created"),
        "summary": ("", "_sum", "_count", "_created"),
        "info": ("_info",),
    }
    return frozenset(
        family.name + suffix for family in REGISTRY.collect() for suffix in suffixes.get(family.type, ("",))
    )


def metric_tokens(expr: str) -> set[str]:
    """Names in a PromQL expression that look like the app's metrics or recording rules."""
    without_strings = re.sub(r'"[^"]*"', '""', expr)
    return set(METRIC_TOKEN.findall(without_strings))


def dashboard() -> dict[str, Any]:
    return json.loads(DASHBOARD.read_text(encoding="utf-8"))


def panels(dash: dict[str, Any] | None = None) -> list[dict[str, Any]]:
    """Every panel, rows' nested panels included, rows themselves excluded."""
    out: list[dict[str, Any]] = []

    def walk(items: list[dict[str, Any]]) -> None:
        for panel in items:
            if panel.get("type") != "row":
                out.append(panel)
            walk(panel.get("panels", []))

    walk((dash or dashboard())["panels"])
    return out


def panel_targets(dash: dict[str, Any] | None = None) -> list[tuple[dict[str, Any], dict[str, Any]]]:
    """(panel, target) for every query of the dashboard."""
    return [(panel, target) for panel in panels(dash) for target in panel.get("targets", [])]


def guide_anchors() -> set[str]:
    """GitHub's anchors for the headings of the operator guide."""
    anchors = set()
    for line in OPERATOR_GUIDE.read_text(encoding="utf-8").splitlines():
        match = re.match(r"#+\s+(.*)", line)
        if match:
            text = re.sub(r"[^\w\- ]", "", match.group(1).strip().lower())
            anchors.add(text.replace(" ", "-"))
    return anchors
