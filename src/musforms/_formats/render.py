"""``render``: a personalised form, as .docx or .xlsx bytes, optionally prefilled with answers."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal

from musforms._core.codec import encode
from musforms._core.identity import new_form_id
from musforms._core.signing import SigningKey
from musforms._loading.loader import TemplateSource, load_template
from musforms._model.context import Context, as_context
from musforms._model.fields import ROLES, Role
from musforms._model.filled import FormIdentity
from musforms._model.template import Template
from musforms.errors import RenderError

__all__ = ["Format", "render"]

Format = Literal["docx", "xlsx"]


def _template(template: Template | TemplateSource) -> Template:
    return template if isinstance(template, Template) else load_template(template)


def encode_answers(
    template: Template, role: Role, answers: Mapping[str, Any] | None
) -> dict[str, dict[str, str | bool]]:
    """Each prefilled answer as what its inputs show; refuses answers the role's form has no place for."""
    values: dict[str, dict[str, str | bool]] = {}
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
            values[field_id] = encode(template, template.field(field_id), value)
        except ValueError as exc:
            raise RenderError(str(exc)) from None
    return values


def answers_for_xlsx(template: Template, role: Role, answers: Mapping[str, Any] | None) -> dict[str, Any]:
    """Prefilled answers validated by the role's answers model, by field id (for the workbook renderer)."""
    encode_answers(template, role, answers)  # the same checks and messages as for Word forms
    from musforms._model.answers import field_adapter

    return {
        field_id: field_adapter(template, template.field(field_id)).validate_python(value)
        for field_id, value in (answers or {}).items()
    }


def render(
    template: Template | TemplateSource,
    format: Format,
    *,
    role: Role,
    context: Context | Mapping[str, Any],
    answers: Mapping[str, Any] | None = None,
    form_id: str | None = None,
    signing_key: SigningKey | None = None,
) -> bytes:
    """Render ``template``'s form for ``role`` as ``format`` (``"docx"`` or ``"xlsx"``).

    ``context`` says who the form is for (a Context or a mapping of the same shape); ``answers`` prefills
    fields (by field id, values as in the answers model); ``form_id`` is generated when not given.
    ``signing_key`` signs the form's identity (the custom property ``musforms.signature``, an HMAC that
    ``parse(..., signing_key=...)`` checks; see :mod:`musforms._core.signing`).
    """
    resolved = _template(template)
    if role not in ROLES:
        raise RenderError(f"role must be 'employee' or 'manager', not {role!r}")
    try:
        ctx = as_context(context)
    except ValueError as exc:
        raise RenderError(f"the context is not valid: {exc}") from None
    values = encode_answers(resolved, role, answers)
    identity = FormIdentity(
        template_id=resolved.id,
        template_version=resolved.version,
        fingerprint=resolved.fingerprint,
        role=role,
        subject_id=ctx.employee.id,
        form_id=form_id or new_form_id(),
    )
    if format == "docx":
        from musforms._formats.docx.render import render_docx

        return render_docx(resolved, role, ctx, values, identity, signing_key=signing_key)
    if format == "xlsx":
        from musforms._formats.xlsx.render import render_xlsx

        data = render_xlsx(resolved, role, ctx, answers_for_xlsx(resolved, role, answers), identity)
        if signing_key is not None:  # until the workbook renderer takes the key itself
            data = _signed_package(data, identity, ctx, signing_key)
        return data
    raise RenderError(f"format must be 'docx' or 'xlsx', not {format!r}")


def _signed_package(data: bytes, identity: FormIdentity, context: Context, signing_key: SigningKey) -> bytes:
    """The package with its custom properties written anew, signed (the other parts keep their bytes)."""
    from musforms._core.identity import identity_properties, write_custom_properties
    from musforms._core.zipstamp import ZipSkeleton

    properties = write_custom_properties(identity_properties(identity, context, signing_key=signing_key))
    return ZipSkeleton.from_bytes(data).stamp({"docProps/custom.xml": properties})
