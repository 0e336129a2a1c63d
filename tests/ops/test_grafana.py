"""deploy/grafana: the provisioned datasource and the dashboard, read as data.

Whether every query returns data is tested against live workers in
test_prometheus_e2e.py; these checks need nothing running.
"""

from __future__ import annotations

import re

from tests.ops.deploy import (
    DASHBOARD_PROVIDERS,
    DATASOURCES,
    dashboard,
    exported_names,
    load_yaml,
    metric_tokens,
    panel_targets,
    panels,
    recorded_names,
)

REQUIRED_PANELS = (
    "Events per country pair",
    "Events by type",
    "Top pairs",
    "Sanction warnings",
    "Throughput",
    "Dead-lettered records",
    "Extraction latency",
    "Consumer lag",
    "Workers",
    "Happenings and reports, last 7 days",
    "Historical references",
)


def datasource_uid() -> str:
    (source,) = load_yaml(DATASOURCES)["datasources"]
    assert source["type"] == "prometheus" and source["url"] == "http://prometheus:9090"
    return source["uid"]


def test_the_dashboard_has_a_stable_uid_and_the_required_panels():
    dash = dashboard()
    assert dash["uid"] == "diplostream"
    titles = {p["title"] for p in panels(dash)}
    assert set(REQUIRED_PANELS) <= titles
    ids = [p["id"] for p in dash["panels"]]
    assert len(ids) == len(set(ids)), "panel ids repeat"


def test_every_target_has_a_stable_unique_ref_id_and_the_provisioned_datasource():
    uid = datasource_uid()
    for panel in panels():
        assert panel.get("targets"), f"{panel['title']}: no query"
        refs = [t.get("refId") for t in panel["targets"]]
        assert all(refs) and len(refs) == len(set(refs)), f"{panel['title']}: refIds {refs}"
        assert panel["datasource"] == {"type": "prometheus", "uid": uid}
        for target in panel["targets"]:
            assert target["datasource"] == {"type": "prometheus", "uid": uid}
            assert target["expr"].strip()


def test_queries_use_only_metrics_the_app_exports_and_recorded_series():
    known = exported_names() | recorded_names() | {"up"}
    for panel, target in panel_targets():
        unknown = metric_tokens(target["expr"]) - known
        assert not unknown, f"{panel['title']} {target['refId']}: unknown metrics {unknown}"
        names = set(re.findall(r"[a-zA-Z_:][\w:]*(?=\s*[{\[])", re.sub(r'"[^"]*"', '""', target["expr"])))
        assert names <= known, f"{panel['title']} {target['refId']}: unknown series {names - known}"


def test_pair_and_type_are_query_variables_on_the_extracted_events():
    variables = {v["name"]: v for v in dashboard()["templating"]["list"]}
    for name in ("pair", "type"):
        variable = variables[name]
        assert variable["type"] == "query"
        assert variable["query"] == f"label_values(diplostream_events_extracted_total, {name})"
        assert variable["datasource"]["uid"] == datasource_uid()
        assert variable["includeAll"] and variable["allValue"] == ".*"
    used = {v for _, t in panel_targets() for v in re.findall(r"\$(\w+)", t["expr"]) if not v.startswith("__")}
    assert used <= set(variables), f"undefined variables {used - set(variables)}"
    assert {"pair", "type"} <= used


def test_the_dashboard_provider_points_at_the_mounted_folder():
    (provider,) = load_yaml(DASHBOARD_PROVIDERS)["providers"]
    assert provider["type"] == "file"
    assert provider["options"]["path"] == "/etc/grafana/dashboards/diplostream"
