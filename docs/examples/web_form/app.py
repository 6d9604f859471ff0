"""A FastAPI application that serves a web form per employee and reads the submitted answers back.

``create_app(signing_key, ...)`` makes the app. ``GET /forms/{template_id}/{role}/{employee_id}`` serves the
form of a built-in template (or of a company template given to ``create_app``) for one employee, signed, with
the Content-Security-Policy musforms computes for it; the browser posts it to ``POST /submit``, which reads
the fields with ``musforms.parse_submission``. A form with problems comes back as the same form with every
typed value kept and each problem next to its field (status 422); a form without problems is stored (in
memory, by form id) and the browser is sent on to its receipt, ``GET /receipts/{form_id}``. Run it with

    .venv/bin/uvicorn --factory web_form.app:demo_app --app-dir docs/examples

and open http://127.0.0.1:8000/.
"""

from __future__ import annotations

import datetime as dt
import html
import secrets
from collections.abc import Iterable, Mapping, MutableMapping
from pathlib import Path
from typing import get_args
from urllib.parse import quote as url_quote

from fastapi import FastAPI, HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

import musforms

__all__ = ["COMPANY_TEMPLATE", "EMPLOYEES", "create_app", "demo_app"]

COMPANY_TEMPLATE = Path(__file__).parent / "company" / "acme-plan.yaml"
"""A company's own template (the built-in plan-da with a few fields added), served beside the built-in ones."""

_MANAGER = musforms.Person(id="M-01", name="Lars Holm", job_title="Afdelingsleder")
_COMPANY = musforms.Company(name="Acme A/S")
EMPLOYEES: dict[str, musforms.Context] = {
    "E-0001": musforms.Context(
        employee=musforms.Person(id="E-0001", name="Mette Sørensen", job_title="Elektriker", department="Service"),
        manager=_MANAGER,
        company=_COMPANY,
        meeting=musforms.Meeting(start=dt.datetime(2027, 3, 16, 10, 0), place="Mødelokale 2"),
    ),
    "E-0002": musforms.Context(
        employee=musforms.Person(id="E-0002", name="Jonas Ærø Bøgh", job_title="Lærling", department="Værksted"),
        manager=_MANAGER,
        company=_COMPANY,
    ),
}
"""Who the forms are for, by employee id: an HR system would look them up in its own database."""

ROLES: tuple[musforms.Role, ...] = get_args(musforms.Role)
SUBMIT_PATH = "/submit"
# The application's own pages (the index and the receipts) have no script and no style of their own.
OWN_PAGES_CSP = "default-src 'none'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
SECURITY_HEADERS = {
    "Cache-Control": "no-store",  # a form holds personal answers: no copy in any cache
    "Referrer-Policy": "no-referrer",
    "X-Content-Type-Options": "nosniff",
}


def create_app(
    signing_key: bytes,
    *,
    templates: Iterable[musforms.Template] = (),
    employees: Mapping[str, musforms.Context] = EMPLOYEES,
    received: MutableMapping[str, musforms.FilledForm] | None = None,
) -> FastAPI:
    """The application: it serves forms of every built-in template and of ``templates`` (a company's own; of
    an id given in several versions, the one given last) to ``employees``, signs them with ``signing_key``,
    and keeps the forms it has received without problems in ``received`` (by form id; a new dict when not
    given). A submitted form is read only with the templates the application serves."""
    served = musforms.TemplateStore(musforms.load_template(info.id) for info in musforms.list_templates())
    for template in templates:
        served.add(template)
    store: MutableMapping[str, musforms.FilledForm] = {} if received is None else received

    def template_of(template_id: str, version: str | None = None) -> musforms.Template:
        template = served.find(template_id, version)
        if template is None:
            raise HTTPException(404, f"no template {template_id!r}")
        return template

    def form_page(form: musforms.WebForm, status_code: int = 200) -> HTMLResponse:
        headers = {**SECURITY_HEADERS, "Content-Security-Policy": form.csp}
        return HTMLResponse(form.html, status_code=status_code, headers=headers)

    app = FastAPI(title="musforms web form example", docs_url=None, redoc_url=None, openapi_url=None)

    @app.get("/", response_class=HTMLResponse)
    def index() -> HTMLResponse:
        """Links to every form the application serves."""
        links = [
            f'<li><a href="/forms/{quote(template_id)}/{role}/{quote(employee_id)}">'
            f"{html.escape(template_id)}: {role}'s form for {html.escape(context.employee.name)}</a></li>"
            for template_id in served.ids()
            for role in ROLES
            for employee_id, context in employees.items()
        ]
        return own_page("Web forms", f"<ul>{''.join(links)}</ul>")

    @app.get("/forms/{template_id}/{role}/{employee_id}", response_class=HTMLResponse)
    def new_form(template_id: str, role: musforms.Role, employee_id: str) -> HTMLResponse:
        """A new, blank form of ``template_id`` for ``role`` about the employee ``employee_id``."""
        context = employees.get(employee_id)
        if context is None:
            raise HTTPException(404, f"no employee {employee_id!r}")
        form = musforms.render_html(
            template_of(template_id),
            role=role,
            context=context,
            nonce=secrets.token_urlsafe(16),
            action=SUBMIT_PATH,
            signing_key=signing_key,
        )
        return form_page(form)

    @app.post(SUBMIT_PATH)
    async def submit(request: Request) -> Response:
        """Read a submitted form: its problems shown in the form again, or the answers stored and a receipt."""
        try:
            filled = musforms.parse_submission(await request.form(), templates=served, signing_key=signing_key)
        except musforms.MusformsError as exc:
            # a form the application did not issue, a changed identity, a body over the limits
            return own_page("The form was refused", f"<p>{html.escape(str(exc))}</p>", status_code=400)
        if filled.issues:
            if filled.context is None:
                raise HTTPException(400, "the form does not say who it is for")
            again = musforms.render_html(
                template_of(filled.template_id, filled.template_version),
                role=filled.role,
                context=filled.context,
                answers=filled.answers,
                issues=filled.issues,
                nonce=secrets.token_urlsafe(16),
                action=SUBMIT_PATH,
                form_id=filled.form_id,
                signing_key=signing_key,
            )
            return form_page(again, status_code=422)
        store[filled.form_id] = filled
        return RedirectResponse(f"/receipts/{quote(filled.form_id)}", status_code=303)

    @app.get("/receipts/{form_id}", response_class=HTMLResponse)
    def receipt(form_id: str) -> HTMLResponse:
        """What the application received for form ``form_id``: every answer as it is stored."""
        filled = store.get(form_id)
        if filled is None:
            raise HTTPException(404, f"no form {form_id!r} has been received")
        rows = "".join(
            f"<tr><th scope='row'>{html.escape(field_id)}</th><td>{html.escape(shown(answer))}</td></tr>"
            for field_id, answer in filled.answers.items()
        )
        body = (
            f'<p>Form <code id="form-id">{html.escape(filled.form_id)}</code> '
            f"({html.escape(filled.template_id)}, {filled.role}) is received; its signature is {filled.signed}.</p>"
            f"<table><caption>The answers</caption><tbody>{rows}</tbody></table>"
        )
        return own_page("Thank you", body)

    return app


def demo_app() -> FastAPI:
    """The application with a fixed demonstration key and the company template (for ``uvicorn --factory``)."""
    return create_app(b"example signing key: keep a real one secret", templates=[load_company_template()])


def load_company_template() -> musforms.Template:
    """The company's template, ``company/acme-plan.yaml``."""
    return musforms.load_template(COMPANY_TEMPLATE)


def own_page(title: str, body: str, status_code: int = 200) -> HTMLResponse:
    """One of the application's own small pages; ``body`` is markup already escaped."""
    page = (
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{html.escape(title)}</title></head><body><main><h1>{html.escape(title)}</h1>{body}</main></body></html>"
    )
    headers = {**SECURITY_HEADERS, "Content-Security-Policy": OWN_PAGES_CSP}
    return HTMLResponse(page, status_code=status_code, headers=headers)


def shown(answer: musforms.Answer) -> str:
    """An answer as the receipt shows it."""
    if answer is None:
        return "—"
    if isinstance(answer, list):
        return "; ".join(item if isinstance(item, str) else item.model_dump_json(exclude_none=True) for item in answer)
    if isinstance(answer, musforms.Signature):
        return answer.model_dump_json(exclude_none=True)
    return str(answer)


def quote(segment: str) -> str:
    """``segment`` as one segment of a URL path."""
    return url_quote(segment, safe="")
