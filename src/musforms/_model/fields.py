"""The field kinds of a MUS form: one pydantic model per kind, joined in a union discriminated on ``kind``."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, field_validator

__all__ = [
    "AGREEMENT_COLUMNS",
    "ROLES",
    "AgreementColumn",
    "AgreementsField",
    "CheckField",
    "ChoiceField",
    "ChoiceOption",
    "DateField",
    "FieldSpec",
    "FormField",
    "Id",
    "InfoField",
    "Label",
    "LongText",
    "RatingField",
    "Role",
    "SignatureField",
    "TextField",
]

Role = Literal["employee", "manager"]
ROLES: tuple[Role, ...] = ("employee", "manager")

Id = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]*$", min_length=1, max_length=48)]
"""A template-unique id: lower-case letters, digits and ``_``, starting with a letter, at most 48 characters."""
Label = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=500)]
LongText = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=8000)]

AgreementColumn = Literal["action", "owner", "deadline", "method", "status", "comment"]
AGREEMENT_COLUMNS: tuple[AgreementColumn, ...] = (
    "action",
    "owner",
    "deadline",
    "method",
    "status",
    "comment",
)


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class FieldSpec(_Strict):
    """What every field kind has: an id, help text, whether it is required, and who sees it."""

    id: Id
    """The field's id, unique in the template (sections and fields share one namespace)."""
    help: LongText | None = None
    """A line of help printed under the label (may use Jinja)."""
    required: bool = False
    """Whether an answer is required (an empty answer is then a warning when the form is read)."""
    audience: tuple[Role, ...] = ROLES
    """The roles whose form shows this field (and who answer it). A manager's own preparation questions
    have ``audience: [manager]`` and never appear in an employee's file."""

    @field_validator("audience")
    @classmethod
    def _audience_not_empty(cls, value: tuple[Role, ...]) -> tuple[Role, ...]:
        return _check_roles(value)

    def shown_to(self, role: Role) -> bool:
        """Whether this field appears in ``role``'s form."""
        return role in self.audience

    def answered_by(self, role: Role) -> bool:
        """Whether ``role`` gives an answer to this field in its own form."""
        return self.shown_to(role)


class TextField(FieldSpec):
    """An open question answered in words."""

    kind: Literal["text"] = "text"
    label: Label
    """The question (may use Jinja)."""
    multiline: bool = True
    """Whether the answer may run over several lines."""
    lines: int = Field(default=4, ge=1, le=40)
    """How many lines of writing room the printed form leaves."""
    max_length: int | None = Field(default=None, ge=1, le=100_000)
    """The most characters an answer may have (a longer one is an issue)."""


class RatingField(FieldSpec):
    """An item rated on a named scale, by the employee, the manager or both (the scored style)."""

    kind: Literal["rating"] = "rating"
    label: Label
    """The statement to rate (may use Jinja)."""
    scale: Id
    """The name of the scale (a key of the template's ``scales``)."""
    raters: tuple[Role, ...] | None = None
    """Who rates the item; defaults to the field's audience."""
    not_relevant: bool = False
    """Whether "not relevant" may be chosen instead of a point on the scale."""

    @field_validator("raters")
    @classmethod
    def _raters_not_empty(cls, value: tuple[Role, ...] | None) -> tuple[Role, ...] | None:
        return None if value is None else _check_roles(value)

    @property
    def rated_by(self) -> tuple[Role, ...]:
        """The roles that rate this item."""
        return self.raters if self.raters is not None else self.audience

    def answered_by(self, role: Role) -> bool:
        return self.shown_to(role) and role in self.rated_by


class ChoiceOption(_Strict):
    """One option of a choice field."""

    id: Id
    """The option's id: what the answer holds."""
    label: Label
    """The option as printed."""


class ChoiceField(FieldSpec):
    """A choice among named options, single or multiple."""

    kind: Literal["choice"] = "choice"
    label: Label
    """The question (may use Jinja)."""
    options: tuple[ChoiceOption, ...] = Field(min_length=2, max_length=30)
    """The options, in the order they are printed (and several choices are answered in)."""
    multiple: bool = False
    """Whether several options may be chosen."""

    @field_validator("options")
    @classmethod
    def _options_distinct(cls, options: tuple[ChoiceOption, ...]) -> tuple[ChoiceOption, ...]:
        """Each option needs its own id (its answer) and its own label (what the form shows)."""
        for what in ("id", "label"):
            first: dict[str, int] = {}
            for number, option in enumerate(options, start=1):
                value = option.id if what == "id" else option.label.casefold()
                if value in first:
                    shown = option.id if what == "id" else option.label
                    raise ValueError(
                        f"options {first[value]} and {number} have the same {what} '{shown}'; "
                        f"give each option its own {what}"
                    )
                first[value] = number
        return options


class CheckField(FieldSpec):
    """A single box to tick."""

    kind: Literal["check"] = "check"
    label: Label
    """What ticking the box says (may use Jinja)."""


class DateField(FieldSpec):
    """A calendar date."""

    kind: Literal["date"] = "date"
    label: Label
    """What the date is (may use Jinja)."""


class AgreementsField(FieldSpec):
    """A table of agreements: what is to be done, by whom, by when (and optionally how, status, comment)."""

    kind: Literal["agreements"] = "agreements"
    label: Label
    """The table's caption (may use Jinja)."""
    columns: tuple[AgreementColumn, ...] = ("action", "owner", "deadline")
    """The table's columns, in order; ``action`` is required."""
    rows: int = Field(default=5, ge=1, le=40)
    """How many rows the printed form offers."""

    @field_validator("columns")
    @classmethod
    def _columns_valid(cls, value: tuple[AgreementColumn, ...]) -> tuple[AgreementColumn, ...]:
        if "action" not in value:
            raise ValueError("an agreements table needs the 'action' column")
        if len(set(value)) != len(value):
            raise ValueError("each column may appear only once")
        return value


class SignatureField(FieldSpec):
    """A signature line with the signer's name and the date."""

    kind: Literal["signature"] = "signature"
    label: Label
    """The signature line's caption (may use Jinja)."""
    signer: Role
    """Who signs: ``employee`` or ``manager``."""
    own_form_only: bool = True
    """In a preparation form each role fills in only its own signature line; a document both sign (a
    development plan) sets this to false, so that either copy takes both."""

    def answered_by(self, role: Role) -> bool:
        """Whether ``role``'s copy takes this signature: its own, or any of a document both sign."""
        return self.shown_to(role) and (role == self.signer or not self.own_form_only)


class InfoField(FieldSpec):
    """Static text shown on the form (guidance, a checklist); it takes no answer."""

    kind: Literal["info"] = "info"
    label: Label | None = None
    """A heading over the text (may use Jinja)."""
    text: LongText
    """The text: blank lines separate paragraphs, lines starting with ``- `` are bullets (may use Jinja)."""

    def answered_by(self, role: Role) -> bool:
        return False


FormField = Annotated[
    TextField | RatingField | ChoiceField | CheckField | DateField | AgreementsField | SignatureField | InfoField,
    Field(discriminator="kind"),
]
"""A field of a section: one of the kinds, told apart by ``kind``."""


def _check_roles(value: tuple[Role, ...]) -> tuple[Role, ...]:
    if not value:
        raise ValueError("name at least one role (employee, manager)")
    if len(set(value)) != len(value):
        raise ValueError("each role may appear only once")
    return value
