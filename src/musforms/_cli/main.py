"""The ``musforms`` command line: a thin shell over the library (exit codes: 0 ok, 1 invalid input, 2 usage)."""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

import yaml
from pydantic import TypeAdapter, ValidationError

from musforms import (
    MusformsError,
    Template,
    TemplateError,
    TemplateId,
    __version__,
    answers_module_source,
    check_template,
    extra_schemas,
    list_templates,
    load_template_text,
    outline,
    stale_schemas,
    write_schemas,
)
from musforms._cli.forms import add_form_verbs, add_out, add_template_root, load_template_arg

__all__ = ["build_parser", "main"]

EXIT_OK = 0
EXIT_INVALID = 1
EXIT_USAGE = 2


def _cmd_list(args: argparse.Namespace) -> int:
    infos = list_templates()
    if args.json:
        print(json.dumps([info.model_dump() for info in infos], ensure_ascii=False, indent=2))
        return EXIT_OK
    width = max(len(info.id) for info in infos)
    for info in infos:
        print(
            f"{info.id:<{width}}  {info.version:<5}  {info.language}  {info.style:<6}  {info.purpose:<11}  {info.title}"
        )
    return EXIT_OK


def _cmd_show(args: argparse.Namespace) -> int:
    template = load_template_arg(args.template, args)
    if args.json:
        print(template.model_dump_json(indent=2))
    else:
        print(outline(template))
    return EXIT_OK


def _cmd_validate(args: argparse.Namespace) -> int:
    status = EXIT_OK
    for source in args.templates:
        problems = check_template(source, root=args.template_root)
        if any(problem.severity == "error" for problem in problems):
            status = EXIT_INVALID
            count = len(problems)
            print(f"{source}: invalid, {count} problem{'s' if count != 1 else ''}", file=sys.stderr)
            for problem in problems:
                print(f"  {problem}", file=sys.stderr)
        else:
            template = load_template_arg(source, args)
            count = len(problems)
            warned = f", {count} warning{'s' if count != 1 else ''}" if count else ""
            print(f"{source}: ok ({template.id} {template.version}, {template.fingerprint}){warned}")
            for problem in problems:
                print(f"  {problem}")
    return status


_INIT_HEAD = """\
# A company's own MUS template: it starts as '{parent}' and changes it.
# Check it with:  musforms validate {file}
# See what it gives: musforms show {file}
# For completion in an editor, write the schemas (musforms schema --out schemas) and keep this line:
# yaml-language-server: $schema=schemas/template-file.schema.json
extends: {extends}
id: {new_id}
version: "1.0"
title: {title}
company:
  name: {company}
  # logo: logo.png        # a PNG or JPEG in this folder
# Changes are applied in order; 'musforms show {file}' shows the ids of the sections and fields.
# To make one of the changes below, remove the '#' in front of its lines.
changes:
"""

_TEMPLATE_ID: TypeAdapter[str] = TypeAdapter(TemplateId)
_PLAIN_SCALAR = re.compile(r"[A-Za-z0-9_.][A-Za-z0-9_./-]*")


def _quoted(text: str) -> str:
    """``text`` as a YAML double-quoted string (JSON's string syntax is valid YAML)."""
    return json.dumps(text, ensure_ascii=False)


def _yaml_scalar(text: str) -> str:
    """``text`` plain when YAML reads it back as the same string, else quoted."""
    if _PLAIN_SCALAR.fullmatch(text) and yaml.safe_load(text) == text:
        return text
    return _quoted(text)


def _unused_id(template: Template, wanted: str) -> str:
    taken = {s.id for s in template.sections} | {f.id for _s, f in template.iter_fields()}
    candidate, number = wanted, 2
    while candidate in taken:
        candidate, number = f"{wanted}_{number}", number + 1
    return candidate


def _change_examples(parent: Template) -> list[list[str]]:
    """Example changes that work on ``parent``: each a list of lines, to be written commented out.

    Each works alone, and they are chosen to work together too: the reorder comes first, and the others
    touch different fields.
    """
    sections = parent.sections
    boxed = next((s for s in sections if s.minutes is not None), sections[0])
    minutes = 15 if boxed.minutes is None or boxed.minutes >= 475 else boxed.minutes + 5
    examples: list[list[str]] = [
        [
            f"  - update: {boxed.id}          # retitle a section or change its time box",
            f'    set: {{title: "...", minutes: {minutes}}}',
        ]
    ]
    ordered = next((s for s in (boxed, *sections) if len(s.fields) >= 2), None)
    if ordered is not None:
        ids = [f.id for f in ordered.fields]
        ids[0], ids[1] = ids[1], ids[0]
        examples.append(
            [
                f"  - reorder: [{', '.join(ids)}]   # put the fields of one section in a new order",
                f"    in: {ordered.id}",
            ]
        )
    ratings = sum(1 for _s, f in parent.iter_fields() if f.kind == "rating")
    fields = [(s, f) for s in sections for f in s.fields]
    removable = [f for _s, f in fields if f.kind != "rating" or ratings > 1 or parent.style != "scored"]
    removed = removable[0].id if removable else None
    if removed is not None:
        examples.append([f"  - remove: {removed}          # remove a section or a field"])
    moved: tuple[str, str] | None = None
    # A field moves to a section shown to the same roles if it can, else to one shown to more.
    for fits in (set.__eq__, set.__le__):
        for source, field in fields:
            index = sections.index(source)
            others = (*sections[index + 1 :], *sections[:index])
            target = next((s for s in others if fits(set(field.audience), set(s.audience))), None)
            if target is not None and field.id != removed and moved is None:
                moved = (field.id, target.id)
    new_id = _unused_id(parent, "safety_ideas")
    add = [f'  - add_field: {{kind: text, id: {new_id}, label: "..."}}   # add a field', f"    to: {boxed.id}"]
    anchors = [f.id for f in boxed.fields if f.id != removed and (moved is None or f.id != moved[0])]
    if anchors:
        add.append(f"    after: {anchors[-1]}")
    examples.append(add)
    if moved is not None:
        examples.append([f"  - move: {moved[0]}          # move a field to another section", f"    to: {moved[1]}"])
    return examples


def _init_text(parent: Template, extends: str, file: str, new_id: str, company: str) -> str:
    head = _INIT_HEAD.format(
        parent=parent.id,
        extends=_yaml_scalar(extends),
        file=file,
        new_id=_quoted(new_id),
        title=_quoted(parent.title),
        company=_quoted(company),
    )
    examples = "".join(f"#{line}\n" for example in _change_examples(parent) for line in example)
    return head + examples


def _blocking_file(folder: Path) -> Path | None:
    """The file that stands where ``folder`` or one of its parents should be a folder, if any."""
    for candidate in (folder, *folder.parents):
        if candidate.exists():
            return None if candidate.is_dir() else candidate
    return None


def _cmd_init(args: argparse.Namespace) -> int:
    parent = load_template_arg(args.template, args)
    new_id = args.id if args.id is not None else f"company-{parent.id}"
    try:
        _TEMPLATE_ID.validate_python(new_id)
    except ValidationError:
        raise MusformsError(
            f"'{new_id}' is not a valid template id: use lower-case letters, digits, '-', '_' and '.', "
            "starting with a letter or digit, at most 64 characters"
            + ("" if args.id is not None else "; give one with --id")
        ) from None
    out = Path(args.out)
    if out.is_dir():
        raise MusformsError(f"{out} is a folder; name the file to write, e.g. {out / (new_id + '.yaml')}")
    if out.exists() and not args.force:
        raise MusformsError(f"{out} exists already; use --force to overwrite it")
    blocking = _blocking_file(out.parent)
    if blocking is not None:
        raise MusformsError(f"cannot write {out}: {blocking} is a file, not a folder")
    if args.template in {info.id for info in list_templates()}:
        parent_ref = parent.id
    else:
        parent_path = Path(args.template).resolve()
        root = Path(args.template_root).resolve() if args.template_root else out.parent.resolve()
        if not parent_path.is_relative_to(root):
            raise MusformsError(
                f"{out} would extend {args.template}, which lies outside "
                + ("the folder given with --template-root" if args.template_root else f"the folder of {out}")
                + "; a template may name files only in its own folder and below. Write the new file next to "
                "its parent, or give --template-root DIR with a folder that holds both"
            )
        try:
            parent_ref = Path(os.path.relpath(parent_path, out.parent.resolve())).as_posix()
        except ValueError:  # another drive (Windows)
            parent_ref = parent_path.as_posix()
    company = args.company or ("Virksomhed A/S" if parent.language == "da" else "Company Ltd")
    text = _init_text(parent, parent_ref, str(out), new_id, company)
    missing = [folder for folder in (out.parent, *out.parent.parents) if not folder.exists()]
    out.parent.mkdir(parents=True, exist_ok=True)
    # Write next to the target, load what was written, and only then put it in place: an invalid file
    # never replaces the target.
    draft = out.with_name(f".{out.name}.musforms-init.tmp")
    try:
        draft.write_text(text, encoding="utf-8")
        load_template_text(
            draft.read_text(encoding="utf-8"), name=str(out), base_dir=out.parent, root=args.template_root
        )
        draft.replace(out)
    except TemplateError as exc:
        _remove_draft(draft, missing)
        count = len(exc.problems)
        raise MusformsError(
            f"{out} was not written: it would not be a valid template "
            f"({count} problem{'s' if count != 1 else ''}):\n" + "\n".join(f"  {problem}" for problem in exc.problems)
        ) from None
    except BaseException:
        _remove_draft(draft, missing)
        raise
    print(f"wrote {out} (extends {parent_ref}); check it with: musforms validate {out}")
    return EXIT_OK


def _remove_draft(draft: Path, created: list[Path]) -> None:
    """Remove the draft of ``init``, and the folders it created for it (deepest first) if left empty."""
    draft.unlink(missing_ok=True)
    for folder in created:
        try:
            folder.rmdir()
        except OSError:
            break


def _cmd_schema(args: argparse.Namespace) -> int:
    if args.python or args.template is not None:
        return _python_module(args)
    folder = Path(args.out or "schemas")
    blocking = _blocking_file(folder)
    if blocking is not None:
        raise MusformsError(f"cannot use {folder} for the schemas: {blocking} is a file, not a folder")
    if args.check:
        extra = extra_schemas(folder)
        stale = [name for name in stale_schemas(folder) if name not in extra]
        if stale:
            print(f"stale or missing schemas in {folder}: {', '.join(stale)}", file=sys.stderr)
            print("regenerate them with: musforms schema --out " + str(folder), file=sys.stderr)
        if extra:
            print(f"files in {folder} that musforms does not write: {', '.join(extra)}", file=sys.stderr)
            print("delete them, or keep your own files in another folder", file=sys.stderr)
        if stale or extra:
            return EXIT_INVALID
        print(f"{folder}: schemas are current")
        return EXIT_OK
    for path in write_schemas(folder):
        print(f"wrote {path}")
    for name in extra_schemas(folder):
        print(f"note: musforms does not write {folder / name}; 'musforms schema --check' reports it", file=sys.stderr)
    return EXIT_OK


def _python_module(args: argparse.Namespace) -> int:
    """``musforms schema TEMPLATE --python``: the template's answers models as a Python module."""
    if args.template is None or not args.python:
        given = "--python needs a template" if args.template is None else "a template is given only with --python"
        raise MusformsError(f"{given}: musforms schema ID|FILE --python [-o FILE]")
    source = answers_module_source(load_template_arg(args.template, args))
    if args.check:
        if args.out is None:
            raise MusformsError("--check with --python needs the module to compare with: -o FILE")
        out = Path(args.out)
        if not out.is_file() or out.read_text(encoding="utf-8") != source:
            print(
                f"{out} is not current; write it again with: musforms schema {args.template} --python -o {out}",
                file=sys.stderr,
            )
            return EXIT_INVALID
        print(f"{out}: the module is current")
        return EXIT_OK
    if args.out is None:
        sys.stdout.write(source)
        return EXIT_OK
    out = Path(args.out)
    if out.is_dir():
        raise MusformsError(f"{out} is a folder; name the file to write, e.g. {out / 'answers.py'}")
    out.write_text(source, encoding="utf-8")
    print(f"wrote {out}")
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
    add_template_root(p)
    p.set_defaults(func=_cmd_show)

    p = sub.add_parser(
        "init",
        help="start a company's own template",
        description="Write a template file that extends a built-in template, ready to change.",
    )
    p.add_argument("template", metavar="ID|FILE", help="the template to start from")
    add_out(p, "FILE", "the file to write", old="--output")
    p.add_argument("--id", help="the new template's id (default: company-ID)")
    p.add_argument("--company", help="the company's name")
    p.add_argument("--force", action="store_true", help="overwrite an existing file")
    add_template_root(p)
    p.set_defaults(func=_cmd_init)

    p = sub.add_parser(
        "validate",
        help="check template files",
        description="Check template files; every problem is listed with file:line:col. Exit 1 if any is invalid.",
    )
    p.add_argument("templates", nargs="+", metavar="FILE|ID", help="template files or built-in ids")
    add_template_root(p)
    p.set_defaults(func=_cmd_validate)

    p = sub.add_parser(
        "schema",
        help="write the JSON Schemas, or a template's answers models as Python",
        description="Write the JSON Schemas of the template file format, FilledForm, and each built-in "
        "template's answers; with a template and --python, that template's answers models as a Python module.",
    )
    p.add_argument(
        "template", nargs="?", metavar="ID|FILE", help="with --python: the template whose answers models to write"
    )
    add_out(
        p,
        "DIR|FILE",
        "the folder to write the schemas to (default: schemas); with --python, the module's file (default: print it)",
        required=False,
    )
    p.add_argument("--python", action="store_true", help="write the template's answers models as a Python module")
    p.add_argument("--check", action="store_true", help="only check that the files are current (exit 1 if not)")
    add_template_root(p)
    p.set_defaults(func=_cmd_schema)
    add_form_verbs(sub)
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
    except OSError as exc:
        print(f"musforms: error: {_os_error(exc)}", file=sys.stderr)
        return EXIT_INVALID


def _os_error(exc: OSError) -> str:
    """What went wrong with which file, without a traceback: ``out/x.yaml: Permission denied``."""
    what = exc.strerror or str(exc) or type(exc).__name__
    if exc.filename is None:
        return what
    where = os.fsdecode(exc.filename)
    if exc.filename2 is not None:
        where += f" -> {os.fsdecode(exc.filename2)}"
    return f"{where}: {what}"


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
