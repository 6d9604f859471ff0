"""Render and parse Word forms with the code of an older commit and with the working tree, side by side in one run.

Run it from the repository root (it is not part of the test suite)::

    .venv/bin/python -m benchmarks.bench_ab                       # against 6694ccc, 300 forms, 3 rounds
    .venv/bin/python -m benchmarks.bench_ab --old HEAD~3 --n 500 --rounds 5
    .venv/bin/python -m benchmarks.bench_ab --new HEAD                 # a commit instead of the working tree

The older commit's ``src`` and ``builtin_templates`` are unpacked with ``git archive`` into a temporary folder
(the repository itself is not touched); so is the newer side's when it is a commit (``--new``), else it is the
working tree. Each round runs both sides, one after the other, each in a fresh
Python process of the same interpreter with its own ``musforms`` first on the path; the order alternates
from round to round, so that neither side always runs first on a machine that other work shares.

Each process, on the same N generated employees (``benchmarks.bench_docx``'s contexts and answers):

- renders each employee's blank form of ``mus-scored-da`` (employee's form), and measures it;
- renders each employee's form with an answer in every field, then parses the forms and measures that,
  checking every parsed form (subject id, form id, no issues, answers equal to the ones given);
- parses a fixed XML document built in the same way in every process with lxml (a reference that is the same
  work on both sides: how fast the machine was while that side ran).

Times are medians per document, after warm-up runs. The report gives each round, the median of the rounds,
and the ratio of the working tree to the older commit, as measured and against the reference.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import statistics
import subprocess
import sys
import tarfile
import tempfile
import time
import uuid
import zipfile
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
OLD = "6694ccc"
"""The commit before forms carried their template and the accessibility markup (after the layered package)."""
TEMPLATE_ID = "mus-scored-da"
MEASURES = ("render_blank", "parse", "reference")


# -- one side, in its own process ---------------------------------------------------------------------


def _times_ms(items: Sequence[Any], work: Callable[[Any], object], warmup: int) -> dict[str, float]:
    """``work`` on each item, timed: the median and the fastest tenth's bound (10th percentile) of the wall
    clock, and the median processor time of the measuring thread, in ms per item."""
    for item in items[:warmup]:
        work(item)
    wall, cpu = [], []
    clock, processor = time.perf_counter, time.thread_time
    for item in items:
        start, start_cpu = clock(), processor()
        work(item)
        cpu.append(processor() - start_cpu)
        wall.append(clock() - start)
    return {
        "median": statistics.median(wall) * 1000,
        "p10": statistics.quantiles(wall, n=10)[0] * 1000,
        "cpu": statistics.median(cpu) * 1000,
    }


def _reference_xml() -> bytes:
    """A fixed document of about the size of a form's ``document.xml``: the same bytes in every process."""
    cells = "".join(
        f'<w:tc><w:tcPr><w:tcW w:w="{1000 + i}" w:type="dxa"/></w:tcPr><w:p><w:pPr><w:spacing w:after="0"/>'
        f'</w:pPr><w:r><w:rPr><w:b/></w:rPr><w:t xml:space="preserve">Celle {i} med tekst </w:t></w:r></w:p></w:tc>'
        for i in range(4)
    )
    rows = "".join(f"<w:tr>{cells}</w:tr>" for _ in range(120))
    w = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
    return f'<w:document xmlns:w="{w}"><w:body><w:tbl>{rows}</w:tbl></w:body></w:document>'.encode()


def worker(n: int, seed: int, warmup: int) -> dict[str, Any]:
    """Measure the ``musforms`` first on the path (see the module's docstring)."""
    import random

    from lxml import etree

    import musforms
    from benchmarks.bench_docx import make_answers, make_contexts

    rng = random.Random(seed)
    template = musforms.load_template(TEMPLATE_ID)
    contexts = make_contexts(n, rng)
    jobs = [(ctx, make_answers(template, ctx, rng), uuid.UUID(int=rng.getrandbits(128)).hex) for ctx in contexts]

    def blank(ctx: dict[str, Any]) -> bytes:
        return musforms.render(template, "docx", role="employee", context=ctx)

    filled = [
        musforms.render(template, "docx", role="employee", context=ctx, answers=answers, form_id=form_id)
        for ctx, answers, form_id in jobs
    ]
    model = template.answers_model("employee")
    for (ctx, answers, form_id), data in zip(jobs, filled, strict=True):
        form = musforms.parse(data)
        expected = model.model_validate(answers).model_dump()
        if form.subject_id != ctx["employee"]["id"] or form.form_id != form_id or form.issues:
            raise SystemExit(f"a parsed form is not the one rendered: {form.subject_id} {form.issues}")
        if model.model_validate(form.answers).model_dump() != expected:
            raise SystemExit(f"form {form_id}: the answers read differ from the ones given")
    reference = _reference_xml()
    parser = etree.XMLParser(resolve_entities=False, no_network=True, remove_comments=True)
    with zipfile.ZipFile(io.BytesIO(filled[0])) as archive:
        document = archive.getinfo("word/document.xml").file_size
        custom = archive.getinfo("docProps/custom.xml").file_size
    measured = {
        "render_blank": _times_ms(contexts, blank, warmup),
        "parse": _times_ms(filled, musforms.parse, warmup),
        "reference": _times_ms([reference] * n, lambda xml: etree.fromstring(xml, parser), warmup),
    }
    return {
        **{f"{what}_{key}": value for what, times in measured.items() for key, value in times.items()},
        "file_kb": len(filled[0]) / 1024,
        "document_kb": document / 1024,
        "custom_kb": custom / 1024,
        "musforms": str(Path(musforms.__file__).parents[1]),
    }


# -- both sides, side by side ------------------------------------------------------------------------


def unpack(revision: str, into: Path) -> str:
    """A commit's source and built-in templates unpacked into ``into``; its short commit id."""
    commit = subprocess.run(
        ["git", "rev-parse", "--short", revision], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout.strip()
    archive = subprocess.run(
        ["git", "archive", "--format=tar", commit, "src", "builtin_templates"],
        cwd=ROOT,
        capture_output=True,
        check=True,
    ).stdout
    with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
        tar.extractall(into, filter="data")
    return commit


def run_side(src: Path, n: int, seed: int, warmup: int) -> dict[str, Any]:
    """One side measured in a fresh process with ``src`` first on the path."""
    env = {**os.environ, "PYTHONPATH": os.pathsep.join((str(src), str(ROOT)))}
    command = [sys.executable, "-m", "benchmarks.bench_ab", "--worker", "--n", str(n), "--seed", str(seed)]
    command += ["--warmup", str(warmup)]
    done = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True)
    if done.returncode != 0:
        raise SystemExit(f"the side in {src} failed:\n{done.stderr}")
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    if Path(result["musforms"]).resolve() != src.resolve():
        raise SystemExit(f"the side in {src} measured the musforms in {result['musforms']}")
    return result


def report(old: str, new: str, rounds: list[dict[str, dict[str, Any]]], n: int, load: tuple[float, float]) -> str:
    """The rounds and their summary, as Markdown."""
    lines = [
        f"mus-scored-da, employee's form, N = {n} forms per side and round, ms per form: the median of the wall "
        "clock, the 10th percentile (the fastest tenth, least disturbed by other work) and the median processor "
        f"time of the measuring thread; old = {old}, new = {new}; {len(rounds)} rounds, the order alternating; "
        f"load average {load[0]:.2f} at the start, {load[1]:.2f} at the end.",
        "",
        "| round | side | render blank: median, p10, cpu | parse filled: median, p10, cpu "
        "| reference (fixed XML): median, p10, cpu | file KB | document.xml KB | custom.xml KB |",
        "|---:|---|---:|---:|---:|---:|---:|---:|",
    ]
    for number, sides in enumerate(rounds, start=1):
        for side in ("old", "new"):
            r = sides[side]
            times = " | ".join(
                ", ".join(f"{r[f'{what}_{key}']:.3f}" for key in ("median", "p10", "cpu")) for what in MEASURES
            )
            lines.append(
                f"| {number} | {side} | {times} | {r['file_kb']:.1f} | {r['document_kb']:.1f} | {r['custom_kb']:.1f} |"
            )
    lines += [
        "",
        "Over the rounds (the median of the rounds' figures; ratios new / old):",
        "",
        "| measure | old median | new median | median | p10 | processor time | median, each against its reference |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for what, label in (("render_blank", "render blank"), ("parse", "parse filled")):

        def over(side: str, key: str, what: str = what) -> float:
            return statistics.median(s[side][f"{what}_{key}"] for s in rounds)

        relative = statistics.median(
            (s["new"][f"{what}_median"] / s["new"]["reference_median"])
            / (s["old"][f"{what}_median"] / s["old"]["reference_median"])
            for s in rounds
        )
        ratios = " | ".join(f"{over('new', key) / over('old', key):.3f}" for key in ("median", "p10", "cpu"))
        lines.append(
            f"| {label} | {over('old', 'median'):.3f} | {over('new', 'median'):.3f} | {ratios} | {relative:.3f} |"
        )
    return "\n".join(lines)


def main(argv: Iterable[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--old", default=OLD, help=f"the older commit (default {OLD})")
    parser.add_argument(
        "--new",
        default=None,
        help="a later commit, or a folder holding src/ and builtin_templates/ (default: the working tree)",
    )
    parser.add_argument("--n", type=int, default=300, help="forms per side and round (default 300)")
    parser.add_argument("--rounds", type=int, default=3, help="rounds, each running both sides (default 3)")
    parser.add_argument("--seed", type=int, default=19)
    parser.add_argument("--warmup", type=int, default=30)
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(list(argv) if argv is not None else None)
    if args.worker:
        print(json.dumps(worker(args.n, args.seed, args.warmup)))
        return 0
    start = os.getloadavg()[0]
    with tempfile.TemporaryDirectory(prefix="musforms-ab-") as folder:
        old = unpack(args.old, Path(folder) / "old")
        if args.new is None:
            new, new_src = "the working tree", ROOT / "src"
        elif Path(args.new, "src").is_dir():
            new, new_src = args.new, Path(args.new) / "src"
        else:
            new, new_src = unpack(args.new, Path(folder) / "new"), Path(folder) / "new" / "src"
        sources = {"old": Path(folder) / "old" / "src", "new": new_src}
        rounds: list[dict[str, dict[str, Any]]] = []
        for number in range(args.rounds):
            order = ("old", "new") if number % 2 == 0 else ("new", "old")
            sides = {side: run_side(sources[side], args.n, args.seed, args.warmup) for side in order}
            shown = ", ".join(
                f"{s} parse {sides[s]['parse_median']:.3f} (p10 {sides[s]['parse_p10']:.3f}) ms" for s in order
            )
            print(f"round {number + 1}: {shown}", flush=True)
            rounds.append(sides)
    print()
    print(report(old, new, rounds, args.n, (start, os.getloadavg()[0])))
    return 0


if __name__ == "__main__":
    sys.exit(main())
