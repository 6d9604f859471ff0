#!/usr/bin/env bash
# Build the wheel, install it into a fresh virtual environment outside the source tree, and check that the
# installed `musforms` works there with every built-in template and its packaged schemas.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
python="${PYTHON:-python3}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

"$python" -m pip wheel --quiet --no-deps --wheel-dir "$work/dist" "$root"
wheel="$(ls "$work"/dist/musforms-*.whl)"
echo "built $(basename "$wheel")"
listing="$("$python" -m zipfile -l "$wheel")"
for expected in musforms/builtin_templates/mus-scored-da.yaml musforms/builtin_templates/mus-soft-en.yaml \
    musforms/builtin_templates/plan-da.yaml musforms/builtin_templates/invitations/invitation-da.yaml \
    musforms/schemas/template-file.schema.json musforms/py.typed; do
    grep -q "$expected" <<<"$listing" || { echo "missing from the wheel: $expected"; exit 1; }
done

"$python" -m venv "$work/venv"
"$work/venv/bin/pip" install --quiet "$wheel"
cd "$work"   # away from the source tree, so only the installed package can be imported
"$work/venv/bin/musforms" --version
"$work/venv/bin/musforms" list
ids="$("$work/venv/bin/musforms" list --json | "$work/venv/bin/python" -c 'import json,sys; print(" ".join(t["id"] for t in json.load(sys.stdin)))')"
[ "$(echo "$ids" | wc -w)" -ge 4 ] || { echo "expected at least four built-in templates, got: $ids"; exit 1; }
"$work/venv/bin/musforms" validate $ids
"$work/venv/bin/musforms" init mus-scored-da -o "$work/acme.yaml" --company "Acme A/S"
"$work/venv/bin/musforms" validate "$work/acme.yaml"
"$work/venv/bin/musforms" render --template mus-scored-da --role employee --context <(printf 'employee: {id: E1, name: Ida}\n') -o "$work/ida.docx"
"$work/venv/bin/musforms" parse "$work/ida.docx"
"$work/venv/bin/musforms" schema --check --out "$("$work/venv/bin/python" -c 'import musforms, pathlib; print(pathlib.Path(musforms.__file__).parent / "schemas")')"
"$work/venv/bin/python" - <<'PY'
import musforms, pathlib
assert "site-packages" in musforms.__file__, musforms.__file__
for info in musforms.list_templates():
    template = musforms.load_template(info.id)
    for role in ("employee", "manager"):
        template.answers_model(role).model_json_schema()
print("the installed wheel works:", ", ".join(t.id for t in musforms.list_templates()))
PY
