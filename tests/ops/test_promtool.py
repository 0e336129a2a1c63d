"""deploy/prometheus: the config, the rules and their unit tests, checked by promtool.

CI installs Debian's prometheus package (it brings promtool); without promtool
the promtool tests skip and say so. The file checks below need nothing.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.conftest import ROOT
from tests.ops.deploy import (
    PROMETHEUS_CONFIG,
    PROMETHEUS_DIR,
    alerts,
    exported_names,
    guide_anchors,
    load_yaml,
    metric_tokens,
    recorded_names,
    rule_files,
    rule_test_files,
    rules,
)

PROMTOOL = shutil.which("promtool")
needs_promtool = pytest.mark.skipif(
    PROMTOOL is None, reason="promtool is not on PATH (Debian: apt-get install prometheus; .ci/run does)"
)


def promtool(*args: str | Path) -> subprocess.CompletedProcess[str]:
    assert PROMTOOL is not None
    return subprocess.run(
        [PROMTOOL, *map(str, args)], cwd=ROOT, capture_output=True, text=True, timeout=120, stdin=subprocess.DEVNULL
    )


def assert_ok(result: subprocess.CompletedProcess[str]) -> None:
    assert result.returncode == 0, f"{' '.join(result.args)} failed:\n{result.stdout}\n{result.stderr}"


@needs_promtool
def test_promtool_checks_the_config_and_the_rule_files_it_loads():
    result = promtool("check", "config", PROMETHEUS_CONFIG.relative_to(ROOT))
    assert_ok(result)
    for path in rule_files():  # the config loads every rule file
        assert path.name in result.stdout + result.stderr


@needs_promtool
@pytest.mark.parametrize("path", rule_files(), ids=lambda p: p.name)
def test_promtool_checks_each_rule_file(path: Path):
    assert_ok(promtool("check", "rules", path.relative_to(ROOT)))


@needs_promtool
@pytest.mark.parametrize("path", rule_test_files(), ids=lambda p: p.name)
def test_promtool_rule_unit_tests_pass(path: Path):
    assert_ok(promtool("test", "rules", path.relative_to(ROOT)))


def test_every_alert_has_unit_tests_that_fire_and_that_do_not():
    firing: set[str] = set()
    silent: set[str] = set()
    for path in rule_test_files():
        for case in load_yaml(path)["tests"]:
            for check in case.get("alert_rule_test", []):
                (firing if check.get("exp_alerts") else silent).add(check["alertname"])
    names = {a["alert"] for a in alerts()}
    assert names - firing == set(), "alerts without a firing test case"
    assert names - silent == set(), "alerts without a not-firing test case"
    assert (firing | silent) <= names, "unit tests for alerts that do not exist"


def test_every_rule_file_is_loaded_by_the_config_and_the_unit_tests():
    config = load_yaml(PROMETHEUS_CONFIG)
    loaded = {p for pattern in config["rule_files"] for p in PROMETHEUS_DIR.glob(pattern)}
    assert loaded == set(rule_files())
    tested = {(path.parent / name).resolve() for path in rule_test_files() for name in load_yaml(path)["rule_files"]}
    assert tested == {p.resolve() for p in rule_files()}


def test_alerts_carry_severity_summary_description_and_a_runbook_in_the_operator_guide():
    anchors = guide_anchors()
    for alert in alerts():
        name = alert["alert"]
        assert name.startswith("Diplostream"), name
        assert alert["labels"]["severity"] in {"critical", "warning", "info"}, name
        annotations = alert["annotations"]
        assert annotations["summary"].strip() and annotations["description"].strip(), name
        page, _, anchor = annotations["runbook_url"].partition("#")
        assert page == "docs/operator-guide.md", name
        assert anchor == name.lower() and anchor in anchors, f"{name}: no section #{anchor} in the operator guide"


def test_the_required_alerts_exist():
    assert {a["alert"] for a in alerts()} >= {
        "DiplostreamNoWorkerUp",
        "DiplostreamDeadLetters",
        "DiplostreamConsumerLagGrowing",
        "DiplostreamExtractionSlow",
        "DiplostreamNoEventsWhileArticlesArrive",
    }


def test_rules_use_only_metrics_the_app_exports_and_recorded_series():
    known = exported_names() | recorded_names()
    for rule in rules():
        unknown = metric_tokens(rule["expr"]) - known
        assert not unknown, f"{rule.get('alert') or rule.get('record')}: unknown metrics {unknown}"


def test_the_no_events_period_is_one_value_throughout_its_group():
    group = [r for r in rules() if r["group"] == "diplostream.no-events-period"]
    assert len(group) == 3
    periods = {p for rule in group for p in re.findall(r"(?:\[|offset\s+)(\d+[smhdwy])", rule["expr"])}
    assert len(periods) == 1, f"the no-events period differs between its rules: {periods}"
    alert = next(a for a in alerts() if a["alert"] == "DiplostreamNoEventsWhileArticlesArrive")
    assert {r["record"] for r in group} <= metric_tokens(alert["expr"])
