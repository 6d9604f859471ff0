"""The consistency check: a template text that promises what the form does not have (a number of parts, a part's
minutes or the total time, "not relevant", a scale's range, a follow-up interval) is reported by
``check_template`` and ``musforms validate`` as a warning at the text's place; the built-ins promise nothing
their forms lack."""

from __future__ import annotations

from pathlib import Path

import pytest

import musforms
from musforms._cli.main import main as cli_main
from musforms._loading.consistency import CODE, consistency_problems


@pytest.mark.parametrize("template_id", [t.id for t in musforms.list_templates()])
def test_the_builtins_promise_nothing_their_forms_lack(template_id: str) -> None:
    assert consistency_problems(musforms.load_template(template_id)) == []


def _warnings(tmp_path: Path, yaml: str) -> list[musforms.Problem]:
    path = tmp_path / "company.yaml"
    path.write_text(yaml, encoding="utf-8")
    problems = musforms.check_template(path)
    assert all(p.severity == "warning" and p.code == CODE for p in problems), problems
    musforms.load_template(path)  # a warning does not stop the template from loading
    return problems


def test_a_stale_sentence_in_the_intro_is_reported_where_it_is(tmp_path: Path) -> None:
    yaml = (
        "extends: mus-scored-da\n"
        "id: acme\n"
        "followup_months: 3\n"
        "intro: |\n"
        "  Samtalen varer ca. 1 time og falder i fem dele. Nutid og fremtid (30 min.) fylder mest.\n"
        "  Vi vurderer på en skala fra 1 til 4, og der følges op efter 6 måneder.\n"
        "changes:\n"
        "  - remove: closing\n"
        "  - update: present_future\n"
        "    set: {minutes: 25}\n"
    )
    problems = _warnings(tmp_path, yaml)
    messages = [p.message for p in problems]
    assert len(problems) == 5, messages
    assert all((Path(p.file or "").name, p.line, p.column, p.path) == ("company.yaml", 4, 8, "intro") for p in problems)
    assert any("'fem dele', but the form has 4 parts" in m for m in messages)
    assert any("'(30 min.)', but no part of the form has 30 minutes" in m for m in messages)
    assert any("'ca. 1 time', but the form's parts take 50 minutes (ca. 50 min.)" in m for m in messages)
    assert any("'fra 1 til 4', but the scale runs fra 1 (i meget lav grad) til 5" in m for m in messages)
    assert any("'efter 6 måneder', but the template's follow-up is after 3 months" in m for m in messages)
    assert all("{{ form." in (p.hint or "") for p in problems)


def test_not_relevant_promised_when_no_item_offers_it(tmp_path: Path) -> None:
    offering = [
        f.id for _s, f in musforms.load_template("mus-scored-en").iter_fields() if getattr(f, "not_relevant", 0)
    ]
    changes = "".join(f"  - update: {field_id}\n    set: {{not_relevant: false}}\n" for field_id in offering)
    yaml = (
        "extends: mus-scored-en\nid: acme\nchanges:\n"
        f"{changes}"
        "  - update: rate_quality\n"
        "    set: {help: 'Choose \"Not relevant\" if it does not fit.'}\n"
    )
    (problem,) = _warnings(tmp_path, yaml)
    assert problem.path == "sections[past].fields[rate_quality].help"
    assert problem.message == "the text offers 'Not relevant', but no rated item of the form offers it"


def test_a_relabelled_scale_against_a_written_range(tmp_path: Path) -> None:
    yaml = (
        "extends: mus-scored-en\nid: acme\n"
        "scales:\n  degree5:\n    points: [{value: 1, label: Never}, {value: 2, label: Sometimes}, "
        "{value: 3, label: Always}]\n"
        "changes:\n"
        "  - update: past\n"
        "    set: {guidance: 'Rate from 1 (to a very small extent) to 3 (always).'}\n"
    )
    (problem,) = _warnings(tmp_path, yaml)
    assert problem.path == "sections[past].guidance"
    assert "but the scale runs from 1 (never) to 3 (always)" in problem.message


def test_texts_that_use_the_facts_are_not_reported(tmp_path: Path) -> None:
    yaml = (
        "extends: mus-soft-da\nid: acme\nfollowup_months: 3\n"
        "intro: 'Samtalen varer {{ form.duration }} i {{ form.parts_in_words }}; opfølgning efter "
        "{{ form.followup_months }} måneder.'\n"
        "changes:\n  - update: present_future\n    set: {minutes: 45}\n"
    )
    assert _warnings(tmp_path, yaml) == []


def test_a_text_that_fails_for_the_form_is_reported(tmp_path: Path) -> None:
    # the soft form has no scale: form.scale is None there
    yaml = "extends: mus-soft-en\nid: acme\nintro: 'Rate {{ form.scale.range_text }}.'\n"
    problems = _warnings(tmp_path, yaml)
    assert problems and problems[0].path == "intro" and "cannot be printed" in problems[0].message


def test_validate_prints_the_warning(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "company.yaml"
    path.write_text("extends: plan-da\nid: acme-plan\nintro: Der følges op efter 6 måneder.\n", encoding="utf-8")
    path.write_text(path.read_text(encoding="utf-8") + "followup_months: 3\n", encoding="utf-8")
    cli_main(["validate", str(path)])
    out = capsys.readouterr()
    shown = out.out + out.err
    assert "company.yaml:3" in shown and "warning" in shown and "'efter 6 måneder'" in shown
