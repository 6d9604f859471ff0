"""Checks that run on a template file's raw data, so that they still report when other parts are invalid."""

from __future__ import annotations

from typing import Any

from pydantic import TypeAdapter, ValidationError

from musforms._model.fields import ROLES, FormField
from musforms._model.template import Loc, Scale, Section, Style, Template, semantic_problems
from musforms._text.checks import JINJA_TEXT_KEYS, text_problems

__all__ = ["raw_semantic_problems", "raw_text_problems"]

_FIELD = TypeAdapter(FormField)
_TEXT_KEYS = ("label", "help", "text")
_JINJA_MARKS = ("{{", "{%", "{#")


def raw_text_problems(raw: dict[str, Any]) -> list[tuple[Loc, str, str | None]]:
    """Problems of the texts in the raw data, as ``(location, what is wrong, how to fix it)``.

    Texts rendered with Jinja (titles, intro, guidance, labels, help, text) are checked for syntax, unsafe
    expressions, unknown names and attributes; the texts printed as written (description, company name,
    scale titles and point labels, not_relevant_label, option labels) may not hold Jinja at all.
    """
    language = raw.get("language") if raw.get("language") in ("da", "en") else "da"
    texts: list[tuple[Loc, object]] = [(("intro",), raw.get("intro")), (("title",), raw.get("title"))]
    plain: list[tuple[Loc, object]] = [(("description",), raw.get("description"))]
    company = raw.get("company")
    if isinstance(company, dict):
        plain.append((("company", "name"), company.get("name")))
    scales = raw.get("scales")
    if isinstance(scales, dict):
        for name, scale in scales.items():
            if not isinstance(scale, dict):
                continue
            plain.append((("scales", name, "title"), scale.get("title")))
            plain.append((("scales", name, "not_relevant_label"), scale.get("not_relevant_label")))
            for pi, point in enumerate(_list(scale.get("points"))):
                if isinstance(point, dict):
                    plain.append((("scales", name, "points", pi, "label"), point.get("label")))
    for si, section in enumerate(_list(raw.get("sections"))):
        if not isinstance(section, dict):
            continue
        texts.append((("sections", si, "title"), section.get("title")))
        texts.append((("sections", si, "guidance"), section.get("guidance")))
        for fi, field in enumerate(_list(section.get("fields"))):
            if not isinstance(field, dict):
                continue
            for key in _TEXT_KEYS:
                texts.append((("sections", si, "fields", fi, key), field.get(key)))
            for oi, option in enumerate(_list(field.get("options"))):
                if isinstance(option, dict):
                    plain.append((("sections", si, "fields", fi, "options", oi, "label"), option.get("label")))
    problems: list[tuple[Loc, str, str | None]] = []
    for loc, text in texts:
        if isinstance(text, str):
            problems.extend((loc, message, hint) for message, hint in text_problems(text, str(language)))
    for loc, text in plain:
        if isinstance(text, str) and any(mark in text for mark in _JINJA_MARKS):
            problems.append(
                (
                    loc,
                    "this text is printed as written; Jinja is not rendered here",
                    f"remove the Jinja: only {JINJA_TEXT_KEYS} may use it",
                )
            )
    return problems


def raw_semantic_problems(raw: dict[str, Any]) -> list[tuple[Loc, str, str | None]]:
    """The cross-field checks of :func:`semantic_problems`, run on the parts of ``raw`` that are valid.

    Used when the template as a whole did not validate, so that duplicate ids or unknown scales are still
    reported together with the other problems. Locations point into ``raw``.
    """
    raw_scales = raw.get("scales") if isinstance(raw.get("scales"), dict) else {}
    assert isinstance(raw_scales, dict)
    scales: dict[str, Scale] = {}
    for name, value in raw_scales.items():
        try:
            scales[str(name)] = Scale.model_validate(value)
        except ValidationError:
            continue
    sections: list[Section] = []
    index: dict[tuple[int, ...], tuple[int, ...]] = {}
    raw_kinds: set[object] = set()
    for si, raw_section in enumerate(_list(raw.get("sections"))):
        if not isinstance(raw_section, dict):
            continue
        fields = []
        for fi, raw_field in enumerate(_list(raw_section.get("fields"))):
            if not isinstance(raw_field, dict):
                continue
            raw_kinds.add(raw_field.get("kind"))
            candidate = dict(raw_field)
            if "audience" not in candidate and "audience" in raw_section:
                candidate["audience"] = raw_section["audience"]
            try:
                fields.append(_FIELD.validate_python(candidate))
            except ValidationError:
                continue
            index[(len(sections), len(fields) - 1)] = (si, fi)
        audience = raw_section.get("audience", ROLES)
        if not isinstance(audience, list | tuple) or not set(audience) <= set(ROLES):
            audience = ROLES
        section = Section.model_construct(
            id=str(raw_section.get("id")),
            title=str(raw_section.get("title")),
            audience=tuple(audience),
            fields=tuple(fields),
        )
        index[(len(sections),)] = (si,)
        sections.append(section)
    style: Style = "scored" if raw.get("style") == "scored" else "soft"
    salvaged = Template.model_construct(
        id="salvaged", title="salvaged", language="da", style=style, scales=scales, sections=tuple(sections)
    )
    problems = []
    for loc, message, hint in semantic_problems(salvaged):
        if loc == ("style",) and "rating" in raw_kinds:
            continue
        if loc[-1:] == ("scale",) and message.startswith("unknown scale") and _scale_name(message) in raw_scales:
            continue
        problems.append((_remap(loc, index), message, hint))
    return problems


def _scale_name(message: str) -> str:
    return message.split("'")[1] if "'" in message else ""


def _remap(loc: Loc, index: dict[tuple[int, ...], tuple[int, ...]]) -> Loc:
    if len(loc) >= 4 and loc[0] == "sections" and loc[2] == "fields":
        si, fi = loc[1], loc[3]
        assert isinstance(si, int) and isinstance(fi, int)
        raw_si, raw_fi = index[(si, fi)]
        return ("sections", raw_si, "fields", raw_fi, *loc[4:])
    if len(loc) >= 2 and loc[0] == "sections":
        si = loc[1]
        assert isinstance(si, int)
        return ("sections", index[(si,)][0], *loc[2:])
    return loc


def _list(value: object) -> list[Any]:
    return value if isinstance(value, list) else []
