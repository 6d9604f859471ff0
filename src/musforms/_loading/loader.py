"""Load templates from built-in ids, YAML/JSON files, text or mappings, resolve ``extends``, report every problem."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import replace
from functools import lru_cache
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from musforms._loading import builtins
from musforms._loading.consistency import CODE as CONSISTENCY
from musforms._loading.consistency import consistency_problems
from musforms._loading.extending import given_parent, in_author_file, merge, pinned_reference
from musforms._loading.logo import logo_data_problem, logo_problem
from musforms._loading.raw_checks import raw_semantic_problems, raw_text_problems
from musforms._loading.references import (
    Refused,
    display_name,
    is_absolute,
    looks_like_path,
    not_found_message,
)
from musforms._loading.store import GivenTemplates, TemplateLookup, find_given, template_lookup
from musforms._loading.validation import reported_locations, validation_problems
from musforms._loading.yamlsource import Mark, PosDict, as_posdict, located_problem, read_yaml, value_mark
from musforms._model.template import Template, semantic_problems
from musforms._text.sandbox import time_limit
from musforms.errors import MusformsError, Problem, TemplateError, TemplateNotFoundError, YamlSyntaxError

__all__ = ["Logos", "TemplateSource", "check_template", "load_template", "load_template_text"]

TemplateSource = str | os.PathLike[str] | Mapping[str, Any]
"""A built-in template id, a path to a YAML or JSON file, or a mapping of the file's content."""
Logos = Mapping[str, bytes]
"""Logo images given as bytes, by the name ``company.logo`` gives them (``{"acme.png": b"..."}``)."""


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
    templates: GivenTemplates = None,
    logos: Logos | None = None,
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

    ``templates`` are the templates an application keeps (templates, a mapping of them by id, or a
    :class:`~musforms.TemplateLookup` such as a :class:`~musforms.TemplateStore`): ``extends: acme-base`` names a
    built-in template first, then the current version of ``acme-base`` among them, then a file;
    ``extends: acme-base@2`` names version 2 of it. ``logos`` are logo images given as bytes, by the name
    ``company.logo`` gives: a name found there is used from there (checked as a logo file is), without a file.
    """
    return _load(source, base_dir=base_dir, root=root, templates=templates, logos=logos)[0]


def _load(
    source: TemplateSource,
    *,
    base_dir: str | os.PathLike[str] | None = None,
    root: str | os.PathLike[str] | None = None,
    templates: GivenTemplates = None,
    logos: Logos | None = None,
) -> tuple[Template, list[Problem]]:
    """The template and its warnings."""
    if isinstance(source, str) and builtins.builtin_path(source) is not None:
        return _load_builtin(source), []
    start = Path(base_dir) if base_dir is not None else None
    lookup = template_lookup(templates)
    if isinstance(source, Mapping):
        loader = _Loader(root=_root(root, start), templates=lookup, logos=logos)
        return loader.finish(loader.resolve_mapping(source, start)), loader.warnings
    path = Path(source)
    if not path.is_file():
        raise TemplateNotFoundError(not_found_message(str(source)))
    loader = _Loader(root=_root(root, path.resolve().parent), templates=lookup, logos=logos)
    return loader.finish(loader.resolve_file(path, display=display_name(path))), loader.warnings


def load_template_text(
    text: str,
    *,
    name: str = "<text>",
    base_dir: str | os.PathLike[str] | None = None,
    root: str | os.PathLike[str] | None = None,
    templates: GivenTemplates = None,
    logos: Logos | None = None,
) -> Template:
    """Load a template from YAML or JSON text; ``name`` is used in error messages.

    Text reaches no file unless the caller says where: ``extends`` and ``company.logo`` may then name files
    inside ``root`` (default: ``base_dir``), relative to ``base_dir``. Without either, a text may extend only a
    built-in template or one of ``templates``, and name only a logo given in ``logos`` (as for
    :func:`load_template`), which is how a template kept in a database is loaded.
    """
    start = Path(base_dir) if base_dir is not None else None
    loader = _Loader(root=_root(root, start), templates=template_lookup(templates), logos=logos)
    return loader.finish(loader.resolve_text(text, name, start))


def _root(root: str | os.PathLike[str] | None, default: Path | None) -> Path | None:
    chosen = Path(root) if root is not None else default
    return chosen.resolve() if chosen is not None else None


def check_template(
    source: TemplateSource,
    *,
    root: str | os.PathLike[str] | None = None,
    templates: GivenTemplates = None,
    logos: Logos | None = None,
) -> list[Problem]:
    """Every problem of a template, errors and warnings (each with its ``severity``); an empty list when it is
    valid and nothing in it looks unintended. It never raises for a bad template.

    ``root`` is the folder the template's files may come from; ``templates`` and ``logos`` what it may extend
    and which logos it may name without a file, as for :func:`load_template`."""
    try:
        _template, warnings = _load(source, root=root, templates=templates, logos=logos)
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

    ``root`` is the folder every file a template names must lie in (None: no file may be named); ``templates``
    the templates it may extend by id besides the built-ins; ``logos`` the logo images given as bytes.
    """

    def __init__(
        self, *, root: Path | None, templates: TemplateLookup | None = None, logos: Logos | None = None
    ) -> None:
        self.problems: list[Problem] = []
        self.chain: list[str] = []
        self.root = root
        self.templates = templates
        self.logos = logos
        self.given_logos: dict[str, Path | tuple[str, bytes] | None] = {}
        """The logo each given template that was extended was loaded with, by the name its positions carry."""
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
            self._problem(
                data, ("extends",), "'extends' takes a built-in template id, the id of a template given, or a file path"
            )
            return None
        if len(self.chain) >= MAX_EXTENDS_DEPTH:
            self._problem(data, ("extends",), f"templates may extend each other at most {MAX_EXTENDS_DEPTH} deep")
            return None
        reference = parent_ref
        pinned = pinned_reference(parent_ref) if not looks_like_path(parent_ref) else None
        if pinned is not None:
            reference, version = pinned
            builtin = builtins.builtin_path(reference) is not None
            if not builtin or _load_builtin(reference).version != version:
                return self._extend_given(data, parent_ref, reference, version)
        elif (
            self.templates is not None
            and builtins.builtin_path(reference) is None
            and find_given(self.templates, reference) is not None
        ):
            return self._extend_given(data, parent_ref, reference, None)
        if builtins.builtin_path(reference) is not None:
            path = builtins.builtin_path(reference)
            assert path is not None
            display = f"builtin:{reference}"
        else:
            found = self._confined(parent_ref, folder)
            if isinstance(found, Refused):
                self._problem(data, ("extends",), found.message, found.hint)
                return None
            if not found.is_file():
                hint = (
                    f"looked for {display_name(found)}; a path is relative to the folder of the file that extends"
                    if looks_like_path(parent_ref)
                    else None
                )
                self._problem(data, ("extends",), not_found_message(parent_ref), hint)
                return None
            path, display = found, display_name(found)
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

    def _extend_given(self, data: PosDict, parent_ref: str, template_id: str, version: str | None) -> PosDict | None:
        """``data`` over a template given (its current version when ``version`` is None)."""
        builtin = _load_builtin(template_id).version if builtins.builtin_path(template_id) is not None else None
        found = given_parent(self.templates, template_id, version, builtin)
        if isinstance(found, Problem):
            self._problem(data, ("extends",), found.message, found.hint)
            return None
        raw, display, logo = found
        self.given_logos[display] = logo
        merged, problems = merge(raw, data, parent_ref)
        self.problems.extend(problems)
        return merged

    def _confined(self, reference: str, folder: Path | None) -> Path | Refused:
        """The file ``reference`` names, if it lies inside the root; else why it is refused.

        What is refused is never looked at: the message says nothing of whether such a file exists, what it
        holds or where a link in the path points.
        """
        if self.root is None or folder is None:
            return Refused(
                f"'{reference}' is neither a built-in template nor one given with templates=, and a template "
                "loaded without a folder may name no file",
                "give base_dir=... the folder its files may come from, or extend a template given with templates=... "
                "or a built-in template: " + ", ".join(builtins.builtin_ids()),
            )
        if "\x00" in reference or is_absolute(reference):
            return Refused(
                f"'{reference}' is an absolute path; a template may name only files in its own folder",
                "write the path relative to the folder of the file that names it",
            )
        try:
            path = (folder / reference).resolve()
        except (OSError, RuntimeError, ValueError):  # a loop of symbolic links, a name the system refuses
            path = None
        if path is None or not path.is_relative_to(self.root):
            return Refused(
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
        if template is not None and not cross and not any(p.severity == "error" for p in self.problems):
            with time_limit(MAX_TEXT_CHECK_SECONDS):
                for loc, message, hint in consistency_problems(template):
                    found = replace(located_problem(raw, loc, message, hint), severity="warning", code=CONSISTENCY)
                    self.problems.append(found)
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
        mark = value_mark(raw, loc)
        if mark is not None and mark.file in self.given_logos:  # a given template's, as it was loaded
            image = self.given_logos[mark.file]
            if isinstance(image, tuple):
                template._logo_data = image
            elif image is not None:
                template._logo_file = image
            else:
                self._problem(
                    raw,
                    loc,
                    f"the logo '{logo}' of the template given ({mark.file.removeprefix('templates:')}) was not "
                    "loaded with it",
                    "load that template with its logo, or give this template a logo of its own",
                )
                return
        elif self.logos is not None and logo in self.logos:
            problem = logo_data_problem(self.logos[logo])
            if problem:
                self._problem(raw, loc, problem)
                return
            template._logo_data = (logo, bytes(self.logos[logo]))
        elif not self._logo_file(raw, template, logo, mark):
            return
        if not (template.company.name or "").strip():
            # The company's name is the logo's text for screen readers; without one the picture is decorative.
            warning = located_problem(
                raw,
                loc,
                "the logo has no text for screen readers: it is the company's name, and the company has none",
                "give the company a name (company: {name: ...}); without it the logo is marked as decoration",
            )
            self.problems.append(replace(warning, severity="warning", code="template.logo_without_text"))

    def _logo_file(self, raw: PosDict, template: Template, logo: str, mark: Mark | None) -> bool:
        """Whether the logo file ``logo`` names was found and is a logo; it is then the template's."""
        loc = ("company", "logo")
        # The logo's path is relative to the file that set it, which may be a parent in another folder.
        folder = self.folders.get(mark.file) if mark is not None else next(iter(self.folders.values()), None)
        if self.root is None or folder is None:
            given = (
                f"no logo '{logo}' among the logos given ({', '.join(sorted(self.logos)) or 'none'})"
                if self.logos is not None
                else f"the logo '{logo}' names a file"
            )
            self._problem(
                raw,
                loc,
                f"{given}, and a template loaded without a folder may name no file",
                f"give its bytes with logos={{'{logo}': ...}}, or base_dir=... the folder its files may come from",
            )
            return False
        found = self._confined(logo, folder)
        if isinstance(found, Refused):
            self._problem(
                raw, loc, f"the logo must lie in the template's folder or below it; {found.message}", found.hint
            )
            return False
        path = found
        if not path.is_relative_to(folder.resolve()):
            self._problem(
                raw,
                loc,
                "the logo must lie in the template's folder or below it",
                "copy the logo next to the template file",
            )
            return False
        if not path.is_file():
            self._problem(
                raw,
                loc,
                f"no logo file at '{logo}'",
                f"looked for {display_name(path)}; the path is relative to the folder of the file that names it",
            )
            return False
        problem = logo_problem(path)
        if problem:
            self._problem(raw, loc, problem)
            return False
        template._logo_file = path
        return True

    def _problem(self, raw: Any, loc: tuple[int | str, ...], message: str, hint: str | None = None) -> None:
        self.problems.append(located_problem(raw, loc, message, hint))


def _field_count(raw: PosDict) -> int:
    sections = raw.get("sections")
    if not isinstance(sections, list):
        return 0
    return sum(len(s["fields"]) for s in sections if isinstance(s, dict) and isinstance(s.get("fields"), list))
