"""The example web form application (docs/examples/web_form) through HTTP, without a browser.

It serves a signed form per employee under the Content-Security-Policy musforms computes (the nonce of the
policy is the nonce of the page's style and script, new for every page); a submission without problems is
stored and answered with a redirect to its receipt; one with problems gets the form again (422) with the
problem and what was sent; a changed identity is refused (400). Its code passes ``mypy --strict`` and ruff.
tests/browser/test_web_form.py fills the same application's forms in Chromium.
"""

from __future__ import annotations

import html
import json
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

import musforms

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "docs" / "examples"
APP = EXAMPLES / "web_form"
BIN = Path(sys.executable).parent
KEY = b"web-form-example-test-key"

if str(EXAMPLES) not in sys.path:
    sys.path.insert(0, str(EXAMPLES))

from web_form.app import create_app, load_company_template  # noqa: E402


@pytest.fixture
def received() -> dict[str, musforms.FilledForm]:
    return {}


@pytest.fixture
def client(received: dict[str, musforms.FilledForm]) -> Iterator[TestClient]:
    app = create_app(KEY, templates=[load_company_template()], received=received)
    with TestClient(app, follow_redirects=False) as client:
        yield client


def properties_of(page: str) -> str:
    """The value of the form's hidden identity field."""
    found = re.search(r'name="mf__properties" value="([^"]*)"', page)
    assert found is not None, "the page has no identity field"
    return html.unescape(found.group(1))


def test_a_form_is_served_under_its_content_security_policy(client: TestClient) -> None:
    first = client.get("/forms/acme-plan/employee/E-0001")
    second = client.get("/forms/acme-plan/employee/E-0001")

    assert first.status_code == 200 and first.headers["content-type"].startswith("text/html")
    policy = first.headers["content-security-policy"]
    nonce = re.search(r"'nonce-([^']+)'", policy)
    assert nonce is not None, policy
    assert f'nonce="{nonce.group(1)}"' in first.text
    assert nonce.group(1) not in second.headers["content-security-policy"], "a nonce is used once"
    assert first.headers["cache-control"] == "no-store"
    assert 'action="/submit"' in first.text and "Mette Sørensen" in first.text
    assert "musforms.signature" in properties_of(first.text)


def test_unknown_templates_and_employees_are_not_found(client: TestClient) -> None:
    assert client.get("/forms/no-such-template/employee/E-0001").status_code == 404
    assert client.get("/forms/plan-da/employee/E-9999").status_code == 404
    assert client.get("/forms/plan-da/boss/E-0001").status_code == 422
    index = client.get("/")
    assert index.status_code == 200 and "/forms/acme-plan/manager/E-0002" in index.text


def test_a_submission_is_stored_and_a_receipt_shown(
    client: TestClient, received: dict[str, musforms.FilledForm]
) -> None:
    page = client.get("/forms/acme-plan/employee/E-0002").text
    fields = {
        "mf__properties": properties_of(page),
        "mf_plan_title": "Plan for Jonas & <co>",
        "mf_goals": "Svend\r\nsom elektriker",
        "mf_plan_fits": "p3",
        "mf_read_policy": "x",
        "mf__submit": "1",
    }

    response = client.post("/submit", data=fields)

    assert response.status_code == 303, response.text
    (form_id,) = received
    assert response.headers["location"] == f"/receipts/{form_id}"
    filled = received[form_id]
    assert (filled.signed, filled.subject_id, filled.issues) == ("verified", "E-0002", ())
    assert filled.answers["plan_title"] == "Plan for Jonas & <co>"
    assert filled.answers["goals"] == "Svend\nsom elektriker"
    assert (filled.answers["plan_fits"], filled.answers["read_policy"]) == (3, True)
    receipt = client.get(response.headers["location"])
    assert receipt.status_code == 200 and "Plan for Jonas &amp; &lt;co&gt;" in receipt.text


def test_a_submission_with_problems_gets_the_form_again(
    client: TestClient, received: dict[str, musforms.FilledForm]
) -> None:
    page = client.get("/forms/acme-plan/manager/E-0001").text
    fields = {"mf__properties": properties_of(page), "mf_goals": "Mål & <midler>", "mf_followup_date": "i maj"}

    response = client.post("/submit", data=fields)

    assert response.status_code == 422
    assert not received
    again = response.text
    assert "Mål &amp; &lt;midler&gt;" in again and 'value="i maj"' in again  # what was sent, kept
    assert 'aria-invalid="true"' in again and 'role="alert"' in again
    assert "nonce-" in response.headers["content-security-policy"]
    assert properties_of(again) == properties_of(page), "the form shown again is the same form"


def test_a_changed_identity_is_refused(client: TestClient, received: dict[str, musforms.FilledForm]) -> None:
    page = client.get("/forms/acme-plan/employee/E-0001").text
    properties = json.loads(properties_of(page))
    identity_key = next(key for key, value in properties.items() if "E-0001" in value and "signature" not in key)
    properties[identity_key] = properties[identity_key].replace("E-0001", "E-0002")

    response = client.post("/submit", data={"mf__properties": json.dumps(properties), "mf_goals": "x"})

    assert response.status_code == 400
    assert "refused" in response.text
    assert not received


@pytest.mark.parametrize(
    "command",
    [
        ["mypy", "--strict", "--no-incremental"],
        ["ruff", "check"],
        ["ruff", "format", "--check"],
    ],
    ids=["mypy-strict", "ruff-check", "ruff-format"],
)
def test_the_example_code_is_typed_and_clean(command: list[str]) -> None:
    result = subprocess.run(
        [str(BIN / command[0]), *command[1:], str(APP)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
