"""The web form (render side): every built-in template and role renders one self-contained, accessible HTML5
page whose inputs carry the binding's names; texts are escaped; prefilled answers and problems are shown; the
Content-Security-Policy allows exactly the inline blocks; the fragment and the ``render`` front."""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import json
import re
import struct
import zlib
from dataclasses import dataclass, field
from html import escape
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlencode

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import musforms
from musforms import Issue, NotAFormError, RenderError, Template, WebForm, load_template, render_html
from musforms._core.binding import anchors
from musforms._model.context import SAMPLE_CONTEXT
from musforms._model.filled import Location

from .conftest import MINIMAL

BUILTINS = sorted(p.stem for p in (Path(__file__).resolve().parents[1] / "builtin_templates").glob("*.yaml"))
ROLES = ("employee", "manager")
NASTY = 'Ü<nal> & "x"'


@dataclass
class Node:
    tag: str
    attrs: dict[str, str]
    parent: Node | None
    children: list[Node] = field(default_factory=list)
    text: str = ""

    def all_text(self) -> str:
        return self.text + "".join(child.all_text() for child in self.children)

    def ancestors(self) -> list[Node]:
        out, at = [], self.parent
        while at is not None:
            out.append(at)
            at = at.parent
        return out


_VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


class _Tree(HTMLParser):
    """A small DOM: every element with its attributes, text and parent (raw text of style/script kept)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Node("#root", {}, None)
        self.at = self.root
        self.nodes: list[Node] = []
        self.doctype = ""

    def handle_decl(self, decl: str) -> None:
        self.doctype = decl

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        node = Node(tag, {k: v if v is not None else "" for k, v in attrs}, self.at)
        assert len(node.attrs) == len(attrs), f"an attribute given twice on <{tag}>: {attrs}"
        self.at.children.append(node)
        self.nodes.append(node)
        if tag not in _VOID:
            self.at = node

    def handle_endtag(self, tag: str) -> None:
        if tag in _VOID:
            return
        assert self.at.tag == tag, f"</{tag}> closes <{self.at.tag}>"
        assert self.at.parent is not None
        self.at = self.at.parent

    def handle_data(self, data: str) -> None:
        self.at.text += data


def tree(html: str) -> _Tree:
    parsed = _Tree()
    parsed.feed(html)
    parsed.close()
    assert parsed.at is parsed.root, "an element is left open"
    return parsed


def find(t: _Tree, tag: str | None = None, **attrs: str) -> list[Node]:
    return [
        n
        for n in t.nodes
        if (tag is None or n.tag == tag) and all(n.attrs.get(k.rstrip("_")) == v for k, v in attrs.items())
    ]


def by_id(t: _Tree) -> dict[str, Node]:
    ids: dict[str, Node] = {}
    for n in t.nodes:
        if "id" in n.attrs:
            assert n.attrs["id"] not in ids, f"the id {n.attrs['id']!r} is used twice"
            ids[n.attrs["id"]] = n
    return ids


def textarea_value(node: Node) -> str:
    text = node.text
    return text[1:] if text.startswith("\n") else text  # a parser drops the newline right after <textarea>


def sha256_source(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode("ascii") + "'"


def _png(width: int, height: int) -> bytes:
    raw = b"".join(b"\x00" + b"\x1f\x3a\x5f" * width for _ in range(height))

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b"")


@pytest.fixture(scope="module")
def minimal() -> Template:
    return musforms.load_template_text(MINIMAL)


# -- every built-in form -------------------------------------------------------------------------------


def check_page(form: WebForm, template: Template, role: str) -> _Tree:
    """What every page must be: HTML5 in the template's language, one h1, an h2 per part, each input of the
    binding by its name, every control labelled, nothing from elsewhere, no inline style or handler, and the
    CSP allowing exactly its inline blocks."""
    html = form.html
    t = tree(html)
    assert t.doctype.lower() == "doctype html"
    assert [n.attrs.get("lang") for n in find(t, "html")] == [template.language]
    assert len(find(t, "h1")) == 1
    sections = template.sections_for(role)  # type: ignore[arg-type]
    h2 = [n for n in find(t, "h2") if n.parent is not None and n.parent.tag == "section"]
    assert len(h2) == len(sections) == len(find(t, "section"))
    ids = by_id(t)
    controls = [n for n in t.nodes if n.tag in ("input", "textarea", "select")]
    named: dict[str, list[Node]] = {}
    for n in controls:
        named.setdefault(n.attrs.get("name", ""), []).append(n)
    inputs = anchors(template, role, "list")  # type: ignore[arg-type]
    assert set(named) == {*inputs, "mf__properties", "mf__submit"} - {"mf__submit"}, "only the binding's names"
    assert [n.attrs["name"] for n in find(t, "button", type="submit")] == ["mf__submit"]
    for name, anchor in inputs.items():
        spec = anchor.spec
        found = named[name]
        if spec.kind == "one_of":
            assert [(n.attrs["type"], n.attrs["value"], n.attrs["id"]) for n in found] == [
                ("radio", value, f"{name}--{value}") for value, _label in spec.choices
            ]
            fieldset = next(a for a in found[0].ancestors() if a.tag == "fieldset")
            assert fieldset.children[0].tag == "legend" and fieldset.children[0].all_text().strip()
        elif spec.kind == "tick":
            assert [(n.attrs["type"], n.attrs["value"], n.attrs["id"]) for n in found] == [
                ("checkbox", "x", f"{name}--x")
            ]
        elif spec.kind == "text":
            assert [(n.tag, n.attrs["id"]) for n in found] == [("textarea", name)]
        elif spec.kind == "line":
            assert [(n.tag, n.attrs["type"], n.attrs["id"]) for n in found] == [("input", "text", name)]
        elif spec.kind == "date":  # a text box only to show back what was typed that is not a date
            kind = "text" if found[0].attrs.get("aria-invalid") == "true" else "date"
            assert [(n.tag, n.attrs["type"], n.attrs["id"]) for n in found] == [("input", kind, name)]
        else:
            assert [(n.tag, n.attrs["id"]) for n in found] == [("select", name)]
            values = [o.attrs["value"] for o in found[0].children]
            assert values == ["", *(value for value, _label in spec.choices)]
    labels = {n.attrs["for"]: n for n in find(t, "label")}
    for n in controls:
        if n.attrs.get("type") == "hidden":
            continue
        assert n.attrs["id"] in labels, f"no label for {n.attrs['id']}"
        assert labels[n.attrs["id"]].all_text().strip(), f"an empty label for {n.attrs['id']}"
    assert all(label in ids for label in labels), "a label for no control"
    for n in t.nodes:
        for attr in n.attrs:
            assert attr != "style" and not attr.startswith("on"), f"<{n.tag} {attr}> breaks a strict CSP"
        for attr in ("src", "href", "action"):
            value = n.attrs.get(attr, "")
            assert not re.match(r"(?i)\s*(https?:|//|javascript:)", value), f"<{n.tag} {attr}={value!r}>"
        assert n.tag not in ("link", "iframe", "object", "embed", "base")
    for n in find(t, "img"):
        assert n.attrs["src"].startswith("data:image/") and n.attrs["alt"]
    styles, scripts = find(t, "style"), find(t, "script")
    assert len(styles) == 1 and len(scripts) == 1
    assert "src" not in scripts[0].attrs
    assert f"style-src {sha256_source(styles[0].text)};" in form.csp
    assert f"script-src {sha256_source(scripts[0].text)};" in form.csp
    assert "default-src 'none'" in form.csp and "img-src data:" in form.csp
    for n in find(t, "fieldset"):
        assert n.children[0].tag == "legend"
    for n in t.nodes:
        for ref in n.attrs.get("aria-describedby", "").split():
            assert ref in ids, f"aria-describedby names {ref!r}, which is not on the page"
    (identity,) = find(t, "input", name="mf__properties")
    assert identity.attrs["type"] == "hidden"
    properties = json.loads(identity.attrs["value"])
    assert properties["musforms.form_id"] == form.identity.form_id
    assert properties["musforms.role"] == role
    return t


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("template_id", BUILTINS)
def test_every_builtin_form_renders_an_accessible_self_contained_page(template_id: str, role: str) -> None:
    template = load_template(template_id)
    form = render_html(template, role=role, context=SAMPLE_CONTEXT)  # type: ignore[arg-type]
    t = check_page(form, template, role)
    assert form.identity.role == role and form.identity.subject_id == SAMPLE_CONTEXT.employee.id
    text = " ".join(n.all_text() for n in find(t, "body"))
    assert SAMPLE_CONTEXT.employee.name in text
    for section in template.sections_for(role):  # type: ignore[arg-type]
        if section.minutes:
            assert f"mf-section-{section.id}" in by_id(t)
            heading = by_id(t)[f"mf-s-{section.id}"].all_text()
            assert str(section.minutes) in heading


@pytest.mark.parametrize("template_id", ["mus-scored-da", "mus-soft-en"])
def test_the_managers_own_part_is_only_in_the_managers_form(template_id: str) -> None:
    template = load_template(template_id)
    employee = render_html(template, role="employee", context=SAMPLE_CONTEXT).html
    manager = render_html(template, role="manager", context=SAMPLE_CONTEXT).html
    private = [s for s in template.sections if s.audience == ("manager",)]
    assert private
    for section in private:
        assert f'id="mf-section-{section.id}"' in manager and f'id="mf-section-{section.id}"' not in employee
        assert escape(section.title) in manager and escape(section.title) not in employee
        for f in section.fields:
            assert f'id="mf-f-{f.id}"' in manager and f"mf-f-{f.id}" not in employee
            if f.answered_by("manager"):
                assert f'name="mf_{f.id}"' in manager and f"mf_{f.id}" not in employee


def test_minimal_template_every_kind(minimal: Template) -> None:
    for role in ROLES:
        form = render_html(minimal, role=role, context=SAMPLE_CONTEXT)  # type: ignore[arg-type]
        check_page(form, minimal, role)
    employee = render_html(minimal, role="employee", context=SAMPLE_CONTEXT).html
    manager = render_html(minimal, role="manager", context=SAMPLE_CONTEXT).html
    assert "mf_mgr_only_rating" in manager and "mf_mgr_only_rating" not in employee
    t = tree(employee)
    ids = by_id(t)
    strengths = ids["mf_strengths"]
    assert "required" in strengths.attrs and strengths.attrs["aria-required"] == "true"
    assert "Styrker hos Mette" in " ".join(n.all_text() for n in find(t, "label", for_="mf_strengths"))
    assert ids["mf_quality--na"].attrs["type"] == "radio"  # "not relevant" offered
    assert find(t, "table", id="mf-f-agreements--table")[0].children[0].tag == "caption"
    heads = [n for n in find(t, "th") if n.attrs.get("scope") == "col"]
    assert {"Aftale (hvad)", "Hvem", "Frist", "Status"} <= {h.all_text().strip() for h in heads}


# -- escaping ------------------------------------------------------------------------------------------

CUSTOM = """\
id: nasty
version: "1.0"
title: 'Titel {{ employee.name }} <b>fed</b>'
language: en
style: soft
company: {name: 'Ü<nal> & "x" A/S', logo: acme.png}
intro: 'Hej {{ employee.name }} <script>alert(1)</script>'
sections:
  - id: one
    title: 'Part <i>one</i> for {{ employee.first_name }}'
    minutes: 5
    guidance: '- a <b>bullet</b>\n- and {% if manager %}{{ manager.name }}{% endif %}'
    fields:
      - {kind: text, id: story, label: 'Ü<nal> & "x"', help: 'Help <u>{{ employee.name }}</u>', max_length: 300}
      - {kind: text, id: line, label: 'One line', multiline: false}
      - {kind: choice, id: pick, label: 'Pick <em>one</em>',
         options: [{id: a, label: 'A <b>&amp;</b>'}, {id: b, label: B}]}
      - {kind: info, id: note, label: '<h1>Note</h1>',
         text: 'See {% if company %}{{ company.name }}{% endif %} & "friends"'}
"""


@pytest.fixture(scope="module")
def custom() -> Template:
    return musforms.load_template_text(CUSTOM, logos={"acme.png": _png(40, 20)})


def test_texts_of_templates_and_contexts_are_escaped(custom: Template) -> None:
    context = {
        "employee": {"id": "E-1", "name": NASTY, "job_title": "<img src=x onerror=alert(3)>"},
        "manager": {"name": "</textarea><script>alert(2)</script>"},
        "company": {"name": 'Ü<nal> & "x" A/S'},
    }
    form = render_html(custom, role="employee", context=context, answers={"story": "</textarea><b>typed</b>"})
    html = form.html
    t = check_page(form, custom, "employee")
    assert "<nal>" not in html and "<script>alert" not in html and "<img src=x" not in html
    assert "<b>" not in html and "<i>" not in html and "<u>" not in html and "<em>" not in html
    texts = [n.all_text() for n in t.nodes]
    assert any(NASTY in text for text in texts)  # the person's name prints as written
    assert any('Ü<nal> & "x"' in n.all_text() for n in find(t, "label", for_="mf_story"))
    assert any("Titel " + NASTY + " <b>fed</b>" in n.all_text() for n in find(t, "h1"))
    assert any("<script>alert(1)</script>" in n.text for n in t.nodes if n.tag == "p")
    assert any("</textarea><script>alert(2)</script>" in n.all_text() for n in find(t, "li"))
    assert textarea_value(by_id(t)["mf_story"]) == "</textarea><b>typed</b>"
    assert [n.attrs["alt"] for n in find(t, "img")] == ['Ü<nal> & "x" A/S']  # the company's name
    assert by_id(t)["mf_story"].attrs["maxlength"] == "300"
    assert "300" in by_id(t)["mf_story--count"].all_text()
    assert "mf_story--count" in by_id(t)["mf_story"].attrs["aria-describedby"].split()
    assert 'See Ü<nal> & "x" A/S & "friends"' in " ".join(texts)
    assert any(n.all_text() == NASTY + " (<img src=x onerror=alert(3)>)" for n in find(t, "dd"))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    name=st.text(st.characters(blacklist_categories=("Cs", "Cc")), min_size=1, max_size=40).filter(
        lambda s: s.strip() == s and s.strip()
    ),
    answer=st.text(st.characters(blacklist_categories=("Cs", "Cc"), whitelist_characters="\n\t"), max_size=200),
    line=st.text(st.characters(blacklist_categories=("Cs", "Cc")), max_size=80),
)
def test_any_text_prints_as_written(custom: Template, name: str, answer: str, line: str) -> None:
    try:
        form = render_html(
            custom,
            role="employee",
            context={"employee": {"name": name}},
            answers={"story": answer or None, "line": line or None},
        )
    except RenderError:
        return  # an answer the model refuses (not a question of markup)
    t = tree(form.html)
    ids = by_id(t)
    assert textarea_value(ids["mf_story"]) == answer
    assert ids["mf_line"].attrs["value"] == line
    assert any(name in n.all_text() for n in find(t, "dd"))
    assert len(find(t, "script")) == 1 and len(find(t, "form")) == 1


# -- prefilled answers -----------------------------------------------------------------------------------


def test_prefilled_answers_show_in_their_controls(minimal: Template) -> None:
    answers = {
        "quality": 4,
        "strengths": "Grundig\nog rolig",
        "methods": ["mentoring"],
        "mood": "bad",
        "read_guide": True,
        "last_talk": dt.date(2025, 3, 1),
        "agreements": [
            {"action": "KNX-kursus", "owner": "employee", "deadline": "2026-06-01", "status": "in_progress"},
            {"action": "Mentor", "owner": "manager"},
        ],
        "sign_employee": {"name": "Mette", "date": "2026-03-16"},
    }
    t = tree(render_html(minimal, role="employee", context=SAMPLE_CONTEXT, answers=answers).html)
    ids = by_id(t)
    checked = sorted(n.attrs["id"] for n in find(t, "input") if "checked" in n.attrs)
    assert checked == ["mf_methods__o2--x", "mf_mood--o2", "mf_quality--p4", "mf_read_guide--x"]
    assert textarea_value(ids["mf_strengths"]) == "Grundig\nog rolig"
    assert ids["mf_last_talk"].attrs["value"] == "2025-03-01"
    assert textarea_value(ids["mf_agreements__r1a"]) == "KNX-kursus"
    assert ids["mf_agreements__r1d"].attrs["value"] == "2026-06-01"
    assert textarea_value(ids["mf_agreements__r2a"]) == "Mentor"
    assert ids["mf_agreements__r2d"].attrs["value"] == ""

    def selected(select_id: str) -> list[str]:
        return [o.attrs["value"] for o in ids[select_id].children if "selected" in o.attrs]

    assert selected("mf_agreements__r1o") == ["employee"]
    assert selected("mf_agreements__r1s") == ["in_progress"]
    assert selected("mf_agreements__r2o") == ["manager"]
    assert selected("mf_agreements__r3o") == []
    assert ids["mf_sign_employee__name"].attrs["value"] == "Mette"
    assert ids["mf_sign_employee__date"].attrs["value"] == "2026-03-16"


def test_carried_agreements_prefill_the_status_table() -> None:
    previous = [{"action": "Kursus i KNX", "owner": "employee", "deadline": "2025-09-01"}]
    form = render_html("mus-scored-da", role="employee", context=SAMPLE_CONTEXT, previous=previous)
    ids = by_id(tree(form.html))
    assert textarea_value(ids["mf_previous_agreements_status__r1a"]) == "Kursus i KNX"


# -- problems shown again --------------------------------------------------------------------------------


def test_problems_are_shown_next_to_their_fields_with_what_was_typed(minimal: Template) -> None:
    issues = [
        Issue(
            code="value.invalid",
            message="Ikke en dato: 31-02-2026",
            field_id="last_talk",
            raw="31-02-2026",
            location=Location(part="form", where="field mf_last_talk", anchor="mf_last_talk"),
        ),
        Issue(
            code="value.invalid",
            message="Ikke et punkt på skalaen",
            field_id="quality",
            raw="7",
            location=Location(part="form", where="field mf_quality", anchor="mf_quality"),
        ),
        Issue(
            code="value.invalid",
            message="Ikke en dato",
            field_id="agreements",
            raw="i morgen <b>",
            location=Location(part="form", where="x", anchor="mf_agreements__r2d"),
        ),
        Issue(code="field.required", message="Skal udfyldes", field_id="strengths", severity="warning"),
        Issue(code="content.unmapped", message="Tekst uden for skemaet", raw="mf_other=<hej>"),
    ]
    answers = {"agreements": [{"action": "A"}, {"action": "B"}], "strengths": None}
    form = render_html(minimal, role="employee", context=SAMPLE_CONTEXT, answers=answers, issues=issues)
    t = check_page_with_issues(form, minimal)
    ids = by_id(t)
    date = ids["mf_last_talk"]
    assert date.attrs["value"] == "31-02-2026" and date.attrs["type"] == "text"  # kept, to be corrected
    assert date.attrs["aria-invalid"] == "true"
    described = " ".join(ids[ref].all_text() for ref in date.attrs["aria-describedby"].split())
    assert "Ikke en dato: 31-02-2026" in described
    assert all(ids[f"mf_quality--{v}"].attrs["aria-invalid"] == "true" for v in ("p1", "p5", "na"))
    assert "7" in ids["mf-f-quality--issue"].all_text()  # a radio group cannot hold it: shown in the message
    cell = ids["mf_agreements__r2d"]
    assert cell.attrs["value"] == "i morgen <b>" and cell.attrs["aria-invalid"] == "true"
    assert "aria-invalid" not in ids["mf_agreements__r1d"].attrs
    assert textarea_value(ids["mf_agreements__r2a"]) == "B"
    assert ids["mf_strengths"].attrs["aria-invalid"] == "true"
    (summary,) = [n for n in t.nodes if n.attrs.get("class") == "mf-summary"]
    assert summary.attrs["role"] == "alert"
    links = {n.attrs["href"]: n.all_text() for n in t.nodes if n.tag == "a" and summary in n.ancestors()}
    assert links["#mf_last_talk"].endswith("Ikke en dato: 31-02-2026")
    assert "#mf_agreements__r2d" in links and "#mf_strengths" in links and "#mf_quality--p1" in links
    assert all(href[1:] in ids for href in links)
    assert "Tekst uden for skemaet" in summary.all_text() and "mf_other=<hej>" in summary.all_text()
    assert "5 problemer" in summary.all_text()


def check_page_with_issues(form: WebForm, template: Template) -> _Tree:
    return check_page(form, template, form.identity.role)


def test_no_summary_without_problems(minimal: Template) -> None:
    html = render_html(minimal, role="employee", context=SAMPLE_CONTEXT, issues=[]).html
    assert "mf-summary" not in html.split("<style", 1)[0] + html.split("</style>", 1)[1].split("<script", 1)[0]
    assert 'aria-invalid="true"' not in html


# -- CSP, fragment, arguments ----------------------------------------------------------------------------


def test_a_nonce_is_written_on_both_inline_blocks_and_in_the_policy(minimal: Template) -> None:
    form = render_html(minimal, role="manager", context=SAMPLE_CONTEXT, nonce="abc123XYZ_-+/=")
    t = tree(form.html)
    assert [n.attrs["nonce"] for n in find(t, "style") + find(t, "script")] == ["abc123XYZ_-+/="] * 2
    assert "style-src 'nonce-abc123XYZ_-+/='" in form.csp and "script-src 'nonce-abc123XYZ_-+/='" in form.csp
    assert "sha256" not in form.csp


@pytest.mark.parametrize("nonce", ["", "short", 'a"onload="x', "x" * 300, "abc def ghi"])
def test_a_nonce_that_is_not_one_is_refused(minimal: Template, nonce: str) -> None:
    with pytest.raises(RenderError, match="nonce"):
        render_html(minimal, role="employee", context=SAMPLE_CONTEXT, nonce=nonce)


def test_the_fragment_is_a_form_with_its_style_and_script(minimal: Template) -> None:
    form = render_html(
        minimal,
        role="employee",
        context=SAMPLE_CONTEXT,
        fragment=True,
        nonce="n0nce-value",
        action="/talks/42?x=1&y=2",
        method="GET",
    )
    assert form.html.startswith('<style nonce="n0nce-value">')
    t = tree(form.html)
    assert not find(t, "html") and not find(t, "body") and not find(t, "head") and not t.doctype
    assert [n.tag for n in t.root.children] == ["style", "form", "script"]
    (f,) = find(t, "form")
    assert f.attrs["action"] == "/talks/42?x=1&y=2" and f.attrs["method"] == "get"
    assert f.attrs["lang"] == "da" and f.attrs["accept-charset"] == "UTF-8"
    assert "&amp;y=2" in form.html


def test_a_method_other_than_post_or_get_is_refused(minimal: Template) -> None:
    with pytest.raises(RenderError, match="method"):
        render_html(minimal, role="employee", context=SAMPLE_CONTEXT, method="delete")


@pytest.mark.parametrize("action", ["javascript:alert(1)", " JavaScript:x", "data:text/html,x"])
def test_an_action_that_is_a_script_is_refused(minimal: Template, action: str) -> None:
    with pytest.raises(RenderError, match="action"):
        render_html(minimal, role="employee", context=SAMPLE_CONTEXT, action=action)


def test_the_page_is_sent_by_post_to_its_own_address_by_default(minimal: Template) -> None:
    (f,) = find(tree(render_html(minimal, role="employee", context=SAMPLE_CONTEXT).html), "form")
    assert f.attrs["method"] == "post" and f.attrs["action"] == ""


def test_render_front_gives_the_page_as_utf8_bytes(minimal: Template) -> None:
    data = musforms.render(minimal, "html", role="employee", context=SAMPLE_CONTEXT, form_id="f-1")
    html = data.decode("utf-8")
    assert html.startswith("<!DOCTYPE html>") and 'name="mf_strengths"' in html
    assert "Mette Sørensen" in html
    properties = json.loads(find(tree(html), "input", name="mf__properties")[0].attrs["value"])
    assert properties["musforms.form_id"] == "f-1"


def test_signing_adds_the_signature_to_the_identity(minimal: Template) -> None:
    form = render_html(minimal, role="employee", context=SAMPLE_CONTEXT, signing_key=b"k" * 32)
    properties = json.loads(find(tree(form.html), "input", name="mf__properties")[0].attrs["value"])
    assert properties.get("musforms.signature")


def test_parse_of_a_page_points_to_parse_submission(minimal: Template) -> None:
    data = musforms.render(minimal, "html", role="employee", context=SAMPLE_CONTEXT)
    with pytest.raises(NotAFormError, match="parse_submission"):
        musforms.parse(data)


def test_an_unknown_format_names_html_among_the_formats(minimal: Template) -> None:
    with pytest.raises(RenderError, match="'docx', 'xlsx' or 'html'"):
        musforms.render(minimal, "pdf", role="employee", context=SAMPLE_CONTEXT)  # type: ignore[arg-type]


# -- command line and packs -------------------------------------------------------------------------------


def test_the_command_line_renders_a_web_form(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from musforms._cli.main import main

    context = tmp_path / "context.json"
    context.write_text(json.dumps({"employee": {"id": "E-7", "name": NASTY}}), encoding="utf-8")
    out = tmp_path / "mette.html"
    options = ["--context", str(context), "--form-id", "web-1", "-o", str(out)]
    code = main(["render", "--template", "mus-soft-en", "--role", "employee", "--format", "html", *options])
    assert code == 0 and "wrote" in capsys.readouterr().out
    t = tree(out.read_text(encoding="utf-8"))
    assert [n.attrs["lang"] for n in find(t, "html")] == ["en"]
    properties = json.loads(find(t, "input", name="mf__properties")[0].attrs["value"])
    assert (properties["musforms.form_id"], properties["musforms.subject_id"]) == ("web-1", "E-7")
    assert any(NASTY in n.all_text() for n in find(t, "dd"))


def test_packs_can_hold_the_web_form(tmp_path: Path) -> None:
    from musforms import build_packs

    from .test_packs import TODAY, roster_rows

    report = build_packs("mus-soft-da", roster_rows(1), tmp_path, formats=["docx", "html"], today=TODAY)
    assert report.ok, report.to_json()
    pages = sorted(p.name for p in tmp_path.rglob("*.html"))
    assert len(pages) == 2
    for page in tmp_path.rglob("*.html"):
        html = page.read_text(encoding="utf-8")
        assert html.startswith("<!DOCTYPE html>") and 'name="mf__properties"' in html
    assert len(list(tmp_path.rglob("*.docx"))) >= 2


# -- what a browser sends comes back as the answers prefilled ----------------------------------------------


def submitted(html: str) -> list[tuple[str, str]]:
    """The fields a browser sends for the page as it is shown (the send button pressed)."""
    t = tree(html)
    pairs: list[tuple[str, str]] = []
    for n in t.nodes:
        name = n.attrs.get("name")
        if name is None or "disabled" in n.attrs:
            continue
        if n.tag == "textarea":
            pairs.append((name, textarea_value(n).replace("\r\n", "\n").replace("\n", "\r\n")))
        elif n.tag == "select":
            options = [o for o in n.children if o.tag == "option"]
            chosen = [o for o in options if "selected" in o.attrs] or options[:1]
            pairs.append((name, chosen[0].attrs["value"]))
        elif n.tag == "input":
            kind = n.attrs.get("type", "text")
            if kind in ("radio", "checkbox"):
                if "checked" in n.attrs:
                    pairs.append((name, n.attrs["value"]))
            else:
                pairs.append((name, n.attrs.get("value", "")))
        elif n.tag == "button" and n.attrs.get("type") == "submit":
            pairs.append((name, n.attrs.get("value", "")))
    return pairs


def _answer(template: Template, f: object) -> object:
    from musforms._model.fields import (
        AgreementsField,
        CheckField,
        ChoiceField,
        DateField,
        RatingField,
        SignatureField,
        TextField,
    )

    if isinstance(f, TextField):
        return 'Ü<nal> & "x"\nog 😀' if f.multiline else "Én linje & <mere>"
    if isinstance(f, RatingField):
        return "not_relevant" if f.not_relevant else template.scale_of(f).points[-1].value
    if isinstance(f, ChoiceField):
        return [f.options[-1].id] if f.multiple else f.options[-1].id
    if isinstance(f, CheckField):
        return True
    if isinstance(f, DateField):
        return dt.date(2026, 3, 16)
    if isinstance(f, AgreementsField):
        full = {"action": "KNX <kursus>", "owner": "manager", "deadline": dt.date(2026, 9, 1)}
        full |= {"method": "course", "status": "done", "comment": "Godt & grundigt"}
        return [{k: v for k, v in full.items() if k in f.columns}, {"action": "Mentor"}]
    if isinstance(f, SignatureField):
        return {"name": "Mette Sørensen", "date": dt.date(2026, 3, 17)}
    return None


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("template_id", ["demo", *BUILTINS])
def test_a_browser_submission_of_the_prefilled_page_reads_back_as_its_answers(
    minimal: Template, template_id: str, role: str
) -> None:
    parse_submission = getattr(musforms, "parse_submission", None)
    if parse_submission is None:
        pytest.skip("parse_submission is not there yet")
    template = minimal if template_id == "demo" else load_template(template_id)
    answers = {f.id: _answer(template, f) for f in template.answer_fields(role)}  # type: ignore[arg-type]
    form = render_html(template, role=role, context=SAMPLE_CONTEXT, answers=answers)  # type: ignore[arg-type]
    body = urlencode(submitted(form.html))  # what the browser posts
    filled = parse_submission(body, templates=[template])
    assert [i for i in filled.issues if i.code != "field.required"] == []
    assert (filled.format, filled.form_id, filled.role) == ("html", form.identity.form_id, role)
    expected = template.answers_model(role).model_validate(answers)  # type: ignore[arg-type]
    for field_id in answers:
        assert filled.answers[field_id] == getattr(expected, field_id), field_id


def test_a_submission_with_problems_is_shown_again_with_everything_typed(minimal: Template) -> None:
    parse_submission = getattr(musforms, "parse_submission", None)
    if parse_submission is None:
        pytest.skip("parse_submission is not there yet")
    form = render_html(minimal, role="employee", context=SAMPLE_CONTEXT)
    fields = dict(submitted(form.html))
    fields |= {"mf_last_talk": "31-02-2026", "mf_strengths": "Grundig <og> rolig", "mf_quality": "p9"}
    fields |= {"mf_agreements__r1a": "KNX", "mf_agreements__r1d": "i morgen"}
    filled = parse_submission(urlencode(fields), templates=[minimal])
    assert {i.field_id for i in filled.issues if i.severity == "error"} >= {"last_talk", "quality", "agreements"}
    again = render_html(
        minimal,
        role="employee",
        context=filled.context or SAMPLE_CONTEXT,
        answers=filled.answers,
        issues=filled.issues,
        form_id=filled.form_id,
    )
    t = tree(again.html)
    ids = by_id(t)
    assert again.identity.form_id == form.identity.form_id
    assert ids["mf_last_talk"].attrs["value"] == "31-02-2026" and ids["mf_last_talk"].attrs["aria-invalid"] == "true"
    assert ids["mf_agreements__r1d"].attrs["value"] == "i morgen"
    assert textarea_value(ids["mf_agreements__r1a"]) == "KNX"
    assert textarea_value(ids["mf_strengths"]) == "Grundig <og> rolig"
    assert ids["mf_quality--p1"].attrs["aria-invalid"] == "true" and "p9" in ids["mf-f-quality--issue"].all_text()
    summary = [n for n in t.nodes if n.attrs.get("class") == "mf-summary"]
    assert len(summary) == 1 and summary[0].attrs["role"] == "alert"
    links = [n.attrs["href"][1:] for n in t.nodes if n.tag == "a" and summary[0] in n.ancestors()]
    assert {"mf_last_talk", "mf_agreements__r1d", "mf_quality--p1"} <= set(links) <= set(ids)


@pytest.mark.parametrize("template_id", ["mus-scored-da", "mus-soft-en"])
def test_both_roles_web_forms_number_the_parts_alike(template_id: str) -> None:
    """As the Word and Excel forms: a part shown to both has one number, the manager's own preparation none."""
    template = load_template(template_id)
    headings = {
        role: re.findall(
            r'<h2 id="mf-s-[^"]*"><span>([^<]*)</span>', render_html(template, role=role, context=SAMPLE_CONTEXT).html
        )
        for role in ("employee", "manager")
    }
    shared = [s for s in template.sections if s.shown_to("employee") and s.shown_to("manager")]
    numbered = [f"{number}. {s.title}" for number, s in enumerate(shared, start=1)]
    assert headings["employee"] == numbered
    own = [h for h in headings["manager"] if h not in numbered]
    assert len(own) == 1 and not re.match(r"\d", own[0])
    assert [h for h in headings["manager"] if h in numbered] == numbered
