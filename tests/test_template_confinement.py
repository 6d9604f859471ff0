"""A customer's template reaches no file outside its place: ``extends`` and the logo, from a file, a mapping
and from text. A refused reference says nothing of the file it names: not its content, keys, existence or
real path."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

import musforms
from musforms import TemplateError

SECRET_KEYS = "db_password: hunter2\nsecret_token: abc123\n"
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489"
    "0000000b4944415478da636000020000050001e9fadcd80000000049454e44ae426082"
)
needs_symlinks = pytest.mark.skipif(not hasattr(os, "symlink"), reason="the system has no symbolic links")


@pytest.fixture
def customers(tmp_path: Path) -> Path:
    """Two customers' folders side by side, a secret YAML file beside them, and a logo in customer b's."""
    for name in ("a", "b"):
        (tmp_path / "customers" / name).mkdir(parents=True)
    (tmp_path / "customers" / "b" / "theirs.yaml").write_text(
        "extends: mus-soft-da\nid: b-mus\n" + SECRET_KEYS, encoding="utf-8"
    )
    (tmp_path / "customers" / "b" / "logo.png").write_bytes(PNG)
    (tmp_path / "secret.yaml").write_text(SECRET_KEYS, encoding="utf-8")
    return tmp_path / "customers"


def _problem(exc: pytest.ExceptionInfo[TemplateError]) -> str:
    (problem,) = exc.value.problems
    return str(problem)


def _assert_nothing_of_the_file(message: str, *real_paths: Path) -> None:
    for leak in ("hunter2", "abc123", "db_password", "secret_token", "unknown key", "not UTF-8", "no template file"):
        assert leak not in message, message
    for path in real_paths:
        assert str(path) not in message, message


def _write(folder: Path, text: str, name: str = "t.yaml") -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("reference", "why"),
    [
        ("/etc/passwd", "is an absolute path"),
        ("SECRET", "is an absolute path"),  # replaced by the secret's absolute path
        ("../../secret.yaml", "lies outside the folder"),
        ("../b/theirs.yaml", "lies outside the folder"),  # another customer's template
        ("sub/../../b/theirs.yaml", "lies outside the folder"),
        ("../../does-not-exist.yaml", "lies outside the folder"),  # the same answer whether it exists or not
        ("C:\\Windows\\win.ini", "is an absolute path"),
        ("\\\\server\\share\\t.yaml", "is an absolute path"),
        ("~/secret.yaml", "is an absolute path"),
    ],
)
def test_extends_from_a_file_may_not_leave_its_folder(customers: Path, reference: str, why: str) -> None:
    secret = customers.parent / "secret.yaml"
    reference = str(secret) if reference == "SECRET" else reference
    path = _write(customers / "a", f"extends: {reference!r}\nid: a-mus\n")
    with pytest.raises(TemplateError) as exc:
        musforms.load_template(path)
    message = _problem(exc)
    assert why in message and ":1:10: extends:" in message
    # The reference is quoted as the author wrote it; nothing else names a file outside the folder.
    _assert_nothing_of_the_file(message.replace(reference, "<ref>"), secret.resolve(), customers / "b")


def test_an_outside_file_and_a_missing_one_are_refused_alike(customers: Path) -> None:
    """No oracle: whether the named file exists outside the folder does not change the answer."""
    messages = []
    for target in ("../../secret.yaml", "../../nothing-here.yaml"):
        path = _write(customers / "a", f"extends: {target}\nid: a-mus\n")
        with pytest.raises(TemplateError) as exc:
            musforms.load_template(path)
        messages.append(_problem(exc).replace(target, "<ref>"))
    assert messages[0] == messages[1]


@needs_symlinks
def test_a_symlink_out_of_the_folder_is_refused_without_saying_where_it_points(customers: Path) -> None:
    secret = customers.parent / "secret.yaml"
    (customers / "a" / "base.yaml").symlink_to(secret)
    (customers / "a" / "linked").symlink_to(customers / "b", target_is_directory=True)
    for reference in ("base.yaml", "linked/theirs.yaml"):
        path = _write(customers / "a", f"extends: {reference}\nid: a-mus\n")
        with pytest.raises(TemplateError) as exc:
            musforms.load_template(path)
        message = _problem(exc)
        assert "lies outside the folder" in message
        _assert_nothing_of_the_file(message, secret, customers / "b", Path("customers/b"))


@needs_symlinks
def test_a_symlink_that_stays_inside_the_folder_is_followed(customers: Path) -> None:
    folder = customers / "a"
    _write(folder, "extends: mus-soft-da\nid: a-base\n", "base.yaml")
    (folder / "alias.yaml").symlink_to(folder / "base.yaml")
    path = _write(folder, "extends: alias.yaml\nid: a-mus\n")
    assert musforms.load_template(path).id == "a-mus"


def test_files_in_the_folder_and_below_are_allowed(customers: Path) -> None:
    folder = customers / "a"
    (folder / "shared").mkdir()
    _write(folder / "shared", "extends: mus-soft-da\nid: a-base\ntitle: Vores MUS\n", "base.yaml")
    path = _write(folder, "extends: shared/base.yaml\nid: a-mus\n")
    template = musforms.load_template(path)
    assert (template.id, template.title) == ("a-mus", "Vores MUS")


def test_a_parent_below_may_not_climb_out_of_the_root(customers: Path) -> None:
    """The root is the first file's folder for the whole chain: a parent in a subfolder may not climb higher."""
    folder = customers / "a"
    (folder / "shared").mkdir()
    _write(folder / "shared", "extends: ../../b/theirs.yaml\nid: a-base\n", "base.yaml")
    path = _write(folder, "extends: shared/base.yaml\nid: a-mus\n")
    with pytest.raises(TemplateError) as exc:
        musforms.load_template(path)
    message = _problem(exc)
    assert "lies outside the folder" in message and "base.yaml:1:10" in message
    _assert_nothing_of_the_file(message)


def test_an_application_may_allow_a_wider_root(customers: Path) -> None:
    path = _write(customers / "a", "extends: ../b/theirs.yaml\nid: a-mus\n")
    with pytest.raises(TemplateError):
        musforms.load_template(path)
    # The application decides that its customers may share templates (the parent's unknown keys now show).
    with pytest.raises(TemplateError, match="unknown key 'db_password'"):
        musforms.load_template(path, root=customers)


@pytest.mark.parametrize("reference", ["/etc/passwd", "../secret.yaml", "secret.yaml", "t.yaml"])
def test_text_without_a_folder_reaches_no_file(
    customers: Path, reference: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(customers.parent)  # secret.yaml lies in the current folder: still not reached
    with pytest.raises(TemplateError) as exc:
        musforms.load_template_text(f"extends: {reference}\nid: x\n")
    message = _problem(exc)
    assert "a template loaded without a folder may name no file" in message
    _assert_nothing_of_the_file(message, customers.parent)
    with pytest.raises(TemplateError) as exc:
        musforms.load_template({"extends": reference, "id": "x"})
    assert "may name no file" in _problem(exc)


def test_text_and_mappings_still_extend_built_ins() -> None:
    assert musforms.load_template_text("extends: mus-soft-da\nid: x\n").id == "x"
    assert musforms.load_template({"extends": "mus-soft-da", "id": "y"}).id == "y"


def test_text_with_a_folder_reaches_that_folder_only(customers: Path) -> None:
    folder = customers / "a"
    _write(folder, "extends: mus-soft-da\nid: a-base\n", "base.yaml")
    assert musforms.load_template_text("extends: base.yaml\nid: x\n", base_dir=folder).id == "x"
    with pytest.raises(TemplateError) as exc:
        musforms.load_template_text("extends: ../b/theirs.yaml\nid: x\n", base_dir=folder)
    message = _problem(exc)
    assert "lies outside the folder" in message
    _assert_nothing_of_the_file(message)


# -- the logo ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("logo", "why"),
    [
        ("../b/logo.png", "lies outside the folder"),
        ("LOGO", "is an absolute path"),  # replaced by customer b's logo, absolute
        ("/etc/passwd", "is an absolute path"),
    ],
)
def test_a_logo_may_not_leave_the_folder(customers: Path, logo: str, why: str) -> None:
    logo = str(customers / "b" / "logo.png") if logo == "LOGO" else logo
    path = _write(customers / "a", f"extends: mus-soft-da\nid: a-mus\ncompany: {{name: A, logo: {logo!r}}}\n")
    with pytest.raises(TemplateError) as exc:
        musforms.load_template(path)
    message = _problem(exc)
    assert "the logo must lie in the template's folder" in message and why in message
    _assert_nothing_of_the_file(message.replace(logo, "<ref>"), customers / "b")


def test_a_logo_from_text_needs_a_folder(customers: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (customers / "a" / "logo.png").write_bytes(PNG)
    monkeypatch.chdir(customers / "a")
    text = "extends: mus-soft-da\nid: a-mus\ncompany: {name: A, logo: logo.png}\n"
    with pytest.raises(TemplateError, match="may name no file"):
        musforms.load_template_text(text)
    template = musforms.load_template_text(text, base_dir=customers / "a")
    assert template.logo_file == (customers / "a" / "logo.png").resolve()


def test_compare_never_opens_a_template_id_taken_from_a_form_as_a_path(customers: Path) -> None:
    """A stored FilledForm names its template by id: compare finds built-ins by it, and opens no file."""
    secret = customers.parent / "secret.yaml"
    forms = [
        musforms.FilledForm.model_validate(
            {
                "template_id": str(secret),
                "template_version": "1.0",
                "fingerprint": "sha256:0",
                "role": role,
                "format": "docx",
                "form_id": "f",
                "subject_id": "E-1",
                "answers": {},
            }
        )
        for role in ("employee", "manager")
    ]
    with pytest.raises(musforms.ComparisonError, match="not a built-in template; give it with template=") as exc:
        musforms.compare(*forms)
    assert "hunter2" not in str(exc.value) and "unknown key" not in str(exc.value)
