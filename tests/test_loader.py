"""Template files: YAML/JSON with located errors, several problems at once, extends and changes."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from musforms import TemplateError, TemplateNotFoundError, check_template, load_template, load_template_text

from .conftest import MINIMAL

Write = Callable[..., Path]


def _problems(source: object) -> list[str]:
    with pytest.raises(TemplateError) as info:
        load_template(source)  # type: ignore[arg-type]
    return [str(p) for p in info.value.problems]


FIVE_MISTAKES = """\
id: acme
title: Acme MUS
language: da
style: scored
scales:
  five:
    points:
      - {value: 1, label: Lav}
      - {value: 2, label: Høj}
sections:
  - id: past
    title: Fortid
    minutes: ten
    fields:
      - {kind: ratng, id: quality, label: Kvalitet, scale: five}
      - {kind: rating, id: speed, label: Tempo, scale: fiv}
      - {kind: text, id: strengths, lable: Styrker}
      - {kind: text, id: speed, label: "Hej {{ employe.name }}"}
"""


def test_five_mistakes_are_reported_together_with_lines(write: Write) -> None:
    path = write(FIVE_MISTAKES)
    problems = _problems(path)
    text = "\n".join(problems)
    expected = [
        (13, "sections[past].minutes", "minutes must be a whole number, found 'ten'"),
        (15, "sections[past].fields[quality].kind", "unknown field kind 'ratng' (did you mean 'rating'?)"),
        (16, "sections[past].fields[speed].scale", "unknown scale 'fiv' (did you mean 'five'?)"),
        (17, "sections[past].fields[strengths].lable", "unknown key 'lable' (did you mean 'label'?)"),
        (18, "sections[past].fields[speed].id", "duplicate id 'speed'"),
        (18, "sections[past].fields[speed].label", "unknown name 'employe' (did you mean 'employee'?)"),
    ]
    for line, path_text, message in expected:
        assert any(p.startswith(f"{path}:{line}:") and f": {path_text}: " in p and message in p for p in problems), (
            f"no problem on line {line} at {path_text} saying {message!r} in:\n{text}"
        )


def test_problem_has_file_line_column_path_and_hint(write: Write) -> None:
    path = write(FIVE_MISTAKES)
    with pytest.raises(TemplateError) as info:
        load_template(path)
    kind = next(p for p in info.value.problems if "ratng" in p.message)
    assert (kind.file, kind.line, kind.column) == (str(path), 15, 16)
    assert kind.path == "sections[past].fields[quality].kind"
    assert kind.hint == "did you mean 'rating'?"
    assert str(kind) == (
        f"{path}:15:16: sections[past].fields[quality].kind: unknown field kind 'ratng' (did you mean 'rating'?)"
    )


def test_yaml_syntax_error_is_located(write: Write) -> None:
    path = write("id: x\ntitle: [unclosed\nlanguage: da\n")
    (problem,) = _problems(path)
    assert problem.startswith(f"{path}:")
    assert "not valid YAML" in problem


def test_duplicate_keys_are_an_error(write: Write) -> None:
    path = write("id: x\ntitle: A\ntitle: B\n")
    (problem,) = _problems(path)
    assert f"{path}:3:1" in problem and "key 'title' appears twice" in problem and "line 2" in problem


def test_top_level_must_be_a_mapping(write: Write) -> None:
    (problem,) = _problems(write("- a\n- b\n"))
    assert "must be a mapping" in problem


def test_unquoted_version_gets_a_hint(write: Write) -> None:
    path = write(MINIMAL.replace('version: "1.0"', "version: 1.0"))
    (problem,) = _problems(path)
    assert ":2:10: version: " in problem and "quoted string" in problem


def test_json_file_loads_with_positions(tmp_path: Path) -> None:
    good = load_template_text(MINIMAL)
    data = good.model_dump(mode="json")
    data["sections"][1]["fields"][0]["kind"] = "ratin"
    path = tmp_path / "t.json"
    path.write_text(json.dumps(data, indent=2), encoding="utf-8")
    (problem,) = _problems(path)
    assert "did you mean 'rating'?" in problem
    line = int(problem.split(":")[1])
    assert '"ratin"' in path.read_text().splitlines()[line - 1]


def test_load_from_text_and_mapping() -> None:
    from_text = load_template_text(MINIMAL, name="inline")
    import yaml

    from_mapping = load_template(yaml.safe_load(MINIMAL))
    assert from_text.fingerprint == from_mapping.fingerprint
    with pytest.raises(TemplateError) as info:
        load_template_text(MINIMAL.replace("kind: check", "kind: chek"), name="inline.yaml")
    assert str(info.value.problems[0]).startswith("inline.yaml:")


def test_mapping_errors_name_the_path() -> None:
    import yaml

    data = yaml.safe_load(MINIMAL)
    data["sections"][1]["fields"][0]["scale"] = "seven"
    (problem,) = _problems(data)
    assert "sections[past].fields[quality].scale: unknown scale 'seven'" in problem


def test_not_found_messages() -> None:
    with pytest.raises(TemplateNotFoundError, match="did you mean 'mus-scored-da'"):
        load_template("mus-scored-dk")
    with pytest.raises(TemplateNotFoundError, match=r"no template file at 'nowhere/x\.yaml'"):
        load_template("nowhere/x.yaml")
    assert check_template("nowhere/x.yaml")[0].code == "template.not_found"


# -- extends and changes ------------------------------------------------------------------------------


def _child(write: Write, body: str) -> Path:
    write(MINIMAL, "demo.yaml")
    return write("extends: demo.yaml\nid: acme\n" + body, "acme.yaml")


def test_extends_a_file_and_overrides_keys(write: Write) -> None:
    child = _child(write, 'title: Acme MUS\ncompany: {name: Acme A/S}\nversion: "2.1"\n')
    template = load_template(child)
    parent = load_template(child.parent / "demo.yaml")
    assert (template.id, template.title, template.version) == ("acme", "Acme MUS", "2.1")
    assert template.company is not None and template.company.name == "Acme A/S"
    assert template.sections == parent.sections
    assert template.fingerprint != parent.fingerprint


def test_extends_a_builtin() -> None:
    template = load_template({"extends": "mus-scored-da", "id": "acme", "company": {"name": "Acme"}})
    parent = load_template("mus-scored-da")
    assert template.sections == parent.sections
    assert template.language == "da"


def test_extends_needs_an_own_id(write: Write) -> None:
    write(MINIMAL, "demo.yaml")
    path = write("extends: demo.yaml\ntitle: X\n", "acme.yaml")
    (problem,) = _problems(path)
    assert "needs its own 'id'" in problem


def test_changes_remove_add_replace_update_reorder_move(write: Write) -> None:
    child = _child(
        write,
        """\
changes:
  - remove: read_guide
  - update: past
    set: {title: Året der gik, minutes: 15}
  - add_field: {kind: text, id: safety, label: Sikkerhed}
    to: past
    after: quality
  - add_section: {id: extra, title: Ekstra, fields: [{kind: text, id: extra_q, label: "Noget at tilføje?"}]}
    before: past
  - replace: mood
    with: {kind: check, id: mood_ok, label: Godt humør}
  - reorder: [past, extra, prep]
  - move: strengths
    to: extra
  - reorder: [extra_q, strengths]
    in: extra
scales:
  five:
    points: [{value: 1, label: En}, {value: 2, label: To}, {value: 3, label: Tre}]
""",
    )
    template = load_template(child)
    assert [s.id for s in template.sections] == ["past", "extra", "prep"]
    past = template.sections[0]
    assert (past.title, past.minutes) == ("Året der gik", 15)
    ids = [f.id for f in past.fields]
    assert "read_guide" not in ids and "mood" not in ids and "mood_ok" in ids and "strengths" not in ids
    assert ids[:2] == ["quality", "safety"]
    assert [f.id for f in template.sections[1].fields] == ["extra_q", "strengths"]
    assert template.scales["five"].values == (1, 2, 3)


def test_every_bad_change_is_reported(write: Write) -> None:
    child = _child(
        write,
        """\
changes:
  - remove: qualty
  - rmove: quality
  - add_field: {kind: text, id: x, label: X}
  - update: past
    set: {title: Ny}
    with: {}
  - reorder: [past]
  - move: strengths
    to: nowhere
  - add_field: {kind: txt, id: y, label: Y}
    to: past
""",
    )
    with pytest.raises(TemplateError) as info:
        load_template(child)
    messages = [str(p) for p in info.value.problems]
    text = "\n".join(messages)
    assert any(
        ":4:" in m and "no section or field with id 'qualty'" in m and "did you mean 'quality'" in m for m in messages
    ), text
    assert any(":5:" in m and "unknown change 'rmove'" in m and "did you mean 'remove'" in m for m in messages), text
    assert any(":6:" in m and "needs 'to: SECTION_ID'" in m for m in messages), text
    assert any("'update' does not take 'with'" in m for m in messages), text
    assert any(
        "'reorder' must list each of the sections exactly once" in m and "missing: prep" in m for m in messages
    ), text
    assert any("no section with id 'nowhere'" in m for m in messages), text
    assert all(m.startswith(str(child)) for m in messages), text
    # The bad kind of an added field is found in the same run, in the child's file.
    assert any(":13:" in m and "unknown field kind 'txt'" in m for m in messages), text
    assert len(messages) == 7


def test_errors_in_added_parts_point_to_the_child_file(write: Write) -> None:
    child = _child(write, "changes:\n  - add_field: {kind: txt, id: y, label: Y}\n    to: past\n")
    (problem,) = _problems(child)
    assert problem.startswith(f"{child}:4:") and "did you mean 'text'" in problem


def test_changes_without_extends(write: Write) -> None:
    path = write(MINIMAL + "changes: []\n")
    (problem,) = _problems(path)
    assert "'changes' only applies to a template that extends another" in problem


def test_extends_cycle_is_detected(write: Write) -> None:
    write("extends: b.yaml\nid: a\n", "a.yaml")
    path = write("extends: a.yaml\nid: b\n", "b.yaml")
    problems = _problems(path)
    assert any("in a circle" in p for p in problems)


def test_extends_missing_parent(write: Write) -> None:
    path = write("extends: nothere.yaml\nid: a\n")
    (problem,) = _problems(path)
    assert ":1:10: extends: no template file at 'nothere.yaml'" in problem


def test_logo_must_be_an_image_inside_the_folder(write: Write, tmp_path: Path) -> None:
    write(MINIMAL, "demo.yaml")
    (tmp_path / "logo.png").write_bytes(PNG)
    (tmp_path / "fake.png").write_bytes(b"GIF89a")
    good = write("extends: demo.yaml\nid: a\ncompany: {logo: logo.png}\n", "a.yaml")
    assert load_template(good).company is not None
    for logo, message in [
        ("fake.png", "must be a PNG or JPEG"),
        ("../outside.png", "must lie in the template's folder"),
        ("missing.png", "no logo file at 'missing.png'"),
    ]:
        path = write(f"extends: demo.yaml\nid: a\ncompany: {{logo: {logo}}}\n", "b.yaml")
        (problem,) = _problems(path)
        assert message in problem and ":3:" in problem


def test_jinja_attack_is_rejected_not_executed(write: Write) -> None:
    path = write(MINIMAL.replace("label: Sidste samtale", "label: \"{{ ''.__class__.__mro__ }}\""))
    problems = _problems(path)
    assert any("'__class__'" in p and "not allowed" in p for p in problems)


# -- files in other folders: the logo, and how problems name files -------------------------------------

PNG = bytes.fromhex("89504e470d0a1a0a0000000d49484452000000010000000108000000003a7e9b550000000049454e44ae426082")


def _parent_and_child(tmp_path: Path, parent_extra: str = "", child_extra: str = "") -> Path:
    """A company's template in ``co/`` that extends a shared one in ``base/``: the application allows both
    folders by loading with ``root=tmp_path``."""
    (tmp_path / "base").mkdir(exist_ok=True)
    (tmp_path / "co").mkdir(exist_ok=True)
    (tmp_path / "base" / "parent.yaml").write_text(MINIMAL + parent_extra, encoding="utf-8")
    child = tmp_path / "co" / "child.yaml"
    child.write_text("extends: ../base/parent.yaml\nid: child\n" + child_extra, encoding="utf-8")
    return child


def test_a_parents_logo_is_found_next_to_the_parent(tmp_path: Path) -> None:
    (tmp_path / "base").mkdir()
    (tmp_path / "base" / "logo.png").write_bytes(PNG)
    child = _parent_and_child(tmp_path, parent_extra="company: {name: Acme, logo: logo.png}\n")
    template = load_template(child, root=tmp_path)
    assert template.company is not None and template.company.logo == "logo.png"
    assert check_template(child, root=tmp_path) == []


def test_a_logo_without_a_company_name_is_a_warning(tmp_path: Path) -> None:
    """The company's name is the logo's alt text: without it the picture is decoration, which validate says."""
    (tmp_path / "logo.png").write_bytes(PNG)
    path = tmp_path / "t.yaml"
    path.write_text("extends: mus-soft-da\nid: t\ncompany: {logo: logo.png}\n", encoding="utf-8")
    template = load_template(path)  # a warning does not stop loading
    assert template.logo_file is not None
    (problem,) = check_template(path)
    assert problem.severity == "warning" and problem.code == "template.logo_without_text"
    assert problem.line == 3 and "no text for screen readers" in problem.message


def test_a_logo_set_by_the_child_is_found_next_to_the_child(tmp_path: Path) -> None:
    (tmp_path / "co").mkdir()
    (tmp_path / "co" / "own.png").write_bytes(PNG)
    child = _parent_and_child(tmp_path, child_extra="company: {logo: own.png}\n")
    assert load_template(child, root=tmp_path).company.logo == "own.png"  # type: ignore[union-attr]
    # The same logo named by the parent is looked for next to the parent, where it is not.
    child = _parent_and_child(tmp_path, parent_extra="company: {logo: own.png}\n", child_extra="")
    (problem,) = check_template(child, root=tmp_path)
    assert problem.file is not None and problem.file.endswith("parent.yaml")
    assert "no logo file at 'own.png'" in problem.message and problem.hint is not None
    assert str(tmp_path / "base" / "own.png") in problem.hint


def test_a_parents_logo_must_stay_in_the_parents_folder(tmp_path: Path) -> None:
    (tmp_path / "co").mkdir()
    (tmp_path / "co" / "logo.png").write_bytes(PNG)
    child = _parent_and_child(tmp_path, parent_extra="company: {logo: ../co/logo.png}\n")
    (problem,) = check_template(child, root=tmp_path)
    assert "must lie in the template's folder" in problem.message
    assert problem.file is not None and problem.file.endswith("parent.yaml")


def test_problems_in_a_parent_name_it_by_a_path_from_the_current_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    child = _parent_and_child(tmp_path)
    parent = tmp_path / "base" / "parent.yaml"
    parent.write_text(MINIMAL.replace("label: Metoder", "label: Metoder, lines: x"), encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    (problem,) = check_template("co/child.yaml", root=tmp_path)
    assert problem.file == "base/parent.yaml"  # not "../base/parent.yaml", which is relative to the child
    assert Path(problem.file).is_file()
    # From a folder the files do not lie below, the path is absolute.
    (tmp_path / "elsewhere").mkdir()
    monkeypatch.chdir(tmp_path / "elsewhere")
    (problem,) = check_template(child, root=tmp_path)
    assert problem.file == str(parent.resolve())


def test_problems_in_a_builtin_name_it_builtin_id() -> None:
    parent = load_template("mus-soft-en")
    section = parent.sections[1]
    first, second = section.fields[0].id, section.fields[1].id
    data = {
        "extends": "mus-soft-en",
        "id": "acme",
        "changes": [{"add_field": {"kind": "text", "id": second, "label": "X"}, "to": section.id, "before": first}],
    }
    problems = check_template(data)
    assert [p.file for p in problems] == ["builtin:mus-soft-en"], problems
    assert problems[0].message == f"duplicate id '{second}'"


# -- changes: check before changing, hints that read -----------------------------------------------------


def test_a_failed_move_keeps_the_field(write: Write) -> None:
    child = _child(
        write,
        """\
changes:
  - move: strengths
    to: nowhere
  - update: strengths
    set: {label: Styrker}
""",
    )
    (problem,) = check_template(child)
    assert "no section with id 'nowhere'" in problem.message
    assert problem.hint == "the sections are: prep, past"


@pytest.mark.parametrize(
    "change",
    [
        "{move: strengths, to: nowhere}",
        "{move: strengths, before: nothere}",
        "{move: strengths, to: prep, after: nothere}",
        "{move: strengths, after: strengths}",
        "{move: info_give, to: past, before: nothere}",
        "{add_field: {kind: text, id: x, label: X}, to: past, before: nothere}",
        "{add_field: {kind: text, id: x, label: X}, to: empty, after: nothere}",
        "{add_section: {id: extra, title: Extra}, after: nowhere}",
        "{replace: strengths}",
        "{replace: strengths, with: [1]}",
        "{update: strengths}",
        "{update: strengths, set: [1]}",
        "{reorder: [quality], in: past}",
        "{reorder: [x], in: empty}",
        "{reorder: [prep, nowhere]}",
    ],
)
def test_a_failed_change_changes_nothing(change: str) -> None:
    import copy

    from musforms._loading.changes import apply_changes
    from musforms._loading.yamlsource import read_yaml

    merged = read_yaml(MINIMAL + "  - {id: empty, title: Tom}\n", "demo.yaml")
    before = copy.deepcopy(dict(merged))
    problems = apply_changes(merged, read_yaml(f"- {change}\n", "acme.yaml"), read_yaml("id: acme\n", "acme.yaml"))
    assert len(problems) == 1, problems
    assert dict(merged) == before
    assert "fields" not in merged["sections"][2]


@pytest.mark.parametrize(
    ("change", "message", "hint"),
    [
        (
            "add_field: {kind: text, id: x, label: X}\n    to: past\n    before: zzz",
            "no field with id 'zzz' in section 'past'",
            "the fields of section 'past' are: quality, strengths, methods, mood, read_guide, last_talk, "
            "agreements, sign_employee, note, mgr_only_rating",
        ),
        (
            "add_field: {kind: text, id: x, label: X}\n    to: past\n    before: qualty",
            "no field with id 'qualty' in section 'past'",
            "did you mean 'quality'?",
        ),
        (
            "add_field: {kind: text, id: x, label: X}\n    to: prep\n    after: quality",
            "no field with id 'quality' in section 'prep'",
            "the fields of section 'prep' are: info_give",
        ),
        (
            "add_section: {id: x, title: X}\n    after: nowhere",
            "no section with id 'nowhere'",
            "the sections are: prep, past",
        ),
        ("add_section: {id: x, title: X}\n    after: pasta", "no section with id 'pasta'", "did you mean 'past'?"),
        (
            "remove: zzz",
            "no section or field with id 'zzz'",
            "run 'musforms show' on the parent template to see the section and field ids",
        ),
        (
            "move: zzz\n    to: past",
            "no field with id 'zzz'",
            "run 'musforms show' on the parent template to see the field ids",
        ),
        ("move: quality\n    to: qualty", "no section with id 'qualty'", "the sections are: prep, past"),
        ("move: strengths\n    after: strengths", "a field cannot be moved after itself", None),
        (
            "reorder: [info_give, nothing]\n    in: prep",
            "no field with id 'nothing' in section 'prep'",
            "the fields of section 'prep' are: info_give",
        ),
        ("reorder: [past, prep, pasta]", "no section with id 'pasta'", "did you mean 'past'?"),
    ],
)
def test_change_hints_read_correctly(write: Write, change: str, message: str, hint: str | None) -> None:
    child = _child(write, f"changes:\n  - {change}\n")
    (problem,) = check_template(child)
    assert (problem.message, problem.hint) == (message, hint)


# -- values: option ids and labels, check fields, unquoted YAML, texts printed as written ------------------


def test_duplicate_option_ids_and_labels_are_refused(write: Write) -> None:
    options = '[{id: a, label: "Yes"}, {id: a, label: "No"}]'
    (problem,) = _problems(write(MINIMAL.replace("[{id: good, label: Godt}, {id: bad, label: Skidt}]", options)))
    assert ": sections[past].fields[mood].options: options 1 and 2 have the same id 'a'" in problem
    assert "Value error" not in problem
    options = "[{id: good, label: Godt}, {id: bad, label: godt}]"
    (problem,) = _problems(write(MINIMAL.replace("[{id: good, label: Godt}, {id: bad, label: Skidt}]", options)))
    assert ": sections[past].fields[mood].options: options 1 and 2 have the same label 'godt'" in problem


def test_a_check_field_cannot_be_required(write: Write) -> None:
    path = write(
        MINIMAL.replace("label: Jeg har læst vejledningen}", "label: Jeg har læst vejledningen, required: true}")
    )
    (problem,) = _problems(path)
    assert (
        ": sections[past].fields[read_guide].required: a check field is either ticked or not; it cannot be required"
        in problem
    )


@pytest.mark.parametrize(
    ("old", "new", "path", "hint"),
    [
        (
            "label: Kvalitet i arbejdet",
            "label: Yes",
            "fields[quality].label",
            'YAML reads Yes as true; put it in quotes: "Yes"',
        ),
        ("label: Humør", "label: No", "fields[mood].label", 'YAML reads No as false; put it in quotes: "No"'),
        ("id: read_guide", "id: 1", "fields[4].id", 'YAML reads 1 as a number; put it in quotes: "1"'),
        (
            "{id: good, label: Godt}",
            "{id: good, label: off}",
            "options[good].label",
            'YAML reads off as false; put it in quotes: "off"',
        ),
        (
            "label: Sidste samtale",
            "label: 1.50",
            "fields[last_talk].label",
            'YAML reads 1.50 as a number; put it in quotes: "1.50"',
        ),
        (
            "label: Sidste samtale",
            "label: ",
            "fields[last_talk].label",
            "the value is empty; write the text after the colon",
        ),
    ],
)
def test_unquoted_yaml_that_is_not_text_gets_a_hint(write: Write, old: str, new: str, path: str, hint: str) -> None:
    assert old in MINIMAL
    with pytest.raises(TemplateError) as info:
        load_template(write(MINIMAL.replace(old, new, 1)))
    (problem,) = info.value.problems
    assert problem.path.endswith(path) and problem.message.startswith(f"{path.split('.')[-1]} must be text, found ")
    assert problem.hint == hint


@pytest.mark.parametrize(
    ("old", "new", "path"),
    [
        ("title: Demo\n", 'title: Demo\ndescription: "For {{ employee.name }}"\n', "description"),
        ("title: Demo\n", 'title: Demo\ncompany: {name: "{{ company.name }}"}\n', "company.name"),
        ("  five:\n", '  five:\n    title: "{% if manager %}x{% endif %}"\n', "scales.five.title"),
        ("  five:\n", '  five:\n    not_relevant_label: "{{ language }}"\n', "scales.five.not_relevant_label"),
        ("label: Meget lidt}", 'label: "{{ employee.name }}"}', "scales.five.points[0].label"),
        ("label: Kursus}", 'label: "{# note #}Kursus"}', "sections[past].fields[methods].options[course].label"),
    ],
)
def test_jinja_is_refused_in_texts_printed_as_written(write: Write, old: str, new: str, path: str) -> None:
    assert old in MINIMAL
    with pytest.raises(TemplateError) as info:
        load_template(write(MINIMAL.replace(old, new, 1)))
    (problem,) = info.value.problems
    assert problem.path == path
    assert problem.message == "this text is printed as written; Jinja is not rendered here"
    assert problem.hint is not None and "title and intro" in problem.hint


# -- check_template never raises for a bad template ------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "\"{{ '%(a)s' % {} }}\"",  # KeyError inside Jinja
        "\"{{ '{0}'.format() }}\"",  # IndexError inside Jinja
        '"{{ ' + "(" * 3000 + "1" + ")" * 3000 + ' }}"',  # RecursionError in Jinja's parser
    ],
)
def test_check_template_reports_texts_that_make_jinja_raise(write: Write, text: str) -> None:
    path = write(MINIMAL.replace("label: Sidste samtale", f"label: Sidste samtale, help: {text}"))
    (problem,) = check_template(path)
    assert problem.path == "sections[past].fields[last_talk].help"
    with pytest.raises(TemplateError):
        load_template(path)


def test_check_template_turns_any_musforms_error_into_a_problem(
    minimal_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from musforms import TextRenderError
    from musforms._loading import loader

    def fail(raw: object) -> list[object]:
        raise TextRenderError("the text could not be rendered: boom")

    monkeypatch.setattr(loader, "raw_text_problems", fail)
    (problem,) = check_template(minimal_path)
    assert problem.message == "the text could not be rendered: boom" and problem.code == "render.text"


def test_deeply_nested_yaml_is_a_problem_not_a_crash(write: Write) -> None:
    (problem,) = check_template(write("id: x\ntitle: " + "[" * 5000 + "]" * 5000 + "\n"))
    assert "nested too deeply" in problem.message
