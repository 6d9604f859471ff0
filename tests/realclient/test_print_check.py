"""The print check: every document musforms writes, printed through LibreOffice to PDF and measured page by page.

The documents (tests/documents.py): both preparation forms of every built-in template and of a company template
with a logo, the talk form, the development plan and the follow-up made from it, as Word and as Excel, blank and
filled with long answers; and the invitation letter. Each rule below is a test over all of them that lists every
page that breaks it. The measurements (tests/pdfpages.py): text lines with their font size from the PDF, and how far
down each page's body (between header and footer) there is ink.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass

import openpyxl
import pytest
from lxml import etree

from ..documents import Document, documents
from ..pdfpages import Line, Page, read_pdf
from .conftest import require_libreoffice
from .harness import convert_many

MIN_FILL = 0.5
"""A page other than the last is at least half full: no nearly empty pages."""
MIN_LAST_FILL = 0.2
"""The last page of a document of several pages holds more than a line or two (a signature alone, say)."""
MIN_SIZE = 7.9
"""No text on paper under 8 pt (the PDF's font sizes come in thirds of a point: 8 pt reads 8.0, 7.5 pt 7.67)."""
HEADING_ROOM = 28.0
"""A heading or a question last on a page has at least 1 cm (28 pt) of its box or text below it on that page."""
TECHNICAL = re.compile(
    r"musforms|sha256|python-docx|\b[0-9a-f]{12,}\b|\b(?:mus-(?:scored|soft)|plan|followup)-(?:da|en)\b|acme-mus",
    re.I,
)
"""What a person must not find on paper: the program's name, digests, long ids, template ids."""
SCREEN_ONLY = re.compile(r"Skriv her|Write here|Vælg …|Choose …|Vælg dato|Choose a date")
"""Placeholders that mean something only on a screen."""
PAGE_NUMBER = {"da": re.compile(r"\bSide (\d+) af (\d+)\b"), "en": re.compile(r"\bPage (\d+) of (\d+)\b")}
SIGN_CAPTION = {"da": "Underskrift", "en": "Signature"}
MANAGER_MARK = {"da": ("leder", "fortrolig"), "en": ("manager", "confidential")}
NUMBERED = re.compile(r"^(\d+)\.\s+(\S.*)$")


@dataclass(frozen=True)
class Printed:
    """A document and its printed pages."""

    document: Document
    pages: list[Page]

    @property
    def name(self) -> str:
        return self.document.stem

    def where(self, page: Page, what: str) -> str:
        return f"{self.name} p{page.number}/{len(self.pages)}: {what}"


@pytest.fixture(scope="module")
def printed(tmp_path_factory: pytest.TempPathFactory) -> list[Printed]:
    require_libreoffice()
    folder = tmp_path_factory.mktemp("print-check")
    docs = list(documents(folder))
    paths = [doc.write(folder) for doc in docs]
    pdfs = {}
    for fmt in ("docx", "xlsx"):
        batch = [path for path in paths if path.suffix == f".{fmt}"]
        pdfs.update(zip(batch, convert_many(batch, "pdf", folder / "pdf"), strict=True))
    return [Printed(doc, read_pdf(pdfs[path])) for doc, path in zip(docs, paths, strict=True)]


def _report(problems: list[str]) -> str:
    return f"{len(problems)} problem(s):\n" + "\n".join(problems[:60])


def _pages(printed: list[Printed]) -> Iterator[tuple[Printed, Page]]:
    for doc in printed:
        for page in doc.pages:
            yield doc, page


def test_every_document_is_printed(printed: list[Printed]) -> None:
    names = {doc.name for doc in printed}
    assert len(names) == len(printed) > 90
    assert all(doc.pages for doc in printed)


def test_no_nearly_empty_page(printed: list[Printed]) -> None:
    problems = []
    for doc in printed:
        for page in doc.pages[:-1]:
            if page.fill < MIN_FILL:
                problems.append(doc.where(page, f"{page.fill:.0%} full"))
        last = doc.pages[-1]
        if len(doc.pages) > 1 and last.fill < MIN_LAST_FILL:
            problems.append(doc.where(last, f"the last page {last.fill:.0%} full"))
    assert not problems, _report(problems)


def _heading(line: Line) -> bool:
    """Whether a line reads as a heading or a question: bold or large words (not a lone tick box)."""
    return (line.bold or line.size >= 11.5) and any(c.isalpha() for c in line.text)


def test_no_page_ends_with_a_heading_or_a_question(printed: list[Printed]) -> None:
    problems = []
    for doc, page in _pages(printed):
        if page is doc.pages[-1] or not page.body:
            continue
        lowest = max(line.bottom for line in page.body)
        last_row = [line for line in page.body if line.bottom > lowest - 3]
        if all(_heading(line) for line in last_row) and page.ink_bottom - lowest < HEADING_ROOM:
            problems.append(doc.where(page, f"ends with {' | '.join(line.text for line in last_row)!r}"))
    assert not problems, _report(problems)


def test_no_text_under_8_points(printed: list[Printed]) -> None:
    problems = [
        doc.where(page, f"{line.size:.2f} pt: {line.text[:50]!r}")
        for doc, page in _pages(printed)
        for line in page.lines
        if line.size < MIN_SIZE
    ]
    assert not problems, _report(problems)


def _printed_lines(printed: list[Printed], pattern: re.Pattern[str]) -> list[str]:
    """Every printed line ``pattern`` finds, with where it is."""
    return [
        doc.where(page, repr(line.text))
        for doc, page in _pages(printed)
        for line in page.lines
        if pattern.search(line.text)
    ]


def test_nothing_technical_on_paper(printed: list[Printed]) -> None:
    problems = _printed_lines(printed, TECHNICAL)
    assert not problems, _report(problems)


def test_no_screen_only_placeholders_on_paper(printed: list[Printed]) -> None:
    problems = _printed_lines(printed, SCREEN_ONLY)
    assert not problems, _report(problems)


def test_every_page_is_numbered_n_of_m(printed: list[Printed]) -> None:
    problems = []
    for doc, page in _pages(printed):
        if doc.document.kind == "letter":
            continue
        numbers = [m.groups() for m in PAGE_NUMBER[doc.document.language].finditer(page.text)]
        if numbers != [(str(page.number), str(len(doc.pages)))]:
            problems.append(doc.where(page, f"page numbers printed: {numbers}"))
    assert not problems, _report(problems)


def test_the_signatures_are_on_one_page(printed: list[Printed]) -> None:
    problems, signed = [], 0
    for doc in printed:
        caption = SIGN_CAPTION[doc.document.language]
        where = sorted({page.number for page in doc.pages for line in page.body if line.text == caption})
        signed += bool(where)
        if len(where) > 1:
            problems.append(f"{doc.name}: the signatures on pages {where}")
    assert signed > 40
    assert not problems, _report(problems)


def _manager_preparation(doc: Printed) -> bool:
    """The manager's preparation form (not the plan or follow-up, which the manager's copy also is)."""
    document = doc.document
    return document.role == "manager" and document.kind == "form" and not doc.name.startswith(("plan-", "followup-"))


def test_the_managers_copy_is_marked_on_every_page(printed: list[Printed]) -> None:
    problems, checked = [], 0
    for doc in filter(_manager_preparation, printed):
        words = MANAGER_MARK[doc.document.language]
        for page in doc.pages:
            checked += 1
            margins = " ".join(line.text for line in page.margins).lower()
            if not all(word in margins for word in words):
                problems.append(doc.where(page, f"header and footer say {margins!r}"))
    assert checked > 50
    assert not problems, _report(problems)


def _numbered_headings(doc: Printed) -> dict[str, str]:
    found = {}
    for _doc, page in _pages([doc]):
        for line in page.body:
            match = NUMBERED.match(line.text)
            if match and line.size >= 11.5:
                found[match.group(2)] = match.group(1)
    return found


def test_both_roles_number_the_parts_alike(printed: list[Printed]) -> None:
    by_name = {doc.name: doc for doc in printed}
    problems, compared = [], 0
    for doc in filter(_manager_preparation, printed):
        employee = _numbered_headings(by_name[doc.name.replace("-manager-", "-employee-")])
        manager = _numbered_headings(doc)
        shared = set(employee) & set(manager)
        compared += len(shared)
        problems += [
            f"{doc.name}: {title!r} is part {manager[title]}, the employee's part {employee[title]}"
            for title in sorted(shared)
            if manager[title] != employee[title]
        ]
    assert compared > 50
    assert not problems, _report(problems)


def test_the_properties_name_the_document_and_the_company(printed: list[Printed]) -> None:
    namespaces = {
        "dc": "http://purl.org/dc/elements/1.1/",
        "dcterms": "http://purl.org/dc/terms/",
        "cp": "http://schemas.openxmlformats.org/package/2006/metadata/core-properties",
    }
    problems = []
    for doc in printed:
        with zipfile.ZipFile(io.BytesIO(doc.document.data)) as z:
            core = etree.fromstring(z.read("docProps/core.xml"))
        title = core.findtext("dc:title", namespaces=namespaces) or ""
        creator = core.findtext("dc:creator", namespaces=namespaces) or ""
        created = core.findtext("dcterms:created", namespaces=namespaces) or ""
        text = etree.tostring(core, encoding="unicode")
        if not title.strip():
            problems.append(f"{doc.name}: no title")
        if "Acme" not in creator:
            problems.append(f"{doc.name}: the author is {creator!r}, not the company")
        if not created or abs(dt.datetime.fromisoformat(created) - dt.datetime.now(dt.UTC)) > dt.timedelta(days=1):
            problems.append(f"{doc.name}: created {created!r}")
        if "python-docx" in text or "openpyxl" in text:
            problems.append(f"{doc.name}: the properties name the library that wrote them")
    assert not problems, _report(problems)


def test_every_workbook_prints_one_page_wide(printed: list[Printed]) -> None:
    problems, sheets = [], 0
    for doc in printed:
        if doc.document.format != "xlsx":
            continue
        book = openpyxl.load_workbook(io.BytesIO(doc.document.data))
        for sheet in book.worksheets:
            if sheet.sheet_state != "visible":
                continue  # the lists behind the drop-downs are not printed
            sheets += 1
            fits = sheet.sheet_properties.pageSetUpPr is not None and sheet.sheet_properties.pageSetUpPr.fitToPage
            wide, tall = sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight
            if not fits or (wide, tall) != (1, 0):
                problems.append(f"{doc.name} sheet {sheet.title!r}: fit to page {fits}, {wide} wide, {tall} tall")
    assert sheets >= 48
    assert not problems, _report(problems)
