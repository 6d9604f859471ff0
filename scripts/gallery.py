#!/usr/bin/env python3
"""Render the gallery of the built-in forms: pages of every template's Word and Excel form, per role, as PNG.

Every built-in template is rendered for the employee and the manager, as .docx and as .xlsx, with
``SAMPLE_CONTEXT`` and a few example answers (so the pages show what a filled form looks like), converted
to PDF by one LibreOffice run, and pages of the PDFs to PNG by poppler's ``pdftoppm`` (70 dpi): the first
two pages of the Word form, the first page of the workbook (its print area; the renderer sets A4 portrait,
fit to the page width). It writes

    docs/gallery/<template-id>-<role>-p1.png, ...-p2.png   (the Word form)
    docs/gallery/<template-id>-<role>-xlsx-p1.png          (the workbook)
    docs/gallery.md                                        (the page that shows them)

the documents of the talk (``AFTER``): the talk form made from the two filled preparation forms of
``TALK_TEMPLATE`` (its first two pages as Word, its first page as a workbook) and the invitation letter,

    docs/gallery/talk-<template-id>-p1.png, ...-xlsx-p1.png, invitation-<language>-p1.png

and the web form of ``WEB_TEMPLATE`` (the employee's), as headless Chromium shows it on a desktop
(``WEB_SIZES["desktop"]`` pixels wide) and on a phone (``WEB_SIZES["phone"]``), blank and sent back with
problems (its answers kept, the problems in a summary at the top and at their fields): the top of the page,
``web-<template-id>-<role>-<desktop|phone>[-problems].png``.

Needs LibreOffice with Writer and Calc (``soffice``) and poppler-utils (``pdftoppm``), and Chromium for the
web form; on Debian/Ubuntu:

    apt-get install libreoffice-writer-nogui libreoffice-calc-nogui poppler-utils chromium

Run from the source tree: ``.venv/bin/python scripts/gallery.py [--out docs/gallery] [--page docs/gallery.md]``
(``--web-only``: only the web form's pictures, without LibreOffice; ``--no-web``: without them).
"""

from __future__ import annotations

import argparse
import hashlib
import html
import os
import re
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from musforms import list_templates, load_invitation, load_template, parse, parse_submission, render_html, render_talk
from musforms._core.binding import input_name
from musforms._formats.html.page import PROPERTIES_NAME
from musforms._formats.render import Format, render
from musforms._model.context import SAMPLE_CONTEXT
from musforms._model.fields import ROLES, DateField, RatingField, Role
from musforms._model.template import Template
from musforms._model.values import NOT_RELEVANT, AgreementRow

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "docs" / "gallery"
PAGE = ROOT / "docs" / "gallery.md"
#: How many pages of each format's form the gallery shows.
PAGES: dict[Format, int] = {"docx": 2, "xlsx": 1}
#: Appended to the file names of a format (the Word form keeps the names it always had).
SUFFIX: dict[Format, str] = {"docx": "", "xlsx": "-xlsx"}
DPI = 70
INSTALL_SOFFICE = "apt-get install libreoffice-writer-nogui libreoffice-calc-nogui"
INSTALL_CHROMIUM = "apt-get install chromium"

#: The preparation forms the talk form is made from, and the invitation letter's language.
TALK_TEMPLATE = "mus-scored-da"
LETTER_LANGUAGE = "da"

#: The web form the gallery shows, and the widths (CSS pixels) and heights of its pictures: the top of the page.
WEB_TEMPLATE: tuple[str, Role] = ("mus-scored-da", "employee")
WEB_SIZES: dict[str, tuple[int, int]] = {"desktop": (1280, 2900), "phone": (390, 2600)}
CHROMIUM_FLAGS = (
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--hide-scrollbars",
    "--default-background-color=ffffffff",
)

#: One sentence per built-in template for the gallery page (a template without one gets its title).
ABOUT = {
    "mus-scored-da": "The Danish form with a rating scale: the employee and the manager each rate the same "
    'statements from 1 to 5 (some may be marked "not relevant"), next to open questions.',
    "mus-scored-en": "The same scored form in English.",
    "mus-soft-da": "The Danish dialogue-based form: open questions only, no ratings, for a talk that starts "
    "from the employee's own words.",
    "mus-soft-en": "The same dialogue-based form in English.",
    "plan-da": "The Danish development plan: the conclusions and agreements of the talk, which both sign.",
    "plan-en": "The same development plan in English.",
    "followup-da": "The Danish follow-up: the status and effect of each agreement of the plan, and what now.",
    "followup-en": "The same follow-up in English.",
}

#: A few answers per language, on the first two pages of the forms; only those a role answers are used.
EXAMPLES: dict[str, dict[str, Any]] = {
    "da": {
        "expectations": "Et klart billede af, hvad jeg skal fokusere på det næste år.",
        "prep_info_to_give": "Vi åbner en ny afdeling i Aarhus; det kan give nye opgaver for Mette.",
        "prep_info_to_get": "Hvordan Mette oplever arbejdsmængden efter sommeren.",
        "tasks_past": "Servicebesøg og KNX-installationer hos erhvervskunder.",
        "rate_quality": 4,
        "rate_efficiency": 3,
        "rate_customer_service": NOT_RELEVANT,
    },
    "en": {
        "expectations": "A clear picture of what to focus on in the coming year.",
        "prep_info_to_give": "We open a new department in Aarhus; it may bring new tasks for Mette.",
        "prep_info_to_get": "How Mette experiences the workload after the summer.",
        "tasks_past": "Service visits and KNX installations for business customers.",
        "rate_quality": 4,
        "rate_efficiency": 3,
        "rate_customer_service": NOT_RELEVANT,
    },
}
PREVIOUS = {
    "da": "Taget kurset; bruges allerede hos kunderne.",
    "en": "Course taken; already used with customers.",
}


@dataclass(frozen=True)
class Picture:
    template_id: str
    role: Role
    page: int
    path: Path
    format: Format = "docx"


@dataclass(frozen=True)
class Form:
    """One rendered form in the work folder."""

    template_id: str
    role: Role
    format: Format
    path: Path

    @property
    def stem(self) -> str:
        """The file's name without its extension, ``<template-id>-<role>[-xlsx]``: also the images' names."""
        return self.path.stem


class MissingToolError(RuntimeError):
    """A program the gallery needs is not installed."""


def requirements() -> list[str]:
    """What is missing to build the gallery, each with how to install it (empty when all is there)."""
    missing = []
    if soffice() is None:
        missing.append(f"LibreOffice (soffice): {INSTALL_SOFFICE}")
    if shutil.which("pdftoppm") is None:
        missing.append("pdftoppm: apt-get install poppler-utils")
    return missing


def chromium() -> str | None:
    for name in (os.environ.get("MUSFORMS_CHROMIUM") or "", "chromium", "chromium-browser"):
        if name and (path := shutil.which(name)):
            return path
    return None


def soffice() -> str | None:
    for name in (os.environ.get("MUSFORMS_SOFFICE") or "", "soffice", "libreoffice"):
        if name and (path := shutil.which(name)):
            return path
    return None


def example_answers(template: Template, role: Role) -> dict[str, Any]:
    """A few example answers that ``role`` gives in ``template`` (so the gallery shows a form being filled)."""
    answered = {f.id for f in template.answer_fields(role)}
    examples = dict(EXAMPLES.get(template.language, EXAMPLES["en"]))
    if SAMPLE_CONTEXT.previous_agreements:
        last = SAMPLE_CONTEXT.previous_agreements[0]
        examples["previous_agreements_status"] = [
            AgreementRow(
                action=last.action,
                owner=last.owner,
                status="done",
                comment=PREVIOUS.get(template.language, PREVIOUS["en"]),
            )
        ]
    return {key: value for key, value in examples.items() if key in answered}


def render_forms(directory: Path, formats: Sequence[Format] = ("docx", "xlsx")) -> list[Form]:
    """Every built-in template × role × format rendered into ``directory``.

    Each file has its own stem (``<id>-<role>.docx``, ``<id>-<role>-xlsx.xlsx``), so that the PDFs of one
    LibreOffice run do not overwrite each other.
    """
    forms = []
    for info in list_templates():
        template = load_template(info.id)
        for role in ROLES:
            answers = example_answers(template, role)
            form_id = hashlib.sha256(f"gallery {info.id} {role}".encode()).hexdigest()[:32]
            for fmt in formats:
                data = render(template, fmt, role=role, context=SAMPLE_CONTEXT, answers=answers, form_id=form_id)
                form = Form(info.id, role, fmt, directory / f"{info.id}-{role}{SUFFIX[fmt]}.{fmt}")
                form.path.write_bytes(data)
                forms.append(form)
    return forms


def render_after_talk(directory: Path) -> list[Form]:
    """The talk form (Word and workbook) from the filled preparation forms of ``TALK_TEMPLATE``, and the
    invitation letter, into ``directory``. Their ``template_id`` is the document's name (``talk-<id>``,
    ``invitation-<language>``) and their role the manager's (who leads the talk and sends the letter)."""
    template = load_template(TALK_TEMPLATE)
    filled = [
        parse(render(template, "docx", role=role, context=SAMPLE_CONTEXT, answers=example_answers(template, role)))
        for role in ROLES
    ]
    talk = f"talk-{TALK_TEMPLATE}"
    forms = []
    for fmt in ("docx", "xlsx"):
        form = Form(talk, "manager", fmt, directory / f"{talk}{SUFFIX[fmt]}.{fmt}")
        form.path.write_bytes(render_talk(None, filled[0], filled[1], fmt))
        forms.append(form)
    letter = f"invitation-{LETTER_LANGUAGE}"
    invitation = load_invitation(letter).render(SAMPLE_CONTEXT)
    form = Form(letter, "manager", "docx", directory / f"{letter}.docx")
    form.path.write_bytes(invitation.docx(sender=SAMPLE_CONTEXT.company.name if SAMPLE_CONTEXT.company else ""))
    return [*forms, form]


#: How many pages of each document after the talk the gallery shows, by format.
AFTER_PAGES: dict[str, dict[Format, int]] = {"talk": {"docx": 2, "xlsx": 1}, "invitation": {"docx": 1}}


def _clean_env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV")}
    env.setdefault("HOME", tempfile.gettempdir())
    return env


def to_pdf(documents: Sequence[Path], outdir: Path, timeout: float = 300.0) -> list[Path]:
    """Convert ``documents`` to PDF with one headless LibreOffice (in its own, throwaway profile)."""
    program = soffice()
    if program is None:
        raise MissingToolError(f"LibreOffice (soffice) is not installed: {INSTALL_SOFFICE}")
    with tempfile.TemporaryDirectory(prefix="musforms-gallery-profile-") as profile:
        proc = subprocess.run(
            [
                program,
                f"-env:UserInstallation={Path(profile).as_uri()}",
                "--headless",
                "--norestore",
                "--nolockcheck",
                "--convert-to",
                "pdf",
                "--outdir",
                str(outdir),
                *map(str, documents),
            ],
            capture_output=True,
            text=True,
            timeout=timeout,
            env=_clean_env(),
            check=False,
        )
    pdfs = [outdir / f"{doc.stem}.pdf" for doc in documents]
    missing = [pdf.name for pdf in pdfs if not pdf.is_file()]
    if proc.returncode != 0 or missing:
        raise RuntimeError(
            f"soffice --convert-to pdf failed (exit {proc.returncode}, missing {missing}; a workbook needs "
            f"Calc: {INSTALL_SOFFICE}): {proc.stdout.strip()} {proc.stderr.strip()}"
        )
    return pdfs


def to_png(pdf: Path, prefix: Path, pages: int = PAGES["docx"], dpi: int = DPI) -> list[Path]:
    """The first ``pages`` pages of ``pdf`` as ``<prefix>-p1.png``, ``-p2.png``, ... (``pdftoppm``)."""
    if shutil.which("pdftoppm") is None:
        raise MissingToolError("pdftoppm is not installed: apt-get install poppler-utils")
    with tempfile.TemporaryDirectory(prefix="musforms-gallery-png-") as tmp:
        raw = Path(tmp) / "page"
        subprocess.run(
            ["pdftoppm", "-r", str(dpi), "-png", "-f", "1", "-l", str(pages), str(pdf), str(raw)],
            check=True,
            capture_output=True,
            timeout=120,
        )
        # pdftoppm names pages page-1.png or page-01.png (padded to the document's page count)
        made = sorted(Path(tmp).glob("page-*.png"), key=lambda p: int(p.stem.rsplit("-", 1)[1]))
        if len(made) < pages:
            raise RuntimeError(f"{pdf.name}: pdftoppm made {len(made)} page(s), expected {pages}")
        out = []
        for number, image in enumerate(made[:pages], start=1):
            target = prefix.with_name(f"{prefix.name}-p{number}.png")
            shutil.move(image, target)
            out.append(target)
    return out


@dataclass(frozen=True)
class WebPicture:
    """One picture of the web form."""

    size: str
    """``desktop`` or ``phone``."""
    problems: bool
    path: Path


def web_stem(size: str, problems: bool) -> str:
    template_id, role = WEB_TEMPLATE
    return f"web-{template_id}-{role}-{size}{'-problems' if problems else ''}"


def web_pages() -> tuple[str, str]:
    """The web form of ``WEB_TEMPLATE``: blank, and as a submission with problems shows it again.

    The submission holds the gallery's example answers and three problems: a point that is not on the rating
    scale, a date written in words, and a field the form does not have; ``parse_submission`` reads it and the
    page is rendered again with its answers and issues, as an application does.
    """
    template_id, role = WEB_TEMPLATE
    template = load_template(template_id)
    form_id = hashlib.sha256(f"gallery web {template_id} {role}".encode()).hexdigest()[:32]
    blank = render_html(template, role=role, context=SAMPLE_CONTEXT, form_id=form_id)
    answers = example_answers(template, role)
    filled_in = render_html(template, role=role, context=SAMPLE_CONTEXT, answers=answers, form_id=form_id)
    found = re.search(rf'name="{PROPERTIES_NAME}" value="([^"]*)"', filled_in.html)
    assert found is not None
    fields = template.answer_fields(role)
    rating = next(f for f in fields if isinstance(f, RatingField) and f.id not in answers)
    date = next(f for f in fields if isinstance(f, DateField))
    submitted = {
        PROPERTIES_NAME: html.unescape(found.group(1)),
        input_name(rating.id): "p9",
        input_name(date.id): "sidst i maj",
        "mf_comments": "Tekst uden for skemaet",
    }
    checked = parse_submission(submitted)
    again = render_html(
        template,
        role=role,
        context=SAMPLE_CONTEXT,
        answers={**answers, **{k: v for k, v in checked.answers.items() if v is not None}},
        issues=checked.issues,
        form_id=form_id,
    )
    return blank.html, again.html


def screenshot(page: Path, png: Path, size: tuple[int, int], timeout: float = 120.0) -> None:
    """The top ``size`` (width, height in CSS pixels) of the page in file ``page``, as Chromium shows it."""
    program = chromium()
    if program is None:
        raise MissingToolError(f"Chromium is not installed: {INSTALL_CHROMIUM}")
    with tempfile.TemporaryDirectory(prefix="musforms-gallery-chromium-") as profile:
        proc = subprocess.run(
            [
                program,
                *CHROMIUM_FLAGS,
                f"--user-data-dir={profile}",
                f"--window-size={size[0]},{size[1]}",
                f"--screenshot={png}",
                page.as_uri(),
            ],
            capture_output=True,
            text=True,
            timeout=timeout,
            env=_clean_env(),
            check=False,
        )
    if proc.returncode != 0 or not png.is_file():
        raise RuntimeError(f"chromium --screenshot failed (exit {proc.returncode}): {proc.stderr.strip()[-2000:]}")


def build_web(out: Path = OUT) -> list[WebPicture]:
    """The web form's pictures, desktop and phone, blank and with problems, into ``out``."""
    if chromium() is None:
        raise MissingToolError(f"the web form's pictures need Chromium: {INSTALL_CHROMIUM}")
    out.mkdir(parents=True, exist_ok=True)
    pictures = []
    with tempfile.TemporaryDirectory(prefix="musforms-gallery-web-") as tmp:
        for problems, text in zip((False, True), web_pages(), strict=True):
            source = Path(tmp) / f"{web_stem('page', problems)}.html"
            source.write_text(text, encoding="utf-8")
            for size, dimensions in WEB_SIZES.items():
                png = out / f"{web_stem(size, problems)}.png"
                screenshot(source, png, dimensions)
                pictures.append(WebPicture(size, problems, png))
    return pictures


def web_markdown(out: Path, relative_to: Path) -> list[str]:
    """The gallery page's section on the web form."""
    template_id, role = WEB_TEMPLATE
    title = {info.id: info.title for info in list_templates()}.get(template_id, template_id)

    def image(size: str, problems: bool, alt: str) -> str:
        path = out / f"{web_stem(size, problems)}.png"
        return f"![{alt}]({os.path.relpath(path, relative_to).replace(os.sep, '/')})"

    return [
        "## The web form",
        "",
        f"*{title}*: the {role}'s form as a web page (`render_html`), shown by headless Chromium. The pictures",
        f"show the top of the page on a desktop ({WEB_SIZES['desktop'][0]} pixels wide) and on a phone "
        f"({WEB_SIZES['phone'][0]} pixels wide), where a",
        "rating's points stand one under the other. Sent back with problems (a point that is not on the scale, a",
        "date written in words, a field the form does not have), the form comes again with what was typed, a",
        "summary of the problems at the top and each problem at its field.",
        "",
        "Blank, on a desktop and on a phone:",
        "",
        image("desktop", False, f"{template_id}, {role}'s web form on a desktop")
        + " "
        + image("phone", False, f"{template_id}, {role}'s web form on a phone"),
        "",
        "With problems, on a desktop and on a phone:",
        "",
        image("desktop", True, f"{template_id}, {role}'s web form with problems on a desktop")
        + " "
        + image("phone", True, f"{template_id}, {role}'s web form with problems on a phone"),
        "",
    ]


def build(out: Path = OUT, page: Path | None = PAGE) -> list[Picture]:
    """Render, convert and write the gallery images to ``out`` (and the page to ``page`` unless None)."""
    missing = requirements()
    if missing:
        raise MissingToolError("the gallery needs: " + "; ".join(missing))
    out.mkdir(parents=True, exist_ok=True)
    pictures: list[Picture] = []
    with tempfile.TemporaryDirectory(prefix="musforms-gallery-") as tmp:
        work = Path(tmp)
        forms = render_forms(work) + render_after_talk(work)
        pdfs = to_pdf([form.path for form in forms], work)
        for form, pdf in zip(forms, pdfs, strict=True):
            kind = form.template_id.split("-", 1)[0]
            pages = AFTER_PAGES[kind][form.format] if kind in AFTER_PAGES else PAGES[form.format]
            images = to_png(pdf, out / form.stem, pages=pages)
            pictures += [
                Picture(form.template_id, form.role, n, path, form.format) for n, path in enumerate(images, start=1)
            ]
    if page is not None:
        page.write_text(markdown(pictures, page.parent), encoding="utf-8")
    return pictures


def after_talk_markdown(pictures: Sequence[Picture], relative_to: Path) -> list[str]:
    """The gallery page's section on the talk form and the invitation letter."""
    if not pictures:
        return []

    def images(prefix: str, fmt: str, alt: str) -> str:
        return " ".join(
            f"![{alt}, page {p.page}]({os.path.relpath(p.path, relative_to).replace(os.sep, '/')})"
            for p in pictures
            if p.template_id.startswith(prefix) and p.format == fmt
        )

    return [
        "## The talk and the invitation",
        "",
        f"The talk form (`render_talk`) made from the employee's and the manager's filled {TALK_TEMPLATE} forms: both",
        "ratings of every statement side by side with the gap between them, both answers to each question, and room",
        "for notes. Its first two pages as a Word document, then its first page as a workbook:",
        "",
        images("talk-", "docx", "the talk form"),
        "",
        images("talk-", "xlsx", "the talk form's workbook"),
        "",
        f"The invitation letter (`load_invitation('invitation-{LETTER_LANGUAGE}')`) as a Word document:",
        "",
        images("invitation-", "docx", "the invitation letter"),
        "",
    ]


def markdown(pictures: Sequence[Picture], relative_to: Path) -> str:
    """The gallery page: a section per template, each role's Word pages side by side, then the workbooks."""
    lines = [
        "# Gallery of the built-in forms",
        "",
        "Each built-in template in both formats, for the employee and for the manager: the first two pages",
        "of the Word form (.docx) and the first page of the Excel workbook (.xlsx), rendered for a sample",
        "employee (an electrician, Mette Sørensen, and her manager) with a few example answers, and converted",
        "to PDF by LibreOffice. In the Word form every answer goes into a content control (a text box, a tick box, a",
        "date or a pick list) in a table cell; in the workbook into an unlocked cell of a protected sheet,",
        "with a drop-down list where the answer is a choice or a point of a rating scale. A workbook prints",
        "its print area on A4 portrait, fitted to the page width.",
        "",
        "The web form is shown as headless Chromium shows it. The images are made by `scripts/gallery.py` (it",
        "needs LibreOffice Writer and Calc, poppler-utils and Chromium):",
        "",
        "```sh",
        ".venv/bin/python scripts/gallery.py",
        "```",
        "",
    ]
    out = pictures[0].path.parent if pictures else OUT
    lines += web_markdown(out, relative_to)
    titles = {info.id: info.title for info in list_templates()}
    lines += after_talk_markdown([p for p in pictures if p.template_id not in titles], relative_to)
    by_template: dict[str, list[Picture]] = {}
    for picture in pictures:
        if picture.template_id in titles:
            by_template.setdefault(picture.template_id, []).append(picture)
    for template_id, shown in by_template.items():
        lines += [f"## {template_id}", "", f"*{titles.get(template_id, template_id)}*", ""]
        if template_id in ABOUT:
            lines += [ABOUT[template_id], ""]
        for fmt, caption, alt in (("docx", "form", "form"), ("xlsx", "workbook (first page)", "workbook")):
            for role in ROLES:
                images = [p for p in shown if p.role == role and p.format == fmt]
                if not images:
                    continue
                lines += [f"The {role}'s {caption}:", ""]
                lines.append(
                    " ".join(
                        f"![{template_id}, {role}'s {alt}, page {p.page}]"
                        f"({os.path.relpath(p.path, relative_to).replace(os.sep, '/')})"
                        for p in images
                    )
                )
                lines.append("")
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=OUT, help="folder for the PNG files (default docs/gallery)")
    parser.add_argument("--page", type=Path, default=PAGE, help="the Markdown page to write (default docs/gallery.md)")
    parser.add_argument("--no-page", action="store_true", help="write only the images")
    which = parser.add_mutually_exclusive_group()
    which.add_argument("--web-only", action="store_true", help="only the web form's pictures (no LibreOffice)")
    which.add_argument("--no-web", action="store_true", help="without the web form's pictures (no Chromium)")
    args = parser.parse_args(argv)
    missing = [] if args.web_only else requirements()
    if not args.no_web and chromium() is None:
        missing.append(f"Chromium (chromium): {INSTALL_CHROMIUM}")
    if missing:
        print("gallery.py needs:\n  " + "\n  ".join(missing), file=sys.stderr)
        return 2
    written: list[Path] = []
    if not args.no_web:
        written += [picture.path for picture in build_web(args.out)]
    if not args.web_only:
        written += [picture.path for picture in build(args.out, None if args.no_page else args.page)]
    for path in written:
        print(f"wrote {path}")
    if not args.no_page and not args.web_only:
        print(f"wrote {args.page}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
