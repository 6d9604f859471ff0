"""A signature's label, captions and boxes stay on one page in every Word form (split by a page break,
LibreOffice 7.4 could lose the boxes' row and end its process when a person typed into them)."""

from __future__ import annotations

import io
import zipfile

import pytest
from lxml import etree

import musforms

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
CONTEXT = {"employee": {"id": "E-1", "name": "Mette Sørensen"}, "manager": {"name": "Lars Holm"}}


def _signature_tables(data: bytes) -> list[etree._Element]:
    body = etree.fromstring(zipfile.ZipFile(io.BytesIO(data)).read("word/document.xml"))
    return [
        table
        for table in body.iter(f"{W}tbl")
        if any("sign" in (tag.get(f"{W}val") or "") for tag in table.iter(f"{W}tag"))
        and len(table.findall(f"{W}tr")) == 3
    ]


@pytest.mark.parametrize("template_id", [info.id for info in musforms.list_templates()])
@pytest.mark.parametrize("role", ["employee", "manager"])
def test_every_signature_is_kept_on_one_page(template_id: str, role: musforms.Role) -> None:
    template = musforms.load_template(template_id)
    if not any(isinstance(f, musforms.SignatureField) for f in template.answer_fields(role)):
        pytest.skip(f"{template_id} asks the {role} for no signature")
    tables = _signature_tables(musforms.render(template, "docx", role=role, context=CONTEXT))
    assert tables, "no signature table found"
    for table in tables:
        rows = table.findall(f"{W}tr")
        for row in rows[:-1]:
            paragraphs = list(row.iter(f"{W}p"))
            assert paragraphs and all(p.find(f"{W}pPr/{W}keepNext") is not None for p in paragraphs)
        assert all(row.find(f"{W}trPr/{W}cantSplit") is not None for row in rows)
