"""One answers contract: what ``parse`` returns validates against the role's answers model, survives a JSON round
trip with its types, reads into a caller's model (``answers_as``), and into a generated module checked by mypy."""

from __future__ import annotations

import datetime as dt
import importlib.util
import subprocess
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import BaseModel, ConfigDict, ValidationError

import musforms
from musforms import (
    NOT_RELEVANT,
    AgreementRow,
    AnswersError,
    FilledForm,
    Signature,
    Template,
    answers_module_source,
    parse,
    render,
)
from musforms._cli.main import main as cli
from musforms._model.context import SAMPLE_CONTEXT
from musforms._model.fields import (
    AgreementsField,
    CheckField,
    ChoiceField,
    DateField,
    FormField,
    RatingField,
    SignatureField,
    TextField,
)
from musforms._model.values import AGREEMENT_METHODS, AGREEMENT_STATUSES

from .conftest import MINIMAL

BUILTINS = [info.id for info in musforms.list_templates()]
ROLES = ("employee", "manager")
FORMATS = ("docx", "xlsx")

_text = st.text(alphabet="abcdefghijklmnopqrstuvwxyzæøå ABC0123456789-.,", min_size=1, max_size=30).filter(
    lambda s: s.strip() == s and s != ""
)
_dates = st.dates(min_value=dt.date(2000, 1, 1), max_value=dt.date(2099, 12, 31))


def _answer(template: Template, field: FormField) -> st.SearchStrategy[Any]:
    """An answer a form can hold for ``field``."""
    if isinstance(field, TextField):
        return _text
    if isinstance(field, RatingField):
        points: list[Any] = list(template.scale_of(field).values)
        return st.sampled_from(points + ([NOT_RELEVANT] if field.not_relevant else []))
    if isinstance(field, ChoiceField):
        ids = [o.id for o in field.options]
        return st.lists(st.sampled_from(ids), min_size=1, unique=True) if field.multiple else st.sampled_from(ids)
    if isinstance(field, CheckField):
        return st.booleans()
    if isinstance(field, DateField):
        return _dates
    if isinstance(field, AgreementsField):
        cells: dict[str, st.SearchStrategy[Any]] = {
            "action": _text,
            "owner": st.none() | st.sampled_from(ROLES),
            "deadline": st.none() | _dates,
            "method": st.none() | st.sampled_from(AGREEMENT_METHODS),
            "status": st.none() | st.sampled_from(AGREEMENT_STATUSES),
            "comment": st.none() | _text,
        }
        row = st.builds(AgreementRow, **{column: cells[column] for column in field.columns})
        return st.lists(row, min_size=1, max_size=min(field.rows, 3))
    if isinstance(field, SignatureField):
        return st.builds(Signature, name=_text, date=st.none() | _dates)
    raise AssertionError(field.kind)


def _answers(template: Template, role: str) -> st.SearchStrategy[dict[str, Any]]:
    fields = template.answer_fields(role)  # type: ignore[arg-type]
    return st.fixed_dictionaries({}, optional={f.id: _answer(template, f) for f in fields})


def _form(template: Template, role: str, fmt: str, answers: dict[str, Any] | None = None) -> FilledForm:
    data = render(template, fmt, role=role, context=SAMPLE_CONTEXT, answers=answers)  # type: ignore[arg-type]
    return parse(data, templates=[template])


def _check_contract(template: Template, form: FilledForm) -> None:
    """The form's answers validate against its role's model, and its JSON reads back into an equal form."""
    model = template.answers_model(form.role)
    model.model_validate(form.answers)
    assert isinstance(form.answers_as(model), model)
    assert set(form.kinds) == set(form.answers) == {f.id for f in template.answer_fields(form.role)}
    back = FilledForm.model_validate_json(form.to_json())
    assert back == form
    assert FilledForm.model_validate(form.model_dump(mode="json")) == form
    for field_id, value in back.answers.items():
        assert type(value) is type(form.answers[field_id])


# -- every built-in, both roles, both formats: blank and partly filled -----------------------------------


@pytest.fixture(scope="module")
def templates() -> dict[str, Template]:
    loaded = {template_id: musforms.load_template(template_id) for template_id in BUILTINS}
    loaded["demo"] = musforms.load_template_text(MINIMAL)
    return loaded


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("template_id", [*BUILTINS, "demo"])
def test_a_blank_form_keeps_the_contract(templates: dict[str, Template], template_id: str, role: str, fmt: str) -> None:
    template = templates[template_id]
    form = _form(template, role, fmt)
    _check_contract(template, form)
    assert all(value in (None, False) for value in form.answers.values())


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("template_id", [*BUILTINS, "demo"])
@settings(max_examples=3, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(data=st.data())
def test_a_filled_form_keeps_the_contract(
    templates: dict[str, Template], template_id: str, role: str, fmt: str, data: st.DataObject
) -> None:
    template = templates[template_id]
    answers = data.draw(_answers(template, role))
    form = _form(template, role, fmt, answers)
    _check_contract(template, form)
    canonical = template.answers_model(role).model_validate(answers)  # type: ignore[arg-type]
    for field_id in answers:
        assert form.answers[field_id] == getattr(canonical, field_id), field_id


def test_every_field_kind_is_typed_after_a_json_round_trip(templates: dict[str, Template]) -> None:
    template = templates["demo"]
    answers = {
        "strengths": "2026-01-01",  # a text that looks like a date stays text
        "quality": 4,
        "methods": ["course"],
        "mood": "good",
        "read_guide": True,
        "last_talk": dt.date(2025, 3, 1),
        "agreements": [AgreementRow(action="KNX", owner="employee", deadline=dt.date(2026, 6, 1))],
        "sign_employee": Signature(name="Mette", date=dt.date(2026, 3, 16)),
    }
    for fmt in FORMATS:
        form = _form(template, "employee", fmt, answers)
        back = FilledForm.model_validate_json(form.to_json())
        assert back.answers == answers == form.answers
        assert back.answers["strengths"] == "2026-01-01"
        assert back.answers["last_talk"] == dt.date(2025, 3, 1)
        assert isinstance(back.answers["sign_employee"], Signature)
        assert back.kinds["last_talk"] == "date" and back.kinds["strengths"] == "text"


# -- warnings: a required field left empty ---------------------------------------------------------------


def test_a_form_with_a_required_field_left_empty_validates(templates: dict[str, Template]) -> None:
    template = templates["demo"]
    form = _form(template, "employee", "xlsx", {"quality": 3})
    assert [(i.code, i.severity) for i in form.issues] == [("field.required", "warning")]
    assert form.answers["strengths"] is None
    answers = form.answers_as(template.answers_model("employee"))
    assert answers.strengths is None  # type: ignore[attr-defined]
    complete = template.answers_model("employee", complete=True)
    with pytest.raises(AnswersError) as info:
        form.answers_as(complete)
    assert info.value.code == "answers.mismatch" and info.value.fields == ("strengths",)
    assert "strengths must be text, found nothing" in str(info.value)
    assert isinstance(info.value.__cause__, ValidationError)
    assert form.model_copy(update={"answers": {**form.answers, "strengths": "x"}}).answers_as(complete)


def test_required_ness_is_in_the_json_schema(templates: dict[str, Template]) -> None:
    template = templates["demo"]
    schema = template.answers_model("employee").model_json_schema()
    assert "required" not in schema
    assert schema["properties"]["strengths"]["x-required"] is True
    assert "x-required" not in schema["properties"]["quality"]
    assert template.answers_model("employee", complete=True).model_json_schema()["required"] == ["strengths"]


# -- JSON written before kinds were recorded, and JSON that does not fit its kinds -----------------------


def test_json_without_kinds_still_loads(templates: dict[str, Template]) -> None:
    template = templates["demo"]
    answers = {"last_talk": dt.date(2025, 3, 1), "agreements": [AgreementRow(action="KNX")], "quality": 2}
    form = _form(template, "employee", "docx", {**answers, "sign_employee": Signature(name="Mette")})
    old = form.model_dump(mode="json")
    del old["kinds"]
    back = FilledForm.model_validate(old)
    assert back.kinds == {}
    assert back.answers["last_talk"] == "2025-03-01"  # a date cannot be told from text without its kind
    assert back.answers["agreements"] == [AgreementRow(action="KNX")]
    assert back.answers["sign_employee"] == Signature(name="Mette")
    assert back.answers["quality"] == 2
    assert back.answers_as(template.answers_model("employee")).last_talk == dt.date(2025, 3, 1)  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("kind", "value"),
    [("text", 4), ("rating", "4"), ("check", "yes"), ("date", "soon"), ("agreements", [{"owner": "employee"}])],
)
def test_an_answer_that_does_not_fit_its_kind_is_refused(kind: str, value: Any) -> None:
    data = {
        "template_id": "x",
        "template_version": "1.0",
        "fingerprint": "sha256:0",
        "role": "employee",
        "form_id": "f",
        "format": "docx",
        "answers": {"the_field": value},
        "kinds": {"the_field": kind},
    }
    with pytest.raises(ValidationError, match=f"the answer to 'the_field' is not a {kind} answer"):
        FilledForm.model_validate(data)


# -- answers_as ------------------------------------------------------------------------------------------


def test_answers_as_names_each_field_that_does_not_fit(templates: dict[str, Template]) -> None:
    template = templates["mus-scored-en"]
    form = _form(template, "employee", "xlsx", {"rate_quality": 5})

    class Narrow(BaseModel):
        model_config = ConfigDict(extra="forbid")

        rate_quality: int | None = None
        rate_efficiency: str  # required: the form has it empty

    with pytest.raises(AnswersError) as info:
        form.answers_as(Narrow)
    fields = info.value.fields
    assert fields[0] == "rate_efficiency" and "expectations" in fields  # and each key Narrow does not have
    assert f"the answers of form {form.form_id} (mus-scored-en 1.0, employee) do not fit Narrow" in str(info.value)
    manager = template.answers_model("manager")
    with pytest.raises(AnswersError, match="unknown key 'sign_employee'"):
        form.answers_as(manager)


# -- the generated module ----------------------------------------------------------------------------------


def _import(path: Path, name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def generated(templates: dict[str, Template], tmp_path_factory: pytest.TempPathFactory) -> dict[str, ModuleType]:
    """The generated module of each built-in template, written to a folder and imported."""
    folder = tmp_path_factory.mktemp("generated")
    modules = {}
    for template_id in BUILTINS:
        path = folder / f"{template_id.replace('-', '_')}_answers.py"
        path.write_text(answers_module_source(templates[template_id]), encoding="utf-8")
        modules[template_id] = _import(path, f"generated_{path.stem}")
    return modules


@pytest.mark.parametrize("template_id", BUILTINS)
def test_the_generated_module_names_its_template(
    templates: dict[str, Template], generated: dict[str, ModuleType], template_id: str
) -> None:
    template, module = templates[template_id], generated[template_id]
    assert (template.id, template.version) == (module.TEMPLATE_ID, module.TEMPLATE_VERSION)
    assert template.fingerprint == module.TEMPLATE_FINGERPRINT
    assert template.fingerprint in (module.__doc__ or "")
    for role in ROLES:
        model = getattr(module, f"{role.capitalize()}Answers")
        assert list(model.model_fields) == list(template.answers_model(role).model_fields)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("template_id", BUILTINS)
@settings(max_examples=2, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(data=st.data())
def test_the_generated_module_reads_parsed_forms(
    templates: dict[str, Template],
    generated: dict[str, ModuleType],
    template_id: str,
    role: str,
    data: st.DataObject,
) -> None:
    template, module = templates[template_id], generated[template_id]
    form = _form(template, role, data.draw(st.sampled_from(FORMATS)), data.draw(_answers(template, role)))
    canonical = template.answers_model(role)  # type: ignore[arg-type]
    typed = form.answers_as(getattr(module, f"{role.capitalize()}Answers"))
    expected = form.answers_as(canonical)
    for field_id in canonical.model_fields:
        assert getattr(typed, field_id) == getattr(expected, field_id), field_id
    other = getattr(module, f"{('manager' if role == 'employee' else 'employee').capitalize()}Answers")
    if set(other.model_fields) != set(canonical.model_fields):  # a plan's copies have the same fields
        with pytest.raises(AnswersError):
            form.answers_as(other)


def test_a_field_id_that_is_a_python_keyword_gets_a_trailing_underscore(tmp_path: Path) -> None:
    template = musforms.load_template_text(
        MINIMAL.replace("id: strengths,", "id: import,").replace("id: mood,", "id: list,")
    )
    path = tmp_path / "keywords.py"
    path.write_text(answers_module_source(template), encoding="utf-8")
    module = _import(path, "generated_keywords")
    answers = module.EmployeeAnswers.model_validate({"import": "x", "list": "good"})
    assert answers.import_ == "x" and answers.list_ == "good"
    assert module.EmployeeAnswers(import_="y").import_ == "y"


def test_mypy_strict_checks_code_that_uses_the_generated_module(templates: dict[str, Template], tmp_path: Path) -> None:
    (tmp_path / "mus_answers.py").write_text(answers_module_source(templates["mus-scored-en"]), encoding="utf-8")
    (tmp_path / "good.py").write_text(
        "import datetime\n\nimport musforms\nfrom mus_answers import EmployeeAnswers\n\n\n"
        "def summary(form: musforms.FilledForm) -> str:\n"
        "    answers = form.answers_as(EmployeeAnswers)\n"
        "    quality: int | str | None = answers.rate_quality\n"
        "    when: datetime.date | None = answers.followup_date\n"
        "    rows: list[musforms.AgreementRow] = answers.agreements or []\n"
        "    signed: musforms.Signature | None = answers.sign_employee\n"
        "    methods: list[str] = list(answers.development_methods or [])\n"
        "    return f'{quality} {when} {len(rows)} {signed} {methods}'\n",
        encoding="utf-8",
    )
    (tmp_path / "bad.py").write_text(
        "import musforms\nfrom mus_answers import EmployeeAnswers\n\n\n"
        "def summary(form: musforms.FilledForm) -> str:\n"
        "    answers = form.answers_as(EmployeeAnswers)\n"
        "    quality: str = answers.rate_quality\n"
        "    return answers.no_such_field\n",
        encoding="utf-8",
    )
    src = Path(musforms.__file__).resolve().parents[1]
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "mypy",
            "--strict",
            "--no-error-summary",
            "--follow-imports=silent",
            "--cache-dir",
            str(tmp_path / ".mypy_cache"),
            "mus_answers.py",
            "good.py",
            "bad.py",
        ],
        cwd=tmp_path,
        env={"MYPYPATH": str(src), "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        timeout=300,
    )
    lines = [line for line in result.stdout.splitlines() if ": error:" in line]
    assert result.returncode == 1, result.stdout + result.stderr
    assert {line.split(":")[0] for line in lines} == {"bad.py"}, result.stdout  # the module and good.py pass
    assert any(line.startswith("bad.py:7:") and "Incompatible types in assignment" in line for line in lines)
    assert any(line.startswith("bad.py:8:") and '"EmployeeAnswers" has no attribute' in line for line in lines)


# -- the command line ------------------------------------------------------------------------------------------


def test_the_schema_command_writes_and_checks_the_module(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], templates: dict[str, Template]
) -> None:
    out = tmp_path / "answers.py"
    assert cli(["schema", "mus-soft-da", "--python", "-o", str(out)]) == 0
    assert out.read_text(encoding="utf-8") == answers_module_source(templates["mus-soft-da"])
    assert cli(["schema", "mus-soft-da", "--python", "-o", str(out), "--check"]) == 0
    assert cli(["schema", "mus-soft-en", "--python", "-o", str(out), "--check"]) == 1
    assert "is not current" in capsys.readouterr().err
    assert cli(["schema", "mus-soft-da", "--python"]) == 0
    assert capsys.readouterr().out == answers_module_source(templates["mus-soft-da"])
    assert cli(["schema", "--python"]) == 1
    assert "--python needs a template" in capsys.readouterr().err
    assert cli(["schema", "mus-soft-da"]) == 1
    assert "a template is given only with --python" in capsys.readouterr().err
