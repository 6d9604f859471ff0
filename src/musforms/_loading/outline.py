"""A readable text outline of a template: sections, time boxes, fields, audiences and scales."""

from __future__ import annotations

from musforms._model.fields import ROLES, AgreementsField, ChoiceField, FormField, RatingField, Role, SignatureField
from musforms._model.template import Template

__all__ = ["outline"]


def _roles(roles: tuple[Role, ...]) -> str:
    return "" if set(roles) == set(ROLES) else f"  [{', '.join(roles)} only]"


def _describe(template: Template, field: FormField) -> str:
    if isinstance(field, RatingField):
        raters = "both" if set(field.rated_by) == set(ROLES) else "/".join(field.rated_by)
        extra = ", not relevant allowed" if field.not_relevant else ""
        return f"rating on {field.scale}, rated by {raters}{extra}"
    if isinstance(field, ChoiceField):
        options = ", ".join(o.id for o in field.options)
        return f"choice ({'several' if field.multiple else 'one'} of: {options})"
    if isinstance(field, AgreementsField):
        return f"agreements ({', '.join(field.columns)}; {field.rows} rows)"
    if isinstance(field, SignatureField):
        return f"signature of the {field.signer}"
    return field.kind


def outline(template: Template) -> str:
    """The outline ``musforms show`` prints."""
    lines = [
        f"{template.id} {template.version}: {template.title}",
        f"language {template.language}, style {template.style}, fingerprint {template.fingerprint}",
    ]
    if template.company and template.company.name:
        lines.append(f"company {template.company.name}")
    if template.scales:
        lines.append("scales:")
        for name, scale in template.scales.items():
            points = "; ".join(f"{p.value} {p.label}" for p in scale.points)
            lines.append(f"  {name}: {points}")
    lines.append("sections:")
    total = 0
    for number, section in enumerate(template.sections, start=1):
        box = f"  ({section.minutes} min)" if section.minutes is not None else ""
        total += section.minutes or 0
        lines.append(f"  {number}. {section.id}: {section.title}{box}{_roles(section.audience)}")
        for field in section.fields:
            label = getattr(field, "label", None) or ""
            required = " *" if field.required else ""
            audience = "" if field.audience == section.audience else _roles(field.audience)
            lines.append(f"     - {field.id} [{_describe(template, field)}]{required} {label}{audience}".rstrip())
    lines.append(f"time boxes in all: {total} min; * = required")
    return "\n".join(lines)
