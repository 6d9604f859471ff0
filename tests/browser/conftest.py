"""Fixtures of the browser tests: the example web form application on 127.0.0.1, and Chromium driven by Selenium.

Every test in this folder is marked ``browser``. Without Chromium and its driver the tests skip with the
reason, except when the environment variable CI is set: then they fail (CI must never skip the browser
tests), as the real-client tests do without LibreOffice.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

import musforms

from .chromium import chromium, serve, unavailable_reason

EXAMPLES = Path(__file__).resolve().parents[2] / "docs" / "examples"
KEY = b"web-form-example-signing-key"


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    here = Path(__file__).parent
    for item in items:
        if here in Path(str(item.fspath)).parents:
            item.add_marker(pytest.mark.browser)


def require_chromium() -> None:
    """Skip (or, under CI, fail) the calling test when Chromium cannot be driven here."""
    reason = unavailable_reason()
    if reason is None:
        return
    if os.environ.get("CI"):
        pytest.fail(f"CI must run the browser tests, but Chromium is missing: {reason}", pytrace=False)
    pytest.skip(f"Chromium not available: {reason}")


def example_app_module() -> Any:
    """``docs/examples/web_form/app.py``, imported as ``web_form.app``."""
    if str(EXAMPLES) not in sys.path:
        sys.path.insert(0, str(EXAMPLES))
    from web_form import app

    return app


@dataclass
class WebApp:
    """The example application running on 127.0.0.1: its base URL, the forms it has received (by form id),
    and the company template it serves beside the built-in ones."""

    url: str
    company_template: musforms.Template
    received: dict[str, musforms.FilledForm] = field(default_factory=dict)


@pytest.fixture(scope="session")
def web_app() -> Iterator[WebApp]:
    """The example application (docs/examples/web_form), signing its forms, served by uvicorn for the session."""
    require_chromium()
    module = example_app_module()
    company = module.load_company_template()
    received: dict[str, musforms.FilledForm] = {}
    app = module.create_app(KEY, templates=[company], received=received)
    with serve(app) as url:
        yield WebApp(url, company, received)


@pytest.fixture(scope="module", params=[True, False], ids=["js-on", "js-off"])
def browser(request: pytest.FixtureRequest) -> Iterator[Any]:
    """One Chromium per module and JavaScript setting (on, then off), reused by the module's tests."""
    require_chromium()
    with chromium(javascript=request.param) as driver:
        driver.javascript = request.param
        yield driver


@pytest.fixture(scope="module")
def scripted_browser() -> Iterator[Any]:
    """One Chromium with JavaScript on, for the tests that need only that one."""
    require_chromium()
    with chromium(javascript=True) as driver:
        driver.javascript = True
        yield driver
