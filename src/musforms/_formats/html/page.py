"""The web form's page around its fields: the title, the company and its logo, the people, the introduction, the
summary of problems, each part of the talk as a section, the hidden identity and the send button."""

from __future__ import annotations

import base64
import json
from collections.abc import Mapping
from pathlib import Path

from musforms._core.binding import anchors
from musforms._core.codec import parse_date
from musforms._core.i18n import form_identity, form_subtitle
from musforms._formats.html.fields import FieldWriter, Page, Shown, escape_text
from musforms._loading.logo import image_size
from musforms._model.context import person_line
from musforms._model.fields import RatingField, Role
from musforms._model.template import Section, Template
from musforms._text.dates import meeting_when
from musforms._text.form_facts import company_name

__all__ = ["PROPERTIES_NAME", "SUBMIT_NAME", "Page", "form_markup", "shown_values"]

_e = escape_text

PROPERTIES_NAME = "mf__properties"
"""The hidden input holding the form's identity (its custom properties, as a JSON object)."""
SUBMIT_NAME = "mf__submit"
"""The name of the form's send button (not an answer)."""


def shown_values(template: Template, role: Role, values: Mapping[str, Mapping[str, str | bool]]) -> Shown:
    """The encoded answers (:func:`musforms._core.codec.encode` with pick lists) as the web inputs show them, by
    input name: a pick list's or ``one_of``'s label becomes its value, a date ``YYYY-MM-DD``."""
    out: Shown = {}
    for name, anchor in anchors(template, role, "list").items():
        value = values.get(anchor.field_id, {}).get(anchor.spec.part)
        if value is None:
            continue
        spec = anchor.spec
        if isinstance(value, bool):
            out[name] = value
        elif spec.kind in ("one_of", "pick"):
            out[name] = next((part for part, label in spec.choices if label == value), value)
        elif spec.kind == "date":
            parsed = parse_date(value) if value else None
            out[name] = parsed.isoformat() if parsed else value
        else:
            out[name] = value
    return out


def _logo(template: Template) -> tuple[str, int, int] | None:
    """The template's logo as a ``data:`` URI with its width and height, or None."""
    image = template.logo_image
    if image is None:
        return None
    data = image[1] if isinstance(image, tuple) else Path(image).read_bytes()
    size = image_size(data)
    if size is None:
        return None
    kind = "image/png" if data.startswith(b"\x89PNG") else "image/jpeg"
    return f"data:{kind};base64,{base64.b64encode(data).decode('ascii')}", size[0], size[1]


class _Writer(FieldWriter):
    """Writes one form's markup: the page around its fields."""

    # -- the form ----------------------------------------------------------------------------------

    def form(self) -> str:
        t, p, w = self.t, self.p, self.w
        body: list[str] = []
        for section in t.sections_for(p.role):
            body.append(self.section(t.section_number(section), section))
        head = self.head()
        summary = self.summary()
        people = self.people()
        intro = f'<div class="mf-intro">{self.paragraphs(t.intro)}</div>' if t.intro else ""
        identity = json.dumps(dict(p.properties), ensure_ascii=False, separators=(",", ":"))
        foot = (
            f'<footer class="mf-foot"><p>{_e(w["confidential"])}</p>'
            f"<p>{_e(form_identity(p.identity.form_id, self.language))}</p></footer>"
        )
        method = "get" if p.method.lower() == "get" else "post"
        return (
            f'<form class="mf-form" id="mf-form" data-mf-form="1" lang="{_e(self.language)}" '
            f'action="{_e(p.action)}" method="{method}" accept-charset="UTF-8">'
            f"{head}{summary}{people}{intro}{''.join(body)}"
            f'<input type="hidden" name="{PROPERTIES_NAME}" value="{_e(identity)}">'
            f'<p class="mf-actions"><button class="mf-button" type="submit" name="{SUBMIT_NAME}" value="1">'
            f"{_e(self.ww['submit'])}</button></p>"
            f'<p class="mf-status" role="status" aria-live="polite"></p>'
            f"{foot}</form>"
        )

    def title(self) -> str:
        return self.text(self.t.title)

    def subtitle(self) -> str:
        return _e(form_subtitle(self.t.purpose, self.p.role, self.language))

    def head(self) -> str:
        company = company_name(self.t, self.p.context)
        brand = ""
        logo = _logo(self.t)
        if logo is not None or company:
            image = ""
            if logo is not None:
                uri, width, height = logo
                alt = company or self.w["company"]
                image = f'<img class="mf-logo" src="{uri}" alt="{_e(alt)}" width="{width}" height="{height}">'
                name = f'<span aria-hidden="true">{_e(company)}</span>' if company else ""
            else:
                name = f"<span>{_e(company)}</span>"
            brand = f'<p class="mf-brand">{image}{name}</p>'
        return (
            f'<header class="mf-head">{brand}<h1>{self.title()}</h1>'
            f'<p class="mf-subtitle">{self.subtitle()}</p></header>'
        )

    def people(self) -> str:
        ctx, w = self.p.context, self.w
        meeting = ctx.meeting
        rows = [
            (w["employee"], person_line(ctx.employee)),
            (w["manager"], person_line(ctx.manager)),
            (w["meeting"], meeting_when(meeting, self.language)),
            (w["place"], (meeting.place or "") if meeting else ""),
        ]
        items = "".join(f"<dt>{_e(label)}</dt><dd>{_e(value)}</dd>" for label, value in rows if value)
        return f'<dl class="mf-people">{items}</dl>'

    def summary(self) -> str:
        """The problems at the top: a count, a hint, and a link to each field's first control."""
        fields = {f.id: f for f in self.t.answer_fields(self.p.role)}
        entries: list[str] = []
        count = 0
        for f_id, problems in self.problems.by_field.items():
            f = fields.get(f_id)
            if f is None:
                continue
            label = self.text(getattr(f, "label", None) or f.id)
            target = self.first_control(f)
            for issue in problems:
                count += 1
                entries.append(f'<li><a href="#{_e(target)}">{label}: {_e(issue.message)}</a></li>')
        for issue in self.problems.loose:
            count += 1
            where = f"{_e(issue.label)}: " if issue.label else ""
            raw = f': <q class="mf-raw">{_e(issue.raw)}</q>' if issue.raw else ""
            entries.append(f"<li>{where}{_e(issue.message)}{raw}</li>")
        if not count:
            return ""
        title = self.ww["problems_one"] if count == 1 else self.ww["problems_n"].format(n=count)
        return (
            '<div class="mf-summary" role="alert" tabindex="-1" aria-labelledby="mf-summary-title">'
            f'<p class="mf-summary-title" id="mf-summary-title">{_e(title)}</p>'
            f"<p>{_e(self.ww['problems_hint'])}</p><ul>{''.join(entries)}</ul></div>"
        )

    # -- sections ------------------------------------------------------------------------------------

    def section(self, number: int | None, section: Section) -> str:
        """A part of the talk, numbered as in every form (the manager's own preparation unnumbered)."""
        heading_id = f"mf-s-{section.id}"
        minutes = ""
        if section.minutes:
            minutes = f' <span class="mf-minutes">{_e(self.w["about_minutes"].format(n=section.minutes))}</span>'
        out = [
            f'<section class="mf-section" id="mf-section-{section.id}" aria-labelledby="{heading_id}">',
            f'<h2 id="{heading_id}"><span>{"" if number is None else f"{number}. "}{self.text(section.title)}</span>'
            f"{minutes}</h2>",
        ]
        if section.guidance:
            out.append(f'<div class="mf-guidance">{self.paragraphs(section.guidance)}</div>')
        scale: str | None = None
        for f in section.fields:
            if not f.shown_to(self.p.role):
                continue
            if isinstance(f, RatingField):
                if not f.answered_by(self.p.role):
                    continue
                if f.scale != scale:
                    title = self.t.scale_of(f).title
                    if title:
                        out.append(f'<p class="mf-scale">{_e(title)}</p>')
                scale = f.scale
            else:
                scale = None
            out.append(self.field(f))
        out.append("</section>")
        return "".join(out)


def form_markup(page: Page) -> tuple[str, str, str]:
    """The ``<form>`` element of a page, its title (the ``<title>``) and its language."""
    writer = _Writer(page)
    markup = writer.form()
    return markup, f"{writer.title()} – {writer.subtitle()}", page.template.language
