"""Drive a real LibreOffice (headless, through UNO) from pytest: one listener, fill jobs, conversions.

The venv's python cannot import ``uno``; the work is done by ``lo_driver.py`` run with a system python
that can (Debian's /usr/bin/python3 with python3-uno).  This module only finds the programs, starts and
stops the ``soffice`` listener and runs the driver as a subprocess.

    office = Office.start(tmp_dir)          # or the session fixture ``libreoffice`` (conftest.py)
    office.fill("in.docx", "out.docx", [{"op": "type", "bookmark": "mf_strengths", "text": "..."}])
    office.fill_many([Job("a.docx", "a-out.docx", [...]), ...])
    office.convert("out.docx", "pdf", outdir)
    office.stop()
"""

from __future__ import annotations

import functools
import json
import os
import queue
import shutil
import signal
import subprocess
import tempfile
import threading
import time
import uuid
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

DRIVER = Path(__file__).with_name("lo_driver.py")
#: tried in order when MUSFORMS_UNO_PYTHON is not set
UNO_PYTHON_CANDIDATES = ("/usr/bin/python3", "/usr/bin/python3.11", "/usr/local/bin/python3")
SOFFICE_CANDIDATES = (
    "soffice",
    "libreoffice",
    "/usr/lib/libreoffice/program/soffice",
    "/opt/libreoffice/program/soffice",
)
Action = dict[str, Any]


class OfficeError(RuntimeError):
    """The listener could not be started, or it died during a job (it is restarted for the next one)."""


class FillError(AssertionError):
    """A fill job failed (bookmark or defined name not found, wrong control kind, ...)."""


# ------------------------------------------------------------------------------------------ discovery


def _clean_env() -> dict[str, str]:
    """The environment for the system python and soffice: without the venv's python settings."""
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV")}
    env.setdefault("HOME", tempfile.gettempdir())
    return env


@functools.cache
def find_soffice() -> str | None:
    override = os.environ.get("MUSFORMS_SOFFICE")
    for candidate in ([override] if override else []) + list(SOFFICE_CANDIDATES):
        path = shutil.which(candidate)
        if path:
            return path
    return None


@functools.cache
def find_uno_python() -> str | None:
    override = os.environ.get("MUSFORMS_UNO_PYTHON")
    for candidate in ([override] if override else []) + list(UNO_PYTHON_CANDIDATES):
        path = shutil.which(candidate)
        if not path:
            continue
        try:
            probe = subprocess.run(
                [path, "-c", "import uno"], capture_output=True, timeout=30, env=_clean_env(), check=False
            )
        except (OSError, subprocess.TimeoutExpired):
            continue
        if probe.returncode == 0:
            return path
    return None


@functools.cache
def unavailable_reason() -> str | None:
    """None when LibreOffice can be driven here, else why not (for the skip/fail message)."""
    missing = []
    if find_soffice() is None:
        missing.append("no soffice on PATH (apt-get install libreoffice-writer-nogui libreoffice-calc-nogui)")
    if find_uno_python() is None:
        missing.append("no python that imports uno (apt-get install python3-uno; or set MUSFORMS_UNO_PYTHON)")
    return "; ".join(missing) or None


def libreoffice_available() -> bool:
    """True when soffice and a python with uno are installed; unavailable_reason() says why not."""
    return unavailable_reason() is None


# ---------------------------------------------------------------------------------------------- jobs


@dataclass(frozen=True)
class Job:
    """Open *src*, perform *actions*, save as *out* (format from its suffix: .docx .xlsx .pdf .odt .ods)."""

    src: Path | str
    out: Path | str
    actions: Sequence[Action] = ()
    autocorrect: bool = False  # Writer: Tools > AutoCorrect > While Typing and word completion

    def as_json(self) -> dict[str, Any]:
        return {
            "in": str(Path(self.src).resolve()),
            "out": str(Path(self.out).resolve()),
            "actions": list(self.actions),
            "autocorrect": self.autocorrect,
        }


@dataclass(frozen=True)
class JobResult:
    src: Path
    out: Path
    ok: bool
    error: str | None
    seconds: float
    notes: list[str] = field(default_factory=list)


# -------------------------------------------------------------------------------------------- office


class Office:
    """One headless soffice listener with its own profile and pipe, and the driver that fills files."""

    def __init__(self, workdir: Path, pipe: str | None = None) -> None:
        reason = unavailable_reason()
        if reason:
            raise OfficeError(reason)
        self.soffice = find_soffice() or ""
        self.python = find_uno_python() or ""
        self.workdir = Path(workdir)
        self.workdir.mkdir(parents=True, exist_ok=True)
        self.profile = self.workdir / "profile"
        self.pipe = pipe or f"musforms_{os.getpid()}_{uuid.uuid4().hex[:8]}"
        self.log = self.workdir / "soffice.log"
        self.process: subprocess.Popen[bytes] | None = None
        self.start_seconds = 0.0
        self._jobs = 0

    @classmethod
    def start(cls, workdir: Path, pipe: str | None = None, timeout: float = 60.0) -> Office:
        office = cls(workdir, pipe)
        office.launch(timeout)
        return office

    def launch(self, timeout: float = 60.0) -> None:
        started = time.monotonic()
        with self.log.open("ab") as log:
            self.process = subprocess.Popen(
                [
                    self.soffice,
                    f"-env:UserInstallation={self.profile.as_uri()}",
                    "--headless",
                    "--invisible",
                    "--nologo",
                    "--norestore",
                    "--nodefault",
                    "--nolockcheck",
                    f"--accept=pipe,name={self.pipe};urp;StarOffice.ComponentContext",
                ],
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=log,
                env=_clean_env(),
                start_new_session=True,
            )
        probe = self._driver(["--probe", "--connect-timeout", str(timeout)], timeout=timeout + 10)
        if probe.returncode != 0:
            self.stop()
            raise OfficeError(
                f"soffice did not accept connections on pipe {self.pipe} within {timeout:.0f} s: "
                f"{probe.stderr.strip()} (log: {self.log})"
            )
        self.start_seconds = time.monotonic() - started

    def alive(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def stop(self) -> None:
        """Terminate the listener (its own process group only) and wait for it."""
        proc, self.process = self.process, None
        if proc is None or proc.poll() is not None:
            return
        try:
            os.killpg(proc.pid, signal.SIGTERM)
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=15)
        except ProcessLookupError:
            pass

    def restart(self) -> None:
        self.stop()
        self.launch()

    def _driver(self, args: list[str], timeout: float) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [self.python, str(DRIVER), "--pipe", self.pipe, *args],
            capture_output=True,
            text=True,
            timeout=timeout,
            env=_clean_env(),
            check=False,
        )

    # -- filling
    JOB_SECONDS = 120.0
    """How long one fill may go without finishing before LibreOffice counts as hung (a fill takes 1-5 s; a
    busy two-core machine makes it several times slower, never this slow)."""

    def fill_many(
        self, jobs: Iterable[Job], *, check: bool = True, job_seconds: float | None = None
    ) -> list[JobResult]:
        """Run all *jobs* in one driver process; with check=True a failed job raises FillError.

        The time limit scales with the batch: each job must finish within *job_seconds* of the one before.
        Each finished job is reported to ``self.progress`` (the test session's terminal). When LibreOffice
        hangs or dies, it is restarted once and the jobs not yet done are run again; a second failure raises
        OfficeError.
        """
        batch = [job.as_json() for job in jobs]
        limit = job_seconds if job_seconds is not None else self.JOB_SECONDS
        done: dict[int, dict[str, Any]] = {}
        for attempt in (1, 2):
            todo = [i for i in range(len(batch)) if i not in done]
            if not todo:
                break
            if not self.alive():
                self.restart()
            trouble = self._run_batch([batch[i] for i in todo], todo, done, limit, len(batch))
            if trouble is None:
                break
            self.restart()
            if attempt == 2:
                raise OfficeError(f"{trouble}; LibreOffice was restarted once and failed again")
            self._say(f"LibreOffice: {trouble}; restarted, running the {len(batch) - len(done)} jobs left again")
        results = [
            JobResult(Path(r["in"]), Path(r["out"]), r["ok"], r["error"], r["seconds"], r["notes"])
            for r in (done[i] for i in range(len(batch)))
        ]
        if check:
            failed = [f"{r.src.name}: {r.error}" for r in results if not r.ok]
            if failed:
                raise FillError("LibreOffice fill failed: " + "; ".join(failed))
        return results

    progress: Callable[[str], None] | None = None
    """Where progress lines go (the test session sets the terminal); None: nowhere."""

    def _say(self, line: str) -> None:
        if self.progress is not None:
            self.progress(line)

    def _run_batch(
        self, batch: list[dict[str, Any]], numbers: list[int], done: dict[int, dict[str, Any]], limit: float, total: int
    ) -> str | None:
        """Run *batch* in one driver; record each finished job in *done* by its number. None when it ran to its
        end, else what went wrong (a hang: no job finished within *limit* seconds; LibreOffice died)."""
        self._jobs += 1
        jobs_file = self.workdir / f"jobs-{self._jobs}.json"
        jobs_file.write_text(json.dumps(batch, ensure_ascii=False), encoding="utf-8")
        with subprocess.Popen(
            [self.python, str(DRIVER), "--pipe", self.pipe, "--jobs", str(jobs_file)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=_clean_env(),
        ) as proc:
            lines: queue.Queue[tuple[str, str | None]] = queue.Queue()
            errors: list[str] = []

            def pump(stream: Any, name: str) -> None:
                for line in stream:
                    lines.put((name, line.rstrip("\n")))
                lines.put((name, None))

            pumps = [
                threading.Thread(target=pump, args=(stream, name), daemon=True)
                for stream, name in ((proc.stdout, "out"), (proc.stderr, "err"))
            ]
            for thread in pumps:
                thread.start()
            open_streams, finished, hung = 2, 0, False
            while open_streams:
                try:
                    name, line = lines.get(timeout=limit)
                except queue.Empty:
                    hung = True
                    proc.kill()
                    break
                if line is None:
                    open_streams -= 1
                elif name == "out" and line.startswith("RESULT "):
                    done[numbers[finished]] = json.loads(line.removeprefix("RESULT "))
                    finished += 1
                    self._say(f"LibreOffice fill {len(done)}/{total}: {Path(done[numbers[finished - 1]]['in']).name}")
                elif name == "err":
                    errors.append(line)
            proc.wait()
            for thread in pumps:
                thread.join(timeout=10)
        if hung:
            return f"no fill finished within {limit:.0f} s ({finished} of {len(batch)} done)"
        if proc.returncode == 3 or not self.alive():
            return f"LibreOffice died during the fill: {' '.join(errors[-3:])}"
        if finished < len(batch):
            return f"the driver stopped after {finished} of {len(batch)} fills (exit {proc.returncode}): {errors[-3:]}"
        return None

    def fill(
        self,
        path_in: Path | str,
        path_out: Path | str,
        actions: Sequence[Action] = (),
        *,
        autocorrect: bool = False,
        check: bool = True,
    ) -> JobResult:
        """Open *path_in* in LibreOffice, do *actions* as a person would, save as *path_out*."""
        return self.fill_many([Job(path_in, path_out, actions, autocorrect)], check=check)[0]

    def convert(self, path: Path | str, fmt: str, outdir: Path | str) -> Path:
        """Save *path* as *fmt* (pdf, docx, xlsx, odt, ...) into *outdir* through the running listener."""
        out = Path(outdir) / f"{Path(path).stem}.{fmt}"
        self.fill(path, out)
        return out


def convert(path: Path | str, fmt: str, outdir: Path | str, timeout: float = 120.0) -> Path:
    """``soffice --convert-to`` in its own throwaway profile (no listener needed; ~1 s a file)."""
    return convert_many([Path(path)], fmt, outdir, timeout)[0]


def convert_many(paths: list[Path], fmt: str, outdir: Path | str, timeout: float = 600.0) -> list[Path]:
    """``soffice --convert-to`` of many files in one run (one start of LibreOffice), in its own throwaway profile;
    the converted files in the order of ``paths``."""
    reason = unavailable_reason()
    soffice = find_soffice()
    if soffice is None:
        raise OfficeError(reason or "no soffice")
    outdir = Path(outdir)
    outdir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="musforms-lo-") as profile:
        proc = subprocess.run(
            [
                soffice,
                f"-env:UserInstallation={Path(profile).as_uri()}",
                "--headless",
                "--norestore",
                "--convert-to",
                fmt,
                "--outdir",
                str(outdir),
                *(str(path) for path in paths),
            ],
            capture_output=True,
            text=True,
            timeout=timeout,
            env=_clean_env(),
            check=False,
        )
    outs = [outdir / f"{Path(path).stem}.{fmt.split(':')[0]}" for path in paths]
    missing = [out.name for out in outs if not out.exists()]
    if proc.returncode != 0 or missing:
        raise OfficeError(
            f"soffice --convert-to {fmt} failed (missing: {', '.join(missing)}): {proc.stdout.strip()} "
            f"{proc.stderr.strip()}"
        )
    return outs
