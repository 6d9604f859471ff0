"""Render and parse Excel MUS forms with musforms, and the same work with openpyxl, side by side.

Run it from the repository root (it is not part of the test suite)::

    .venv/bin/python -m benchmarks.bench_xlsx --n 1000           # prints, rewrites docs/performance-xlsx.md
    .venv/bin/python -m benchmarks.bench_xlsx --n 200 --no-docs  # only prints
    .venv/bin/python -m benchmarks.bench_xlsx --profile          # also prints cProfile of musforms' side

What it measures, in one process, on N generated employees (names, ids, managers, meeting times, places):

1. Rendering the employee's form of ``mus-scored-da`` with ``musforms._formats.render.render`` (which stamps the
   workbook compiled once, without openpyxl), and building the equivalent workbook with openpyxl for the same
   person: the same plan of cells, styles, merged ranges, row heights, validations, defined names, protection,
   print settings, hidden sheets and custom properties (``musforms._formats.xlsx.build.build_workbook`` + ``save``).
   Both blank personalised forms and forms prefilled with answers.
2. Parsing N filled forms with ``musforms._formats.parse.parse`` (identity, every answer decoded and checked, content
   outside the answer cells compared), and loading the same files with openpyxl's ``load_workbook`` and
   reading the same answer cells through their defined names (no decoding). Every parsed form is checked.
3. The resident memory (RSS) at the start and end of each phase.

Times are per document, with ``time.perf_counter``, after warm-up runs; the one-time compile of the template
(for both sides) is not in the loops. Goals: render ≥ 20x faster than openpyxl building, parse ≥ 5x faster
than openpyxl loading.
"""

from __future__ import annotations

import argparse
import cProfile
import datetime as dt
import io
import os
import platform
import pstats
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path
from typing import Any

import openpyxl

from musforms import Role, Template, load_template
from musforms._formats.parse import parse
from musforms._formats.render import encode_answers, render
from musforms._formats.xlsx.build import build_workbook, workbook_bytes
from musforms._formats.xlsx.layout import compile_layout
from musforms._formats.xlsx.sheets import Stamp
from musforms._formats.xlsx.skeleton import compiled
from musforms._model.context import Context
from musforms._model.filled import FormIdentity
from musforms._model.values import AGREEMENT_METHODS

ROOT = Path(__file__).resolve().parents[1]
DOC_PAGE = ROOT / "docs" / "performance-xlsx.md"
TEMPLATE_ID = "mus-scored-da"
ROLE: Role = "employee"
RENDER_GOAL = 20.0
PARSE_GOAL = 5.0
MB = 1024 * 1024

FIRST = ("Mette", "Lars", "Ida", "Søren", "Anne", "Jens", "Æbbe", "Özlem", "Kim", "Signe")
LAST = ("Sørensen", "Holm", "Jensen", "Nielsen", "Østergaard", "Andersen", "Ærø", "Hansen")
PLACES = ("Mødelokale 2", "Kantinen", "Kontoret, 1. sal", "Teams")


def rss() -> int:
    """The process's resident memory now (Linux /proc; 0 elsewhere)."""
    try:
        return int(Path("/proc/self/statm").read_text().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        return 0


@dataclass
class Phase:
    """The per-document times of one measured loop, and the RSS at its start and end."""

    name: str
    times: list[float] = field(default_factory=list)
    rss_start: int = 0
    rss_end: int = 0

    @property
    def mean_ms(self) -> float:
        return 1000 * sum(self.times) / len(self.times)

    @property
    def median_ms(self) -> float:
        return 1000 * statistics.median(self.times)


def run(name: str, items: list[Any], work: Callable[[Any], Any], warmup: int) -> Phase:
    """``work`` on each item, timed one by one (after ``warmup`` untimed runs)."""
    for item in items[:warmup]:
        work(item)
    phase = Phase(name, rss_start=rss())
    clock = time.perf_counter
    for item in items:
        start = clock()
        work(item)
        phase.times.append(clock() - start)
    phase.rss_end = rss()
    return phase


# -- the documents -----------------------------------------------------------------------------------------------


def contexts(n: int) -> list[Context]:
    out = []
    for i in range(n):
        name = f"{FIRST[i % len(FIRST)]} {LAST[(i // len(FIRST)) % len(LAST)]}"
        out.append(
            Context.model_validate(
                {
                    "employee": {"id": f"E-{i:05d}", "name": name, "job_title": "Elektriker", "department": "Service"},
                    "manager": {"id": "M-01", "name": "Lars Holm", "job_title": "Afdelingsleder"},
                    "company": {"name": "Eksempel El A/S"},
                    "meeting": {
                        "start": dt.datetime(2026, 3, 2, 8, 0) + dt.timedelta(hours=i % 9, days=i // 9),
                        "place": PLACES[i % len(PLACES)],
                    },
                }
            )
        )
    return out


def answers_for(template: Template, i: int) -> dict[str, Any]:
    """Varied answers to every field the employee answers."""
    from musforms._model.fields import (
        AgreementsField,
        CheckField,
        ChoiceField,
        DateField,
        RatingField,
        SignatureField,
        TextField,
    )

    answers: dict[str, Any] = {}
    for n, f in enumerate(template.answer_fields(ROLE)):
        k = i + n
        if isinstance(f, TextField):
            answers[f.id] = f"Svar {k} – med æøå & <tegn> 😀" + ("\nAnden linje" if k % 2 else "")
        elif isinstance(f, RatingField):
            points = list(template.scale_of(f).values)
            answers[f.id] = "not_relevant" if f.not_relevant and k % 4 == 0 else points[k % len(points)]
        elif isinstance(f, ChoiceField):
            ids = [o.id for o in f.options]
            chosen = [x for j, x in enumerate(ids) if (j + k) % 2] or ids[:1]
            answers[f.id] = chosen if f.multiple else ids[k % len(ids)]
        elif isinstance(f, CheckField):
            answers[f.id] = bool(k % 2)
        elif isinstance(f, DateField):
            answers[f.id] = dt.date(2026, 1 + k % 12, 1 + k % 28)
        elif isinstance(f, AgreementsField):
            rows = []
            for r in range(1 + k % min(4, f.rows)):
                row: dict[str, Any] = {"action": f"Aftale {r + 1} for nr. {i}"}
                if "owner" in f.columns:
                    row["owner"] = ("employee", "manager")[r % 2]
                if "deadline" in f.columns:
                    row["deadline"] = dt.date(2026, 4 + r, 1 + r)
                if "method" in f.columns:
                    row["method"] = AGREEMENT_METHODS[(k + r) % len(AGREEMENT_METHODS)]
                rows.append(row)
            answers[f.id] = rows
        elif isinstance(f, SignatureField):
            answers[f.id] = {"name": "Mette Sørensen", "date": dt.date(2026, 3, 16)}
    return answers


@dataclass(frozen=True)
class Job:
    context: Context
    answers: dict[str, Any] | None
    form_id: str


def identity_of(template: Template, job: Job) -> FormIdentity:
    return FormIdentity(
        template_id=template.id,
        template_version=template.version,
        fingerprint=template.fingerprint,
        role=ROLE,
        subject_id=job.context.employee.id,
        form_id=job.form_id,
    )


# -- the benchmark -----------------------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=1000, help="documents per phase (default 1000)")
    parser.add_argument("--warmup", type=int, default=20, help="untimed runs before each phase")
    parser.add_argument("--no-docs", action="store_true", help=f"do not rewrite {DOC_PAGE.relative_to(ROOT)}")
    parser.add_argument("--profile", action="store_true", help="print cProfile of musforms render and parse")
    args = parser.parse_args(argv)
    n = args.n
    rss_start = rss()
    template = load_template(TEMPLATE_ID)
    layout = compile_layout(template, ROLE)

    started = time.perf_counter()
    compiled(template, ROLE)
    compile_ms = 1000 * (time.perf_counter() - started)

    people = contexts(n)
    blank_jobs = [Job(ctx, None, f"{i:032x}") for i, ctx in enumerate(people)]
    filled_jobs = [Job(ctx, answers_for(template, i), f"{i + n:032x}") for i, ctx in enumerate(people)]

    def ours(job: Job) -> bytes:
        return render(template, "xlsx", role=ROLE, context=job.context, answers=job.answers, form_id=job.form_id)

    def theirs(job: Job) -> bytes:
        values = encode_answers(template, ROLE, job.answers, "list")
        stamp = Stamp(context=job.context, values=values, identity=identity_of(template, job))
        return workbook_bytes(build_workbook(layout, stamp))

    # the two sides make the same form: check on a few documents before timing anything
    for job in (blank_jobs[0], filled_jobs[0], filled_jobs[-1]):
        a, b = parse(ours(job)), parse(theirs(job))
        assert a.answers == b.answers and a.identity == b.identity, "openpyxl's workbook is not the same form"
        assert not a.issues and not b.issues, (a.issues, b.issues)

    phases: dict[str, Phase] = {}
    phases["render_blank_musforms"] = run("render blank, musforms", blank_jobs, ours, args.warmup)
    phases["render_blank_openpyxl"] = run("render blank, openpyxl", blank_jobs, theirs, args.warmup)
    phases["render_filled_musforms"] = run("render prefilled, musforms", filled_jobs, ours, args.warmup)
    phases["render_filled_openpyxl"] = run("render prefilled, openpyxl", filled_jobs, theirs, args.warmup)

    files = [ours(job) for job in filled_jobs]
    names = list(layout.anchors)
    model = template.answers_model(ROLE)
    given = [job.answers or {} for job in filled_jobs]
    expected = [{k: v for k, v in model.model_validate(answers) if k in answers} for answers in given]
    checked: set[int] = set()

    def parse_ours(index: int) -> None:
        form = parse(files[index])
        if form.issues or any(form.answers[k] != v for k, v in expected[index].items()):
            raise AssertionError(f"form {index} did not parse back: {form.issues}")
        checked.add(index)

    def parse_theirs(index: int) -> dict[str, Any]:
        wb = openpyxl.load_workbook(io.BytesIO(files[index]))
        values = {}
        for name in names:
            ((sheet, ref),) = wb.defined_names[name].destinations
            values[name] = wb[sheet][ref.replace("$", "")].value
        return values

    indexes = list(range(n))
    phases["parse_musforms"] = run("parse, musforms", indexes, parse_ours, args.warmup)
    phases["parse_openpyxl"] = run("parse, openpyxl load_workbook", indexes, parse_theirs, args.warmup)

    render_ratio = phases["render_blank_openpyxl"].mean_ms / phases["render_blank_musforms"].mean_ms
    filled_ratio = phases["render_filled_openpyxl"].mean_ms / phases["render_filled_musforms"].mean_ms
    parse_ratio = phases["parse_openpyxl"].mean_ms / phases["parse_musforms"].mean_ms
    missed = render_ratio < RENDER_GOAL or filled_ratio < RENDER_GOAL or parse_ratio < PARSE_GOAL
    profile = _profile(ours, parse_ours, blank_jobs, filled_jobs, indexes) if (args.profile or missed) else ""

    report = _report(
        n=n,
        phases=phases,
        ratios=(render_ratio, filled_ratio, parse_ratio),
        compile_ms=compile_ms,
        size=(len(ours(blank_jobs[0])), sum(map(len, files)) // len(files)),
        rss_start=rss_start,
        rss_end=rss(),
        checked=len(checked),
        profile=profile,
        command=" ".join([".venv/bin/python -m benchmarks.bench_xlsx", *(argv if argv is not None else sys.argv[1:])]),
    )
    print(report)
    if not args.no_docs:
        DOC_PAGE.write_text(report, encoding="utf-8")
        print(f"\nwritten to {DOC_PAGE.relative_to(ROOT)}")
    return 1 if missed else 0


def _profile(
    ours: Callable[[Job], bytes],
    parse_ours: Callable[[int], None],
    blank: list[Job],
    filled: list[Job],
    indexes: list[int],
) -> str:
    out = []
    for title, work in (
        ("render (blank and prefilled)", lambda: [ours(j) for j in blank[:200] + filled[:200]]),
        ("parse", lambda: [parse_ours(i) for i in indexes[:200]]),
    ):
        profiler = cProfile.Profile()
        profiler.enable()
        work()
        profiler.disable()
        text = io.StringIO()
        pstats.Stats(profiler, stream=text).strip_dirs().sort_stats("cumulative").print_stats(18)
        lines = [line for line in text.getvalue().splitlines() if line.strip()]
        out.append(f"### cProfile: musforms {title}, 200 documents\n\n```text\n" + "\n".join(lines[-22:]) + "\n```\n")
    return "\n".join(out)


def _report(
    *,
    n: int,
    phases: dict[str, Phase],
    ratios: tuple[float, float, float],
    compile_ms: float,
    size: tuple[int, int],
    rss_start: int,
    rss_end: int,
    checked: int,
    profile: str,
    command: str,
) -> str:
    render_ratio, filled_ratio, parse_ratio = ratios

    def verdict(ratio: float, goal: float) -> str:
        return f"{ratio:.1f}× (goal ≥ {goal:.0f}×: {'met' if ratio >= goal else '**missed**'})"

    def row(label: str, ours: Phase, theirs: Phase, ratio: float, goal: float = RENDER_GOAL) -> str:
        return (
            f"| {label} | {ours.mean_ms:.2f} ({ours.median_ms:.2f}) | {theirs.mean_ms:.2f} ({theirs.median_ms:.2f}) "
            f"| {verdict(ratio, goal)} |"
        )

    def memory(phase: Phase) -> str:
        return f"| {phase.name} | {phase.rss_start / MB:.0f} | {phase.rss_end / MB:.0f} |"

    p = phases
    versions = ", ".join(f"{name} {metadata.version(name)}" for name in ("musforms", "openpyxl", "lxml", "pydantic"))
    lines = [
        "# Excel forms: performance",
        "",
        "Measured by `benchmarks/bench_xlsx.py` (run by hand, never by the test suite). It renders N personalised",
        f"workbooks of `{TEMPLATE_ID}` ({ROLE}'s form) with musforms and builds the same workbooks with openpyxl",
        "(same cells, styles, merged ranges, row heights, validations, defined names, protection, print settings,",
        "hidden sheets and custom properties), then parses N filled workbooks with musforms and loads them with",
        "openpyxl's `load_workbook`, reading the same answer cells through their defined names. musforms checks",
        "every parsed form (identity, answers equal to those prefilled, no issues); openpyxl only reads the cells.",
        "",
        f"- Command: `{command}`",
        f"- Date: {dt.date.today().isoformat()}",
        f"- Machine: {platform.platform()}, Python {platform.python_version()}, {os.cpu_count()} CPUs",
        f"- Versions: {versions}",
        f"- Documents per phase: {n}; parsed forms checked: {checked}",
        f"- Workbook size: {size[0] / 1024:.1f} KB blank, {size[1] / 1024:.1f} KB prefilled (mean)",
        f"- One-time compile of the template and role (openpyxl build + split into pieces): {compile_ms:.0f} ms",
        "",
        "## Time per document",
        "",
        "ms per document: mean (median).",
        "",
        "| phase | musforms | openpyxl | openpyxl ÷ musforms |",
        "|---|---|---|---|",
        row("render, blank personalised form", p["render_blank_musforms"], p["render_blank_openpyxl"], render_ratio),
        row("render, prefilled form", p["render_filled_musforms"], p["render_filled_openpyxl"], filled_ratio),
        row("parse a filled form", p["parse_musforms"], p["parse_openpyxl"], parse_ratio, PARSE_GOAL),
        "",
        "## Memory (RSS, MB)",
        "",
        "| phase | start | end |",
        "|---|---|---|",
        *(memory(phase) for phase in p.values()),
        "",
        f"Process: {rss_start / MB:.0f} MB at the start, {rss_end / MB:.0f} MB at the end.",
        "",
        "## How the speed is reached",
        "",
        "- The workbook of a template and role is built once with openpyxl and kept as a zip skeleton; each",
        "  sheet's XML is cut into fixed runs, deflated once, and slots (the person's names, texts with Jinja, the",
        "  identity, prefilled answer cells, row heights, page header and footer).",
        "- Stamping deflates only the slots and the runs holding a prefilled answer, writes `docProps/custom.xml`,",
        "  and copies every other part's compressed bytes (styles, theme, workbook with its defined names,",
        "  the lists sheet). Text goes in as inline strings, so the shared strings are never touched.",
        "- Parsing reads `xl/workbook.xml`, the styles' number formats and the sheets with lxml, and",
        "  decodes each answer with the same `musforms._core.codec.decode` as the Word parser.",
        "",
    ]
    if profile:
        lines += ["## Profile of musforms' side", "", profile]
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
