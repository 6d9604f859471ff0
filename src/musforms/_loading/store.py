"""The templates a caller gives, several versions of one id side by side: the :class:`TemplateLookup` protocol an
application implements over its own storage, the in-memory :class:`TemplateStore`, and the one way every
function that takes ``templates=`` finds the template a form was made from."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping
from typing import Protocol, TypeAlias, runtime_checkable

from musforms._model.template import Template
from musforms.errors import TemplateConflictError

__all__ = [
    "GivenTemplates",
    "TemplateLookup",
    "TemplateStore",
    "find_given",
    "given_versions",
    "matching_template",
    "template_lookup",
]


@runtime_checkable
class TemplateLookup(Protocol):
    """Where the templates an application keeps are found, by id and version (a database, a content store).

    ``find(template_id, version)`` returns the template of that id and version, or None when there is none;
    with ``version`` None, the current one of that id (the one new forms are made from). Anything with such a
    ``find`` method can be given as ``templates=`` to :func:`musforms.parse`, :func:`musforms.collect`,
    :func:`musforms.compare`, :func:`musforms.render_talk` and :func:`musforms.redact`, and to
    :func:`musforms.load_template` for ``extends``. A form's template is only ever looked up by the id and
    version its identity names, and used only when its fingerprint matches.
    """

    def find(self, template_id: str, version: str | None = None) -> Template | None:
        """The template of ``template_id`` and ``version`` (None: the current version), or None."""
        ...


class TemplateStore:
    """Templates in memory, several versions of one id side by side: a :class:`TemplateLookup`.

    ``find(id)`` without a version is the version of that id added last. Iterating gives every template (every
    version), in the order added; ``len`` counts them; ``in`` asks about an id. Adding a template of an id and
    version already held with other content raises :class:`~musforms.TemplateConflictError`; adding the same
    template again changes nothing. A store can be pickled (sent to :func:`musforms.collect`'s workers).
    """

    def __init__(self, templates: Iterable[Template] = ()) -> None:
        self._by_id: dict[str, dict[str, Template]] = {}
        self._latest: dict[str, str] = {}
        for template in templates:
            self.add(template)

    def add(self, template: Template) -> None:
        """Keep ``template`` beside the other versions of its id; it becomes the current version of its id."""
        if not isinstance(template, Template):
            raise TypeError(f"a TemplateStore holds templates, not {type(template).__name__}")
        versions = self._by_id.setdefault(template.id, {})
        held = versions.get(template.version)
        if held is not None and held.fingerprint != template.fingerprint:
            raise TemplateConflictError(
                f"two different templates '{template.id}' version {template.version} were given "
                f"({held.fingerprint} and {template.fingerprint}); a template changed after forms were made "
                "from it needs a new version"
            )
        if held is None:
            versions[template.version] = template
        self._latest[template.id] = template.version

    def find(self, template_id: str, version: str | None = None) -> Template | None:
        """The template of ``template_id`` and ``version``; without a version, the one of that id added last."""
        versions = self._by_id.get(template_id)
        if versions is None:
            return None
        return versions.get(self._latest[template_id] if version is None else version)

    def versions(self, template_id: str) -> tuple[str, ...]:
        """The versions of ``template_id`` held, in the order added (empty when there is none)."""
        return tuple(self._by_id.get(template_id, {}))

    def ids(self) -> tuple[str, ...]:
        """The template ids held, in the order first added."""
        return tuple(self._by_id)

    def __iter__(self) -> Iterator[Template]:
        for versions in self._by_id.values():
            yield from versions.values()

    def __len__(self) -> int:
        return sum(len(versions) for versions in self._by_id.values())

    def __contains__(self, template_id: object) -> bool:
        return template_id in self._by_id

    def __repr__(self) -> str:
        held = ", ".join(f"{i} {'/'.join(v)}" for i, v in self._by_id.items())
        return f"TemplateStore({held})"


GivenTemplates: TypeAlias = Iterable[Template] | Mapping[str, Template] | TemplateLookup | None
"""What ``templates=`` takes: templates (every version kept), a mapping of them by id, or a lookup."""


def template_lookup(templates: GivenTemplates) -> TemplateLookup | None:
    """The templates a caller gave as one lookup (None: none given). A mapping's values and an iterable's items
    go into a :class:`TemplateStore`, every version kept; a lookup is used as it is."""
    if templates is None:
        return None
    if isinstance(templates, TemplateStore):
        return templates
    if isinstance(templates, Mapping):
        return TemplateStore(templates.values())
    if isinstance(templates, TemplateLookup) and not isinstance(templates, str):
        return templates
    return TemplateStore(templates)


_ID = re.compile(r"[a-z0-9][a-z0-9_.-]{0,63}")
_VERSION = re.compile(r"\d+(\.\d+){0,2}")


def find_given(lookup: TemplateLookup, template_id: str, version: str | None = None) -> Template | None:
    """``lookup.find``, asked only about an id and version that could be a template's: a form's identity comes
    from an untrusted file (and a template's ``extends`` from its author), and a lookup may query a database;
    anything else is found nowhere."""
    if not _ID.fullmatch(template_id) or (
        version is not None and (len(version) > 20 or not _VERSION.fullmatch(version))
    ):
        return None
    return lookup.find(template_id, version)


def matching_template(lookup: TemplateLookup, template_id: str, version: str, fingerprint: str) -> Template | None:
    """The template a form names: of its id and version, with its fingerprint (the hash of the content the form
    was made from); None when ``lookup`` has no such template."""
    found = find_given(lookup, template_id, version)
    if found is None or (found.id, found.version, found.fingerprint) != (template_id, version, fingerprint):
        return None
    return found


def given_versions(lookup: TemplateLookup, template_id: str) -> tuple[str, ...]:
    """The versions of ``template_id`` a lookup holds, as far as it tells: all of them when it has a
    ``versions`` method (as :class:`TemplateStore` has), else its current one."""
    if not _ID.fullmatch(template_id):
        return ()
    versions = getattr(lookup, "versions", None)
    if callable(versions):
        listed = versions(template_id)
        if isinstance(listed, Iterable) and not isinstance(listed, str):
            return tuple(str(v) for v in listed)
    current = lookup.find(template_id)
    return (current.version,) if current is not None else ()
