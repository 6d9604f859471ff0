"""Every form carries its resolved template: a company template's forms are read anywhere without the file, and
a template edited inside a form is refused, never trusted; ``templates=`` still reads only the templates given."""

from __future__ import annotations

import base64
import io
import json
import re
import zipfile
import zlib
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import musforms
from musforms._core import embedded
from musforms._core.embedded import MAX_EMBEDDED_BYTES, PIECE_CHARS, TEMPLATE_PROPERTY, canonical_json
from musforms._core.package import known_template
from musforms._formats.parse import parse
from musforms._formats.render import render
from musforms._model.context import SAMPLE_CONTEXT
from musforms._model.filled import FormIdentity
from musforms.errors import DamagedFileError, FingerprintMismatchError, IdentityError, UnknownTemplateError

from .docxtools import edit_part
from .test_logo import png

CUSTOM = "docProps/custom.xml"
KEY = b"k" * 32
COMPANY = musforms.load_template(
    {"extends": "mus-soft-da", "id": "acme-mus", "version": "2.1", "title": "ACME's MUS", "description": "Vores MUS"}
)
ANSWERS = {"goals": "Mere ansvar\nog et kursus", "strengths": "Overblik"}
_PROPERTY = re.compile(
    r'<property [^>]*?name="(?P<name>[^"]+)"[^>]*>\s*<vt:\w+>(?P<value>[^<]*)</vt:\w+>\s*</property>'
)
_TEMPLATE_PROPERTY = re.compile(r'<property [^>]*?name="musforms\.template(\.\d+)?"[^>]*>.*?</property>', re.S)


# -- helpers (also used by other test modules) -------------------------------------------------------------


def custom_properties(data: bytes) -> dict[str, str]:
    """The custom properties of a rendered form, as written."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        xml = archive.read(CUSTOM).decode("utf-8")
    return {m["name"]: m["value"] for m in _PROPERTY.finditer(xml)}


def without_embedded_template(data: bytes) -> bytes:
    """``data`` as a form made before forms carried their template."""
    return edit_part(data, CUSTOM, lambda xml: _TEMPLATE_PROPERTY.sub("", xml))


def with_properties(data: bytes, properties: dict[str, str]) -> bytes:
    """``data`` with custom properties set (added at the end when new), as another program would write them."""

    def change(xml: str) -> str:
        for name, value in properties.items():
            element = f'<property fmtid="{{D5CDD505-2E9C-101B-9397-08002B2CF9AE}}" pid="99" name="{name}">'
            element += f"<vt:lpwstr>{value}</vt:lpwstr></property>"
            pattern = re.compile(rf'<property [^>]*?name="{re.escape(name)}"[^>]*>.*?</property>', re.S)
            xml, count = pattern.subn(lambda _m, e=element: e, xml)
            if not count:
                xml = xml.replace("</Properties>", element + "</Properties>")
        return xml

    return edit_part(data, CUSTOM, change)


def carried_text(data: bytes) -> str:
    """The canonical JSON of the template a form carries."""
    props = custom_properties(data)
    count = int(props[TEMPLATE_PROPERTY].split(":")[1])
    packed = "".join(props[f"{TEMPLATE_PROPERTY}.{n}"] for n in range(1, count + 1))
    return zlib.decompress(base64.b64decode(packed)).decode("utf-8")


def repacked(data: bytes, text: str | bytes, *, fingerprint: str | None = None) -> bytes:
    """``data`` carrying ``text`` as its template (and, if given, claiming ``fingerprint`` in its identity)."""
    raw = text.encode("utf-8") if isinstance(text, str) else text
    packed = base64.b64encode(zlib.compress(raw, 9)).decode("ascii")
    pieces = [packed[i : i + PIECE_CHARS] for i in range(0, len(packed), PIECE_CHARS)]
    props = {TEMPLATE_PROPERTY: f"v1:{len(pieces)}"}
    props.update({f"{TEMPLATE_PROPERTY}.{n}": piece for n, piece in enumerate(pieces, start=1)})
    if fingerprint is not None:
        props["musforms.fingerprint"] = fingerprint
    return with_properties(without_embedded_template(data), props)


def fingerprint_of(text: str) -> str:
    import hashlib

    return "sha256:" + hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]


def edited(text: str, **changes: Any) -> str:
    data = json.loads(text)
    data.update(changes)
    return json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def _form(fmt: str = "docx", template: musforms.Template = COMPANY, **kwargs: Any) -> bytes:
    return render(template, fmt, role="employee", context=SAMPLE_CONTEXT, answers=ANSWERS, **kwargs)  # type: ignore[arg-type]


# -- a company template's form read without the template ----------------------------------------------------


@pytest.mark.parametrize("fmt", ["docx", "xlsx"])
def test_a_company_template_form_is_read_with_no_template_given(fmt: str) -> None:
    data = _form(fmt)
    form = parse(data)
    assert form.template_source == "embedded"
    assert (form.template_id, form.template_version, form.fingerprint) == ("acme-mus", "2.1", COMPANY.fingerprint)
    assert {k: form.answers[k] for k in ANSWERS} == ANSWERS
    assert form.ok
    given = parse(data, templates=[COMPANY])
    assert given.template_source == "given"
    assert given.model_copy(update={"template_source": "embedded"}) == form


@pytest.mark.parametrize("fmt", ["docx", "xlsx"])
def test_the_source_of_the_template_is_said(fmt: str) -> None:
    builtin = render("mus-soft-da", fmt, role="manager", context=SAMPLE_CONTEXT)  # type: ignore[arg-type]
    assert parse(builtin).template_source == "builtin"
    soft = musforms.load_template("mus-soft-da")
    assert parse(builtin, templates=[soft]).template_source == "given"
    assert json.loads(parse(builtin).to_json())["template_source"] == "builtin"


def test_the_template_is_carried_in_pieces_word_keeps() -> None:
    props = custom_properties(_form())
    count = int(props[TEMPLATE_PROPERTY].removeprefix("v1:"))
    pieces = [props[f"{TEMPLATE_PROPERTY}.{n}"] for n in range(1, count + 1)]
    assert count > 1 and all(0 < len(piece) <= 255 for piece in pieces)
    assert f"{TEMPLATE_PROPERTY}.{count + 1}" not in props
    assert carried_text(_form()) == canonical_json(COMPANY)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(description=st.text(min_size=1, max_size=3000).filter(lambda s: s.strip() and "{" not in s and "\x00" not in s))
def test_any_template_comes_back_as_it_was_carried(description: str) -> None:
    try:
        template = musforms.load_template({"extends": "followup-en", "id": "acme-f", "description": description})
    except musforms.TemplateError:
        return  # a description the loader refuses is not a template
    props = embedded.embedded_properties(template)
    assert all(len(value) <= PIECE_CHARS for value in props.values())
    identity = FormIdentity(
        template_id=template.id,
        template_version=template.version,
        fingerprint=template.fingerprint,
        role="employee",
        form_id="f",
    )
    assert embedded.embedded_template(props, identity, "f") == template


# -- a template edited inside the form --------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["docx", "xlsx"])
def test_a_template_edited_inside_the_form_is_refused(fmt: str) -> None:
    data = _form(fmt)
    changed = repacked(data, edited(carried_text(data), title="Something else"))
    for lenient in (False, True):
        with pytest.raises(IdentityError, match="does not match the fingerprint"):
            parse(changed, lenient=lenient)


def test_a_template_carried_by_another_identity_is_refused() -> None:
    other = render("plan-da", "docx", role="manager", context=SAMPLE_CONTEXT)
    plan = musforms.load_template("plan-da")
    text = canonical_json(plan)
    # The content and the fingerprint agree, but the identity names another template.
    forged = repacked(_form(), text, fingerprint=plan.fingerprint)
    with pytest.raises(IdentityError, match="not the one its identity names"):
        parse(forged)
    assert parse(other).template_source == "builtin"


def test_a_signed_form_covers_the_template_it_carries() -> None:
    data = _form(signing_key=KEY)
    form = parse(data, signing_key=KEY, subject_id="E-0001")
    assert (form.signed, form.template_source) == ("verified", "embedded")
    # Edited, with the identity's fingerprint made to match the new content: the signature no longer does.
    text = edited(carried_text(data), title="Something else")
    forged = repacked(data, text, fingerprint=fingerprint_of(text))
    with pytest.raises(IdentityError, match="template fingerprint does not match the signature"):
        parse(forged, signing_key=KEY)
    # Without the key only the content is checked against the identity: the signature is there, not checked.
    assert parse(forged).signed == "not_checked"
    # The content edited alone is refused by its fingerprint.
    with pytest.raises(IdentityError, match="does not match the fingerprint"):
        parse(repacked(data, text), signing_key=KEY)


def test_the_signature_is_checked_before_the_template_is_unpacked() -> None:
    damaged = with_properties(_form(signing_key=KEY), {f"{TEMPLATE_PROPERTY}.1": "not base64!"})
    with pytest.raises(IdentityError, match="another key"):
        parse(damaged, signing_key=b"x" * 32)
    with pytest.raises(DamagedFileError, match="not base64"):
        parse(damaged, signing_key=KEY)


# -- what is carried is untrusted input --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("properties", "message"),
    [
        ({f"{TEMPLATE_PROPERTY}.2": "!!!!"}, "not base64"),
        ({TEMPLATE_PROPERTY: "v1:900"}, "piece 31 is missing|piece \\d+ is missing"),
        ({TEMPLATE_PROPERTY: "v1:99999999"}, "is wrong"),
        ({TEMPLATE_PROPERTY: "v2:3"}, "is wrong"),
    ],
)
def test_a_damaged_carried_template_is_refused(properties: dict[str, str], message: str) -> None:
    with pytest.raises(DamagedFileError, match=message):
        parse(with_properties(_form(), properties))


def test_a_carried_template_is_size_limited_unpacked() -> None:
    bomb = b" " * (MAX_EMBEDDED_BYTES + 10)  # a few kilobytes packed
    with pytest.raises(DamagedFileError, match="larger than"):
        parse(repacked(_form(), bomb))


def test_a_carried_template_is_size_limited_packed(monkeypatch: pytest.MonkeyPatch) -> None:
    data = _form()
    monkeypatch.setattr(embedded, "MAX_EMBEDDED_CHARS", 1000)
    with pytest.raises(DamagedFileError, match="larger than 1,000 characters"):
        parse(data)
    with pytest.raises(musforms.RenderError, match="too large to be carried"):
        _form()


@pytest.mark.parametrize(
    "change",
    [
        {"extends": "/etc/passwd"},
        {"changes": []},
        {"sections": []},
        {"title": "{% include '/etc/passwd' %}"},
    ],
)
def test_a_carried_template_is_checked_as_the_loader_checks_one(change: dict[str, Any]) -> None:
    data = _form()
    text = edited(carried_text(data), **change)  # content and identity agree: only the checks refuse it
    with pytest.raises(DamagedFileError, match=r"not a resolved template|not a valid template") as info:
        parse(repacked(data, text, fingerprint=fingerprint_of(text)))
    assert "root:" not in str(info.value)


def test_a_carried_logo_is_a_name_never_a_file(tmp_path: Path) -> None:
    (tmp_path / "logo.png").write_bytes(png(40, 20))
    (tmp_path / "acme.yaml").write_text(
        "extends: mus-soft-en\nid: acme-logo\ncompany:\n  name: ACME\n  logo: logo.png\n", encoding="utf-8"
    )
    template = musforms.load_template(tmp_path / "acme.yaml")
    data = render(template, "docx", role="employee", context=SAMPLE_CONTEXT)
    (tmp_path / "logo.png").unlink()
    form = parse(data)
    carried = known_template(form.identity)
    assert form.template_source == "embedded" and carried is not None
    assert carried.company is not None and carried.company.logo == "logo.png" and carried.logo_file is None
    assert carried.fingerprint == template.fingerprint


# -- templates= reads only the templates given --------------------------------------------------------------


def test_templates_given_read_only_those() -> None:
    data = _form()
    soft = musforms.load_template("mus-soft-da")
    for given_templates in ([soft], []):
        with pytest.raises(UnknownTemplateError, match="not among the templates given") as info:
            parse(data, templates=given_templates)
        assert any("carries its template" in note for note in info.value.__notes__)
    older = without_embedded_template(data)
    with pytest.raises(UnknownTemplateError, match="does not carry it") as info:
        parse(older)
    assert info.value.__notes__ == ["pass it with templates=[load_template(...)]"]
    assert parse(older, templates=[COMPANY]).template_source == "given"


def test_a_version_mismatch_hint_is_a_note() -> None:
    newer = musforms.load_template(
        {"extends": "mus-soft-da", "id": "acme-mus", "version": "2.2", "title": "ACME's MUS"}
    )
    with pytest.raises(FingerprintMismatchError) as info:
        parse(_form(), templates=[newer])
    assert "lenient" not in info.value.message and info.value.__notes__ == ["pass lenient=True to read it anyway"]
    assert [i.code for i in parse(_form(), templates=[newer], lenient=True).issues] == ["identity.lenient"]


# -- the workflows, with no template given ------------------------------------------------------------------


def test_compare_redact_and_collect_work_on_company_forms(tmp_path: Path) -> None:
    employee = render(COMPANY, "docx", role="employee", context=SAMPLE_CONTEXT, answers=ANSWERS)
    manager = render(COMPANY, "xlsx", role="manager", context=SAMPLE_CONTEXT)
    (tmp_path / "e.docx").write_bytes(employee)
    (tmp_path / "m.xlsx").write_bytes(manager)
    comparison = musforms.compare(parse(employee), parse(manager))
    assert comparison.template.fingerprint == COMPANY.fingerprint
    redacted = musforms.redact(parse(employee))
    assert redacted.redacted and redacted.answers["goals"] is None
    for jobs in (1, 2):
        collection = musforms.collect(tmp_path, jobs=jobs)
        assert len(collection.forms) == 2 and not collection.unread
        assert {f.template_source for f in collection.forms} == {"embedded"}
        assert collection.templates["acme-mus"].fingerprint == COMPANY.fingerprint
    with pytest.raises(musforms.ComparisonError, match="not a built-in template"):
        musforms.compare(
            parse(employee).model_copy(update={"template_id": "other", "fingerprint": "sha256:0"}),
            parse(manager).model_copy(update={"template_id": "other", "fingerprint": "sha256:0"}),
        )


# -- the command line ------------------------------------------------------------------------------------


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    from musforms._cli.main import main

    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_the_command_line_reads_company_forms_without_the_template(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    forms = tmp_path / "forms"
    forms.mkdir()
    (forms / "e.docx").write_bytes(_form("docx"))
    (forms / "m.xlsx").write_bytes(render(COMPANY, "xlsx", role="manager", context=SAMPLE_CONTEXT))
    code, out, err = _run(capsys, "parse", "--json", str(forms / "e.docx"))
    assert code == 0 and json.loads(out)["template_source"] == "embedded", err
    code, out, err = _run(capsys, "collect", str(forms), "-o", str(tmp_path / "summary.json"))
    assert code == 0 and "2 forms read, 0 not read" in out, err
    employees = json.loads((tmp_path / "summary.json").read_text(encoding="utf-8"))["employees"]
    assert [row["employee_id"] for row in employees] == ["E-0001"]


def test_the_command_line_hints_in_its_own_words(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    form = tmp_path / "e.docx"
    form.write_bytes(_form())
    code, _, err = _run(capsys, "parse", "--template", "mus-soft-en", str(form))
    assert code == 1 and "not among the templates given" in err
    assert "hint:" in err and "leave out --template" in err and "templates=" not in err
    newer = tmp_path / "acme.yaml"
    newer.write_text('extends: mus-soft-da\nid: acme-mus\nversion: "2.2"\ntitle: "ACME\'s MUS"\n', encoding="utf-8")
    code, _, err = _run(capsys, "parse", "--template", str(newer), str(form))
    assert code == 1 and "hint: --lenient reads it anyway" in err and "lenient=True" not in err
    code, out, _ = _run(capsys, "parse", "--template", str(newer), "--lenient", str(form))
    assert code == 0 and "identity.lenient" in out
    summary = tmp_path / "s.json"
    code, _, err = _run(capsys, "collect", str(form), "--template", str(newer), "-o", str(summary))
    assert code == 1 and "hint: --lenient reads it anyway" in err and not summary.exists()
    code, out, err = _run(capsys, "collect", str(form), "--template", str(newer), "--lenient", "-o", str(summary))
    assert code == 0 and "1 forms read" in out, err
