"""The ops tests: deploy/ (Prometheus, Grafana), docker-compose.yml and the image.

The embedded broker is the integration suite's ``tansu`` fixture, imported here.
``pytest_plugins = ["tests.integration.conftest"]`` cannot share it: pytest 9
refuses ``pytest_plugins`` outside the top-level conftest, and in
tests/conftest.py it registers tests/integration/conftest.py a second time and
collection fails. Importing the fixture defines it for this folder too, so a run
of the whole suite starts one more broker for the ops tests.
"""

from __future__ import annotations

from tests.integration.conftest import tansu

__all__ = ["tansu"]
