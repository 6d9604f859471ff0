"""The ``changes`` of a template that extends another: remove, add, replace, update, reorder and move."""

from __future__ import annotations

import difflib
from typing import Any

from musforms._loading.yamlsource import Mark, PosDict, PosList, locate, problem_at
from musforms.errors import ChangeError, Problem

__all__ = ["OPERATIONS", "apply_changes"]

OPERATIONS: dict[str, str] = {
    "remove": "remove a section or field: {remove: ID}",
    "add_section": "add a section: {add_section: {...}, before: ID | after: ID}",
    "add_field": "add a field: {add_field: {...}, to: SECTION_ID, before: ID | after: ID}",
    "replace": "replace a section or field: {replace: ID, with: {...}}",
    "update": "change keys of a section or field: {update: ID, set: {title: ..., minutes: ...}}",
    "reorder": "put sections (or the fields of one section) in a new order: {reorder: [IDS], in: SECTION_ID}",
    "move": "move a field: {move: FIELD_ID, to: SECTION_ID, before: ID | after: ID}",
}
_EXTRA_KEYS: dict[str, frozenset[str]] = {
    "remove": frozenset(),
    "add_section": frozenset({"before", "after"}),
    "add_field": frozenset({"to", "before", "after"}),
    "replace": frozenset({"with"}),
    "update": frozenset({"set"}),
    "reorder": frozenset({"in"}),
    "move": frozenset({"to", "before", "after"}),
}


def apply_changes(merged: PosDict, changes: Any, child: PosDict) -> list[Problem]:
    """Apply ``changes`` to ``merged["sections"]`` in order; return a problem for each change that failed.

    A failed change is skipped and the others are still applied, so that every mistake is reported at once.
    """
    problems: list[Problem] = []
    if not isinstance(changes, list):
        mark, path = locate(child, ("changes",))
        return [_problem(mark, path, "'changes' must be a list of changes", "start each change with '- '")]
    sections = merged.get("sections")
    if not isinstance(sections, list):
        mark, path = locate(child, ("changes",))
        return [_problem(mark, path, "the parent template has no list of sections to change", None)]
    for index, change in enumerate(changes):
        mark, path = locate(child, ("changes", index))
        try:
            _apply_one(sections, change)
        except ChangeError as exc:
            if exc.key is not None and isinstance(change, PosDict) and exc.key in change.value_marks:
                mark = change.value_marks[exc.key]
            problems.append(_problem(mark, path, exc.message, exc.hint))
    return problems


def _problem(mark: Mark | None, path: str, message: str, hint: str | None) -> Problem:
    return problem_at(mark, path, message, hint, code="template.change")


def _apply_one(sections: list[Any], change: Any) -> None:
    if not isinstance(change, dict):
        raise ChangeError("a change must be a mapping such as {remove: ID}", _ops_hint())
    ops = [key for key in change if key in OPERATIONS]
    if len(ops) != 1:
        unknown = [key for key in change if key not in OPERATIONS and not _is_extra(key)]
        if unknown:
            close = difflib.get_close_matches(str(unknown[0]), list(OPERATIONS), n=1)
            hint = f"did you mean '{close[0]}'?" if close else _ops_hint()
            raise ChangeError(f"unknown change '{unknown[0]}'", hint)
        raise ChangeError("a change needs exactly one of " + ", ".join(OPERATIONS), _ops_hint())
    op = ops[0]
    extra = [key for key in change if key != op and key not in _EXTRA_KEYS[op]]
    if extra:
        allowed = ", ".join(sorted(_EXTRA_KEYS[op])) or "nothing else"
        raise ChangeError(f"'{op}' does not take '{extra[0]}'", f"it takes {allowed}", key=extra[0])
    if "before" in change and "after" in change:
        raise ChangeError("give 'before' or 'after', not both", key="after")
    _HANDLERS[op](sections, change)


def _is_extra(key: str) -> bool:
    return any(key in keys for keys in _EXTRA_KEYS.values())


def _ops_hint() -> str:
    return "changes: " + "; ".join(OPERATIONS.values())


# -- lookup -----------------------------------------------------------------------------------------
#
# Every operation looks up and checks everything it needs first, and changes ``sections`` only when all
# is well: a change that fails leaves the template as it was, so later changes still see every id.


_NO_SECTIONS = "the parent template has no sections"


def _section_ids(sections: list[Any]) -> list[str]:
    return [str(section.get("id")) for section in sections if isinstance(section, dict)]


def _field_ids(sections: list[Any]) -> list[str]:
    return [str(field.get("id")) for section in sections for field in _existing_fields(section)]


def _ids_in(items: list[Any]) -> list[str]:
    return [str(item.get("id")) for item in items if isinstance(item, dict)]


def _unknown(ident: object, message: str, candidates: list[str], otherwise: str, key: str) -> ChangeError:
    """An error for an id that names nothing: "did you mean" one of ``candidates``, or ``otherwise``."""
    close = difflib.get_close_matches(str(ident), candidates, n=1)
    return ChangeError(message, f"did you mean '{close[0]}'?" if close else otherwise, key=key)


def _listing(what: str, ids: list[str], empty: str) -> str:
    """``the sections are: a, b, c``, or ``empty`` when there are none."""
    return f"{what}: {', '.join(ids)}" if ids else empty


def _section_index(sections: list[Any], ident: object, key: str) -> int:
    for index, section in enumerate(sections):
        if isinstance(section, dict) and section.get("id") == ident:
            return index
    ids = _section_ids(sections)
    raise _unknown(ident, f"no section with id '{ident}'", ids, _listing("the sections are", ids, _NO_SECTIONS), key)


def _find(sections: list[Any], ident: object, key: str) -> tuple[list[Any], int]:
    """The list holding the section or field ``ident``, and its index there."""
    for index, section in enumerate(sections):
        if not isinstance(section, dict):
            continue
        if section.get("id") == ident:
            return sections, index
        for fi, field in enumerate(_existing_fields(section)):
            if isinstance(field, dict) and field.get("id") == ident:
                return section["fields"], fi
    raise _unknown(
        ident,
        f"no section or field with id '{ident}'",
        _section_ids(sections) + _field_ids(sections),
        "run 'musforms show' on the parent template to see the section and field ids",
        key,
    )


def _field_location(sections: list[Any], ident: object, key: str) -> tuple[int, int]:
    for si, section in enumerate(sections):
        for fi, field in enumerate(_existing_fields(section)):
            if isinstance(field, dict) and field.get("id") == ident:
                return si, fi
    raise _unknown(
        ident,
        f"no field with id '{ident}'",
        _field_ids(sections),
        "run 'musforms show' on the parent template to see the field ids",
        key,
    )


def _existing_fields(section: Any) -> list[Any]:
    """The fields of ``section`` (an empty list when it has none); changes nothing."""
    if not isinstance(section, dict):
        return []
    fields = section.get("fields")
    if fields is None:
        return []
    if not isinstance(fields, list):
        raise ChangeError(f"section '{section.get('id')}' has no list of fields")
    return fields


def _fields_for_insert(section: dict[str, Any]) -> list[Any]:
    """The fields of ``section``, created empty if it has none (only once the change is known to succeed)."""
    fields = _existing_fields(section)
    if "fields" not in section or section["fields"] is None:
        fields = PosList()
        section["fields"] = fields
    return fields


def _mapping(change: dict[str, Any], key: str) -> dict[str, Any]:
    value = change.get(key)
    if not isinstance(value, dict):
        raise ChangeError(f"'{key}' takes a mapping", key=key)
    return value


def _insert(target: list[Any], item: Any, index: int, mark: Mark | None) -> None:
    target.insert(index, item)
    if isinstance(target, PosList):
        target.item_marks.insert(index, mark)


def _pop(target: list[Any], index: int) -> tuple[Any, Mark | None]:
    item = target.pop(index)
    mark = None
    if isinstance(target, PosList) and index < len(target.item_marks):
        mark = target.item_marks.pop(index)
    return item, mark


def _position(target: list[Any], change: dict[str, Any], section: dict[str, Any] | None) -> int:
    """Where to insert into ``target``: before or after an id in it, or at its end.

    ``target`` is the list of sections when ``section`` is None, else the fields of ``section``.
    """
    for key, offset in (("before", 0), ("after", 1)):
        if key in change:
            ident = change[key]
            for index, item in enumerate(target):
                if isinstance(item, dict) and item.get("id") == ident:
                    return index + offset
            ids = _ids_in(target)
            if section is None:
                hint = _listing("the sections are", ids, _NO_SECTIONS)
                raise _unknown(ident, f"no section with id '{ident}'", ids, hint, key)
            name = section.get("id")
            hint = _listing(f"the fields of section '{name}' are", ids, f"section '{name}' has no fields")
            raise _unknown(ident, f"no field with id '{ident}' in section '{name}'", ids, hint, key)
    return len(target)


def _value_mark(change: dict[str, Any], key: str) -> Mark | None:
    return change.value_marks.get(key) if isinstance(change, PosDict) else None


# -- operations -------------------------------------------------------------------------------------


def _remove(sections: list[Any], change: dict[str, Any]) -> None:
    target, index = _find(sections, change["remove"], "remove")
    _pop(target, index)


def _add_section(sections: list[Any], change: dict[str, Any]) -> None:
    section = _mapping(change, "add_section")
    position = _position(sections, change, None)
    _insert(sections, section, position, _value_mark(change, "add_section"))


def _add_field(sections: list[Any], change: dict[str, Any]) -> None:
    field = _mapping(change, "add_field")
    if "to" in change:
        section = sections[_section_index(sections, change["to"], "to")]
    elif "before" in change or "after" in change:
        ref_key = "before" if "before" in change else "after"
        si, _fi = _field_location(sections, change[ref_key], ref_key)
        section = sections[si]
    else:
        raise ChangeError("'add_field' needs 'to: SECTION_ID' (or before/after a field)")
    position = _position(_existing_fields(section), change, section)
    _insert(_fields_for_insert(section), field, position, _value_mark(change, "add_field"))


def _replace(sections: list[Any], change: dict[str, Any]) -> None:
    target, index = _find(sections, change["replace"], "replace")
    if "with" not in change:
        raise ChangeError("'replace' needs 'with: {...}'")
    replacement = _mapping(change, "with")
    _pop(target, index)
    _insert(target, replacement, index, _value_mark(change, "with"))


def _update(sections: list[Any], change: dict[str, Any]) -> None:
    target, index = _find(sections, change["update"], "update")
    if "set" not in change:
        raise ChangeError("'update' needs 'set: {key: value, ...}'")
    updates = _mapping(change, "set")
    item = target[index]
    for key, value in updates.items():
        item[key] = value
        if isinstance(item, PosDict):
            for marks, item_marks in (
                (getattr(updates, "key_marks", {}), item.key_marks),
                (getattr(updates, "value_marks", {}), item.value_marks),
            ):
                if key in marks:
                    item_marks[key] = marks[key]
                else:
                    item_marks.pop(key, None)


def _reorder(sections: list[Any], change: dict[str, Any]) -> None:
    order = change["reorder"]
    if not isinstance(order, list) or not all(isinstance(i, str) for i in order):
        raise ChangeError("'reorder' takes a list of ids", key="reorder")
    if "in" in change:
        section = sections[_section_index(sections, change["in"], "in")]
        target = _existing_fields(section)
        what = f"fields of section '{change['in']}'"
    else:
        target = sections
        what = "sections"
    current = [item.get("id") if isinstance(item, dict) else None for item in target]
    missing = [i for i in current if i not in order]
    unknown = [i for i in order if i not in current]
    if unknown:
        ids = [str(i) for i in current]
        if target is sections:
            message = f"no section with id '{unknown[0]}'"
            hint = _listing("the sections are", ids, _NO_SECTIONS)
        else:
            message = f"no field with id '{unknown[0]}' in section '{change['in']}'"
            hint = _listing(f"the {what} are", ids, f"section '{change['in']}' has no fields")
        raise _unknown(unknown[0], message, ids, hint, "reorder")
    if missing or len(set(order)) != len(order):
        raise ChangeError(
            f"'reorder' must list each of the {what} exactly once",
            f"missing: {', '.join(map(str, missing))}" if missing else "an id is listed twice",
            key="reorder",
        )
    pairs = [_pop(target, 0) for _ in range(len(target))]
    by_id = {item.get("id"): (item, mark) for item, mark in pairs}
    for position, ident in enumerate(order):
        item, mark = by_id[ident]
        _insert(target, item, position, mark)


def _move(sections: list[Any], change: dict[str, Any]) -> None:
    ident = change["move"]
    si, fi = _field_location(sections, ident, "move")
    source = _existing_fields(sections[si])
    destination = sections[_section_index(sections, change["to"], "to")] if "to" in change else sections[si]
    for key in ("before", "after"):
        if change.get(key) == ident:
            raise ChangeError(f"a field cannot be moved {key} itself", key=key)
    existing = _existing_fields(destination)
    # The place is counted among the destination's fields without the one that moves.
    remaining = [field for index, field in enumerate(existing) if not (existing is source and index == fi)]
    position = _position(remaining, change, destination)
    field, mark = _pop(source, fi)
    _insert(_fields_for_insert(destination), field, position, mark)


_HANDLERS = {
    "remove": _remove,
    "add_section": _add_section,
    "add_field": _add_field,
    "replace": _replace,
    "update": _update,
    "reorder": _reorder,
    "move": _move,
}
