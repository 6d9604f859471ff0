"""The documentation site: its generated references are current, and it builds offline without a warning.

The template keys and the command-line reference are generated from the code by ``scripts/gen_docs.py``
(``make docs`` runs it); these tests regenerate them in a temporary folder and compare. The site itself is
built with ``mkdocs build --strict`` when the ``docs`` extras are installed (``make test`` installs them).
"""

from __future__ import annotations

import importlib.util
import os
import re
import subprocess
import sys
import textwrap
from pathlib import Path
from types import ModuleType

import pytest
import yaml

import musforms

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"
MKDOCS_YML = ROOT / "mkdocs.yml"


def _load_gen_docs() -> ModuleType:
    spec = importlib.util.spec_from_file_location("gen_docs", ROOT / "scripts" / "gen_docs.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


gen_docs = _load_gen_docs()


def _mkdocs_config() -> dict[str, object]:
    config = yaml.safe_load(MKDOCS_YML.read_text(encoding="utf-8"))
    assert isinstance(config, dict)
    return config


def _nav_pages(nav: object) -> list[str]:
    if isinstance(nav, str):
        return [nav]
    if isinstance(nav, list):
        return [page for item in nav for page in _nav_pages(item)]
    if isinstance(nav, dict):
        return [page for value in nav.values() for page in _nav_pages(value)]
    return []


# -- generated references ---------------------------------------------------------------------------


def test_generated_references_are_current(tmp_path: Path) -> None:
    written = gen_docs.write(tmp_path)
    assert {p.relative_to(tmp_path).as_posix() for p in written} == set(gen_docs.generate())
    stale = [
        name
        for name in gen_docs.generate()
        if not (DOCS / name).is_file()
        or (DOCS / name).read_text(encoding="utf-8") != (tmp_path / name).read_text(encoding="utf-8")
    ]
    assert stale == [], f"regenerate with `make docs` (or `.venv/bin/python scripts/gen_docs.py`): {stale}"


def test_check_mode_reports_a_stale_page(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert gen_docs.main(["--check", "--docs", str(tmp_path)]) == 1
    assert "is not current" in capsys.readouterr().err
    assert gen_docs.main(["--docs", str(tmp_path)]) == 0
    assert gen_docs.main(["--check", "--docs", str(tmp_path)]) == 0
    page = tmp_path / gen_docs.CLI
    page.write_text(page.read_text(encoding="utf-8") + "\nedited by hand\n", encoding="utf-8")
    assert gen_docs.stale(tmp_path) == [gen_docs.CLI]


def test_reference_folder_holds_only_generated_pages_and_the_api_page() -> None:
    on_disk = {p.relative_to(DOCS).as_posix() for p in (DOCS / "reference").rglob("*") if p.is_file()}
    assert on_disk == {*gen_docs.generate(), "reference/api.md"}


def test_template_keys_cover_every_key_of_every_model() -> None:
    page = (DOCS / gen_docs.TEMPLATE_KEYS).read_text(encoding="utf-8")
    for model in gen_docs._model_names():
        assert f"### {model.__name__}\n" in page
        for name, info in model.model_fields.items():
            assert f"| `{info.alias or name}` |" in page, f"{model.__name__}.{name} is missing"


def test_template_keys_carry_the_attribute_docstrings() -> None:
    """Descriptions come from the docstrings under the models' attributes, inherited ones included."""
    from musforms._model.fields import RatingField, TextField

    assert gen_docs.attribute_doc(TextField, "lines") == "How many lines of writing room the printed form leaves."
    assert gen_docs.attribute_doc(RatingField, "audience").startswith("The roles whose form shows this field")
    assert gen_docs.attribute_doc(TextField, "no_such_key") == ""
    page = (DOCS / gen_docs.TEMPLATE_KEYS).read_text(encoding="utf-8")
    assert "How many lines of writing room the printed form leaves." in page


def test_template_keys_list_every_change_operation() -> None:
    from musforms._loading.changes import OPERATIONS

    page = (DOCS / gen_docs.TEMPLATE_KEYS).read_text(encoding="utf-8")
    for operation in OPERATIONS:
        assert f"| `{operation}` |" in page


def test_cli_reference_covers_every_command_and_option() -> None:
    import argparse

    from musforms._cli import main as cli

    page = (DOCS / gen_docs.CLI).read_text(encoding="utf-8")
    parser = cli.build_parser()
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for command, sub in action.choices.items():
                assert f"## `musforms {command}`" in page
                if sub.description:
                    assert sub.description in page
                for option in (o for a in sub._actions for o in a.option_strings if o not in ("-h", "--help")):
                    assert re.search(rf"`[^`]*{re.escape(option)}\b", page), f"musforms {command} {option}"


def test_api_reference_documents_every_public_name() -> None:
    page = (DOCS / "reference" / "api.md").read_text(encoding="utf-8")
    documented = set(re.findall(r"^::: musforms\.(\w+)(?:\.\1)?$", page, flags=re.M))
    assert documented == set(musforms.__all__), (
        f"docs/reference/api.md: add {sorted(set(musforms.__all__) - documented)}, "
        f"remove {sorted(documented - set(musforms.__all__))}"
    )


def test_every_page_is_in_the_navigation() -> None:
    config = _mkdocs_config()
    in_nav = _nav_pages(config["nav"])
    on_disk = sorted(p.relative_to(DOCS).as_posix() for p in DOCS.rglob("*.md"))
    assert sorted(in_nav) == on_disk
    assert len(in_nav) == len(set(in_nav)), "a page is in the navigation twice"


def test_site_config_fetches_nothing_from_the_internet() -> None:
    config = _mkdocs_config()
    theme = config["theme"]
    assert isinstance(theme, dict) and theme.get("font") is False, "theme.font: false (no Google Fonts)"
    assert "docs/hooks/offline.py" in config["hooks"]  # type: ignore[operator]
    plugins = config["plugins"]
    assert isinstance(plugins, list)
    names = {p if isinstance(p, str) else next(iter(p)) for p in plugins}
    assert not names & {"social", "privacy", "offline", "git-revision-date-localized", "git-committers"}
    assert "extra_javascript" not in config and "extra_css" not in config
    python = plugins[[p if isinstance(p, str) else next(iter(p)) for p in plugins].index("mkdocstrings")]
    assert "import" not in python["mkdocstrings"]["handlers"]["python"]  # no inventories from other sites


def test_offline_hook_refuses_the_network_and_allows_this_machine() -> None:
    script = textwrap.dedent(
        """
        import runpy, socket
        runpy.run_path("docs/hooks/offline.py")
        for host in ("example.com", "203.0.113.7"):
            try:
                socket.create_connection((host, 80), timeout=1)
            except OSError as error:
                print(host, type(error).__name__)
        server = socket.socket()
        server.bind(("127.0.0.1", 0))
        server.listen()
        client = socket.create_connection(server.getsockname(), timeout=1)
        print("loopback ok")
        """
    )
    result = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=60, check=False
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [
        "example.com OfflineBuildError",
        "203.0.113.7 OfflineBuildError",
        "loopback ok",
    ]


# -- the site ---------------------------------------------------------------------------------------


def _docs_extras_missing() -> str | None:
    for module in ("mkdocs", "material", "mkdocstrings", "mkdocstrings_handlers.python"):
        if importlib.util.find_spec(module.split(".")[0]) is None or importlib.util.find_spec(module) is None:
            return f"the docs extras are not installed ({module} is missing): pip install -e '.[docs]'"
    return None


_EXTERNAL_RESOURCE = re.compile(
    r"<(?:script|img|iframe|source)\b[^>]*\bsrc=\"(?:https?:)?//"
    r"|<link\b[^>]*\brel=\"(?:stylesheet|preconnect|preload|icon)\"[^>]*\bhref=\"(?:https?:)?//"
    r"|<link\b[^>]*\bhref=\"(?:https?:)?//[^\"]*\"[^>]*\brel=\"(?:stylesheet|preconnect|preload|icon)\""
    r"|url\(\s*['\"]?(?:https?:)?//",
)


@pytest.mark.skipif(_docs_extras_missing() is not None, reason=_docs_extras_missing() or "")
def test_site_builds_offline_without_warnings(tmp_path: Path) -> None:
    site = tmp_path / "site"
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "mkdocs",
            "build",
            "--strict",
            "--config-file",
            str(MKDOCS_YML),
            "--site-dir",
            str(site),
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    output = result.stdout + result.stderr
    assert result.returncode == 0, f"mkdocs build --strict failed:\n{output}"
    assert "WARNING" not in output, output
    assert "OfflineBuildError" not in output, output
    pages = {p.relative_to(site).as_posix() for p in site.rglob("*.html")}
    expected = {p.relative_to(DOCS).with_suffix(".html").as_posix() for p in DOCS.rglob("*.md")}
    assert expected <= pages
    api = (site / "reference" / "api.html").read_text(encoding="utf-8")
    for name in ("musforms.load_template", "musforms.render", "musforms.parse", "musforms.Template"):
        assert f'id="{name}"' in api, f"the API reference has no entry {name}"
    assert ":func:`" not in api and ":class:`" not in api, "a Sphinx role was left in a docstring"
    for page in ("cli.html", "reference/cli.html"):  # `ID\|FILE` in a table is `ID|FILE` on the site
        assert "ID|FILE" in (site / page).read_text(encoding="utf-8")
        assert "\\|" not in (site / page).read_text(encoding="utf-8")
    external = [
        f"{path.relative_to(site)}: {match.group(0)}"
        for path in site.rglob("*")
        if path.suffix in (".html", ".css", ".js") and path.is_file()
        for match in _EXTERNAL_RESOURCE.finditer(path.read_text(encoding="utf-8", errors="replace"))
    ]
    assert external == [], "the site loads resources from the internet:\n" + "\n".join(external[:20])
