"""The Word forms filled in a real LibreOffice as a person would, saved as .docx and parsed back.

Every built-in template × role (and a small template with every field kind) is rendered blank, filled by
clicking, typing, ticking and picking through the harness (``fillplan`` turns the wanted answers into those
actions), saved by LibreOffice as .docx and read with ``musforms._formats.parse.parse``. Besides the full fills: forms
opened and saved without edits, the mistakes a person may make (two ticks on one item, text beside a box,
impossible dates, an unknown owner, text outside the fields, a text over its length), AutoCorrect on, and a
double click into a placeholder. All files are filled in ONE ``fill_many`` batch (one driver process, about
a minute); each test then reads the file it is about.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import time
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from lxml import etree

from musforms import list_templates, load_template, load_template_text
from musforms._core.binding import inputs_of
from musforms._formats.docx.layout import anchor_name
from musforms._formats.parse import parse
from musforms._formats.render import render
from musforms._model.context import SAMPLE_CONTEXT
from musforms._model.fields import ROLES, CheckField, Role
from musforms._model.filled import FilledForm, Issue
from musforms._model.template import Template
from musforms._model.values import NOT_RELEVANT, AgreementRow, Signature

from ..docxtools import full_reading
from . import fillplan
from .fillplan import Action, W
from .harness import Job, JobResult, Office

pytestmark = pytest.mark.realclient

TEMPLATE_IDS = [info.id for info in list_templates()]
FORMS = [(template_id, role) for template_id in TEMPLATE_IDS for role in ROLES]
FORM_IDS = [f"{template_id}-{role}" for template_id, role in FORMS]
WHERE = re.compile(r"^table \d+, row \d+, cell \d+$")

#: A template with every field kind and option, also those no built-in template uses (a tick box, a single
#: choice, a one-line text, a text with max_length, an item rated by the manager only, every agreement column).
KINDS_ID = "realclient-kinds"
KINDS_YAML = """
id: realclient-kinds
version: "1.0"
title: Alle feltarter
language: da
style: scored
scales:
  agree4:
    title: Passer udsagnet?
    points:
      - {value: 1, label: Slet ikke}
      - {value: 2, label: Lidt}
      - {value: 3, label: Delvist}
      - {value: 4, label: Helt}
sections:
  - id: everything
    title: Alle slags felter
    fields:
      - {kind: text, id: story, label: Fortæl frit}
      - {kind: text, id: headline, label: Overskrift på året, multiline: false}
      - {kind: text, id: short_note, label: En kort note, max_length: 40, required: true}
      - {kind: rating, id: quality, label: Kvaliteten er god, scale: agree4, not_relevant: true}
      - {kind: rating, id: leadership, label: Tager teten, scale: agree4, raters: [manager]}
      - kind: choice
        id: one_way
        label: Den vigtigste vej frem
        options: [{id: course, label: Et kursus}, {id: mentor, label: En mentor}, {id: job, label: I jobbet}]
      - kind: choice
        id: many_ways
        label: Alle veje frem
        multiple: true
        options: [{id: course, label: Et kursus}, {id: mentor, label: En mentor}, {id: job, label: I jobbet}]
      - {kind: check, id: wants_new_tasks, label: Jeg vil gerne have nye opgaver}
      - {kind: check, id: wants_fewer_tasks, label: Jeg vil gerne have færre opgaver}
      - {kind: date, id: follow_up, label: Opfølgning}
      - kind: agreements
        id: all_columns
        label: Aftaler med alle kolonner
        columns: [action, owner, deadline, method, status, comment]
        rows: 3
      - {kind: signature, id: sign_employee, label: Medarbejder, signer: employee}
      - {kind: signature, id: sign_manager, label: Leder, signer: manager}
"""
KINDS_FORMS = [(KINDS_ID, role) for role in ROLES]
ALL_FORMS = FORMS + KINDS_FORMS
ALL_IDS = [f"{template_id}-{role}" for template_id, role in ALL_FORMS]
TOO_LONG = "Denne note er alt for lang til feltet, som højst må have 40 tegn"


# ------------------------------------------------------------------------------------------- the batch


@dataclass(frozen=True)
class Blank:
    """A rendered blank form, and where each input's cell is in it (``table T, row R, cell C``)."""

    template: Template
    role: Role
    path: Path
    form_id: str
    where: dict[str, str]

    def cell(self, field_id: str, part: str = "") -> str:
        return self.where[anchor_name(field_id, part)]


@dataclass
class Batch:
    dir: Path
    blanks: dict[tuple[str, str], Blank]
    jobs: dict[str, tuple[Blank, Job]]
    results: dict[str, JobResult] = field(default_factory=dict)
    answers: dict[str, dict[str, Any]] = field(default_factory=dict)
    seconds: float = 0.0
    _parsed: dict[str, FilledForm] = field(default_factory=dict)

    def add(self, key: str, form: tuple[str, str], actions: list[Action], *, autocorrect: bool = False) -> None:
        blank = self.blanks[form]
        out = self.dir / f"{key.replace('/', '-')}.docx"
        self.jobs[key] = (blank, Job(blank.path, out, actions, autocorrect))

    def out(self, key: str) -> Path:
        result = self.results[key]
        assert result.ok, f"LibreOffice could not do job {key}: {result.error}"
        return result.out

    def parsed(self, key: str) -> FilledForm:
        if key not in self._parsed:
            self._parsed[key] = parse(self.out(key), templates=[self.jobs[key][0].template])
        return self._parsed[key]


def render_blank(directory: Path, template: Template, role: Role) -> Blank:
    template_id = template.id
    form_id = f"F-{template_id}-{role}"
    data = render(template, "docx", role=role, context=SAMPLE_CONTEXT, form_id=form_id)
    path = directory / f"blank-{template_id}-{role}.docx"
    path.write_bytes(data)
    return Blank(template, role, path, form_id, fillplan.bookmark_cells(data))


# What a person may do wrong (or unusually), each in its own file:
TICKS = ("mus-scored-da", "employee")
VALUES = ("mus-soft-da", "employee")
OUTSIDE = ("mus-scored-en", "manager")
AUTOCORRECT = ("mus-soft-da", "manager")
DOUBLE_CLICK = ("mus-soft-en", "employee")

AFTER_TABLE = "Et afsnit skrevet efter tabellen: æøå & <ÆØÅ> 😀"
AT_END = "Skrevet helt til sidst i dokumentet – \"citat\" 'enkelt'"
LABEL_NOTE = "(se bilag)"
AUTOCORRECT_TEXTS = {
    "strengths": "god til at samarbejde med kollegerne. og lytter altid til kunderne",
    "goals": "jeg vil gerne lære mere om el-tavler. det er vigtigt for firmaet",
    "development_needs": "mere viden om solceller og batterier. gerne et kursus",
    "agreements__r1a": "kursus i solceller til efteråret. lederen finder datoer",
    "sign_manager__name": "lars holm",
}


def _mistake_jobs(batch: Batch) -> None:
    def mark(form: tuple[str, str], field_id: str, part: str = "") -> str:
        name = anchor_name(field_id, part)
        assert name in batch.blanks[form].where, f"{name} is not an input of {form}"
        return name

    batch.add(
        "ticks",
        TICKS,
        [
            {"op": "check", "bookmark": mark(TICKS, "rate_quality", "p2")},
            {"op": "check", "bookmark": mark(TICKS, "rate_quality", "p4")},
            {"op": "type_outside", "bookmark": mark(TICKS, "rate_efficiency", "p4"), "text": "4-5"},
            {"op": "type_outside", "bookmark": mark(TICKS, "rate_deadlines", "p3"), "text": "x"},
            {"op": "check", "bookmark": mark(TICKS, "rate_customer_service", "na")},
        ],
    )
    batch.add(
        "values",
        VALUES,
        [
            {"op": "type", "bookmark": mark(VALUES, "previous_agreements_status", "r1a"), "text": "Kursus i KNX"},
            {"op": "pick", "bookmark": mark(VALUES, "previous_agreements_status", "r1o"), "item": "Medarbejder"},
            {"op": "pick", "bookmark": mark(VALUES, "previous_agreements_status", "r1s"), "item": "I gang"},
            {"op": "type", "bookmark": mark(VALUES, "previous_agreements_status", "r1c"), "text": "Godt i gang "},
            {"op": "type", "bookmark": mark(VALUES, "agreements", "r1a"), "text": "Kursus i solceller"},
            {"op": "pick", "bookmark": mark(VALUES, "agreements", "r1o"), "item": "Leder"},
            {"op": "date", "bookmark": mark(VALUES, "agreements", "r1d"), "text": "2026-05-01"},
            {"op": "type", "bookmark": mark(VALUES, "agreements", "r2a"), "text": "Mentorordning"},
            {"op": "type", "bookmark": mark(VALUES, "agreements", "r2o"), "text": "Ole fra lageret"},
            {"op": "type", "bookmark": mark(VALUES, "followup_date"), "text": "31-02-2026"},
            {"op": "type", "bookmark": mark(VALUES, "sign_employee", "name"), "text": "Mette Sørensen"},
            {"op": "type", "bookmark": mark(VALUES, "sign_employee", "date"), "text": "næste uge"},
        ],
    )
    batch.add(
        "outside",
        OUTSIDE,
        [
            {"op": "type", "bookmark": mark(OUTSIDE, "strengths"), "text": "Fine work."},
            {"op": "type_after_table", "bookmark": mark(OUTSIDE, "strengths"), "text": AFTER_TABLE},
            # a note after the label of "goals": click into its answer, go up into the label cell, type
            {"op": "type", "bookmark": mark(OUTSIDE, "goals"), "text": ""},
            {"op": "key", "key": "UP"},
            {"op": "key", "key": "END"},
            {"op": "key", "key": LABEL_NOTE},
            {"op": "type_at_end", "text": AT_END},
        ],
    )
    batch.add(
        "autocorrect",
        AUTOCORRECT,
        [
            {"op": "type", "bookmark": mark(AUTOCORRECT, *key.partition("__")[::2]), "text": text}
            for key, text in AUTOCORRECT_TEXTS.items()
        ],
        autocorrect=True,
    )
    kinds = (KINDS_ID, "employee")
    batch.add("too-long", kinds, [{"op": "type", "bookmark": mark(kinds, "short_note"), "text": TOO_LONG}])
    # two clicks in a row on the same placeholder are a double click; then the person types
    batch.add(
        "double-click",
        DOUBLE_CLICK,
        [
            {"op": "click", "bookmark": mark(DOUBLE_CLICK, "goals")},
            {"op": "type", "bookmark": mark(DOUBLE_CLICK, "goals"), "text": "More responsibility"},
        ],
    )


@pytest.fixture(scope="module")
def batch(libreoffice: Office, tmp_path_factory: pytest.TempPathFactory) -> Batch:
    directory = tmp_path_factory.mktemp("docx-fill")
    templates = {template_id: load_template(template_id) for template_id in TEMPLATE_IDS}
    templates[KINDS_ID] = load_template_text(KINDS_YAML)
    blanks = {(t, role): render_blank(directory, templates[t], role) for t in templates for role in ROLES}
    batch = Batch(directory, blanks, {})
    for form in ALL_FORMS:
        blank = blanks[form]
        answers = fillplan.sample_answers(blank.template, blank.role)
        key = "fill/" + "/".join(form)
        batch.answers[key] = answers
        batch.add(key, form, fillplan.plan(blank.template, blank.role, answers))
        batch.add("untouched/" + "/".join(form), form, [])
    _mistake_jobs(batch)
    started = time.monotonic()
    results = libreoffice.fill_many([job for _blank, job in batch.jobs.values()], check=False)
    batch.seconds = time.monotonic() - started
    batch.results = dict(zip(batch.jobs, results, strict=True))
    return batch


# ----------------------------------------------------------------------------------------------- helpers


def describe(issues: tuple[Issue, ...] | list[Issue]) -> str:
    return "\n".join(
        f"  {i.code} {i.field_id} raw={i.raw!r} at {i.location.where if i.location else None}: {i.message}"
        for i in issues
    )


def only(issues: tuple[Issue, ...], test: Callable[[Issue], bool], what: str) -> Issue:
    found = [i for i in issues if test(i)]
    assert len(found) == 1, f"expected one issue {what}, got {len(found)}:\n{describe(issues)}"
    return found[0]


def field_diff(got: dict[str, Any], want: dict[str, Any]) -> str:
    lines = []
    for key in sorted(set(got) | set(want)):
        if got.get(key, "<absent>") != want.get(key, "<absent>"):
            parsed, expected = got.get(key, "<absent>"), want.get(key, "<absent>")
            lines.append(f"  {key}:\n    parsed   {parsed!r}\n    expected {expected!r}")
    return "\n".join(lines)


def _items(value: Any) -> list[Any]:
    return list(value) if isinstance(value, list) else [value]


def label_of(template: Template, field_id: str) -> str | None:
    return getattr(template.field(field_id), "label", None)


def body_paragraphs_before(path: Path, bookmark: str) -> int:
    """How many body paragraphs come before the table holding ``bookmark`` in a rendered form."""
    with zipfile.ZipFile(path) as archive:
        body = etree.fromstring(archive.read("word/document.xml")).find(f"{{{W}}}body")
    assert body is not None
    count = 0
    for child in body:
        if child.tag == f"{{{W}}}p":
            count += 1
        elif child.tag == f"{{{W}}}tbl" and any(
            mark.get(f"{{{W}}}name") == bookmark for mark in child.iter(f"{{{W}}}bookmarkStart")
        ):
            return count
    raise AssertionError(f"no table holds {bookmark}")


def body_paragraph_count(path: Path) -> int:
    with zipfile.ZipFile(path) as archive:
        body = etree.fromstring(archive.read("word/document.xml")).find(f"{{{W}}}body")
    assert body is not None
    return sum(1 for child in body if child.tag == f"{{{W}}}p")


# ------------------------------------------------------------------------------------ 1. full round trip


@pytest.mark.parametrize(("template_id", "role"), ALL_FORMS, ids=ALL_IDS)
def test_every_field_typed_in_libreoffice_parses_back_exactly(batch: Batch, template_id: str, role: Role) -> None:
    key = f"fill/{template_id}/{role}"
    blank = batch.blanks[(template_id, role)]
    answers = batch.answers[key]
    form = batch.parsed(key)

    assert (form.template_id, form.role, form.form_id, form.format) == (template_id, role, blank.form_id, "docx")
    assert form.subject_id == SAMPLE_CONTEXT.employee.id
    assert form.template_version == blank.template.version
    assert form.fingerprint == blank.template.fingerprint
    assert form.issues == (), f"issues in a correctly filled form:\n{describe(form.issues)}"
    expected = fillplan.expected_answers(blank.template, role, answers)
    assert form.answers == expected, f"parsed answers differ from what was typed:\n{field_diff(form.answers, expected)}"
    # dates were typed as the controls show them: dd-mm-yyyy
    saved_text = "".join(fillplan.document_root(batch.out(key)).itertext())
    for value in answers.values():
        days = [value] if isinstance(value, dt.date) else []
        days += [getattr(v, "deadline", None) or getattr(v, "date", None) for v in _items(value)]
        for day in filter(None, days):
            assert f"{day:%d-%m-%Y}" in saved_text, day


@pytest.mark.parametrize(("template_id", "role"), FORMS, ids=FORM_IDS)
def test_the_fill_covers_every_field_and_the_hard_cases(batch: Batch, template_id: str, role: Role) -> None:
    """The answers typed are what the brief asks for: every answered field, ratings with "not relevant",
    Danish letters, XML characters, an emoji, Enter, a long text, dates, choices, agreements, signatures."""
    blank = batch.blanks[(template_id, role)]
    answers = batch.answers[f"fill/{template_id}/{role}"]
    template = blank.template
    assert set(answers) == {f.id for f in template.answer_fields(role)}
    assert all(value is not None for value in answers.values())
    texts = [v for v in answers.values() if isinstance(v, str)]
    joined = "".join(texts)
    # Preparation forms have many open questions: every hard case is typed in each. A plan or a follow-up
    # has only two or three, which get the long text and a share of the hard cases.
    needles = ("æ", "ø", "å", "Æ", "Ø", "Å", "&", "<", ">", '"', "'", "😀", "\n")
    if template.purpose != "preparation":
        needles = ("\n",)
        assert any(ch in joined for ch in "æøåÆØÅ")
    for needle in needles:
        assert needle in joined, needle
    assert max(len(t) for t in texts) >= 2000
    ratings = [v for f, v in answers.items() if template.field(f).kind == "rating"]
    if ratings:
        assert NOT_RELEVANT in ratings
        assert len({r for r in ratings if r != NOT_RELEVANT}) >= 3
    rows = [row for v in answers.values() if isinstance(v, list) for row in v if isinstance(row, AgreementRow)]
    assert rows and all(row.owner and (row.deadline or row.status) for row in rows)
    signatures = [v for v in answers.values() if isinstance(v, Signature)]
    assert signatures and all(s.name and s.date for s in signatures)


# ------------------------------------------------------------------------------------ 3. open and save


@pytest.mark.parametrize(("template_id", "role"), ALL_FORMS, ids=ALL_IDS)
def test_a_form_opened_and_saved_without_edits_parses_empty(batch: Batch, template_id: str, role: Role) -> None:
    """No answers and no issues, except the documented warning for each required field left empty."""
    blank = batch.blanks[(template_id, role)]
    form = batch.parsed(f"untouched/{template_id}/{role}")
    required = [f for f in blank.template.answer_fields(role) if f.required]
    assert len(form.issues) == len(required), describe(form.issues)
    for f, issue in zip(required, form.issues, strict=True):
        assert (issue.code, issue.field_id, issue.severity) == ("field.required", f.id, "warning"), describe([issue])
        assert issue.label == label_of(blank.template, f.id)
        assert issue.location is not None
        first_input = inputs_of(blank.template, f)[0]
        assert issue.location.where == blank.cell(f.id, first_input.part)
    empty = {f.id: (False if isinstance(f, CheckField) else None) for f in blank.template.answer_fields(role)}
    assert form.answers == empty, field_diff(form.answers, empty)
    assert (form.template_id, form.role, form.form_id) == (template_id, role, blank.form_id)


def test_every_file_libreoffice_saved_reads_the_same_both_ways(batch: Batch) -> None:
    """The quick reading (libxml2's text of plain cells) gives what the node-by-node reading gives, on every
    file of the batch: typed, ticked, picked, mistaken, autocorrected, and opened and saved untouched."""
    assert len(batch.jobs) > 40
    for key in batch.jobs:
        quick = batch.parsed(key)
        with full_reading():
            full = parse(batch.out(key), templates=[batch.jobs[key][0].template])
        assert quick == full, key


# --------------------------------------------------------------------------------- 2. what people do wrong


def test_two_points_ticked_on_one_rating_item_is_ambiguous(batch: Batch) -> None:
    blank = batch.blanks[TICKS]
    form = batch.parsed("ticks")
    issue = only(form.issues, lambda i: i.field_id == "rate_quality", "for rate_quality")
    assert issue.code == "value.ambiguous"
    assert issue.severity == "error"
    assert issue.label == label_of(blank.template, "rate_quality")
    assert issue.raw == "2, 4"
    assert issue.location is not None
    assert issue.location.part == "word/document.xml"
    row = blank.cell("rate_quality", "p2").rsplit(", cell", 1)[0]  # the item's row
    assert issue.location.where.startswith(row + ", cell "), issue.location
    assert WHERE.match(issue.location.where)
    assert form.answers["rate_quality"] is None


def test_text_typed_beside_a_rating_box_is_invalid_and_kept(batch: Batch) -> None:
    blank = batch.blanks[TICKS]
    form = batch.parsed("ticks")
    issue = only(form.issues, lambda i: i.field_id == "rate_efficiency", "for rate_efficiency")
    assert issue.code == "value.invalid"
    assert issue.severity == "error"
    assert issue.label == label_of(blank.template, "rate_efficiency")
    assert issue.raw == "4-5"
    assert issue.location is not None
    assert issue.location.where == blank.cell("rate_efficiency", "p4")
    assert issue.location.anchor == anchor_name("rate_efficiency", "p4")
    assert form.answers["rate_efficiency"] is None


def test_an_x_typed_beside_a_rating_box_counts_as_the_tick(batch: Batch) -> None:
    form = batch.parsed("ticks")
    assert form.answers["rate_deadlines"] == 3
    assert form.answers["rate_customer_service"] == NOT_RELEVANT
    assert {i.field_id for i in form.issues} == {"rate_quality", "rate_efficiency"}, describe(form.issues)


def test_impossible_and_non_dates_are_invalid_and_kept(batch: Batch) -> None:
    blank = batch.blanks[VALUES]
    form = batch.parsed("values")
    impossible = only(form.issues, lambda i: i.raw == "31-02-2026", "with raw 31-02-2026")
    assert (impossible.code, impossible.field_id, impossible.severity) == ("value.invalid", "followup_date", "error")
    assert impossible.label == label_of(blank.template, "followup_date")
    assert impossible.location is not None
    assert impossible.location.where == blank.cell("followup_date")
    assert form.answers["followup_date"] is None

    words = only(form.issues, lambda i: i.raw == "næste uge", "with raw 'næste uge'")
    assert (words.code, words.field_id, words.severity) == ("value.invalid", "sign_employee", "error")
    assert words.label == label_of(blank.template, "sign_employee")
    assert words.location is not None
    assert WHERE.match(words.location.where)
    # the signature's row (its date cell is in the same row as its name cell)
    row = blank.cell("sign_employee", "date").rsplit(", cell", 1)[0]
    assert words.location.where.startswith(row + ", cell "), words.location
    assert form.answers["sign_employee"] == Signature(name="Mette Sørensen", date=None)


def test_an_unknown_owner_in_an_agreements_row_is_invalid_and_kept(batch: Batch) -> None:
    blank = batch.blanks[VALUES]
    form = batch.parsed("values")
    issue = only(form.issues, lambda i: i.field_id == "agreements", "for agreements")
    assert issue.code == "value.invalid"
    assert issue.severity == "error"
    assert issue.label == label_of(blank.template, "agreements")
    assert issue.raw == "Ole fra lageret"
    assert issue.message.startswith("Aftale 2, kolonnen »Hvem«:")
    assert issue.location is not None
    assert WHERE.match(issue.location.where)
    table = blank.cell("agreements", "r2o").split(", row")[0]
    assert issue.location.where.startswith(table + ", row "), issue.location
    # the rest of the row is kept; the first row is complete
    assert form.answers["agreements"] == [
        AgreementRow(action="Kursus i solceller", owner="manager", deadline=dt.date(2026, 5, 1)),
        AgreementRow(action="Mentorordning"),
    ]
    assert len(form.issues) == 3, describe(form.issues)


def test_issues_of_agreements_and_signatures_point_at_the_cell_written_in(batch: Batch) -> None:
    blank = batch.blanks[VALUES]
    form = batch.parsed("values")
    owner = only(form.issues, lambda i: i.field_id == "agreements", "for agreements")
    date = only(form.issues, lambda i: i.field_id == "sign_employee", "for sign_employee")
    assert owner.location is not None and date.location is not None
    assert (owner.location.where, date.location.where) == (
        blank.cell("agreements", "r2o"),
        blank.cell("sign_employee", "date"),
    )


def test_an_agreement_comment_is_stripped_like_other_texts(batch: Batch) -> None:
    form = batch.parsed("values")
    assert form.answers["previous_agreements_status"] == [
        AgreementRow(action="Kursus i KNX", owner="employee", status="in_progress", comment="Godt i gang")
    ]


def test_a_text_longer_than_its_max_length_is_too_long_and_kept(batch: Batch) -> None:
    blank = batch.blanks[(KINDS_ID, "employee")]
    form = batch.parsed("too-long")
    issue = only(form.issues, lambda i: i.field_id == "short_note", "for short_note")
    assert (issue.code, issue.severity, issue.raw) == ("value.too_long", "error", TOO_LONG)
    assert issue.label == label_of(blank.template, "short_note")
    assert issue.location is not None and issue.location.where == blank.cell("short_note")
    assert form.answers["short_note"] is None
    assert len(form.issues) == 1, describe(form.issues)  # no "required" warning besides


def test_text_outside_the_fields_is_reported_unmapped_and_kept(batch: Batch) -> None:
    blank = batch.blanks[OUTSIDE]
    form = batch.parsed("outside")
    assert form.answers["strengths"] == "Fine work."
    assert all(v is None for k, v in form.answers.items() if k != "strengths")
    unmapped = [i for i in form.issues if i.code == "content.unmapped"]
    assert len(unmapped) == len(form.issues) == 3, describe(form.issues)
    assert all(i.severity == "warning" and i.field_id is None for i in unmapped)

    strengths = anchor_name("strengths", "")
    after = only(form.issues, lambda i: i.raw == AFTER_TABLE, "for the paragraph after the table")
    assert after.location is not None
    assert after.location.where == f"paragraph {body_paragraphs_before(blank.path, strengths) + 1}"

    end = only(form.issues, lambda i: i.raw == AT_END, "for the paragraph at the end")
    assert end.location is not None
    # the blank's paragraphs, the one typed after the table, and the one typed at the end
    assert end.location.where == f"paragraph {body_paragraph_count(blank.path) + 2}"

    note = only(form.issues, lambda i: LABEL_NOTE in (i.raw or ""), "for the note in the label cell")
    label = label_of(blank.template, "goals")
    assert note.raw is not None and label is not None
    assert note.raw.startswith(label) and note.raw.endswith(LABEL_NOTE)
    assert note.location is not None
    # the label is the row above the answer, in the same table
    table, row, _cell = (int(n) for n in re.findall(r"\d+", blank.cell("goals")))
    assert note.location.where == f"table {table}, row {row - 1}, cell 1"


def test_a_double_click_into_a_placeholder_then_typing_keeps_only_the_typed_text(batch: Batch) -> None:
    form = batch.parsed("double-click")
    problems = [i for i in form.issues if i.field_id == "goals"]
    typed_kept = form.answers["goals"] == "More responsibility" or any(
        "More responsibility" in (i.raw or "") for i in problems
    )
    assert typed_kept, (form.answers["goals"], describe(form.issues))


def test_typed_text_in_a_control_still_flagged_as_placeholder_is_not_dropped(batch: Batch) -> None:
    """Seen in a real fill of a form with the earlier placeholder "Write here …": the double click selected
    "Write"; the person typed over it, and LibreOffice saved ``<w:showingPlcHdr/>`` with the runs "More
    responsibility" and " here …". Typed text with what is left of the placeholder is put into the goals
    control of a form LibreOffice saved without edits, still flagged: the text, then the lines to write on the
    control shows now (tabs and line breaks, no words)."""
    saved = batch.out(f"untouched/{DOUBLE_CLICK[0]}/{DOUBLE_CLICK[1]}")
    root = fillplan.document_root(saved)
    mark = next(m for m in root.iter(f"{{{W}}}bookmarkStart") if m.get(f"{{{W}}}name") == anchor_name("goals", ""))
    content = mark.getparent()
    assert etree.QName(content).localname == "sdtContent"
    assert content.getparent().find(f"{{{W}}}sdtPr/{{{W}}}showingPlcHdr") is not None
    assert not "".join(content.itertext(f"{{{W}}}t")).strip()  # the placeholder: lines, no words
    lines = next(r for r in content.iter(f"{{{W}}}r") if r.find(f"{{{W}}}tab") is not None)
    typed = etree.fromstring(f'<w:r xmlns:w="{W}"><w:t>More responsibility</w:t></w:r>')
    lines.addprevious(typed)
    form = parse(replace_part(saved.read_bytes(), "word/document.xml", etree.tostring(root)))
    kept = "More responsibility" in (form.answers["goals"] or "") or any(
        "More responsibility" in (i.raw or "") for i in form.issues if i.field_id == "goals"
    )
    assert kept, (form.answers["goals"], describe(form.issues))


def replace_part(docx: bytes, name: str, data: bytes) -> bytes:
    """The .docx with part ``name`` replaced by ``data``, everything else unchanged."""
    source = zipfile.ZipFile(io.BytesIO(docx))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            target.writestr(item, data if item.filename == name else source.read(item.filename))
    return out.getvalue()


# --------------------------------------------------------------------------------------- AutoCorrect on


def test_autocorrect_on_plain_danish_sentences_are_found(batch: Batch) -> None:
    """With AutoCorrect on (a fresh profile's default) the sentences come back, perhaps capitalised.

    LibreOffice deletes a bookmark that starts a plain cell when AutoCorrect rewrites the first word; the
    forms put every input in a control, whose bookmark survives. Either way no input may go missing: the
    bookmarks of the typed inputs are then removed from the saved file (what AutoCorrect does to a plain
    cell), and the parser must still find every text by the cell's position.
    """
    blank = batch.blanks[AUTOCORRECT]
    saved = batch.out("autocorrect")

    def check(form: FilledForm) -> None:
        assert not [i for i in form.issues if i.code == "field.missing"], describe(form.issues)
        assert form.issues == (), describe(form.issues)
        for key, typed in AUTOCORRECT_TEXTS.items():
            field_id, _, part = key.partition("__")
            value = form.answers[field_id]
            if part == "r1a":
                value = value[0].action if value else None
            elif part == "name":
                value = value.name if value else None
            assert isinstance(value, str) and value.casefold() == typed.casefold(), (key, value)

    check(batch.parsed("autocorrect"))
    lost = set(blank.where) - fillplan.bookmark_names(saved)
    assert lost <= {anchor_name(*k.partition("__")[::2]) for k in AUTOCORRECT_TEXTS}, lost

    typed_marks = {anchor_name(*key.partition("__")[::2]) for key in AUTOCORRECT_TEXTS}
    check(parse(without_bookmarks(saved.read_bytes(), typed_marks)))


def without_bookmarks(docx: bytes, names: set[str]) -> bytes:
    """The .docx with the bookmarks ``names`` removed (start and end), everything else unchanged."""
    root = etree.fromstring(zipfile.ZipFile(io.BytesIO(docx)).read("word/document.xml"))
    ids = set()
    for mark in list(root.iter(f"{{{W}}}bookmarkStart")):
        if mark.get(f"{{{W}}}name") in names:
            ids.add(mark.get(f"{{{W}}}id"))
            mark.getparent().remove(mark)
    for end in list(root.iter(f"{{{W}}}bookmarkEnd")):
        if end.get(f"{{{W}}}id") in ids:
            end.getparent().remove(end)
    assert len(ids) == len(names), "not every bookmark was found"
    return replace_part(docx, "word/document.xml", etree.tostring(root, xml_declaration=True, encoding="UTF-8"))


# ------------------------------------------------------------------------------------------------ speed


def test_every_job_of_the_batch_was_filled(batch: Batch) -> None:
    """Each fill ran to its end (how long it took is no test: the harness only stops a fill that hangs)."""
    assert set(batch.results) == set(batch.jobs)
    assert all(result.seconds > 0 for result in batch.results.values())
