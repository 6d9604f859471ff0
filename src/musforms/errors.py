"""The exceptions musforms raises: one base class, stable codes, messages that say where and what."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

__all__ = [
    "AnswersError",
    "CarryOverError",
    "ChangeError",
    "ComparisonError",
    "DamagedFileError",
    "EncryptedError",
    "FingerprintMismatchError",
    "IdentityError",
    "ImageHeaderError",
    "MacroError",
    "MusformsError",
    "NotAFormError",
    "ParseError",
    "Problem",
    "RenderError",
    "RosterError",
    "RosterProblem",
    "SigningKeyError",
    "TemplateConflictError",
    "TemplateError",
    "TemplateNotFoundError",
    "TextRenderError",
    "TooDeepError",
    "TooLargeError",
    "TooManyRepeatsError",
    "UnknownTemplateError",
    "XmlEntitiesError",
    "YamlSyntaxError",
    "ZipBombError",
]


class MusformsError(Exception):
    """Base class of every error musforms raises on purpose.

    ``code`` is a stable, machine-readable identifier (``"template.invalid"``); ``exit_code`` is what the
    command line returns when the error ends a command (1: the input is invalid).
    """

    code: str = "musforms.error"
    exit_code: int = 1

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


@dataclass(frozen=True)
class Problem:
    """One thing wrong in a template file: where it is, what is wrong, how to fix it, and how bad it is."""

    message: str
    path: str = ""
    """Dotted path of the key in the template, e.g. ``sections[2].fields[0].kind``."""
    file: str | None = None
    line: int | None = None
    """1-based line number, when the problem can be tied to a place in a file."""
    column: int | None = None
    """1-based column number."""
    hint: str | None = None
    """How to fix it, e.g. ``did you mean 'rating'?``."""
    code: str = "template.invalid"
    severity: Literal["error", "warning"] = "error"
    """``error``: the template cannot be used; ``warning``: it loads, but probably not as its author meant."""

    @property
    def location(self) -> str:
        """``file:line:col`` (as much of it as is known)."""
        parts: list[str] = [self.file or "<template>"]
        if self.line is not None:
            parts.append(str(self.line))
            if self.column is not None:
                parts.append(str(self.column))
        return ":".join(parts)

    def __str__(self) -> str:
        text = f"{self.location}: "
        if self.path:
            text += f"{self.path}: "
        if self.severity == "warning":
            text += "warning: "
        text += self.message
        if self.hint:
            text += f" ({self.hint})"
        return text


class TemplateError(MusformsError):
    """A template could not be loaded: holds every problem found, not only the first."""

    code = "template.invalid"

    def __init__(self, problems: list[Problem]) -> None:
        self.problems: tuple[Problem, ...] = tuple(sorted(problems, key=_problem_order))
        count = len(self.problems)
        head = f"template has {count} problem{'s' if count != 1 else ''}"
        super().__init__(head + ":\n" + "\n".join(f"  {p}" for p in self.problems))


class TemplateNotFoundError(MusformsError):
    """A template id or path that names nothing musforms can find."""

    code = "template.not_found"


class TemplateConflictError(MusformsError):
    """Two templates of one id and version whose content differs were given together: which one a form of that
    version was made from cannot be told (a template changed after forms were issued needs a new version)."""

    code = "template.conflict"


class ParseError(MusformsError):
    """A file could not be read as a form."""

    code = "parse.invalid"


class NotAFormError(ParseError):
    """The file is not a form musforms made (or its identity was removed): another kind of file, named."""

    code = "parse.not_a_form"


class DamagedFileError(NotAFormError):
    """The package or one of its parts is damaged (truncated, bad zip structure, not well-formed XML...)."""

    code = "parse.damaged"


class TooLargeError(ParseError):
    """The file, a part of it, or the number of its parts is over a limit of :class:`Limits`."""

    code = "parse.too_large"


class ZipBombError(TooLargeError):
    """The package unpacks to far more than its size: a zip bomb."""

    code = "parse.zip_bomb"


class TooDeepError(ParseError):
    """An XML part nests elements deeper than :attr:`Limits.max_xml_depth`."""

    code = "parse.too_deep"


class XmlEntitiesError(ParseError):
    """An XML part declares a document type (entities, an external DTD): never read, always refused."""

    code = "parse.xml_entities"


class MacroError(ParseError):
    """A macro-enabled file (.docm, .xlsm): refused, forms have no macros."""

    code = "parse.macro"


class EncryptedError(ParseError):
    """An encrypted (password-protected) file: it cannot be read without the password."""

    code = "parse.encrypted"


class IdentityError(ParseError):
    """A form's identity cannot be trusted: its signature is missing or does not match, or the form is about
    another employee than the one expected."""

    code = "parse.identity"


class UnknownTemplateError(ParseError):
    """The form names a template that is not among those given."""

    code = "parse.unknown_template"


class FingerprintMismatchError(ParseError):
    """The form was made from another version of its template than the one given."""

    code = "parse.fingerprint_mismatch"


class SigningKeyError(MusformsError):
    """A signing key that is not usable (too short, or not bytes or text)."""

    code = "signing.key"


class RenderError(MusformsError):
    """A form could not be rendered from what was given (an unknown role, an answer that does not fit)."""

    code = "render.invalid"


class CarryOverError(MusformsError):
    """Last year's agreements cannot be carried over: given as something else than a parsed form or agreement
    rows, a row that is not an agreement, more agreements than the status table has rows, or two of last year's
    forms for one employee."""

    code = "carryover.invalid"


class AnswersError(MusformsError):
    """A completed form's answers do not fit the answers model they were asked for
    (:meth:`~musforms.FilledForm.answers_as`): ``fields`` names each field id (or key) that does not fit."""

    code = "answers.mismatch"

    def __init__(self, message: str, *, fields: tuple[str, ...] = ()) -> None:
        super().__init__(message)
        self.fields = fields


class TextRenderError(MusformsError):
    """A template text could not be rendered with the given context."""

    code = "render.text"


class ComparisonError(MusformsError):
    """The two forms cannot be compared: different employees, templates, or not one of each role."""

    code = "compare.mismatch"


@dataclass(frozen=True)
class RosterProblem:
    """Something wrong in a roster: file, row (1-based, the heading is row 1), column, what, and how bad."""

    message: str
    file: str
    row: int | None = None
    column: str | None = None
    severity: Literal["error", "warning"] = "error"

    def __str__(self) -> str:
        where = self.file + (f":{self.row}" if self.row is not None else "")
        column = f" [{self.column}]" if self.column else ""
        return f"{where}{column}: {self.severity}: {self.message}"


class RosterError(MusformsError):
    """A roster that cannot be used at all (no rows, missing columns, unreadable); lists every problem."""

    code = "roster.invalid"

    def __init__(self, problems: list[RosterProblem]) -> None:
        self.problems = tuple(problems)
        super().__init__("the roster cannot be used:\n" + "\n".join(f"  {p}" for p in problems))


class YamlSyntaxError(Exception):
    """The text is not well-formed YAML or JSON; carries the problems found."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("; ".join(str(p) for p in problems))
        self.problems = problems


class ChangeError(Exception):
    """Internal: one change of a template's ``changes`` that cannot be applied; the loader turns it into a
    located :class:`Problem` and goes on with the other changes."""

    def __init__(self, message: str, hint: str | None = None, key: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint
        self.key = key


class ImageHeaderError(Exception):
    """Internal: a logo's PNG or JPEG header is cut short or does not add up; the logo check reports it."""


class TooManyRepeatsError(Exception):
    """Internal: YAML anchors and aliases repeat more values than a template may hold; the reader turns it
    into a :class:`YamlSyntaxError`."""


def _problem_order(problem: Problem) -> tuple[str, int, int, str]:
    return (problem.file or "", problem.line or 0, problem.column or 0, problem.path)
