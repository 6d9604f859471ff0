"""Coverage-guided fuzzing of ``musforms.parse`` with atheris (libFuzzer for Python). Run on demand:

    pip install atheris
    python fuzz/fuzz_parse.py fuzz/corpus                         # runs until stopped (Ctrl-C)
    python fuzz/fuzz_parse.py -max_total_time=600 fuzz/corpus     # ten minutes
    python fuzz/fuzz_parse.py crash-1234abcd                      # replay one input

Any exception other than a ``MusformsError`` is a finding: libFuzzer stops and writes the input to
``crash-<hash>``. Inputs slower than ``-timeout`` seconds (default 10) or above ``-rss_limit_mb`` (default
2048) are findings too. An empty corpus folder is seeded with rendered forms (.docx and .xlsx, several
templates and roles) and the hostile files of ``tests/data/hostile/corpus.py``.

Most inputs are mutated inside the zip package: a member is unpacked, mutated by libFuzzer and packed again,
so that mutations reach the XML readers instead of stopping at a bad checksum.

Without atheris, ``python fuzz/fuzz_parse.py --replay FILE...`` runs files through the same check.
"""

from __future__ import annotations

import io
import random
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT))

try:
    import atheris
except ImportError:  # replay still works
    atheris = None


def _import_parsers() -> None:
    """Import every module that reads a file (some are imported lazily by parse), to instrument them."""
    import musforms._core.filekind
    import musforms._core.identity
    import musforms._core.limits
    import musforms._core.safety
    import musforms._core.safexml
    import musforms._core.safezip
    import musforms._core.signing
    import musforms._formats.docx.parse
    import musforms._formats.docx.reader
    import musforms._formats.parse
    import musforms._formats.xlsx.parse
    import musforms._formats.xlsx.reader  # noqa: F401


if atheris is not None:
    with atheris.instrument_imports(include=["musforms"]):
        _import_parsers()
else:
    _import_parsers()

from musforms import parse  # noqa: E402
from musforms.errors import MusformsError  # noqa: E402


def test_one_input(data: bytes) -> None:
    """The property: a FilledForm or a MusformsError, nothing else."""
    try:
        parse(data)
    except MusformsError as exc:
        if not exc.code.startswith("parse."):
            raise AssertionError(f"unexpected error code {exc.code!r}") from exc


def _mutate_member(data: bytes, max_size: int, seed: int) -> bytes | None:
    """Unpack one member, let libFuzzer mutate it, pack the package again (None when ``data`` is no zip)."""
    rng = random.Random(seed)
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = [(info.filename, archive.read(info)) for info in archive.infolist()]
    except Exception:
        return None
    if not members:
        return None
    index = rng.randrange(len(members))
    name, content = members[index]
    members[index] = (name, atheris.Mutate(content, max(len(content) * 2, 64)))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for member, body in members:
            archive.writestr(member, body)
    result = out.getvalue()
    return result if len(result) <= max_size else None


def custom_mutator(data: bytes, max_size: int, seed: int) -> bytes:
    if seed % 4 != 0:
        mutated = _mutate_member(data, max_size, seed)
        if mutated is not None:
            return mutated
    return atheris.Mutate(data, max_size)


def _seed(folder: Path) -> None:
    """Write rendered forms and the hostile corpus into an empty corpus folder."""
    import musforms
    from musforms._model.context import SAMPLE_CONTEXT

    folder.mkdir(parents=True, exist_ok=True)
    for template in ("mus-scored-da", "mus-soft-en", "plan-da"):
        for role in ("employee", "manager"):
            for fmt in ("docx", "xlsx"):
                data = musforms.render(template, fmt, role=role, context=SAMPLE_CONTEXT)  # type: ignore[arg-type]
                (folder / f"{template}-{role}.{fmt}").write_bytes(data)
    from tests.data.hostile import corpus

    secret = folder.parent / "secret.txt"
    secret.write_text(corpus.SECRET_TEXT, encoding="utf-8")
    for name, data in corpus.corpus(secret).items():
        if len(data) < 1_000_000:  # the large zip bombs slow libFuzzer down and teach it nothing
            (folder / name).write_bytes(data)


def main(argv: list[str]) -> int:
    if len(argv) > 1 and argv[1] == "--replay":
        for path in argv[2:]:
            test_one_input(Path(path).read_bytes())
            print(f"{path}: ok")
        return 0
    if atheris is None:
        print("atheris is not installed: pip install atheris (or use --replay FILE...)", file=sys.stderr)
        return 2
    folders = [Path(arg) for arg in argv[1:] if not arg.startswith("-") and not Path(arg).is_file()]
    for folder in folders:
        if not folder.exists() or not any(folder.iterdir()):
            _seed(folder)
    atheris.Setup(argv, test_one_input, custom_mutator=custom_mutator)
    atheris.Fuzz()
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
