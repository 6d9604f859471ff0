"""The custom document properties of a file, read through the safe reader: what collect uses to tell a
musforms document that is not a form (an invitation letter, a talk form) from a file it cannot read."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from pathlib import Path

import pytest

import musforms
from musforms._core.identity import write_custom_properties
from musforms._core.limits import Limits
from musforms._core.safety import file_custom_properties
from musforms._workflows.collect import collect
from musforms.errors import (
    DamagedFileError,
    MacroError,
    NotAFormError,
    ParseError,
    TooLargeError,
    XmlEntitiesError,
)

CONTEXT = {"employee": {"id": "E-1", "name": "Ida"}}


def package(parts: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", b'<?xml version="1.0"?><Types/>')
        archive.writestr("word/document.xml", b'<?xml version="1.0"?><document/>')
        for name, data in parts.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def test_a_form_s_properties_hold_its_identity() -> None:
    properties = file_custom_properties(musforms.render("mus-soft-da", "docx", role="employee", context=CONTEXT))
    assert properties["musforms.template_id"] == "mus-soft-da" and properties["musforms.subject_id"] == "E-1"


def test_an_invitation_letter_says_what_it_is(tmp_path: Path) -> None:
    path = tmp_path / "letter.docx"
    path.write_bytes(package({"docProps/custom.xml": write_custom_properties({"musforms.document": "invitation"})}))
    assert file_custom_properties(path) == {"musforms.document": "invitation"}


def test_a_package_without_custom_properties_has_none() -> None:
    assert file_custom_properties(package({})) == {}


_DOCTYPE = b'<?xml version="1.0"?><!DOCTYPE p [<!ENTITY e "x">]><Properties>&e;</Properties>'


@pytest.mark.parametrize(
    ("data", "error"),
    [
        (b"%PDF-1.7\n" + b"\0" * 100, NotAFormError),
        (b"", NotAFormError),
        (package({"docProps/custom.xml": _DOCTYPE}), XmlEntitiesError),
        (package({"docProps/custom.xml": b"<Properties><property"}), DamagedFileError),
        (package({"docProps/custom.xml": b"<p/>", "word/vbaProject.bin": b"\0"}), MacroError),
        (package({"docProps/custom.xml": b"<p>" + b" " * 200_000 + b"</p>"}), TooLargeError),
    ],
    ids=["pdf", "empty", "doctype", "damaged-xml", "macros", "too-large"],
)
def test_what_the_safe_reader_refuses_is_refused_here_too(data: bytes, error: type[ParseError]) -> None:
    with pytest.raises(error):
        file_custom_properties(data, Limits(max_part_bytes=100_000))


def test_collect_skips_letters_and_reports_what_it_cannot_read(tmp_path: Path) -> None:
    letter = write_custom_properties({"musforms.document": "invitation"})
    (tmp_path / "letter.docx").write_bytes(package({"docProps/custom.xml": letter}))
    # The same letter, but its properties declare a document type: refused, as when a form is parsed.
    hostile = _DOCTYPE.replace(b"&e;", letter.split(b"?>", 1)[1])
    (tmp_path / "hostile.docx").write_bytes(package({"docProps/custom.xml": hostile}))
    (tmp_path / "macros.docx").write_bytes(package({"docProps/custom.xml": letter, "word/vbaProject.bin": b"\0"}))
    collection = collect(tmp_path, today=dt.date(2030, 1, 1))
    by_name = {Path(f.path).name: f for f in collection.files}
    assert by_name["letter.docx"].skipped == "a musforms invitation, not a form"
    assert by_name["hostile.docx"].skipped is None and by_name["hostile.docx"].error_code == "parse.xml_entities"
    assert by_name["macros.docx"].skipped is None and by_name["macros.docx"].error_code == "parse.macro"
