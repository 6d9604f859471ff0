"""Templates kept by an application: several versions of one id side by side (TemplateStore, or a TemplateLookup
of its own) in parse, compare, render_talk, redact and collect; extends naming a template given (and a version of
it); logos given as bytes; and the name an upload is called by in messages."""

from __future__ import annotations

import io
import json
import pickle
import struct
import zipfile
import zlib
from pathlib import Path

import pytest

import musforms
from musforms import (
    FingerprintMismatchError,
    Template,
    TemplateConflictError,
    TemplateError,
    TemplateLookup,
    TemplateStore,
    UnknownTemplateError,
)
from musforms.errors import ComparisonError, NotAFormError

CONTEXT = musforms.Context.model_validate(
    {
        "employee": {"id": "E7", "name": "Ida Holm", "department": "Service"},
        "manager": {"id": "M1", "name": "Lars Holm"},
    }
)


def _template(template_id: str, version: str, title: str = "Udviklingssamtale") -> Template:
    return musforms.load_template_text(
        f"extends: mus-scored-da\nid: {template_id}\nversion: '{version}'\ntitle: {title}\n", name=f"{version}.yaml"
    )


def _png(width: int, height: int) -> bytes:
    raw = b"".join(b"\x00" + b"\x1f\x3a\x5f" * width for _ in range(height))

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b"")


def _form(template: Template, role: str, fmt: str = "docx", rating: int = 3) -> bytes:
    return musforms.render(template, fmt, role=role, context=CONTEXT, answers={"rate_quality": rating})  # type: ignore[arg-type]


class DatabaseLookup:
    """What an HR system writes over its own table of templates: rows of (id, version, template)."""

    def __init__(self, rows: list[tuple[str, str, Template]]) -> None:
        self.rows = rows
        self.asked: list[tuple[str, str | None]] = []

    def find(self, template_id: str, version: str | None = None) -> Template | None:
        self.asked.append((template_id, version))
        matches = [t for i, v, t in self.rows if i == template_id and (version is None or v == version)]
        return matches[-1] if matches else None


# -- the store -----------------------------------------------------------------------------------------------


def test_a_store_keeps_every_version_of_an_id_and_finds_the_last_added_without_a_version() -> None:
    v1, v2, other = _template("st-basic", "1.0"), _template("st-basic", "2.0", "Ny"), _template("st-other", "1.0")
    store = TemplateStore([v1, v2])
    store.add(other)
    assert store.find("st-basic") is v2
    assert store.find("st-basic", "1.0") is v1
    assert store.find("st-basic", "3.0") is None and store.find("nope") is None
    assert store.versions("st-basic") == ("1.0", "2.0") and store.versions("nope") == ()
    assert list(store) == [v1, v2, other] and len(store) == 3
    assert "st-basic" in store and "nope" not in store
    assert isinstance(store, TemplateLookup) and isinstance(DatabaseLookup([]), TemplateLookup)
    store.add(v1)  # the same template again: nothing new, and it is the current version again
    assert len(store) == 3 and store.find("st-basic") is v1


def test_two_different_templates_of_one_id_and_version_are_refused() -> None:
    v1, edited = _template("st-conflict", "1.0"), _template("st-conflict", "1.0", "Rettet titel")
    with pytest.raises(TemplateConflictError, match=r"'st-conflict' version 1\.0") as caught:
        TemplateStore([v1, edited])
    assert caught.value.code == "template.conflict" and "needs a new version" in str(caught.value)
    form = _form(v1, "employee")
    with pytest.raises(TemplateConflictError):  # parse refuses them too, before the file is read
        musforms.parse(form, templates=[v1, edited])


def test_a_store_survives_pickling_with_its_versions() -> None:
    store = TemplateStore([_template("st-pickle", "1.0"), _template("st-pickle", "2.0", "Ny")])
    copy = pickle.loads(pickle.dumps(store))
    assert copy.versions("st-pickle") == ("1.0", "2.0")
    found = copy.find("st-pickle", "1.0")
    assert found is not None and found.fingerprint == store.find("st-pickle", "1.0").fingerprint  # type: ignore[union-attr]


# -- parse ---------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["docx", "xlsx"])
def test_forms_of_two_versions_given_side_by_side_parse_each_with_its_own(fmt: str) -> None:
    v1, v2 = _template("st-parse", "1.0"), _template("st-parse", "2.0", "Ny udgave")
    old, new = _form(v1, "employee", fmt, 2), _form(v2, "employee", fmt, 5)
    for templates in ([v1, v2], [v2, v1], TemplateStore([v1, v2])):
        first, second = musforms.parse(old, templates=templates), musforms.parse(new, templates=templates)
        assert (first.template_version, first.fingerprint, first.template_source) == ("1.0", v1.fingerprint, "given")
        assert (second.template_version, second.fingerprint) == ("2.0", v2.fingerprint)
        assert first.answers["rate_quality"] == 2 and second.answers["rate_quality"] == 5
        assert not [i for i in first.issues + second.issues if i.code == "identity.lenient"]


def test_an_application_s_own_lookup_is_asked_for_the_form_s_id_and_version() -> None:
    v1, v2 = _template("st-db", "1.0"), _template("st-db", "2.0", "Ny")
    lookup = DatabaseLookup([("st-db", "1.0", v1), ("st-db", "2.0", v2)])
    form = musforms.parse(_form(v1, "manager"), templates=lookup)
    assert form.template_version == "1.0" and form.fingerprint == v1.fingerprint
    assert lookup.asked[0] == ("st-db", "1.0")
    with pytest.raises(UnknownTemplateError, match="not one the template lookup given has"):
        musforms.parse(_form(_template("st-db-other", "1.0"), "manager"), templates=lookup)


def test_a_form_of_a_version_not_given_names_the_versions_given() -> None:
    v1, v2, v3 = _template("st-missing", "1.0"), _template("st-missing", "2.0", "To"), _template("st-missing", "3.0")
    form = _form(v3, "employee")
    with pytest.raises(FingerprintMismatchError) as caught:
        musforms.parse(form, templates=[v1, v2], name="upload.docx")
    message = str(caught.value)
    assert message.startswith("upload.docx: ") and "version 3.0" in message
    assert "the versions given are 1.0, 2.0" in message
    read = musforms.parse(form, templates=TemplateStore([v1, v2]), lenient=True)
    assert read.template_version == "3.0" and read.answers["rate_quality"] == 3  # read with the current one
    warning = next(i for i in read.issues if i.code == "identity.lenient")
    assert "3.0" in warning.message and v2.fingerprint in warning.message
    with pytest.raises(UnknownTemplateError, match=r"not among the templates given \(st-missing\)"):
        musforms.parse(_form(_template("st-missing-id", "1.0"), "employee"), templates=[v1])


def test_a_mapping_by_id_is_still_taken() -> None:
    v1 = _template("st-map", "1.0")
    assert musforms.parse(_form(v1, "employee"), templates={"st-map": v1}).fingerprint == v1.fingerprint


def test_the_name_given_is_the_upload_s_name_in_messages() -> None:
    with pytest.raises(NotAFormError) as caught:
        musforms.parse(b"not a form at all", name="Ida Holm MUS.docx")
    assert "Ida Holm MUS.docx" in str(caught.value) and "<bytes>" not in str(caught.value)
    with pytest.raises(NotAFormError) as caught:
        musforms.parse(b"not a form at all", name="evil\nname.docx")
    assert "evil?name.docx" in str(caught.value)
    with pytest.raises(NotAFormError, match="<bytes>"):
        musforms.parse(b"not a form at all")


# -- compare, render_talk, redact --------------------------------------------------------------------------------


def test_compare_talk_and_redact_find_each_pair_s_version_among_the_templates_given() -> None:
    v1, v2 = _template("st-compare", "1.0"), _template("st-compare", "2.0", "Ny")
    store = TemplateStore([v1, v2])
    pairs = {
        version: (
            musforms.parse(_form(t, "employee", rating=2), templates=store),
            musforms.parse(_form(t, "manager", rating=5), templates=store),
        )
        for version, t in (("1.0", v1), ("2.0", v2))
    }
    employee, manager = pairs["1.0"]
    with pytest.raises(ComparisonError, match="not a built-in template"):
        musforms.compare(employee, manager)  # read with a template given: nothing to find it by without them
    for version, template in (("1.0", v1), ("2.0", v2)):
        employee, manager = pairs[version]
        comparison = musforms.compare(employee, manager, templates=[v1, v2])
        assert comparison.template is template
        pair = next(p for p in comparison.ratings if p.field_id == "rate_quality")
        assert (pair.employee, pair.manager, pair.gap) == (2, 5, 3)
        talk = musforms.render_talk(None, employee, manager, "docx", templates=store)
        assert talk == musforms.render_talk(template, employee, manager, "docx")
        assert musforms.redact(employee, templates=store).answers["rate_quality"] == 2
    with pytest.raises(ComparisonError, match=r"version 1.0 .*not among the templates given \(versions 2.0\)"):
        musforms.compare(*pairs["1.0"], templates=[v2])


# -- collect ---------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("jobs", [1, 2])
def test_collect_reads_the_forms_of_every_version_given(tmp_path: Path, jobs: int) -> None:
    v1, v2 = _template("st-collect", "1.0"), _template("st-collect", "2.0", "Ny")
    for version, template in (("1", v1), ("2", v2)):
        for role in ("employee", "manager"):
            (tmp_path / f"{version}-{role}.docx").write_bytes(_form(template, role))
    for templates in (
        [v1, v2],
        TemplateStore([v1, v2]),
        DatabaseLookup([("st-collect", "1.0", v1), ("st-collect", "2.0", v2)]),
    ):
        collection = musforms.collect(tmp_path, templates=templates, jobs=jobs)
        assert not collection.unread
        read = {Path(f.path).name: f.form for f in collection.files if f.form is not None}
        assert {name: form.template_version for name, form in read.items()} == {
            "1-employee.docx": "1.0",
            "1-manager.docx": "1.0",
            "2-employee.docx": "2.0",
            "2-manager.docx": "2.0",
        }
        assert collection.templates["st-collect"].version == "2.0"  # the current one, for the figures


def test_collect_compares_each_employee_s_forms_with_their_own_version(tmp_path: Path) -> None:
    v1, v2 = _template("st-pairs", "1.0"), _template("st-pairs", "2.0", "Ny")
    other = musforms.Context.model_validate(
        {"employee": {"id": "E8", "name": "Bo Berg"}, "manager": {"id": "M1", "name": "Lars Holm"}}
    )
    for role in ("employee", "manager"):
        (tmp_path / f"old-{role}.docx").write_bytes(_form(v1, role))
        new = musforms.render(v2, "docx", role=role, context=other, answers={"rate_quality": 4})  # type: ignore[arg-type]
        (tmp_path / f"new-{role}.docx").write_bytes(new)
    collection = musforms.collect(tmp_path, templates=TemplateStore([v1, v2]))
    comparisons = collection.comparisons(collection.templates)
    assert sorted(comparisons) == ["E7", "E8"]
    assert comparisons["E7"].template is v1 and comparisons["E8"].template is v2
    summary = musforms.write_summary(collection, tmp_path / "summary.json")
    assert {row["employee_id"] for row in json.loads(summary.read_text(encoding="utf-8"))["comparisons"]} == {
        "E7",
        "E8",
    }


def test_collect_with_a_lookup_still_reads_the_built_in_templates_forms(tmp_path: Path) -> None:
    builtin = musforms.load_template("mus-scored-da")
    (tmp_path / "builtin.docx").write_bytes(_form(builtin, "employee"))
    collection = musforms.collect(tmp_path, templates=DatabaseLookup([]))
    assert not collection.unread and collection.files[0].form is not None


# -- extends -----------------------------------------------------------------------------------------------------


def test_extends_names_a_template_given_and_a_version_of_it() -> None:
    base1, base2 = _template("acme-base", "1.0", "Gammel titel"), _template("acme-base", "2.0", "Ny titel")
    store = TemplateStore([base1, base2])
    current = musforms.load_template_text("extends: acme-base\nid: acme-sales\n", templates=store)
    assert (current.title, current.version) == ("Ny titel", "2.0")
    pinned = musforms.load_template_text("extends: acme-base@1.0\nid: acme-sales\n", templates=store)
    assert pinned.title == "Gammel titel"
    listed = musforms.load_template_text("extends: acme-base@1.0\nid: acme-sales\n", templates=[base2, base1])
    assert listed.fingerprint == pinned.fingerprint
    lookup = DatabaseLookup([("acme-base", "1.0", base1)])
    assert musforms.load_template({"extends": "acme-base", "id": "acme-x"}, templates=lookup).title == "Gammel titel"
    builtin = musforms.load_template_text("extends: mus-scored-da@1.0\nid: acme-b\n", templates=store)
    assert builtin.sections == musforms.load_template("mus-scored-da").sections


def test_extends_a_version_not_given_is_a_problem_at_its_line() -> None:
    store = TemplateStore([_template("acme-base", "1.0"), _template("acme-base", "2.0", "Ny")])
    with pytest.raises(TemplateError) as caught:
        musforms.load_template_text("id: acme-sales\nextends: acme-base@3\n", name="sales.yaml", templates=store)
    (problem,) = caught.value.problems
    assert (problem.file, problem.line, problem.column) == ("sales.yaml", 2, 10)
    assert "no template 'acme-base' version 3" in problem.message
    assert problem.hint is not None and "1.0, 2.0" in problem.hint
    with pytest.raises(TemplateError, match="a template loaded without a folder may name no file"):
        musforms.load_template_text("id: acme-sales\nextends: acme-base\n", name="sales.yaml")


def test_a_lookup_is_asked_only_about_what_could_be_a_template_id() -> None:
    lookup = DatabaseLookup([("acme-base", "1.0", _template("acme-base", "1.0"))])
    for reference in ("Robert'); DROP TABLE templates;--", "ACME", "acme-base@1.0.0.0"):
        with pytest.raises(TemplateError):
            musforms.load_template_text(f'extends: "{reference}"\nid: acme-sales\n', templates=lookup)
    assert lookup.asked == []
    assert musforms.load_template_text("extends: acme-base\nid: acme-sales\n", templates=lookup).id == "acme-sales"
    assert lookup.asked == [("acme-base", None), ("acme-base", None)]


def test_a_file_template_may_extend_a_template_given(tmp_path: Path) -> None:
    (tmp_path / "sales.yaml").write_text("extends: acme-base@1.0\nid: acme-sales\n", encoding="utf-8")
    template = musforms.load_template(tmp_path / "sales.yaml", templates=[_template("acme-base", "1.0", "Basis")])
    assert template.title == "Basis" and template.id == "acme-sales"


# -- logos as bytes --------------------------------------------------------------------------------------------

LOGO_TEMPLATE = "extends: mus-scored-da\nid: acme-logo\ncompany: {name: Acme A/S, logo: acme.png}\n"


def _members(data: bytes) -> dict[str, bytes]:
    """Every part of a package, but the core properties (which hold the moment the file was made)."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {n: archive.read(n) for n in archive.namelist() if n != "docProps/core.xml"}


def test_a_logo_given_as_bytes_renders_exactly_as_the_same_logo_from_a_file(tmp_path: Path) -> None:
    logo = _png(60, 20)
    (tmp_path / "acme.png").write_bytes(logo)
    from_file = musforms.load_template_text(LOGO_TEMPLATE, base_dir=tmp_path)
    from_bytes = musforms.load_template_text(LOGO_TEMPLATE, logos={"acme.png": logo})
    assert from_bytes.logo_file is None and from_bytes.logo_image == ("acme.png", logo)
    assert from_file.fingerprint == from_bytes.fingerprint
    for fmt in ("docx", "xlsx"):
        by_file = musforms.render(from_file, fmt, role="employee", context=CONTEXT, form_id="f1")  # type: ignore[arg-type]
        by_bytes = musforms.render(from_bytes, fmt, role="employee", context=CONTEXT, form_id="f1")  # type: ignore[arg-type]
        assert _members(by_bytes) == _members(by_file)
    with zipfile.ZipFile(
        io.BytesIO(by_bytes_docx := musforms.render(from_bytes, "docx", role="employee", context=CONTEXT))
    ) as archive:
        media = [n for n in archive.namelist() if n.startswith("word/media/")]
        assert media and archive.read(media[0]) == logo
    assert musforms.parse(by_bytes_docx, templates=[from_bytes]).template_id == "acme-logo"


def test_a_logo_given_as_bytes_is_checked_as_a_logo_file_is() -> None:
    with pytest.raises(TemplateError, match="the logo must be a PNG or JPEG image"):
        musforms.load_template_text(LOGO_TEMPLATE, logos={"acme.png": b"GIF89a" + b"\0" * 40})
    with pytest.raises(TemplateError, match="larger than 2 MB"):
        musforms.load_template_text(LOGO_TEMPLATE, logos={"acme.png": _png(10, 10) + b"\0" * 2_000_000})
    with pytest.raises(TemplateError) as caught:
        musforms.load_template_text(LOGO_TEMPLATE, name="acme.yaml", logos={"other.png": _png(10, 10)})
    (problem,) = caught.value.problems
    assert "no logo 'acme.png' among the logos given (other.png)" in problem.message
    assert (problem.file, problem.line) == ("acme.yaml", 3) and "logos=" in (problem.hint or "")
    with pytest.raises(
        TemplateError, match=r"the logo 'acme\.png' names a file, and a template loaded without a folder"
    ):
        musforms.load_template_text(LOGO_TEMPLATE)


def test_a_template_extending_a_template_given_keeps_its_bytes_logo() -> None:
    logo = _png(30, 10)
    base = musforms.load_template_text(LOGO_TEMPLATE, logos={"acme.png": logo})
    child = musforms.load_template_text("extends: acme-logo\nid: acme-child\n", templates=[base])
    assert child.logo_image == ("acme.png", logo)
    data = musforms.render(child, "docx", role="manager", context=CONTEXT)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert any(archive.read(n) == logo for n in archive.namelist() if n.startswith("word/media/"))
