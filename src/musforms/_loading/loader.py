"""Load templates from built-in ids, YAML/JSON files, text or mappings, resolve ``extends``, report every problem."""

from __future__ import annotations

import difflib
import os
from collections.abc import Mapping
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path, PureWindowsPath
from typing import Any

from pydantic import ValidationError

from musforms._loading import builtins
from musforms._loading.extending import in_author_file, merge
from musforms._loading.logo import logo_problem
from musforms._loading.raw_checks import raw_semantic_problems, raw_text_problems
from musforms._loading.validation import reported_locations, validation_problems
from musforms._loading.yamlsource import PosDict, as_posdict, located_problem, read_yaml, value_mark
from musforms._model.template import Template, semantic_problems
from musforms._text.sandbox import time_limit
from musforms.errors import MusformsError, Problem, TemplateError, TemplateNotFoundError, YamlSyntaxError

__all__ = ["TemplateSource", "check_template", "load_template", "load_template_text"]

TemplateSource = str | os.PathLike[str] | Mapping[str, Any]
"""A built-in template id, a path to a YAML or JSON file, or a mapping of the file's content."""

MAX_EXTENDS_DEPTH = 8
"""How many templates deep ``extends`` may go."""
MAX_TEMPLATE_BYTES = 2_000_000
"""The largest template file (or text) read, in bytes (UTF-8)."""
MAX_FIELDS = 500
"""The most fields a template may have, all sections together (a MUS form has 40 to 60; sections: 60)."""
MAX_TEXT_CHECK_SECONDS = 10.0
"""How long checking all of a template's Jinja texts may take together (each text: 0.5 s)."""


def load_template(
    source: TemplateSource,
    *,
    base_dir: str | os.PathLike[str] | None = None,
    root: str | os.PathLike[str] | None = None,
) -> Template:
    """Load and validate a template.

    ``source`` is a built-in id (``"mus-scored-da"``), a path to a ``.yaml``/``.yml``/``.json`` file, or a
    mapping with the file's content. Raises :class:`TemplateError` listing every problem found, each with its
    file, line, column and path. Warnings alone (``extends`` with ``sections:``, which replaces the parent's
    sections) do not stop the template from loading; :func:`check_template` lists them.

    A template is treated as untrusted: the files it names (``extends``, ``company.logo``) must lie inside
    ``root``, after following symbolic links, and may not be absolute paths. ``root`` defaults to the folder
    of the file loaded (or ``base_dir`` for a mapping); a mapping without either reaches no file at all, only
    built-in templates. Relative paths start from the folder of the file that names them (``base_dir`` for a
    mapping).
    """
    return _load(source, base_dir=base_dir, root=root)[0]


def _load(
    source: TemplateSource,
    *,
    base_dir: str | os.PathLike[str] | None = None,
    root: str | os.PathLike[str] | None = None,
) -> tuple[Template, list[Problem]]:
    """The template and its warnings."""
    if isinstance(source, str) and builtins.builtin_path(source) is not None:
        return _load_builtin(source), []
    start = Path(base_dir) if base_dir is not None else None
    if isinstance(source, Mapping):
        loader = _Loader(root=_root(root, start))
        return loader.finish(loader.resolve_mapping(source, start)), loader.warnings
    path = Path(source)
    if not path.is_file():
        raise TemplateNotFoundError(_not_found_message(str(source)))
    loader = _Loader(root=_root(root, path.resolve().parent))
    return loader.finish(loader.resolve_file(path, display=_display_name(path))), loader.warnings


def load_template_text(
    text: str,
    *,
    name: str = "<text>",
    base_dir: str | os.PathLike[str] | None = None,
    root: str | os.PathLike[str] | None = None,
) -> Template:
    """Load a template from YAML or JSON text; ``name`` is used in error messages.

    Text reaches no file unless the caller says where: ``extends`` and ``company.logo`` may then name files
    inside ``root`` (default: ``base_dir``), relative to ``base_dir``. Without either, a text may extend only a
    built-in template and name no logo.
    """
    start = Path(base_dir) if base_dir is not None else None
    loader = _Loader(root=_root(root, start))
    return loader.finish(loader.resolve_text(text, name, start))


def _root(root: str | os.PathLike[str] | None, default: Path | None) -> Path | None:
    chosen = Path(root) if root is not None else default
    return chosen.resolve() if chosen is not None else None


def check_template(source: TemplateSource, *, root: str | os.PathLike[str] | None = None) -> list[Problem]:
    """Every problem of a template, errors and warnings (each with its ``severity``); an empty list when it is
    valid and nothing in it looks unintended. It never raises for a bad template.

    ``root`` is the folder the template's files may come from, as for :func:`load_template`."""
    try:
        _template, warnings = _load(source, root=root)
    except TemplateError as exc:
        return list(exc.problems)
    except MusformsError as exc:
        return [Problem(exc.message, file=str(source) if not isinstance(source, Mapping) else None, code=exc.code)]
    return warnings


@lru_cache(maxsize=32)
def _load_builtin(template_id: str) -> Template:
    path = builtins.builtin_path(template_id)
    assert path is not None
    loader = _Loader(root=path.parent.resolve())
    display = f"builtin:{template_id}"
    template = loader.finish(loader.resolve_file(path, display=display))
    if template.id != template_id:
        raise TemplateError(
            [Problem(f"the built-in file {path.name} holds the template '{template.id}'", file=display)]
        )
    return template


class _Loader:
    """Resolves one template and its ancestors, collecting problems instead of stopping at the first.

    ``root`` is the folder every file a template names must lie in (None: no file may be named).
    """

    def __init__(self, *, root: Path | None) -> None:
        self.problems: list[Problem] = []
        self.chain: list[str] = []
        self.root = root
        self.folders: dict[str, Path | None] = {}
        """The folder of each template read, by the name its positions carry (for paths such as the logo)."""
        self.author: PosDict | None = None
        """The template file (or text, or mapping) being loaded, as written: the one its author reads."""
        self.warnings: list[Problem] = []
        """The warnings of a template that loads."""

    # -- reading ---------------------------------------------------------------------------------

    def resolve_mapping(self, source: Mapping[str, Any], folder: Path | None) -> PosDict | None:
        self.folders.setdefault("<mapping>", folder)
        return self._extend(as_posdict(source), folder, "<mapping>")

    def resolve_file(self, path: Path, *, display: str) -> PosDict | None:
        try:
            size = path.stat().st_size
            if size > MAX_TEMPLATE_BYTES:
                self.problems.append(
                    Problem(f"the file is {size} bytes; a template may be at most {MAX_TEMPLATE_BYTES}", file=display)
                )
                return None
            text = path.read_text(encoding="utf-8")
        except UnicodeDecodeError as exc:
            self.problems.append(Problem(f"the file is not UTF-8 text ({exc.reason})", file=display))
            return None
        except OSError as exc:
            self.problems.append(Problem(f"the file could not be read: {exc.strerror or exc}", file=display))
            return None
        return self.resolve_text(text, display, path.resolve().parent)

    def resolve_text(self, text: str, name: str, folder: Path | None) -> PosDict | None:
        if len(text) > MAX_TEMPLATE_BYTES or len(text.encode("utf-8", "surrogatepass")) > MAX_TEMPLATE_BYTES:
            self.problems.append(
                Problem(f"the template is larger than {MAX_TEMPLATE_BYTES} bytes, the most that is read", file=name)
            )
            return None
        if name in self.chain:
            self.problems.append(
                Problem(
                    "templates extend each other in a circle: " + " -> ".join([*self.chain, name]),
                    file=self.chain[-1],
                    code="template.extends_cycle",
                )
            )
            return None
        self.folders.setdefault(name, folder)
        try:
            data = read_yaml(text, name)
        except YamlSyntaxError as exc:
            self.problems.extend(exc.problems)
            return None
        if not isinstance(data, PosDict):
            mark = getattr(data, "mark", None)
            self.problems.append(
                Problem(
                    "a template must be a mapping of keys (id, title, sections, ...)",
                    file=name,
                    line=mark.line if mark else 1,
                    column=mark.column if mark else 1,
                )
            )
            return None
        return self._extend(data, folder, name)

    def _extend(self, data: PosDict, folder: Path | None, name: str) -> PosDict | None:
        if not self.chain:
            self.author = data
        if "extends" not in data:
            if "changes" in data:
                self._problem(
                    data,
                    ("changes",),
                    "'changes' only applies to a template that extends another",
                    "add 'extends: <built-in id or file>'",
                )
                del data["changes"]
            return data
        parent_ref = data["extends"]
        if not isinstance(parent_ref, str) or not parent_ref:
            self._problem(data, ("extends",), "'extends' takes a built-in template id or a file path")
            return None
        if len(self.chain) >= MAX_EXTENDS_DEPTH:
            self._problem(data, ("extends",), f"templates may extend each other at most {MAX_EXTENDS_DEPTH} deep")
            return None
        if builtins.builtin_path(parent_ref) is not None:
            path = builtins.builtin_path(parent_ref)
            assert path is not None
            display = f"builtin:{parent_ref}"
        else:
            found = self._confined(parent_ref, folder)
            if isinstance(found, _Refused):
                self._problem(data, ("extends",), found.message, found.hint)
                return None
            if not found.is_file():
                hint = (
                    f"looked for {_display_name(found)}; a path is relative to the folder of the file that extends"
                    if _looks_like_path(parent_ref)
                    else None
                )
                self._problem(data, ("extends",), _not_found_message(parent_ref), hint)
                return None
            path, display = found, _display_name(found)
        self.chain.append(name)
        try:
            parent = self.resolve_file(path, display=display)
        finally:
            self.chain.pop()
        if parent is None:
            return None
        merged, problems = merge(parent, data, parent_ref)
        self.problems.extend(problems)
        return merged

    def _confined(self, reference: str, folder: Path | None) -> Path | _Refused:
        """The file ``reference`` names, if it lies inside the root; else why it is refused.

        What is refused is never looked at: the message says nothing of whether such a file exists, what it
        holds or where a link in the path points.
        """
        if self.root is None or folder is None:
            return _Refused(
                f"'{reference}' is not a built-in template, and a template loaded without a folder may name no file",
                "give base_dir=... the folder its files may come from, or extend a built-in template: "
                + ", ".join(builtins.builtin_ids()),
            )
        if "\x00" in reference or _is_absolute(reference):
            return _Refused(
                f"'{reference}' is an absolute path; a template may name only files in its own folder",
                "write the path relative to the folder of the file that names it",
            )
        try:
            path = (folder / reference).resolve()
        except (OSError, RuntimeError, ValueError):  # a loop of symbolic links, a name the system refuses
            path = None
        if path is None or not path.is_relative_to(self.root):
            return _Refused(
                f"'{reference}' lies outside the folder this template may read files from",
                "a template may name files in its own folder and below; an application can allow a wider "
                "folder with load_template(..., root=...)",
            )
        return path

    # -- validation ------------------------------------------------------------------------------

    def finish(self, raw: PosDict | None) -> Template:
        if raw is None:
            raise TemplateError(self.problems or [Problem("the template could not be read")])
        fields = _field_count(raw)
        if fields > MAX_FIELDS:
            self._problem(
                raw, ("sections",), f"the template has {fields} fields; a template may have at most {MAX_FIELDS}"
            )
            raise TemplateError(self.problems)
        # A change that failed was skipped; the rest of the template is still checked, so that every
        # mistake is reported at once.
        with time_limit(MAX_TEXT_CHECK_SECONDS):
            for loc, message, hint in raw_text_problems(raw):
                self._problem(raw, loc, message, hint)
        template: Template | None = None
        try:
            template = Template.model_validate(raw, context={"defer_semantics": True})
        except ValidationError as exc:
            self.problems.extend(validation_problems(raw, exc))
            cross = raw_semantic_problems(raw, reported_locations(exc))
            validation_error: ValidationError | None = exc
        else:
            cross = semantic_problems(template)
            validation_error = None
        for loc, message, hint in cross:
            self.problems.append(in_author_file(self.author, located_problem(raw, loc, message, hint)))
        if template is not None:
            self._logo_problems(raw, template)
        problems = [in_author_file(self.author, p, builtin_only=True) for p in dict.fromkeys(self.problems)]
        if any(p.severity == "error" for p in problems):
            raise TemplateError(problems) from validation_error
        assert template is not None
        self.warnings = problems
        return template

    def _logo_problems(self, raw: PosDict, template: Template) -> None:
        if template.company is None or template.company.logo is None:
            return
        logo = template.company.logo
        loc = ("company", "logo")
        # The logo's path is relative to the file that set it, which may be a parent in another folder.
        mark = value_mark(raw, loc)
        folder = self.folders.get(mark.file) if mark is not None else next(iter(self.folders.values()), None)
        found = self._confined(logo, folder)
        if isinstance(found, _Refused):
            self._problem(
                raw, loc, f"the logo must lie in the template's folder or below it; {found.message}", found.hint
            )
            return
        path = found
        if folder is not None and not path.is_relative_to(folder.resolve()):
            self._problem(
                raw,
                loc,
                "the logo must lie in the template's folder or below it",
                "copy the logo next to the template file",
            )
            return
        if not path.is_file():
            self._problem(
                raw,
                loc,
                f"no logo file at '{logo}'",
                f"looked for {_display_name(path)}; the path is relative to the folder of the file that names it",
            )
            return
        problem = logo_problem(path)
        if problem:
            self._problem(raw, loc, problem)
            return
        template._logo_file = path
        if not (template.company.name or "").strip():
            # The company's name is the logo's text for screen readers; without one the picture is decorative.
            warning = located_problem(
                raw,
                loc,
                "the logo has no text for screen readers: it is the company's name, and the company has none",
                "give the company a name (company: {name: ...}); without it the logo is marked as decoration",
            )
            self.problems.append(replace(warning, severity="warning", code="template.logo_without_text"))

    def _problem(self, raw: Any, loc: tuple[int | str, ...], message: str, hint: str | None = None) -> None:
        self.problems.append(located_problem(raw, loc, message, hint))


@dataclass(frozen=True)
class _Refused:
    """Why a file a template names may not be read."""

    message: str
    hint: str


def _is_absolute(reference: str) -> bool:
    """An absolute path on any system: ``/x``, ``\\x``, ``C:x``, ``~/x``."""
    return (
        reference.startswith(("/", "\\", "~"))
        or PureWindowsPath(reference).is_absolute()
        or bool(PureWindowsPath(reference).drive)
    )


def _field_count(raw: PosDict) -> int:
    sections = raw.get("sections")
    if not isinstance(sections, list):
        return 0
    return sum(len(s["fields"]) for s in sections if isinstance(s, dict) and isinstance(s.get("fields"), list))


def _display_name(path: Path) -> str:
    """How messages name a file: ``builtin:<id>`` for a built-in template, else a path that works from the
    current folder (relative to it when the file lies below it, absolute otherwise)."""
    resolved = path.resolve()
    try:
        if resolved.parent == builtins.builtin_dir() and builtins.builtin_path(resolved.stem) == resolved:
            return f"builtin:{resolved.stem}"
    except FileNotFoundError:
        pass
    try:
        cwd = Path.cwd().resolve()
    except OSError:
        return str(resolved)
    return str(resolved.relative_to(cwd)) if resolved.is_relative_to(cwd) else str(resolved)


def _looks_like_path(source: str) -> bool:
    return any(sep in source for sep in "/\\") or source.endswith((".yaml", ".yml", ".json"))


def _not_found_message(source: str) -> str:
    ids = builtins.builtin_ids()
    if _looks_like_path(source):
        return f"no template file at '{source}'"
    close = difflib.get_close_matches(source, ids, n=1)
    hint = f"; did you mean '{close[0]}'?" if close else ""
    return f"'{source}' is neither a built-in template nor a file{hint} (built-ins: {', '.join(ids)})"
