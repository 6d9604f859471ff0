"""Render and read web forms with musforms, side by side with the Word form of the same template and answers.

Run it from the repository root (it is not part of the test suite)::

    .venv/bin/python -m benchmarks.bench_html --n 1000        # prints, rewrites the web forms' figures in
                                                               # docs/performance.md
    .venv/bin/python -m benchmarks.bench_html --n 200 --no-docs

What it measures, in one process, on N generated employees (the people and answers of ``bench_docx``: names,
managers, meeting times and places; an answer to every field the employee answers, some texts with ``&``,
``<`` or quotes and line breaks):

1. Rendering the employee's form of ``mus-scored-da`` prefilled with the employee's answers: as a web page
   with :func:`musforms.render_html`, and as a Word form with ``musforms.render(..., "docx")``.
2. Reading it back: the fields a browser submits for that page (read from its HTML once, outside the timing,
   with the standard library's HTML parser) with :func:`musforms.parse_submission`, both as the raw urlencoded
   body and as the mapping of lists a web framework gives (``urllib.parse.parse_qs``, parsed outside the
   timing); and the Word file with ``musforms.parse``. Every result is checked: the web form's answers equal
   the Word form's, and neither has an issue.

The four kinds of work take turns form by form (the order rotating), so that a slower or busier stretch of the
run falls on all of them alike. Times are per form, with ``time.perf_counter``, after warm-up runs.
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import statistics
import sys
import time
import urllib.parse
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import partial
from importlib import metadata
from pathlib import Path
from typing import Any

from tests.htmltools import page_fields, urlencoded

from benchmarks.bench_docx import make_answers, make_contexts, source_state
from musforms import load_template, parse_submission, render_html
from musforms._formats.parse import parse
from musforms._formats.render import render

ROOT = Path(__file__).resolve().parents[1]
DOC_PAGE = ROOT / "docs" / "performance.md"
START_MARK = "<!-- bench-html:start -->"
END_MARK = "<!-- bench-html:end -->"
TEMPLATE_ID = "mus-scored-da"


@dataclass
class Phase:
    """The per-form times and sizes of one kind of work."""

    name: str
    times: list[float] = field(default_factory=list)
    sizes: list[int] = field(default_factory=list)

    @property
    def median_ms(self) -> float:
        return statistics.median(self.times) * 1000

    @property
    def mean_ms(self) -> float:
        return statistics.fmean(self.times) * 1000

    @property
    def p95_ms(self) -> float:
        return statistics.quantiles(self.times, n=20)[-1] * 1000


def progress(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def timed(phase: Phase, work: Callable[[], Any]) -> Any:
    start = time.perf_counter()
    result = work()
    phase.times.append(time.perf_counter() - start)
    return result


def run(n: int, seed: int, warmup: int) -> tuple[dict[str, Phase], list[str]]:
    rng = random.Random(seed)
    template = load_template(TEMPLATE_ID)
    contexts = make_contexts(n + warmup, rng)
    jobs = [(ctx, make_answers(template, ctx, rng), f"f{i:08d}") for i, ctx in enumerate(contexts)]
    phases = {
        key: Phase(name)
        for key, name in [
            ("render_html", "musforms `render_html(...)`, prefilled"),
            ("render_docx", 'musforms `render(..., "docx")`, prefilled'),
            ("parse_body", "musforms `parse_submission(body)`, the urlencoded body"),
            ("parse_fields", "musforms `parse_submission(fields)`, the fields as `parse_qs` gives them"),
            ("parse_docx", "musforms `parse(docx)`"),
        ]
    }
    progress(f"{n} forms ({warmup} warm-up) of {TEMPLATE_ID}, the employee's form")
    checked = 0
    for index, (ctx, answers, form_id) in enumerate(jobs):
        counting = index >= warmup
        scratch = {key: Phase(key) for key in phases}
        use = phases if counting else scratch

        page = partial(render_html, template, role="employee", context=ctx, answers=answers, form_id=form_id)
        word = partial(render, template, "docx", role="employee", context=ctx, answers=answers, form_id=form_id)
        order: list[tuple[str, Callable[[], Any]]] = [("render_html", page), ("render_docx", word)]
        made = {key: timed(use[key], work) for key, work in (order if index % 2 else order[::-1])}
        web_page, docx = made["render_html"], made["render_docx"]
        body = urlencoded(page_fields(web_page.html))
        fields = urllib.parse.parse_qs(body.decode("ascii"), keep_blank_values=True)
        reads: list[tuple[str, Callable[[], Any]]] = [
            ("parse_body", partial(parse_submission, body, templates=[template])),
            ("parse_fields", partial(parse_submission, fields, templates=[template])),
            ("parse_docx", partial(parse, docx, templates=[template])),
        ]
        shift = index % len(reads)
        read = {key: timed(use[key], work) for key, work in reads[shift:] + reads[:shift]}
        if counting:
            use["render_html"].sizes.append(len(web_page.html.encode("utf-8")))
            use["render_docx"].sizes.append(len(docx))
            use["parse_body"].sizes.append(len(body))
            use["parse_docx"].sizes.append(len(docx))
        word_form = read["parse_docx"]
        for key in ("parse_body", "parse_fields"):
            web_form = read[key]
            if web_form.answers != word_form.answers or web_form.issues or word_form.issues:
                raise SystemExit(f"form {index}: the web form read back differs from the Word form ({key})")
            if web_form.subject_id != ctx["employee"]["id"] or web_form.form_id != form_id:
                raise SystemExit(f"form {index}: the web form's identity is not the one rendered")
        checked += counting
        if counting and (index - warmup + 1) % 200 == 0:
            progress(f"  {index - warmup + 1} forms")
    checks = [
        f"{checked:,} web forms read back from their submissions (both ways) with the same answers as their "
        "Word forms, neither with an issue, each with the employee's id and the form id it was rendered with",
    ]
    return phases, checks


def _versions() -> str:
    names = ("musforms", "lxml", "Jinja2", "pydantic")
    return ", ".join(f"{name} {metadata.version(name)}" for name in names)


def report(phases: dict[str, Phase], checks: list[str], n: int, command: str, load: float | None) -> str:
    usable = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    busy = f"; load average {load:.2f} at the start" if load is not None else ""
    lines = [
        f"Measured {time.strftime('%Y-%m-%d')} with `{command}`: N = {n:,} forms of `{TEMPLATE_ID}`, the "
        "employee's form, prefilled with an answer in every field; each kind of work in turn, form by form.",
        "",
        f"Machine: {os.cpu_count()} CPUs ({usable} usable){busy}; {platform.system()} {platform.machine()}; "
        f"Python {platform.python_version()}; {_versions()}. Code: {source_state()}.",
        "",
        "| Work | median ms/form | mean ms/form | p95 ms/form | KB/form | median vs the Word form's |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    pairs = {
        "render_html": "render_docx",
        "render_docx": "render_docx",
        "parse_body": "parse_docx",
        "parse_fields": "parse_docx",
        "parse_docx": "parse_docx",
    }
    for key, phase in phases.items():
        ratio = phase.median_ms / phases[pairs[key]].median_ms
        size = f"{statistics.fmean(phase.sizes) / 1024:.0f}" if phase.sizes else "–"
        lines.append(
            f"| {phase.name} | {phase.median_ms:.3f} | {phase.mean_ms:.3f} | {phase.p95_ms:.3f} | {size} "
            f"| {ratio:.2f}× |"
        )
    lines += ["", "Checks done in the run:", ""] + [f"- {check}" for check in checks]
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


def main(argv: Iterable[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0] if __doc__ else None)
    parser.add_argument("--n", type=int, default=1000, help="forms measured (default 1000)")
    parser.add_argument("--warmup", type=int, default=20, help="forms made and read first, not counted")
    parser.add_argument("--seed", type=int, default=20260316)
    parser.add_argument("--no-docs", action="store_true", help="only print; leave docs/performance.md alone")
    args = parser.parse_args(list(argv) if argv is not None else None)
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else None
    phases, checks = run(args.n, args.seed, args.warmup)
    flags = f"--n {args.n}" + (" --no-docs" if args.no_docs else "")
    section = report(phases, checks, args.n, f"python -m benchmarks.bench_html {flags}", load)
    print(section)
    if not args.no_docs:
        write_docs(section)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
