"""Excel forms: the workbook's look and protection, names and identity, prefills, bad values, fallbacks,
unmapped content and files that are not forms."""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from collections.abc import Callable
from typing import Any

import openpyxl
import pytest
from lxml import etree

import musforms
from musforms._formats.parse import parse
from musforms._formats.render import encode_answers, render
from musforms._formats.xlsx.build import build_workbook, workbook_bytes
from musforms._formats.xlsx.layout import compile_layout
from musforms._formats.xlsx.names import defined_name, is_valid_name
from musforms._formats.xlsx.sheets import Stamp
from musforms._formats.xlsx.skeleton import compiled
from musforms._model.context import SAMPLE_CONTEXT
from musforms._model.fields import (
    AgreementsField,
    CheckField,
    ChoiceField,
    DateField,
    RatingField,
    SignatureField,
    TextField,
)
from musforms._model.filled import FilledForm, Issue
from musforms._model.values import AGREEMENT_METHODS, AGREEMENT_STATUSES, NOT_RELEVANT, AgreementRow, Signature
from musforms.errors import FingerprintMismatchError, NotAFormError, RenderError

from .conftest import MINIMAL

BUILTINS = ["mus-scored-da", "mus-scored-en", "mus-soft-da", "mus-soft-en"]
ROLES = ["employee", "manager"]
MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
FORM_PART = "xl/worksheets/sheet1.xml"
NS = {"m": MAIN}


@pytest.fixture(scope="module")
def scored() -> musforms.Template:
    return musforms.load_template("mus-scored-da")


@pytest.fixture(scope="module")
def minimal() -> musforms.Template:
    return musforms.load_template_text(MINIMAL)


def _render(template: musforms.Template, role: str = "employee", answers: dict[str, Any] | None = None) -> bytes:
    return render(template, "xlsx", role=role, context=SAMPLE_CONTEXT, answers=answers, form_id="f0001")  # type: ignore[arg-type]


def _answers(form: FilledForm) -> dict[str, Any]:
    return {k: v for k, v in form.answers.items() if v not in (None, False)}


def _codes(form: FilledForm) -> list[str]:
    return [i.code for i in form.issues]


# -- editing a workbook like a person or another program would ------------------------------------------


def _parts(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def _pack(parts: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in parts.items():
            archive.writestr(name, content)
    return out.getvalue()


def _edit(data: bytes, part: str, change: Callable[[str], str]) -> bytes:
    parts = _parts(data)
    parts[part] = change(parts[part].decode("utf-8")).encode("utf-8")
    return _pack(parts)


def _drop(data: bytes, part: str) -> bytes:
    parts = _parts(data)
    del parts[part]
    return _pack(parts)


def set_cell(data: bytes, ref: str, value: str | float | bool | None, *, part: str = FORM_PART) -> bytes:
    """``data`` with cell ``ref`` holding ``value`` (text inline, numbers, booleans; None empties it)."""
    parts = _parts(data)
    root = etree.fromstring(parts[part])
    sheet_data = root.find("m:sheetData", NS)
    assert sheet_data is not None
    number = int(re.sub(r"[A-Z]+", "", ref))
    row = next((r for r in sheet_data.findall("m:row", NS) if int(r.get("r", "0")) == number), None)
    if row is None:
        row = etree.SubElement(sheet_data, f"{{{MAIN}}}row", r=str(number))
        rows = sorted(sheet_data.findall("m:row", NS), key=lambda r: int(r.get("r", "0")))
        sheet_data[:] = rows
    cell = next((c for c in row.findall("m:c", NS) if c.get("r") == ref), None)
    if cell is None:
        cell = etree.SubElement(row, f"{{{MAIN}}}c", r=ref)
        cells = sorted(row.findall("m:c", NS), key=lambda c: (len(c.get("r", "")), c.get("r", "")))
        row[:] = cells
    style = cell.get("s")
    cell.attrib.clear()
    cell.set("r", ref)
    if style:
        cell.set("s", style)
    for child in list(cell):
        cell.remove(child)
    if isinstance(value, bool):
        cell.set("t", "b")
        etree.SubElement(cell, f"{{{MAIN}}}v").text = "1" if value else "0"
    elif isinstance(value, int | float):
        etree.SubElement(cell, f"{{{MAIN}}}v").text = repr(value)
    elif isinstance(value, str):
        cell.set("t", "inlineStr")
        inline = etree.SubElement(cell, f"{{{MAIN}}}is")
        etree.SubElement(inline, f"{{{MAIN}}}t").text = value
    parts[part] = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
    return _pack(parts)


def ref_of(template: musforms.Template, name: str, role: str = "employee") -> str:
    return compile_layout(template, role).anchors[name].ref  # type: ignore[arg-type]


def to_shared_strings(data: bytes) -> bytes:
    """The workbook as Excel and Calc save it: every text cell of the form sheet in a shared strings table."""
    parts = _parts(data)
    root = etree.fromstring(parts[FORM_PART])
    strings: list[str] = []
    for cell in root.iter(f"{{{MAIN}}}c"):
        if cell.get("t") == "inlineStr":
            text = "".join(cell.find("m:is", NS).itertext())  # type: ignore[union-attr]
            for child in list(cell):
                cell.remove(child)
            cell.set("t", "s")
            etree.SubElement(cell, f"{{{MAIN}}}v").text = str(len(strings))
            strings.append(text)
    parts[FORM_PART] = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
    sst = etree.Element(f"{{{MAIN}}}sst", nsmap={None: MAIN})
    for text in strings:
        item = etree.SubElement(sst, f"{{{MAIN}}}si")
        t = etree.SubElement(item, f"{{{MAIN}}}t")
        t.text = text
        t.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
    parts["xl/sharedStrings.xml"] = etree.tostring(sst, xml_declaration=True, encoding="UTF-8")
    types = parts["[Content_Types].xml"].decode()
    parts["[Content_Types].xml"] = types.replace(
        "</Types>",
        '<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.'
        'spreadsheetml.sharedStrings+xml"/></Types>',
    ).encode()
    rels = parts["xl/_rels/workbook.xml.rels"].decode()
    parts["xl/_rels/workbook.xml.rels"] = rels.replace(
        "</Relationships>",
        '<Relationship Id="rIdSst" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
        'sharedStrings" Target="sharedStrings.xml"/></Relationships>',
    ).encode()
    return _pack(parts)


# -- sample answers ------------------------------------------------------------------------------------------


def sample_answers(template: musforms.Template, role: str) -> dict[str, Any]:
    """A varied, valid answer for every field ``role`` answers (texts with æøå, XML characters, emoji and
    line breaks; every point, "not relevant", options, agreements with every column, signatures)."""
    texts = [
        "Overblik & ro <altid> – \"især\" når 'det' brænder 😀",
        "Første linje\nAnden linje med æøå ÆØÅ\n\nEfter en tom linje 👍🏽",
        "007",
        "=1+1",
        "_x0041_ er ikke et A",
    ]
    answers: dict[str, Any] = {}
    for n, field in enumerate(template.answer_fields(role), start=1):  # type: ignore[arg-type]
        if isinstance(field, TextField):
            text = texts[n % len(texts)]
            answers[field.id] = text if field.multiline else " ".join(text.split())
        elif isinstance(field, RatingField):
            points = list(template.scale_of(field).values)
            answers[field.id] = NOT_RELEVANT if field.not_relevant and n % 3 == 0 else points[n % len(points)]
        elif isinstance(field, ChoiceField):
            ids = [o.id for o in field.options]
            answers[field.id] = ids[::2] if field.multiple else ids[n % len(ids)]
        elif isinstance(field, CheckField):
            answers[field.id] = True
        elif isinstance(field, DateField):
            answers[field.id] = dt.date(2026, 1 + n % 12, 1 + n % 28)
        elif isinstance(field, AgreementsField):
            rows = []
            for number in range(min(3, field.rows)):
                row: dict[str, Any] = {"action": f"Aftale {number + 1}: KNX & <varme>"}
                if "owner" in field.columns:
                    row["owner"] = ("employee", "manager")[number % 2]
                if "deadline" in field.columns:
                    row["deadline"] = dt.date(2026, 4 + number, 2 + number)
                if "method" in field.columns:
                    row["method"] = AGREEMENT_METHODS[number]
                if "status" in field.columns:
                    row["status"] = AGREEMENT_STATUSES[number]
                if "comment" in field.columns:
                    row["comment"] = "Godt i gang\nmangler tid"
                rows.append(row)
            answers[field.id] = rows
        elif isinstance(field, SignatureField):
            answers[field.id] = {"name": "Mette Sørensen", "date": dt.date(2026, 3, 16)}
    return answers


def expected(template: musforms.Template, role: str, answers: dict[str, Any]) -> dict[str, Any]:
    """What parsing gives for ``answers``: the answers model's values (texts stripped)."""
    model = template.answers_model(role)  # type: ignore[arg-type]
    return {k: v for k, v in model.model_validate(answers) if k in answers}


# -- what the workbook looks like -------------------------------------------------------------------------


@pytest.mark.parametrize("template_id", BUILTINS)
@pytest.mark.parametrize("role", ROLES)
def test_blank_form_parses_to_empty_answers_without_issues(template_id: str, role: str) -> None:
    template = musforms.load_template(template_id)
    form = parse(_render(template, role))
    assert form.format == "xlsx"
    assert form.issues == ()
    assert (form.template_id, form.role, form.subject_id, form.form_id) == (template_id, role, "E-0001", "f0001")
    assert set(form.answers) == {f.id for f in template.answer_fields(role)}  # type: ignore[arg-type]
    assert _answers(form) == {}


def test_blank_minimal_form_only_asks_for_its_required_field(minimal: musforms.Template) -> None:
    form = parse(_render(minimal), templates=[minimal])
    assert [(i.code, i.field_id, i.severity) for i in form.issues] == [("field.required", "strengths", "warning")]
    assert form.issues[0].location is not None and form.issues[0].location.anchor == "mf_strengths"


def test_workbook_opens_in_openpyxl_with_the_look_of_a_form(scored: musforms.Template) -> None:
    wb = openpyxl.load_workbook(io.BytesIO(_render(scored)))
    assert wb.sheetnames == ["Medarbejderens forberedelse", "_lists", "_meta"]
    ws = wb.worksheets[0]
    assert ws["A1"].value == scored.title and ws["A1"].font.b
    assert ws["A2"].value == "Medarbejderens forberedelse"
    assert [ws[f"A{r}"].value for r in range(4, 8)] == ["Medarbejder", "Leder", "Tidspunkt", "Sted"]
    assert ws["B4"].value == "Mette Sørensen (Elektriker, Service)" and ws["B5"].value == "Lars Holm (Afdelingsleder)"
    assert ws["B6"].value == "16. marts 2026, 10:00–11:00" and ws["B7"].value == "Mødelokale 2"
    values = [c.value for row in ws.iter_rows() for c in row if isinstance(c.value, str)]
    assert "1. Indledning" in values and "ca. 5 min." in values
    assert any(
        "Her er forberedelsen til medarbejderudviklingssamtalen (MUS) mellem Mette Sørensen" in v for v in values
    )
    bands = [c for row in ws.iter_rows() for c in row if isinstance(c.value, str) and c.value.startswith("2. ")]
    assert bands and bands[0].fill.fgColor.rgb.endswith("1F3A5F")
    # printable: A4 portrait, one page wide, print area, repeated title rows, frozen below the title
    assert ws.page_setup.paperSize == 9 and ws.page_setup.orientation == "portrait"  # 9: A4
    assert (
        ws.page_setup.fitToWidth == 1 and ws.page_setup.fitToHeight == 0 and ws.sheet_properties.pageSetUpPr.fitToPage
    )
    assert ws.print_area == f"'Medarbejderens forberedelse'!$A$1:$F${compile_layout(scored, 'employee').last_row}"
    assert ws.print_title_rows == "$1:$2"
    assert ws.freeze_panes == "A3"
    assert "Eksempel El A/S" in ws.oddHeader.left.text and "Skema-id f0001" in ws.oddFooter.right.text


def test_english_template_is_english_throughout() -> None:
    english = musforms.load_template("mus-scored-en")
    wb = openpyxl.load_workbook(io.BytesIO(_render(english)))
    ws = wb.worksheets[0]
    texts = " ".join(str(c.value) for row in ws.iter_rows() for c in row if c.value is not None)
    assert ws["A2"].value == "Employee's preparation"
    assert "16 March 2026" in texts and "about 5 min" in texts and "Answer" in texts
    for danish in ("Medarbejder", "Ikke relevant", "Svar", "ca. ", "Skriv"):
        assert danish not in texts, danish
    lists = " ".join(str(c.value) for row in wb["_lists"].iter_rows() for c in row if c.value is not None)
    assert "Not relevant" in lists and "Employee" in lists and "Ikke" not in lists
    errors = {dv.error for dv in ws.data_validations.dataValidation}
    assert errors and all("Vælg" not in e and "Skriv" not in e for e in errors)


@pytest.mark.parametrize("template_id", BUILTINS)
def test_employee_workbook_holds_no_manager_only_content(template_id: str) -> None:
    template = musforms.load_template(template_id)
    parts = _parts(_render(template, "employee"))
    text = "".join(part.decode("utf-8") for name, part in parts.items() if name.endswith(".xml"))
    text = re.sub(r"&#(\d+);", lambda m: chr(int(m.group(1))), text)
    manager_only = [f for _s, f in template.iter_fields() if not f.shown_to("employee")]
    assert manager_only
    for field in manager_only:
        assert f"mf_{field.id}" not in text
        label = getattr(field, "label", None)
        if label:
            assert label.replace("&", "&amp;") not in text, field.id
    for section in template.sections:
        if not section.shown_to("employee"):
            assert section.title not in text
    manager = _parts(_render(template, "manager"))["xl/workbook.xml"].decode()
    assert all(f"mf_{f.id}" in manager for f in manager_only if f.answered_by("manager"))


def test_items_rated_only_by_the_manager_are_not_in_the_employee_workbook(minimal: musforms.Template) -> None:
    employee = compile_layout(minimal, "employee")
    manager = compile_layout(minimal, "manager")
    assert "mf_mgr_only_rating" not in employee.anchors and "mf_mgr_only_rating" in manager.anchors
    assert "mf_info_give" not in employee.anchors


# -- names and identity -----------------------------------------------------------------------------------


@pytest.mark.parametrize("template_id", BUILTINS)
@pytest.mark.parametrize("role", ROLES)
def test_every_answer_cell_has_a_workbook_level_defined_name(template_id: str, role: str) -> None:
    template = musforms.load_template(template_id)
    layout = compile_layout(template, role)  # type: ignore[arg-type]
    wb = openpyxl.load_workbook(io.BytesIO(_render(template, role)))
    names = {n: d.attr_text for n, d in wb.defined_names.items()}
    assert set(names) == set(layout.anchors)
    answered = {f.id for f in template.answer_fields(role)}  # type: ignore[arg-type]
    assert {x.field_id for x in layout.anchors.values()} == answered
    for name, x in layout.anchors.items():
        assert is_valid_name(name) and name.startswith("mf_") and len(name) <= 40
        assert name == defined_name(x.field_id, x.spec.part)
        column, row = re.match(r"([A-Z]+)(\d+)", x.ref).groups()  # type: ignore[union-attr]
        assert names[name] == f"'{layout.form.name}'!${column}${row}"
    assert len({x.ref for x in layout.anchors.values()}) == len(layout.anchors)
    assert wb.sheetnames[0] == layout.form.name


@pytest.mark.parametrize(
    ("template_id", "role", "sheet"),
    [
        ("mus-scored-da", "employee", "Medarbejderens forberedelse"),
        ("mus-soft-da", "manager", "Lederens forberedelse"),
        ("mus-scored-en", "employee", "Employee preparation"),
        ("mus-soft-en", "manager", "Manager preparation"),
        ("plan-da", "manager", "Udviklingsplan"),
        ("followup-en", "manager", "Follow-up"),
    ],
)
def test_the_form_sheet_is_named_for_what_it_holds(template_id: str, role: str, sheet: str) -> None:
    template = musforms.load_template(template_id)
    assert openpyxl.load_workbook(io.BytesIO(_render(template, role))).sheetnames == [sheet, "_lists", "_meta"]


def test_a_workbook_whose_form_sheet_is_still_called_mus_is_read(scored: musforms.Template) -> None:
    """Workbooks made before the form sheet was named for what it holds called it MUS; they still parse."""
    answers = {"rate_quality": 4, "strengths": "Grundig"}
    data = _render(scored, "employee", answers)
    old = _edit(data, "xl/workbook.xml", lambda x: x.replace("Medarbejderens forberedelse", "MUS"))
    assert b"MUS" in _parts(old)["xl/workbook.xml"]
    form = parse(old)
    assert form.answers["rate_quality"] == 4 and form.answers["strengths"] == "Grundig" and form.issues == ()


def test_defined_names_are_stable_and_never_read_as_cell_references() -> None:
    assert defined_name("rate_quality") == "mf_rate_quality"
    assert defined_name("agreements", "r3o") == "mf_agreements__r3o"
    long = defined_name("a" * 48, "r12a")
    assert len(long) == 40 and long.endswith("__r12a") and long == defined_name("a" * 48, "r12a")
    assert defined_name("a" * 48, "r12a") != defined_name("a" * 47 + "b", "r12a")
    for bad in ("AB12", "R1C1", "r", "C", "1abc", "with space", "A1", "XFD1048576", ""):
        assert not is_valid_name(bad), bad
    for good in ("mf_x", "_private", "mf_ab12", "abc"):
        assert is_valid_name(good), good


def test_identity_in_string_custom_properties_and_a_hidden_meta_sheet(scored: musforms.Template) -> None:
    data = _render(scored)
    custom = _parts(data)["docProps/custom.xml"].decode()
    for key in ("format", "template_id", "template_version", "fingerprint", "role", "subject_id", "form_id", "context"):
        assert f'name="musforms.{key}"' in custom
    assert "<vt:lpwstr>" in custom and "vt:i4" not in custom and "vt:r8" not in custom
    wb = openpyxl.load_workbook(io.BytesIO(data))
    assert wb["_meta"].sheet_state == "hidden" and wb["_lists"].sheet_state == "hidden"
    meta = {row[0].value: row[1].value for row in wb["_meta"].iter_rows()}
    assert meta["musforms.template_id"] == "mus-scored-da" and meta["musforms.form_id"] == "f0001"
    assert meta["musforms.fingerprint"] == scored.fingerprint and meta["musforms.role"] == "employee"
    props = {p.name: p.value for p in wb.custom_doc_props.props}
    # The template the form carries is in the custom properties only (Calc keeps them).
    identity = {k: v for k, v in props.items() if k != "musforms.template" and not k.startswith("musforms.template.")}
    assert {k: v for k, v in meta.items() if k != "musforms._model.context"} == {
        k: v for k, v in identity.items() if k != "musforms._model.context"
    }
    assert props["musforms.template"].startswith("v1:")
    workbook_xml = _parts(data)["xl/workbook.xml"].decode()
    assert "veryHidden" not in workbook_xml


# -- protection and drop-downs -------------------------------------------------------------------------------


@pytest.mark.parametrize("template_id", ["mus-scored-da", "mus-soft-en"])
def test_only_answer_cells_are_unlocked_and_the_sheet_is_protected(template_id: str) -> None:
    template = musforms.load_template(template_id)
    layout = compile_layout(template, "employee")
    wb = openpyxl.load_workbook(io.BytesIO(_render(template)))
    ws = wb.worksheets[0]
    assert ws.protection.sheet and not ws.protection.password
    assert wb["_lists"].protection.sheet and wb["_meta"].protection.sheet
    inputs = {x.ref for x in layout.anchors.values()}
    for merged in ws.merged_cells.ranges:  # a merged answer cell: each cell of the range is styled alike
        if merged.start_cell.coordinate in inputs:
            inputs |= {cell.coordinate for row in ws[merged.coord] for cell in row}
    for row in ws.iter_rows(min_row=1, max_row=layout.last_row, max_col=6):
        for cell in row:
            if cell.coordinate in inputs:
                assert cell.protection.locked is False, cell.coordinate
            elif cell.has_style:
                assert cell.protection.locked is not False, cell.coordinate
    text_cell = ws[layout.anchors["mf_strengths"].ref]
    assert text_cell.number_format == "@" and text_cell.alignment.wrap_text
    assert ws[layout.anchors["mf_followup_date"].ref].number_format == "DD-MM-YYYY"


def test_a_password_can_be_given(scored: musforms.Template) -> None:
    from musforms._core.identity import identity_properties
    from musforms._formats.xlsx.render import render_xlsx

    template = scored
    identity = musforms.FormIdentity(
        template_id=template.id,
        template_version=template.version,
        fingerprint=template.fingerprint,
        role="employee",
        form_id="f0002",
    )
    properties = identity_properties(identity, SAMPLE_CONTEXT)
    data = render_xlsx(template, "employee", SAMPLE_CONTEXT, {}, identity, properties, password="hemmelig")
    assert openpyxl.load_workbook(io.BytesIO(data)).worksheets[0].protection.password
    assert parse(data).form_id == "f0002"


def test_drop_downs_take_their_items_from_the_hidden_lists_sheet(scored: musforms.Template) -> None:
    layout = compile_layout(scored, "employee")
    wb = openpyxl.load_workbook(io.BytesIO(_render(scored)))
    ws, lists = wb.worksheets[0], wb["_lists"]

    def items(formula: str) -> list[Any]:
        match = re.fullmatch(r"'_lists'!\$([A-Z]+)\$(\d+):\$([A-Z]+)\$(\d+)", formula)
        assert match, formula
        return [c.value for row in lists[f"{match[1]}{match[2]}:{match[3]}{match[4]}"] for c in row]

    by_cell = {}
    for dv in ws.data_validations.dataValidation:
        assert dv.showErrorMessage and dv.errorStyle == "stop" and dv.allow_blank
        assert not dv.showDropDown  # (openpyxl's name for *hiding* the arrow)
        for ref in str(dv.sqref).split():
            by_cell[ref] = dv
    assert by_cell[layout.anchors["mf_rate_quality"].ref].type == "list"
    assert items(by_cell[layout.anchors["mf_rate_quality"].ref].formula1) == [1, 2, 3, 4, 5]
    assert items(by_cell[layout.anchors["mf_rate_safety"].ref].formula1) == [1, 2, 3, 4, 5, "Ikke relevant"]
    assert items(by_cell[layout.anchors["mf_agreements__r1o"].ref].formula1) == ["Medarbejder", "Leder"]
    methods = items(by_cell[layout.anchors["mf_agreements__r8m"].ref].formula1)
    assert methods[0] == "Kursus" and len(methods) == len(AGREEMENT_METHODS)
    assert by_cell[layout.anchors["mf_development_methods__o1"].ref].formula1 == '"X"'
    date = by_cell[layout.anchors["mf_followup_date"].ref]
    assert date.type == "date" and date.operator == "between"
    assert all(x.ref in by_cell for x in layout.anchors.values() if x.spec.kind != "text" and x.spec.kind != "line")
    # the point labels are visible: a legend row, and the chosen point's label beside each item
    quality = layout.anchors["mf_rate_quality"].ref
    row = int(quality[1:])
    legend = [ws.cell(r, 3).value for r in range(row - 3, row)]
    assert any(isinstance(v, str) and "1 = I meget lav grad" in v and "5 = I meget høj grad" in v for v in legend)
    assert ws.cell(row, 3).value == f"=IFERROR(VLOOKUP({quality},'_lists'!$C$1:$D$5,2,0),\"\")"


def test_single_choice_is_a_drop_down_of_option_labels(minimal: musforms.Template) -> None:
    layout = compile_layout(minimal, "employee")
    wb = openpyxl.load_workbook(io.BytesIO(_render(minimal)))
    mood = layout.anchors["mf_mood"]
    dv = next(dv for dv in wb.worksheets[0].data_validations.dataValidation if mood.ref in str(dv.sqref).split())
    match = re.fullmatch(r"'_lists'!\$([A-Z]+)\$1:\$[A-Z]+\$(\d+)", dv.formula1)
    assert match
    assert [wb["_lists"][f"{match[1]}{r}"].value for r in (1, 2)] == ["Godt", "Skidt"]
    assert {x.name for x in layout.by_field["methods"]} == {"mf_methods__o1", "mf_methods__o2"}


# -- prefilled answers -----------------------------------------------------------------------------------------


@pytest.mark.parametrize("template_id", BUILTINS)
@pytest.mark.parametrize("role", ROLES)
def test_prefilled_answers_parse_back_exactly(template_id: str, role: str) -> None:
    template = musforms.load_template(template_id)
    answers = sample_answers(template, role)
    form = parse(_render(template, role, answers))
    assert form.issues == ()
    assert form.answers == expected(template, role, answers) | {
        k: v for k, v in form.answers.items() if k not in answers
    }


def test_every_field_kind_parses_back_from_the_minimal_template(minimal: musforms.Template) -> None:
    answers = sample_answers(minimal, "employee")
    assert {"mood", "read_guide", "last_talk", "methods", "agreements", "sign_employee", "quality"} <= set(answers)
    form = parse(_render(minimal, "employee", answers), templates=[minimal])
    assert form.issues == ()
    assert _answers(form) == expected(minimal, "employee", answers)


def test_prefilled_values_in_their_cells(scored: musforms.Template) -> None:
    answers = {
        "rate_quality": 4,
        "rate_customer_service": "not_relevant",
        "strengths": "Grundig & hurtig\nlinje 2",
        "development_methods": ["course", "mentoring"],
        "agreements": [{"action": "KNX", "owner": "employee", "deadline": "2026-06-01", "method": "course"}],
        "followup_date": "2026-09-16",
        "sign_employee": {"name": "Mette Sørensen", "date": "2026-03-16"},
    }
    layout = compile_layout(scored, "employee")
    ws = openpyxl.load_workbook(io.BytesIO(_render(scored, "employee", answers))).worksheets[0]

    def at(name: str) -> Any:
        return ws[layout.anchors[name].ref].value

    assert at("mf_rate_quality") == 4 and at("mf_rate_customer_service") == "Ikke relevant"
    assert at("mf_strengths") == "Grundig & hurtig\nlinje 2"
    assert [at(f"mf_development_methods__o{i}") for i in range(1, 6)] == [None, None, None, "X", "X"]
    assert at("mf_agreements__r1o") == "Medarbejder" and at("mf_agreements__r1m") == "Kursus"
    assert at("mf_agreements__r1d") == dt.datetime(2026, 6, 1) and at("mf_followup_date") == dt.datetime(2026, 9, 16)
    assert at("mf_sign_employee__name") == "Mette Sørensen"
    quality = layout.anchors["mf_rate_quality"].ref
    row = int(quality[1:])
    xml = _parts(_render(scored, "employee", answers))[FORM_PART].decode()
    assert f'<c r="C{row}" s=' in xml and ">I høj grad</v>" in xml  # the label beside, as last calculated


def test_a_long_prefilled_text_gets_a_taller_row(scored: musforms.Template) -> None:
    layout = compile_layout(scored, "employee")
    row = int(layout.anchors["mf_strengths"].ref[1:])
    short = openpyxl.load_workbook(io.BytesIO(_render(scored))).worksheets[0].row_dimensions[row].height
    long_text = "\n".join(["En lang linje med mange ord om arbejdet i afdelingen og kunderne."] * 12)
    long = openpyxl.load_workbook(io.BytesIO(_render(scored, answers={"strengths": long_text}))).worksheets[0]
    assert long.row_dimensions[row].height > short * 2


@pytest.mark.parametrize(
    ("answers", "message"),
    [
        ({"rate_quality": 9}, "the answer to 'rate_quality' must be a point of scale degree5 (1–5), found 9"),
        ({"prep_info_to_give": "x"}, "is not answered in the employee's form"),
        ({"agreements": [{"action": "x"}] * 20}, "the form has 8"),
    ],
)
def test_prefill_that_does_not_fit_is_refused(scored: musforms.Template, answers: dict[str, Any], message: str) -> None:
    with pytest.raises(RenderError, match=re.escape(message)):
        _render(scored, "employee", answers)


def test_text_longer_than_an_excel_cell_is_refused(scored: musforms.Template) -> None:
    with pytest.raises(RenderError, match="an Excel cell holds 32,767"):
        _render(scored, "employee", {"strengths": "x" * 32768})
    assert parse(_render(scored, "employee", {"strengths": "x" * 32767})).answers["strengths"] == "x" * 32767


def test_dates_before_1900_march_are_written_as_text(scored: musforms.Template) -> None:
    data = _render(scored, "employee", {"followup_date": "1899-01-02", "sign_employee": {"date": "1900-03-01"}})
    ws = openpyxl.load_workbook(io.BytesIO(data)).worksheets[0]
    layout = compile_layout(scored, "employee")
    assert ws[layout.anchors["mf_followup_date"].ref].value == "02-01-1899"
    assert ws[layout.anchors["mf_sign_employee__date"].ref].value == dt.datetime(1900, 3, 1)
    form = parse(data)
    assert form.answers["followup_date"] == dt.date(1899, 1, 2) and form.issues == ()
    assert form.answers["sign_employee"] == Signature(date=dt.date(1900, 3, 1))


# -- compile once, stamp many ---------------------------------------------------------------------------------


def test_compile_once_then_stamp_without_openpyxl(scored: musforms.Template, monkeypatch: pytest.MonkeyPatch) -> None:
    book = compiled(scored, "employee")
    _render(scored)
    assert compiled(scored, "employee") is book
    import openpyxl.workbook.workbook as wbmod

    def refuse(*args: Any, **kwargs: Any) -> None:
        raise AssertionError("openpyxl used while stamping")

    monkeypatch.setattr(wbmod.Workbook, "__init__", refuse)
    monkeypatch.setattr(wbmod.Workbook, "save", refuse)
    other = SAMPLE_CONTEXT.model_copy(update={"employee": musforms.Person(id="E-2", name="Ida Holm")})
    a = _render(scored, answers={"rate_quality": 2})
    b = render(scored, "xlsx", role="employee", context=other, form_id="f0001")
    monkeypatch.undo()
    assert "Ida Holm" in _parts(b)[FORM_PART].decode() and "Ida Holm" not in _parts(a)[FORM_PART].decode()
    with zipfile.ZipFile(io.BytesIO(a)) as za, zipfile.ZipFile(io.BytesIO(b)) as zb:
        for part in ("xl/styles.xml", "xl/workbook.xml", "xl/theme/theme1.xml", "xl/worksheets/sheet2.xml"):
            assert za.getinfo(part).CRC == zb.getinfo(part).CRC
        assert za.testzip() is None and zb.testzip() is None
    assert parse(b).subject_id == "E-2"


def test_stamped_workbook_equals_the_one_openpyxl_builds(scored: musforms.Template) -> None:
    """Cell by cell, the stamped file holds what openpyxl makes of the same layout and person."""
    # (openpyxl reads Excel's escape of a literal "_x0041_", "_x005F_x0041_", as it is: leave that text out)
    answers = {
        k: v.replace("_x", "x") if isinstance(v, str) else v for k, v in sample_answers(scored, "employee").items()
    }
    stamped = openpyxl.load_workbook(io.BytesIO(_render(scored, "employee", answers)))
    identity = parse(_render(scored, "employee", answers)).identity
    stamp = Stamp(context=SAMPLE_CONTEXT, values=encode_answers(scored, "employee", answers, "list"), identity=identity)
    built_bytes = workbook_bytes(build_workbook(compile_layout(scored, "employee"), stamp))
    built = openpyxl.load_workbook(io.BytesIO(built_bytes))
    for name in (stamped.sheetnames[0], "_lists", "_meta"):
        a, b = stamped[name], built[name]
        assert a.max_row == b.max_row
        for row_a, row_b in zip(a.iter_rows(), b.iter_rows(), strict=True):
            for cell_a, cell_b in zip(row_a, row_b, strict=True):
                assert cell_a.value == cell_b.value, cell_a.coordinate
                assert cell_a.style_id == cell_b.style_id, cell_a.coordinate
        assert sorted(map(str, a.merged_cells.ranges)) == sorted(map(str, b.merged_cells.ranges))
        for r in range(1, a.max_row + 1):
            assert a.row_dimensions[r].height == b.row_dimensions[r].height, r
    assert stamped.worksheets[0].oddHeader.left.text == built.worksheets[0].oddHeader.left.text
    assert stamped.worksheets[0].oddFooter.right.text == built.worksheets[0].oddFooter.right.text


# -- values that do not fit ---------------------------------------------------------------------------------


def _issue(form: FilledForm, field_id: str) -> Issue:
    found = [i for i in form.issues if i.field_id == field_id]
    assert len(found) == 1, form.issues
    return found[0]


@pytest.mark.parametrize("value", [9, "9", "god", 4.5, "", " 4 "])
def test_a_rating_that_is_not_a_point(scored: musforms.Template, value: Any) -> None:
    ref = ref_of(scored, "mf_rate_quality")
    form = parse(set_cell(_render(scored), ref, value))
    if value in ("", " 4 "):
        assert form.issues == () and form.answers["rate_quality"] == (4 if value else None)
        return
    issue = _issue(form, "rate_quality")
    assert issue.code == "value.invalid" and issue.severity == "error"
    assert issue.raw == str(value) and issue.label == "Opgaverne løses i god faglig kvalitet"
    assert issue.location is not None
    assert (issue.location.part, issue.location.where, issue.location.anchor) == (
        "Medarbejderens forberedelse",
        ref,
        "mf_rate_quality",
    )
    assert "1, 2, 3, 4, 5" in issue.message
    assert form.answers["rate_quality"] is None


@pytest.mark.parametrize(("value", "answer"), [("ikke relevant", "not_relevant"), ("I høj grad", 4), (3.0, 3)])
def test_a_rating_read_generously(scored: musforms.Template, value: Any, answer: Any) -> None:
    form = parse(set_cell(_render(scored), ref_of(scored, "mf_rate_safety"), value))
    assert form.issues == () and form.answers["rate_safety"] == answer


def test_not_relevant_where_it_is_not_allowed(scored: musforms.Template) -> None:
    form = parse(set_cell(_render(scored), ref_of(scored, "mf_rate_quality"), "Ikke relevant"))
    assert _issue(form, "rate_quality").raw == "Ikke relevant"


@pytest.mark.parametrize("typed", ["32-13-2026", "i morgen", "31-02-2026", "46096x"])
def test_a_date_that_is_not_a_date(scored: musforms.Template, typed: str) -> None:
    ref = ref_of(scored, "mf_followup_date")
    issue = _issue(parse(set_cell(_render(scored), ref, typed)), "followup_date")
    assert issue.code == "value.invalid" and issue.raw == typed and "dd-mm-åååå" in issue.message
    assert issue.location is not None and issue.location.where == ref


@pytest.mark.parametrize(
    ("typed", "day"),
    [("15-03-2026", dt.date(2026, 3, 15)), ("2026-03-05", dt.date(2026, 3, 5)), ("5. marts 2026", dt.date(2026, 3, 5))],
)
def test_dates_typed_as_text_are_read_generously(scored: musforms.Template, typed: str, day: dt.date) -> None:
    form = parse(set_cell(_render(scored), ref_of(scored, "mf_followup_date"), typed))
    assert form.issues == () and form.answers["followup_date"] == day


def test_a_date_is_read_by_the_cells_number_format(scored: musforms.Template) -> None:
    data = set_cell(_render(scored), ref_of(scored, "mf_followup_date"), 46096)
    assert parse(data).answers["followup_date"] == dt.date(2026, 3, 15)
    # the same number in a text cell is a number, not a date
    form = parse(set_cell(_render(scored), ref_of(scored, "mf_strengths"), 46096))
    assert form.answers["strengths"] == "46096"
    # a date format written the way LibreOffice writes it back
    calc = _edit(data, "xl/styles.xml", lambda x: x.replace('formatCode="DD-MM-YYYY"', 'formatCode="dd\\-mm\\-yyyy"'))
    assert "dd\\-mm\\-yyyy" in _parts(calc)["xl/styles.xml"].decode()
    assert parse(calc).answers["followup_date"] == dt.date(2026, 3, 15)


def test_an_unknown_owner_in_an_agreement_row(scored: musforms.Template) -> None:
    data = _render(scored)
    data = set_cell(data, ref_of(scored, "mf_agreements__r2a"), "Kursus")
    data = set_cell(data, ref_of(scored, "mf_agreements__r2o"), "Chefen")
    data = set_cell(data, ref_of(scored, "mf_agreements__r2d"), "snart")
    form = parse(data)
    issues = [i for i in form.issues if i.field_id == "agreements"]
    assert [(i.raw, i.location.where if i.location else None) for i in issues] == [
        ("Chefen", ref_of(scored, "mf_agreements__r2o")),
        ("snart", ref_of(scored, "mf_agreements__r2d")),
    ]
    assert issues[0].message == "Aftale 2, kolonnen »Hvem«: vælg en af disse: Medarbejder, Leder"
    assert form.answers["agreements"] == [AgreementRow(action="Kursus")]


def test_an_agreement_row_without_its_action(scored: musforms.Template) -> None:
    data = set_cell(_render(scored), ref_of(scored, "mf_agreements__r3o"), "Leder")
    issue = _issue(parse(data), "agreements")
    assert issue.message == "Aftale 3 mangler selve aftalen (hvad der skal gøres)"
    assert issue.location is not None and issue.location.where == ref_of(scored, "mf_agreements__r3o")


def test_agreement_labels_pasted_in_english_or_as_values(scored: musforms.Template) -> None:
    data = _render(scored)
    data = set_cell(data, ref_of(scored, "mf_agreements__r1a"), "KNX")
    data = set_cell(data, ref_of(scored, "mf_agreements__r1o"), "manager")
    data = set_cell(data, ref_of(scored, "mf_agreements__r1m"), "Job rotation")
    form = parse(data)
    assert form.issues == ()
    assert form.answers["agreements"] == [AgreementRow(action="KNX", owner="manager", method="job_rotation")]


@pytest.mark.parametrize(
    ("value", "ticked"), [("X", True), ("x", True), ("✓", True), (True, True), (1, True), ("0", False)]
)
def test_tick_cells(scored: musforms.Template, value: Any, ticked: bool) -> None:
    form = parse(set_cell(_render(scored), ref_of(scored, "mf_development_methods__o2"), value))
    assert form.issues == ()
    assert form.answers["development_methods"] == (["job_rotation"] if ticked else None)


def test_text_in_a_tick_cell_is_an_issue(minimal: musforms.Template) -> None:
    form = parse(set_cell(_render(minimal), ref_of(minimal, "mf_read_guide"), "måske"), templates=[minimal])
    issue = _issue(form, "read_guide")
    assert (
        issue.raw == "måske" and issue.location is not None and issue.location.where == ref_of(minimal, "mf_read_guide")
    )
    assert form.answers["read_guide"] is False


@pytest.mark.parametrize(("value", "answer"), [("Skidt", "bad"), ("godt", "good"), ("bad", "bad")])
def test_a_single_choice_by_label_or_id(minimal: musforms.Template, value: str, answer: str) -> None:
    form = parse(set_cell(_render(minimal), ref_of(minimal, "mf_mood"), value), templates=[minimal])
    assert _codes(form) == ["field.required"] and form.answers["mood"] == answer


def test_a_single_choice_that_is_not_an_option(minimal: musforms.Template) -> None:
    form = parse(set_cell(_render(minimal), ref_of(minimal, "mf_mood"), "Fremragende"), templates=[minimal])
    issue = _issue(form, "mood")
    assert issue.raw == "Fremragende" and "Godt, Skidt" in issue.message


def test_text_too_long(write: Callable[[str, str], Any]) -> None:
    template = musforms.load_template_text(MINIMAL.replace("required: true}", "required: true, max_length: 5}"))
    data = set_cell(_render(template), ref_of(template, "mf_strengths"), "alt for lang")
    issue = _issue(parse(data, templates=[template]), "strengths")
    assert issue.code == "value.too_long" and issue.raw == "alt for lang"
    assert issue.location is not None and issue.location.where == ref_of(template, "mf_strengths")


def test_text_kept_exactly(scored: musforms.Template) -> None:
    text = "  æøå ÆØÅ & < > \" ' 😀 👍🏽\nlinje 2\n\n_x0041_ \u0001 tab\there"
    ref = ref_of(scored, "mf_strengths")
    escaped = text.replace("_x0041_", "_x005F_x0041_").replace("\u0001", "_x0001_")  # as Excel stores them
    assert parse(set_cell(_render(scored), ref, escaped)).answers["strengths"] == text.strip()
    assert parse(set_cell(_render(scored), ref, "_x0041_")).answers["strengths"] == "A"
    assert parse(_render(scored, answers={"strengths": text})).answers["strengths"] == text.strip()


def test_shared_strings_as_excel_and_calc_write_them(scored: musforms.Template) -> None:
    answers = sample_answers(scored, "employee")
    data = to_shared_strings(_render(scored, "employee", answers))
    assert 't="inlineStr"' not in _parts(data)[FORM_PART].decode()
    form = parse(data)
    assert form.issues == ()
    assert _answers(form) == _answers(parse(_render(scored, "employee", answers)))


# -- content outside the answer cells ----------------------------------------------------------------------------


def test_a_value_typed_in_an_unrelated_cell_is_reported(scored: musforms.Template) -> None:
    data = set_cell(_render(scored), "H20", "Husk kaffe")
    data = set_cell(data, "A3", 42)
    form = parse(data)
    assert [(i.code, i.severity, i.raw, i.location.where if i.location else None) for i in form.issues] == [
        ("content.unmapped", "warning", "42", "A3"),
        ("content.unmapped", "warning", "Husk kaffe", "H20"),
    ]
    assert all(i.location and i.location.part == "Medarbejderens forberedelse" for i in form.issues)


def test_a_changed_label_is_reported_and_an_emptied_one_is_not(scored: musforms.Template) -> None:
    data = set_cell(_render(scored), "A4", "Medarbejder (ny)")
    data = set_cell(data, "A5", None)
    data = set_cell(data, "B4", "Ida Holm")  # the person's name, changed
    form = parse(data)
    assert [(i.raw, i.location.where if i.location else None) for i in form.issues] == [
        ("Medarbejder (ny)", "A4"),
        ("Ida Holm", "B4"),
    ]


def test_a_note_on_another_sheet_is_reported(scored: musforms.Template) -> None:
    data = _render(scored)
    wb = openpyxl.load_workbook(io.BytesIO(data))
    wb.create_sheet("Noter")["B2"] = "Tal om løn"
    out = io.BytesIO()
    wb.save(out)
    form = parse(out.getvalue())
    assert [(i.code, i.raw, i.location.part if i.location else None) for i in form.issues] == [
        ("content.unmapped", "Tal om løn", "Noter")
    ]


def test_openpyxl_round_trip_keeps_the_form(scored: musforms.Template) -> None:
    """A program that loads and saves the workbook (openpyxl here) keeps names, identity and answers."""
    answers = sample_answers(scored, "employee")
    wb = openpyxl.load_workbook(io.BytesIO(_render(scored, "employee", answers)))
    out = io.BytesIO()
    wb.save(out)
    form = parse(out.getvalue())
    assert form.issues == ()
    assert _answers(form) == _answers(parse(_render(scored, "employee", answers)))


# -- fallbacks ----------------------------------------------------------------------------------------------------


def test_a_workbook_without_its_defined_names_is_read_by_address(scored: musforms.Template) -> None:
    answers = sample_answers(scored, "employee")
    data = _edit(
        _render(scored, "employee", answers),
        "xl/workbook.xml",
        lambda x: re.sub(r"<definedName name=\"mf_.*?</definedName>", "", x),
    )
    assert "mf_" not in _parts(data)["xl/workbook.xml"].decode()
    form = parse(data)
    assert form.issues == ()
    assert _answers(form) == expected(scored, "employee", answers)


def test_a_name_pointing_elsewhere_is_followed(scored: musforms.Template) -> None:
    ref = ref_of(scored, "mf_strengths")
    sheet = "'Medarbejderens forberedelse'"
    data = _edit(_render(scored), "xl/workbook.xml", lambda x: x.replace(f"{sheet}!$A${ref[1:]}", f"{sheet}!$H$300"))
    data = set_cell(data, "H300", "Flyttet")
    form = parse(data)
    assert form.answers["strengths"] == "Flyttet" and form.issues == ()


def test_the_meta_sheet_is_the_fallback_for_the_identity(scored: musforms.Template) -> None:
    data = _drop(_render(scored, answers={"rate_quality": 5}), "docProps/custom.xml")
    form = parse(data)
    assert (form.template_id, form.form_id, form.subject_id, form.role) == (
        "mus-scored-da",
        "f0001",
        "E-0001",
        "employee",
    )
    assert form.answers["rate_quality"] == 5 and form.issues == ()
    gone = _edit(data, "xl/workbook.xml", lambda x: x.replace('name="_meta"', 'name="Andet"'))
    with pytest.raises(NotAFormError, match="not a musforms form"):
        parse(gone)


def test_a_fingerprint_mismatch(scored: musforms.Template) -> None:
    data = _render(scored)
    changed = musforms.load_template({"extends": "mus-scored-da", "id": "mus-scored-da", "version": "1.1"})
    with pytest.raises(FingerprintMismatchError):
        parse(data, templates=[changed])
    assert _codes(parse(data, templates=[changed], lenient=True)) == ["identity.lenient"]


def test_files_that_are_not_forms_are_refused() -> None:
    wb = openpyxl.Workbook()
    wb.active["A1"] = "Budget"  # type: ignore[index]
    out = io.BytesIO()
    wb.save(out)
    with pytest.raises(NotAFormError, match="not a musforms form"):
        parse(out.getvalue())
    broken = _edit(out.getvalue(), "xl/workbook.xml", lambda x: x[:40])
    with pytest.raises(NotAFormError, match=re.escape("xl/workbook.xml is not well-formed")):
        parse(broken)
    with pytest.raises(NotAFormError):
        parse(b"PK\x03\x04 not really a zip")


def test_a_damaged_identity_is_refused(scored: musforms.Template) -> None:
    data = _edit(_render(scored), "docProps/custom.xml", lambda x: x.replace(">employee<", ">chef<"))
    with pytest.raises(NotAFormError, match="identity is damaged"):
        parse(data)
