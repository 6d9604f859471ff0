"""The stamping engine of Word forms: a compiled layout's pieces, the anchors of its inputs, and filling the
pieces in for one form.

A compiled layout is a list of pieces: fixed WordprocessingML text, *slots* that a stamp fills with the person's
context and the form's identity, and *inputs*, each one table cell's content, blank or prefilled. Every input's
cell starts with a bookmark named after the input (its *anchor*); the parser finds inputs by it. What the pieces
are, in which order, is :mod:`musforms._formats.docx.layout`'s job.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from musforms._core.binding import Anchor, InputSpec, input_name
from musforms._core.zipstamp import Deflated, DeflateJoiner, sync_deflate
from musforms._model.context import Context
from musforms._model.fields import Role
from musforms._model.filled import FormIdentity
from musforms._model.template import Template

__all__ = [
    "BLANK_STAMP",
    "LAYOUT_PROPERTY",
    "LAYOUT_VERSION",
    "Anchor",
    "Break",
    "Input",
    "Layout",
    "Piece",
    "Slot",
    "Stamp",
    "anchor_name",
]

LAYOUT_VERSION = "docx-3"
"""The version of this layout, written into every form: a parser compares the text around the inputs with
the form's printed text only when the form was made with the same layout (docx-3: the parts of the talk
numbered alike in both roles' forms, the manager's own preparation unnumbered)."""
LAYOUT_PROPERTY = "musforms.layout"


def anchor_name(field_id: str, part: str) -> str:
    """The bookmark name of one input (:func:`musforms._core.binding.input_name`, the same as in a workbook)."""
    return input_name(field_id, part)


@dataclass
class Stamp:
    """What one employee's form is filled in with."""

    context: Context
    values: dict[str, dict[str, str | bool]]
    """Field id → input part → what the input shows (from :func:`musforms._core.codec.encode`)."""
    identity: FormIdentity


BLANK_STAMP = Stamp(
    context=Context.model_validate({"employee": {"name": "-"}}),
    values={},
    identity=FormIdentity(template_id="-", template_version="0", fingerprint="-", role="employee", form_id="-"),
)
"""A stamp that prefills nothing: what an input's blank content is made with."""


@dataclass(frozen=True)
class Break:
    """Where a run of fixed pieces may end (a section starts)."""


@dataclass(frozen=True)
class Slot:
    """Whole paragraphs or cells whose text depends on the context (names, texts with Jinja)."""

    fill: Callable[[Stamp], str]


@dataclass(frozen=True)
class Input:
    """One input's cell content: ``blank`` when the field is not prefilled, else made by ``fill``."""

    field_id: str
    blank: str
    fill: Callable[[Stamp], str]


Piece = str | Slot | Input | Break


@dataclass
class Layout:
    """A compiled form: pieces of ``word/document.xml``'s body, and every input's anchor.

    Fixed text is joined into as few strings as possible; a stamp only calls the slots (context) and the
    inputs of prefilled fields.
    """

    template: Template
    role: Role
    pieces: list[Piece] = field(default_factory=list)
    anchors: dict[str, Anchor] = field(default_factory=dict)
    _numbers: int = 100
    _runs: list[_Run | Slot] = field(default_factory=list)
    slots: list[Slot] = field(default_factory=list)

    def deflated(self, stamp: Stamp, head: str, tail: str) -> Deflated:
        """``head``, the body and ``tail`` deflated.

        The body is kept in runs (split at slots and sections), each deflated blank when the layout was
        sealed; a stamp deflates only the slots and the runs that hold a prefilled field.
        """
        joiner = DeflateJoiner()
        joiner.add(head.encode("utf-8"))
        values = stamp.values
        for run in self._runs:
            if isinstance(run, Slot):
                joiner.add(run.fill(stamp).encode("utf-8"))
            elif run.fields.isdisjoint(values):
                joiner.add_fixed(run.raw, run.packed)
            else:
                joiner.add("".join(_fill(piece, stamp) for piece in run.pieces).encode("utf-8"))
        joiner.add(tail.encode("utf-8"))
        return joiner.result()

    def body(self, stamp: Stamp) -> str:
        """The body XML of one form."""
        return "".join(_fill(piece, stamp) for piece in self.pieces)

    def anchor(self, field_id: str, spec: InputSpec) -> Anchor:
        """A new input's anchor (each input has its own)."""
        name = anchor_name(field_id, spec.part)
        if name in self.anchors:
            raise ValueError(f"two inputs share the anchor {name!r}")
        anchor = Anchor(name, field_id, spec)
        self.anchors[name] = anchor
        return anchor

    def number(self) -> int:
        """A new bookmark number."""
        self._numbers += 1
        return self._numbers

    def seal(self) -> None:
        """Group the pieces into runs and deflate each run's blank form once (after compiling)."""
        self._runs = []
        current: list[Piece] = []

        def close() -> None:
            if current:
                raw = "".join(_fill(piece, None) for piece in current).encode("utf-8")
                fields = frozenset(p.field_id for p in current if isinstance(p, Input))
                self._runs.append(_Run(tuple(current), fields, raw, sync_deflate(raw)))
                current.clear()

        for piece in self.pieces:
            if isinstance(piece, Slot):
                close()
                self._runs.append(piece)
            elif isinstance(piece, Break):
                close()
            else:
                current.append(piece)
        close()
        self.pieces = [p for p in self.pieces if not isinstance(p, Break)]
        self.slots = [p for p in self.pieces if isinstance(p, Slot)]


@dataclass(frozen=True)
class _Run:
    pieces: tuple[Piece, ...]
    fields: frozenset[str]
    raw: bytes
    packed: bytes


def _fill(piece: Piece, stamp: Stamp | None) -> str:
    if isinstance(piece, str):
        return piece
    if isinstance(piece, Input):
        return piece.fill(stamp) if stamp is not None and piece.field_id in stamp.values else piece.blank
    if isinstance(piece, Slot):
        assert stamp is not None
        return piece.fill(stamp)
    return ""
