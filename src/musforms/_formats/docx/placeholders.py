"""What an empty input of a Word form shows (its placeholder), and whether the text of a cell is one.

A placeholder says on paper what belongs in the box:

- a pick list shows its choices, joined by `` / `` ("Gennemført / I gang / Ikke startet / Opgivet");
- a date shows its pattern in the form's language ("dd-mm-åååå"; the date controls' format is ``dd-MM-yyyy``);
- a text box shows lines to write on and no words: one tab per line, each to a right tab stop at the cell's
  edge drawn with a dotted leader (:func:`rule_tabs`), the lines one line break apart. A screen reader
  announces the control's title (the question) and reads the tabs as nothing.

The parser tells a placeholder from typed text with :func:`marks_of` an input: the placeholder this input
was rendered with, and the generic ones earlier versions wrote ("Skriv her …", "Vælg …", "Vælg dato" and
their English words), read as empty. A pick list's placeholder that is also one of its choices (a list of one)
is empty only in a control flagged as showing its placeholder (``w:showingPlcHdr``): chosen, it is the answer.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from musforms._core.binding import InputSpec
from musforms._core.i18n import WORDS, words
from musforms._model.fields import FormField, TextField

__all__ = [
    "DATE_FORMAT",
    "GENERIC",
    "LEGACY",
    "NBSP",
    "PLACEHOLDERS",
    "RULE_LEADER",
    "Marks",
    "choices_placeholder",
    "date_pattern",
    "marks_of",
    "placeholder",
    "rule_tabs",
    "ruled_lines",
]

DATE_FORMAT = "dd-MM-yyyy"
"""The format of the Word forms' date controls (``w:dateFormat``), which :func:`date_pattern` spells out."""
LEGACY = ("Skriv her …", "Vælg …", "Vælg dato", "Write here …", "Choose …", "Choose a date")
"""The placeholders of forms rendered by earlier versions: a text box's, a pick list's and a date's, in Danish
and English. Still read as empty in every input."""
RULE_LEADER = "dot"
"""How a text box's lines are drawn: the leader of the tab that makes each (``w:leader``)."""
NBSP = "\u00a0"
_CELL_MARGINS = 200
"""A table cell's left and right margins together (the form's table style), in twentieths of a point."""


def date_pattern(language: str) -> str:
    """A date's placeholder: the date controls' format in ``language``'s letters (``dd-mm-åååå``)."""
    return words(language)["date_pattern"]


def choices_placeholder(spec: InputSpec) -> str:
    """A pick list's placeholder: its choices' printed labels, joined by `` / ``.

    Within a label, spaces are non-breaking: a narrow column wraps the list between choices ("Ikke startet /"
    on a line of its own), never inside one."""
    return _choices_shown(spec.choices)


def _choices_shown(choices: Sequence[tuple[str, str]]) -> str:
    return " / ".join(label.replace(" ", NBSP) for _value, label in choices)


def ruled_lines(count: int) -> str:
    """A text box's placeholder: ``count`` lines, each a tab (drawn as a line by :func:`rule_tabs`)."""
    return "\n".join(["\t"] * max(1, count))


def placeholder(field: FormField, spec: InputSpec, language: str) -> str:
    """What the input ``spec`` of ``field`` shows while empty, in ``language`` (``""``: a tick box, none)."""
    if spec.kind in ("text", "line"):
        lines = field.lines if isinstance(field, TextField) and field.multiline else 1
        return ruled_lines(lines)
    if spec.kind == "date":
        return date_pattern(language)
    if spec.kind in ("pick", "one_of"):
        return choices_placeholder(spec)
    return ""


def rule_tabs(width: int) -> list[tuple[str, int, str]]:
    """The tab stop of the paragraph holding a text box of a cell ``width`` wide: right-aligned at the cell's
    edge, with the leader that draws each line of :func:`ruled_lines`."""
    return [("right", width - _CELL_MARGINS, RULE_LEADER)]


def _fold(text: str) -> str:
    return " ".join(text.split()).casefold()


@dataclass(frozen=True)
class Marks:
    """What the text of one input's cell is compared with, to tell its placeholder from typed text."""

    always: frozenset[str]
    """Texts read as empty whatever the control's flag says (stripped at the ends)."""
    flagged: frozenset[str]
    """Texts read as empty only in a control flagged as showing its placeholder: the input's own placeholder
    when it is also one of its choices."""
    leftovers: tuple[str, ...]
    """Placeholders whose remains beside typed text are cut off (the longest first)."""
    answers: frozenset[str]
    """The input's choices, folded: a text that is one of them is never cut to nothing."""

    def empty(self, text: str, flagged: bool = False) -> bool:
        """Whether ``text`` (stripped at the ends) is only a placeholder: nothing typed."""
        return not text or text in self.always or (flagged and text in self.flagged)

    def strip(self, text: str, *, partial: bool = False) -> str:
        """``text`` without a placeholder (or the end of one) left beside what a person typed.

        Typing into a placeholder can leave it after or before the typed text ("Mere ansvarSkriv her …"); in a
        control LibreOffice still marks as showing its placeholder (``partial``), its last words ("Mere ansvar
        her …"). Only placeholders are cut, and never a text that is one of the input's choices.
        """
        stripped = text.strip()
        if stripped in self.always:
            return ""
        if not partial and not (stripped.endswith(self.leftovers) or stripped.startswith(self.leftovers)):
            return text  # the common case: nothing left beside the typed text
        if self.answers and _fold(stripped) in self.answers:
            return text
        for shown in self.leftovers:
            size = len(shown)
            if len(stripped) > size and stripped.endswith(shown):
                return stripped[:-size].rstrip()
            if len(stripped) > size and stripped.startswith(shown):
                return stripped[size:].lstrip()
            if partial:
                cut = _cut_tail(stripped, shown)
                if cut is not None:
                    return cut
        return text


def _cut_tail(text: str, shown: str) -> str | None:
    """``text`` without the longest end of ``shown`` it ends with, that starts a word of ``shown`` and is at
    least three characters long; None when it ends with none."""
    for size in range(len(shown) - 1, 2, -1):
        if shown[-size - 1] == " " and text.endswith(shown[-size:]):
            return text[:-size].rstrip()
    return None


_LEGACY_LEFTOVERS = tuple(shown for shown in LEGACY if shown.endswith("…"))
"""The old placeholders whose remains are cut as earlier versions cut them (typed text next to "Vælg dato" was
left alone)."""
_DATE_PATTERNS = tuple(dict.fromkeys(WORDS[language]["date_pattern"] for language in WORDS))
PLACEHOLDERS = frozenset((*LEGACY, *_DATE_PATTERNS))
"""Every placeholder that is the same in every form: the generic ones of earlier versions and the date patterns.
Text boxes' lines hold no text at all; pick lists' placeholders are their own (:func:`marks_of`)."""
GENERIC = Marks(PLACEHOLDERS, frozenset(), (*_LEGACY_LEFTOVERS, *_DATE_PATTERNS), frozenset())
"""The marks of a date, and of a cell of no known input."""
_TEXT = Marks(frozenset(LEGACY), frozenset(), _LEGACY_LEFTOVERS, frozenset())
"""The marks of a text box and a tick box: a date's pattern typed there is text."""


def marks_of(spec: InputSpec | None) -> Marks:
    """The marks of an input (:data:`GENERIC` when unknown): its own placeholder and the generic ones of its
    kind."""
    if spec is None or spec.kind == "date":
        return GENERIC
    if spec.kind not in ("pick", "one_of") or not spec.choices:
        return _TEXT
    return _choice_marks(spec.choices, spec.also)


@lru_cache(maxsize=256)
def _choice_marks(choices: Sequence[tuple[str, str]], also: Sequence[tuple[str, str]]) -> Marks:
    shown = _choices_shown(choices)
    answers = frozenset(_fold(label) for _value, label in (*choices, *also))
    own = frozenset({shown})
    leftovers = (shown, *_LEGACY_LEFTOVERS)
    if _fold(shown) in answers:  # a list of one choice: chosen, it is the answer
        return Marks(_TEXT.always, own, leftovers[1:], answers)
    return Marks(_TEXT.always | own, frozenset(), leftovers, answers)
