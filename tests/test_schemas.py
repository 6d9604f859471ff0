"""The JSON Schemas in schemas/: current with the models, and usable to validate template files."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from musforms import load_template
from musforms._loading.schema_export import generate_schemas, stale_schemas

SCHEMAS = Path(__file__).resolve().parents[1] / "schemas"


def test_committed_schemas_are_current() -> None:
    stale = stale_schemas(SCHEMAS)
    assert stale == [], f"regenerate with `musforms schema --out schemas`: {stale}"


def test_no_schema_file_is_left_over() -> None:
    on_disk = {str(p.relative_to(SCHEMAS)) for p in SCHEMAS.rglob("*.json")}
    assert on_disk == set(generate_schemas())


@pytest.mark.parametrize("template_id", ["mus-scored-da", "mus-soft-da", "mus-scored-en", "mus-soft-en"])
@pytest.mark.parametrize("role", ["employee", "manager"])
def test_answers_schema_matches_the_model(template_id: str, role: str) -> None:
    template = load_template(template_id)
    on_disk = json.loads((SCHEMAS / "answers" / f"{template_id}.{role}.schema.json").read_text(encoding="utf-8"))
    generated = template.answers_model(role).model_json_schema()  # type: ignore[arg-type]
    assert {k: v for k, v in on_disk.items() if k not in ("$schema", "$id")} == generated
    assert set(on_disk["properties"]) == {f.id for f in template.answer_fields(role)}  # type: ignore[arg-type]


def test_template_file_schema_describes_every_field_kind() -> None:
    schema = json.loads((SCHEMAS / "template-file.schema.json").read_text(encoding="utf-8"))
    defs = schema["$defs"]
    kinds = {d["properties"]["kind"].get("const") for d in defs.values() if "kind" in d.get("properties", {})}
    assert kinds == {"text", "rating", "choice", "check", "date", "agreements", "signature", "info"}
    assert {"extends", "changes", "sections", "scales"} <= set(schema["properties"])


def test_an_extra_schema_file_is_reported(tmp_path: Path) -> None:
    from musforms._loading.schema_export import extra_schemas, write_schemas

    write_schemas(tmp_path)
    assert stale_schemas(tmp_path) == []
    leftover = tmp_path / "answers" / "old-template.employee.schema.json"
    leftover.write_text("{}", encoding="utf-8")
    assert stale_schemas(tmp_path) == ["answers/old-template.employee.schema.json"]
    assert extra_schemas(tmp_path) == ["answers/old-template.employee.schema.json"]
    write_schemas(tmp_path)  # writing leaves files it does not own alone
    assert leftover.is_file()


@pytest.mark.parametrize("template_id", ["mus-scored-da", "mus-soft-da", "mus-scored-en", "mus-soft-en"])
def test_answers_schemas_carry_no_raw_jinja(template_id: str) -> None:
    for role in ("employee", "manager"):
        text = (SCHEMAS / "answers" / f"{template_id}.{role}.schema.json").read_text(encoding="utf-8")
        assert "{{" not in text and "{%" not in text


def test_answers_schemas_describe_canonical_answers() -> None:
    schema = json.loads((SCHEMAS / "answers" / "mus-scored-en.employee.schema.json").read_text(encoding="utf-8"))
    methods = schema["properties"]["development_methods"]["anyOf"][0]
    assert methods["uniqueItems"] is True
    assert set(schema["$defs"]["AgreementsRow"]["properties"]) == {"action", "owner", "deadline", "method"}
