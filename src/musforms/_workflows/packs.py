"""Preparation packs for a round of talks: invitation, calendar entry and both preparation forms per employee.

Each employee's files go into ``<manager>/<employee>/`` (or one zip per manager). Every file is written
atomically, a manifest written last marks an employee's folder complete, and a rerun skips the folders whose
inputs have not changed — so a crash or Ctrl-C never leaves half a file, and nothing is built twice.
A failing row is reported and the others go on.
"""

from __future__ import annotations

import concurrent.futures as futures
import datetime as dt
import hashlib
import hmac
import json
import multiprocessing
import os
import zipfile
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from musforms._core.signing import SigningKey, key_bytes
from musforms._formats.render import render
from musforms._loading.loader import TemplateSource, load_template
from musforms._model.context import Context
from musforms._model.template import Template
from musforms._version import __version__
from musforms._workflows.carryover import PreviousForms, carry_over, previous_by_employee
from musforms._workflows.filenames import safe_name
from musforms._workflows.invitation import Attachment, Invitation, load_invitation
from musforms._workflows.roster import Roster, RosterRow, read_roster
from musforms.errors import MusformsError, RosterProblem

__all__ = ["PackReport", "RowOutcome", "build_packs", "iter_packs"]

Format = Literal["docx", "xlsx", "html"]
MANIFEST = ".musforms-pack.json"
_WORK = ".musforms-work"
_NAMES = {
    "da": {
        "invitation": "1-invitation",
        "calendar": "2-kalender",
        "employee": "3-forberedelse-medarbejder",
        "manager": "4-forberedelse-leder",
        "no_manager": "uden-leder",
    },
    "en": {
        "invitation": "1-invitation",
        "calendar": "2-calendar",
        "employee": "3-preparation-employee",
        "manager": "4-preparation-manager",
        "no_manager": "no-manager",
    },
}
_MIME = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "html": "text/html",
}


@dataclass
class RowOutcome:
    """What happened to one roster row."""

    row: int
    employee_id: str | None
    status: Literal["built", "skipped", "failed"]
    folder: str | None = None
    """The employee's folder, relative to the output folder."""
    files: list[str] = field(default_factory=list)
    message: str | None = None
    warnings: list[str] = field(default_factory=list)
    values: dict[str, str] = field(default_factory=dict)
    """For a row the roster check left out: every value that could be read from it, by column name."""


@dataclass
class PackReport:
    """Every row of the roster with its outcome, and the roster's own problems."""

    out: Path
    outcomes: list[RowOutcome] = field(default_factory=list)
    roster_problems: list[RosterProblem] = field(default_factory=list)
    zips: list[str] = field(default_factory=list)
    seconds: float = 0.0
    interrupted: bool = False

    def count(self, status: str) -> int:
        """How many rows ended with ``status``."""
        return sum(1 for outcome in self.outcomes if outcome.status == status)

    @property
    def ok(self) -> bool:
        """True when every row was built or skipped as complete, and nothing was interrupted."""
        return not self.interrupted and self.count("failed") == 0

    def to_json(self) -> str:
        """The report as JSON (for scripts)."""
        return json.dumps(
            {
                "out": str(self.out),
                "built": self.count("built"),
                "skipped": self.count("skipped"),
                "failed": self.count("failed"),
                "interrupted": self.interrupted,
                "seconds": round(self.seconds, 3),
                "zips": self.zips,
                "rows": [outcome.__dict__ for outcome in self.outcomes],
                "roster_problems": [str(p) for p in self.roster_problems],
            },
            ensure_ascii=False,
            indent=2,
        )


@dataclass(frozen=True)
class _Job:
    """What every worker needs: the same for all rows."""

    template: Template
    out: Path
    formats: tuple[Format, ...]
    invitations: dict[str, Invitation]
    previous: dict[str, list[dict[str, Any]]]
    today: dt.date
    alternatives: dict[str, Template]
    signing_key: bytes | None = None


def _write_atomically(path: Path, data: bytes) -> None:
    """Write ``data`` under a temporary name, then move it into place: a reader (or a crash) never sees half
    a file. (A rerun checks every file of a folder against the manifest's hashes, so nothing needs fsync.)"""
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    temporary.write_bytes(data)
    temporary.replace(path)


def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _form_id(template: Template, role: str, context: Context) -> str:
    """A form id that stays the same when the same pack is built again (so a rerun is a no-op)."""
    start = context.meeting.start.isoformat() if context.meeting and context.meeting.start else ""
    key = f"{template.fingerprint}|{role}|{context.employee.id}|{start}"
    return hashlib.sha256(key.encode()).hexdigest()[:32]


def _folder(row: RosterRow, language: str) -> Path:
    manager = row.context.manager
    if manager is None:
        manager_name = _NAMES[language]["no_manager"]
    else:
        manager_name = safe_name(f"{manager.id}-{manager.name}" if manager.id else manager.name)
    return Path(manager_name) / safe_name(f"{row.employee_id}-{row.context.employee.name}")


def _template_for(job: _Job, row: RosterRow) -> Template:
    if row.template:
        if row.template not in job.alternatives:
            raise MusformsError(f"template '{row.template}' named in the roster was not loaded")
        return job.alternatives[row.template]
    if row.language and row.language != job.template.language:
        key = f"language:{row.language}"
        if key not in job.alternatives:
            raise MusformsError(
                f"the roster asks for language '{row.language}', but template '{job.template.id}' is "
                f"'{job.template.language}' and has no built-in counterpart in that language"
            )
        return job.alternatives[key]
    return job.template


def _build_row(job: _Job, row: RosterRow) -> RowOutcome:
    try:
        return _build_row_unsafe(job, row)
    except MusformsError as exc:
        return RowOutcome(row.row, row.employee_id, "failed", message=str(exc))
    except OSError as exc:
        return RowOutcome(row.row, row.employee_id, "failed", message=f"{exc.filename or ''}: {exc.strerror}")


def _build_row_unsafe(job: _Job, row: RosterRow) -> RowOutcome:
    template = _template_for(job, row)
    language = row.language or template.language
    names = _NAMES[language]
    invitation = job.invitations[language]
    previous = job.previous.get(row.employee_id)
    context, answers = carry_over(template, row.context, previous, "employee")
    _context, manager_answers = carry_over(template, row.context, previous, "manager")
    relative = _folder(row, language)
    folder = job.out / relative
    key = _digest(
        json.dumps(
            {
                "version": __version__,
                "template": template.fingerprint,
                "context": context.model_dump(mode="json"),
                "answers": answers,
                "manager_answers": manager_answers,
                "signed": _key_tag(job.signing_key),
                "formats": job.formats,
                "invitation": invitation.model_dump(),
                "today": job.today.isoformat(),
            },
            sort_keys=True,
            default=str,
        ).encode()
    )
    manifest_path = folder / MANIFEST
    if _complete(manifest_path, key):
        listed = json.loads(manifest_path.read_text(encoding="utf-8"))["files"]
        return RowOutcome(row.row, row.employee_id, "skipped", str(relative), sorted(listed))

    files: dict[str, bytes] = {}
    attachments: list[Attachment] = []
    for fmt in job.formats:
        employee_form = render(
            template,
            fmt,
            role="employee",
            context=context,
            answers=answers,
            form_id=_form_id(template, "employee", context),
            signing_key=job.signing_key,
        )
        files[f"{names['employee']}.{fmt}"] = employee_form
        attachments.append(Attachment(f"{names['employee']}.{fmt}", employee_form, _MIME[fmt]))
        files[f"{names['manager']}.{fmt}"] = render(
            template,
            fmt,
            role="manager",
            context=context,
            answers=manager_answers,
            form_id=_form_id(template, "manager", context),
            signing_key=job.signing_key,
        )
    letter = invitation.render(context, template)
    sender = (template.company.name if template.company and template.company.name else None) or (
        context.company.name if context.company else ""
    )
    files[f"{names['invitation']}.docx"] = letter.docx(sender=sender, today=job.today, logo=template.logo_image)
    files[f"{names['invitation']}.txt"] = letter.text()
    if context.meeting is not None and context.meeting.start is not None:
        from musforms._workflows.calendar import meeting_ics

        ics = meeting_ics(
            context,
            uid=f"{_form_id(template, 'employee', context)}@musforms",
            summary=letter.subject,
            description=letter.body,
            stamp=dt.datetime.combine(job.today, dt.time(), dt.UTC),
        )
        files[f"{names['calendar']}.ics"] = ics
        attachments.append(Attachment(f"{names['calendar']}.ics", ics, "text/calendar"))
    files[f"{names['invitation']}.eml"] = letter.eml(
        attachments, now=dt.datetime.combine(job.today, dt.time(8), dt.UTC)
    )
    folder.mkdir(parents=True, exist_ok=True)
    for name, data in files.items():
        _write_atomically(folder / name, data)
    manifest = {"key": key, "files": {name: _digest(data) for name, data in files.items()}}
    _write_atomically(manifest_path, json.dumps(manifest, indent=1).encode())
    warnings = [f"carried over {len(previous)} agreements from last year"] if previous else []
    return RowOutcome(row.row, row.employee_id, "built", str(relative), sorted(files), warnings=warnings)


def _key_tag(key: bytes | None) -> str | None:
    """What a pack's key records of the signing key: whether there is one, and a tag that changes with it (an
    HMAC, which tells nothing of the key), so that a pack built without it or with another is built again."""
    return None if key is None else hmac.new(key, b"musforms pack", hashlib.sha256).hexdigest()[:16]


def _complete(manifest_path: Path, key: str) -> bool:
    """Whether the folder holds every file of a pack built from the same inputs, unchanged."""
    try:
        manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    if manifest.get("key") != key:
        return False
    folder = manifest_path.parent
    for name, digest in manifest.get("files", {}).items():
        try:
            if _digest((folder / name).read_bytes()) != digest:
                return False
        except OSError:
            return False
    return True


_WORKER_JOB: _Job | None = None


def _init_worker(job: _Job) -> None:
    global _WORKER_JOB
    _WORKER_JOB = job


def _run_in_worker(row: RosterRow) -> RowOutcome:
    assert _WORKER_JOB is not None
    return _build_row(_WORKER_JOB, row)


def _alternatives(template: Template, rows: Sequence[RosterRow], roster: Roster) -> dict[str, Template]:
    """The other templates the roster's rows ask for, by name (and by language for built-ins)."""
    from musforms._loading import builtins

    found: dict[str, Template] = {}
    for row in rows:
        if row.template and row.template not in found:
            try:
                found[row.template] = load_template(row.template)
            except MusformsError as exc:
                roster.problems.append(RosterProblem(str(exc), roster.file, row.row, "template"))
        if row.language and row.language != template.language:
            key = f"language:{row.language}"
            twin = template.id[: -len(template.language)] + row.language
            if key not in found and template.id.endswith(f"-{template.language}") and twin in builtins.builtin_ids():
                found[key] = load_template(twin)
    return found


def iter_packs(
    template: Template | TemplateSource,
    roster: Roster | str | Path | Iterable[Mapping[str, Any] | Context],
    out: str | Path,
    *,
    formats: Sequence[Format] = ("docx",),
    invitation: Invitation | str | Path | None = None,
    previous: PreviousForms | None = None,
    jobs: int = 1,
    today: dt.date | None = None,
    zip_per_manager: bool = False,
    signing_key: SigningKey | None = None,
) -> Iterator[RowOutcome]:
    """Build the packs row by row, yielding each row's outcome as soon as it is done (a generator).

    ``formats`` are the forms' formats (``"docx"``, ``"xlsx"``, ``"html"``: the web form as one page);
    ``invitation`` replaces the built-in letter (a file or an Invitation; the built-in of the template's language
    by default). ``previous`` is last year's completed forms, plans or follow-ups, whose agreements the new forms
    start with (their status table prefilled, see
    :func:`musforms.render`): either a mapping by employee id (of a FilledForm, its JSON as a mapping or a
    file, the .docx/.xlsx file, or a list of agreement rows) or an iterable of FilledForms (or their files),
    each matched to its employee by ``subject_id``; two forms for one employee, a form that names no employee,
    or a ``previous`` of another type is a ``CarryOverError``. ``signing_key`` signs every form of the packs
    (as ``render(..., signing_key=...)`` does; ``parse(..., signing_key=...)`` checks them). ``jobs`` > 1
    builds in that many processes.
    """
    resolved = template if isinstance(template, Template) else load_template(template)
    loaded = roster if isinstance(roster, Roster) else read_roster(roster, today=today)
    target = Path(out)
    job_out = target / _WORK if zip_per_manager else target
    invitations = _invitations(resolved, invitation)
    key = None if signing_key is None else key_bytes(signing_key)
    job = _Job(
        template=resolved,
        out=job_out,
        formats=tuple(formats),
        invitations=invitations,
        previous=previous_by_employee(previous),
        today=today or dt.date.today(),
        alternatives=_alternatives(resolved, loaded.rows, loaded),
        signing_key=key,
    )
    bad_rows = {p.row for p in loaded.errors if p.row is not None and p.row > 1}
    for number in sorted(bad_rows):
        messages = "; ".join(f"{p.column}: {p.message}" for p in loaded.errors if p.row == number)
        values = loaded.rejected.get(number, {})
        yield RowOutcome(
            number, values.get("employee_id"), "failed", message=f"roster row {number}: {messages}", values=values
        )
    rows = loaded.rows
    if jobs <= 1 or len(rows) < 2:
        for row in rows:
            yield _build_row(job, row)
        return
    context = multiprocessing.get_context("fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn")
    with futures.ProcessPoolExecutor(jobs, mp_context=context, initializer=_init_worker, initargs=(job,)) as pool:
        pending = [pool.submit(_run_in_worker, row) for row in rows]
        try:
            for done in futures.as_completed(pending):
                yield done.result()
        except BaseException:
            for future in pending:
                future.cancel()
            raise


def _invitations(template: Template, invitation: Invitation | str | Path | None) -> dict[str, Invitation]:
    found = {language: load_invitation(f"invitation-{language}") for language in ("da", "en")}
    if invitation is not None:
        custom = invitation if isinstance(invitation, Invitation) else load_invitation(invitation)
        found[custom.language] = custom
        found[template.language] = custom if custom.language == template.language else found[template.language]
    return found


def build_packs(
    template: Template | TemplateSource,
    roster: Roster | str | Path | Iterable[Mapping[str, Any] | Context],
    out: str | Path,
    *,
    formats: Sequence[Format] = ("docx",),
    invitation: Invitation | str | Path | None = None,
    previous: PreviousForms | None = None,
    jobs: int = 1,
    today: dt.date | None = None,
    zip_per_manager: bool = False,
    progress: Callable[[int, int, RowOutcome], None] | None = None,
    signing_key: SigningKey | None = None,
) -> PackReport:
    """Build every employee's pack and return a report of every row (see :func:`iter_packs` for ``previous``
    and ``signing_key``).

    With ``zip_per_manager`` the packs are written as one zip per manager in ``out`` (built from a work
    folder inside ``out`` that makes reruns fast). Ctrl-C stops cleanly: what was written is complete, and
    the report says it was interrupted.
    """
    import time

    started = time.perf_counter()
    target = Path(out)
    loaded = roster if isinstance(roster, Roster) else read_roster(roster, today=today)
    report = PackReport(target, roster_problems=list(loaded.problems))
    total = len(loaded.rows) + len({p.row for p in loaded.errors if p.row is not None and p.row > 1})
    try:
        for outcome in iter_packs(
            template,
            loaded,
            target,
            formats=formats,
            invitation=invitation,
            previous=previous,
            jobs=jobs,
            today=today,
            zip_per_manager=zip_per_manager,
            signing_key=signing_key,
        ):
            report.outcomes.append(outcome)
            if progress is not None:
                progress(len(report.outcomes), total, outcome)
    except KeyboardInterrupt:
        report.interrupted = True
    report.outcomes.sort(key=lambda outcome: outcome.row)
    if zip_per_manager and not report.interrupted:
        report.zips = _zip_managers(target)
    report.seconds = time.perf_counter() - started
    return report


def _zip_managers(target: Path) -> list[str]:
    """One zip per manager folder of the work folder, written atomically; returns the zip names."""
    work = target / _WORK
    names = []
    for manager in sorted(p for p in work.iterdir() if p.is_dir()) if work.is_dir() else []:
        temporary = target / f".{manager.name}.zip.tmp"
        with zipfile.ZipFile(temporary, "w", zipfile.ZIP_DEFLATED) as archive:
            for path in sorted(manager.rglob("*")):
                if path.is_file() and path.name != MANIFEST and not path.name.endswith(".tmp"):
                    info = zipfile.ZipInfo(str(path.relative_to(work)), date_time=(2026, 1, 1, 0, 0, 0))
                    info.compress_type = zipfile.ZIP_DEFLATED
                    archive.writestr(info, path.read_bytes())
        temporary.replace(target / f"{manager.name}.zip")
        names.append(f"{manager.name}.zip")
    return names
