"""The resolved, validated MUS template: scales, sections, fields, its checks and its fingerprint."""

from __future__ import annotations

import difflib
import hashlib
import json
from collections.abc import Iterator
from functools import cached_property, lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    PrivateAttr,
    StringConstraints,
    ValidationInfo,
    field_validator,
    model_validator,
)

from musforms._model.fields import (
    ROLES,
    CheckField,
    FormField,
    Id,
    InfoField,
    Label,
    LongText,
    RatingField,
    Role,
    _check_roles,
)

if TYPE_CHECKING:
    from musforms._model.answers import AnswersModel

__all__ = [
    "FollowupMonths",
    "Language",
    "Purpose",
    "Scale",
    "ScalePoint",
    "Section",
    "Style",
    "Template",
    "TemplateCompany",
    "TemplateId",
    "WrittenUpBy",
    "semantic_problems",
]

Language = Literal["da", "en"]
Style = Literal["scored", "soft"]
Purpose = Literal["preparation", "plan", "followup"]
WrittenUpBy = Literal["manager", "employee"]
FollowupMonths = Literal[3, 6]
TemplateId = Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9_.-]*$", max_length=64)]
Version = Annotated[str, StringConstraints(pattern=r"^\d+(\.\d+){0,2}$", max_length=20)]

_RESERVED_IDS = frozenset(name for name in dir(BaseModel) if not name.startswith("_"))


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class ScalePoint(_Strict):
    """One point of a rating scale, with the words that say what it means."""

    value: int = Field(ge=0, le=100)
    """The point's number: what a rating answer holds."""
    label: Label
    """What the point means, printed with it."""


class Scale(_Strict):
    """A named rating scale: its points in ascending order, each with a label."""

    title: Label | None = None
    """The question the scale answers, printed over the rating grid."""
    points: tuple[ScalePoint, ...] = Field(min_length=2, max_length=11)
    """The points, in ascending order."""
    not_relevant_label: Label | None = None
    """The words for "not relevant" on this scale; the template's language gives a default."""

    @field_validator("points")
    @classmethod
    def _ascending(cls, points: tuple[ScalePoint, ...]) -> tuple[ScalePoint, ...]:
        values = [p.value for p in points]
        if values != sorted(set(values)):
            raise ValueError("scale points need distinct values in ascending order")
        return points

    @property
    def values(self) -> tuple[int, ...]:
        """The point values, ascending."""
        return tuple(p.value for p in self.points)

    def label_of(self, value: int) -> str:
        """The label of the point ``value``."""
        for point in self.points:
            if point.value == value:
                return point.label
        raise KeyError(value)


class TemplateCompany(_Strict):
    """The company a template is made for: its name and logo (a PNG or JPEG next to the template file)."""

    name: Label | None = None
    """The company's name, printed in the header."""
    logo: Annotated[str, StringConstraints(min_length=1, max_length=500)] | None = None
    """A PNG or JPEG file, relative to the template file that names it, printed in the header."""


class Section(_Strict):
    """A part of the form and of the talk, with its time box, guidance and fields."""

    id: Id
    """The section's id, unique in the template."""
    title: Label
    """The section's heading (may use Jinja)."""
    minutes: int | None = Field(default=None, ge=0, le=480)
    """The section's time box in the talk, in minutes (guide section 3)."""
    guidance: LongText | None = None
    """Guidance printed under the heading (may use Jinja)."""
    audience: tuple[Role, ...] = ROLES
    """The roles whose form shows the section; its fields inherit it."""
    fields: tuple[FormField, ...] = ()
    """The section's fields, in order."""

    @model_validator(mode="before")
    @classmethod
    def _fields_inherit_audience(cls, data: object) -> object:
        """A field without its own ``audience`` has its section's."""
        if not isinstance(data, dict) or "audience" not in data or not isinstance(data.get("fields"), list):
            return data
        audience = data["audience"]
        fields = [
            {**field, "audience": audience} if isinstance(field, dict) and "audience" not in field else field
            for field in data["fields"]
        ]
        return {**data, "fields": fields}

    @field_validator("audience")
    @classmethod
    def _audience_not_empty(cls, value: tuple[Role, ...]) -> tuple[Role, ...]:
        return _check_roles(value)

    def shown_to(self, role: Role) -> bool:
        """Whether this section appears in ``role``'s form."""
        return role in self.audience


class Template(_Strict):
    """A resolved MUS template: what a form asks, of whom, in which order, and on which scales.

    Build one with :func:`musforms.load_template`; a template is immutable and validated on creation.
    """

    model_config = ConfigDict(extra="forbid", frozen=True, title="Template")

    id: TemplateId
    """The template's id, written into every form made from it."""
    version: Version = "1.0"
    """The template's version, written into every form (a quoted string such as "1.0")."""
    title: Label
    """The form's title."""
    language: Language
    """The language of the form's own words: ``da`` or ``en``."""
    style: Style
    """``scored``: items rated on a scale by both; ``soft``: a dialogue form of open questions."""
    purpose: Purpose = "preparation"
    """What the form is for: preparing the talk (each role its own form), the development plan that both
    sign, or the follow-up of its agreements."""
    description: LongText | None = None
    """What the template is for (printed as written)."""
    company: TemplateCompany | None = None
    """The company's name and logo for the header."""
    scales: dict[Id, Scale] = Field(default_factory=dict)
    """The rating scales, by name."""
    intro: LongText | None = None
    """The introduction printed under the title (may use Jinja)."""
    followup_months: FollowupMonths = 6
    """After how many months the talk's agreements are followed up: 3 or 6 (the guide's phase 5; texts read it
    as ``form.followup_months``)."""
    written_up_by: WrittenUpBy = "manager"
    """Who writes up the talk's conclusions and agreements: the manager or the employee (the guide's phase 4;
    texts read it as ``form.written_up_by``)."""
    sections: tuple[Section, ...] = Field(min_length=1, max_length=60)
    """The sections, in order."""
    _logo_file: Path | None = PrivateAttr(default=None)
    _logo_data: tuple[str, bytes] | None = PrivateAttr(default=None)

    @model_validator(mode="after")
    def _semantics(self, info: ValidationInfo) -> Template:
        if isinstance(info.context, dict) and info.context.get("defer_semantics"):
            return self
        problems = semantic_problems(self)
        if problems:
            raise ValueError("; ".join(f"{'.'.join(map(str, loc))}: {msg}" for loc, msg, _hint in problems))
        return self

    @property
    def logo_file(self) -> Path | None:
        """The logo image's file, found when the template was loaded (not part of the fingerprint)."""
        return self._logo_file

    @property
    def logo_image(self) -> Path | tuple[str, bytes] | None:
        """The logo to place in forms, found when the template was loaded: its file, or its file name and bytes
        when they were given with ``logos=`` (not part of the fingerprint)."""
        return self._logo_file if self._logo_data is None else self._logo_data

    # -- navigation -------------------------------------------------------------------------------

    def iter_fields(self) -> Iterator[tuple[Section, FormField]]:
        """Every field with its section, in form order."""
        for section in self.sections:
            for field in section.fields:
                yield section, field

    @cached_property
    def _field_index(self) -> dict[str, tuple[Section, FormField]]:
        return {field.id: (section, field) for section, field in self.iter_fields()}

    def field(self, field_id: str) -> FormField:
        """The field with id ``field_id`` (``KeyError`` if there is none)."""
        return self._field_index[field_id][1]

    def section_of(self, field_id: str) -> Section:
        """The section that holds field ``field_id``."""
        return self._field_index[field_id][0]

    def sections_for(self, role: Role) -> tuple[Section, ...]:
        """The sections ``role``'s form shows."""
        return tuple(s for s in self.sections if s.shown_to(role))

    def section_number(self, section: Section) -> int | None:
        """The number a part of the talk has in every form that shows it: its place among the sections both
        roles' forms show, so that the employee's and the manager's form number the shared parts alike ("part 2"
        is the same part in both). A section only one role's form shows (the manager's own preparation) has no
        number (None)."""
        if not all(section.shown_to(role) for role in ROLES):
            return None
        shared = [s for s in self.sections if all(s.shown_to(role) for role in ROLES)]
        return next((number for number, s in enumerate(shared, start=1) if s.id == section.id), None)

    def fields_for(self, role: Role) -> tuple[FormField, ...]:
        """The fields ``role``'s form shows (including static ``info`` fields), in form order."""
        return tuple(f for s in self.sections_for(role) for f in s.fields if f.shown_to(role))

    def answer_fields(self, role: Role) -> tuple[FormField, ...]:
        """The fields ``role`` answers in its own form, in form order."""
        return _answer_fields(self, role)

    def scale_of(self, field: RatingField) -> Scale:
        """The scale a rating field uses."""
        return self.scales[field.scale]

    # -- identity ---------------------------------------------------------------------------------

    def __hash__(self) -> int:
        return hash(self.fingerprint)

    @cached_property
    def fingerprint(self) -> str:
        """A stable hash of the resolved template: equal templates have equal fingerprints on any machine."""
        canonical = json.dumps(self.model_dump(mode="json"), sort_keys=True, ensure_ascii=False, separators=(",", ":"))
        return "sha256:" + hashlib.sha256(canonical.encode("utf-8")).hexdigest()[:32]

    # -- answers ----------------------------------------------------------------------------------

    def answers_model(self, role: Role, *, complete: bool = False) -> type[AnswersModel]:
        """A pydantic model of the answers ``role`` gives in this template's form.

        Field names are the field ids; an empty answer is ``None`` (a check: ``False``), so every form
        ``parse`` reads validates: a required field left empty is an issue of the form (``field.required``),
        marked ``"x-required": true`` in the JSON Schema. With ``complete``, a required field must be given.
        Use ``model_json_schema()`` on the result to publish the answers' JSON Schema.
        """
        from musforms._model.answers import answers_model

        return answers_model(self, role, complete=complete)


Loc = tuple[int | str, ...]


def semantic_problems(template: Template) -> list[tuple[Loc, str, str | None]]:
    """The checks that span fields: ``(location, what is wrong, hint)`` for each problem found.

    Locations are pydantic-style paths such as ``("sections", 2, "fields", 0, "scale")``.
    """
    problems: list[tuple[Loc, str, str | None]] = []
    seen: dict[str, str] = {}

    def claim(identifier: str, loc: Loc, what: str) -> None:
        if identifier in _RESERVED_IDS or identifier.startswith("model_"):
            problems.append((loc, f"id '{identifier}' is reserved", "choose another id"))
        if identifier in seen:
            problems.append((loc, f"duplicate id '{identifier}'", f"it is already the id of {seen[identifier]}"))
        else:
            seen[identifier] = what

    has_rating = False
    for si, section in enumerate(template.sections):
        claim(section.id, ("sections", si, "id"), f"section '{section.title}'")
        for fi, field in enumerate(section.fields):
            floc: Loc = ("sections", si, "fields", fi)
            claim(field.id, (*floc, "id"), f"a field in section '{section.id}'")
            outside = [r for r in field.audience if r not in section.audience]
            if outside:
                problems.append(
                    (
                        (*floc, "audience"),
                        f"audience {outside} is not in the section's audience {list(section.audience)}",
                        "a field can only be shown to roles that see its section",
                    )
                )
            if isinstance(field, RatingField):
                has_rating = True
                if field.scale not in template.scales:
                    known = ", ".join(sorted(template.scales)) or "none defined"
                    close = difflib.get_close_matches(field.scale, list(template.scales), n=1)
                    hint = f"did you mean '{close[0]}'?" if close else f"known scales: {known}"
                    problems.append(((*floc, "scale"), f"unknown scale '{field.scale}'", hint))
                not_audience = [r for r in field.rated_by if r not in field.audience]
                if not_audience:
                    problems.append(
                        (
                            (*floc, "raters"),
                            f"raters {not_audience} are not in the field's audience",
                            "only roles that see an item can rate it",
                        )
                    )
            if isinstance(field, InfoField) and field.required:
                problems.append(((*floc, "required"), "an info field takes no answer, so it cannot be required", None))
            if isinstance(field, CheckField) and field.required:
                problems.append(
                    (
                        (*floc, "required"),
                        "a check field is either ticked or not; it cannot be required",
                        "remove 'required: true'",
                    )
                )
    if template.style == "scored" and not has_rating:
        problems.append(
            (
                ("style",),
                "a scored template needs at least one rating field",
                "add rating fields or use style: soft",
            )
        )
    return problems


def field_kinds() -> tuple[str, ...]:
    """The names of the field kinds, for messages."""
    return ("text", "rating", "choice", "check", "date", "agreements", "signature", "info")


@lru_cache(maxsize=256)
def _answer_fields(template: Template, role: Role) -> tuple[FormField, ...]:
    """:meth:`Template.answer_fields`, worked out once per template (which is immutable) and role."""
    return tuple(f for s in template.sections_for(role) for f in s.fields if f.answered_by(role))
