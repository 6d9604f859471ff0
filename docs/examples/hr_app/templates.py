"""The company's templates in the database: storing a new version, and finding one for musforms."""

from __future__ import annotations

import tempfile
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

import musforms

from .models import StoredTemplate

__all__ = ["DatabaseTemplates", "TemplateExistsError", "load_stored", "store_template"]


class TemplateExistsError(Exception):
    """The version of the template is stored already: a changed template needs a new ``version``."""


def load_stored(source: str, logo_name: str | None, logo: bytes | None) -> musforms.Template:
    """The template of a YAML ``source`` whose ``company.logo`` is ``logo_name``, with the logo's bytes."""
    folder = tempfile.mkdtemp()  # INTERIM until load_template_text(logos=...) lands
    if logo_name is not None and logo is not None:
        (Path(folder) / Path(logo_name).name).write_bytes(logo)
    return musforms.load_template_text(source, name="template.yaml", base_dir=folder)


class DatabaseTemplates:
    """Every version of every template in the ``templates`` table, for parsing and comparing forms.

    ``find(template_id, version)`` is the version a form was made from; without a version, the newest
    stored version. Templates are loaded once per lookup.
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

    def find(self, template_id: str, version: str | None = None) -> musforms.Template | None:
        """The template ``template_id`` at ``version`` (the newest without one), or None when it is not stored."""
        row = self.row(template_id, version)
        if row is None:
            return None
        if row.row_id not in self._loaded:
            self._loaded[row.row_id] = load_stored(row.source, row.logo_name, row.logo)
        return self._loaded[row.row_id]

    def versions(self, template_id: str) -> list[StoredTemplate]:
        """The stored versions of a template, oldest first."""
        query = select(StoredTemplate).where(StoredTemplate.template_id == template_id)
        return list(self._session.scalars(query.order_by(StoredTemplate.row_id)))


def store_template(session: Session, source: str, logo_name: str | None, logo: bytes | None) -> StoredTemplate:
    """Check a template's YAML (with its logo) and store it as a new version beside the ones stored.

    The template must load (a ``TemplateError`` says where it is wrong); its id and version must not be
    stored yet (``TemplateExistsError``).
    """
    template = load_stored(source, logo_name, logo)
    if DatabaseTemplates(session).row(template.id, template.version) is not None:
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
