"""The company's templates in the database: storing a new version, and finding one for musforms."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

import musforms

from .models import StoredTemplate

__all__ = ["DatabaseTemplates", "TemplateExistsError", "store_template"]


class TemplateExistsError(Exception):
    """The version of the template is stored already: a changed template needs a new ``version``."""


class DatabaseTemplates:
    """Every version of every template in the ``templates`` table: a :class:`musforms.TemplateLookup`.

    Given as ``templates=`` to ``musforms.parse``, ``compare`` and ``render_talk``, it gives each form the
    version of the template the form was made from; ``find(template_id)`` without a version is the newest
    version stored, the one new forms are made from. A stored template may extend another stored one
    (``extends: acme-base@1``). Templates are loaded once per lookup (one per request).
    """

    def __init__(self, session: Session) -> None:
        self._session = session
        self._loaded: dict[int, musforms.Template] = {}

    def row(self, template_id: str, version: str | None = None) -> StoredTemplate | None:
        """The stored row of a template's version (without one, its newest version), or None."""
        query = select(StoredTemplate).where(StoredTemplate.template_id == template_id)
        if version is not None:
            query = query.where(StoredTemplate.version == version)
        return self._session.scalars(query.order_by(StoredTemplate.row_id.desc()).limit(1)).first()

    def rows(self, template_id: str) -> list[StoredTemplate]:
        """The stored versions of a template, oldest first."""
        query = select(StoredTemplate).where(StoredTemplate.template_id == template_id)
        return list(self._session.scalars(query.order_by(StoredTemplate.row_id)))

    def find(self, template_id: str, version: str | None = None) -> musforms.Template | None:
        """The template ``template_id`` at ``version`` (the newest without one), or None when it is not stored."""
        row = self.row(template_id, version)
        if row is None:
            return None
        if row.row_id not in self._loaded:
            self._loaded[row.row_id] = self.load(
                row.source, f"{row.template_id}@{row.version}", row.logo_name, row.logo
            )
        return self._loaded[row.row_id]

    def versions(self, template_id: str) -> tuple[str, ...]:
        """The versions of a template stored, oldest first (musforms names them when a form's is not among them)."""
        return tuple(row.version for row in self.rows(template_id))

    def load(self, source: str, name: str, logo_name: str | None, logo: bytes | None) -> musforms.Template:
        """The template of a YAML ``source`` whose ``company.logo`` is ``logo_name``, with the logo's bytes; it
        may extend a built-in template or a stored one. ``name`` names it in the messages of a ``TemplateError``."""
        logos = {logo_name: logo} if logo_name is not None and logo is not None else None
        return musforms.load_template_text(source, name=name, templates=self, logos=logos)


def store_template(
    session: Session, source: str, *, name: str, logo_name: str | None, logo: bytes | None
) -> StoredTemplate:
    """Check a template's YAML (with its logo) and store it as a new version beside the ones stored.

    The template must load (a ``musforms.TemplateError`` says where it is wrong, in the file ``name``); its id
    and version must not be stored yet (``TemplateExistsError``).
    """
    templates = DatabaseTemplates(session)
    template = templates.load(source, name, logo_name, logo)
    if templates.row(template.id, template.version) is not None:
        raise TemplateExistsError(f"{template.id} version {template.version} is stored already")
    row = StoredTemplate(
        template_id=template.id,
        version=template.version,
        fingerprint=template.fingerprint,
        source=source,
        logo_name=logo_name,
        logo=logo,
    )
    session.add(row)
    session.flush()
    return row
