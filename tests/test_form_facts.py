"""The texts that describe a form follow the form: a company that changes a built-in template (removes a part,
changes minutes, relabels or swaps the scale, drops "not relevant", names its company, follows up after 3
months, lets the employee write up) gets forms, an invitation and a plan whose every text states the changed
facts and none of the old; and the words of a text follow the reader's role."""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from pathlib import Path

import pytest
from openpyxl import load_workbook

import musforms
from musforms import Context, load_template
from musforms._text.form_facts import company_of, duration_in_words, form_facts, role_words
from musforms._text.sandbox import render_text

CONTEXT = Context.model_validate(
    {
        "employee": {"id": "E-7", "name": "Mette Sørensen"},
        "manager": {"id": "M-1", "name": "Lars Holm"},
        "company": {"name": "Eksempel El A/S"},
        "meeting": {"start": "2026-03-16T10:00:00", "place": "Mødelokale 2"},
    }
)


def docx_text(data: bytes) -> str:
    """Every paragraph of a Word file's body and headers, one a line."""
    lines: list[str] = []
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        for name in sorted(package.namelist()):
            if re.fullmatch(r"word/(document|header\d*)\.xml", name):
                xml = package.read(name).decode("utf-8")
                for paragraph in re.findall(r"<w:p[ >].*?</w:p>", xml, flags=re.S):
                    lines.append("".join(re.findall(r"<w:t(?: [^>]*)?>([^<]*)</w:t>", paragraph)))
    return _unescape("\n".join(lines))


def xlsx_text(data: bytes) -> str:
    """Every cell value of a workbook's visible sheets, and their headers, one a line (a hidden sheet holds
    data, such as the stored context, that no one reads as the form's text)."""
    book = load_workbook(io.BytesIO(data))
    lines: list[str] = []
    for sheet in book.worksheets:
        if sheet.sheet_state != "visible":
            continue
        lines += [str(sheet.oddHeader.left.text or ""), str(sheet.oddHeader.right.text or "")]
        lines += [str(cell.value) for row in sheet.iter_rows() for cell in row if cell.value is not None]
    return "\n".join(lines)


def _unescape(text: str) -> str:
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", '"').replace("&amp;", "&")


def _folded(text: str) -> str:
    return " ".join(text.split())


def every_text(template: musforms.Template, context: Context = CONTEXT) -> dict[str, str]:
    """The text of each role's form in each format, and of the invitation sent with them."""
    found = {}
    for role in ("employee", "manager"):
        found[f"{role}.docx"] = _folded(docx_text(musforms.render(template, "docx", role=role, context=context)))
        found[f"{role}.xlsx"] = _folded(xlsx_text(musforms.render(template, "xlsx", role=role, context=context)))
    invitation = musforms.load_invitation(f"invitation-{template.language}").render(context, template)
    found["invitation"] = _folded(invitation.body)
    found["invitation.docx"] = _folded(docx_text(invitation.docx()))
    return found


def company_template(tmp_path: Path, yaml: str, name: str = "company.yaml") -> musforms.Template:
    path = tmp_path / name
    path.write_text(yaml, encoding="utf-8")
    assert musforms.check_template(path) == [], musforms.check_template(path)
    return load_template(path)


def assert_states(texts: dict[str, str], present: list[str], absent: list[str], only: tuple[str, ...] = ()) -> None:
    for where, text in texts.items():
        if only and not where.startswith(only):
            continue
        for words in present:
            assert words in text, f"{where} does not say {words!r}"
        for words in absent:
            assert words.lower() not in text.lower(), f"{where} still says {words!r}"


FORMS = ("employee.", "manager.")


def test_the_builtin_forms_state_their_own_facts() -> None:
    texts = every_text(load_template("mus-scored-da"))
    assert_states(
        texts,
        ["ca. 1 time i fem dele", "nutid og fremtid (30 min.)", "fra 1 (i meget lav grad) til 5 (i meget høj grad)"],
        [],
        only=FORMS,
    )
    assert_states(texts, ["fem dele", "Vi følger op på aftalerne efter 6 måneder"], [], only=("invitation",))


def test_a_removed_part(tmp_path: Path) -> None:
    template = company_template(tmp_path, "extends: mus-scored-da\nid: acme\nchanges:\n  - remove: closing\n")
    facts = form_facts(template)
    assert (facts.part_count, facts.minutes, facts.duration) == (4, 55, "ca. 55 min.")
    texts = every_text(template)
    assert_states(texts, ["ca. 55 min. i fire dele", "samarbejde og trivsel (10 min.)."], [], only=FORMS)
    assert_states(texts, ["fire dele"], ["fem dele", "afslutning (5 min.)", "ca. 1 time i"])


def test_changed_minutes(tmp_path: Path) -> None:
    yaml = (
        "extends: mus-scored-en\nid: acme\nchanges:\n"
        "  - update: present_future\n    set: {minutes: 25}\n"
        "  - update: collaboration_wellbeing\n    set: {minutes: 20}\n"
    )
    texts = every_text(company_template(tmp_path, yaml))
    assert_states(texts, ["about 1 hour and 5 min in five parts"], [], only=FORMS)
    assert_states(texts, ["present and future (25 min)", "collaboration and well-being (20 min)"], ["(30 min)"])


def test_a_relabelled_scale(tmp_path: Path) -> None:
    labels = ["Slet ikke", "Kun lidt", "Delvist", "For det meste", "Helt og holdent"]
    points = ", ".join(f"{{value: {n}, label: {label}}}" for n, label in enumerate(labels, start=1))
    yaml = f"extends: mus-scored-da\nid: acme\nscales:\n  degree5:\n    points: [{points}]\n"
    texts = every_text(company_template(tmp_path, yaml))
    assert_states(texts, ["fra 1 (slet ikke) til 5 (helt og holdent)"], ["meget lav grad", "meget høj grad"], FORMS)


def test_a_swapped_scale(tmp_path: Path) -> None:
    labels = ["Uenig", "Lidt uenig", "Lidt enig", "Enig"]
    points = ", ".join(f"{{value: {n}, label: {label}}}" for n, label in enumerate(labels, start=1))
    yaml = f"extends: mus-scored-da\nid: acme\nscales:\n  degree5:\n    points: [{points}]\n"
    texts = every_text(company_template(tmp_path, yaml))
    assert_states(texts, ["fra 1 (uenig) til 4 (enig)"], ["til 5", "i meget lav grad", "i meget høj grad"], FORMS)


@pytest.mark.parametrize("language", ["da", "en"])
def test_not_relevant_dropped(tmp_path: Path, language: str) -> None:
    offering = [
        f.id for _s, f in load_template(f"mus-scored-{language}").iter_fields() if getattr(f, "not_relevant", False)
    ]
    assert offering, "the built-in offers 'not relevant' for some items"
    changes = "".join(f"  - update: {field_id}\n    set: {{not_relevant: false}}\n" for field_id in offering)
    template = company_template(tmp_path, f"extends: mus-scored-{language}\nid: acme\nchanges:\n{changes}")
    assert form_facts(template).not_relevant == "none"
    assert_states(every_text(template), [], ["ikke relevant" if language == "da" else "not relevant"])


def test_not_relevant_for_some_and_for_all(tmp_path: Path) -> None:
    some = every_text(load_template("mus-scored-da"))
    assert_states(some, ["for nogle udsagn kan du også vælge »Ikke relevant«"], ["Vælg »Ikke relevant«, hvis"], FORMS)
    ratings = [f.id for _s, f in load_template("mus-scored-da").iter_fields() if f.kind == "rating"]
    changes = "".join(f"  - update: {field_id}\n    set: {{not_relevant: true}}\n" for field_id in ratings)
    every = every_text(company_template(tmp_path, f"extends: mus-scored-da\nid: acme\nchanges:\n{changes}"))
    assert_states(every, ["eller vælg »Ikke relevant«", "Vælg »Ikke relevant«, hvis"], ["for nogle udsagn"], FORMS)


def test_the_company_named_by_the_template_is_the_one_name(tmp_path: Path) -> None:
    template = company_template(tmp_path, "extends: mus-soft-da\nid: acme\ncompany: {name: Nordlys VVS ApS}\n")
    texts = every_text(template)
    assert_states(texts, ["Nordlys VVS ApS"], ["Eksempel El A/S"])
    assert "hos Nordlys VVS ApS" in texts["employee.docx"]
    company = company_of(template, CONTEXT)
    assert company is not None and company.name == "Nordlys VVS ApS"
    assert company_of(load_template("mus-soft-da"), CONTEXT) == CONTEXT.company


def test_the_context_names_the_company_when_the_template_does_not() -> None:
    texts = every_text(load_template("mus-soft-da"))
    assert_states(texts, ["Eksempel El A/S"], [], only=("employee.docx", "invitation"))


@pytest.mark.parametrize("language", ["da", "en"])
def test_a_three_month_follow_up(tmp_path: Path, language: str) -> None:
    months = "måneder" if language == "da" else "months"
    template = company_template(tmp_path, f"extends: mus-scored-{language}\nid: acme\nfollowup_months: 3\n")
    assert template.followup_months == 3 and form_facts(template).followup_months == 3
    texts = every_text(template)
    assert_states(texts, [f"3 {months}"], [f"6 {months}"])
    plan_template = company_template(
        tmp_path, f"extends: plan-{language}\nid: acme-plan\nfollowup_months: 3\n", "p.yaml"
    )
    for fmt, read in (("docx", docx_text), ("xlsx", xlsx_text)):
        plan = _folded(read(musforms.render_plan(CONTEXT, template=plan_template, format=fmt)))
        assert f"3 {months}" in plan and f"6 {months}" not in plan
    filled = musforms.parse(musforms.render_plan(CONTEXT, template=plan_template), templates=[plan_template])
    assert filled.answers["followup_date"] == dt.date(2026, 6, 16)


def test_the_employee_writes_up(tmp_path: Path) -> None:
    template = company_template(tmp_path, "extends: mus-soft-da\nid: acme\nwritten_up_by: employee\n")
    texts = every_text(template)
    assert_states(texts, ["Medarbejderen renskriver", "Lederen får konklusionerne til gennemsyn"], [], only=FORMS)
    assert_states(texts, ["Bagefter skriver du dem rent"], ["Lederen renskriver"], only=("invitation",))
    plan = company_template(tmp_path, "extends: plan-en\nid: acme-plan\nwritten_up_by: employee\n", "p.yaml")
    text = _folded(docx_text(musforms.render_plan(CONTEXT, template=plan)))
    assert "The employee writes up" in text and "The manager reads the document" in text


@pytest.mark.parametrize(
    ("language", "employee", "manager"),
    [("da", "din motivation", "medarbejderens motivation"), ("en", "your motivation", "the employee's motivation")],
)
def test_role_words_differ_per_role(language: str, employee: str, manager: str) -> None:
    texts = every_text(load_template(f"mus-soft-{language}"))
    for fmt in ("docx", "xlsx"):
        assert employee in texts[f"employee.{fmt}"] and manager not in texts[f"employee.{fmt}"]
        assert manager in texts[f"manager.{fmt}"] and employee not in texts[f"manager.{fmt}"]


def test_the_namespace_has_role_you_and_form() -> None:
    form = form_facts(load_template("mus-scored-da"))
    source = "{{ role }}|{{ you.subject }}|{{ you.your }}|{{ form.minutes }}|{{ form.scale.points | length }}"
    assert render_text(source, CONTEXT, "da", role="employee", form=form) == "employee|du|din|60|5"
    assert render_text(source, CONTEXT, "da", role="manager", form=form) == "manager|medarbejderen|medarbejderens|60|5"
    assert render_text("{{ role }} {{ form }}", CONTEXT, "da") == "None None"
    assert role_words(None, "en").your == "the employee's" and role_words("employee", "en").your == "your"
    text = "{% if role == 'employee' %}{{ you.subject | capitalize }} vælger{% else %}Lederen vælger{% endif %}"
    assert render_text(text, CONTEXT, "da", role="employee", form=form) == "Du vælger"


def test_durations_in_words() -> None:
    assert [duration_in_words(m, "da") for m in (0, 55, 60, 65, 120)] == [
        "",
        "ca. 55 min.",
        "ca. 1 time",
        "ca. 1 time og 5 min.",
        "ca. 2 timer",
    ]
    assert [duration_in_words(m, "en") for m in (55, 60, 150)] == [
        "about 55 min",
        "about 1 hour",
        "about 2 hours and 30 min",
    ]


def test_the_demo_company_form_has_one_company_name(tmp_path: Path) -> None:
    from musforms._cli.demo import COMPANY_TEMPLATE
    from musforms._cli.demo import CONTEXT as DEMO_CONTEXT

    template = company_template(tmp_path, COMPANY_TEMPLATE)
    other = DEMO_CONTEXT.model_copy(update={"company": musforms.Company(name="Eksempel El A/S")})
    texts = every_text(template, other)
    assert_states(texts, ["Acme El A/S", "nutid og fremtid (25 min.)"], ["Eksempel El A/S", "(30 min.)"], FORMS)


@pytest.mark.parametrize(
    ("text", "message", "hint"),
    [
        ("{{ form.minuts }}", "'form' has no attribute 'minuts'", "did you mean 'minutes'?"),
        ("{{ you.yor }}", "'you' has no attribute 'yor'", "did you mean 'your'?"),
        ("{{ form.scale.lo }}", "'form.scale' has no attribute 'lo'", "did you mean 'low'?"),
        ("{{ form.scale.low.labl }}", "'form.scale.low' has no attribute 'labl'", "did you mean 'label'?"),
    ],
)
def test_a_misspelt_fact_is_named_with_its_fix(text: str, message: str, hint: str) -> None:
    from musforms._text.checks import text_problems

    assert text_problems(text) == [(message, hint)]


def test_the_invitation_may_use_form_only_guarded() -> None:
    from musforms._text.checks import text_problems

    assert text_problems("{% if form %}{{ form.duration }}{% endif %}", in_form=False) == []
    ((message, _hint),) = text_problems("{{ form.duration }}", in_form=False)
    assert "'None' has no attribute 'duration'" in message


def test_the_accessible_names_follow_the_role_too() -> None:
    """A control's title (what a screen reader announces) is the label as the reader's form prints it, even when
    the other role's form was made first (its words are not taken from a cache of the other role)."""
    template = load_template("mus-soft-da")
    raw = {}
    for role in ("employee", "manager", "employee"):
        data = musforms.render(template, "docx", role=role, context=CONTEXT)
        with zipfile.ZipFile(io.BytesIO(data)) as package:
            raw[role] = package.read("word/document.xml").decode("utf-8")
    assert 'w:val="Hvad er vigtigt for din motivation' in raw["employee"]
    assert "din motivation" not in raw["manager"] and "medarbejderens motivation" in raw["manager"]
    assert "medarbejderens motivation" not in raw["employee"]


def test_the_plan_is_the_writers_copy(tmp_path: Path) -> None:
    employee_writes = company_template(tmp_path, "extends: plan-da\nid: acme-plan\nwritten_up_by: employee\n")
    assert musforms.parse(musforms.render_plan(CONTEXT, template=employee_writes)).role == "employee"
    assert musforms.parse(musforms.render_plan(CONTEXT, template="plan-da")).role == "manager"
    given = musforms.render_plan(CONTEXT, template=employee_writes, role="manager")
    assert musforms.parse(given, templates=[employee_writes]).role == "manager"
