"""Read a completed Word form: its identity, what each input holds, and the text written outside the inputs.

The identity comes from the custom properties, else from the identity line in the text. Each input's cell is
found by its bookmark, its control's tag or alias, else at the place the layout put it
(:mod:`musforms._formats.docx.reader`); :mod:`musforms._core.reading` turns what the cells hold into answers
the same way for Word and Excel forms. Neither python-docx nor a rendered blank form is needed: the text
around the inputs is compared with what the layout's pieces print (:mod:`musforms._formats.docx.outside`).
"""

from __future__ import annotations

from lxml import etree

from musforms._core import safety
from musforms._core.identity import identity_from_properties, parse_identity_line
from musforms._core.issue_text import issue_message
from musforms._core.package import CUSTOM_PART, Package, token
from musforms._core.reading import Found, Remark
from musforms._formats.docx.layout import compile_layout
from musforms._formats.docx.ooxml import W
from musforms._formats.docx.outside import PART, Expected, body_of, expected, location, same_text, unmapped, wanted
from musforms._formats.docx.reader import Block, DocumentView, find_anchor_cells, read_inputs, read_view, text_outside
from musforms._formats.docx.stamping import LAYOUT_PROPERTY, LAYOUT_VERSION, Layout, Stamp
from musforms._model.context import Context
from musforms._model.filled import FormIdentity, Issue, Location
from musforms._model.template import Template
from musforms.errors import DamagedFileError, NotAFormError

__all__ = ["QUICK", "DocumentReader", "parse_document"]

QUICK = True
"""Whether plain cells are read in one libxml2 call each (:func:`musforms._formats.docx.reader.read_inputs`); the
tests turn it off to hold both ways of reading to the same result."""


class DocumentReader:
    """Reads one Word form's package (see :class:`musforms._formats.interface.FormReader`)."""

    def __init__(self, package: Package) -> None:
        self.package = package
        self.document = package.read(PART)

    def identity(self) -> tuple[FormIdentity, Context | None]:
        found = identity_from_properties(self.package.properties)
        if found is not None:
            return found
        identity = _identity_from_text(self.document, self.package.parser, self.package.name)
        if identity is None:
            raise NotAFormError(
                f"{self.package.name}: not a musforms form (no musforms identity: expected the custom document "
                "properties musforms.template_id, musforms.role, ... or the identity line in the text)"
            )
        return identity, None

    def read(self, template: Template, identity: FormIdentity, context: Context | None) -> Found:
        layout_version = self.package.properties.get(LAYOUT_PROPERTY)
        try:
            return parse_document(
                self.document,
                template,
                identity,
                context,
                self.package.parser,
                layout_version=layout_version if layout_version is None else token(layout_version),
            )
        except etree.XMLSyntaxError as exc:
            raise safety.xml_error(exc, PART, self.package.name) from None


def parse_document(
    document_xml: bytes,
    template: Template,
    identity: FormIdentity,
    context: Context | None,
    parser: etree.XMLParser,
    layout_version: str | None = LAYOUT_VERSION,
) -> Found:
    """What the inputs of a Word form whose identity is known hold, and the text found outside them.

    Text outside the inputs is compared with the form's printed text only when the form was made with this
    layout (``layout_version``); otherwise a warning says that it was not compared.
    """
    role = identity.role
    layout = compile_layout(template, role)
    blank = expected(template, role)
    body = body_of(document_xml, parser)
    reader = _Reader(body, layout)
    quirks: dict[etree._Element, bool] | None = {} if QUICK else None
    showing: set[etree._Element] | None = set() if QUICK else None
    cells = find_anchor_cells(body, layout.anchors, quirks, showing)
    if len(cells) < len(layout.anchors):
        reader.position_fallback(cells, blank)
    reading = read_inputs(body, layout.anchors, cells, quirks, showing)
    remarks = [
        Remark(name, "value.invalid", issue_message("value.invalid.text_in_tick_box", template.language), text)
        for name, text in reading.stray.items()
    ]
    outside: list[Issue] = []
    stamp = Stamp(context=context or _placeholder_context(), values={}, identity=identity)
    want = wanted(blank, layout, stamp)
    if layout_version != LAYOUT_VERSION or context is None:
        language = template.language
        if context is None:
            unchecked = issue_message("content.unchecked.context", language)
        elif layout_version:
            unchecked = issue_message("content.unchecked.layout", language, made=layout_version, this=LAYOUT_VERSION)
        else:
            unchecked = issue_message("content.unchecked.old_layout", language)
        outside.append(
            Issue(
                code="content.unchecked",
                message=unchecked,
                severity="warning",
                location=Location(part=CUSTOM_PART, where="identity"),
            )
        )
    elif not same_text(reading, blank, want) and text_outside(body, cells.values()) != "".join(want.raw):
        outside.extend(unmapped(blank, want, parser, reader.view(), set(cells.values()), template.language))
    values = reading.values  # holds only the layout's anchors: when as many, none is missing
    missing = set() if len(values) == len(layout.anchors) else {n for n in layout.anchors if n not in values}
    return Found(
        reading.values,
        missing,
        lambda name: reader.location(cells.get(name)),
        "input",
        PART,
        remarks=remarks,
        outside=outside,
    )


class _Reader:
    """The slower, block-by-block reading of a document, done only when needed (locations, fallbacks)."""

    def __init__(self, body: etree._Element, layout: Layout) -> None:
        self.body = body
        self.layout = layout
        self._view: DocumentView | None = None
        self._where: dict[etree._Element, Block] = {}

    def view(self) -> DocumentView:
        if self._view is None:
            self._view = read_view(self.body, self.layout.anchors)
            self._where = {block.element: block for block in self._view.blocks}
        return self._view

    def location(self, cell: etree._Element | None) -> Location | None:
        if cell is None:
            return None
        self.view()
        block = self._where.get(cell)
        return location(block, block.anchors[0] if block and block.anchors else None) if block else None

    def position_fallback(self, cells: dict[str, etree._Element], blank: Expected) -> None:
        """Claim, for each anchor not found, the unclaimed cell at the place the layout put it."""
        view = self.view()
        claimed = set(cells.values())
        for name, position in blank.positions.items():
            if name in cells:
                continue
            block = view.cells.get(position)
            if block is not None and block.element not in claimed and not block.anchors:
                cells[name] = block.element
                claimed.add(block.element)
                block.anchors.append(name)


def _placeholder_context() -> Context:
    return Context.model_validate({"employee": {"name": "?"}})


def _identity_from_text(document: bytes, parser: etree.XMLParser, name: str) -> FormIdentity | None:
    try:
        root = etree.fromstring(document, parser)
    except etree.XMLSyntaxError as exc:
        error = safety.xml_error(exc, PART, name)
        if isinstance(error, DamagedFileError):
            return None
        raise error from None
    paragraphs = root.iter(f"{{{W}}}p")  # one line each: the identity line ends where its paragraph ends
    return parse_identity_line("\n".join("".join(str(text) for text in p.itertext()) for p in paragraphs))
