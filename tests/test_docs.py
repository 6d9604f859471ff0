"""The documentation is tested: its examples run, and its reference keeps up with the models.

Code blocks in ``README.md`` and ``docs/**/*.md`` (subfolders too) are executed in document order, each
file in its own temporary working directory (shared by the blocks of that file):

- ```` ```python ````: run with ``exec``; the blocks of one file share a namespace.
- ```` ```yaml ````: parsed; a template (a mapping with ``id`` or ``extends``) is loaded with
  :func:`musforms.load_template_text`; a field (a mapping with ``kind``) or a list of fields is validated
  as a field; anything else only has to be valid YAML.
- ```` ```json ````: parsed.
- ```` ```console ````: each line ``$ musforms ...`` runs through :func:`musforms._cli.main.main` and must exit 0.
  The lines after a command are its expected output: each must match a line of the real output, in order
  (``...`` inside a line matches anything; a line of only ``...`` is skipped). Other ``$`` lines
  (``pip``, ``make``) are not run.

Each working directory starts with a small image, ``acme-logo.png``, for the examples of a company logo.

HTML comments right above a block change how it is tested (one directive per comment, stacked if needed):

- ``<!-- skip: reason -->``: the block is skipped with that reason.
- ``<!-- exit: N -->``: the console commands must exit with ``N``.
- ``<!-- file: NAME -->``: the block's text is also written to ``NAME`` in the working directory (so that
  later blocks can use it); a template is then loaded from that file.
- ``<!-- template-fragment -->``: the YAML block is only parsed, not loaded.
- ``<!-- invalid: TEXT -->``: the template must fail to load, with ``TEXT`` in the error message.

Drift guards check that the format reference names every key of the models, the API page every public
name, the CLI page every command and option, and that relative links lead somewhere.
"""

from __future__ import annotations

import contextlib
import io
import json
import re
import shlex
import traceback
import typing
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import yaml
from pydantic import BaseModel, TypeAdapter

import musforms
from musforms._cli import main as cli
from musforms._loading.changes import OPERATIONS
from musforms._model.fields import (
    AgreementsField,
    CheckField,
    ChoiceField,
    ChoiceOption,
    DateField,
    FormField,
    InfoField,
    RatingField,
    SignatureField,
    TextField,
)
from musforms._model.template import Scale, ScalePoint, Section, Template, TemplateCompany, field_kinds
from musforms._model.values import AGREEMENT_METHODS, AGREEMENT_STATUSES, AgreementRow, Signature
from musforms._text.checks import check_text
from musforms.errors import TemplateError

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"
DOC_FILES = [ROOT / "README.md", *sorted(DOCS.rglob("*.md"))]
EXPECTED_DOCS = {
    "index.md",
    "getting-started.md",
    "template-format.md",
    "customising.md",
    "python-api.md",
    "cli.md",
    "answers.md",
}

_FENCE = re.compile(r"^```([\w-]*)\s*$")
_DIRECTIVE = re.compile(r"^<!--\s*([a-z][a-z-]*)\s*(?::\s*(.*?))?\s*-->$")
_KNOWN_DIRECTIVES = {"skip", "exit", "file", "template-fragment", "invalid"}
_CHECKED_LANGUAGES = {"python", "yaml", "json", "console", "csv"}
_FIELD_ADAPTER: TypeAdapter[Any] = TypeAdapter(FormField)
_PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489"
    "0000000b4944415478da636000020000050001e9fadcd80000000049454e44ae426082"
)
"""A 1x1 PNG: every document's working directory starts with it as ``acme-logo.png``."""


# -- reading the Markdown ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Block:
    """A fenced code block of a Markdown file, with the directives in the comments right above it."""

    doc: Path
    index: int
    line: int
    """The line of the opening fence (1-based)."""
    language: str
    text: str
    directives: dict[str, str] = field(default_factory=dict)

    @property
    def name(self) -> str:
        return f"{self.doc.relative_to(ROOT)}:{self.line}"

    @property
    def test_id(self) -> str:
        return f"{self.doc.relative_to(ROOT).as_posix()}:{self.line}-{self.language}"


def _directives_above(lines: list[str], fence: int, doc: Path) -> dict[str, str]:
    directives: dict[str, str] = {}
    index = fence - 1
    while index >= 0:
        text = lines[index].strip()
        if not text:
            index -= 1
            continue
        match = _DIRECTIVE.match(text)
        if not match:
            break
        name, value = match.group(1), match.group(2) or ""
        if name not in _KNOWN_DIRECTIVES:
            raise ValueError(f"{doc}:{index + 1}: unknown doc-test directive '{name}'")
        directives.setdefault(name, value)
        index -= 1
    return directives


def read_blocks(doc: Path) -> list[Block]:
    """The fenced code blocks of ``doc``, in order."""
    lines = doc.read_text(encoding="utf-8").splitlines()
    blocks: list[Block] = []
    index = 0
    while index < len(lines):
        match = _FENCE.match(lines[index])
        if not match:
            index += 1
            continue
        start = index
        body: list[str] = []
        index += 1
        while index < len(lines) and lines[index].rstrip() != "```":
            body.append(lines[index])
            index += 1
        if index >= len(lines):
            raise ValueError(f"{doc}:{start + 1}: code block is not closed")
        blocks.append(
            Block(
                doc=doc,
                index=len(blocks),
                line=start + 1,
                language=match.group(1),
                text="\n".join(body) + "\n",
                directives=_directives_above(lines, start, doc),
            )
        )
        index += 1
    return blocks


BLOCKS_BY_DOC = {doc: read_blocks(doc) for doc in DOC_FILES}
CHECKED_BLOCKS = [b for blocks in BLOCKS_BY_DOC.values() for b in blocks if b.language in _CHECKED_LANGUAGES]


# -- running the blocks -----------------------------------------------------------------------------


@dataclass
class _DocState:
    folder: Path
    namespace: dict[str, Any]
    outcomes: dict[int, str | None] = field(default_factory=dict)
    """Block index -> None (ran fine), or why it failed or was skipped."""


class DocRunner:
    """Runs the blocks of each document once, in order, in the document's own working directory."""

    def __init__(self, factory: pytest.TempPathFactory) -> None:
        self.factory = factory
        self.states: dict[Path, _DocState] = {}

    def state(self, doc: Path) -> _DocState:
        if doc not in self.states:
            folder = self.factory.mktemp(doc.stem.lower())
            (folder / "acme-logo.png").write_bytes(_PNG)
            self.states[doc] = _DocState(folder, {"__name__": f"doc_{doc.stem.replace('-', '_')}"})
        return self.states[doc]

    def run(self, block: Block) -> None:
        """Run every earlier block of the document that has not run yet, then ``block``."""
        state = self.state(block.doc)
        for earlier in BLOCKS_BY_DOC[block.doc][: block.index]:
            if earlier.language in _CHECKED_LANGUAGES and earlier.index not in state.outcomes:
                if "skip" in earlier.directives:
                    state.outcomes[earlier.index] = "skipped"
                    continue
                try:
                    self._run_one(earlier, state)
                    state.outcomes[earlier.index] = None
                except BaseException as exc:
                    state.outcomes[earlier.index] = f"{type(exc).__name__}: {exc}"
        if block.index in state.outcomes:  # ran already, as an earlier block of another test
            why = state.outcomes[block.index]
            if why == "skipped":
                pytest.skip(block.directives.get("skip") or "marked skip in the document")
            if why:
                pytest.fail(f"{block.name}: {block.language} block failed:\n{why}", pytrace=False)
            return
        if "skip" in block.directives:
            state.outcomes[block.index] = "skipped"
            pytest.skip(block.directives["skip"] or "marked skip in the document")
        failed_before = [
            f"{BLOCKS_BY_DOC[block.doc][i].name}" for i, why in state.outcomes.items() if why and why != "skipped"
        ]
        try:
            self._run_one(block, state)
        except Exception as exc:
            state.outcomes[block.index] = f"{type(exc).__name__}: {exc}"
            note = f"\n(earlier blocks that failed: {', '.join(failed_before)})" if failed_before else ""
            pytest.fail(f"{block.name}: {block.language} block failed:\n{_describe(exc)}{note}", pytrace=False)
        state.outcomes[block.index] = None

    def _run_one(self, block: Block, state: _DocState) -> None:
        if "skip" in block.directives:
            return
        with contextlib.chdir(state.folder):
            if "file" in block.directives:
                name = block.directives["file"]
                assert name, f"{block.name}: 'file' needs a file name"
                target = state.folder / name
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_text(block.text, encoding="utf-8")
            runner = {
                "python": _run_python,
                "yaml": _check_yaml,
                "json": _check_json,
                "csv": _check_csv,
                "console": _run_console,
            }[block.language]
            runner(block, state)


def _describe(exc: BaseException) -> str:
    if isinstance(exc, AssertionError) and str(exc):
        return str(exc)
    return "".join(traceback.format_exception(exc, limit=-3, chain=False)).rstrip()


def _run_python(block: Block, state: _DocState) -> None:
    # Pad with blank lines so that line numbers in tracebacks are those of the document.
    source = "\n" * block.line + block.text
    code = compile(source, str(block.doc), "exec")
    exec(code, state.namespace)


def _is_template(data: object) -> bool:
    return isinstance(data, dict) and ("id" in data or "extends" in data)


def _check_yaml(block: Block, state: _DocState) -> None:
    data = yaml.safe_load(block.text)
    if "template-fragment" in block.directives:
        return
    if _is_template(data):
        _load_template_block(block, state)
    elif isinstance(data, dict) and "kind" in data:
        _check_field(data, block)
    elif isinstance(data, list) and data and all(isinstance(item, dict) and "kind" in item for item in data):
        for item in data:
            _check_field(item, block)
    else:
        assert "invalid" not in block.directives, f"{block.name}: 'invalid' only applies to a template"


def _check_field(data: dict[str, Any], block: Block) -> None:
    """A field on its own: valid as a field, with texts that pass the template's Jinja checks."""
    _FIELD_ADAPTER.validate_python(data)
    for key in ("label", "help", "text"):
        if isinstance(data.get(key), str):
            problems = check_text(data[key], "en")
            assert not problems, f"{block.name}: field '{data.get('id')}' {key}: {'; '.join(problems)}"


def _load_template_block(block: Block, state: _DocState) -> None:
    def load() -> Template:
        if "file" in block.directives:
            # The documentation's folder is the root its template files may name files in.
            return musforms.load_template(block.directives["file"], root=state.folder)
        return musforms.load_template_text(block.text, name=block.name, base_dir=state.folder)

    if "invalid" in block.directives:
        with pytest.raises(TemplateError) as info:
            load()
        expected = block.directives["invalid"]
        assert expected in str(info.value), f"{block.name}: expected {expected!r} in the error, got:\n{info.value}"
        return
    load()


def _check_json(block: Block, state: _DocState) -> None:
    json.loads(block.text)


def _check_csv(block: Block, state: _DocState) -> None:
    import csv

    rows = list(csv.reader(io.StringIO(block.text), csv.Sniffer().sniff(block.text, delimiters=",;\t")))
    assert len(rows) >= 2 and len({len(row) for row in rows}) == 1, f"{block.name}: rows of unequal length"


@dataclass
class _Command:
    line: int
    argv: list[str]
    expected: list[str]


def _console_commands(block: Block) -> list[_Command]:
    commands: list[_Command] = []
    current: _Command | None = None
    for offset, raw in enumerate(block.text.splitlines(), start=1):
        if raw.startswith("$ "):
            words = shlex.split(raw[2:])
            if words and words[0] == "musforms":
                current = _Command(block.line + offset, words[1:], [])
                commands.append(current)
            else:
                current = None  # pip, make, ...: shown, not run
            continue
        if current is not None:
            current.expected.append(raw)
    return commands


def _pattern(expected: str) -> re.Pattern[str]:
    return re.compile(".*".join(re.escape(part) for part in expected.strip().split("...")))


def _check_output(command: _Command, output: str, block: Block) -> None:
    actual = [line.strip() for line in output.splitlines()]
    position = 0
    for expected in command.expected:
        if not expected.strip() or expected.strip() == "...":
            continue
        pattern = _pattern(expected)
        for index in range(position, len(actual)):
            if pattern.fullmatch(actual[index]):
                position = index + 1
                break
        else:
            raise AssertionError(
                f"{block.doc.name}:{command.line}: `musforms {shlex.join(command.argv)}` did not print "
                f"(in this order) the line:\n  {expected.strip()}\nIt printed:\n{output}"
            )


def _run_console(block: Block, state: _DocState) -> None:
    commands = _console_commands(block)
    assert commands, f"{block.name}: a console block without any '$ musforms' command"
    expected_exit = int(block.directives.get("exit") or 0)
    for command in commands:
        out, err = io.StringIO(), io.StringIO()
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            try:
                code = cli.main(command.argv)
            except SystemExit as exc:  # --help, --version and usage errors end in argparse
                code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 2)
        output = out.getvalue() + err.getvalue()
        assert code == expected_exit, (
            f"{block.doc.name}:{command.line}: `musforms {shlex.join(command.argv)}` exited {code}, "
            f"expected {expected_exit}:\n{output}"
        )
        _check_output(command, output, block)


@pytest.fixture(scope="session")
def doc_runner(tmp_path_factory: pytest.TempPathFactory) -> DocRunner:
    return DocRunner(tmp_path_factory)


@pytest.mark.parametrize("block", CHECKED_BLOCKS, ids=[b.test_id for b in CHECKED_BLOCKS])
def test_doc_block(block: Block, doc_runner: DocRunner) -> None:
    doc_runner.run(block)


# -- drift guards -----------------------------------------------------------------------------------


def _text(name: str) -> str:
    return (DOCS / name).read_text(encoding="utf-8")


def test_every_doc_page_exists_and_is_linked_from_the_index() -> None:
    present = {p.name for p in DOCS.glob("*.md")}
    assert present >= EXPECTED_DOCS, f"missing pages: {sorted(EXPECTED_DOCS - present)}"
    index = _text("index.md")
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for page in sorted(present - {"index.md"}):
        assert f"({page})" in index or f"({page}#" in index, f"docs/index.md does not link to {page}"
        assert f"(docs/{page})" in readme or f"(docs/{page}#" in readme, f"README.md does not link to {page}"


def test_every_page_in_a_subfolder_is_linked_from_the_index() -> None:
    """Tutorials and references (docs/tutorials/, docs/reference/) are reached from the index too."""
    index = _text("index.md")
    for doc in DOCS.rglob("*.md"):
        page = doc.relative_to(DOCS).as_posix()
        if "/" in page:
            assert f"({page})" in index or f"({page}#" in index, f"docs/index.md does not link to {page}"


_FORMAT_MODELS: list[type[BaseModel]] = [
    Template,
    Section,
    Scale,
    ScalePoint,
    TemplateCompany,
    ChoiceOption,
    TextField,
    RatingField,
    ChoiceField,
    CheckField,
    DateField,
    AgreementsField,
    SignatureField,
    InfoField,
]


def _change_keys() -> list[str]:
    """The keys of every change operation (``to``, ``before``, ``with``, ...), from the schema models."""
    from musforms._loading import schema_export

    keys: list[str] = []
    for model in typing.get_args(schema_export.Change):
        for name, info in model.model_fields.items():
            keys.append(info.alias or name)
    return keys


def _format_keys() -> list[tuple[str, str]]:
    keys = [(model.__name__, name) for model in _FORMAT_MODELS for name in model.model_fields]
    keys += [("template file", "extends"), ("template file", "changes")]
    keys += [("changes", name) for name in OPERATIONS]
    keys += [("changes", name) for name in _change_keys()]
    keys += [("AgreementRow", name) for name in AgreementRow.model_fields]
    keys += [("Signature", name) for name in Signature.model_fields]
    keys += [("agreement method", name) for name in AGREEMENT_METHODS]
    keys += [("agreement status", name) for name in AGREEMENT_STATUSES]
    return sorted(set(keys))


@pytest.mark.parametrize(("owner", "key"), _format_keys(), ids=[f"{o}.{k}" for o, k in _format_keys()])
def test_template_format_documents_every_key(owner: str, key: str) -> None:
    assert f"`{key}`" in _text("template-format.md"), (
        f"docs/template-format.md does not document `{key}` ({owner}): add it to the reference"
    )


@pytest.mark.parametrize("kind", field_kinds())
def test_template_format_has_an_example_of_every_field_kind(kind: str) -> None:
    yaml_blocks = [b.text for b in BLOCKS_BY_DOC[DOCS / "template-format.md"] if b.language == "yaml"]
    assert any(re.search(rf"\bkind: {kind}\b", text) for text in yaml_blocks), (
        f"docs/template-format.md has no YAML example of a '{kind}' field"
    )


@pytest.mark.parametrize("name", musforms.__all__)
def test_python_api_documents_every_public_name(name: str) -> None:
    assert re.search(rf"`(musforms\.)?{re.escape(name)}\b", _text("python-api.md")), (
        f"docs/python-api.md does not document `{name}`"
    )


def _cli_words() -> list[str]:
    import argparse

    parser = cli.build_parser()
    words: list[str] = [opt for action in parser._actions for opt in action.option_strings if opt != "-h"]
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for command, sub in action.choices.items():
                words.append(f"musforms {command}")
                words += [opt for a in sub._actions for opt in a.option_strings if opt not in ("-h", "--help")]
    return sorted(set(words))


@pytest.mark.parametrize("word", _cli_words())
def test_cli_page_documents_every_command_and_option(word: str) -> None:
    assert word in _text("cli.md"), f"docs/cli.md does not mention `{word}`"


def _slug(heading: str) -> str:
    text = re.sub(r"[^\w\- ]", "", heading.strip().lower().replace("`", ""))
    return text.replace(" ", "-")


def _anchors(doc: Path) -> set[str]:
    lines = doc.read_text(encoding="utf-8").splitlines()
    inside = False
    anchors = set()
    for line in lines:
        if line.startswith("```"):
            inside = not inside
        elif not inside and line.startswith("#"):
            anchors.add(_slug(line.lstrip("#")))
    return anchors


_LINK = re.compile(r"\]\(([^)\s]+)\)")


def _links() -> list[tuple[Path, str]]:
    found = []
    for doc in DOC_FILES:
        text = re.sub(r"^```.*?^```", "", doc.read_text(encoding="utf-8"), flags=re.M | re.S)
        for target in _LINK.findall(text):
            if not re.match(r"^[a-z]+:", target):
                found.append((doc, target))
    return found


def _doc_id(doc: Path) -> str:
    return doc.relative_to(ROOT).as_posix()


@pytest.mark.parametrize(("doc", "target"), _links(), ids=[f"{_doc_id(d)}->{t}" for d, t in _links()])
def test_relative_links_lead_somewhere(doc: Path, target: str) -> None:
    path_text, _, anchor = target.partition("#")
    path = (doc.parent / path_text).resolve() if path_text else doc
    assert path.exists(), f"{doc.name}: link to {target}: no such file"
    if anchor and path.suffix == ".md":
        assert anchor in _anchors(path), f"{doc.name}: link to {target}: no heading with that anchor"


@pytest.mark.parametrize("doc", DOC_FILES, ids=[_doc_id(d) for d in DOC_FILES])
def test_code_blocks_start_at_the_margin(doc: Path) -> None:
    """Indented fences (inside lists) would not be found, and so not tested."""
    indented = [
        number
        for number, line in enumerate(doc.read_text(encoding="utf-8").splitlines(), start=1)
        if re.match(r"^\s+```", line)
    ]
    assert not indented, f"{doc.name}: code blocks on lines {indented} are indented; start them at the margin"
