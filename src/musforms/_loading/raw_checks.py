"""Checks that run on a template file's raw data, so that every check reports even where other parts are invalid."""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from typing import Any, get_args

from pydantic import ValidationError

from musforms._model.fields import ROLES, ChoiceField, ChoiceOption, FieldSpec, FormField, RatingField, Role
from musforms._model.messages import untagged
from musforms._model.template import Loc, Scale, ScalePoint, Section, Style, Template, semantic_problems
from musforms._text.checks import JINJA_TEXT_KEYS, text_problems

__all__ = ["raw_semantic_problems", "raw_text_problems"]

_KINDS: dict[str, type[FieldSpec]] = {cls.model_fields["kind"].default: cls for cls in get_args(get_args(FormField)[0])}
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


def raw_semantic_problems(raw: dict[str, Any], reported: Iterable[Loc] = ()) -> list[tuple[Loc, str, str | None]]:
    """The cross-field checks of :func:`semantic_problems` and the checks of a list as a whole, run on ``raw``.

    Used when the template as a whole did not validate, so that every check still runs where the same
    section or field has another fault: a field of an unknown (misspelt) kind still claims its id and names
    its scale, a choice whose options have a fault still has its option ids compared. Keys whose values are
    at fault (``reported``, pydantic's locations) are left out of the checks instead of being reported again.
    Locations point into ``raw``.
    """
    bad = {tuple(untagged(loc)) for loc in reported}
    raw_scales = raw.get("scales") if isinstance(raw.get("scales"), dict) else {}
    assert isinstance(raw_scales, dict)
    problems: list[tuple[Loc, str, str | None]] = []
    scales: dict[str, Scale] = {}
    for name, value in raw_scales.items():
        try:
            scales[str(name)] = Scale.model_validate(value)
        except ValidationError:
            scales[str(name)] = Scale.model_construct(points=())  # at fault, but it exists: no "unknown scale"
            problems.extend(_points_problems(("scales", str(name)), value))
    sections: list[Section] = []
    index: dict[tuple[int, ...], tuple[int, ...]] = {}
    uncertain = not _list(raw.get("sections"))  # no sections yet: that is the problem, not the style
    for si, raw_section in enumerate(_list(raw.get("sections"))):
        if not isinstance(raw_section, dict):
            continue
        audience = _roles(raw_section.get("audience"), ROLES)
        fields: list[Any] = []
        for fi, raw_field in enumerate(_list(raw_section.get("fields"))):
            floc: Loc = ("sections", si, "fields", fi)
            if not isinstance(raw_field, dict):
                continue
            field = _salvaged_field(raw_field, audience, floc, bad)
            if field is None:
                uncertain = True
                continue
            if raw_field.get("kind") not in _KINDS:
                uncertain = True
            if isinstance(field, ChoiceField):
                problems.extend(_options_problems(floc, raw_field.get("options")))
            index[(len(sections), len(fields))] = (si, fi)
            fields.append(field)
        ident = raw_section.get("id")
        section = Section.model_construct(
            id=ident if isinstance(ident, str) else f"<section {si + 1}>",
            title=str(raw_section.get("title")),
            audience=audience,
            fields=tuple(fields),
        )
        index[(len(sections),)] = (si,)
        sections.append(section)
    style: Style = "scored" if raw.get("style") == "scored" else "soft"
    salvaged = Template.model_construct(
        id="salvaged", title="salvaged", language="da", style=style, scales=scales, sections=tuple(sections)
    )
    for loc, message, hint in semantic_problems(salvaged):
        if loc == ("style",) and uncertain:
            continue  # a field of an unknown kind may be the rating field meant
        remapped = _remap(loc, index)
        if any(remapped[: len(fault)] == fault for fault in bad):
            continue
        problems.append((remapped, message, hint))
    return problems


def _salvaged_field(raw: dict[str, Any], audience: tuple[Role, ...], loc: Loc, bad: set[Loc]) -> FieldSpec | None:
    """The field ``raw`` with the keys that are at fault left out, for the checks that span fields; its kind
    is the one meant when it is misspelt (``ratng``); None when the kind is not known at all."""
    kind = raw.get("kind")
    if not isinstance(kind, str):
        return None
    close = difflib.get_close_matches(kind, list(_KINDS), n=1)
    model = _KINDS.get(kind) or (_KINDS[close[0]] if close else None)
    if model is None:
        return None
    values: dict[str, Any] = {"audience": audience}
    for key, value in raw.items():
        if key in model.model_fields and key != "kind" and (*loc, key) not in bad:
            values[key] = value
    ident = raw.get("id")
    values["id"] = ident if isinstance(ident, str) else f"<field {'.'.join(map(str, loc))}>"
    values["audience"] = _roles(values.get("audience"), audience)
    if "raters" in values:
        values["raters"] = _roles(values["raters"], None)
    if not isinstance(values.get("required", False), bool):
        values["required"] = False
    if model is RatingField and not isinstance(values.get("scale"), str):
        values["scale"] = ""  # a rating item without a usable scale: the scale is not checked
        bad.add((*loc, "scale"))
    field: FieldSpec = model.model_construct(**values)
    return field


def _roles(value: object, default: Any) -> Any:
    """``value`` as a tuple of roles when it is one, else ``default``."""
    if isinstance(value, list | tuple) and value and all(role in ROLES for role in value):
        return tuple(value)
    return default


def _options_problems(loc: Loc, options: object) -> list[tuple[Loc, str, str | None]]:
    """A choice's options compared (distinct ids and labels) even when one of them has another fault."""
    if not isinstance(options, list):
        return []
    salvaged = [
        ChoiceOption.model_construct(
            id=str(option["id"]) if isinstance(option, dict) and isinstance(option.get("id"), str) else f"<{n}>",
            label=str(option["label"]).strip()
            if isinstance(option, dict) and isinstance(option.get("label"), str)
            else f"<{n}>",
        )
        for n, option in enumerate(options)
    ]
    try:
        ChoiceField._options_distinct(tuple(salvaged))
    except ValueError as exc:
        return [((*loc, "options"), str(exc), None)]
    return []


def _points_problems(loc: Loc, scale: object) -> list[tuple[Loc, str, str | None]]:
    """A scale's points checked in order even when one of them has another fault."""
    points = scale.get("points") if isinstance(scale, dict) else None
    if not isinstance(points, list):
        return []
    values = [
        ScalePoint.model_construct(value=point["value"], label="")
        for point in points
        if isinstance(point, dict) and type(point.get("value")) is int
    ]
    try:
        Scale._ascending(tuple(values))
    except ValueError as exc:
        return [((*loc, "points"), str(exc), None)]
    return []


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
