"""``render``: a personalised form, as .docx, .xlsx or .html bytes, optionally prefilled with answers."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pydantic import ValidationError

from musforms._core.binding import ChoicesAs
from musforms._core.carry import Previous, carry_over
from musforms._core.codec import encode
from musforms._core.embedded import embedded_properties
from musforms._core.identity import identity_properties, new_form_id
from musforms._core.signing import SigningKey
from musforms._formats import FORMATS, Format, file_format
from musforms._formats.interface import FileFormat, Values
from musforms._loading.loader import TemplateSource, load_template
from musforms._model.context import Context, as_context
from musforms._model.fields import ROLES, Role
from musforms._model.filled import FormIdentity
from musforms._model.messages import context_message
from musforms._model.template import Template
from musforms._text.form_facts import form_facts
from musforms._text.sandbox import text_scope
from musforms.errors import RenderError

__all__ = ["Format", "Prepared", "encode_answers", "prepare", "render"]


def _template(template: Template | TemplateSource) -> Template:
    return template if isinstance(template, Template) else load_template(template)


def encode_answers(
    template: Template, role: Role, answers: Mapping[str, Any] | None, choices_as: ChoicesAs = "ticks"
) -> Values:
    """Each prefilled answer as what its inputs show; refuses answers the role's form has no place for."""
    values: Values = {}
    if not answers:
        return values
    answerable = {f.id for f in template.answer_fields(role)}
    for field_id, value in answers.items():
        if field_id not in answerable:
            where = (
                "is not a field of the template"
                if field_id not in {f.id for _s, f in template.iter_fields()}
                else (f"is not answered in the {role}'s form")
            )
            raise RenderError(f"answer '{field_id}' {where}")
        try:
            values[field_id] = encode(template, template.field(field_id), value, choices_as)
        except ValueError as exc:
            raise RenderError(str(exc)) from exc
    return values


def render(
    template: Template | TemplateSource,
    format: Format,
    *,
    role: Role,
    context: Context | Mapping[str, Any],
    answers: Mapping[str, Any] | None = None,
    previous: Previous | None = None,
    form_id: str | None = None,
    signing_key: SigningKey | None = None,
) -> bytes:
    """Render ``template``'s form for ``role`` as ``format`` (``"docx"``, ``"xlsx"`` or ``"html"``: a web form as
    one UTF-8 page; :func:`~musforms.render_html` gives more choices).

    ``context`` says who the form is for (a Context or a mapping of the same shape); ``answers`` prefills
    fields (by field id, values as in the answers model); ``form_id`` is generated when not given.
    ``previous`` is last year's agreements: last year's plan, follow-up, talk or preparation form (a
    ``FilledForm``; its field ``agreements``, else its first agreements table that holds any) or its rows
    (``AgreementRow`` objects or mappings of the same shape). They become ``context.previous_agreements`` (for the
    template's texts) and prefill the form's status table (the agreements table with a status column), each row
    with the columns the table has; an answer for that table in ``answers`` wins. Anything else, or more rows
    than the table has, is a ``CarryOverError``.
    ``signing_key`` signs the form's identity (the custom property ``musforms.signature``, an HMAC that
    ``parse(..., signing_key=...)`` checks; see :mod:`musforms._core.signing`). The form carries the resolved
    template in its custom properties, so that it can be parsed without the template file.
    """
    file, prepared = prepare(
        template,
        format,
        role=role,
        context=context,
        answers=answers,
        previous=previous,
        form_id=form_id,
        signing_key=signing_key,
    )
    with text_scope(role, form_facts(prepared[0])):  # every text of the form: for this reader, about this form
        return file.render(*prepared)


Prepared = tuple[Template, Role, Context, Values, FormIdentity, dict[str, str]]
"""What a renderer is given: the resolved template, the role, the context, the encoded answers, the identity and
the custom properties."""


def prepare(
    template: Template | TemplateSource,
    format: Format,
    *,
    role: Role,
    context: Context | Mapping[str, Any],
    answers: Mapping[str, Any] | None = None,
    previous: Previous | None = None,
    form_id: str | None = None,
    signing_key: SigningKey | None = None,
) -> tuple[FileFormat, Prepared]:
    """Everything :func:`render` does before the format makes its file (also for :func:`render_html`): the
    format, and what its renderer is given."""
    resolved = _template(template)
    if role not in ROLES:
        raise RenderError(f"role must be 'employee' or 'manager', not {role!r}")
    if format not in FORMATS:
        named = [repr(name) for name in FORMATS]
        raise RenderError(f"format must be {', '.join(named[:-1])} or {named[-1]}, not {format!r}")
    file = file_format(format)
    try:
        ctx = as_context(context)
    except ValidationError as exc:
        raise RenderError(context_message(exc)) from exc
    except ValueError as exc:
        raise RenderError(f"the context is not valid: {exc}") from None
    ctx, carried = carry_over(resolved, ctx, previous, role)
    values = encode_answers(resolved, role, {**(carried or {}), **(answers or {})}, file.choices_as)
    identity = FormIdentity(
        template_id=resolved.id,
        template_version=resolved.version,
        fingerprint=resolved.fingerprint,
        role=role,
        subject_id=ctx.employee.id,
        form_id=form_id or new_form_id(),
    )
    properties = {
        **identity_properties(identity, ctx, signing_key=signing_key),
        **embedded_properties(resolved),  # the form carries its template: it can be read without the file
        **file.properties,
    }
    return file, (resolved, role, ctx, values, identity, properties)
