"""Session fixture ``libreoffice``: one headless LibreOffice listener for all real-client tests.

Without LibreOffice the tests skip with the reason, except when the environment variable CI is set:
then a missing LibreOffice fails them (CI must never skip the real-client tests).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from .harness import Office, unavailable_reason


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    here = Path(__file__).parent
    for item in items:
        if here in Path(str(item.fspath)).parents:
            item.add_marker(pytest.mark.realclient)


def require_libreoffice() -> None:
    """Skip (or, under CI, fail) the calling test when LibreOffice cannot be driven here."""
    reason = unavailable_reason()
    if reason is None:
        return
    if os.environ.get("CI"):
        pytest.fail(f"CI must run the real-client tests, but LibreOffice is missing: {reason}", pytrace=False)
    pytest.skip(f"LibreOffice not available: {reason}")


@pytest.fixture(scope="session")
def libreoffice(tmp_path_factory: pytest.TempPathFactory, pytestconfig: pytest.Config) -> Iterator[Office]:
    """A running soffice listener (own profile, unique pipe), stopped at the end of the session. Each fill it
    finishes is shown on the terminal as it happens (pytest hides a passing test's own output)."""
    require_libreoffice()
    office = Office.start(tmp_path_factory.mktemp("libreoffice"))
    reporter = pytestconfig.pluginmanager.get_plugin("terminalreporter")
    if reporter is not None and pytestconfig.get_verbosity() >= 0:
        office.progress = lambda line: reporter.write_line(f"  {line}")
    try:
        yield office
    finally:
        office.stop()
