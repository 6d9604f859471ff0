"""The package's layers hold: read from the source's imports (those inside functions too), not from a list kept
by hand. No import cycle; each layer imports only itself and the layers below it; the template model, its texts
and its loading reach no format library; the command line uses the public face only; ``import musforms`` loads
no format library; and no public function hides a module of the same name."""

from __future__ import annotations

import ast
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

import musforms

PACKAGE = Path(musforms.__file__).parent

LAYERS = ["_model", "_text", "_loading", "_core", "_formats", "_workflows", "musforms", "_cli", "__main__"]
"""The layers from the bottom up: a module may import from its own layer and the ones before it. ``errors``
and ``_version`` lie below them all; ``musforms`` is the package's ``__init__``, the public face, on which the
command line is built."""

FORMAT_LIBRARIES = ("docx", "openpyxl")
"""Third-party libraries of one file format, which the layers below ``_formats`` must not reach."""


@dataclass(frozen=True)
class Import:
    module: str
    target: str
    line: int
    in_function: bool


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


MODULES = {_module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def _imports(name: str) -> Iterator[Import]:
    path = MODULES[name]
    tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    functions = [n for n in ast.walk(tree) if isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef)]
    nested = {id(inner) for f in functions for inner in ast.walk(f) if inner is not f}
    type_only = {
        id(inner)
        for n in ast.walk(tree)
        if isinstance(n, ast.If) and ast.unparse(n.test) in ("TYPE_CHECKING", "typing.TYPE_CHECKING")
        for inner in ast.walk(n)
    }
    for node in ast.walk(tree):
        if id(node) in type_only:
            continue  # imported for type annotations only, never at run time
        in_function = id(node) in nested
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield Import(name, alias.name, node.lineno, in_function)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            for alias in node.names:
                candidate = f"{base}.{alias.name}"
                yield Import(name, candidate if candidate in MODULES else base, node.lineno, in_function)


GRAPH = {name: sorted({i.target for i in _imports(name)}) for name in MODULES}


def _internal(name: str) -> list[str]:
    return [t for t in GRAPH[name] if t in MODULES]


def _layer(name: str) -> int:
    parts = name.split(".")
    if len(parts) == 1:
        return LAYERS.index("musforms")
    if parts[1] in ("errors", "_version"):
        return -1
    return LAYERS.index(parts[1])


def test_every_module_lies_in_a_layer() -> None:
    stray = [
        name for name in MODULES if name.count(".") >= 1 and name.split(".")[1] not in (*LAYERS, "errors", "_version")
    ]
    assert not stray, f"modules outside the layers: {stray}"


def test_no_import_cycle() -> None:
    """Tarjan's strongly connected components over every import, those inside functions included."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    cycles: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in _internal(node):
            if target == node:
                continue
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                cycles.append(sorted(component))

    for name in MODULES:
        if name not in index:
            visit(name)
    assert not cycles, f"import cycles: {cycles}"


def test_each_layer_imports_only_itself_and_the_layers_below() -> None:
    upward = [
        f"{i.module} -> {i.target} (line {i.line})"
        for name in MODULES
        for i in _imports(name)
        if i.target in MODULES and _layer(i.target) > _layer(name)
    ]
    assert not upward, "imports of a higher layer:\n" + "\n".join(upward)


def _reaches(name: str, seen: set[str] | None = None) -> set[str]:
    """Every module ``name`` imports, directly or through other musforms modules (third-party ones too)."""
    seen = set() if seen is None else seen
    for target in GRAPH[name]:
        if target in seen:
            continue
        seen.add(target)
        if target in MODULES:
            _reaches(target, seen)
    return seen


@pytest.mark.parametrize("layer", ["_model", "_text", "_loading", "_core"])
def test_the_layers_below_the_formats_reach_no_format_library(layer: str) -> None:
    found = {
        name: sorted(t for t in _reaches(name) if t.split(".")[0] in FORMAT_LIBRARIES)
        for name in MODULES
        if name.startswith(f"musforms.{layer}")
    }
    found = {name: targets for name, targets in found.items() if targets}
    assert not found, f"format libraries reached from {layer}: {found}"


def test_the_command_line_uses_the_public_face_only() -> None:
    private = [
        f"{i.module} -> {i.target} (line {i.line})"
        for name in MODULES
        if name.startswith("musforms._cli")
        for i in _imports(name)
        if i.target.startswith("musforms") and i.target != "musforms" and not i.target.startswith("musforms._cli")
    ]
    assert not private, "the command line imports private modules:\n" + "\n".join(private)


def test_import_musforms_loads_no_format_library() -> None:
    code = "import sys, musforms; print(sorted(m for m in ('docx', 'openpyxl') if m in sys.modules))"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"


@pytest.mark.parametrize(("fmt", "library"), [("docx", "docx"), ("xlsx", "openpyxl")])
def test_parsing_a_form_loads_no_format_library(fmt: str, library: str, tmp_path: Path) -> None:
    form = tmp_path / f"form.{fmt}"
    form.write_bytes(
        musforms.render("mus-soft-da", fmt, role="employee", context={"employee": {"id": "E-1", "name": "Ida"}})
    )
    code = (
        "import sys, musforms\n"
        f"form = musforms.parse({str(form)!r})\n"
        "assert form.subject_id == 'E-1', form\n"
        f"print({library!r} in sys.modules)"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "False"


def test_no_public_function_hides_a_module() -> None:
    hidden = [name for name in musforms.__all__ if f"musforms.{name}" in MODULES]
    assert not hidden, f"public names that are also modules: {hidden}"


def test_modules_keep_to_one_job_in_a_few_hundred_lines() -> None:
    long = {
        name: n for name, path in MODULES.items() if (n := len(path.read_text(encoding="utf-8").splitlines())) > 500
    }
    assert not long, f"modules longer than 500 lines: {long}"


def test_every_module_says_its_job() -> None:
    silent = [name for name, path in MODULES.items() if ast.get_docstring(ast.parse(path.read_text("utf-8"))) is None]
    assert not silent, f"modules without a docstring: {silent}"


def test_every_exception_is_defined_in_errors() -> None:
    """An exception class (one whose bases name an error or an exception) is defined in ``errors.py`` only."""
    stray = [
        f"{name}.{node.name}"
        for name, path in MODULES.items()
        if name != "musforms.errors"
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        if isinstance(node, ast.ClassDef)
        and any(ast.unparse(base).endswith(("Error", "Exception")) for base in node.bases)
    ]
    assert not stray, f"exceptions defined outside errors.py: {stray}"
