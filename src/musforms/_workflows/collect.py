"""Collect many completed forms into one summary: per employee, per department, every issue, as xlsx/csv/json.

This module reads the files (in one process or several, always in the same order) and judges the copies of
each form; :mod:`musforms._workflows.collection` holds what was read and the figures, and
:mod:`musforms._workflows.summary` writes the summary.
"""

from __future__ import annotations

import concurrent.futures as futures
import datetime as dt
import multiprocessing
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

from musforms._core.limits import Limits
from musforms._core.package import carried_template
from musforms._core.safety import file_custom_properties
from musforms._formats.parse import parse
from musforms._loading.store import GivenTemplates, TemplateLookup, TemplateStore, find_given, template_lookup
from musforms._model.template import Template
from musforms._workflows.collection import CollectedFile, Collection
from musforms._workflows.summary import write_summary
from musforms.errors import MusformsError

__all__ = ["CollectedFile", "Collection", "collect", "write_summary"]

_SUFFIXES = (".docx", ".xlsx")
_PROPERTIES_LIMITS = Limits(max_part_bytes=100_000)
"""What is read of a file that is not a form to tell what it is: its custom properties are a few hundred bytes."""
_CHUNK = 8
"""Files handed to a worker process at a time."""

Progress = Callable[[int, int, CollectedFile], None]


def collect(
    sources: str | Path | Iterable[str | Path],
    *,
    templates: GivenTemplates = None,
    today: dt.date | None = None,
    jobs: int = 1,
    progress: Progress | None = None,
    lenient: bool = False,
) -> Collection:
    """Parse every .docx and .xlsx form in a folder (recursively) or in the files given.

    A file that cannot be read is kept in the collection with its error; nothing is skipped silently.
    ``jobs`` > 1 parses in that many processes; the files are in the same order either way (folders sorted
    by path, files as given). ``progress(done, total, file)`` is called after each file. Several copies of
    one form are judged (see :attr:`CollectedFile.copy`): the filled copy counts, not a blank one, and
    copies filled differently are all kept and reported as a conflict.

    Each form is read as :func:`musforms.parse` reads it: with ``templates``, only forms of those templates
    (every version given; and the built-ins); without, a company template's forms with the template each
    carries. With ``jobs`` > 1, a :class:`~musforms.TemplateLookup` of the application's own is sent to each
    worker process, so it must be picklable where processes are spawned (a :class:`~musforms.TemplateStore`
    is). ``lenient`` reads forms made from another version of their template, with an issue saying so.
    """
    paths = _paths(sources)
    given = template_lookup(templates)
    collection = Collection(today=today or dt.date.today(), given=given)
    for done, file in enumerate(_read_all(paths, _with_builtins(given), jobs, lenient), start=1):
        collection.files.append(file)
        if progress is not None:
            progress(done, len(paths), file)
    collection.templates = _templates(collection, given)
    collection.judge_copies()
    return collection


def _paths(sources: str | Path | Iterable[str | Path]) -> list[Path]:
    paths: list[Path] = []
    for source in [sources] if isinstance(sources, str | Path) else sources:
        path = Path(source)
        if path.is_dir():
            paths.extend(sorted(p for p in path.rglob("*") if p.suffix.lower() in _SUFFIXES and p.is_file()))
        else:
            paths.append(path)
    return paths


def _read_all(paths: list[Path], templates: TemplateLookup | None, jobs: int, lenient: bool) -> Iterator[CollectedFile]:
    """Every file read, in the order of ``paths``: here, or in ``jobs`` worker processes."""
    if jobs <= 1 or len(paths) < 2:
        for path in paths:
            yield _read_file(path, templates, lenient)
        return
    method = "fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn"
    context = multiprocessing.get_context(method)
    with futures.ProcessPoolExecutor(
        min(jobs, len(paths)), mp_context=context, initializer=_init_worker, initargs=(templates, lenient)
    ) as pool:
        yield from pool.map(_read_in_worker, paths, chunksize=_CHUNK)


_WORKER_TEMPLATES: list[TemplateLookup | None] = [None]
_WORKER_LENIENT = [False]


def _init_worker(templates: TemplateLookup | None, lenient: bool) -> None:
    _WORKER_TEMPLATES[0] = templates
    _WORKER_LENIENT[0] = lenient


def _read_in_worker(path: Path) -> CollectedFile:
    return _read_file(path, _WORKER_TEMPLATES[0], _WORKER_LENIENT[0])


def _read_file(path: Path, templates: TemplateLookup | None, lenient: bool = False) -> CollectedFile:
    """One file read as a form; or, when it is not one, why (a musforms document that is not a form is passed
    over, anything else is an error)."""
    try:
        return CollectedFile(str(path), parse(path, templates=templates, lenient=lenient))
    except MusformsError as exc:
        kind = _document_kind(path)
        if kind is not None:
            return CollectedFile(str(path), skipped=f"a musforms {kind}, not a form")
        return CollectedFile(str(path), error=str(exc), error_code=exc.code)


def _document_kind(path: Path) -> str | None:
    """What musforms document a file is when it is not a form (``musforms.document``: invitation, talk), read
    as safely as a form; None for a file that is not one, or that the safe reading refuses."""
    try:
        properties = file_custom_properties(path, _PROPERTIES_LIMITS)
    except MusformsError:
        return None
    return properties.get("musforms.document")


def _with_builtins(given: TemplateLookup | None) -> TemplateLookup | None:
    """The templates given, and the built-ins of the ids they do not have."""
    if given is None:
        return None
    if isinstance(given, TemplateStore):
        store = TemplateStore(given)
        for template_id in given.ids():  # the current version of each id stays the current one
            current = given.find(template_id)
            if current is not None:
                store.add(current)
        for template in _builtins():
            if template.id not in store:
                store.add(template)
        return store
    return _WithBuiltins(given)


def _builtins() -> list[Template]:
    from musforms._loading import builtins
    from musforms._loading.loader import load_template

    return [load_template(i) for i in builtins.builtin_ids()]


class _WithBuiltins:
    """An application's template lookup, with the built-in templates of the ids it does not have."""

    def __init__(self, lookup: TemplateLookup) -> None:
        self.lookup = lookup

    def find(self, template_id: str, version: str | None = None) -> Template | None:
        found = self.lookup.find(template_id, version)
        if found is None and self.lookup.find(template_id) is None:
            found = next((t for t in _builtins() if t.id == template_id), None)
        return found


def _templates(collection: Collection, templates: TemplateLookup | None) -> dict[str, Template]:
    """The template of each id the figures use: the current one of each id given, else the one a form was read
    with."""
    from musforms._loading import builtins
    from musforms._loading.loader import load_template

    found: dict[str, Template] = {}
    if isinstance(templates, TemplateStore):
        found = {i: t for i in templates.ids() if (t := templates.find(i)) is not None}
    known = set(builtins.builtin_ids())
    for file in collection.files:
        form = file.form
        if form is None or form.template_id in found:
            continue
        given = find_given(templates, form.template_id) if templates is not None else None
        if given is not None:
            found[form.template_id] = given
        elif form.template_id in known:
            found[form.template_id] = load_template(form.template_id)
        elif form.template_source == "embedded":  # read with the template the form carries, checked then
            try:
                carried = carried_template(form.identity, file.path)
            except MusformsError:  # the file changed since it was read: its form stays, without the figures
                carried = None
            if carried is not None:
                found[form.template_id] = carried
    return found
