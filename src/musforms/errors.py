"""The exceptions musforms raises: one base class, stable codes, messages that say where and what."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = [
    "MusformsError",
    "Problem",
    "TemplateError",
    "TemplateNotFoundError",
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
    """One thing wrong in a template file: where it is, what is wrong, and how to fix it."""

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


def _problem_order(problem: Problem) -> tuple[str, int, int, str]:
    return (problem.file or "", problem.line or 0, problem.column or 0, problem.path)
