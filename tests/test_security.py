"""Hostile files and templates: each gives its own clear musforms error, fast, in bounded memory, and none reads
a local file or touches the network. Also: signed identities, redaction, and messages without personal data.

The hostile files are made by ``tests/data/hostile/corpus.py`` (run it to write them to a folder).
"""

from __future__ import annotations

import gc
import io
import json
import os
import re
import socket
import threading
import time
import tracemalloc
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from lxml import etree

import musforms
from musforms import IdentityError, Limits, MusformsError, NotAFormError, ParseError, parse, redact, render
from musforms._cli.main import main
from musforms._core.safexml import safe_parser
from musforms._core.signing import sign_identity
from musforms._model.context import SAMPLE_CONTEXT
from musforms._text.checks import text_problems
from musforms._text.sandbox import render_text
from musforms.errors import (
    DamagedFileError,
    EncryptedError,
    MacroError,
    SigningKeyError,
    TemplateError,
    TextRenderError,
    TooDeepError,
    TooLargeError,
    XmlEntitiesError,
    ZipBombError,
)

from .data.hostile import corpus as hostile
from .test_self_describing import without_embedded_template

TIME_LIMIT = 2.0
"""Seconds a hostile input may take."""
MEMORY_LIMIT = 100 * 1024 * 1024
"""Peak memory (tracemalloc) a hostile input may take."""


def refused(data: bytes | Path, **kwargs: Any) -> MusformsError:
    """The musforms error parsing ``data`` gives, checked to come within the time and memory limits."""
    tracemalloc.start()
    started = time.perf_counter()
    try:
        parse(data, **kwargs)
    except MusformsError as exc:
        error = exc
    else:
        raise AssertionError("the hostile file was accepted")
    finally:
        elapsed = time.perf_counter() - started
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
    assert elapsed < TIME_LIMIT, f"took {elapsed:.2f} s"
    assert peak < MEMORY_LIMIT, f"peak memory {peak / 1e6:.0f} MB"
    assert "Traceback" not in str(error) and error.__cause__ is None
    return error


@pytest.fixture
def secret(tmp_path: Path) -> Path:
    path = tmp_path / "secret.txt"
    path.write_text(hostile.SECRET_TEXT, encoding="utf-8")
    return path


class _Listener:
    """A TCP server on 127.0.0.1 that counts the connections made to it (there must be none)."""

    def __init__(self) -> None:
        self.server = socket.create_server(("127.0.0.1", 0))
        self.server.settimeout(0.05)
        self.url = f"http://127.0.0.1:{self.server.getsockname()[1]}"
        self.connections = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    def _serve(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self.server.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            self.connections += 1
            conn.close()

    def close(self) -> None:
        self._stop.set()
        self._thread.join()
        self.server.close()


@pytest.fixture
def listener() -> Iterator[_Listener]:
    server = _Listener()
    yield server
    server.close()


@pytest.fixture
def no_python_network(monkeypatch: pytest.MonkeyPatch) -> None:
    """Any socket opened from Python fails the test (libxml2's own are caught by the listener)."""

    def refuse(*args: Any, **kwargs: Any) -> None:
        raise AssertionError("musforms opened a network socket")

    monkeypatch.setattr(socket, "socket", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)


# -- the hostile corpus ---------------------------------------------------------------------------------------

HOSTILE: list[tuple[str, Callable[[], bytes], type[MusformsError], str, str]] = [
    ("zip bomb (3 GB of zeros in 3 MB)", hostile.zip_bomb, ZipBombError, "parse.zip_bomb", "a zip bomb"),
    ("zip bomb with a lying size", hostile.zip_bomb_lying, DamagedFileError, "parse.damaged", "checksum"),
    ("overlapping zip bomb", hostile.zip_bomb_overlapping, ZipBombError, "parse.zip_bomb", "a zip bomb"),
    ("6,000 parts", hostile.too_many_parts, TooLargeError, "parse.too_large", "more than 5,000 parts"),
    ("billion laughs", hostile.billion_laughs, XmlEntitiesError, "parse.xml_entities", "billion laughs"),
    (
        "billion laughs in the properties",
        lambda: hostile.billion_laughs("docProps/custom.xml"),
        XmlEntitiesError,
        "parse.xml_entities",
        "docProps/custom.xml",
    ),
    ("UTF-16 DOCTYPE", hostile.doctype_utf16, XmlEntitiesError, "parse.xml_entities", "document type"),
    ("UTF-7 XML", hostile.odd_encoding, DamagedFileError, "parse.damaged", "encoding 'utf-7'"),
    ("100,000 deep", hostile.deep_xml, TooDeepError, "parse.too_deep", "more than 256 deep"),
    (
        "100,000 deep properties",
        lambda: hostile.deep_xml(100_000, "docProps/custom.xml"),
        TooDeepError,
        "parse.too_deep",
        "docProps/custom.xml",
    ),
    ("macro .docm", hostile.macro_docm, MacroError, "parse.macro", "macro-enabled Word file (.docm)"),
    ("macro .xlsm", hostile.macro_xlsm_content_type, MacroError, "parse.macro", "macro-enabled Excel file (.xlsm)"),
    ("encrypted .docx", hostile.encrypted_docx, EncryptedError, "parse.encrypted", "encrypted (password-protected)"),
    ("encrypted zip", hostile.encrypted_zip_member, EncryptedError, "parse.encrypted", "password-protected"),
    ("LZMA part", hostile.unusual_compression, DamagedFileError, "parse.damaged", "compression"),
    ("truncated", hostile.truncated, DamagedFileError, "parse.damaged", "damaged"),
]


@pytest.mark.parametrize(
    ("make", "error_type", "code", "message"),
    [case[1:] for case in HOSTILE],
    ids=[case[0] for case in HOSTILE],
)
def test_hostile_file(make: Callable[[], bytes], error_type: type[MusformsError], code: str, message: str) -> None:
    error = refused(make())
    assert type(error) is error_type and error.code == code and isinstance(error, ParseError)
    assert message in str(error)


@pytest.mark.parametrize(("kind", "make", "what"), [(k, *v) for k, v in hostile.WRONG_KINDS.items()])
def test_wrong_kind_is_named(kind: str, make: Callable[[], bytes], what: str) -> None:
    error = refused(make())
    assert isinstance(error, NotAFormError) and error.code == "parse.not_a_form", kind
    assert what in str(error)


def test_encrypted_is_told_apart_from_an_old_binary_file() -> None:
    assert isinstance(refused(hostile.encrypted_docx()), EncryptedError)
    doc = refused(hostile.old_doc())
    assert not isinstance(doc, EncryptedError) and ".doc" in str(doc) and "encrypted" not in str(doc)


def test_the_zip_bomb_is_small_and_would_be_huge() -> None:
    data = hostile.zip_bomb()
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert archive.getinfo("word/document.xml").file_size == 3 << 30
    assert len(data) < 4_000_000


def test_a_lying_zip_size_is_never_inflated_past_it() -> None:
    """The part says 2 KB and would inflate to 1 GB: at most the declared size is unpacked."""
    tracemalloc.start()
    try:
        refused(hostile.zip_bomb_lying())
        assert tracemalloc.get_traced_memory()[1] < 20 * 1024 * 1024
    finally:
        tracemalloc.stop()


# -- no local file, no network -----------------------------------------------------------------------------------


@pytest.mark.parametrize("part", ["word/document.xml", "docProps/custom.xml"])
def test_xxe_to_a_local_file_is_refused_and_never_read(secret: Path, part: str) -> None:
    error = refused(hostile.xxe_local_file(secret, part))
    assert isinstance(error, XmlEntitiesError) and error.code == "parse.xml_entities"
    assert hostile.SECRET_TEXT not in str(error) and str(secret) not in str(error)


def test_the_parser_itself_never_expands_an_external_entity(secret: Path) -> None:
    """Second line of defence: even past the DOCTYPE check, the parser leaves ``&xxe;`` unexpanded."""
    xml = hostile._part(hostile.xxe_local_file(secret), "word/document.xml")
    root = etree.fromstring(xml, safe_parser())
    assert hostile.SECRET_TEXT not in etree.tostring(root, encoding="unicode")
    assert hostile.SECRET_TEXT not in "".join(root.itertext())


def test_the_parser_itself_refuses_billion_laughs_fast() -> None:
    xml = hostile._part(hostile.billion_laughs(), "word/document.xml")
    started = time.perf_counter()
    try:
        root = etree.fromstring(xml, safe_parser())
    except etree.XMLSyntaxError:
        pass  # libxml2 refuses the amplification
    else:
        assert len(etree.tostring(root)) < 10 * len(xml)  # or leaves the entities unexpanded
    assert time.perf_counter() - started < 0.5


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs named pipes (POSIX)")
def test_xxe_never_opens_the_file(tmp_path: Path) -> None:
    """The "secret" is a named pipe: opening it for reading would block until a writer comes, so parsing in
    bounded time proves that neither musforms nor libxml2 ever opened it."""
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    data = hostile.xxe_local_file(fifo)
    xml = hostile._part(data, "word/document.xml")
    outcome: list[object] = []

    def work() -> None:
        try:
            parse(data)
        except MusformsError as exc:
            outcome.append(exc)
        etree.fromstring(xml, safe_parser())  # the parser alone, past the DOCTYPE check
        outcome.append("parser done")

    worker = threading.Thread(target=work, daemon=True)
    worker.start()
    worker.join(TIME_LIMIT)
    if worker.is_alive():  # unblock it before failing, so that the test run can end
        with open(fifo, "wb"):  # noqa: PTH123
            pass
        raise AssertionError("parsing opened the local file named by the entity")
    assert isinstance(outcome[0], XmlEntitiesError) and outcome[1] == "parser done"


def test_external_dtd_over_http_never_touches_the_network(listener: _Listener, no_python_network: None) -> None:
    error = refused(hostile.external_dtd(listener.url))
    assert isinstance(error, XmlEntitiesError)
    xml = hostile._part(hostile.external_dtd(listener.url), "word/document.xml")
    with pytest.raises(etree.XMLSyntaxError):  # the parser alone: the DTD is not fetched, &remote; unknown
        etree.fromstring(xml, safe_parser())
    time.sleep(0.1)
    assert listener.connections == 0


def test_out_of_band_xxe_never_touches_the_network(secret: Path, listener: _Listener, no_python_network: None) -> None:
    data = hostile.xxe_parameter_entity(secret, listener.url)
    error = refused(data)
    assert isinstance(error, XmlEntitiesError) and hostile.SECRET_TEXT not in str(error)
    xml = hostile._part(data, "word/document.xml")
    with pytest.raises(etree.XMLSyntaxError) as caught:  # %send; is never declared: the DTD was not fetched
        etree.fromstring(xml, safe_parser())
    assert hostile.SECRET_TEXT not in str(caught.value)
    time.sleep(0.1)
    assert listener.connections == 0


def test_nothing_in_the_corpus_reads_the_secret_or_raises_a_foreign_error(secret: Path, listener: _Listener) -> None:
    for name, data in hostile.corpus(secret).items():
        result: object
        try:
            result = parse(data)
        except MusformsError as exc:
            result = exc
        except Exception as exc:
            raise AssertionError(f"{name}: {type(exc).__name__}: {exc}") from exc
        if isinstance(result, MusformsError):
            assert result.code.startswith("parse."), name
        text = str(result) if isinstance(result, MusformsError) else result.model_dump_json()  # type: ignore[attr-defined]
        assert hostile.SECRET_TEXT not in text, name
    assert listener.connections == 0


# -- limits ----------------------------------------------------------------------------------------------------------


def test_default_limits() -> None:
    limits = Limits()
    assert limits.max_file_bytes == 32 * 1024 * 1024
    assert limits.max_part_bytes == 16 * 1024 * 1024
    assert limits.max_total_bytes == 256 * 1024 * 1024
    assert (limits.max_parts, limits.max_ratio, limits.ratio_floor_bytes) == (5_000, 200, 1024 * 1024)
    assert limits.max_xml_depth == 256


@pytest.mark.parametrize(
    ("limits", "error_type", "message"),
    [
        (Limits(max_file_bytes=10_000), TooLargeError, "; at most 10 KB is read"),
        (Limits(max_part_bytes=50_000), TooLargeError, "the part word/document.xml unpacks to"),
        (Limits(max_total_bytes=100_000), TooLargeError, "the package unpacks to"),
        (Limits(max_parts=5), TooLargeError, "more than 5 parts"),
        (Limits(max_ratio=2, ratio_floor_bytes=0), ZipBombError, "a zip bomb"),
        (Limits(max_xml_depth=8), TooDeepError, "more than 8 deep"),
    ],
)
def test_each_limit_is_configurable(limits: Limits, error_type: type[MusformsError], message: str) -> None:
    error = refused(hostile.form(), limits=limits)
    assert type(error) is error_type and message in str(error)


def test_the_entries_are_counted_where_zipfile_will_read_them() -> None:
    from musforms._core.safezip import _directory_span

    form = hostile.form()
    start, end = _directory_span(form)
    with zipfile.ZipFile(io.BytesIO(form)) as archive:
        assert form.count(b"PK\x01\x02", start, end) == len(archive.infolist())
    assert end == form.rindex(b"PK\x05\x06") and end - start < 4096
    assert _directory_span(b"not a zip") == (0, 9)
    zip64 = form[:end] + b"PK\x06\x07" + bytes(16) + form[end:]  # a zip64 locator before the end record
    assert _directory_span(zip64) == (0, len(zip64))
    # A package with more parts than allowed is refused (the count in the span sees them all).
    many = io.BytesIO()
    with zipfile.ZipFile(many, "w") as archive:
        for number in range(40):
            archive.writestr(f"word/part{number}.xml", "<a/>")
    error = refused(many.getvalue(), limits=Limits(max_parts=10))
    assert isinstance(error, TooLargeError) and "more than 10 parts" in str(error)


def test_generous_limits_read_the_form() -> None:
    limits = Limits(max_xml_depth=40, max_file_bytes=1_000_000)
    assert parse(hostile.form(), limits=limits).answers["rate_quality"] == 3


@pytest.mark.parametrize(
    "bad", [{"max_file_bytes": 0}, {"max_xml_depth": 257}, {"max_xml_depth": 0}, {"ratio_floor_bytes": -1}]
)
def test_impossible_limits_are_refused(bad: dict[str, int]) -> None:
    with pytest.raises(ValueError, match="Limits"):
        Limits(**bad)


def test_libxml2_nesting_limit_is_256() -> None:
    """musforms relies on libxml2 refusing XML nested deeper than 256 (without huge_tree): checked here, so an
    upgrade that changes it is noticed."""
    etree.fromstring(b"<a>" * 256 + b"</a>" * 256, safe_parser())
    with pytest.raises(etree.XMLSyntaxError, match="depth"):
        etree.fromstring(b"<a>" * 257 + b"</a>" * 257, safe_parser())


def test_a_large_file_on_disk_is_not_read(tmp_path: Path) -> None:
    big = tmp_path / "big.docx"
    with big.open("wb") as handle:  # a sparse file: large, but costs nothing
        handle.write(b"PK\x03\x04")
        handle.truncate(5 * 1024**3)
    error = refused(big)
    assert isinstance(error, TooLargeError) and "5.0 GB" in str(error)


def test_a_folder_and_a_text_stream_are_musforms_errors(tmp_path: Path) -> None:
    assert "is a folder" in str(refused(tmp_path))
    with pytest.raises(ParseError, match="open the file with 'rb'"):
        parse(io.StringIO("text"))  # type: ignore[arg-type]


# -- one error model ---------------------------------------------------------------------------------------------------


def test_bad_data_inside_a_reader_becomes_a_damaged_file_error(monkeypatch: pytest.MonkeyPatch) -> None:
    """A ValueError while reading untrusted content becomes parse.damaged, naming the part and the code, not
    the content."""
    import musforms._formats.docx.parse as docx_parse

    def broken(*args: Any, **kwargs: Any) -> None:
        int("Mette Sørensen's private note")

    monkeypatch.setattr(docx_parse, "parse_document", broken)
    error = refused(hostile.form())
    assert isinstance(error, DamagedFileError) and error.code == "parse.damaged"
    assert "ValueError in musforms/" in str(error) and "word/document.xml" in str(error)
    assert "private note" not in str(error)


def test_a_programming_error_is_not_hidden(monkeypatch: pytest.MonkeyPatch) -> None:
    import musforms._formats.docx.parse as docx_parse

    def buggy(*args: Any, **kwargs: Any) -> None:
        raise TypeError("a bug in musforms")

    monkeypatch.setattr(docx_parse, "parse_document", buggy)
    with pytest.raises(TypeError, match="a bug in musforms"):
        parse(hostile.form())


def test_error_messages_do_not_echo_what_the_file_holds() -> None:
    private = "Jeg har stress og søvnproblemer"
    data = render("mus-scored-da", "docx", role="employee", context=SAMPLE_CONTEXT, answers={"strengths": private})
    damaged = hostile.edit_part(data, "word/document.xml", lambda x: x.replace(private, private + "<w:t>", 1))
    assert private not in str(refused(damaged))
    named = hostile.edit_part(data, "docProps/custom.xml", lambda x: x.replace(">mus-scored-da<", f">{private}<", 1))
    error = refused(named)  # the template the form carries is not the one its identity now names
    assert error.code == "parse.identity" and private not in str(error)
    error = refused(without_embedded_template(named))
    assert error.code == "parse.unknown_template" and private not in str(error) and "<not an id>" in str(error)


def test_the_cli_reports_hostile_files_without_a_traceback(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bomb = tmp_path / "bomb.docx"
    bomb.write_bytes(hostile.zip_bomb())
    laughs = tmp_path / "laughs.docx"
    laughs.write_bytes(hostile.billion_laughs())
    assert main(["parse", str(bomb), str(laughs)]) == 1
    _, err = capsys.readouterr()
    assert "musforms: error:" in err and "zip bomb" in err and "document type" in err and "Traceback" not in err
    assert main(["parse", "--json", str(bomb)]) == 1
    out, _ = capsys.readouterr()
    assert json.loads(out)["error"]["code"] == "parse.zip_bomb"


# -- identity you can trust --------------------------------------------------------------------------------------------

KEY = hostile.KEY


@pytest.mark.parametrize("fmt", ["docx", "xlsx"])
def test_a_signed_form_is_verified(fmt: str) -> None:
    data = hostile.form(fmt, signed=True)
    form = parse(data, signing_key=KEY, subject_id=hostile.SUBJECT)
    assert form.signed == "verified" and form.subject_id == hostile.SUBJECT
    assert parse(data).signed == "not_checked"
    assert parse(hostile.form(fmt)).signed == "unsigned"


@pytest.mark.parametrize("fmt", ["docx", "xlsx"])
def test_an_identity_edited_to_claim_another_employee(fmt: str) -> None:
    data = hostile.edit_part(
        hostile.form(fmt, signed=True), "docProps/custom.xml", lambda x: x.replace(">E-0001<", ">E-0002<")
    )
    error = refused(data, signing_key=KEY)
    assert isinstance(error, IdentityError) and error.code == "parse.identity"
    assert "the subject (employee) id does not match the signature" in str(error)
    # Without the key the edit goes unnoticed, and the result says that nothing was checked.
    form = parse(data)
    assert form.subject_id == "E-0002" and form.signed == "not_checked"


def test_an_edited_role_and_form_id_are_named() -> None:
    def edit(x: str) -> str:
        x = x.replace(">employee<", ">manager<")
        return x.replace(">0123456789abcdef0123456789abcdef<", ">fedcba9876543210fedcba9876543210<")

    data = hostile.edit_part(hostile.form(signed=True), "docProps/custom.xml", edit)
    assert "the role and form id do not match the signature" in str(refused(data, signing_key=KEY))


def test_an_unsigned_form_is_refused_when_a_key_is_given() -> None:
    error = refused(hostile.form(), signing_key=KEY)
    assert isinstance(error, IdentityError) and "not signed" in str(error)


def test_a_signature_copied_from_another_employees_form() -> None:
    other = musforms.FormIdentity(
        template_id="mus-scored-da",
        template_version=musforms.load_template("mus-scored-da").version,
        fingerprint=musforms.load_template("mus-scored-da").fingerprint,
        role="employee",
        subject_id="E-0002",
        form_id="0123456789abcdef0123456789abcdef",
    )
    forged = sign_identity(other, KEY)
    data = hostile.edit_part(
        hostile.form(signed=True),
        "docProps/custom.xml",
        lambda x: re.sub(r"v1:[A-Za-z0-9_.:-]+", forged, x).replace(">E-0001<", ">E-0003<"),
    )
    assert "subject (employee) id does not match" in str(refused(data, signing_key=KEY))


def test_a_form_uploaded_for_another_employee() -> None:
    error = refused(hostile.form(signed=True), signing_key=KEY, subject_id="E-0099")
    assert isinstance(error, IdentityError) and "another employee" in str(error)
    assert "E-0001" not in str(error) and "E-0099" not in str(error)


def test_a_wrong_key_and_a_damaged_signature() -> None:
    assert "another key" in str(refused(hostile.form(signed=True), signing_key=b"another-key-of-32-bytes-length!!"))
    damaged = hostile.edit_part(hostile.form(signed=True), "docProps/custom.xml", lambda x: x.replace("v1:", "v1:%%"))
    assert "damaged" in str(refused(damaged, signing_key=KEY))


def test_a_form_whose_properties_were_removed_is_not_signed() -> None:
    """Without docProps/custom.xml the identity comes from the line in the text, which carries no signature."""
    data = hostile.rezip(
        [(i.filename, b) for i, b in hostile.members(hostile.form(signed=True)) if "custom" not in i.filename]
    )
    assert parse(data).form_id == "0123456789abcdef0123456789abcdef"
    assert "not signed" in str(refused(data, signing_key=KEY))


def test_signing_keys_must_be_long_enough() -> None:
    with pytest.raises(SigningKeyError, match="at least 16 bytes"):
        render("mus-scored-da", "docx", role="employee", context=SAMPLE_CONTEXT, signing_key=b"short")
    with pytest.raises(SigningKeyError):
        parse(hostile.form(signed=True), signing_key="short")
    assert parse(hostile.form(signed=True), signing_key=KEY.decode()).signed == "verified"


# -- templates from customers ------------------------------------------------------------------------------------------


def _timed_text_error(source: str) -> str:
    started = time.perf_counter()
    with pytest.raises(TextRenderError) as caught:
        render_text(source, SAMPLE_CONTEXT)
    assert time.perf_counter() - started < TIME_LIMIT
    return caught.value.message


@pytest.mark.parametrize(
    ("source", "message"),
    [
        ("{% for i in range(10**6) %}x{% endfor %}", "Range too big"),
        ("{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}", "loops run more than"),
        ("{% set r = range(100000) %}{% for i in r %}{% for j in r %}{% endfor %}{% endfor %}", "loops run more than"),
        ("{% for i in [1] recursive %}{{ loop(range(100000)) }}{% endfor %}", ""),
        ("{{ 'a' * 10**9 }}", "more than 100,000"),
        ("{{ 10 ** 100000000 }}", "bits"),
        ("{{ 'a'|center(10**9) }}", "more than 100,000"),
        ("{{ '{:>999999999}'.format(1) }}", "too large"),
        ("{{ '%999999999d' % 1 }}", "too large"),
        ("{% set s = 'a' * 90000 %}{{ s|replace('', s) }}", "100,000"),
        ("{% set ns = namespace(s='a') %}{% for i in range(60) %}{% set ns.s = ns.s ~ ns.s %}{% endfor %}", "100,000"),
        ("{% macro m(x, n) %}{% if n %}{{ m([x, x], n - 1) }}{% endif %}{% endmacro %}{{ m(1, 200) }}", "100,000"),
        ("{% set s = 'x' * 99999 %}{% for i in range(10000) %}{{ s }}{% endfor %}", ""),
        ("{{ meeting.start.strftime('%999999999Y') }}", "too large"),
        ("{{ lipsum(100000) }}", "undefined"),
    ],
)
def test_pathological_texts_fail_fast(source: str, message: str) -> None:
    tracemalloc.start()
    try:
        assert message in _timed_text_error(source)
        assert tracemalloc.get_traced_memory()[1] < MEMORY_LIMIT
    finally:
        tracemalloc.stop()


def test_a_text_that_would_run_for_minutes_stops_at_its_deadline() -> None:
    """9,000 sorts of 10,000 strings would take half a minute; the text stops after 0.5 s."""
    source = "{% for i in range(9000) %}{{ range(10000)|map('string')|sort|list|length }}{% endfor %}"
    started = time.perf_counter()
    assert "took longer than 0.5 s" in _timed_text_error(source)
    assert 0.4 < time.perf_counter() - started < 1.5


def test_time_in_the_garbage_collector_does_not_count_against_a_text(monkeypatch: pytest.MonkeyPatch) -> None:
    """A full collection in a large process can take longer than a text may: it is not the text's work."""
    from musforms._text import limits

    assert limits._count_collection in gc.callbacks
    now = [1000.0]
    monkeypatch.setattr(limits.time, "thread_time", lambda: now[0])
    with limits.budget(limits.clock() + limits.MAX_RENDER_SECONDS):
        limits._count_collection("start", {})
        now[0] += 2.0  # the collector runs for 2 s of this thread's time
        limits._count_collection("stop", {})
        limits.tick()  # not refused
        now[0] += limits.MAX_RENDER_SECONDS + 0.1  # the text's own work
        with pytest.raises(musforms.TextRenderError, match="took longer"):
            limits.tick()


@pytest.mark.parametrize("tag", ["include", "import", "extends"])
def test_texts_cannot_load_files(tag: str, secret: Path) -> None:
    source = f"{{% {tag} '{secret}' %}}" if tag != "import" else f"{{% import '{secret}' as x %}}"
    message = _timed_text_error(source)
    assert "cannot include, import or extend" in message and hostile.SECRET_TEXT not in message
    ((problem, _hint),) = text_problems(source)
    assert "cannot include, import or extend" in problem


def test_a_slow_template_fails_within_its_total_time(monkeypatch: pytest.MonkeyPatch) -> None:
    import musforms._loading.loader as loader

    monkeypatch.setattr(loader, "MAX_TEXT_CHECK_SECONDS", 1.0)
    slow = "{% for i in range(9000) %}{{ range(10000)|map('string')|sort|list|length }}{% endfor %}"
    fields = "\n".join(f'      - {{kind: info, id: f{n}, text: "{slow}"}}' for n in range(40))
    text = (
        f"id: slow\ntitle: Slow\nlanguage: da\nstyle: soft\nsections:\n  - id: s\n    title: S\n    fields:\n{fields}\n"
    )
    started = time.perf_counter()
    with pytest.raises(TemplateError, match="took"):
        musforms.load_template_text(text)
    assert time.perf_counter() - started < 3


def test_a_yaml_alias_bomb_is_refused_fast() -> None:
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    lines += [f"a{n}: &a{n} [" + ", ".join([f"*a{n - 1}"] * 10) + "]" for n in range(1, 9)]
    started = time.perf_counter()
    with pytest.raises(TemplateError, match="anchors and aliases"):
        musforms.load_template_text("\n".join(lines) + "\nid: x\n")
    assert time.perf_counter() - started < TIME_LIMIT


def test_template_size_and_field_count_are_limited() -> None:
    with pytest.raises(TemplateError, match="larger than 2000000 bytes"):
        musforms.load_template_text("id: x\n" + "#" * 2_000_001)
    fields = "\n".join(f"      - {{kind: check, id: f{n}, label: F}}" for n in range(501))
    text = f"id: many\ntitle: M\nlanguage: da\nstyle: soft\nsections:\n  - id: s\n    title: S\n    fields:\n{fields}\n"
    with pytest.raises(TemplateError, match="at most 500"):
        musforms.load_template_text(text)


_PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489"
    "0000000b4944415478da636000020000050001e9fadcd80000000049454e44ae426082"
)


def _logo_template(folder: Path, logo: str) -> Path:
    path = folder / "t.yaml"
    path.write_text(f"extends: mus-soft-da\nid: t\ncompany: {{name: Acme, logo: {logo}}}\n", encoding="utf-8")
    return path


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="needs symbolic links")
def test_a_logo_symlink_pointing_outside_the_folder_is_refused(tmp_path: Path, secret: Path) -> None:
    folder = tmp_path / "templates"
    folder.mkdir()
    outside = tmp_path / "outside.png"
    outside.write_bytes(_PNG)
    (folder / "logo.png").symlink_to(outside)
    (folder / "sneaky.png").symlink_to(secret)
    for name in ("logo.png", "sneaky.png"):
        with pytest.raises(TemplateError, match="must lie in the template's folder"):
            musforms.load_template(_logo_template(folder, name))
    inside = folder / "real.png"
    inside.write_bytes(_PNG)
    (folder / "alias.png").symlink_to(inside)
    assert musforms.load_template(_logo_template(folder, "alias.png")).logo_file == inside.resolve()


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"GIF89a" + b"\0" * 20, "must be a PNG or JPEG"),
        (b"\x89PNG\r\n\x1a\n" + b"\0" * 64, "not a readable PNG or JPEG"),
        (_PNG[:16] + b"\x00\x01\x00\x00\x00\x01\x00\x00" + _PNG[24:], "pixels"),
    ],
)
def test_a_logo_must_be_a_real_image(tmp_path: Path, content: bytes, message: str) -> None:
    (tmp_path / "logo.png").write_bytes(content)
    with pytest.raises(TemplateError, match=message):
        musforms.load_template(_logo_template(tmp_path, "logo.png"))


def test_a_logo_larger_than_the_limit_is_refused(tmp_path: Path) -> None:
    with (tmp_path / "logo.png").open("wb") as handle:
        handle.write(_PNG)
        handle.truncate(3_000_000)
    with pytest.raises(TemplateError, match="larger than 2 MB"):
        musforms.load_template(_logo_template(tmp_path, "logo.png"))


# -- privacy -----------------------------------------------------------------------------------------------------------

_PRIVATE = {
    "strengths": "Rolig under pres, trods min stress",
    "personal_matters": "Min mor er syg",
    "agreements": [
        {"action": "Samtale med psykolog", "owner": "employee", "deadline": "2026-05-01", "method": "other"}
    ],
    "sign_employee": {"name": "Mette Sørensen", "date": "2026-03-16"},
    "rate_cooperation_colleagues": 2,
    "development_methods": ["mentoring"],
    "followup_date": "2026-09-01",
}


def _private_form(fmt: str = "docx") -> bytes:
    data = render("mus-scored-da", fmt, role="employee", context=SAMPLE_CONTEXT, answers=_PRIVATE)  # type: ignore[arg-type]
    if fmt == "docx":  # and a note typed outside the fields, which parse reports as an issue with its raw text
        data = hostile.edit_part(data, "word/document.xml", lambda x: x.replace("</w:body>", _NOTE + "</w:body>", 1))
    return data


_NOTE = "<w:p><w:r><w:t>Ekstra note: jeg er sygemeldt</w:t></w:r></w:p>"


@pytest.mark.parametrize("fmt", ["docx", "xlsx"])
def test_redact_drops_every_free_text(fmt: str) -> None:
    form = parse(_private_form(fmt))
    assert form.answers["strengths"] == _PRIVATE["strengths"]
    clean = redact(form)
    dumped = clean.to_json()
    for text in ("stress", "Min mor", "psykolog", "Mette", "sygemeldt", "mette@example.dk", "Kursus i KNX"):
        assert text not in dumped, text
    assert clean.subject_id == "E-0001"
    assert clean.redacted and not form.redacted
    assert clean.answers["strengths"] is None and clean.answers["personal_matters"] is None
    assert clean.answers["rate_cooperation_colleagues"] == 2 and clean.answers["development_methods"] == ["mentoring"]
    assert str(clean.answers["followup_date"]) == "2026-09-01"
    (row,) = clean.answers["agreements"]
    assert (row.action, row.owner, str(row.deadline), row.method) == ("[redacted]", "employee", "2026-05-01", "other")
    assert clean.answers["sign_employee"].name is None and str(clean.answers["sign_employee"].date) == "2026-03-16"
    assert all(issue.raw is None for issue in clean.issues)
    if fmt == "docx":
        assert any(issue.code == "content.unmapped" for issue in clean.issues)


def test_redact_works_on_a_form_read_from_json() -> None:
    form = musforms.FilledForm.model_validate_json(parse(_private_form()).to_json())
    dumped = redact(form).to_json()
    assert "psykolog" not in dumped and "Mette" not in dumped and '"rate_cooperation_colleagues": 2' in dumped


def test_parse_redact_on_the_command_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "form.docx"
    path.write_bytes(_private_form())
    assert main(["parse", "--json", "--redact", str(path)]) == 0
    out, _ = capsys.readouterr()
    data = json.loads(out)
    assert data["redacted"] is True and data["answers"]["rate_cooperation_colleagues"] == 2
    assert "stress" not in out and "psykolog" not in out and "sygemeldt" not in out
    assert main(["parse", "--redact", str(path)]) == 0
    out, _ = capsys.readouterr()
    assert "sygemeldt" not in out


# -- found by fuzz/fuzz_parse.py -------------------------------------------------------------------------------------


def test_a_zip_needing_a_newer_zip_version() -> None:
    """zipfile raises NotImplementedError for a member that needs zip version 10.1 (atheris found it)."""
    data = bytearray(hostile.form())
    central = data.index(b"PK\x01\x02")
    data[central + 6 : central + 8] = (101).to_bytes(2, "little")  # "version needed to extract"
    error = refused(bytes(data))
    assert isinstance(error, DamagedFileError) and "newer zip version" in str(error)
