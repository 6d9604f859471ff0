"""Damaged Word forms: whatever happens to the bytes, parse returns a result or raises a musforms error."""

from __future__ import annotations

import contextlib
import io
import zipfile

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import musforms
from musforms._formats.parse import parse
from musforms._formats.render import render
from musforms._model.context import SAMPLE_CONTEXT
from musforms._model.filled import FilledForm
from musforms.errors import MusformsError

_FORM = render(
    musforms.load_template("mus-scored-da"),
    "docx",
    role="employee",
    context=SAMPLE_CONTEXT,
    answers={"rate_quality": 3, "strengths": "Grundig", "followup_date": "2026-09-01"},
)


def _parse_or_error(data: bytes) -> None:
    error: MusformsError | None = None
    try:
        result = parse(data)
    except MusformsError as exc:
        error = exc
    if error is not None:
        assert error.code.startswith("parse.") and str(error)
    else:
        assert isinstance(result, FilledForm)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    flips=st.lists(st.tuples(st.integers(0, len(_FORM) - 1), st.integers(0, 255)), min_size=1, max_size=30),
)
def test_flipped_bytes(flips: list[tuple[int, int]]) -> None:
    data = bytearray(_FORM)
    for at, value in flips:
        data[at] = value
    _parse_or_error(bytes(data))


@settings(max_examples=150, deadline=None)
@given(cut=st.integers(0, len(_FORM)))
def test_truncated(cut: int) -> None:
    _parse_or_error(_FORM[:cut])


def _rezip(members: list[tuple[str, bytes]]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in members:
            archive.writestr(name, content)
    return out.getvalue()


def _members() -> list[tuple[str, bytes]]:
    with zipfile.ZipFile(io.BytesIO(_FORM)) as archive:
        return [(info.filename, archive.read(info)) for info in archive.infolist()]


@settings(max_examples=150, deadline=None)
@given(data=st.data())
def test_parts_dropped_duplicated_or_corrupted(data: st.DataObject) -> None:
    members = _members()
    index = data.draw(st.integers(0, len(members) - 1))
    action = data.draw(st.sampled_from(["drop", "duplicate", "corrupt", "truncate", "empty"]))
    name, content = members[index]
    if action == "drop":
        del members[index]
    elif action == "duplicate":
        members.append((name, content))
    elif action == "corrupt":
        at = data.draw(st.integers(0, max(len(content) - 1, 0)))
        members[index] = (name, content[:at] + b"<\x00&;>" + content[at:])
    elif action == "truncate":
        members[index] = (name, content[: data.draw(st.integers(0, len(content)))])
    else:
        members[index] = (name, b"")
    # zipfile itself warns when it writes a name twice
    with pytest.warns(UserWarning, match="Duplicate name") if action == "duplicate" else contextlib.nullcontext():
        _parse_or_error(_rezip(members))
