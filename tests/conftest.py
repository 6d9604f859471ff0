"""Shared fixtures: a minimal template written inline, and a helper that writes template files."""

from __future__ import annotations

import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest

MINIMAL = """\
id: demo
version: "1.0"
title: Demo
language: da
style: scored
scales:
  five:
    points:
      - {value: 1, label: Meget lidt}
      - {value: 2, label: Lidt}
      - {value: 3, label: Noget}
      - {value: 4, label: Meget}
      - {value: 5, label: Rigtig meget}
sections:
  - id: prep
    title: Lederens forberedelse
    audience: [manager]
    fields:
      - {kind: text, id: info_give, label: "Hvilke informationer vil du give?"}
  - id: past
    title: Fortid
    minutes: 10
    fields:
      - {kind: rating, id: quality, label: Kvalitet i arbejdet, scale: five, not_relevant: true}
      - {kind: text, id: strengths, label: "Styrker hos {{ employee.first_name }}", required: true}
      - {kind: choice, id: methods, label: Metoder, multiple: true,
         options: [{id: course, label: Kursus}, {id: mentoring, label: Mentor}]}
      - {kind: choice, id: mood, label: Humør, options: [{id: good, label: Godt}, {id: bad, label: Skidt}]}
      - {kind: check, id: read_guide, label: Jeg har læst vejledningen}
      - {kind: date, id: last_talk, label: Sidste samtale}
      - {kind: agreements, id: agreements, label: Aftaler, columns: [action, owner, deadline, status]}
      - {kind: signature, id: sign_employee, label: Medarbejder, signer: employee}
      - {kind: info, id: note, text: "Husk at tale om {% if company %}{{ company.name }}{% endif %}."}
      - {kind: rating, id: mgr_only_rating, label: Leders vurdering, scale: five, raters: [manager]}
"""


@pytest.fixture
def write(tmp_path: Path) -> Callable[[str, str], Path]:
    """Write a template file (dedented) into the test's folder and return its path."""

    def _write(text: str, name: str = "template.yaml") -> Path:
        path = tmp_path / name
        path.write_text(textwrap.dedent(text), encoding="utf-8")
        return path

    return _write


@pytest.fixture
def minimal_path(write: Callable[[str, str], Path]) -> Path:
    """A small valid template using every field kind."""
    return write(MINIMAL, "demo.yaml")
