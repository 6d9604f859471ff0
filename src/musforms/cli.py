"""The ``musforms`` command line: a thin shell over the library (exit codes: 0 ok, 1 invalid input, 2 usage)."""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from musforms import builtins
from musforms._version import __version__
from musforms.errors import MusformsError
from musforms.loader import check_template, load_template
from musforms.outline import outline
from musforms.schema_export import stale_schemas, write_schemas

__all__ = ["build_parser", "main"]

EXIT_OK = 0
EXIT_INVALID = 1
EXIT_USAGE = 2


def _cmd_list(args: argparse.Namespace) -> int:
    infos = builtins.list_templates()
    if args.json:
        print(json.dumps([info.model_dump() for info in infos], ensure_ascii=False, indent=2))
        return EXIT_OK
    width = max(len(info.id) for info in infos)
    for info in infos:
        print(f"{info.id:<{width}}  {info.version:<5}  {info.language}  {info.style:<6}  {info.title}")
    return EXIT_OK


def _cmd_show(args: argparse.Namespace) -> int:
    template = load_template(args.template)
    if args.json:
        print(template.model_dump_json(indent=2))
    else:
        print(outline(template))
    return EXIT_OK


def _cmd_validate(args: argparse.Namespace) -> int:
    status = EXIT_OK
    for source in args.templates:
        problems = check_template(source)
        if problems:
            status = EXIT_INVALID
            count = len(problems)
            print(f"{source}: invalid, {count} problem{'s' if count != 1 else ''}", file=sys.stderr)
            for problem in problems:
                print(f"  {problem}", file=sys.stderr)
        else:
            template = load_template(source)
            print(f"{source}: ok ({template.id} {template.version}, {template.fingerprint})")
    return status


_INIT_TEXT = """\
# A company's own MUS template: it starts as the built-in '{parent}' and changes it.
# Check it with:  musforms validate {file}
# See what it gives: musforms show {file}
# For completion in an editor, write the schemas (musforms schema --out schemas) and keep this line:
# yaml-language-server: $schema=schemas/template-file.schema.json
extends: {parent}
id: {new_id}
version: "1.0"
title: {title}
company:
  name: {company}
  # logo: logo.png        # a PNG or JPEG in this folder
# Changes are applied in order. Ids are shown by: musforms show {parent}
changes: []
#  - update: past                   # retitle a section or change its time box
#    set: {{title: "...", minutes: 15}}
#  - remove: some_field_id          # remove a section or a field
#  - add_field: {{kind: text, id: safety_ideas, label: "..."}}
#    to: present_future
#    after: ideas
#  - reorder: [field ids ...]       # put the fields of one section in a new order
#    in: collaboration
"""


def _cmd_init(args: argparse.Namespace) -> int:
    parent = load_template(args.template)
    out = Path(args.output)
    if out.exists() and not args.force:
        raise MusformsError(f"{out} exists already; use --force to overwrite it")
    if builtins.builtin_path(args.template) is not None:
        parent_ref = parent.id
    else:
        parent_ref = os.path.relpath(Path(args.template).resolve(), out.parent.resolve())
    new_id = args.id or f"company-{parent.id}"
    company = args.company or ("Virksomhed A/S" if parent.language == "da" else "Company Ltd")
    text = _INIT_TEXT.format(
        parent=parent_ref,
        file=out,
        new_id=new_id,
        title=json.dumps(parent.title, ensure_ascii=False),
        company=json.dumps(company, ensure_ascii=False),
    )
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(text, encoding="utf-8")
    print(f"wrote {out} (extends {parent_ref}); check it with: musforms validate {out}")
    return EXIT_OK


def _cmd_schema(args: argparse.Namespace) -> int:
    folder = Path(args.out)
    if args.check:
        stale = stale_schemas(folder)
        if stale:
            print(f"stale or missing schemas in {folder}: {', '.join(stale)}", file=sys.stderr)
            print("regenerate them with: musforms schema --out " + str(folder), file=sys.stderr)
            return EXIT_INVALID
        print(f"{folder}: schemas are current")
        return EXIT_OK
    for path in write_schemas(folder):
        print(f"wrote {path}")
    return EXIT_OK


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of the ``musforms`` command."""
    parser = argparse.ArgumentParser(
        prog="musforms",
        description="MUS forms: templates, Word and Excel forms, and parsing completed forms back.",
    )
    parser.add_argument("--version", action="version", version=f"musforms {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    p = sub.add_parser("list", help="list the built-in templates", description="List the built-in templates.")
    p.add_argument("--json", action="store_true", help="print JSON")
    p.set_defaults(func=_cmd_list)

    p = sub.add_parser(
        "show",
        help="show a template's outline",
        description="Show the sections, fields, scales and time boxes.",
    )
    p.add_argument("template", metavar="ID|FILE", help="a built-in template id or a template file")
    p.add_argument("--json", action="store_true", help="print the resolved template as JSON")
    p.set_defaults(func=_cmd_show)

    p = sub.add_parser(
        "init",
        help="start a company's own template",
        description="Write a template file that extends a built-in template, ready to change.",
    )
    p.add_argument("template", metavar="ID|FILE", help="the template to start from")
    p.add_argument("-o", "--output", required=True, metavar="FILE", help="the file to write")
    p.add_argument("--id", help="the new template's id (default: company-ID)")
    p.add_argument("--company", help="the company's name")
    p.add_argument("--force", action="store_true", help="overwrite an existing file")
    p.set_defaults(func=_cmd_init)

    p = sub.add_parser(
        "validate",
        help="check template files",
        description="Check template files; every problem is listed with file:line:col. Exit 1 if any is invalid.",
    )
    p.add_argument("templates", nargs="+", metavar="FILE|ID", help="template files or built-in ids")
    p.set_defaults(func=_cmd_validate)

    p = sub.add_parser(
        "schema",
        help="write the JSON Schemas",
        description="Write the JSON Schemas of the template file format, FilledForm, and each built-in "
        "template's answers.",
    )
    p.add_argument("--out", default="schemas", metavar="DIR", help="the folder to write to (default: schemas)")
    p.add_argument("--check", action="store_true", help="only check that the files are current (exit 1 if not)")
    p.set_defaults(func=_cmd_schema)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code."""
    parser = build_parser()
    args = parser.parse_args(argv)
    func: Callable[[argparse.Namespace], int] = args.func
    try:
        return func(args)
    except MusformsError as exc:
        print(f"musforms: error: {exc}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("musforms: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return EXIT_OK


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
