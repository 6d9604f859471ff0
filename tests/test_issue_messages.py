"""Issue messages in the form's language, from one catalogue, and issue labels as the form printed them."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import get_args

import pytest

import musforms
from musforms._core.binding import anchors
from musforms._core.issue_text import MESSAGES, issue_label, issue_message, message_code, message_fields
from musforms._core.reading import Found, answers_and_issues
from musforms._model.context import SAMPLE_CONTEXT, Context
from musforms._model.filled import FilledForm, Issue, IssueCode

from .conftest import MINIMAL
from .docxtools import cell_of, drop_part, edit_part, set_tick, type_in_cell
from .test_xlsx import ref_of, set_cell

LANGUAGES = ["da", "en"]
TEMPLATE = MINIMAL.replace("required: true}", "required: true, max_length: 5}")
"""Every kind of field, a label using the context (``Styrker hos {{ employee.first_name }}``), a short text."""


def _template(language: str) -> musforms.Template:
    return musforms.load_template_text(TEMPLATE.replace("language: da", f"language: {language}"))


TEMPLATES = {language: _template(language) for language in LANGUAGES}


def _form(language: str, kind: str, change: Callable[[bytes], bytes] = lambda data: data) -> FilledForm:
    template = TEMPLATES[language]
    data = musforms.render(template, kind, role="employee", context=SAMPLE_CONTEXT)  # type: ignore[arg-type]
    return musforms.parse(change(data), templates=[template])


def _xlsx(language: str, cells: dict[str, str]) -> FilledForm:
    template = TEMPLATES[language]

    def change(data: bytes) -> bytes:
        for name, value in cells.items():  # an input's name, or a cell's address
            data = set_cell(data, ref_of(template, name) if name.startswith("mf_") else name, value)
        return data

    return _form(language, "xlsx", change)


def _docx(language: str, change: Callable[[str], str]) -> FilledForm:
    return _form(language, "docx", lambda data: edit_part(data, "word/document.xml", change))


def _only(form: FilledForm, code: str, field_id: str | None = None) -> Issue:
    found = [i for i in form.issues if i.code == code and i.field_id == field_id]
    assert len(found) == 1, form.issues
    return found[0]


# -- the catalogue ---------------------------------------------------------------------------------------


def test_every_message_has_danish_and_english_text_taking_the_same_fields() -> None:
    for kind, (_code, texts) in MESSAGES.items():
        assert set(texts) == {"da", "en"}, kind
        assert message_fields(kind, "da") == message_fields(kind, "en"), kind
        assert texts["da"] != texts["en"], kind


def test_every_issue_code_has_a_message_and_each_kind_names_its_code() -> None:
    assert {code for code, _texts in MESSAGES.values()} == set(get_args(IssueCode))
    for kind in MESSAGES:
        assert kind == message_code(kind) or kind.startswith(message_code(kind) + "."), kind


def test_an_unknown_language_gets_danish() -> None:
    assert issue_message("field.required", "de") == "Feltet skal udfyldes"
    assert issue_message("field.required", "en") == "This field must be filled in"


# -- each issue a parse reports, in the form's language ----------------------------------------------------

TOO_LONG = {
    "da": "Svaret er for langt: højst 5 tegn (der står 12)",
    "en": "The answer is too long: at most 5 characters (it has 12)",
}


@pytest.mark.parametrize("language", LANGUAGES)
def test_too_long_text(language: str) -> None:
    issue = _only(_xlsx(language, {"mf_strengths": "alt for lang"}), "value.too_long", "strengths")
    assert issue.message == TOO_LONG[language]
    assert issue.raw == "alt for lang"  # kept as written


REQUIRED = {"da": "Feltet skal udfyldes", "en": "This field must be filled in"}


@pytest.mark.parametrize("kind", ["docx", "xlsx"])
@pytest.mark.parametrize("language", LANGUAGES)
def test_a_required_field_left_empty(language: str, kind: str) -> None:
    issue = _only(_form(language, kind), "field.required", "strengths")
    assert issue.message == REQUIRED[language]
    assert issue.label == "Styrker hos Mette"  # rendered with the form's context, as the form printed it


INVALID_CELLS = {
    "da": {
        ("quality", "9"): "Det er ikke et punkt på skalaen; vælg et af disse: 1, 2, 3, 4, 5, Ikke relevant",
        ("mood", "Fremragende"): "Det er ikke en af svarmulighederne; vælg en af disse: Godt, Skidt",
        ("read_guide", "måske"): "Det er ikke et kryds; skriv X i cellen, eller lad den være tom",
        ("last_talk", "snart"): "Det er ikke en dato; skriv den som dd-mm-åååå eller åååå-mm-dd",
    },
    "en": {
        ("quality", "9"): "This is not a point of the scale; choose one of 1, 2, 3, 4, 5, Not relevant",
        ("mood", "Fremragende"): "This is not one of the options; choose one of Godt, Skidt",
        ("read_guide", "måske"): "This is not a tick; write X in the cell, or leave it empty",
        ("last_talk", "snart"): "This is not a date; write it as dd-mm-yyyy or yyyy-mm-dd",
    },
}


@pytest.mark.parametrize("language", LANGUAGES)
def test_invalid_values_in_a_workbook(language: str) -> None:
    cells = {f"mf_{field_id}": raw for field_id, raw in INVALID_CELLS[language]}
    form = _xlsx(language, cells)
    got = {(i.field_id, i.raw): i.message for i in form.issues if i.code == "value.invalid"}
    assert got == INVALID_CELLS[language]


AGREEMENTS = {
    "da": [
        ("Chefen", "Aftale 1, kolonnen »Hvem«: vælg en af disse: Medarbejder, Leder"),
        ("snart", "Aftale 1, kolonnen »Frist«: det er ikke en dato; skriv den som dd-mm-åååå eller åååå-mm-dd"),
        ("manager", "Aftale 2 mangler selve aftalen (hvad der skal gøres)"),
    ],
    "en": [
        ("Chefen", 'Agreement 1, column "Who": choose one of Employee, Manager'),
        ("snart", 'Agreement 1, column "Deadline": this is not a date; write it as dd-mm-yyyy or yyyy-mm-dd'),
        ("manager", "Agreement 2 has no agreement text (what is to be done)"),
    ],
}


@pytest.mark.parametrize("language", LANGUAGES)
def test_agreement_rows_that_do_not_fit(language: str) -> None:
    form = _xlsx(
        language,
        {
            "mf_agreements__r1a": "Kursus",
            "mf_agreements__r1o": "Chefen",
            "mf_agreements__r1d": "snart",
            "mf_agreements__r2o": "manager",
        },
    )
    got = [(i.raw, i.message) for i in form.issues if i.field_id == "agreements"]
    assert got == AGREEMENTS[language]
    assert {i.label for i in form.issues if i.field_id == "agreements"} == {"Aftaler"}


TWO_TICKED = {
    "da": {
        "quality": "Der er sat 2 krydser på skalaen; sæt kun ét",
        "mood": "Der er sat kryds ved 2 svarmuligheder; sæt kun ét",
    },
    "en": {
        "quality": "2 points of the scale are ticked; tick only one",
        "mood": "2 options are ticked; tick only one",
    },
}


@pytest.mark.parametrize("language", LANGUAGES)
def test_two_ticked(language: str) -> None:
    def change(xml: str) -> str:
        xml = set_tick(set_tick(xml, "quality", "p2", True), "quality", "p4", True)
        return set_tick(set_tick(xml, "mood", "o1", True), "mood", "o2", True)

    form = _docx(language, change)
    got = {i.field_id: i.message for i in form.issues if i.code == "value.ambiguous"}
    assert got == TWO_TICKED[language]


TEXT_IN_TICK_BOX = {
    "da": "Der er skrevet tekst i et afkrydsningsfelt; sæt et kryds i feltet i stedet",
    "en": "Text is written in a tick box cell; tick the box instead",
}


@pytest.mark.parametrize("language", LANGUAGES)
def test_text_in_a_tick_box_cell(language: str) -> None:
    form = _docx(language, lambda xml: type_in_cell(xml, "quality", "p4", "4-5"))
    issue = _only(form, "value.invalid", "quality")
    assert (issue.message, issue.raw, issue.label) == (TEXT_IN_TICK_BOX[language], "4-5", "Kvalitet i arbejdet")


OUTSIDE = {
    "docx": {"da": "Der står tekst uden for skemaets felter", "en": "There is text outside the fields of the form"},
    "xlsx": {
        "da": "Der står tekst uden for skemaets svarceller",
        "en": "There is text outside the answer cells of the form",
    },
}


@pytest.mark.parametrize("language", LANGUAGES)
def test_text_outside_the_fields(language: str) -> None:
    note = "<w:p><w:r><w:t>En note til sidst</w:t></w:r></w:p><w:sectPr"
    issue = _only(_docx(language, lambda xml: xml.replace("<w:sectPr", note, 1)), "content.unmapped")
    assert (issue.message, issue.raw) == (OUTSIDE["docx"][language], "En note til sidst")
    issue = _only(_xlsx(language, {"H3": "En note"}), "content.unmapped")
    assert (issue.message, issue.raw) == (OUTSIDE["xlsx"][language], "En note")


UNCHECKED = {
    "da": {
        "docx-1": "Skemaet er lavet med en anden udgave af opsætningen (docx-1; denne er docx-3), "
        "så der er ikke set efter tekst skrevet uden for felterne",
        "": "Skemaet er lavet med en ældre udgave af opsætningen, "
        "så der er ikke set efter tekst skrevet uden for felterne",
        None: "Oplysningerne om medarbejder og samtale mangler i filen, "
        "så der er ikke set efter tekst skrevet uden for felterne",
    },
    "en": {
        "docx-1": "The form was made with another layout (docx-1; this is docx-3), "
        "so text written outside the fields was not looked for",
        "": "The form was made with an older layout, so text written outside the fields was not looked for",
        None: "The details of the employee and the talk are missing from the file, "
        "so text written outside the fields was not looked for",
    },
}


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("layout", ["docx-1", "", None])
def test_text_outside_the_fields_not_looked_for(language: str, layout: str | None) -> None:
    """A form of another layout, of no layout version (made before forms named theirs), or without its
    properties (so without its context)."""

    def change(data: bytes) -> bytes:
        if layout is None:
            return drop_part(data, "docProps/custom.xml")
        if layout:
            return edit_part(data, "docProps/custom.xml", lambda x: x.replace(">docx-3<", f">{layout}<"))
        prop = r'<property [^>]*name="musforms\.layout">.*?</property>'
        return edit_part(data, "docProps/custom.xml", lambda x: re.sub(prop, "", x))

    form = _form(language, "docx", change)
    assert _only(form, "content.unchecked").message == UNCHECKED[language][layout]


MISSING = {
    "da": "Feltet findes ikke længere i filen, så det kunne ikke læses",
    "en": "The field is no longer in the file, so it could not be read",
}
MISSING_CELL = {
    "da": "Feltets svarcelle findes ikke længere i filen, så den kunne ikke læses",
    "en": "The field's answer cell is no longer in the file, so it could not be read",
}


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_field_whose_input_is_gone(language: str) -> None:
    def change(xml: str) -> str:
        start, end = cell_of(xml, "read_guide")
        table = xml.rindex("<w:tbl>", 0, start)
        return xml[:table] + xml[xml.index("</w:tbl>", end) + len("</w:tbl>") :]

    issue = _only(_docx(language, change), "field.missing", "read_guide")
    assert (issue.message, issue.label) == (MISSING[language], "Jeg har læst vejledningen")


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_field_whose_answer_cell_is_gone(language: str) -> None:
    template = TEMPLATES[language]
    inputs = anchors(template, "employee", "list")
    gone = {name for name, anchor in inputs.items() if anchor.field_id == "strengths"}
    found = Found({}, gone, lambda _name: None, "answer cell", "Medarbejderens forberedelse")
    _answers, issues = answers_and_issues(template, "employee", inputs, found, SAMPLE_CONTEXT)
    (issue,) = [i for i in issues if i.field_id == "strengths"]
    assert (issue.code, issue.message, issue.label) == ("field.missing", MISSING_CELL[language], "Styrker hos Mette")


LENIENT = {
    "da": "Skemaet er lavet ud fra skabelonen 'demo' version 1.0 ({made}), men er læst med version 1.1 ({given})",
    "en": "The form was made from the template 'demo' version 1.0 ({made}), but was read with version 1.1 ({given})",
}


@pytest.mark.parametrize("kind", ["docx", "xlsx"])
@pytest.mark.parametrize("language", LANGUAGES)
def test_a_form_read_leniently_with_another_version(language: str, kind: str) -> None:
    template = TEMPLATES[language]
    newer = musforms.load_template_text(
        TEMPLATE.replace("language: da", f"language: {language}").replace('version: "1.0"', 'version: "1.1"')
    )
    data = musforms.render(template, kind, role="employee", context=SAMPLE_CONTEXT)  # type: ignore[arg-type]
    with pytest.raises(musforms.FingerprintMismatchError) as info:
        musforms.parse(data, templates=[newer])
    assert "the form was made from 'demo' version 1.0" in str(info.value)  # an error stays English
    issue = _only(musforms.parse(data, templates=[newer], lenient=True), "identity.lenient")
    assert issue.message == LENIENT[language].format(made=template.fingerprint, given=newer.fingerprint)


# -- labels ------------------------------------------------------------------------------------------------


def test_a_label_is_rendered_with_the_context_of_the_form() -> None:
    context = Context.model_validate({"employee": {"id": "E-7", "name": "Karen Blixen"}})
    data = musforms.render(TEMPLATES["da"], "docx", role="employee", context=context)
    (issue,) = musforms.parse(data, templates=[TEMPLATES["da"]]).issues
    assert issue.label == "Styrker hos Karen"


def test_without_a_context_a_label_shows_its_expressions_as_an_ellipsis() -> None:
    form = _form("da", "docx", lambda data: drop_part(data, "docProps/custom.xml"))
    assert form.context is None
    assert _only(form, "field.required", "strengths").label == "Styrker hos …"


@pytest.mark.parametrize(
    ("source", "context", "label"),
    [
        ("Styrker hos {{ employee.first_name }}", SAMPLE_CONTEXT, "Styrker hos Mette"),
        ("Styrker hos {{ employee.first_name }}", None, "Styrker hos …"),
        ("{% if manager %}Til {{ manager.name }}{% endif %}:  hvad\n nu?", None, "Til …: hvad nu?"),
        ("Om {{ company.name }}", Context.model_validate({"employee": {"id": "E-1", "name": "Ida"}}), "Om …"),
        ("Kvalitet  i\narbejdet", None, "Kvalitet i arbejdet"),
        (None, SAMPLE_CONTEXT, None),
    ],
)
def test_issue_label(source: str | None, context: Context | None, label: str | None) -> None:
    assert issue_label(source, context, "da") == label
