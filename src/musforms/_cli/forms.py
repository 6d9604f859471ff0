"""The ``render`` and ``parse`` verbs of the command line."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

import yaml

from musforms import (
    FilledForm,
    MusformsError,
    Template,
    build_packs,
    collect,
    list_templates,
    load_template,
    parse,
    read_roster,
    redact,
    render,
    write_summary,
)

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


def add_template_root(parser: argparse.ArgumentParser) -> None:
    """The option that says which folder a template file may name other files in (``extends``, its logo)."""
    parser.add_argument(
        "--template-root",
        metavar="DIR",
        help="the folder template files may name other files in, with extends or a logo "
        "(default: each template file's own folder)",
    )


def add_out(parser: argparse.ArgumentParser, metavar: str, what: str, *, required: bool = True, old: str = "") -> None:
    """The output option, spelt ``-o``/``--out`` by every verb (an older spelling still works, unlisted)."""
    names = ["-o", "--out"] + ([old] if old else [])
    parser.add_argument(*names, dest="out", required=required, metavar=metavar, help=what)


def add_force(parser: argparse.ArgumentParser) -> None:
    """The option without which an existing file is never overwritten."""
    parser.add_argument("--force", action="store_true", help="overwrite the output file if it exists")


def refuse_to_overwrite(path: Path, force: bool) -> None:
    """An existing file (perhaps a filled form) is overwritten only with ``--force``; a folder never."""
    if path.is_dir():
        raise MusformsError(f"{path} is a folder; name the file to write")
    if path.exists() and not force:
        raise MusformsError(f"{path} exists already; use --force to overwrite it")


def add_reading_options(parser: argparse.ArgumentParser) -> None:
    """The options of the verbs that read completed forms: which templates, and whether another version may be
    read."""
    parser.add_argument(
        "--template",
        action="append",
        metavar="ID|FILE",
        help="read only forms of this template (and the built-ins); without it, each form is read with the "
        "template it carries",
    )
    add_template_root(parser)
    parser.add_argument("--lenient", action="store_true", help="read forms made from another version of the template")


def load_template_arg(source: str, args: argparse.Namespace) -> Template:
    """A template named on the command line, confined to ``--template-root`` when one is given."""
    return load_template(source, root=getattr(args, "template_root", None))


def _cmd_render(args: argparse.Namespace) -> int:
    template = load_template_arg(args.template, args)
    context = _read_data(args.context, "context")
    if not isinstance(context, dict):
        raise MusformsError(f"the context file '{args.context}' must hold a mapping (employee, manager, ...)")
    answers = _read_data(args.answers, "answers") if args.answers else None
    if answers is not None and not isinstance(answers, dict):
        raise MusformsError(f"the answers file '{args.answers}' must hold a mapping of field id to answer")
    out = Path(args.out)
    refuse_to_overwrite(out, args.force)
    data = render(template, args.format, role=args.role, context=context, answers=answers, form_id=args.form_id)
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_bytes(data)
    except OSError as exc:
        raise MusformsError(f"cannot write '{out}': {exc.strerror}") from None
    print(f"wrote {out} ({template.id} {template.version}, {args.role}, {len(data):,} bytes)")
    return 0


def _hint(code: str | None, args: argparse.Namespace) -> str | None:
    """What to do about a form that could not be read, in the command line's words (by the error's code)."""
    if code == "parse.unknown_template":
        if getattr(args, "template", None):
            return (
                "name the form's template file with --template FILE too, or leave out --template to read each "
                "form with the template it carries"
            )
        return "name the form's template file with --template FILE"
    if code == "parse.fingerprint_mismatch":
        return "--lenient reads it anyway with the template given, and says so in an issue"
    return None


def _error(exc: MusformsError, args: argparse.Namespace) -> None:
    print(f"musforms: error: {exc}", file=sys.stderr)
    hint = _hint(exc.code, args)
    if hint:
        print(f"  hint: {hint}", file=sys.stderr)


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
        templates = [load_template_arg(source, args) for source in args.template]

        given = {t.id for t in templates}
        templates += [load_template(i.id) for i in list_templates() if i.id not in given]
    status = 0
    results: list[dict[str, Any]] = []
    for path in args.files:
        try:
            form = parse(path, templates=templates, lenient=args.lenient)
        except MusformsError as exc:
            status = 1
            _error(exc, args)
            if args.json:
                results.append({"file": path, "error": {"code": exc.code, "message": str(exc)}})
            continue
        if args.redact:
            form = redact(form, templates=templates)
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


def _progress_printer(stream: Any) -> Any:
    """A progress bar on a terminal; on anything else, a line at every tenth of the way."""
    interactive = hasattr(stream, "isatty") and stream.isatty()
    last_tenth = [-1]

    def show(done: int, total: int, outcome: Any) -> None:
        if interactive:
            width = 30
            filled = width * done // max(total, 1)
            stream.write(f"\r[{'#' * filled}{'.' * (width - filled)}] {done}/{total} {outcome.status:<7}")
            if done == total:
                stream.write("\n")
        else:
            tenth = 10 * done // max(total, 1)
            if tenth != last_tenth[0]:
                last_tenth[0] = tenth
                stream.write(f"{done}/{total} rows done\n")
        stream.flush()

    return show


def _cmd_pack(args: argparse.Namespace) -> int:
    import datetime as dt

    formats = [f.strip() for f in args.format.split(",") if f.strip()]
    for fmt in formats:
        if fmt not in ("docx", "xlsx", "html"):
            raise MusformsError(f"--format takes docx, xlsx, html or several of them (docx,xlsx), not {fmt!r}")
    previous = [file for source in args.previous or [] for file in _previous_files(Path(source))]
    today = dt.date.fromisoformat(args.today) if args.today else None

    roster = read_roster(args.roster, today=today)
    for problem in roster.problems:
        print(problem, file=sys.stderr)
    report = build_packs(
        args.template,
        roster,
        args.out,
        formats=formats,
        invitation=args.invitation,
        previous=previous,
        jobs=args.jobs,
        today=today,
        zip_per_manager=args.zip,
        progress=_progress_printer(sys.stderr),
    )
    for outcome in report.outcomes:
        if outcome.status == "failed":
            print(
                f"row {outcome.row} ({outcome.employee_id or 'no employee id'}): failed: {outcome.message}",
                file=sys.stderr,
            )
    if args.report:
        Path(args.report).write_text(report.to_json(), encoding="utf-8")
    state = "interrupted" if report.interrupted else "done"
    print(
        f"{state}: {report.count('built')} built, {report.count('skipped')} already complete, "
        f"{report.count('failed')} failed, in {report.seconds:.1f} s; output in {report.out}"
        + (f" ({len(report.zips)} zip files)" if report.zips else "")
    )
    if report.interrupted:
        return 130
    return 0 if report.ok else 1


def _previous_files(path: Path) -> list[Path]:
    """Last year's completed forms or development plans: a file, or every form in a folder (each is matched to
    its employee by the id it carries; two for one employee is an error that names both)."""
    if path.is_file():
        return [path]
    if not path.is_dir():
        raise MusformsError(f"--previous names '{path}', which is neither a file nor a folder")
    return sorted(p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in (".json", ".docx", ".xlsx"))


def _cmd_collect(args: argparse.Namespace) -> int:
    import datetime as dt

    if args.jobs < 1:
        raise MusformsError(f"--jobs takes a number of processes, 1 or more, not {args.jobs}")
    templates = [load_template_arg(source, args) for source in args.template or []] or None
    today = dt.date.fromisoformat(args.today) if args.today else None
    refuse_to_overwrite(Path(args.out), args.force)
    collection = collect(
        args.sources,
        templates=templates,
        today=today,
        jobs=args.jobs,
        progress=_collect_progress(sys.stderr),
        lenient=args.lenient,
    )
    if not collection.forms:
        _print_unread(collection.unread, args)
        found = f"{len(collection.files)} files found" if collection.files else "no .docx or .xlsx files found"
        raise MusformsError(f"no form could be read ({found}); {args.out} was not written")
    path = write_summary(collection, args.out, templates=templates)
    unread = collection.unread
    issues = collection.issues()
    _print_unread(unread, args)
    conflicts = collection.conflicts
    said = {i["file"]: i["message"] for i in issues if i["code"] == "collect.conflict"}
    for file in conflicts:
        print(f"{file.path}: {said.get(file.path, 'a conflict')}", file=sys.stderr)
    overdue = sum(1 for a in collection.agreements() if a["overdue"])
    skipped = sum(1 for f in collection.files if f.skipped)
    spare = sum(1 for f in collection.files if f.copy in ("blank", "contained"))
    print(
        f"{len(collection.files)} files, {len(collection.forms)} forms read, {len(unread)} not read, "
        + (f"{skipped} letters and talk forms passed over, " if skipped else "")
        + (f"{spare} blank or repeated copies not counted, " if spare else "")
        + (f"{len(conflicts)} copies in conflict, " if conflicts else "")
        + f"{len(issues) - len(unread) - len(conflicts)} issues in the forms, {overdue} overdue agreements; "
        f"summary in {path}"
    )
    return 1 if args.strict and issues else 0


def _print_unread(unread: list[Any], args: argparse.Namespace) -> None:
    """Each file not read and why, then what to do about it, once per kind of error."""
    for file in unread:
        print(f"{file.path}: not read: {file.error}", file=sys.stderr)
    hints = dict.fromkeys(_hint(file.error_code, args) for file in unread)
    for hint in hints:
        if hint:
            print(f"hint: {hint}", file=sys.stderr)


def _collect_progress(stream: Any) -> Any:
    """The progress of collect: a bar on a terminal (as pack shows), else a line at every tenth of the files."""
    if hasattr(stream, "isatty") and stream.isatty():
        return _progress_printer(stream)
    last_tenth = [-1]

    def show(done: int, total: int, file: Any) -> None:
        tenth = 10 * done // max(total, 1)
        if tenth != last_tenth[0]:
            last_tenth[0] = tenth
            stream.write(f"{done}/{total} files read\n")
            stream.flush()

    return show


def add_form_verbs(sub: Any) -> None:
    """Add ``render`` and ``parse`` to the command line's subparsers."""
    p = sub.add_parser(
        "render",
        help="render a personalised form",
        description="Render a template's form for one person as .docx, .xlsx or .html (a web form: one page, "
        "its style and script inline, sent back to the address it is served from), optionally prefilled with answers.",
    )
    p.add_argument("--template", required=True, metavar="ID|FILE", help="a built-in template id or a template file")
    add_template_root(p)
    p.add_argument("--role", required=True, choices=["employee", "manager"], help="whose form")
    p.add_argument("--format", default="docx", choices=["docx", "xlsx", "html"], help="the file format (default: docx)")
    p.add_argument("--context", required=True, metavar="FILE", help="who the form is for (JSON or YAML)")
    p.add_argument("--answers", metavar="FILE", help="answers to prefill, by field id (JSON or YAML)")
    p.add_argument("--form-id", metavar="ID", help="the form's id (default: a new random id)")
    add_out(p, "FILE", "the file to write", old="--output")
    add_force(p)
    p.set_defaults(func=_cmd_render)

    p = sub.add_parser(
        "parse",
        help="read completed forms",
        description="Read completed forms back: identity, answers and issues. Exit 1 when a file cannot be read "
        "(and, with --strict, when any issue was found).",
    )
    p.add_argument("files", nargs="+", metavar="FILE", help="completed .docx or .xlsx forms")
    p.add_argument("--json", action="store_true", help="print the forms as JSON")
    p.add_argument("--strict", action="store_true", help="exit 1 when any issue was found")
    add_reading_options(p)
    p.add_argument(
        "--redact",
        action="store_true",
        help="leave out what people wrote (text answers, agreement texts, names, the raw text of issues)",
    )
    p.set_defaults(func=_cmd_parse)

    p = sub.add_parser(
        "pack",
        help="build preparation packs for a roster",
        description="Build, for every employee in the roster, the invitation (.docx, .txt, .eml), a calendar "
        "entry (.ics) and the employee's and the manager's preparation forms, in MANAGER/EMPLOYEE folders or one "
        "zip per manager. Rerunning skips what is complete. Exit 1 when any row failed.",
    )
    p.add_argument("--template", required=True, metavar="ID|FILE", help="a built-in template id or a template file")
    add_template_root(p)
    p.add_argument("--roster", required=True, metavar="FILE", help="the roster (.csv or .xlsx)")
    add_out(p, "DIR", "the folder to write to")
    p.add_argument(
        "--format",
        default="docx",
        metavar="FORMATS",
        help="docx, xlsx, html or several of them, such as docx,html (default: docx)",
    )
    p.add_argument("--zip", action="store_true", help="write one zip per manager")
    p.add_argument("--jobs", type=int, default=1, metavar="N", help="build in N processes (default: 1)")
    p.add_argument("--invitation", metavar="FILE", help="a company's own invitation letter (YAML)")
    p.add_argument(
        "--previous",
        action="append",
        metavar="FILE|DIR",
        help="last year's completed forms or development plans (files or a folder; .docx, .xlsx or parse --json)",
    )
    p.add_argument("--today", metavar="YYYY-MM-DD", help="the date the packs are sent (default: today)")
    p.add_argument("--report", metavar="FILE", help="also write the report of every row as JSON")
    p.set_defaults(func=_cmd_pack)

    p = sub.add_parser(
        "collect",
        help="summarise many completed forms",
        description="Read every completed form in the folders or files given and write a summary: every file and "
        "issue, per employee the comparison and the agreements, per department the average and spread of each "
        "rated item, the development needs, and the overdue agreements. Text is always written as text.",
    )
    p.add_argument("sources", nargs="+", metavar="DIR|FILE", help="folders (searched recursively) or form files")
    add_out(p, "FILE", "the summary: .xlsx, .csv or .json")
    add_force(p)
    add_reading_options(p)
    p.add_argument("--today", metavar="YYYY-MM-DD", help="the date agreements are overdue against (default: today)")
    p.add_argument("--jobs", type=int, default=1, metavar="N", help="read the forms in N processes (default: 1)")
    p.add_argument(
        "--strict", action="store_true", help="exit 1 when any file could not be read, had issues or a conflict"
    )
    p.set_defaults(func=_cmd_collect)
