"""A template that extends another: its keys merged over the parent's (a file, or a template the caller gives,
by id or ``id@version``), its changes applied, a warning when its ``sections`` replace the parent's, and the
problems that follow from it located in its own file."""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path

from musforms._loading.changes import apply_changes
from musforms._loading.store import TemplateLookup, find_given, given_versions
from musforms._loading.yamlsource import (
    Mark,
    PosDict,
    as_posdict,
    clone,
    copy_marks,
    key_mark,
    locate,
    located_problem,
    problem_at,
    value_mark,
)
from musforms.errors import Problem

__all__ = ["FILE_ONLY_KEYS", "given_parent", "in_author_file", "merge", "pinned_reference"]

FILE_ONLY_KEYS = ("extends", "changes")
"""The keys of a file that say how it is made, not what the template is."""

_PINNED = re.compile(r"^(?P<id>[a-z0-9][a-z0-9_.-]*)@(?P<version>\d+(\.\d+){0,2})$")
"""``extends: acme-base@2``: a template id and the version of it to extend."""


def pinned_reference(reference: str) -> tuple[str, str] | None:
    """The template id and version ``extends: <id>@<version>`` names, or None when ``reference`` is not one."""
    pinned = _PINNED.fullmatch(reference)
    return (pinned["id"], pinned["version"]) if pinned is not None else None


def given_parent(
    templates: TemplateLookup | None, template_id: str, version: str | None, builtin_version: str | None
) -> tuple[PosDict, str, Path | tuple[str, bytes] | None] | Problem:
    """A template the caller gave, to extend (its current version when ``version`` is None): its content as
    written in a file (it is resolved, so it extends nothing more), the name its positions carry
    (``templates:<id>@<version>``; its logo is placed there) and the logo it was loaded with. Else the problem,
    naming the versions there are (``builtin_version``: the built-in template's of that id)."""
    parent = find_given(templates, template_id, version) if templates is not None else None
    if parent is not None and (parent.id, parent.version) != (template_id, version or parent.version):
        parent = None  # a lookup that answered with another template
    if parent is None:
        known = [builtin_version] if builtin_version is not None else []
        if templates is not None:
            known += [v for v in given_versions(templates, template_id) if v not in known]
        return Problem(
            f"no template '{template_id}'{f' version {version}' if version else ''} among the built-in templates "
            "and the templates given",
            hint=f"the versions of it there are: {', '.join(known)}"
            if known
            else "give the template with templates=... ('extends: <id>@<version>' names one of its versions)",
        )
    display = f"templates:{parent.id}@{parent.version}"
    raw = as_posdict(parent.model_dump(mode="json"))
    company = raw.get("company")
    if isinstance(company, PosDict) and company.get("logo") is not None:
        company.value_marks["logo"] = Mark(display, 1, 1)  # its logo is the one it was loaded with
    return raw, display, parent.logo_image


def merge(parent: PosDict, child: PosDict, parent_ref: str) -> tuple[PosDict, list[Problem]]:
    """``child``'s keys over ``parent``'s (``company`` key by key, ``scales`` scale by scale), then its
    ``changes``; with the problems found on the way (a failed change is skipped)."""
    merged: PosDict = clone(parent)
    problems = _replaced_sections(parent, child, parent_ref)
    if "id" not in child:
        problems.append(
            located_problem(
                child,
                (),
                "a template that extends another needs its own 'id'",
                "add e.g. 'id: acme-mus' so that forms made from it can be told apart",
            )
        )
    for key, value in child.items():
        if key in FILE_ONLY_KEYS:
            continue
        if key in ("company", "scales") and isinstance(value, dict) and isinstance(merged.get(key), dict):
            inner = merged[key] if isinstance(merged[key], PosDict) else as_posdict(merged[key])
            for sub, sub_value in value.items():
                inner[sub] = sub_value
                copy_marks(value, inner, sub)
            merged[key] = inner
        else:
            merged[key] = value
        copy_marks(child, merged, key)
    changes = child.get("changes")
    if changes is not None:
        problems.extend(apply_changes(merged, changes, child))
    return merged, problems


def _replaced_sections(parent: PosDict, child: PosDict, parent_ref: str) -> list[Problem]:
    """A warning, at the child's ``sections:`` key, when its sections replace all of the parent's (which is
    seldom meant: a section is added with a change), with the spelling that adds one instead."""
    theirs, ours = parent.get("sections"), child.get("sections")
    if not isinstance(theirs, list) or not theirs or not isinstance(ours, list):
        return []
    count = len(theirs)
    first = next((s.get("id") for s in ours if isinstance(s, dict) and isinstance(s.get("id"), str)), None)
    mark, path = locate(child, ("sections",))
    warning = problem_at(
        key_mark(child, ("sections",)) or mark,
        path,
        f"'sections' replaces all {count} section{'s' if count != 1 else ''} of {parent_ref}; "
        f"the form will have only the {len(ours)} given here",
        "to keep the parent's sections and add one, write it as a change instead: "
        f"changes: [{{add_section: {{id: {first or 'my_section'}, title: ..., fields: [...]}}}}]",
        code="template.sections_replaced",
    )
    return [replace(warning, severity="warning")]


def in_author_file(author: PosDict | None, problem: Problem, *, builtin_only: bool = False) -> Problem:
    """``problem`` located in the author's file (``author``: the file being loaded, as written) when it follows
    from that file's keys but lies in a parent's: "a scored template needs at least one rating field" at the
    ``sections:`` that replaced the parent's, the parent's ``style`` named in the hint. It goes to the
    author's ``sections`` key, else its ``changes``, else its ``extends``. With ``builtin_only``, only
    problems in a built-in template (which is valid on its own) are moved."""
    if author is None or author.mark is None or problem.file in (None, author.mark.file):
        return problem
    if builtin_only and not (problem.file or "").startswith("builtin:"):
        return problem
    cause = next((key for key in ("sections", "changes", "extends") if key in author), None)
    if cause is None:
        return problem
    mark = key_mark(author, (cause,)) if cause == "sections" else value_mark(author, (cause,))
    if mark is None:
        return problem
    where = f"{problem.path or 'it'} is set in {problem.location}"
    return replace(
        problem,
        file=mark.file,
        line=mark.line,
        column=mark.column,
        hint=f"{problem.hint}; {where}" if problem.hint else where,
    )
