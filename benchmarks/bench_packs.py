"""Preparation packs for a whole company with musforms, and the same documents with docxtpl, side by side.

Run it from the repository root (not part of the test suite)::

    .venv/bin/python -m benchmarks.bench_packs --n 5000 --jobs 2 --write-docs

Per employee a pack holds three documents — the invitation letter, the employee's and the manager's
preparation forms (.docx) — plus the letter as text, a ready e-mail with the attachments, and a calendar
entry. musforms builds N packs with ``build_packs`` in ``--jobs`` processes (every file written to disk
atomically, with a manifest) and reports the time per document and the peak memory (RSS) of the main
process and of the largest worker. docxtpl renders the same three documents per employee from equivalent
.docx templates for a sample of employees (``--docxtpl-sample``; its time per document does not depend on
N), in the same number of processes. The ratio is docxtpl's time per document over musforms'.
"""

from __future__ import annotations

import argparse
import concurrent.futures as futures
import datetime as dt
import multiprocessing
import os
import platform
import random
import resource
import shutil
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import musforms
from benchmarks.bench_docx import build_docxtpl_template, docxtpl_env, make_contexts, render_docxtpl

DOC_PAGE = Path(__file__).resolve().parents[1] / "docs" / "performance.md"
START, END = "<!-- bench-packs:start -->", "<!-- bench-packs:end -->"
DOCS_PER_PACK = 3
TODAY = dt.date(2026, 2, 16)


def roster(contexts: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The contexts as roster rows."""
    rows = []
    for c in contexts:
        rows.append(
            {
                "employee_id": c["employee"]["id"],
                "name": c["employee"]["name"],
                "email": c["employee"]["email"],
                "job_title": c["employee"]["job_title"],
                "department": c["employee"]["department"],
                "manager_id": c["manager"]["id"],
                "manager_name": c["manager"]["name"],
                "manager_email": c["manager"]["email"],
                "meeting_start": c["meeting"]["start"].strftime("%Y-%m-%d %H:%M"),
                "duration": str(c["meeting"]["duration_minutes"]),
                "place": c["meeting"]["place"],
            }
        )
    return rows


def build_letter_template(path: Path) -> None:
    """The invitation letter as a docxtpl template: the same text as musforms' built-in Danish letter."""
    import docx

    letter = musforms.load_invitation("invitation-da")
    document = docx.Document()
    document.sections[0].header.paragraphs[0].text = "{{ company.name }}"
    document.add_paragraph("{{ today }}")
    document.add_heading(letter.subject, level=1)
    for block in letter.body.strip().split("\n\n"):
        document.add_paragraph(block.replace("\n", " "))
    document.save(str(path))


_DOCXTPL: dict[str, Any] = {}


def _docxtpl_init(letter: str, employee: str, manager: str, out: str) -> None:
    _DOCXTPL.update(
        letter=Path(letter), employee=Path(employee), manager=Path(manager), env=docxtpl_env("da"), out=Path(out)
    )


def _docxtpl_pack(context: dict[str, Any]) -> int:
    """The three documents of one employee with docxtpl, saved to the employee's folder as a script would."""
    env = _DOCXTPL["env"]
    folder = _DOCXTPL["out"] / context["manager"]["id"] / context["employee"]["id"]
    folder.mkdir(parents=True, exist_ok=True)
    size = 0
    for key in ("letter", "employee", "manager"):
        data = render_docxtpl(_DOCXTPL[key], env, {**context, "today": TODAY.isoformat()})
        (folder / f"{key}.docx").write_bytes(data)
        size += len(data)
    return size


def rss_mb() -> float:
    """The peak RSS of this process, in MB."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def children_rss_mb() -> float:
    """The peak RSS of the largest child process that has ended, in MB."""
    return resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024


def run(n: int, jobs: int, sample: int, seed: int, where: str | None) -> str:
    rng = random.Random(seed)
    contexts = make_contexts(n, rng)
    rows = roster(contexts)
    template = musforms.load_template("mus-scored-da")
    work = Path(tempfile.mkdtemp(prefix="musforms-bench-packs-", dir=where))
    try:
        # Warm up compile caches in this process (the workers are forked from it).
        musforms.build_packs(template, rows[:2], work / "warm", today=TODAY)
        start_rss = rss_mb()
        started = time.perf_counter()
        report = musforms.build_packs(template, rows, work / "packs", jobs=jobs, today=TODAY)
        ours = time.perf_counter() - started
        assert report.ok and report.count("built") == n, report.to_json()[:2000]
        sample_folder = work / "packs" / (report.outcomes[n // 2].folder or "")
        form = musforms.parse(sample_folder / "3-forberedelse-medarbejder.docx")
        assert form.subject_id == report.outcomes[n // 2].employee_id and form.role == "employee"
        files = sum(1 for p in (work / "packs").rglob("*") if p.is_file())
        main_peak = rss_mb()
        worker_peak = children_rss_mb()
        rerun_started = time.perf_counter()
        again = musforms.build_packs(template, rows, work / "packs", jobs=jobs, today=TODAY)
        rerun = time.perf_counter() - rerun_started
        assert again.count("skipped") == n

        employee_tpl, manager_tpl, letter_tpl = work / "employee.docx", work / "manager.docx", work / "letter.docx"
        build_docxtpl_template(template, employee_tpl)
        shutil.copy(employee_tpl, manager_tpl)
        build_letter_template(letter_tpl)
        subset = contexts[:sample]
        context = multiprocessing.get_context("fork")
        args = (str(letter_tpl), str(employee_tpl), str(manager_tpl), str(work / "docxtpl"))
        _docxtpl_init(*args)
        _docxtpl_pack(subset[0])  # warm-up
        started = time.perf_counter()
        with futures.ProcessPoolExecutor(jobs, mp_context=context, initializer=_docxtpl_init, initargs=args) as pool:
            sizes = list(pool.map(_docxtpl_pack, subset, chunksize=4))
        theirs = time.perf_counter() - started
        assert all(size > 10_000 for size in sizes)
    finally:
        shutil.rmtree(work, ignore_errors=True)

    ours_doc = ours * 1000 / (n * DOCS_PER_PACK)
    theirs_doc = theirs * 1000 / (sample * DOCS_PER_PACK)
    ratio = theirs_doc / ours_doc
    verdict = "met" if ratio >= 30 and max(main_peak, worker_peak) < 200 else "missed"
    return "\n".join(
        [
            f"Measured on {dt.date.today().isoformat()} with `python -m benchmarks.bench_packs --n {n} --jobs {jobs} "
            f"--docxtpl-sample {sample}`: {os.cpu_count()} CPUs, Python {platform.python_version()}; both write "
            f"their files under {work.parent} ({_filesystem(work.parent)}).",
            "",
            "| What | packs | documents | seconds | ms per document | ratio |",
            "|---|---:|---:|---:|---:|---:|",
            f"| musforms `build_packs`, {jobs} processes, files written (+ .txt, .eml, .ics, manifest) | {n:,} | "
            f"{n * DOCS_PER_PACK:,} | {ours:.1f} | {ours_doc:.2f} | 1× |",
            f"| docxtpl, the same three documents per employee, {jobs} processes, files written | {sample:,} | "
            f"{sample * DOCS_PER_PACK:,} | {theirs:.1f} | {theirs_doc:.2f} | {ratio:.0f}× |",
            f"| musforms again over the finished packs (every one found complete and skipped) | {n:,} | – | "
            f"{rerun:.1f} | – | – |",
            "",
            f"Files written: {files:,}. Peak RSS: main process {main_peak:.0f} MB (it was {start_rss:.0f} MB before "
            f"the run), largest worker {worker_peak:.0f} MB. Goal: at least 30× faster than docxtpl per document "
            f"and peak RSS under 200 MB: **{verdict}**.",
        ]
    )


def _filesystem(path: Path) -> str:
    """The kind of file system ``path`` is on (from /proc/mounts), e.g. tmpfs or ext4."""
    best, kind = "", "unknown file system"
    try:
        for line in Path("/proc/mounts").read_text().splitlines():
            _device, mount, fstype, *_ = line.split()
            if str(path.resolve()).startswith(mount) and len(mount) > len(best):
                best, kind = mount, fstype
    except OSError:
        pass
    return kind


def write_docs(section: str) -> None:
    text = DOC_PAGE.read_text(encoding="utf-8")
    block = f"{START}\n{section}\n{END}"
    if START in text:
        before, rest = text.split(START, 1)
        text = before + block + rest.split(END, 1)[1]
    else:
        text = text.rstrip("\n") + "\n\n## Preparation packs\n\n" + block + "\n"
    DOC_PAGE.write_text(text, encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--n", type=int, default=5000, help="employees (default 5000)")
    parser.add_argument("--jobs", type=int, default=2, help="processes (default 2)")
    parser.add_argument("--docxtpl-sample", type=int, default=150, help="employees rendered with docxtpl")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--write-docs", action="store_true", help="rewrite the results in docs/performance.md")
    parser.add_argument(
        "--where",
        default="/dev/shm" if Path("/dev/shm").is_dir() else None,
        help="the folder both write their files under (default /dev/shm, a RAM disk, so that the disk's speed "
        "does not decide; give a folder on a disk to include it)",
    )
    args = parser.parse_args(argv)
    section = run(args.n, args.jobs, args.docxtpl_sample, args.seed, args.where)
    print(section)
    if args.write_docs:
        write_docs(section)
    return 0


if __name__ == "__main__":
    sys.exit(main())
