"""Load templates from built-in ids, YAML/JSON files, text or mappings, resolve ``extends``, report every problem."""

from __future__ import annotations

import difflib
import json
import os
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path, PureWindowsPath
from typing import Any

from pydantic import BaseModel, ValidationError

from musforms._loading import builtins
from musforms._loading.changes import apply_changes
from musforms._loading.raw_checks import raw_semantic_problems, raw_text_problems
from musforms._loading.yamlsource import Mark, PosDict, PosList, key_mark, locate, problem_at, read_yaml, value_mark
from musforms._model.fields import (
    AgreementsField,
    CheckField,
    ChoiceField,
    DateField,
    InfoField,
    RatingField,
    SignatureField,
    TextField,
)
from musforms._model.template import Scale, ScalePoint, Section, Template, TemplateCompany, semantic_problems
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
LOGO_MAX_BYTES = 2_000_000
"""The largest logo image, in bytes."""
LOGO_MAX_PIXELS = 10_000
"""The largest width or height of a logo image, in pixels."""

_KIND_MODELS: dict[str, type[BaseModel]] = {
    "text": TextField,
    "rating": RatingField,
    "choice": ChoiceField,
    "check": CheckField,
    "date": DateField,
    "agreements": AgreementsField,
    "signature": SignatureField,
    "info": InfoField,
}
_FILE_ONLY_KEYS = ("extends", "changes")


def load_template(
    source: TemplateSource,
    *,
    base_dir: str | os.PathLike[str] | None = None,
    root: str | os.PathLike[str] | None = None,
) -> Template:
    """Load and validate a template.

    ``source`` is a built-in id (``"mus-scored-da"``), a path to a ``.yaml``/``.yml``/``.json`` file, or a
    mapping with the file's content. Raises :class:`TemplateError` listing every problem found, each with its
    file, line, column and path.

    A template is treated as untrusted: the files it names (``extends``, ``company.logo``) must lie inside
    ``root``, after following symbolic links, and may not be absolute paths. ``root`` defaults to the folder
    of the file loaded (or ``base_dir`` for a mapping); a mapping without either reaches no file at all, only
    built-in templates. Relative paths start from the folder of the file that names them (``base_dir`` for a
    mapping).
    """
    if isinstance(source, str) and builtins.builtin_path(source) is not None:
        return _load_builtin(source)
    start = Path(base_dir) if base_dir is not None else None
    if isinstance(source, Mapping):
        loader = _Loader(root=_root(root, start))
        return loader.finish(loader.resolve_mapping(source, start))
    path = Path(source)
    if not path.is_file():
        raise TemplateNotFoundError(_not_found_message(str(source)))
    loader = _Loader(root=_root(root, path.resolve().parent))
    return loader.finish(loader.resolve_file(path, display=_display_name(path)))


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
    """Every problem of a template (an empty list when it is valid); it never raises for a bad template.

    ``root`` is the folder the template's files may come from, as for :func:`load_template`."""
    try:
        load_template(source, root=root)
    except TemplateError as exc:
        return list(exc.problems)
    except MusformsError as exc:
        return [Problem(exc.message, file=str(source) if not isinstance(source, Mapping) else None, code=exc.code)]
    return []


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

    # -- reading ---------------------------------------------------------------------------------

    def resolve_mapping(self, source: Mapping[str, Any], folder: Path | None) -> PosDict | None:
        self.folders.setdefault("<mapping>", folder)
        return self._extend(_as_posdict(source), folder, "<mapping>")

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
        return self._merge(parent, data)

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

    # -- extends ---------------------------------------------------------------------------------

    def _merge(self, parent: PosDict, child: PosDict) -> PosDict:
        merged: PosDict = _clone(parent)
        if "id" not in child:
            self._problem(
                child,
                (),
                "a template that extends another needs its own 'id'",
                "add e.g. 'id: acme-mus' so that forms made from it can be told apart",
            )
        for key, value in child.items():
            if key in _FILE_ONLY_KEYS:
                continue
            if key in ("company", "scales") and isinstance(value, dict) and isinstance(merged.get(key), dict):
                inner = merged[key] if isinstance(merged[key], PosDict) else _as_posdict(merged[key])
                for sub, sub_value in value.items():
                    inner[sub] = sub_value
                    _copy_marks(value, inner, sub)
                merged[key] = inner
            else:
                merged[key] = value
            _copy_marks(child, merged, key)
        changes = child.get("changes")
        if changes is not None:
            self.problems.extend(apply_changes(merged, changes, child))
        return merged

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
        try:
            template = Template.model_validate(raw, context={"defer_semantics": True})
        except ValidationError as exc:
            self._validation_problems(raw, exc)
            for loc, message, hint in raw_semantic_problems(raw):
                self._problem(raw, loc, message, hint)
            raise TemplateError(self.problems) from None
        for loc, message, hint in semantic_problems(template):
            self._problem(raw, loc, message, hint)
        self._logo_problems(raw, template)
        if self.problems:
            raise TemplateError(self.problems)
        return template

    def _validation_problems(self, raw: PosDict, exc: ValidationError) -> None:
        errors = exc.errors(include_url=False)
        locs = [tuple(error["loc"]) for error in errors]
        misspelt = {
            (loc[:-1], str(loc[-1])) for loc, e in zip(locs, errors, strict=True) if e["type"] == "extra_forbidden"
        }
        for error in errors:
            loc = tuple(error["loc"])
            kind = error["type"]
            if kind == "too_short" and any(other[: len(loc)] == loc and other != loc for other in locs):
                continue  # a list is short only because some of its items are invalid: those are reported
            if kind == "missing" and any(
                parent == loc[:-1] and difflib.get_close_matches(str(loc[-1]), [extra], n=1)
                for parent, extra in misspelt
            ):
                continue  # reported as the misspelt key, with "did you mean"
            hint: str | None = None
            message = error["msg"]
            if kind == "extra_forbidden":
                allowed = _allowed_keys(raw, loc)
                close = difflib.get_close_matches(str(loc[-1]), allowed, n=1)
                message = f"unknown key '{loc[-1]}'"
                hint = (
                    f"did you mean '{close[0]}'?"
                    if close
                    else (f"allowed keys here: {', '.join(allowed)}" if allowed else None)
                )
                mark = key_mark(raw, loc)
                _mark, path = locate(raw, loc)
                self.problems.append(_at(mark or _mark, path, message, hint))
                continue
            if kind == "union_tag_invalid":
                tag = (error.get("ctx") or {}).get("tag", "")
                close = difflib.get_close_matches(str(tag), list(_KIND_MODELS), n=1)
                message = f"unknown field kind '{tag}'"
                hint = f"did you mean '{close[0]}'?" if close else f"kinds: {', '.join(_KIND_MODELS)}"
                loc = (*loc, "kind")
            elif kind == "union_tag_not_found":
                message = "a field needs a 'kind'"
                hint = f"one of: {', '.join(_KIND_MODELS)}"
            elif kind == "missing":
                message = f"missing key '{loc[-1]}'"
                hint = f"add '{loc[-1]}: ...'"
            elif kind == "string_type" and loc and loc[-1] == "version":
                hint = 'write the version as a quoted string, e.g. version: "1.0"'
            elif kind == "string_type":
                hint = _not_a_string_hint(error["input"], value_mark(raw, loc))
            elif kind == "value_error":
                message = message.removeprefix("Value error, ")
            elif kind == "string_pattern_mismatch" and loc and loc[-1] == "id":
                message = f"{error['input']!r} is not a valid id"
                hint = (
                    "a template id uses lower-case letters, digits, '-', '_' and '.'"
                    if loc == ("id",)
                    else "use lower-case letters, digits and '_', starting with a letter"
                )
            self._problem(raw, loc, message, hint)

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
        if path.stat().st_size > LOGO_MAX_BYTES:
            self._problem(raw, loc, f"the logo is larger than {LOGO_MAX_BYTES // 1_000_000} MB")
            return
        problem = _image_problem(path)
        if problem:
            self._problem(raw, loc, problem)
            return
        template._logo_file = path

    def _problem(self, raw: Any, loc: tuple[int | str, ...], message: str, hint: str | None = None) -> None:
        mark, path = locate(raw, loc)
        self.problems.append(_at(mark, path, message, hint))


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


def _image_problem(path: Path) -> str | None:
    """Why a logo file is not a PNG or JPEG image that Word can show, or None."""
    with path.open("rb") as handle:
        head = handle.read(8)
    if not (head.startswith(b"\x89PNG\r\n\x1a\n") or head.startswith(b"\xff\xd8\xff")):
        return "the logo must be a PNG or JPEG image"
    from docx.image.image import Image

    try:  # how Word forms read the picture: its header must make sense
        image = Image.from_file(str(path))
        width, height = image.px_width, image.px_height
    except Exception:  # python-docx raises many kinds of errors for a damaged picture
        return "the logo is not a readable PNG or JPEG image (its header is damaged)"
    if not (0 < width <= LOGO_MAX_PIXELS and 0 < height <= LOGO_MAX_PIXELS):
        return f"the logo is {width} x {height} pixels; it must be at most {LOGO_MAX_PIXELS} x {LOGO_MAX_PIXELS}"
    return None


def _at(mark: Mark | None, path: str, message: str, hint: str | None) -> Problem:
    return problem_at(mark, path, message, hint)


def _not_a_string_hint(value: object, mark: Mark | None) -> str | None:
    """Why YAML did not read a value as text, when it was written without quotes: ``label: Yes``."""
    if value is None:
        return "the value is empty; write the text after the colon"
    if not isinstance(value, bool | int | float):
        return None
    written = mark.text if mark is not None and mark.text else json.dumps(value)
    reads_as = ("true" if value else "false") if isinstance(value, bool) else "a number"
    return f'YAML reads {written} as {reads_as}; put it in quotes: "{written}"'


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


def _allowed_keys(raw: Any, loc: tuple[int | str, ...]) -> list[str]:
    """The keys the model at ``loc[:-1]`` accepts, for "did you mean" hints."""
    parent = loc[:-1]
    model: type[BaseModel] | None = None
    if not parent:
        model = Template
    elif parent[-1] == "company":
        model = TemplateCompany
    elif len(parent) >= 2 and parent[-2] == "scales":
        model = Scale
    elif len(parent) >= 2 and parent[-2] == "points":
        model = ScalePoint
    elif parent[0] == "sections" and len(parent) == 2:
        model = Section
    elif parent[0] == "sections" and len(parent) >= 4:
        kind = parent[4] if len(parent) > 4 else None
        model = _KIND_MODELS.get(str(kind)) if kind else None
    if model is None:
        return []
    return sorted(name for name in model.model_fields)


def _not_found_message(source: str) -> str:
    ids = builtins.builtin_ids()
    if _looks_like_path(source):
        return f"no template file at '{source}'"
    close = difflib.get_close_matches(source, ids, n=1)
    hint = f"; did you mean '{close[0]}'?" if close else ""
    return f"'{source}' is neither a built-in template nor a file{hint} (built-ins: {', '.join(ids)})"


def _clone(value: Any) -> Any:
    """A deep copy that keeps the positions of PosDict and PosList."""
    if isinstance(value, PosDict):
        copy = PosDict({k: _clone(v) for k, v in value.items()})
        copy.mark = value.mark
        copy.key_marks = dict(value.key_marks)
        copy.value_marks = dict(value.value_marks)
        return copy
    if isinstance(value, PosList):
        seq = PosList([_clone(v) for v in value])
        seq.mark = value.mark
        seq.item_marks = list(value.item_marks)
        return seq
    if isinstance(value, dict):
        return {k: _clone(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_clone(v) for v in value]
    return value


def _as_posdict(value: Mapping[str, Any]) -> PosDict:
    """A mapping given in Python as a PosDict (with no positions), recursively."""
    if isinstance(value, PosDict):
        return value
    result = PosDict()
    for key, item in value.items():
        result[str(key)] = _as_pos(item)
    return result


def _as_pos(value: Any) -> Any:
    if isinstance(value, Mapping):
        return _as_posdict(value)
    if isinstance(value, list | tuple):
        seq = PosList([_as_pos(v) for v in value])
        seq.item_marks = [None] * len(seq)
        return seq
    return value


def _copy_marks(source: dict[str, Any], target: PosDict, key: str) -> None:
    """Give ``target[key]`` the place it had in ``source`` (none, when ``source`` has no positions)."""
    for marks, target_marks in (
        (getattr(source, "key_marks", {}), target.key_marks),
        (getattr(source, "value_marks", {}), target.value_marks),
    ):
        if key in marks:
            target_marks[key] = marks[key]
        else:
            target_marks.pop(key, None)
