"""Render and parse MUS forms with musforms, and the same work with docxtpl and python-docx, side by side.

Run it from the repository root (it is not part of the test suite)::

    make bench                                        # N = 1000, prints the results
    make bench BENCH_ARGS="--n 1000 --write-docs"     # ... and rewrites the results in docs/performance.md
    .venv/bin/python -m benchmarks.bench_docx --n 200
    python benchmarks/bench_docx.py --profile         # also prints cProfile of musforms render and parse

Needs the ``bench`` extra (``pip install -e '.[bench]'``: docxtpl and psutil).

What it measures, in one process, on N generated employees (names, ids, managers, meeting times, places):

1. Rendering the employee's form of ``mus-scored-da`` with ``musforms._formats.render.render``, and the same forms with
   docxtpl from an equivalent .docx template built at the start with python-docx (title, people table,
   intro, section headings with time boxes and guidance, every question as a two-row label/answer table,
   the rating grids with ☐ boxes, the agreements tables, the signature tables, header and footer, with Jinja
   tags for the personal parts). Also: the one-time costs (the first render of a template and role, which
   compiles its layout) and rendering forms prefilled with answers (the carry-over case).
2. Parsing N filled forms (every field the employee answers, with varied answers) with
   ``musforms._formats.parse.parse``, and loading and walking the same files with python-docx (every cell of every
   table, every paragraph). Every parsed form is checked: identity, no issues, answers equal to the
   prefilled ones.
3. The resident memory (RSS) every 100 documents, and the peak, of each phase.

Times are per document, with ``time.perf_counter``, after warm-up runs, with the garbage collector on.
"""

from __future__ import annotations

import argparse
import cProfile
import datetime as dt
import gc
import io
import os
import platform
import pstats
import random
import re
import statistics
import sys
import tempfile
import time
import uuid
import zipfile
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path
from typing import Any, TypeVar

from musforms import (
    AgreementsField,
    CheckField,
    ChoiceField,
    DateField,
    FormField,
    InfoField,
    RatingField,
    Role,
    SignatureField,
    Template,
    TextField,
    load_template,
)
from musforms._formats.parse import parse
from musforms._formats.render import render
from musforms._model.filled import FilledForm
from musforms._model.values import AGREEMENT_METHODS, AGREEMENT_STATUSES

ROOT = Path(__file__).resolve().parents[1]
DOC_PAGE = ROOT / "docs" / "performance.md"
START_MARK = "<!-- bench:start -->"
END_MARK = "<!-- bench:end -->"
TEMPLATE_ID = "mus-scored-da"
ROLE: Role = "employee"
RENDER_GOAL = 30.0
PARSE_GOAL = 5.0
SAMPLE_EVERY = 100
MB = 1024 * 1024

T = TypeVar("T")
R = TypeVar("R")
Job = tuple[dict[str, Any], dict[str, Any], str]
"""One filled form to render: the context, the answers and the form id."""


# -- memory -----------------------------------------------------------------------------------------


class Memory:
    """The process's resident memory now, and its peak since the last reset.

    RSS comes from psutil (or /proc/self/statm). The peak is Linux's VmHWM, which writing ``5`` to
    /proc/self/clear_refs resets, so each phase gets its own peak; elsewhere it is the process's peak so far
    (``ru_maxrss``), and the report says so.
    """

    def __init__(self) -> None:
        try:
            import psutil

            self._process: Any = psutil.Process()
        except ImportError:
            self._process = None
        self.per_phase = self._reset()

    def rss(self) -> int:
        if self._process is not None:
            return int(self._process.memory_info().rss)
        statm = Path("/proc/self/statm").read_text().split()
        return int(statm[1]) * os.sysconf("SC_PAGE_SIZE")

    def _reset(self) -> bool:
        try:
            Path("/proc/self/clear_refs").write_text("5")
        except OSError:
            return False
        return True

    def reset_peak(self) -> None:
        if self.per_phase:
            self._reset()

    def peak(self) -> int:
        try:
            for line in Path("/proc/self/status").read_text().splitlines():
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) * 1024
        except OSError:
            pass
        import resource

        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        return peak if sys.platform == "darwin" else peak * 1024


# -- timing -----------------------------------------------------------------------------------------


@dataclass
class Phase:
    """The per-document times and the memory samples of one measured loop."""

    name: str
    times: list[float] = field(default_factory=list)
    """Seconds per document."""
    rss: list[tuple[int, int]] = field(default_factory=list)
    """(documents done, RSS in bytes), every SAMPLE_EVERY documents."""
    rss_start: int = 0
    peak: int = 0
    rss_collected: int = 0
    """RSS after the phase and a ``gc.collect()``."""
    garbage: int = 0
    """The unreachable objects that ``gc.collect()`` found after the phase: cyclic garbage left waiting."""
    sizes: list[int] = field(default_factory=list)

    @property
    def median_ms(self) -> float:
        return statistics.median(self.times) * 1000

    @property
    def mean_ms(self) -> float:
        return statistics.fmean(self.times) * 1000

    @property
    def p95_ms(self) -> float:
        return statistics.quantiles(self.times, n=20)[18] * 1000 if len(self.times) > 1 else self.times[0] * 1000

    @property
    def docs_per_s(self) -> float:
        return 1000 / self.mean_ms

    def rss_after(self, done: int) -> int:
        return next(rss for n, rss in self.rss if n >= done)


def measure(
    name: str,
    items: Sequence[T],
    work: Callable[[T], R],
    memory: Memory,
    *,
    warmup: Sequence[T] = (),
    keep: Callable[[int, T, R], None] | None = None,
) -> Phase:
    """Run ``work`` on each item, timing each call alone; ``keep`` sees every result, outside the timing."""
    for item in warmup:
        work(item)
    gc.collect()
    phase = Phase(name)
    memory.reset_peak()
    phase.rss_start = memory.rss()
    clock = time.perf_counter
    progress(f"{name}: {len(items)} documents")
    for index, item in enumerate(items, start=1):
        started = clock()
        result = work(item)
        phase.times.append(clock() - started)
        if isinstance(result, bytes | bytearray):
            phase.sizes.append(len(result))
        if keep is not None:
            keep(index - 1, item, result)
        del result
        if index % SAMPLE_EVERY == 0 or index == len(items):
            phase.rss.append((index, memory.rss()))
    phase.peak = memory.peak()
    phase.garbage = gc.collect()
    phase.rss_collected = memory.rss()
    progress(f"  median {phase.median_ms:.3f} ms, mean {phase.mean_ms:.3f} ms per document")
    return phase


def once(work: Callable[[], R]) -> tuple[float, R]:
    """Milliseconds of one call, and its result."""
    started = time.perf_counter()
    result = work()
    return (time.perf_counter() - started) * 1000, result


def progress(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def require(condition: bool, message: str) -> None:
    """Stop the benchmark when a check fails: the measured work must be real work."""
    if not condition:
        raise SystemExit(f"benchmark check failed: {message}")


# -- generated employees and answers ----------------------------------------------------------------


def _words(text: str) -> tuple[str, ...]:
    return tuple(text.split())


FIRST_NAMES = _words(
    "Mette Anne Kirsten Hanne Susanne Lene Maria Marianne Camilla Louise Charlotte Pia Tina Sofie Ida "
    "Emma Peter Jens Lars Michael Henrik Søren Thomas Jan Niels Rasmus Martin Anders Jesper Mads Frederik "
    "Jørgen"
)
LAST_NAMES = _words(
    "Nielsen Jensen Hansen Pedersen Andersen Christensen Larsen Sørensen Rasmussen Jørgensen Petersen "
    "Madsen Kristensen Olsen Thomsen Christiansen Poulsen Johansen Møller Mortensen Østergaard Bøgh Lund "
    "Holm Dahl"
)
JOB_TITLES = ("Elektriker", "Lærling", "Servicetekniker", "Projektleder", "Bogholder", "Lagerarbejder", "Sælger")
DEPARTMENTS = ("Service", "Installation", "Administration", "Lager", "Salg", "Projekt")
PLACES = ("Mødelokale 1", "Mødelokale 2", "Kantinen", "Lederens kontor", "Teams", "Afdeling Aarhus")
WORDS_DA = _words(
    "arbejde opgaver kunder kolleger samarbejde kvalitet ansvar tid planlægning værktøj kursus faglig "
    "sikkerhed udvikling mål resultater trivsel kommunikation erfaring projekt service installation "
    "leverandører økonomi overblik ideer forbedringer tavle tilbud montage aftaler ferie hjælp oplæring "
    "lærling bil varer lager måned uge sidste næste gerne godt bedre mere mindre hurtigere"
)
SPECIAL = ("Kunder & leverandører", "<vigtigt>", 'kaldet "tavlen"', "20 % mere", "æøå ÆØÅ", "→ næste trin")


def make_contexts(n: int, rng: random.Random) -> list[dict[str, Any]]:
    """``n`` employees with managers, one company, meeting times on working days and places."""
    managers = [
        {
            "id": f"M-{k:03d}",
            "name": f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}",
            "email": f"leder{k}@example.dk",
            "job_title": "Afdelingsleder",
            "department": rng.choice(DEPARTMENTS),
        }
        for k in range(1, 26)
    ]
    company = {"name": "Eksempel El A/S", "situation": "Travl ordrebog.", "plans": "Ny afdeling i Aarhus."}
    day = dt.date(2026, 3, 2)
    contexts = []
    for i in range(n):
        if i and i % 6 == 0:
            day += dt.timedelta(days=3 if day.weekday() == 4 else 1)
        start = dt.datetime.combine(day, dt.time(8 + rng.randrange(7), rng.choice((0, 15, 30, 45))))
        first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
        middle = f" {rng.choice(FIRST_NAMES)}" if rng.random() < 0.3 else ""
        contexts.append(
            {
                "employee": {
                    "id": f"E-{i + 1:05d}",
                    "name": f"{first}{middle} {last}",
                    "email": f"medarbejder{i + 1}@example.dk",
                    "job_title": rng.choice(JOB_TITLES),
                    "department": rng.choice(DEPARTMENTS),
                },
                "manager": rng.choice(managers),
                "company": company,
                "meeting": {"start": start, "duration_minutes": rng.choice((45, 60, 90)), "place": rng.choice(PLACES)},
            }
        )
    return contexts


def _sentence(rng: random.Random) -> str:
    words = rng.sample(WORDS_DA, rng.randint(4, 14))
    if rng.random() < 0.15:
        words.insert(rng.randrange(len(words)), rng.choice(SPECIAL))
    return " ".join(words).capitalize() + "."


def _text(rng: random.Random, multiline: bool, max_length: int | None) -> str:
    sentences = [_sentence(rng) for _ in range(rng.randint(1, 5))]
    glue = "\n" if multiline and rng.random() < 0.3 else " "
    text = glue.join(sentences)
    return text[:max_length].strip() if max_length else text


def make_answers(template: Template, context: dict[str, Any], rng: random.Random) -> dict[str, Any]:
    """An answer to every field the employee answers: texts, ratings, choices, dates, agreements, signature."""
    meeting_day: dt.date = context["meeting"]["start"].date()
    answers: dict[str, Any] = {}
    for f in template.answer_fields(ROLE):
        value: Any
        if isinstance(f, TextField):
            value = _text(rng, f.multiline, f.max_length)
        elif isinstance(f, RatingField):
            points: list[Any] = list(template.scale_of(f).values)
            value = rng.choice([*points, "not_relevant"] if f.not_relevant else points)
        elif isinstance(f, ChoiceField):
            ids = [o.id for o in f.options]
            value = ([i for i in ids if rng.random() < 0.4] or [rng.choice(ids)]) if f.multiple else rng.choice(ids)
        elif isinstance(f, CheckField):
            value = rng.random() < 0.5
        elif isinstance(f, DateField):
            value = meeting_day + dt.timedelta(days=rng.randint(150, 210))
        elif isinstance(f, AgreementsField):
            value = [_agreement(f, meeting_day, rng) for _ in range(rng.randint(1, f.rows))]
        elif isinstance(f, SignatureField):
            signer = context["employee"] if f.signer == "employee" else context["manager"]
            value = {"name": signer["name"], "date": meeting_day}
        else:
            continue
        answers[f.id] = value
    return answers


def _agreement(f: AgreementsField, day: dt.date, rng: random.Random) -> dict[str, Any]:
    row: dict[str, Any] = {"action": _sentence(rng)}
    for column in f.columns:
        if column == "owner":
            row["owner"] = rng.choice(("employee", "manager"))
        elif column == "deadline":
            row["deadline"] = day + dt.timedelta(days=rng.randint(30, 365))
        elif column == "method":
            row["method"] = rng.choice(AGREEMENT_METHODS)
        elif column == "status":
            row["status"] = rng.choice(AGREEMENT_STATUSES)
        elif column == "comment":
            row["comment"] = _sentence(rng)
    return row


# -- the equivalent docxtpl template ----------------------------------------------------------------

MONTHS = {
    "da": _words("januar februar marts april maj juni juli august september oktober november december"),
    "en": _words("January February March April May June July August September October November December"),
}
PERSON = (
    "{{ %(p)s.name }}{%% if %(p)s.job_title or %(p)s.department %%} "
    "({{ [%(p)s.job_title, %(p)s.department] | select | join(', ') }}){%% endif %%}"
)
EMPLOYEE_CELL = PERSON % {"p": "employee"}
MANAGER_CELL = "{% if manager %}" + PERSON % {"p": "manager"} + "{% endif %}"
MEETING_CELL = (
    "{% if meeting and meeting.start %}{{ meeting.start | date }}, {{ meeting.start | time }}"
    "–{{ meeting | end_time }}{% endif %}"
)
PLACE_CELL = "{{ meeting.place if meeting and meeting.place else '' }}"
BOX = "☐"


def docxtpl_env(language: str) -> Any:
    """The Jinja environment docxtpl renders with: autoescaped, with the filters musforms' texts use."""
    import jinja2

    def date(value: object) -> str:
        if not isinstance(value, dt.date):
            return "" if value is None else str(value)
        month = MONTHS.get(language, MONTHS["en"])[value.month - 1]
        return f"{value.day}. {month} {value.year}" if language == "da" else f"{value.day} {month} {value.year}"

    def time_of(value: object) -> str:
        return f"{value:%H:%M}" if isinstance(value, dt.datetime | dt.time) else ""

    def end_time(meeting: dict[str, Any]) -> str:
        end = meeting["start"] + dt.timedelta(minutes=meeting.get("duration_minutes", 60))
        return f"{end:%H:%M}"

    env = jinja2.Environment(autoescape=True)
    env.filters.update(date=date, time=time_of, end_time=end_time)
    return env


def build_docxtpl_template(template: Template, path: Path) -> None:
    """A .docx with the same content as musforms' employee form, and Jinja tags for the personal parts."""
    import docx
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    from musforms._core.i18n import words
    from musforms._core.identity import IDENTITY_LINE

    w: dict[str, str] = {str(key): text for key, text in words(template.language).items()}
    document = docx.Document()
    section = document.sections[0]
    company = template.company.name if template.company and template.company.name else None
    section.header.paragraphs[0].text = (company or "{{ company.name if company else '' }}") + "\t" + template.title
    footer = section.footer.paragraphs[0]

    def page_field(instruction: str) -> None:
        simple = OxmlElement("w:fldSimple")
        simple.set(qn("w:instr"), f" {instruction} ")
        run, text = OxmlElement("w:r"), OxmlElement("w:t")
        text.text = "1"
        run.append(text)
        simple.append(run)
        footer._p.append(simple)

    footer.add_run(f"{w['page']} ")
    page_field("PAGE")
    footer.add_run(f" {w['of']} ")
    page_field("NUMPAGES")
    footer.add_run(f"\t{w['form_identity']} {{{{ form_id[:8] }}}}")

    def paragraphs(text: str) -> None:
        for block in text.strip().split("\n\n"):
            lines = [line.strip() for line in block.strip().split("\n") if line.strip()]
            if lines and all(line.startswith(("- ", "• ")) for line in lines):
                for line in lines:
                    document.add_paragraph("•\t" + line[2:])
            elif lines:
                document.add_paragraph(" ".join(lines))

    def label_cell(cell: Any, f: FormField, extra: str | None = None) -> None:
        cell.paragraphs[0].add_run(getattr(f, "label", None) or "").bold = True
        for more in (f.help, extra):
            if more:
                cell.add_paragraph(more)

    def table(rows: int, cols: int) -> Any:
        grid = document.add_table(rows=rows, cols=cols)
        grid.style = "Table Grid"
        return grid

    def spacer() -> None:
        document.add_paragraph()

    document.add_paragraph(template.title, style="Title")
    document.add_paragraph(w["employee_form"], style="Subtitle")
    people = table(4, 2)
    for row, (label, value) in zip(
        people.rows,
        (
            (w["employee"], EMPLOYEE_CELL),
            (w["manager"], MANAGER_CELL),
            (w["meeting"], MEETING_CELL),
            (w["place"], PLACE_CELL),
        ),
        strict=True,
    ):
        row.cells[0].paragraphs[0].add_run(label).bold = True
        row.cells[1].text = value
    spacer()
    if template.intro:
        paragraphs(template.intro)

    for number, sec in enumerate(template.sections_for(ROLE), start=1):
        box = f"\t{w['about_minutes'].format(n=sec.minutes)}" if sec.minutes else ""
        document.add_paragraph(f"{number}. {sec.title}{box}", style="Heading 1")
        if sec.guidance:
            paragraphs(sec.guidance)
        fields = [f for f in sec.fields if f.shown_to(ROLE)]
        index = 0
        while index < len(fields):
            f = fields[index]
            if isinstance(f, RatingField):
                group = [f]
                while (
                    index + len(group) < len(fields)
                    and isinstance(nxt := fields[index + len(group)], RatingField)
                    and nxt.scale == f.scale
                ):
                    group.append(nxt)
                index += len(group)
                rated = [g for g in group if g.answered_by(ROLE)]
                if not rated:
                    continue
                scale = template.scale_of(rated[0])
                with_na = any(g.not_relevant for g in rated)
                grid = table(1 + len(rated), 1 + len(scale.points) + with_na)
                head = grid.rows[0].cells
                head[0].paragraphs[0].add_run(scale.title or w["item"]).bold = True
                for cell, point in zip(head[1:], scale.points, strict=False):
                    cell.paragraphs[0].add_run(str(point.value)).bold = True
                    cell.add_paragraph(point.label)
                if with_na:
                    head[-1].text = scale.not_relevant_label or w["not_relevant"]
                for row, g in zip(grid.rows[1:], rated, strict=True):
                    label_cell(row.cells[0], g)
                    for cell in row.cells[1 : 1 + len(scale.points)]:
                        cell.text = BOX
                    if with_na and g.not_relevant:
                        row.cells[-1].text = BOX
                spacer()
                continue
            index += 1
            if isinstance(f, InfoField):
                if f.label:
                    document.add_paragraph().add_run(f.label).bold = True
                paragraphs(f.text)
            elif isinstance(f, TextField):
                grid = table(2, 1)
                label_cell(grid.cell(0, 0), f)
            elif isinstance(f, DateField | CheckField):
                grid = table(1, 2)
                label_cell(grid.cell(0, 0), f)
                if isinstance(f, CheckField):
                    grid.cell(0, 1).text = BOX
            elif isinstance(f, ChoiceField):
                grid = table(1 + len(f.options), 2)
                label_cell(grid.cell(0, 0).merge(grid.cell(0, 1)), f, w["tick_any" if f.multiple else "tick_one"])
                for row, option in zip(grid.rows[1:], f.options, strict=True):
                    row.cells[0].text = BOX
                    row.cells[1].text = option.label
            elif isinstance(f, AgreementsField):
                grid = table(2 + f.rows, len(f.columns))
                label_cell(grid.cell(0, 0).merge(grid.cell(0, len(f.columns) - 1)), f)
                for cell, column in zip(grid.rows[1].cells, f.columns, strict=True):
                    cell.paragraphs[0].add_run(w[f"col_{column}"]).bold = True
            elif isinstance(f, SignatureField):
                grid = table(2, 3)
                label_cell(grid.cell(0, 0), f)
                for cell, word in zip(grid.rows[1].cells, (w["signature"], w["name"], w["date"]), strict=True):
                    cell.text = word
            spacer()

    document.add_paragraph(w["confidential"])
    document.add_paragraph(
        f"{IDENTITY_LINE} {template.id} {template.version} {template.fingerprint} {ROLE} "
        "{{ employee.id or '-' }} {{ form_id }}"
    )
    document.save(str(path))


def render_docxtpl(path: Path, env: Any, context: dict[str, Any]) -> bytes:
    """One form with docxtpl, as a developer would write it: load the template, render, save."""
    from docxtpl import DocxTemplate

    tpl = DocxTemplate(path)
    tpl.render({**context, "form_id": uuid.uuid4().hex}, jinja_env=env, autoescape=True)
    out = io.BytesIO()
    tpl.save(out)
    return out.getvalue()


# -- reading with python-docx and lxml --------------------------------------------------------------


def walk_python_docx(data: bytes) -> list[str]:
    """Load a .docx with python-docx and read every cell of every table and every paragraph."""
    import docx

    document = docx.Document(io.BytesIO(data))
    texts = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    texts += [paragraph.text for paragraph in document.paragraphs]
    return texts


def walk_python_docx_deep(data: bytes) -> list[str]:
    """The same walk, reading all the text of each cell and paragraph, content controls included (where the
    answers are: python-docx's ``.text`` skips them)."""
    import docx

    document = docx.Document(io.BytesIO(data))
    texts = [
        "".join(cell._tc.xpath(".//w:t/text()"))
        for table in document.tables
        for row in table.rows
        for cell in row.cells
    ]
    texts += ["".join(paragraph._p.xpath(".//w:t/text()")) for paragraph in document.paragraphs]
    return texts


def lxml_floor(data: bytes) -> int:
    """Unzip word/document.xml and parse it with lxml, nothing more: the floor of any reader."""
    from lxml import etree

    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        root = etree.fromstring(archive.read("word/document.xml"))
    return len(root)


def document_xml(data: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return archive.read("word/document.xml").decode("utf-8")


def plain(xml: str) -> str:
    """The text of a document.xml, roughly (tags removed, entities of the five XML characters undone)."""
    text = re.sub(r"<[^>]+>", "", xml)
    for entity, char in (("&lt;", "<"), ("&gt;", ">"), ("&quot;", '"'), ("&apos;", "'"), ("&amp;", "&")):
        text = text.replace(entity, char)
    return text


# -- the run ----------------------------------------------------------------------------------------


@dataclass
class Results:
    n: int
    command: str
    render_mf: Phase
    render_tpl: Phase
    render_prefilled: Phase
    parse_mf: Phase
    parse_pydocx: Phase
    parse_pydocx_sdt: Phase
    parse_floor: Phase
    once_ms: dict[str, float]
    checks: list[str]
    peak_per_phase: bool
    load: float | None
    """The 1-minute load average when the run started: other work on the machine makes the figures noisy."""


def run(n: int, seed: int, warmup: int, command: str) -> Results:
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else None
    memory = Memory()
    rng = random.Random(seed)
    checks: list[str] = []
    once_ms: dict[str, float] = {}

    contexts = make_contexts(n + warmup, rng)
    warm, contexts = contexts[:warmup], contexts[warmup:]

    # One-time costs, measured first so that nothing has warmed them up.
    once_ms["load_template"], template = once(lambda: load_template(TEMPLATE_ID))
    once_ms["first_render"], first = once(lambda: render(template, "docx", role=ROLE, context=contexts[0]))
    once_ms["first_parse"], parsed_first = once(lambda: parse(first))
    require(parsed_first.subject_id == contexts[0]["employee"]["id"], "the first form's subject_id")
    once_ms["compile"] = _recompile_ms(template)

    # The docxtpl template, built once, and checked against musforms' form: same tables, same texts.
    workdir = tempfile.TemporaryDirectory(prefix="musforms-bench-")
    tpl_path = Path(workdir.name) / f"{TEMPLATE_ID}-{ROLE}.docx"
    once_ms["build_docxtpl_template"], _ = once(lambda: build_docxtpl_template(template, tpl_path))
    env = docxtpl_env(template.language)
    checks.append(_check_equivalent(template, first, render_docxtpl(tpl_path, env, contexts[0])))

    # 1. Render N blank forms, each for another employee.
    kept_mf: dict[int, bytes] = {}
    render_mf = measure(
        "musforms render",
        contexts,
        lambda ctx: render(template, "docx", role=ROLE, context=ctx),
        memory,
        warmup=warm,
        keep=every_hundredth(kept_mf),
    )
    for i, data in kept_mf.items():
        form = parse(data)
        require(form.subject_id == contexts[i]["employee"]["id"], f"musforms form {i}: subject_id")
        require(contexts[i]["employee"]["name"] in plain(document_xml(data)), f"musforms form {i}: employee name")
    checks.append(f"musforms render: {len(kept_mf)} sampled forms parse back to their employee's subject_id.")

    # 2. Filled forms: render them prefilled (the carry-over case), then parse them.
    jobs = [(ctx, make_answers(template, ctx, rng), uuid.uuid4().hex) for ctx in contexts]
    warm_jobs = [(ctx, make_answers(template, ctx, rng), uuid.uuid4().hex) for ctx in warm]

    def prefilled(job: Job) -> bytes:
        ctx, answers, form_id = job
        return render(template, "docx", role=ROLE, context=ctx, answers=answers, form_id=form_id)

    filled: list[bytes] = []
    render_prefilled = measure(
        "musforms render prefilled",
        jobs,
        prefilled,
        memory,
        warmup=warm_jobs,
        keep=lambda _i, _job, out: filled.append(out),
    )
    warm_filled = [prefilled(job) for job in warm_jobs]

    model = template.answers_model(ROLE)

    def check_parsed(i: int, _data: bytes, form: FilledForm) -> None:
        ctx, answers, form_id = jobs[i]
        require(form.subject_id == ctx["employee"]["id"], f"parsed form {i}: subject_id")
        require(form.form_id == form_id, f"parsed form {i}: form_id")
        require(form.ok and not form.issues, f"parsed form {i}: issues {form.issues}")
        expected = model.model_validate(answers).model_dump()
        got = model.model_validate(form.answers).model_dump()
        wrong = sorted(k for k in expected if expected[k] != got.get(k))
        require(not wrong, f"parsed form {i}: answers differ in {wrong}")

    parse_mf = measure("musforms parse", filled, parse, memory, warmup=warm_filled, keep=check_parsed)
    checks.append(
        f"musforms parse: all {len(filled)} forms have their employee's subject_id and form_id, no issues, and "
        f"answers equal to the prefilled ones ({len(template.answer_fields(ROLE))} fields each)."
    )

    # 3. The same work with docxtpl and python-docx, after musforms, so that its memory figures are its own.
    kept_tpl: dict[int, bytes] = {}
    render_tpl = measure(
        "docxtpl render+save",
        contexts,
        lambda ctx: render_docxtpl(tpl_path, env, ctx),
        memory,
        warmup=warm[: max(3, warmup // 4)],
        keep=every_hundredth(kept_tpl),
    )
    for i, data in kept_tpl.items():
        text = plain(document_xml(data))
        employee = contexts[i]["employee"]
        require(employee["name"] in text and employee["id"] in text, f"docxtpl form {i}: employee name and id")
        require("{{" not in text and "{%" not in text, f"docxtpl form {i}: Jinja tags left")
    checks.append(f"docxtpl render: {len(kept_tpl)} sampled forms hold their employee's name and id, no Jinja left.")

    walked: dict[int, list[str]] = {}
    parse_pydocx = measure(
        "python-docx load+walk",
        filled,
        walk_python_docx,
        memory,
        warmup=warm_filled[: max(3, warmup // 4)],
        keep=every_hundredth(walked),
    )
    for i, texts in walked.items():
        require(any(jobs[i][0]["employee"]["name"] in t for t in texts), f"python-docx walk {i}: employee name")

    deep: dict[int, list[str]] = {}
    parse_pydocx_sdt = measure(
        "python-docx load+walk, content controls too",
        filled,
        walk_python_docx_deep,
        memory,
        warmup=warm_filled[: max(3, warmup // 4)],
        keep=every_hundredth(deep),
    )
    text_ids = [f.id for f in template.answer_fields(ROLE) if isinstance(f, TextField)]
    for i in deep:
        answer = jobs[i][1][text_ids[0]].split("\n")[0][:30]
        require(any(answer in t for t in deep[i]), f"python-docx deep walk {i}: the answer {answer!r}")
        require(not any(answer in t for t in walked[i]), f"python-docx walk {i}: sees {answer!r} after all")
    checks.append(
        f"python-docx walk: {len(walked)} sampled forms show their employee's name, but not the answers: "
        "python-docx's `.text` skips the text inside content controls, where musforms puts the answers. The "
        "deep walk finds them (checked on the same sample)."
    )
    parse_floor = measure("zipfile+lxml", filled, lxml_floor, memory, warmup=warm_filled)
    workdir.cleanup()
    return Results(
        n,
        command,
        render_mf,
        render_tpl,
        render_prefilled,
        parse_mf,
        parse_pydocx,
        parse_pydocx_sdt,
        parse_floor,
        once_ms,
        checks,
        memory.per_phase,
        load,
    )


def every_hundredth(store: dict[int, R]) -> Callable[[int, Any, R], None]:
    """A ``keep`` that stores every SAMPLE_EVERY-th result, for checks after the timing."""

    def keep(index: int, _item: Any, result: R) -> None:
        if index % SAMPLE_EVERY == 0:
            store[index] = result

    return keep


def _recompile_ms(template: Template, times: int = 20) -> float:
    """The median time to compile the employee layout again (the render cache cleared each time)."""
    try:
        from musforms._formats.docx.layout import compile_layout
    except ImportError:
        return float("nan")
    samples = []
    for _ in range(times):
        compile_layout.cache_clear()
        ms, _layout = once(lambda: compile_layout(template, ROLE))
        samples.append(ms)
    return statistics.median(samples)


def _check_equivalent(template: Template, ours: bytes, theirs: bytes) -> str:
    """Both documents have the same number of tables, and every label of the form is in both."""
    a, b = document_xml(ours), document_xml(theirs)
    tables_a, tables_b = a.count("<w:tbl>"), b.count("<w:tbl>")
    require(tables_a == tables_b, f"musforms' form has {tables_a} tables, the docxtpl template {tables_b}")
    text_a, text_b = plain(a), plain(b)
    labels = [getattr(f, "label", None) for f in template.fields_for(ROLE)]
    missing = [label for label in labels if label and (label not in text_a or label not in text_b)]
    require(not missing, f"labels missing from one of the forms: {missing[:3]}")
    return (
        f"Equivalent content: both forms have {tables_a} tables and all {sum(1 for x in labels if x)} field labels; "
        f"sizes {len(ours) / 1024:.0f} KB (musforms) and {len(theirs) / 1024:.0f} KB (docxtpl)."
    )


# -- the report -------------------------------------------------------------------------------------


def machine(load: float | None) -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    usable = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    versions = ", ".join(
        f"{name} {_version(name)}" for name in ("musforms", "docxtpl", "python-docx", "lxml", "Jinja2", "pydantic")
    )
    busy = f"; load average {load:.2f} at the start" if load is not None else ""
    return (
        f"{cpu}, {os.cpu_count()} CPUs ({usable} usable){busy}; {platform.system()} {platform.release()} "
        f"{platform.machine()}; Python {platform.python_version()}; {versions}."
    )


def source_state() -> str:
    """The commit the measured code is at, and whether src/ had uncommitted changes."""
    import subprocess

    def git(*args: str) -> str:
        done = subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True, check=True)
        return done.stdout.strip()

    try:
        commit = git("rev-parse", "--short", "HEAD")
        dirty = git("status", "--porcelain", "--", "src")
    except (OSError, subprocess.CalledProcessError):
        return "not a git checkout"
    return f"commit {commit}" + (" with uncommitted changes in src/" if dirty else "")


def _version(name: str) -> str:
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return "(not installed)"


def _row(method: str, phase: Phase, ratio: str) -> str:
    size = f"{statistics.fmean(phase.sizes) / 1024:.0f}" if phase.sizes else "–"
    return (
        f"| {method} | {phase.median_ms:.3f} | {phase.mean_ms:.3f} | {phase.p95_ms:.3f} | {phase.docs_per_s:,.0f} "
        f"| {size} | {ratio} |"
    )


def _verdict(ratio: float, goal: float) -> str:
    return f"goal ≥ {goal:.0f}×, judged by the median: **{'met' if ratio >= goal else 'missed'}**"


def report(r: Results) -> str:
    n = r.n
    render_ratio = r.render_tpl.mean_ms / r.render_mf.mean_ms
    render_ratio_median = r.render_tpl.median_ms / r.render_mf.median_ms
    parse_ratio = r.parse_pydocx.mean_ms / r.parse_mf.mean_ms
    parse_ratio_median = r.parse_pydocx.median_ms / r.parse_mf.median_ms
    head = "| Method | median ms/doc | mean ms/doc | p95 ms/doc | docs/s | KB/doc | median vs musforms |"
    rule = "|---|---:|---:|---:|---:|---:|---:|"
    o = r.once_ms
    lines = [
        f"Measured {dt.date.today().isoformat()} with `{r.command}`: N = {n:,} documents per row, "
        f"template `{TEMPLATE_ID}`, the employee's form.",
        "",
        f"Machine: {machine(r.load)}",
        "",
        f"Code: {source_state()}.",
        "",
        f"### Render {n:,} forms, each for another employee",
        "",
        head,
        rule,
        _row("musforms `render(...)`, blank form", r.render_mf, "1×"),
        _row("docxtpl `DocxTemplate(path)`, `.render(ctx)`, `.save(buf)`", r.render_tpl, f"{render_ratio_median:.1f}×"),
        _row(
            "musforms `render(..., answers=...)`, every field prefilled (carry-over)",
            r.render_prefilled,
            f"{r.render_prefilled.median_ms / r.render_mf.median_ms:.1f}×",
        ),
        "",
        f"docxtpl / musforms: **{render_ratio_median:.0f}×** by the median, {render_ratio:.0f}× by the mean — "
        f"{_verdict(render_ratio_median, RENDER_GOAL)}.",
        "",
        "One-time costs, paid once per process or per template and role, not included above:",
        "",
        "| What | ms |",
        "|---|---:|",
        f'| `load_template("{TEMPLATE_ID}")`, first call | {o["load_template"]:.1f} |',
        f"| first `render` of the template and role (imports, package skeleton, compiling the layout) "
        f"| {o['first_render']:.1f} |",
        f"| compiling the layout alone (`compile_layout`, median of 20) | {o['compile']:.1f} |",
        f"| first `parse` of the template and role (the layout it is compared with) | {o['first_parse']:.1f} |",
        f"| building the docxtpl template with python-docx (benchmark setup) | {o['build_docxtpl_template']:.1f} |",
        "",
        f"### Parse {n:,} filled forms",
        "",
        head,
        rule,
        _row("musforms `parse(data)`: identity, answers, issues", r.parse_mf, "1×"),
        _row(
            "python-docx `Document(BytesIO(data))`, every table cell and paragraph `.text`",
            r.parse_pydocx,
            f"{parse_ratio_median:.1f}×",
        ),
        _row(
            "python-docx as above, but reading the text inside content controls too (`cell._tc.xpath('.//w:t')`)",
            r.parse_pydocx_sdt,
            f"{r.parse_pydocx_sdt.median_ms / r.parse_mf.median_ms:.1f}×",
        ),
        _row(
            "zipfile + lxml, `word/document.xml` parsed only (a floor)",
            r.parse_floor,
            f"{r.parse_floor.median_ms / r.parse_mf.median_ms:.2f}×",
        ),
        "",
        f"python-docx / musforms: **{parse_ratio_median:.1f}×** by the median, {parse_ratio:.1f}× by the mean — "
        f"{_verdict(parse_ratio_median, PARSE_GOAL)}.",
        "",
        "### Memory (resident set size)",
        "",
        "| Phase | RSS at start MB | after 100 docs MB | after N docs MB | growth 100 → N MB | peak in phase MB "
        "| `gc.collect()` after the phase: objects freed, RSS MB |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for phase in (r.render_mf, r.render_prefilled, r.parse_mf, r.render_tpl, r.parse_pydocx):
        first_sample = phase.rss_after(min(SAMPLE_EVERY, n))
        last = phase.rss[-1][1]
        lines.append(
            f"| {phase.name} × {n:,} | {phase.rss_start / MB:.1f} | {first_sample / MB:.1f} | {last / MB:.1f} "
            f"| {(last - first_sample) / MB:+.1f} | {phase.peak / MB:.1f} "
            f"| {phase.garbage:,}, {phase.rss_collected / MB:.1f} |"
        )
    peak_note = (
        "Linux's VmHWM, reset at the start of each phase"
        if r.peak_per_phase
        else "no per-phase peak here: the process's peak so far, ru_maxrss"
    )
    lines += [
        "",
        f"The peak is per phase ({peak_note}). The prefilled renders are kept in memory as the input of the "
        "parse rows, so that phase grows by design. docxtpl and python-docx leave every document behind as "
        "cyclic garbage, which waits for the garbage collector's next full collection (the objects "
        "`gc.collect()` frees after the phase), and the allocator keeps the memory it took for it, so their RSS "
        "grows and hardly falls after the collection. musforms leaves no cyclic garbage and stays flat.",
        "",
        f"RSS every {SAMPLE_EVERY} documents, MB:",
        "",
    ]
    for phase in (r.render_mf, r.parse_mf, r.render_tpl, r.parse_pydocx):
        samples = " ".join(f"{rss / MB:.1f}" for _done, rss in phase.rss)
        lines.append(f"- {phase.name}: {samples}")
    lines += ["", "Checks done in the run (the measured work is real work):", ""]
    lines += [f"- {check}" for check in r.checks]
    return "\n".join(lines) + "\n"


def write_docs(section: str, page: Path = DOC_PAGE) -> None:
    """Replace the text between the markers of ``page`` with ``section``."""
    text = page.read_text(encoding="utf-8")
    start, end = text.find(START_MARK), text.find(END_MARK)
    if start < 0 or end < start:
        raise SystemExit(f"{page}: the markers {START_MARK} and {END_MARK} are missing")
    text = text[: start + len(START_MARK)] + "\n\n" + section + "\n" + text[end:]
    page.write_text(text, encoding="utf-8")
    progress(f"wrote the results into {page}")


# -- profiles ---------------------------------------------------------------------------------------


def profiles(n: int, seed: int) -> str:
    """cProfile of musforms render (blank forms) and parse (filled forms), top 15 functions by own time."""
    rng = random.Random(seed)
    template = load_template(TEMPLATE_ID)
    contexts = make_contexts(n, rng)
    filled = [render(template, "docx", role=ROLE, context=c, answers=make_answers(template, c, rng)) for c in contexts]
    parse(filled[0])
    out = []
    for title, work in (
        (f"musforms render × {n}", lambda: [render(template, "docx", role=ROLE, context=c) for c in contexts]),
        (f"musforms parse × {n}", lambda: [parse(data) for data in filled]),
    ):
        profiler = cProfile.Profile()
        profiler.runcall(work)
        buffer = io.StringIO()
        pstats.Stats(profiler, stream=buffer).sort_stats("tottime").print_stats(15)
        body = "\n".join(line for line in buffer.getvalue().splitlines() if line.strip())
        out.append(f"## cProfile: {title}, top 15 by tottime\n\n```text\n{body}\n```\n")
    return "\n".join(out)


# -- command line -----------------------------------------------------------------------------------


def main(argv: Iterable[str] | None = None) -> int:
    args_list = list(sys.argv[1:] if argv is None else argv)
    parser = argparse.ArgumentParser(prog="python -m benchmarks.bench_docx", description=__doc__.split("\n")[0])
    parser.add_argument("--n", type=int, default=1000, help="documents per measured row (default 1000)")
    parser.add_argument("--warmup", type=int, default=20, help="warm-up documents before each row (default 20)")
    parser.add_argument("--seed", type=int, default=2026, help="seed of the generated employees and answers")
    parser.add_argument("--write-docs", action="store_true", help=f"rewrite the results in {DOC_PAGE.name}")
    parser.add_argument("--profile", action="store_true", help="also print cProfile of musforms render and parse")
    args = parser.parse_args(args_list)
    if args.n < SAMPLE_EVERY:
        parser.error(f"--n must be at least {SAMPLE_EVERY}")
    command = " ".join(["python -m benchmarks.bench_docx", *args_list])
    results = run(args.n, args.seed, args.warmup, command)
    section = report(results)
    print(section)
    if args.write_docs:
        write_docs(section)
    if args.profile:
        print(profiles(min(args.n, 200), args.seed))
    return 0


if __name__ == "__main__":
    sys.exit(main())
