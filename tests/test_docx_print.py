"""A Word form on paper: nothing technical printed (the identity line hidden, a short form number), the manager's
copy marked on every page and numbering the parts as the employee's form, the title printed once, calm rating
tables of one statement width that may split between rows, agreement tables with room for the comment, lists and
signatures kept together, and a follow-up dated on the follow-up's day."""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile

import pytest
from hypothesis import given
from hypothesis import strategies as st
from lxml import etree

import musforms
from musforms import Context
from musforms._core.i18n import PRINTED_FORM_ID_LENGTH, words
from musforms._formats.docx import ooxml as x
from musforms._formats.docx.layout import _paragraphs, agreement_widths
from musforms._formats.docx.skeleton import CONTENT_WIDTH
from musforms._formats.docx.tables import ITEM_WIDTH, KEPT_ROWS, rating_widths
from musforms._workflows.plan import followup_context

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
CONTEXT = Context.model_validate(
    {
        "employee": {"id": "E-7", "name": "Ida Holm"},
        "manager": {"id": "M-1", "name": "Lars Holm"},
        "company": {"name": "Acme A/S"},
        "meeting": {"start": "2026-03-16T10:00", "place": "Mødelokale 2"},
    }
)
FORM_ID = "0a5b6bff" + "c" * 24


def _part(data: bytes, prefix: str) -> str:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return "".join(z.read(n).decode() for n in z.namelist() if n.startswith(prefix) and n.endswith(".xml"))


def _text(xml: str) -> str:
    return "".join(re.findall(r"<w:t(?: [^>]*)?>([^<]*)</w:t>", xml))


def _body(data: bytes) -> etree._Element:
    return etree.fromstring(_part(data, "word/document.xml").encode())


def _form(template_id: str, role: str) -> bytes:
    return musforms.render(template_id, "docx", role=role, context=CONTEXT, form_id=FORM_ID)  # type: ignore[arg-type]


def _headings(data: bytes) -> list[str]:
    return [
        "".join(p.itertext())
        for p in _body(data).iter(f"{W}p")
        if p.find(f"{W}pPr/{W}pStyle") is not None and p.find(f"{W}pPr/{W}pStyle").get(f"{W}val") == "MFSection"
    ]


# -- nothing technical on paper ------------------------------------------------------------------


@pytest.mark.parametrize("role", ["employee", "manager"])
def test_the_identity_line_is_hidden_text_and_still_read(role: str) -> None:
    data = _form("mus-scored-da", role)
    body = _body(data)
    [line] = [p for p in body.iter(f"{W}p") if "".join(p.itertext()).startswith("musforms mus-scored-da ")]
    runs = line.findall(f"{W}r")
    assert runs and all(r.find(f"{W}rPr/{W}vanish") is not None for r in runs)
    assert line.find(f"{W}pPr/{W}rPr/{W}sz").get(f"{W}val") == "2"  # its empty line 1 pt high
    without = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(without, "w") as target:
        for item in source.infolist():
            if item.filename != "docProps/custom.xml":
                target.writestr(item, source.read(item.filename))
    form = musforms.parse(without.getvalue())
    assert (form.template_id, form.role, form.form_id) == ("mus-scored-da", role, FORM_ID)


@pytest.mark.parametrize("template_id", ["mus-scored-da", "mus-soft-en", "plan-da", "followup-en"])
def test_the_footer_prints_a_short_form_number_and_confidential(template_id: str) -> None:
    data = _form(template_id, "manager")
    footer = _text(_part(data, "word/footer"))
    language = musforms.load_template(template_id).language
    assert f"{FORM_ID[:PRINTED_FORM_ID_LENGTH]}" in footer and FORM_ID[: PRINTED_FORM_ID_LENGTH + 1] not in footer
    assert words(language)["confidential"] in footer
    assert "sha256" not in _text(_part(data, "word/header")) + footer


# -- the header and the manager's copy -----------------------------------------------------------


@pytest.mark.parametrize("language", ["da", "en"])
def test_the_managers_copy_is_marked_in_the_header_and_the_title_is_not_repeated(language: str) -> None:
    template = musforms.load_template(f"mus-scored-{language}")
    w = words(language)
    manager = _text(_part(_form(template.id, "manager"), "word/header"))
    employee = _text(_part(_form(template.id, "employee"), "word/header"))
    assert w["manager_copy"] in manager and "Acme A/S" in manager
    assert w["manager_copy"] not in employee and w["employee_form"] in employee
    assert template.title not in manager + employee


@pytest.mark.parametrize("template_id", ["mus-scored-da", "mus-scored-en", "mus-soft-da", "mus-soft-en"])
def test_both_roles_number_the_shared_parts_alike(template_id: str) -> None:
    template = musforms.load_template(template_id)
    employee = _headings(_form(template_id, "employee"))
    manager = _headings(_form(template_id, "manager"))
    private = [s for s in template.sections if not s.shown_to("employee")]
    assert private and all(template.section_number(s) is None for s in private)
    assert [h for h in manager if h[0].isdigit()] == employee  # the shared parts: the same number and title
    assert all(not h[0].isdigit() for h in manager if any(h.startswith(s.title) for s in private))
    assert [h.split(".")[0] for h in employee] == [str(n) for n in range(1, len(employee) + 1)]


def test_a_section_number_counts_only_the_sections_both_roles_see() -> None:
    template = musforms.load_template("mus-scored-da")
    numbers = {s.id: template.section_number(s) for s in template.sections}
    assert numbers["manager_prep"] is None and numbers["intro"] == 1 and numbers["past"] == 2
    assert [template.section_number(s) for s in template.sections_for("employee")] == list(
        range(1, len(template.sections_for("employee")) + 1)
    )


def test_a_title_with_jinja_is_printed_rendered() -> None:
    template = musforms.load_template("mus-soft-da").model_copy(
        update={"title": "MUS{% if company %} hos {{ company.name }}{% endif %}"}
    )
    data = musforms.render(template, "docx", role="employee", context=CONTEXT)
    title = next(p for p in _body(data).iter(f"{W}p"))
    assert "".join(title.itertext()) == "MUS hos Acme A/S"


# -- tables ----------------------------------------------------------------------------------------


def _rating_tables(data: bytes) -> list[etree._Element]:
    return [
        t for t in _body(data).iter(f"{W}tbl") if any(s.get(f"{W}val") == "MFStatement" for s in t.iter(f"{W}pStyle"))
    ]


@pytest.mark.parametrize("role", ["employee", "manager"])
def test_rating_tables_are_calm_of_one_width_and_split_between_later_rows(role: str) -> None:
    data = _form("mus-scored-da", role)
    tables = _rating_tables(data)
    assert len(tables) >= 3
    for table in tables:
        grid = [int(c.get(f"{W}w")) for c in table.iter(f"{W}gridCol")]
        assert grid[0] == ITEM_WIDTH and sum(grid) == CONTENT_WIDTH
        rows = table.findall(f"{W}tr")
        assert rows[0].find(f"{W}trPr/{W}tblHeader") is not None
        assert all(r.find(f"{W}trPr/{W}tblHeader") is None for r in rows[1:])
        for index, row in enumerate(rows[1:]):
            statement = row.findall(f"{W}tc")[0]
            assert not list(statement.iter(f"{W}b"))  # the statement in the table's normal weight
            kept = all(p.find(f"{W}pPr/{W}keepNext") is not None for p in statement.iter(f"{W}p"))
            last = len(rows) - 2
            assert kept == (index < last and (index < KEPT_ROWS - 1 or index == last - 1)), index
        if len(rows) > 4:  # a long table may split between its middle rows
            assert any(p.find(f"{W}pPr/{W}keepNext") is None for p in rows[2].findall(f"{W}tc")[0].iter(f"{W}p"))
    styles = _part(data, "word/styles.xml")
    statement_style = re.search(r'<w:style [^>]*w:styleId="MFStatement".*?</w:style>', styles, re.S)
    assert (
        statement_style and "<w:b/>" not in statement_style.group(0) and "<w:keepNext/>" not in statement_style.group(0)
    )
    for size in re.findall(r'<w:sz w:val="(\d+)"/>', _part(data, "word/document.xml")):
        assert int(size) >= 16 or int(size) == 2  # nothing printed below 8 pt (2: the hidden line)


@given(points=st.integers(min_value=2, max_value=10), with_na=st.booleans())
def test_rating_widths_fill_the_page(points: int, with_na: bool) -> None:
    widths = rating_widths(points, with_na)
    assert sum(widths) == CONTENT_WIDTH and len(widths) == 1 + points + with_na
    widest = min(ITEM_WIDTH, CONTENT_WIDTH - (900 if with_na else 0) - points * 560)
    assert widest <= widths[0] < widest + points  # the same in every table (but for a remainder of rounding)
    assert min(widths[1 : 1 + points]) >= 560


COLUMNS = ("owner", "deadline", "method", "status", "comment")


@given(columns=st.lists(st.sampled_from(COLUMNS), unique=True), language=st.sampled_from(["da", "en"]))
def test_agreement_comment_shares_the_room_with_what(columns: list[str], language: str) -> None:
    chosen = ("action", *columns)
    widths = dict(zip(chosen, agreement_widths(chosen, language), strict=True))
    assert sum(widths.values()) == CONTENT_WIDTH
    if "comment" in widths:
        assert abs(widths["comment"] - widths["action"]) <= 1


def test_the_follow_ups_comment_is_wider_than_a_fifth_of_the_page() -> None:
    for language in ("da", "en"):
        columns = ("action", "owner", "deadline", "status", "comment")
        assert agreement_widths(columns, language)[-1] > CONTENT_WIDTH // 5


# -- keeping together ------------------------------------------------------------------------------

_ITEM = st.text(alphabet="abcdefgh ", min_size=1, max_size=12).map(str.strip).filter(bool)


@given(items=st.lists(_ITEM, min_size=1, max_size=9), keep_last=st.booleans())
def test_no_list_item_stands_alone(items: list[str], keep_last: bool) -> None:
    xml = _paragraphs("Intro.\n\n" + "\n".join(f"- {item}" for item in items), "MFInfo", keep_last)
    paragraphs = etree.fromstring(f'<r xmlns:w="{W[1:-1]}">{xml}</r>').findall(f"{W}p")
    kept = [p.find(f"{W}pPr/{W}keepNext") is not None for p in paragraphs[1:]]
    n = len(items)
    assert kept[-1] == keep_last
    if n <= 4:
        assert all(kept[:-1])
    else:
        assert kept[0] and kept[n - 2]  # the first two and the last two items together


@given(st.lists(st.sampled_from(["MFAnswer", None]), min_size=1, max_size=5), st.booleans())
def test_kept_with_next_keeps_every_paragraph_once_in_schema_order(styles: list[str | None], align: bool) -> None:
    xml = "".join(
        x.para(x.run("a"), style=s, align="center" if align else None, keep_next=i % 2 == 0)
        for i, s in enumerate(styles)
    )
    kept = etree.fromstring(f'<r xmlns:w="{W[1:-1]}">{x.kept_with_next(xml)}</r>')
    for p in kept.findall(f"{W}p"):
        props = [child.tag for child in p.find(f"{W}pPr")]
        assert props.count(f"{W}keepNext") == 1
        assert props[: props.index(f"{W}keepNext")] in ([], [f"{W}pStyle"])


@pytest.mark.parametrize("template_id", ["plan-da", "followup-en", "mus-scored-da"])
def test_the_first_of_two_signatures_is_kept_with_the_second(template_id: str) -> None:
    language = musforms.load_template(template_id).language
    captions = [words(language)[k] for k in ("name", "date", "signature")]
    blocks = list(_body(_form(template_id, "manager")).find(f"{W}body"))
    signatures = [
        i
        for i, block in enumerate(blocks)
        if block.tag == f"{W}tbl"
        and len(rows := block.findall(f"{W}tr")) == 3
        and ["".join(c.itertext()) for c in rows[1].findall(f"{W}tc")] == captions
    ]
    assert len(signatures) == 2
    first, second = signatures
    between = blocks[first:second]
    for block in between:
        for p in block.iter(f"{W}p"):
            assert p.find(f"{W}pPr/{W}keepNext") is not None


# -- the follow-up's day ---------------------------------------------------------------------------


def _plan(followup: dt.date | None) -> musforms.FilledForm:
    answers = {"followup_date": followup} if followup else {}
    return musforms.parse(musforms.render("plan-da", "docx", role="manager", context=CONTEXT, answers=answers))


def test_a_follow_up_is_dated_on_the_plans_follow_up_day() -> None:
    template = musforms.load_template("followup-da")
    moved = followup_context(template, CONTEXT, _plan(dt.date(2026, 9, 1)))
    assert moved.meeting is not None and moved.meeting.start == dt.datetime(2026, 9, 1, 10, 0)
    assert moved.meeting.place == "Mødelokale 2"
    counted = followup_context(template, CONTEXT, _plan(None))
    assert counted.meeting is not None and counted.meeting.start == dt.datetime(2026, 9, 16, 10, 0)
    later = CONTEXT.model_copy(
        update={"meeting": CONTEXT.meeting.model_copy(update={"start": dt.datetime(2026, 10, 2, 9)})}
    )  # type: ignore[union-attr]
    assert followup_context(template, later, _plan(None)) is later  # the follow-up's own meeting is kept
    data = musforms.render_followup(CONTEXT, _plan(dt.date(2026, 9, 1)))
    text = _text(_part(data, "word/document.xml"))
    assert "1. september 2026" in text and "16. marts 2026" not in text
    assert words("da")["followup_form"] in text and words("da")["followup_form"] != template.title


@pytest.mark.parametrize("template_id", ["followup-da", "followup-en"])
def test_the_date_before_the_signatures_goes_with_them(template_id: str) -> None:
    """A one-row table LibreOffice 7.4 keeps with what follows: every paragraph kept, the row free to split."""
    body = _body(_form(template_id, "manager"))
    [table] = [
        t
        for t in body.iter(f"{W}tbl")
        if any(m.get(f"{W}name") == "mf_next_mus_date" for m in t.iter(f"{W}bookmarkStart"))
    ]
    [row] = table.findall(f"{W}tr")
    assert row.find(f"{W}trPr/{W}cantSplit") is None
    assert all(p.find(f"{W}pPr/{W}keepNext") is not None for p in table.iter(f"{W}p"))
