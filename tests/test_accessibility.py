"""Documents everyone can read: every Word document and workbook musforms writes, held to the accessibility rules
of docs/accessibility.md, read from the files themselves with lxml.

Word: a title in the Title style, the parts as headings (outline level 1) and sub-headings (level 2), lists as
list paragraphs, the template's language in the styles and the core properties with a title, subject, author,
language, keywords and the time it was made; every content control titled; data grids with a repeated header row,
no merged cell, a caption and a description; the logo with alternative text; text contrast of at least 4.5:1
(3:1 for large text) on its own background, placeholders included; the talk form's marked gaps said in words.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from lxml import etree

import musforms
from musforms import Context

from .documents import PNG as _PNG
from .documents import company_template as _company_template

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
NS = {
    "w": W,
    "wp": "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing",
    "a": "http://schemas.openxmlformats.org/drawingml/2006/main",
    "cp": "http://schemas.openxmlformats.org/package/2006/metadata/core-properties",
    "dc": "http://purl.org/dc/elements/1.1/",
    "dcterms": "http://purl.org/dc/terms/",
}
TAGS = {"da": "da-DK", "en": "en-GB"}
DECORATIVE = "{C183D7F6-B498-43B3-948B-1728B52AA6E4}"
CONTEXT = Context.model_validate(
    {
        "employee": {"id": "E7", "name": "Ida Holm", "department": "Service"},
        "manager": {"id": "M1", "name": "Lars Holm"},
        "meeting": {"start": "2026-03-16T10:00", "place": "Mødelokale 2"},
    }
)


# -- contrast ------------------------------------------------------------------------------------


def luminance(colour: str) -> float:
    """The relative luminance of an sRGB colour ``RRGGBB`` (WCAG 2)."""

    def channel(hex_pair: str) -> float:
        c = int(hex_pair, 16) / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(colour[i : i + 2]) for i in (0, 2, 4))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(one: str, other: str) -> float:
    """The contrast ratio of two colours, from 1 to 21."""
    high, low = sorted((luminance(one), luminance(other)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def test_contrast_of_known_pairs() -> None:
    assert contrast("000000", "FFFFFF") == pytest.approx(21)
    assert contrast("808080", "FFFFFF") == pytest.approx(3.95, abs=0.01)  # the old footer line: too low
    assert contrast("767676", "FFFFFF") == pytest.approx(4.54, abs=0.01)  # the least grey that passes
    assert contrast("595959", "F2F2F2") > 4.5


@given(st.from_regex(r"[0-9A-F]{6}", fullmatch=True), st.from_regex(r"[0-9A-F]{6}", fullmatch=True))
def test_contrast_is_symmetric_and_bounded(one: str, other: str) -> None:
    assert contrast(one, other) == pytest.approx(contrast(other, one))
    assert 1 <= contrast(one, other) <= 21.0001
    assert contrast(one, one) == pytest.approx(1)


# -- the documents -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Doc:
    name: str
    data: bytes
    language: str
    kind: str
    """form, talk or letter."""
    template: musforms.Template | None = None
    role: str = ""
    company: str = ""


def company_template(folder: Path) -> musforms.Template:
    return _company_template(folder, "Acme A/S")


@cache
def _talk_forms(template_id: str) -> tuple[musforms.FilledForm, musforms.FilledForm]:
    template = musforms.load_template(template_id)
    ratings = [f.id for _s, f in template.iter_fields() if isinstance(f, musforms.RatingField)]
    employee = {ratings[0]: 1, ratings[1]: 4} if len(ratings) > 1 else {}
    manager = {ratings[0]: 4, ratings[1]: 4} if len(ratings) > 1 else {}
    manager["agreements"] = [{"action": "KNX-kursus", "owner": "employee", "deadline": "2026-06-01"}]
    forms = [
        musforms.parse(musforms.render(template, "docx", role=role, context=CONTEXT, answers=answers))
        for role, answers in (("employee", employee), ("manager", manager))
    ]
    return forms[0], forms[1]


def documents(folder: Path) -> Iterator[Doc]:
    """Every Word document: both roles of every built-in and of a company template with a logo, the talk form,
    the plan and the follow-up made from it, and the invitation letter."""
    templates = [musforms.load_template(info.id) for info in musforms.list_templates()]
    for template in [*templates, company_template(folder)]:
        for role in ("employee", "manager"):
            data = musforms.render(template, "docx", role=role, context=CONTEXT)
            company = template.company.name if template.company and template.company.name else ""
            yield Doc(f"{template.id}-{role}", data, template.language, "form", template, role, company)
    for language in ("da", "en"):
        employee, manager = _talk_forms(f"mus-scored-{language}")
        yield Doc(f"talk-{language}", musforms.render_talk(None, employee, manager), language, "talk")
        plan = musforms.render_plan(CONTEXT, employee, manager, template=f"plan-{language}")
        plan_template = musforms.load_template(f"plan-{language}")
        yield Doc(f"plan-{language}-filled", plan, language, "form", plan_template, "manager")
        followup = musforms.render_followup(CONTEXT, musforms.parse(plan), template=f"followup-{language}")
        followup_template = musforms.load_template(f"followup-{language}")
        yield Doc(f"followup-{language}-filled", followup, language, "form", followup_template, "manager")
    for language in ("da", "en"):
        letter = musforms.load_invitation(f"invitation-{language}").render(CONTEXT).docx(sender="Acme A/S")
        yield Doc(f"invitation-{language}", letter, language, "letter", company="Acme A/S")


@pytest.fixture(scope="module")
def docs(tmp_path_factory: pytest.TempPathFactory) -> list[Doc]:
    return list(documents(tmp_path_factory.mktemp("acme")))


def part(data: bytes, name: str) -> etree._Element:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return etree.fromstring(z.read(name))


def parts(data: bytes, prefix: str) -> list[etree._Element]:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return [etree.fromstring(z.read(n)) for n in z.namelist() if n.startswith(prefix) and n.endswith(".xml")]


class Styles:
    """A document's styles: what a paragraph or run inherits (colour, size, bold, outline level, list)."""

    def __init__(self, root: etree._Element) -> None:
        self.root = root
        self.by_id = {s.get(f"{{{W}}}styleId"): s for s in root.iterfind("w:style", NS)}
        self.default_paragraph = next(
            (s.get(f"{{{W}}}styleId") for s in root.iterfind("w:style[@w:type='paragraph'][@w:default='1']", NS)),
            "Normal",
        )

    def chain(self, style_id: str | None) -> Iterator[etree._Element]:
        seen: set[str] = set()
        while style_id and style_id in self.by_id and style_id not in seen:
            seen.add(style_id)
            style = self.by_id[style_id]
            yield style
            based = style.find("w:basedOn", NS)
            style_id = based.get(f"{{{W}}}val") if based is not None else None

    def value(self, style_id: str | None, path: str) -> str | None:
        for style in self.chain(style_id):
            found = style.find(path, NS)
            if found is not None:
                return found.get(f"{{{W}}}val", "1")
        return None

    def default(self, path: str) -> str | None:
        found = self.root.find(f"w:docDefaults/w:rPrDefault/w:rPr/{path}", NS)
        return found.get(f"{{{W}}}val", "1") if found is not None else None


def _val(element: etree._Element | None, path: str) -> str | None:
    if element is None:
        return None
    found = element.find(path, NS)
    return found.get(f"{{{W}}}val", "1") if found is not None else None


def paragraph_style(styles: Styles, p: etree._Element) -> str:
    return _val(p, "w:pPr/w:pStyle") or styles.default_paragraph


def outline_level(styles: Styles, p: etree._Element) -> int | None:
    level = _val(p, "w:pPr/w:outlineLvl") or styles.value(paragraph_style(styles, p), "w:pPr/w:outlineLvl")
    return int(level) if level is not None and int(level) < 9 else None


def text_of(element: etree._Element) -> str:
    return "".join(element.itertext(f"{{{W}}}t"))


def body(data: bytes) -> etree._Element:
    found = part(data, "word/document.xml").find("w:body", NS)
    assert found is not None
    return found


# -- 1. structure, language, properties -----------------------------------------------------------


def test_title_parts_and_sub_headings_are_real_headings(docs: list[Doc]) -> None:
    for doc in docs:
        styles = Styles(part(doc.data, "word/styles.xml"))
        paragraphs = [p for p in body(doc.data).iter(f"{{{W}}}p") if text_of(p).strip()]
        levels = [(outline_level(styles, p), text_of(p)) for p in paragraphs]
        parts_ = [text for level, text in levels if level == 0]
        if doc.kind != "letter":
            assert paragraph_style(styles, paragraphs[0]) == "Title", doc.name
            assert outline_level(styles, paragraphs[0]) is None
        if doc.template is not None:
            sections = doc.template.sections_for(doc.role)  # type: ignore[arg-type]
            assert len(parts_) == len(sections), doc.name
            for text, section in zip(parts_, sections, strict=True):
                number = doc.template.section_number(section)  # the manager's own preparation has none
                assert text.startswith(f"{number}. {section.title}" if number else section.title), (doc.name, text)
            info_labels = {
                f.label
                for s in sections
                for f in s.fields
                if isinstance(f, musforms.InfoField) and f.label and f.shown_to(doc.role)  # type: ignore[arg-type]
            }
            assert info_labels <= {text for level, text in levels if level == 1}, doc.name
        else:
            assert parts_, doc.name
        assert all(level in (None, 0, 1) for level, _t in levels), doc.name  # no level skipped


def test_heading_styles_look_like_headings(docs: list[Doc]) -> None:
    styles = Styles(part(docs[0].data, "word/styles.xml"))
    for style_id, level in (("Heading1", "0"), ("MFSection", "0"), ("Heading2", "1")):
        assert styles.value(style_id, "w:pPr/w:outlineLvl") == level
        assert styles.value(style_id, "w:rPr/w:b") == "1" and styles.value(style_id, "w:pPr/w:keepNext") == "1"
    assert int(styles.value("Title", "w:rPr/w:sz") or 0) >= int(styles.value("Heading1", "w:rPr/w:sz") or 0) > 22


def test_lists_are_list_paragraphs(docs: list[Doc]) -> None:
    for doc in docs:
        styles = Styles(part(doc.data, "word/styles.xml"))
        for p in body(doc.data).iter(f"{{{W}}}p"):
            text = text_of(p)
            assert not re.match(r"\s*[•\-–·]\s", text), (doc.name, text)  # no typed bullet
            if paragraph_style(styles, p) == "ListBullet":
                assert _val(p, "w:pPr/w:numPr/w:numId") or styles.value("ListBullet", "w:pPr/w:numPr/w:numId")
    bulleted = [d for d in docs if d.kind == "letter" or d.name.startswith(("talk-", "mus-scored-da-employee"))]
    for doc in bulleted:
        numbered = body(doc.data).findall(".//w:p/w:pPr/w:numPr/w:numId", NS)
        assert numbered, doc.name
        numbering = part(doc.data, "word/numbering.xml")
        num_id = numbered[0].get(f"{{{W}}}val")
        abstract = numbering.find(f"w:num[@w:numId='{num_id}']/w:abstractNumId", NS)
        assert abstract is not None
        level = numbering.find(f"w:abstractNum[@w:abstractNumId='{abstract.get(f'{{{W}}}val')}']/w:lvl", NS)
        assert _val(level, "w:numFmt") == "bullet"


def test_the_template_language_is_declared_everywhere(docs: list[Doc]) -> None:
    for doc in docs:
        tag = TAGS[doc.language]
        styles = part(doc.data, "word/styles.xml")
        lang = styles.find("w:docDefaults/w:rPrDefault/w:rPr/w:lang", NS)
        assert lang is not None and lang.get(f"{{{W}}}val") == tag, doc.name
        for element in (styles, body(doc.data), *parts(doc.data, "word/")):
            for node in element.iter(f"{{{W}}}lang", f"{{{W}}}lid", f"{{{W}}}themeFontLang"):
                assert node.get(f"{{{W}}}val") == tag, (doc.name, etree.tostring(node))
        core = part(doc.data, "docProps/core.xml")
        assert core.findtext("dc:language", namespaces=NS) == tag, doc.name


def test_core_properties_say_what_the_document_is(docs: list[Doc]) -> None:
    now = dt.datetime.now(dt.UTC)
    for doc in docs:
        core = part(doc.data, "docProps/core.xml")
        raw = etree.tostring(core).decode()
        assert "python-docx" not in raw, doc.name
        title = core.findtext("dc:title", namespaces=NS) or ""
        assert title, doc.name
        if doc.template is not None:
            assert title == doc.template.title
            assert core.findtext("dc:subject", namespaces=NS), doc.name
            assert doc.template.id in (core.findtext("cp:keywords", namespaces=NS) or ""), doc.name
        assert (core.findtext("dc:creator", namespaces=NS) or "") == doc.company, doc.name
        created = core.findtext("dcterms:created", namespaces=NS) or ""
        made = dt.datetime.fromisoformat(created.replace("Z", "+00:00"))
        assert abs(now - made) < dt.timedelta(hours=1), (doc.name, created)


# -- 2. controls and tables ---------------------------------------------------------------------


def test_every_content_control_has_a_title(docs: list[Doc]) -> None:
    for doc in docs:
        controls = body(doc.data).findall(".//w:sdt", NS)
        if doc.kind == "form":
            assert controls, doc.name
        for sdt in controls:
            alias = _val(sdt, "w:sdtPr/w:alias") or ""
            tag = _val(sdt, "w:sdtPr/w:tag") or ""
            assert alias and alias != tag and len(alias) <= 80 and "{" not in alias, (doc.name, tag, alias)


def test_control_titles_name_the_question(docs: list[Doc]) -> None:
    doc = next(d for d in docs if d.name == "mus-scored-da-manager")
    aliases = {_val(s, "w:sdtPr/w:tag"): _val(s, "w:sdtPr/w:alias") for s in body(doc.data).iter(f"{{{W}}}sdt")}
    assert aliases["mf_rate_quality__p3"] == "Opgaverne løses i god faglig kvalitet: 3 I nogen grad"
    assert aliases["mf_rate_initiative__p5"].endswith("…: 5 I meget høj grad")  # the label shortened, not the point
    assert aliases["mf_development_methods__o1"] == "Hvordan kan kompetencerne udvikles? Selvstudie"
    assert aliases["mf_agreements__r2m"] == "Aftaler – hvem gør hvad, og hvornår? Aftale 2, Hvordan"


def _grid_fields(doc: Doc) -> list[str]:
    assert doc.template is not None
    return [
        f.id
        for _s, f in doc.template.iter_fields()
        if isinstance(f, musforms.RatingField | musforms.AgreementsField)
        and f.shown_to(doc.role)  # type: ignore[arg-type]
        and f.answered_by(doc.role)  # type: ignore[arg-type]
    ]


def _table_of(root: etree._Element, field_id: str) -> etree._Element | None:
    for mark in root.iter(f"{{{W}}}bookmarkStart"):
        if (mark.get(f"{{{W}}}name") or "").startswith(f"mf_{field_id}__"):
            return next(mark.iterancestors(f"{{{W}}}tbl"))
    return None


def _check_grid(name: str, table: etree._Element) -> None:
    rows = table.findall("w:tr", NS)
    assert rows[0].find("w:trPr/w:tblHeader", NS) is not None, name
    assert all(r.find("w:trPr/w:tblHeader", NS) is None for r in rows[1:]), name
    assert not table.findall(".//w:gridSpan", NS) and not table.findall(".//w:vMerge", NS), name
    assert _val(table, "w:tblPr/w:tblCaption") and _val(table, "w:tblPr/w:tblDescription"), name
    columns = len(table.findall("w:tblGrid/w:gridCol", NS))
    assert all(len(r.findall("w:tc", NS)) == columns for r in rows), name


def test_rating_and_agreement_grids_have_a_repeated_header_and_no_merged_cell(docs: list[Doc]) -> None:
    checked = 0
    for doc in docs:
        root = body(doc.data)
        assert not root.findall(".//w:tbl//w:tbl", NS), doc.name  # layout tables are kept simple
        if doc.kind == "form":
            for field_id in _grid_fields(doc):
                table = _table_of(root, field_id)
                assert table is not None, (doc.name, field_id)
                _check_grid(f"{doc.name} {field_id}", table)
                checked += 1
        for table in root.iter(f"{{{W}}}tbl"):
            if _val(table, "w:tblPr/w:tblCaption"):
                _check_grid(doc.name, table)
    assert checked > 20


# -- 3. the logo ----------------------------------------------------------------------------------


def test_the_logo_has_alternative_text(docs: list[Doc]) -> None:
    logos = 0
    for doc in docs:
        for element in parts(doc.data, "word/"):
            for pr in element.iter(f"{{{NS['wp']}}}docPr"):
                logos += 1
                decorative = pr.find(f"a:extLst/a:ext[@uri='{DECORATIVE}']", NS) is not None
                assert pr.get("descr") or decorative, doc.name
                if doc.company:
                    assert pr.get("descr") == doc.company
    assert logos == 2


def test_a_logo_without_a_company_name_is_marked_decorative(tmp_path: Path) -> None:
    (tmp_path / "logo.png").write_bytes(_PNG)
    (tmp_path / "t.yaml").write_text("extends: mus-soft-da\nid: t\ncompany: {logo: logo.png}\n", encoding="utf-8")
    data = musforms.render(musforms.load_template(tmp_path / "t.yaml"), "docx", role="employee", context=CONTEXT)
    (pr,) = [p for e in parts(data, "word/header") for p in e.iter(f"{{{NS['wp']}}}docPr")]
    assert not pr.get("descr") and pr.find(f"a:extLst/a:ext[@uri='{DECORATIVE}']", NS) is not None
    named = CONTEXT.model_copy(update={"company": musforms.Company(name="Bryg ApS")})
    data = musforms.render(musforms.load_template(tmp_path / "t.yaml"), "docx", role="employee", context=named)
    (pr,) = [p for e in parts(data, "word/header") for p in e.iter(f"{{{NS['wp']}}}docPr")]
    assert pr.get("descr") == "Bryg ApS"


# -- 4. contrast ----------------------------------------------------------------------------------


def _runs_with_colours(styles: Styles, root: etree._Element) -> Iterator[tuple[str, str, float, bool, str]]:
    """Each run with text: (its colour, its background, its size in points, bold, its text)."""
    for p in root.iter(f"{{{W}}}p"):
        p_style = paragraph_style(styles, p)
        cell = next(p.iterancestors(f"{{{W}}}tc"), None)
        fill = None
        if cell is not None:
            shd = cell.find("w:tcPr/w:shd", NS)
            fill = shd.get(f"{{{W}}}fill") if shd is not None else None
        background = fill if fill and fill != "auto" else "FFFFFF"
        for r in p.iter(f"{{{W}}}r"):
            text = text_of(r)
            if not text.strip():
                continue
            r_style = _val(r, "w:rPr/w:rStyle")

            def prop(
                path: str, r: etree._Element = r, r_style: str | None = r_style, p_style: str = p_style
            ) -> str | None:
                return (
                    _val(r, f"w:rPr/{path}")
                    or styles.value(r_style, f"w:rPr/{path}")
                    or styles.value(p_style, f"w:rPr/{path}")
                    or styles.default(path)
                )

            colour = prop("w:color") or "000000"
            colour = "000000" if colour == "auto" else colour
            size = int(prop("w:sz") or 22) / 2
            bold = (prop("w:b") or "0") not in ("0", "false")
            yield colour, background, size, bold, text


def test_text_contrast_is_enough_everywhere_placeholders_included(docs: list[Doc]) -> None:
    placeholders = 0
    for doc in docs:
        styles = Styles(part(doc.data, "word/styles.xml"))
        roots = [body(doc.data), *parts(doc.data, "word/header"), *parts(doc.data, "word/footer")]
        for root in roots:
            for colour, background, size, bold, text in _runs_with_colours(styles, root):
                large = size >= 18 or (bold and size >= 14)
                least = 3.0 if large else 4.5
                assert contrast(colour, background) >= least, (doc.name, text, colour, background, size)
        placeholders += len(body(doc.data).findall(".//w:rStyle[@w:val='PlaceholderText']", NS))
    assert placeholders > 100


def test_the_talk_form_says_its_marks_in_words(docs: list[Doc]) -> None:
    for doc in docs:
        if doc.kind != "talk":
            continue
        word = {"da": "drøft", "en": "discuss"}[doc.language]
        flagged = [
            row
            for row in body(doc.data).iter(f"{{{W}}}tr")
            if row.find("w:tc/w:tcPr/w:shd[@w:fill='FBE3D6']", NS) is not None
        ]
        assert flagged, doc.name
        for row in flagged:
            assert f"({word})" in text_of(row.find("w:tc", NS)), doc.name
        assert word in text_of(body(doc.data)).split(flagged[0].findtext(".//w:t", namespaces=NS) or "")[0]


# -- 5. workbooks ---------------------------------------------------------------------------------

S = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
SN = {"s": S}


def workbooks(folder: Path) -> Iterator[Doc]:
    """Every workbook: both roles of every built-in and of the company template, and the talk workbook."""
    templates = [musforms.load_template(info.id) for info in musforms.list_templates()]
    for template in [*templates, company_template(folder)]:
        for role in ("employee", "manager"):
            data = musforms.render(template, "xlsx", role=role, context=CONTEXT)
            company = template.company.name if template.company and template.company.name else ""
            yield Doc(f"{template.id}-{role}-xlsx", data, template.language, "form", template, role, company)
    for language in ("da", "en"):
        employee, manager = _talk_forms(f"mus-scored-{language}")
        yield Doc(f"talk-{language}-xlsx", musforms.render_talk(None, employee, manager, "xlsx"), language, "talk")


@pytest.fixture(scope="module")
def books(tmp_path_factory: pytest.TempPathFactory) -> list[Doc]:
    return list(workbooks(tmp_path_factory.mktemp("acme-xlsx")))


def _sheets(data: bytes) -> list[tuple[str, str, etree._Element]]:
    """(name, state, sheet XML) of each sheet, in order."""
    book = part(data, "xl/workbook.xml")
    rels = part(data, "xl/_rels/workbook.xml.rels")
    targets = {r.get("Id"): r.get("Target") for r in rels}
    out = []
    for sheet in book.iterfind("s:sheets/s:sheet", SN):
        target = targets[sheet.get("{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id")]
        target = target.lstrip("/").removeprefix("xl/")
        out.append((sheet.get("name") or "", sheet.get("state") or "visible", part(data, f"xl/{target}")))
    return out


def _shared(data: bytes) -> list[str]:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        if "xl/sharedStrings.xml" not in z.namelist():
            return []
    return ["".join(si.itertext(f"{{{S}}}t")) for si in part(data, "xl/sharedStrings.xml").iterfind("s:si", SN)]


def _cell_text(cell: etree._Element, shared: list[str]) -> str:
    if cell.get("t") == "s":
        return shared[int(cell.findtext("s:v", namespaces=SN) or 0)]
    if cell.get("t") == "inlineStr":
        return "".join(cell.itertext(f"{{{S}}}t"))
    return cell.findtext("s:v", namespaces=SN) or ""


def test_workbook_properties_name_title_subject_author_and_language(books: list[Doc]) -> None:
    for doc in books:
        core = part(doc.data, "docProps/core.xml")
        assert core.findtext("dc:language", namespaces=NS) == TAGS[doc.language], doc.name
        assert core.findtext("dc:title", namespaces=NS), doc.name
        assert core.findtext("dc:subject", namespaces=NS) and core.findtext("cp:keywords", namespaces=NS)
        assert (core.findtext("dc:creator", namespaces=NS) or "") == doc.company, doc.name
        if doc.template is not None:
            assert core.findtext("dc:title", namespaces=NS) == doc.template.title


def test_the_first_cells_say_what_the_sheet_is_and_how_to_fill_it(books: list[Doc]) -> None:
    for doc in books:
        shared = _shared(doc.data)
        visible = [(name, xml) for name, state, xml in _sheets(doc.data) if state == "visible"]
        assert len(visible) == 1, doc.name
        name, sheet = visible[0]
        assert name not in ("Sheet", "Sheet1", "Ark1", "MUS"), doc.name  # a name that says what the sheet holds
        if doc.kind == "form":
            words = {"da": ("forberedelse", "Udviklingsplan", "Opfølgning"), "en": ("preparation", "plan", "Follow-up")}
            assert any(word in name for word in words[doc.language]), (doc.name, name)
        cells = {c.get("r"): _cell_text(c, shared) for c in sheet.iter(f"{{{S}}}c")}
        if doc.kind == "talk":
            assert cells["A1"].endswith(musforms.load_template(f"mus-scored-{doc.language}").title), doc.name
            continue
        assert doc.template is not None
        assert cells["A1"] == doc.template.title and cells["A2"], doc.name
        assert {"da": "gule felter", "en": "yellow cells"}[doc.language] in cells["A3"], doc.name
        names = part(doc.data, "xl/workbook.xml").findall("s:definedNames/s:definedName", SN)
        titles = [n.text for n in names if n.get("name") == "_xlnm.Print_Titles"]
        assert titles and titles[0].endswith("!$1:$2"), doc.name


def test_every_input_cell_says_what_to_enter(books: list[Doc]) -> None:
    for doc in books:
        if doc.kind != "form":
            sheet = _sheets(doc.data)[0][2]
            prompts = sheet.findall("s:dataValidations/s:dataValidation[@showInputMessage='1']", SN)
            assert prompts and all(p.get("prompt") for p in prompts), doc.name  # the talk's cells for notes
            continue
        names = part(doc.data, "xl/workbook.xml").findall("s:definedNames/s:definedName", SN)
        inputs = {(n.text or "").split("!")[1].replace("$", "") for n in names if n.get("name", "").startswith("mf_")}
        assert inputs, doc.name
        sheet = _sheets(doc.data)[0][2]
        prompted: dict[str, etree._Element] = {}
        for dv in sheet.iterfind("s:dataValidations/s:dataValidation", SN):
            for ref in (dv.get("sqref") or "").split():
                prompted[ref] = dv
        for ref in inputs:
            dv = prompted.get(ref)
            assert dv is not None and dv.get("showInputMessage") == "1", (doc.name, ref)
            prompt, title = dv.get("prompt") or "", dv.get("promptTitle") or ""
            assert prompt and len(prompt) <= 255 and title and len(title) <= 32, (doc.name, ref, title, prompt)


def _argb(colour: etree._Element | None, default: str) -> str:
    if colour is None:
        return default
    if colour.get("rgb"):
        return (colour.get("rgb") or "")[-6:]
    if colour.get("theme") is not None:
        return {"0": "FFFFFF", "1": "000000", "2": "EEECE1", "3": "1F497D"}[colour.get("theme") or "1"]
    return default


def test_workbook_text_contrast_is_enough(books: list[Doc]) -> None:
    for doc in books:
        styles = part(doc.data, "xl/styles.xml")
        fonts = styles.findall("s:fonts/s:font", SN)
        fills = styles.findall("s:fills/s:fill", SN)
        xfs = styles.findall("s:cellXfs/s:xf", SN)
        shared = _shared(doc.data)
        for name, state, sheet in _sheets(doc.data):
            if state != "visible":
                continue
            for cell in sheet.iter(f"{{{S}}}c"):
                text = _cell_text(cell, shared) or (cell.findtext("s:f", namespaces=SN) or "")
                if not text.strip():
                    continue
                xf = xfs[int(cell.get("s") or 0)]
                font = fonts[int(xf.get("fontId") or 0)]
                fill = fills[int(xf.get("fillId") or 0)].find("s:patternFill", SN)
                solid = fill is not None and fill.get("patternType") == "solid"
                background = _argb(fill.find("s:fgColor", SN), "FFFFFF") if solid and fill is not None else "FFFFFF"
                colour = _argb(font.find("s:color", SN), "000000")
                sz = font.find("s:sz", SN)
                size = float(sz.get("val") or 11) if sz is not None else 11.0
                bold = font.find("s:b", SN) is not None
                least = 3.0 if size >= 18 or (bold and size >= 14) else 4.5
                assert contrast(colour, background) >= least, (doc.name, name, cell.get("r"), colour, background)


def test_workbooks_hold_no_picture_without_alternative_text(books: list[Doc]) -> None:
    for doc in books:
        with zipfile.ZipFile(io.BytesIO(doc.data)) as z:
            drawings = [n for n in z.namelist() if n.startswith("xl/drawings/") and n.endswith(".xml")]
        for name in drawings:
            for pr in part(doc.data, name).iter("{*}cNvPr"):
                assert pr.get("descr"), (doc.name, name)


def test_header_and_footer_clear_the_tab_stops_their_style_sets(docs: list[Doc]) -> None:
    """The form's header and footer put their right-hand text at the right margin: the style's own stops are
    cleared where the style sets them (else the text lands on the style's centre stop)."""
    for doc in docs[:2]:
        styles = Styles(part(doc.data, "word/styles.xml"))
        for root in [*parts(doc.data, "word/header"), *parts(doc.data, "word/footer")]:
            for p in root.iter(f"{{{W}}}p"):
                cleared = {t.get(f"{{{W}}}pos") for t in p.findall("w:pPr/w:tabs/w:tab[@w:val='clear']", NS)}
                if not cleared:
                    continue
                style = styles.by_id[paragraph_style(styles, p)]
                own = {t.get(f"{{{W}}}pos") for t in style.findall("w:pPr/w:tabs/w:tab", NS)}
                assert cleared == own, (doc.name, cleared, own)


_LINE = st.text(alphabet=st.characters(codec="utf-8", categories=("L", "N")), min_size=1, max_size=12)


@given(st.lists(st.lists(st.tuples(st.booleans(), _LINE), min_size=1, max_size=5), min_size=1, max_size=4))
def test_a_letters_dash_lines_become_list_items_and_its_text_stays_in_order(
    blocks: list[list[tuple[bool, str]]],
) -> None:
    from musforms._formats.docx.letter import render_letter

    source = "\n\n".join("\n".join(("- " if item else "") + text for item, text in block) for block in blocks)
    root = body(render_letter("Emne", source))
    items = [text_of(p) for p in root.iter(f"{{{W}}}p") if _val(p, "w:pPr/w:pStyle") == "ListBullet"]
    assert items == [text for block in blocks for item, text in block if item]
    assert all(
        p.find("w:pPr/w:numPr/w:numId", NS) is not None
        for p in root.iter(f"{{{W}}}p")
        if _val(p, "w:pPr/w:pStyle") == "ListBullet"
    )
    shown = "".join(text_of(p) for p in root.iter(f"{{{W}}}p"))
    assert shown == "Emne" + "".join(text for block in blocks for _item, text in block)
