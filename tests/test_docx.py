"""Word forms: rendering, what each role's file holds, parsing, fallbacks, bad values and foreign files."""

from __future__ import annotations

import datetime as dt
import io
import re
import time
import zipfile
from pathlib import Path
from typing import Any

import pytest

import musforms
from musforms._formats.docx.layout import anchor_name, compile_layout
from musforms._formats.parse import parse
from musforms._formats.render import render
from musforms._model.context import SAMPLE_CONTEXT
from musforms._model.filled import FilledForm
from musforms._model.values import AgreementRow, Signature
from musforms.errors import FingerprintMismatchError, MusformsError, NotAFormError, RenderError, UnknownTemplateError

from .docxtools import cell_of, document_xml, drop_part, edit_part, set_tick, type_in_cell
from .test_self_describing import without_embedded_template

BUILTINS = ["mus-scored-da", "mus-scored-en", "mus-soft-da", "mus-soft-en"]
CORPUS = sorted((Path(__file__).parent / "data" / "word-made").glob("*.docx"))


@pytest.fixture(scope="module")
def scored() -> musforms.Template:
    return musforms.load_template("mus-scored-da")


def _blank(template: musforms.Template, role: str = "employee") -> bytes:
    return render(template, "docx", role=role, context=SAMPLE_CONTEXT, form_id="f0001")  # type: ignore[arg-type]


def _answers(form: FilledForm) -> dict[str, Any]:
    return {k: v for k, v in form.answers.items() if v not in (None, False)}


# -- rendering --------------------------------------------------------------------------------------


@pytest.mark.parametrize("template_id", BUILTINS)
@pytest.mark.parametrize("role", ["employee", "manager"])
def test_blank_form_parses_to_empty_answers_without_issues(template_id: str, role: str) -> None:
    template = musforms.load_template(template_id)
    form = parse(_blank(template, role))
    assert form.issues == ()
    assert (form.template_id, form.role, form.subject_id, form.form_id) == (template_id, role, "E-0001", "f0001")
    assert form.fingerprint == template.fingerprint
    assert set(form.answers) == {f.id for f in template.answer_fields(role)}  # type: ignore[arg-type]
    assert _answers(form) == {}


def test_file_is_a_valid_docx_that_python_docx_opens(scored: musforms.Template) -> None:
    import docx

    data = _blank(scored)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert archive.testzip() is None
        assert "docProps/custom.xml" in archive.namelist()
    document = docx.Document(io.BytesIO(data))
    assert document.paragraphs[0].text == scored.title
    assert round(document.sections[0].page_width.mm) == 210  # A4
    assert round(document.sections[0].page_height.mm) == 297
    texts = " ".join(c.text for t in document.tables for r in t.rows for c in r.cells)
    assert "Mette Sørensen (Elektriker, Service)" in texts and "Lars Holm" in texts and "Mødelokale 2" in texts


@pytest.mark.parametrize("template_id", BUILTINS)
def test_employee_file_never_holds_manager_only_content(template_id: str) -> None:
    template = musforms.load_template(template_id)
    xml = document_xml(_blank(template, "employee"))
    manager_only = [f for _s, f in template.iter_fields() if not f.shown_to("employee")]
    assert manager_only, "the built-ins have manager-only preparation questions"
    for field in manager_only:
        assert f"mf_{field.id}" not in xml
        label = getattr(field, "label", None)
        if label:
            assert label.replace("&", "&amp;") not in xml, field.id
    for section in template.sections:
        if not section.shown_to("employee"):
            assert section.title not in xml
    manager_xml = document_xml(_blank(template, "manager"))
    assert all(f"mf_{f.id}" in manager_xml for f in manager_only if f.answered_by("manager"))


def test_each_form_has_one_column_of_ticks_per_rating_item(scored: musforms.Template) -> None:
    xml = document_xml(_blank(scored, "employee"))
    quality = [anchor_name("rate_quality", f"p{v}") for v in range(1, 6)]
    assert all(f'w:name="{name}"' in xml for name in quality)
    assert xml.count('w:name="mf_rate_quality__p3"') == 1


def test_identity_is_in_properties_and_in_the_text(scored: musforms.Template) -> None:
    data = _blank(scored)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        custom = archive.read("docProps/custom.xml").decode()
    for key in ("template_id", "template_version", "fingerprint", "role", "subject_id", "form_id"):
        assert f'name="musforms.{key}"' in custom
    assert "<vt:lpwstr>" in custom and "vt:i4" not in custom
    assert f"musforms mus-scored-da 1.0 {scored.fingerprint} employee E-0001 f0001" in document_xml(data)


def test_personal_text_and_language(scored: musforms.Template) -> None:
    english = musforms.load_template("mus-scored-en")
    xml_da = document_xml(_blank(scored))
    xml_en = document_xml(_blank(english))
    assert "16. marts 2026" in xml_da and "ca. 5 min." in xml_da and ">dd-mm-åååå<" in xml_da
    assert "16 March 2026" in xml_en and "about 5 min" in xml_en and ">dd-mm-yyyy<" in xml_en
    assert "åååå" not in xml_en


def test_compile_once_stamp_many(scored: musforms.Template) -> None:
    layout = compile_layout(scored, "employee")
    render(scored, "docx", role="employee", context=SAMPLE_CONTEXT)
    assert compile_layout(scored, "employee") is layout
    other = SAMPLE_CONTEXT.model_copy(update={"employee": musforms.Person(id="E-2", name="Ida Holm")})
    a = render(scored, "docx", role="employee", context=SAMPLE_CONTEXT, form_id="x")
    b = render(scored, "docx", role="employee", context=other, form_id="x")
    assert "Ida Holm" in document_xml(b) and "Ida Holm" not in document_xml(a)
    with zipfile.ZipFile(io.BytesIO(a)) as za, zipfile.ZipFile(io.BytesIO(b)) as zb:
        # Unchanged parts are copied byte for byte.
        assert za.getinfo("word/styles.xml").CRC == zb.getinfo("word/styles.xml").CRC
        assert za.read("word/styles.xml") == zb.read("word/styles.xml")


# -- prefilled answers ------------------------------------------------------------------------------


def _full_answers() -> dict[str, Any]:
    return {
        "rate_quality": 4,
        "rate_customer_service": "not_relevant",
        "strengths": "Grundig & hurtig <altid>\n\"Øjeblikkelig\" 'svar' 😀",
        "development_methods": ["course", "mentoring"],
        "agreements": [
            {"action": "KNX-kursus", "owner": "employee", "deadline": "2026-06-01", "method": "course"},
            {"action": "Sidemandsoplæring i service", "owner": "manager"},
        ],
        "followup_date": "2026-09-16",
        "sign_employee": {"name": "Mette Sørensen", "date": "2026-03-16"},
    }


def test_prefilled_form_parses_back_to_exactly_those_answers(scored: musforms.Template) -> None:
    data = render(scored, "docx", role="employee", context=SAMPLE_CONTEXT, answers=_full_answers())
    form = parse(data)
    assert form.issues == ()
    assert _answers(form) == {
        "rate_quality": 4,
        "rate_customer_service": "not_relevant",
        "strengths": "Grundig & hurtig <altid>\n\"Øjeblikkelig\" 'svar' 😀",
        "development_methods": ["mentoring", "course"],  # in the options' order
        "agreements": [
            AgreementRow(action="KNX-kursus", owner="employee", deadline=dt.date(2026, 6, 1), method="course"),
            AgreementRow(action="Sidemandsoplæring i service", owner="manager"),
        ],
        "followup_date": dt.date(2026, 9, 16),
        "sign_employee": Signature(name="Mette Sørensen", date=dt.date(2026, 3, 16)),
    }


@pytest.mark.parametrize(
    ("answers", "message"),
    [
        ({"rate_quality": 9}, "the answer to 'rate_quality' must be a point of scale degree5 (1–5), found 9"),
        ({"prep_info_to_give": "x"}, "is not answered in the employee's form"),
        ({"nonsense": "x"}, "is not a field of the template"),
        ({"agreements": [{"action": "x"}] * 20}, "the form has 8"),
    ],
)
def test_prefill_that_does_not_fit_is_refused(scored: musforms.Template, answers: dict[str, Any], message: str) -> None:
    with pytest.raises(RenderError, match=re.escape(message)):
        render(scored, "docx", role="employee", context=SAMPLE_CONTEXT, answers=answers)


def test_render_refuses_bad_role_format_and_context(scored: musforms.Template) -> None:
    with pytest.raises(RenderError, match="role must be"):
        render(scored, "docx", role="boss", context=SAMPLE_CONTEXT)  # type: ignore[arg-type]
    with pytest.raises(RenderError, match="format must be"):
        render(scored, "pdf", role="employee", context=SAMPLE_CONTEXT)  # type: ignore[arg-type]
    with pytest.raises(RenderError, match="context is not valid"):
        render(scored, "docx", role="employee", context={"employee": {}})


# -- fallbacks ----------------------------------------------------------------------------------------


def test_form_whose_controls_lost_every_tag_and_alias_still_parses(scored: musforms.Template) -> None:
    data = render(scored, "docx", role="employee", context=SAMPLE_CONTEXT, answers=_full_answers())
    stripped = edit_part(data, "word/document.xml", lambda x: re.sub(r"<w:(tag|alias) w:val=\"[^\"]*\"/>", "", x))
    assert "<w:tag " not in document_xml(stripped)
    assert _answers(parse(stripped)) == _answers(parse(data))


def test_form_whose_bookmarks_are_gone_is_read_by_tag_then_position(scored: musforms.Template) -> None:
    data = render(scored, "docx", role="employee", context=SAMPLE_CONTEXT, answers=_full_answers())
    no_marks = edit_part(data, "word/document.xml", lambda x: re.sub(r"<w:bookmark(Start|End) [^>]*/>", "", x))
    assert _answers(parse(no_marks)) == _answers(parse(data))
    nothing = edit_part(no_marks, "word/document.xml", lambda x: re.sub(r"<w:(tag|alias) w:val=\"[^\"]*\"/>", "", x))
    form = parse(nothing)
    assert _answers(form) == _answers(parse(data))
    assert form.issues == ()


def test_identity_line_is_the_fallback_when_properties_are_gone(scored: musforms.Template) -> None:
    data = drop_part(_blank(scored), "docProps/custom.xml")
    form = parse(data)
    assert (form.template_id, form.role, form.subject_id, form.form_id) == (
        "mus-scored-da",
        "employee",
        "E-0001",
        "f0001",
    )


# -- values that do not fit ---------------------------------------------------------------------------


def _issues(data: bytes) -> dict[str, Any]:
    return {(i.code, i.field_id): i for i in parse(data).issues}


def test_two_points_ticked_is_ambiguous(scored: musforms.Template) -> None:
    def change(xml: str) -> str:
        return set_tick(set_tick(xml, "rate_quality", "p2", True), "rate_quality", "p4", True)

    data = edit_part(_blank(scored), "word/document.xml", change)
    form = parse(data)
    issue = _issues(data)[("value.ambiguous", "rate_quality")]
    assert form.answers["rate_quality"] is None
    assert issue.raw == "2, 4" and issue.label == scored.field("rate_quality").label  # type: ignore[union-attr]
    assert issue.location is not None and re.match(r"table \d+, row \d+, cell \d+", issue.location.where)


def test_text_in_a_rating_cell_is_kept_as_an_issue(scored: musforms.Template) -> None:
    data = edit_part(_blank(scored), "word/document.xml", lambda x: type_in_cell(x, "rate_quality", "p4", "4-5"))
    issue = _issues(data)[("value.invalid", "rate_quality")]
    assert issue.raw == "4-5" and "afkrydsningsfelt" in issue.message


def test_x_typed_in_a_tick_cell_counts_as_a_tick(scored: musforms.Template) -> None:
    def change(xml: str) -> str:
        xml = type_in_cell(xml, "rate_quality", "p3", "X")
        start, end = cell_of(xml, "rate_quality", "p3")
        return xml[:start] + xml[start:end].replace("☐", "") + xml[end:]

    form = parse(edit_part(_blank(scored), "word/document.xml", change))
    assert form.answers["rate_quality"] == 3 and form.issues == ()


@pytest.mark.parametrize("typed", ["31-02-2026", "næste uge", "2026/13/45"])
def test_a_date_that_is_not_a_date(scored: musforms.Template, typed: str) -> None:
    def change(xml: str) -> str:
        start, end = cell_of(xml, "followup_date")
        cell = xml[start:end].replace("dd-mm-åååå", typed).replace("<w:showingPlcHdr/>", "")
        return xml[:start] + cell + xml[end:]

    data = edit_part(_blank(scored), "word/document.xml", change)
    issue = _issues(data)[("value.invalid", "followup_date")]
    assert issue.raw == typed and parse(data).answers["followup_date"] is None


@pytest.mark.parametrize("typed", ["15-03-2026", "15.03.2026", "2026-03-15", "15/3/2026", "15. marts 2026"])
def test_dates_are_read_generously(scored: musforms.Template, typed: str) -> None:
    def change(xml: str) -> str:
        start, end = cell_of(xml, "followup_date")
        cell = xml[start:end].replace("dd-mm-åååå", typed).replace("<w:showingPlcHdr/>", "")
        return xml[:start] + cell + xml[end:]

    form = parse(edit_part(_blank(scored), "word/document.xml", change))
    assert form.answers["followup_date"] == dt.date(2026, 3, 15) and form.issues == ()


def test_unknown_owner_in_an_agreement_row(scored: musforms.Template) -> None:
    data = render(
        scored, "docx", role="employee", context=SAMPLE_CONTEXT, answers={"agreements": [{"action": "Kursus"}]}
    )

    def change(xml: str) -> str:
        start, end = cell_of(xml, "agreements", "r1o")
        cell = xml[start:end].replace("Medarbejder / Leder", "Chefen").replace("<w:showingPlcHdr/>", "")
        return xml[:start] + cell + xml[end:]

    form = parse(edit_part(data, "word/document.xml", change))
    (issue,) = form.issues
    assert (issue.code, issue.field_id, issue.raw) == ("value.invalid", "agreements", "Chefen")
    assert form.answers["agreements"] == [AgreementRow(action="Kursus")]  # the rest of the row is kept


def test_text_outside_any_field_is_reported_with_its_place(scored: musforms.Template) -> None:
    def change(xml: str) -> str:
        xml = xml.replace("<w:sectPr", "<w:p><w:r><w:t>En note til sidst</w:t></w:r></w:p><w:sectPr", 1)
        label = scored.field("strengths").label  # type: ignore[union-attr]
        return xml.replace(f">{label}<", f">{label} (se bilag)<", 1)

    form = parse(edit_part(_blank(scored), "word/document.xml", change))
    unmapped = [i for i in form.issues if i.code == "content.unmapped"]
    raws = {i.raw for i in unmapped}
    assert "En note til sidst" in raws
    assert any("(se bilag)" in (r or "") for r in raws)
    assert all(i.location is not None and i.severity == "warning" for i in unmapped)


def test_a_required_field_left_empty_is_a_warning() -> None:
    from .conftest import MINIMAL

    template = musforms.load_template_text(MINIMAL)
    form = parse(render(template, "docx", role="employee", context=SAMPLE_CONTEXT), templates=[template])
    (issue,) = form.issues
    assert (issue.code, issue.field_id, issue.severity) == ("field.required", "strengths", "warning")


# -- files that are not forms, or not this template ---------------------------------------------------


@pytest.mark.parametrize("path", CORPUS, ids=lambda p: p.name)
def test_word_made_files_are_not_forms(path: Path) -> None:
    started = time.perf_counter()
    with pytest.raises(NotAFormError, match="not a musforms form"):
        parse(path)
    assert time.perf_counter() - started < 2


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "the file is empty"),
        (b"%PDF-1.7 ...", "this is a PDF"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100, "old binary Office file"),
        (b"PK\x03\x04 broken", "damaged"),
        (b"hello world", "not a .docx or .xlsx file"),
    ],
)
def test_wrong_kinds_of_file(data: bytes, message: str) -> None:
    with pytest.raises(NotAFormError, match=re.escape(message)):
        parse(data)


def test_a_zip_of_something_else() -> None:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("hello.txt", "hi")
    with pytest.raises(NotAFormError, match="neither a Word"):
        parse(out.getvalue())


def test_missing_file_is_a_musforms_error(tmp_path: Path) -> None:
    with pytest.raises(MusformsError, match="no file at"):
        parse(tmp_path / "nope.docx")


def test_fingerprint_mismatch_names_both_versions(scored: musforms.Template) -> None:
    data = _blank(scored)
    changed = musforms.load_template({"extends": "mus-scored-da", "id": "mus-scored-da", "version": "1.1"})
    with pytest.raises(FingerprintMismatchError) as info:
        parse(data, templates=[changed])
    text = str(info.value)
    assert scored.fingerprint in text and changed.fingerprint in text and "version 1.0" in text and "1.1" in text
    form = parse(data, templates=[changed], lenient=True)
    assert [i.code for i in form.issues] == ["identity.lenient"]


def test_unknown_template_is_named(scored: musforms.Template) -> None:
    company = musforms.load_template({"extends": "mus-soft-da", "id": "acme-mus"})
    data = render(company, "docx", role="employee", context=SAMPLE_CONTEXT)
    assert parse(data).template_source == "embedded"  # the form carries its template
    older = without_embedded_template(data)  # a form made before forms carried their template
    with pytest.raises(UnknownTemplateError, match=re.escape("'acme-mus' 1.0, which is not a built-in template")):
        parse(older)
    with pytest.raises(UnknownTemplateError, match="not among the templates given"):
        parse(data, templates=[scored])
    assert parse(data, templates=[company]).template_id == "acme-mus"


def test_parse_accepts_bytes_paths_and_file_objects(scored: musforms.Template, tmp_path: Path) -> None:
    data = _blank(scored)
    path = tmp_path / "form.docx"
    path.write_bytes(data)
    with path.open("rb") as handle:
        forms = [parse(data), parse(path), parse(str(path)), parse(handle)]
    assert len({f.form_id for f in forms}) == 1


def test_filled_form_json(scored: musforms.Template) -> None:
    import json

    form = parse(render(scored, "docx", role="employee", context=SAMPLE_CONTEXT, answers=_full_answers()))
    data = json.loads(form.to_json())
    assert data["answers"]["followup_date"] == "2026-09-16"
    assert data["answers"]["agreements"][0]["owner"] == "employee"
    assert FilledForm.model_validate_json(form.to_json()).answers["rate_quality"] == 4


def test_company_logo_is_in_the_header(tmp_path: Path) -> None:
    import struct
    import zlib

    def png(width: int, height: int) -> bytes:
        raw = b"".join(b"\x00" + b"\x1f\x3a\x5f" * width for _ in range(height))

        def chunk(kind: bytes, data: bytes) -> bytes:
            return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

        header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
        return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b"")

    (tmp_path / "brand").mkdir()
    (tmp_path / "brand" / "logo.png").write_bytes(png(60, 20))
    (tmp_path / "brand" / "base.yaml").write_text(
        "extends: mus-soft-da\nid: base\ncompany: {name: Acme El A/S, logo: logo.png}\n", encoding="utf-8"
    )
    (tmp_path / "acme.yaml").write_text("extends: brand/base.yaml\nid: acme\n", encoding="utf-8")
    template = musforms.load_template(tmp_path / "acme.yaml")
    assert template.logo_file == (tmp_path / "brand" / "logo.png").resolve()
    data = render(template, "docx", role="employee", context=SAMPLE_CONTEXT)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        media = [n for n in archive.namelist() if n.startswith("word/media/")]
        assert media and archive.read(media[0]) == png(60, 20)
        header = next(archive.read(n).decode() for n in archive.namelist() if n.startswith("word/header"))
    assert "<w:drawing>" in header and "Acme El A/S" in header
    assert parse(data, templates=[template]).issues == ()
    plain = render(musforms.load_template("mus-soft-da"), "docx", role="employee", context=SAMPLE_CONTEXT)
    with zipfile.ZipFile(io.BytesIO(plain)) as archive:
        assert not [n for n in archive.namelist() if n.startswith("word/media/")]


def test_agreement_tables_fit_the_page() -> None:
    from musforms._core.i18n import agreement_choice_labels
    from musforms._formats.docx.layout import agreement_widths
    from musforms._formats.docx.skeleton import CONTENT_WIDTH

    for language in ("da", "en"):
        for columns in [
            ("action",),
            ("action", "owner", "deadline"),
            ("action", "owner", "deadline", "method", "status", "comment"),
        ]:
            widths = agreement_widths(columns, language)
            assert sum(widths) == CONTENT_WIDTH
            assert widths[0] >= 1200 and min(widths) > 1000
            for column, width in zip(columns, widths, strict=True):
                if column in ("owner", "status", "method"):
                    longest = max(len(label) for label in agreement_choice_labels(column, language).values())
                    assert width >= longest * 110, (column, language)  # a pick list's text stays on one line
