"""Render and parse Word (or Excel) forms with the code of an older commit and with the working tree, side by side.

Run it from the repository root (it is not part of the test suite)::

    .venv/bin/python -m benchmarks.bench_ab                       # against 6694ccc, 300 forms, 3 passes
    .venv/bin/python -m benchmarks.bench_ab --old HEAD~3 --n 500 --passes 5
    .venv/bin/python -m benchmarks.bench_ab --new HEAD                 # a commit instead of the working tree
    .venv/bin/python -m benchmarks.bench_ab --format xlsx              # the Excel forms

The older commit's ``src`` and ``builtin_templates`` are unpacked with ``git archive`` into a temporary folder
(the repository itself is not touched); so is the newer side's when it is a commit (``--new``), else it is the
working tree. Each side runs in a process of its own (the same interpreter, its own ``musforms`` first on the
path), which first makes N forms: for N generated employees (``benchmarks.bench_docx``'s contexts and
answers), the employee's form of ``mus-scored-da`` with an answer in every field, each parsed once and checked
(subject id, form id, no issues, the answers given). Then the two processes take turns, one document at a
time, never at once: old renders employee 1's blank form, new does, old parses employee 1's filled form, new
does, and so on over all N employees, ``--passes`` times (which side goes first alternates). On a machine
that other work shares, both sides so meet the same load, a few milliseconds apart; a fixed XML document
parsed with lxml in the same turns shows how much the load varied.

Each time is taken in the process that does the work (the wall clock and the processor time of its thread).
The report gives, per side, the median and the 10th percentile (the fastest tenth, least disturbed by other
work) of the wall clock and the median processor time, and the ratios new / old of each, and the median of
the ratios of each document's two times (paired: the same employee, the same moment).
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
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import IO, Any

ROOT = Path(__file__).resolve().parents[1]
OLD = "6694ccc"
"""The commit before forms carried their template and the accessibility markup (after the layered package)."""
TEMPLATE_ID = "mus-scored-da"
MAIN_PART = {"docx": "word/document.xml", "xlsx": "xl/worksheets/sheet1.xml"}
"""The part of a form that holds its answers, whose size the report gives."""


# -- one side, in its own process ---------------------------------------------------------------------


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


def serve(n: int, seed: int, warmup: int, fmt: str = "docx") -> None:
    """Make and check the forms with the ``musforms`` first on the path, then do and time what is asked on
    standard input (``render I``, ``parse I``, ``reference``), one line each, until it closes."""
    import random

    from lxml import etree

    import musforms
    from benchmarks.bench_docx import make_answers, make_contexts

    rng = random.Random(seed)
    template = musforms.load_template(TEMPLATE_ID)
    contexts = make_contexts(n, rng)
    jobs = [(ctx, make_answers(template, ctx, rng), uuid.UUID(int=rng.getrandbits(128)).hex) for ctx in contexts]
    filled = [
        musforms.render(template, fmt, role="employee", context=ctx, answers=answers, form_id=form_id)  # type: ignore[arg-type]
        for ctx, answers, form_id in jobs
    ]
    model = template.answers_model("employee")
    for (ctx, answers, form_id), data in zip(jobs, filled, strict=True):
        form = musforms.parse(data)
        if form.subject_id != ctx["employee"]["id"] or form.form_id != form_id or form.issues:
            raise SystemExit(f"a parsed form is not the one rendered: {form.subject_id} {form.issues}")
        if model.model_validate(form.answers).model_dump() != model.model_validate(answers).model_dump():
            raise SystemExit(f"form {form_id}: the answers read differ from the ones given")
    reference = _reference_xml()
    parser = etree.XMLParser(resolve_entities=False, no_network=True, remove_comments=True)
    work: dict[str, Callable[[int], object]] = {
        "render": lambda i: musforms.render(template, fmt, role="employee", context=contexts[i]),  # type: ignore[arg-type]
        "parse": lambda i: musforms.parse(filled[i]),
        "reference": lambda _i: etree.fromstring(reference, parser),
    }
    for i in range(warmup):
        for do in work.values():
            do(i % n)
    with zipfile.ZipFile(io.BytesIO(filled[0])) as archive:
        sizes = {
            "file_kb": len(filled[0]) / 1024,
            "document_kb": archive.getinfo(MAIN_PART[fmt]).file_size / 1024,
            "custom_kb": archive.getinfo("docProps/custom.xml").file_size / 1024,
        }
    print(json.dumps({**sizes, "musforms": str(Path(musforms.__file__).parents[1])}), flush=True)
    clock, processor = time.perf_counter, time.thread_time
    for line in sys.stdin:
        what, _, index = line.partition(" ")
        do = work[what]
        item = int(index or 0) % n
        start, start_cpu = clock(), processor()
        do(item)
        cpu = processor() - start_cpu
        wall = clock() - start
        print(f"{wall * 1000:.6f} {cpu * 1000:.6f}", flush=True)


# -- both sides, side by side ------------------------------------------------------------------------


class Side:
    """A side's serving process."""

    def __init__(self, src: Path, n: int, seed: int, warmup: int, fmt: str = "docx") -> None:
        env = {**os.environ, "PYTHONPATH": os.pathsep.join((str(src), str(ROOT)))}
        command = [sys.executable, "-m", "benchmarks.bench_ab", "--serve", "--n", str(n), "--seed", str(seed)]
        command += ["--format", fmt]
        self.process = subprocess.Popen(
            [*command, "--warmup", str(warmup)],
            cwd=ROOT,
            env=env,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        self.stdin: IO[str] = self.process.stdin  # type: ignore[assignment]
        self.stdout: IO[str] = self.process.stdout  # type: ignore[assignment]
        ready = self.stdout.readline()
        if not ready:
            raise SystemExit(f"the side in {src} failed (see above)")
        self.about: dict[str, Any] = json.loads(ready)
        if Path(self.about["musforms"]).resolve() != src.resolve():
            raise SystemExit(f"the side in {src} measured the musforms in {self.about['musforms']}")

    def time(self, command: str) -> tuple[float, float]:
        """Do ``command`` on this side: its wall-clock and processor time, in ms."""
        self.stdin.write(command + "\n")
        self.stdin.flush()
        wall, cpu = self.stdout.readline().split()
        return float(wall), float(cpu)

    def close(self) -> None:
        self.stdin.close()
        self.process.wait()


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


MEASURED = (("render", "render a blank form"), ("parse", "parse a filled form"), ("reference", "reference: fixed XML"))


def _summary(times: list[tuple[float, float]]) -> tuple[float, float, float]:
    wall = [w for w, _c in times]
    return statistics.median(wall), statistics.quantiles(wall, n=10)[0], statistics.median(c for _w, c in times)


def report(
    names: dict[str, str],
    times: dict[str, dict[str, list[tuple[float, float]]]],
    sides: dict[str, Side],
    n: int,
    passes: int,
    load: tuple[float, float],
    fmt: str = "docx",
) -> str:
    """The figures of both sides and their ratios, as Markdown."""
    lines = [
        f"`mus-scored-da`, the employee's form ({fmt}), {n} employees, passes over them: {passes}, each document "
        f"done by both sides in turn; old = {names['old']}, new = {names['new']}; load average {load[0]:.2f} at the "
        f"start, {load[1]:.2f} at the end. Times in ms per document: the median and the 10th percentile (p10) of the "
        "wall clock, and the median processor time (cpu).",
        "",
        "| what | old median | old p10 | old cpu | new median | new p10 | new cpu "
        "| new / old: median | p10 | cpu | paired median |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for what, label in MEASURED:
        old, new = _summary(times["old"][what]), _summary(times["new"][what])
        paired = statistics.median(
            b[0] / a[0] for a, b in zip(times["old"][what], times["new"][what], strict=True) if a[0] > 0
        )
        ratios = " | ".join(f"{b / a:.3f}" for a, b in zip(old, new, strict=True))
        figures = " | ".join(f"{x:.3f}" for x in (*old, *new))
        lines.append(f"| {label} | {figures} | {ratios} | {paired:.3f} |")
    lines += ["", f"| side | file KB | {MAIN_PART[fmt]} KB | docProps/custom.xml KB |", "|---|---:|---:|---:|"]
    for side in ("old", "new"):
        about = sides[side].about
        lines.append(f"| {side} | {about['file_kb']:.1f} | {about['document_kb']:.1f} | {about['custom_kb']:.1f} |")
    return "\n".join(lines)


def main(argv: Iterable[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--old", default=OLD, help=f"the older commit (default {OLD})")
    parser.add_argument(
        "--new",
        default=None,
        help="a later commit, or a folder holding src/ and builtin_templates/ (default: the working tree)",
    )
    parser.add_argument("--n", type=int, default=300, help="employees, so forms per side (default 300)")
    parser.add_argument("--passes", type=int, default=3, help="passes over the forms (default 3)")
    parser.add_argument("--seed", type=int, default=19)
    parser.add_argument("--warmup", type=int, default=30)
    parser.add_argument("--format", choices=sorted(MAIN_PART), default="docx", help="the forms' format (default docx)")
    parser.add_argument("--serve", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(list(argv) if argv is not None else None)
    if args.serve:
        serve(args.n, args.seed, args.warmup, args.format)
        return 0
    start = os.getloadavg()[0]
    with tempfile.TemporaryDirectory(prefix="musforms-ab-") as folder:
        names = {"old": unpack(args.old, Path(folder) / "old")}
        sources = {"old": Path(folder) / "old" / "src"}
        if args.new is None:
            names["new"], sources["new"] = "the working tree", ROOT / "src"
        elif Path(args.new, "src").is_dir():
            names["new"], sources["new"] = args.new, Path(args.new) / "src"
        else:
            names["new"], sources["new"] = unpack(args.new, Path(folder) / "new"), Path(folder) / "new" / "src"
        sides = {side: Side(src, args.n, args.seed, args.warmup, args.format) for side, src in sources.items()}
        times: dict[str, dict[str, list[tuple[float, float]]]] = {s: {w: [] for w, _l in MEASURED} for s in sides}
        try:
            for number in range(args.passes):
                for i in range(args.n):
                    order = ("old", "new") if (number + i) % 2 == 0 else ("new", "old")
                    for what, _label in MEASURED:
                        for side in order:
                            times[side][what].append(sides[side].time(f"{what} {i}"))
                print(f"pass {number + 1} of {args.passes} done", flush=True)
        finally:
            for process in sides.values():
                process.close()
    print()
    print(report(names, times, sides, args.n, args.passes, (start, os.getloadavg()[0]), args.format))
    return 0


if __name__ == "__main__":
    sys.exit(main())
