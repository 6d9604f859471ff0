"""Mutated forms: whatever happens to a .docx or .xlsx, parse returns a result or raises a musforms error.

Valid forms rendered by musforms are truncated, have bytes flipped, zip members dropped, duplicated, emptied
or corrupted, their XML corrupted (tags cut, text and attributes replaced by hostile values) and parts
swapped with another form's. Every input must give a FilledForm or a MusformsError with a ``parse.*`` code
(never a KeyError, an lxml, zipfile or zlib error, a UnicodeDecodeError, a RecursionError...), within
:data:`TIME_LIMIT` seconds, in bounded memory. About 4,000 inputs in all.

The coverage-guided counterpart is ``fuzz/fuzz_parse.py`` (atheris), run on demand.
"""

from __future__ import annotations

import io
import random
import re
import resource
import sys
import time
import tracemalloc
import warnings
import zipfile
from collections.abc import Iterator

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import musforms
from musforms._formats.parse import parse
from musforms._model.context import SAMPLE_CONTEXT
from musforms._model.filled import FilledForm
from musforms.errors import MusformsError

TIME_LIMIT = 2.0
"""Seconds one input may take (a valid form takes a few milliseconds)."""
RSS_GROWTH_LIMIT = 256 * 1024 * 1024
"""How much the process's peak memory may grow while one test runs its hundreds of inputs."""

_SCORED = {
    "rate_quality": 3,
    "strengths": "Grundig",
    "followup_date": "2026-09-01",
    "development_methods": ["course", "mentoring"],
    "agreements": [{"action": "Kursus i KNX", "owner": "employee", "deadline": "2026-10-01", "method": "course"}],
    "sign_employee": {"name": "Mette Sørensen", "date": "2026-03-16"},
}


def _render(template: str, fmt: str, role: str, answers: dict[str, object] | None = None) -> bytes:
    return musforms.render(template, fmt, role=role, context=SAMPLE_CONTEXT, answers=answers)  # type: ignore[arg-type]


FORMS: dict[str, bytes] = {
    "docx": _render("mus-scored-da", "docx", "employee", _SCORED),
    "xlsx": _render("mus-scored-da", "xlsx", "employee", _SCORED),
}
OTHERS: dict[str, bytes] = {
    "docx": _render("mus-soft-en", "docx", "manager"),
    "xlsx": _render("mus-soft-en", "xlsx", "manager"),
}
FORMATS = list(FORMS)


def _members(data: bytes) -> list[tuple[str, bytes]]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return [(info.filename, archive.read(info)) for info in archive.infolist()]


MEMBERS = {fmt: _members(data) for fmt, data in FORMS.items()}
OTHER_MEMBERS = {fmt: dict(_members(data)) for fmt, data in OTHERS.items()}
XML_PARTS = {fmt: [name for name, _ in members if name.endswith((".xml", ".rels"))] for fmt, members in MEMBERS.items()}


def _rezip(members: list[tuple[str, bytes]]) -> bytes:
    out = io.BytesIO()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # zipfile warns when a name is written twice
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
            for name, content in members:
                archive.writestr(name, content)
    return out.getvalue()


def parse_or_error(data: bytes) -> FilledForm | MusformsError:
    """Parse ``data``: a FilledForm or a musforms error, in time; anything else fails the test."""
    started = time.perf_counter()
    try:
        result: FilledForm | MusformsError = parse(data)
    except MusformsError as exc:
        result = exc
    except Exception as exc:  # a foreign exception: the point of these tests
        raise AssertionError(f"parse raised {type(exc).__name__}, not a musforms error: {exc}") from exc
    elapsed = time.perf_counter() - started
    assert elapsed < TIME_LIMIT, f"parse took {elapsed:.2f} s"
    if isinstance(result, MusformsError):
        assert result.code.startswith("parse.") and str(result), result
        assert "Traceback" not in str(result)
    else:
        assert isinstance(result, FilledForm)
    return result


def _max_rss() -> int:
    usage = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return usage if sys.platform == "darwin" else usage * 1024


@pytest.fixture(autouse=True)
def _bounded_memory() -> Iterator[None]:
    """The peak memory of the process may not grow by more than RSS_GROWTH_LIMIT during a test."""
    before = _max_rss()
    yield
    grown = _max_rss() - before
    assert grown < RSS_GROWTH_LIMIT, f"peak memory grew by {grown / 1e6:.0f} MB"


def _fuzz(examples: int) -> settings:
    return settings(
        max_examples=examples,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )


# -- bytes of the file ----------------------------------------------------------------------------------


@_fuzz(600)
@given(
    fmt=st.sampled_from(FORMATS),
    flips=st.lists(st.tuples(st.floats(0, 1, exclude_max=True), st.integers(0, 255)), min_size=1, max_size=40),
)
def test_flipped_bytes(fmt: str, flips: list[tuple[float, int]]) -> None:
    data = bytearray(FORMS[fmt])
    for where, value in flips:
        data[int(where * len(data))] = value
    parse_or_error(bytes(data))


@_fuzz(300)
@given(fmt=st.sampled_from(FORMATS), cut=st.floats(0, 1))
def test_truncated(fmt: str, cut: float) -> None:
    data = FORMS[fmt]
    parse_or_error(data[: int(cut * len(data))])


@_fuzz(200)
@given(fmt=st.sampled_from(FORMATS), junk=st.binary(min_size=1, max_size=200), at_end=st.booleans())
def test_junk_before_or_after(fmt: str, junk: bytes, at_end: bool) -> None:
    data = FORMS[fmt]
    parse_or_error(data + junk if at_end else junk + data)


# -- zip members -------------------------------------------------------------------------------------------------


@_fuzz(600)
@given(fmt=st.sampled_from(FORMATS), data=st.data())
def test_members_dropped_duplicated_emptied_or_cut(fmt: str, data: st.DataObject) -> None:
    members = list(MEMBERS[fmt])
    for _ in range(data.draw(st.integers(1, 3))):
        index = data.draw(st.integers(0, len(members) - 1))
        action = data.draw(st.sampled_from(["drop", "duplicate", "empty", "truncate", "rename", "binary"]))
        name, content = members[index]
        if action == "drop" and len(members) > 1:
            del members[index]
        elif action == "duplicate":
            members.append((name, content[: data.draw(st.integers(0, len(content)))]))
        elif action == "empty":
            members[index] = (name, b"")
        elif action == "truncate":
            members[index] = (name, content[: data.draw(st.integers(0, len(content)))])
        elif action == "rename":
            members[index] = (data.draw(st.sampled_from([n for n, _ in MEMBERS[fmt]])), content)
        else:
            members[index] = (name, data.draw(st.binary(max_size=300)))
    parse_or_error(_rezip(members))


# -- the XML inside ------------------------------------------------------------------------------------------------

_HOSTILE_TEXT = [
    "",
    "-1",
    "0",
    "99999999999999999999999",
    "1e309",
    "NaN",
    "A0",
    "XFD1048577",
    "ZZZZZ99999999",
    "$A$1:$B$2",
    "'Sheet'!A1",
    "☒",
    "x" * 5000,
    "\u0000",
    "\ud800",
    "&amp;",
    "<w:t>",
    "2026-02-30",
    "1900-01-00",
    "true",
    "inlineStr",
    "e",
    "s",
    "b",
    "str",
    "n",
    "../../etc/passwd",
    "/xl/worksheets/sheet1.xml",
    "rId999",
    "musforms.template_id",
    "employee",
    "manager",
    "😀" * 50,
]
_TOKENS = [
    b"<",
    b">",
    b"&",
    b"&amp;",
    b";",
    b'"',
    b"'",
    b"</w:tc>",
    b"<w:tc>",
    b"<w:t>",
    b"</w:t>",
    b"<c>",
    b"</c>",
    b"<v>",
    b"</v>",
    b"<row>",
    b"</row>",
    b"]]>",
    b"<![CDATA[",
    b"<!--",
    b"-->",
    b"\x00",
    b"\xff\xfe",
    b"\xc3",
    b"&#0;",
    b"&#x110000;",
    b"&#65;",
    b'r="A1"',
    b't="s"',
    b"<v>99999</v>",
    b'w14:val="1"',
    b'xmlns:w="x"',
]
_ATTRIBUTE = re.compile(rb'(\s[\w:]+=")([^"]*)(")')
_TEXT = re.compile(rb">([^<]+)<")


def _mutate_xml(xml: bytes, data: st.DataObject) -> bytes:
    action = data.draw(st.sampled_from(["delete", "duplicate", "insert", "attribute", "text", "swap_tags"]))
    if not xml:
        return data.draw(st.sampled_from(_TOKENS))
    start = data.draw(st.integers(0, len(xml) - 1))
    length = data.draw(st.integers(0, 400))
    if action == "delete":
        return xml[:start] + xml[start + length :]
    if action == "duplicate":
        return xml[:start] + xml[start : start + length] * 2 + xml[start + length :]
    if action == "insert":
        return xml[:start] + data.draw(st.sampled_from(_TOKENS)) + xml[start:]
    if action in ("attribute", "text"):
        pattern = _ATTRIBUTE if action == "attribute" else _TEXT
        found = list(pattern.finditer(xml))
        if not found:
            return xml
        match = found[data.draw(st.integers(0, len(found) - 1))]
        value = data.draw(st.sampled_from(_HOSTILE_TEXT)).encode("utf-8", "surrogatepass")
        group = 2 if action == "attribute" else 1
        return xml[: match.start(group)] + value + xml[match.end(group) :]
    tags = list(re.finditer(rb"<[^<>]+>", xml))
    if len(tags) < 2:
        return xml
    first, second = sorted(data.draw(st.lists(st.integers(0, len(tags) - 1), min_size=2, max_size=2, unique=True)))
    a, b = tags[first], tags[second]
    return xml[: a.start()] + b.group() + xml[a.end() : b.start()] + a.group() + xml[b.end() :]


def _weighted_part(fmt: str, data: st.DataObject) -> str:
    main = {
        "docx": ["word/document.xml", "docProps/custom.xml"],
        "xlsx": [
            "xl/worksheets/sheet1.xml",
            "xl/workbook.xml",
            "xl/sharedStrings.xml",
            "docProps/custom.xml",
            "xl/styles.xml",
        ],
    }[fmt]
    main = [part for part in main if part in XML_PARTS[fmt]]
    return data.draw(st.sampled_from(main) if data.draw(st.booleans()) else st.sampled_from(XML_PARTS[fmt]))


@_fuzz(1500)
@given(fmt=st.sampled_from(FORMATS), data=st.data())
def test_corrupted_xml(fmt: str, data: st.DataObject) -> None:
    members = list(MEMBERS[fmt])
    names = [name for name, _ in members]
    for _ in range(data.draw(st.integers(1, 4))):
        part = _weighted_part(fmt, data)
        index = names.index(part)
        members[index] = (part, _mutate_xml(members[index][1], data))
    parse_or_error(_rezip(members))


@_fuzz(400)
@given(fmt=st.sampled_from(FORMATS), data=st.data())
def test_parts_swapped_between_forms(fmt: str, data: st.DataObject) -> None:
    """Parts of another form (another template, role or format) put into this one."""
    members = list(MEMBERS[fmt])
    names = [name for name, _ in members]
    donor_format = data.draw(st.sampled_from(FORMATS))
    donor = OTHER_MEMBERS[donor_format] if data.draw(st.booleans()) else dict(MEMBERS[donor_format])
    for _ in range(data.draw(st.integers(1, 3))):
        part = data.draw(st.sampled_from(sorted(donor)))
        if part in names:
            members[names.index(part)] = (part, donor[part])
        else:
            target = data.draw(st.sampled_from(names))
            members[names.index(target)] = (target, donor[part])
    parse_or_error(_rezip(members))


# -- a sample measured for memory with tracemalloc -------------------------------------------------------------------


def test_a_sample_of_mutations_in_bounded_memory() -> None:
    """200 seeded mutations, each parsed under tracemalloc: the peak stays under 100 MB (a form needs ~5 MB)."""
    rng = random.Random(7)
    peaks = []
    for number in range(200):
        fmt = FORMATS[number % 2]
        members = list(MEMBERS[fmt])
        index = rng.randrange(len(members))
        name, content = members[index]
        at = rng.randrange(max(len(content), 1))
        members[index] = (name, content[:at] + rng.choice(_TOKENS) * rng.randint(1, 50) + content[at:])
        data = _rezip(members)
        tracemalloc.start()
        try:
            parse_or_error(data)
            peaks.append(tracemalloc.get_traced_memory()[1])
        finally:
            tracemalloc.stop()
    assert max(peaks) < 100 * 1024 * 1024, f"peak {max(peaks) / 1e6:.0f} MB"


def test_the_originals_parse() -> None:
    for fmt, data in FORMS.items():
        form = parse_or_error(data)
        assert isinstance(form, FilledForm) and form.answers["rate_quality"] == 3, fmt
