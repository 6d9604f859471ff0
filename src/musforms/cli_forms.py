"""The ``render`` and ``parse`` verbs of the command line."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

import yaml

from musforms.errors import MusformsError
from musforms.filled import FilledForm
from musforms.loader import load_template
from musforms.parse import parse
from musforms.render import render
from musforms.template import Template

__all__ = ["add_form_verbs"]


def _read_data(path: str, what: str) -> Any:
    """A JSON or YAML file's content."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except OSError as exc:
        raise MusformsError(f"cannot read the {what} file '{path}': {exc.strerror}") from None
    try:
        if path.endswith(".json"):
            return json.loads(text)
        return yaml.safe_load(text)
    except (json.JSONDecodeError, yaml.YAMLError) as exc:
        raise MusformsError(f"the {what} file '{path}' is not valid JSON/YAML: {exc}") from None


def _cmd_render(args: argparse.Namespace) -> int:
    template = load_template(args.template)
    context = _read_data(args.context, "context")
    if not isinstance(context, dict):
        raise MusformsError(f"the context file '{args.context}' must hold a mapping (employee, manager, ...)")
    answers = _read_data(args.answers, "answers") if args.answers else None
    if answers is not None and not isinstance(answers, dict):
        raise MusformsError(f"the answers file '{args.answers}' must hold a mapping of field id to answer")
    data = render(template, args.format, role=args.role, context=context, answers=answers, form_id=args.form_id)
    out = Path(args.output)
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_bytes(data)
    except OSError as exc:
        raise MusformsError(f"cannot write '{out}': {exc.strerror}") from None
    print(f"wrote {out} ({template.id} {template.version}, {args.role}, {len(data):,} bytes)")
    return 0


def _summary(path: str, form: FilledForm) -> str:
    answered = sum(1 for value in form.answers.values() if value not in (None, False, []))
    lines = [
        f"{path}: {form.template_id} {form.template_version}, {form.role}, employee {form.subject_id or '-'}, "
        f"{answered} of {len(form.answers)} fields answered, {len(form.issues)} issue"
        f"{'s' if len(form.issues) != 1 else ''}"
    ]
    for issue in form.issues:
        where = f" at {issue.location.where}" if issue.location else ""
        field = f" {issue.field_id}" if issue.field_id else ""
        raw = f": {issue.raw!r}" if issue.raw else ""
        lines.append(f"  {issue.severity} {issue.code}{field}{where}: {issue.message}{raw}")
    return "\n".join(lines)


def _cmd_parse(args: argparse.Namespace) -> int:
    templates: list[Template] | None = None
    if args.template:
        templates = [load_template(source) for source in args.template]
        from musforms import builtins

        given = {t.id for t in templates}
        templates += [load_template(i) for i in builtins.builtin_ids() if i not in given]
    status = 0
    results: list[dict[str, Any]] = []
    for path in args.files:
        try:
            form = parse(path, templates=templates, lenient=args.lenient)
        except MusformsError as exc:
            status = 1
            print(f"musforms: error: {exc}", file=sys.stderr)
            if args.json:
                results.append({"file": path, "error": {"code": exc.code, "message": str(exc)}})
            continue
        if args.strict and form.issues:
            status = 1
        if args.json:
            results.append({"file": path, "form": form.model_dump(mode="json")})
        else:
            print(_summary(path, form))
    if args.json:
        # One file: the form itself (or the error); several: a list of {file, form | error}.
        single = results[0].get("form", results[0]) if len(args.files) == 1 and results else None
        print(json.dumps(results if len(args.files) > 1 else single, ensure_ascii=False, indent=2))
    return status


def add_form_verbs(sub: Any) -> None:
    """Add ``render`` and ``parse`` to the command line's subparsers."""
    p = sub.add_parser(
        "render",
        help="render a personalised form",
        description="Render a template's form for one person as .docx, optionally prefilled with answers.",
    )
    p.add_argument("--template", required=True, metavar="ID|FILE", help="a built-in template id or a template file")
    p.add_argument("--role", required=True, choices=["employee", "manager"], help="whose form")
    p.add_argument("--format", default="docx", choices=["docx", "xlsx"], help="the file format (default: docx)")
    p.add_argument("--context", required=True, metavar="FILE", help="who the form is for (JSON or YAML)")
    p.add_argument("--answers", metavar="FILE", help="answers to prefill, by field id (JSON or YAML)")
    p.add_argument("--form-id", metavar="ID", help="the form's id (default: a new random id)")
    p.add_argument("-o", "--output", required=True, metavar="OUT", help="the file to write")
    p.set_defaults(func=_cmd_render)

    p = sub.add_parser(
        "parse",
        help="read completed forms",
        description="Read completed forms back: identity, answers and issues. Exit 1 when a file cannot be read "
        "(and, with --strict, when any issue was found).",
    )
    p.add_argument("files", nargs="+", metavar="FILE", help="completed .docx forms")
    p.add_argument("--json", action="store_true", help="print the forms as JSON")
    p.add_argument("--strict", action="store_true", help="exit 1 when any issue was found")
    p.add_argument("--template", action="append", metavar="ID|FILE", help="a company template the forms use")
    p.add_argument("--lenient", action="store_true", help="read forms made from another version of the template")
    p.set_defaults(func=_cmd_parse)
