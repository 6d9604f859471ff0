"""A person filling a web form in the browser: every control is found by what a person reads, never by its name.

A control is found by the text of its ``<label>`` (the browser's own label association, ``control.labels``),
within the group it sits in: the ``<legend>`` of its fieldset, or the caption of its table. The person types
into text boxes and date boxes, clicks the label of a radio button or a tick box, picks an option of a list
by its text, presses a table's "add a row" button when the next row is not there (scripts on), and presses
the form's send button.

Dates are typed as a person types them into the browser's date box: its day, month and year in the order the
browser's locale shows them. Headless Chromium on Debian shows date boxes in the en-US order (month, day,
year) whatever ``--lang`` says, so the order is read from the browser itself
(``Intl.DateTimeFormat().formatToParts``) and the digits are typed in that order; the box moves on to the
next part by itself after the day's and the month's two digits.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from selenium.common.exceptions import WebDriverException
from selenium.webdriver.remote.webelement import WebElement
from selenium.webdriver.support.ui import WebDriverWait

from musforms import (
    AgreementRow,
    AgreementsField,
    CheckField,
    ChoiceField,
    Context,
    DateField,
    FormField,
    RatingField,
    Role,
    Signature,
    SignatureField,
    Template,
    TextField,
    render_text,
)
from musforms._core.binding import not_relevant_label
from musforms._core.i18n import agreement_choice_labels, words
from musforms._formats.html.words import web_words

COLLECT = """
const norm = s => (s || '').replace(/\\s+/g, ' ').trim();
const heading = c => { const h = c.querySelector('h1, h2, h3, h4, h5, h6'); return norm((h || c).textContent); };
const out = [];
for (const el of document.querySelectorAll('input, textarea, select, button')) {
  if (el.type === 'hidden') continue;
  const groups = [];
  for (let a = el.parentElement; a; a = a.parentElement) {
    if (a.tagName === 'FIELDSET') {
      const legend = a.querySelector(':scope > legend');
      if (legend) groups.unshift(norm(legend.textContent));
    } else if (a.tagName === 'TABLE' && a.caption) {
      groups.unshift(heading(a.caption));
    }
  }
  const labels = el.labels ? [...el.labels] : [];
  out.push({
    element: el,
    label_elements: labels,
    labels: labels.map(l => norm(l.textContent)),
    groups: groups,
    text: el.tagName === 'BUTTON' ? norm(el.textContent) : '',
    kind: el.tagName === 'INPUT' ? el.type : el.tagName.toLowerCase(),
    required: el.required,
    visible: el.getClientRects().length > 0,
  });
}
return out;
"""
"""One round trip: every control of the page with its labels, the groups around it, and whether it shows."""

DATE_ORDER = """
return new Intl.DateTimeFormat().formatToParts(new Date(2026, 11, 24))
  .map(p => p.type).filter(t => t === 'day' || t === 'month' || t === 'year');
"""


@dataclass
class Control:
    """A control of the page as a person perceives it."""

    element: WebElement
    label_elements: list[WebElement]
    labels: list[str]
    groups: list[str]
    text: str
    kind: str
    """``text``, ``date``, ``radio``, ``checkbox`` (an input's type), ``textarea``, ``select`` or ``button``."""
    required: bool
    visible: bool


def reads_as(text: str, label: str) -> bool:
    """Whether a label or legend ``text`` reads as ``label`` (possibly followed by a mark in brackets, such as
    "(required)")."""
    return text == label or (text.startswith(label + " (") and text.endswith(")"))


class Person:
    """Fills one web form in ``driver`` (the page must be loaded), for ``template``'s ``role`` and ``context``."""

    def __init__(self, driver: Any, template: Template, role: Role, context: Context) -> None:
        self.driver = driver
        self.template = template
        self.role = role
        self.context = context
        self.language = template.language
        self.words = words(self.language)
        self.web_words = web_words(self.language)
        self.date_order: list[str] = driver.execute_script(DATE_ORDER)
        self.controls: list[Control] = []
        self.look()

    # -- what the person sees ------------------------------------------------------------------------

    def look(self) -> None:
        """Read the page's controls again (after a row is added)."""
        self.controls = [Control(**item) for item in self.driver.execute_script(COLLECT)]

    def label_of(self, field: FormField) -> str:
        label: str = getattr(field, "label", None) or field.id
        return render_text(label, self.context, self.language, role=self.role) if "{" in label else label

    def find(self, label: str, group: str | None = None, *, visible: bool | None = True) -> Control:
        """The one control labelled ``label`` (within the group read as ``group``)."""
        found = [
            c
            for c in self.controls
            if any(reads_as(text, label) for text in c.labels)
            and (group is None or any(reads_as(g, group) for g in c.groups))
            and (visible is None or c.visible == visible)
        ]
        if len(found) != 1:
            near = sorted({(tuple(c.groups[-1:]), tuple(c.labels)) for c in self.controls if c.labels})[:60]
            raise AssertionError(
                f"{len(found)} controls labelled {label!r} in {group!r} (visible={visible}); the page has {near}"
            )
        return found[0]

    def in_group(self, group: str) -> list[Control]:
        return [c for c in self.controls if any(reads_as(g, group) for g in c.groups)]

    def button(self, text: str) -> list[Control]:
        return [c for c in self.controls if c.text == text]

    # -- what the person does ------------------------------------------------------------------------

    def type(self, control: Control, text: str) -> None:
        control.element.send_keys(text)

    def click_label(self, control: Control) -> None:
        assert control.label_elements, "a control without a label cannot be clicked by its label"
        control.label_elements[0].click()

    def date_keys(self, date: dt.date) -> str:
        parts = {"day": f"{date.day:02d}", "month": f"{date.month:02d}", "year": f"{date.year:04d}"}
        return "".join(parts[p] for p in self.date_order)

    def type_date(self, control: Control, date: dt.date) -> None:
        if control.kind == "date":
            control.element.send_keys(self.date_keys(date))
            assert control.element.get_attribute("value") == date.isoformat(), (
                f"the date box shows {control.element.get_attribute('value')!r} after typing "
                f"{self.date_keys(date)!r} (order {self.date_order})"
            )
        else:  # a browser without date boxes: the text as ISO
            control.element.send_keys(date.isoformat())

    def pick(self, control: Control, option: str) -> None:
        """Pick ``option`` of a closed list by typing its text, as a person does with the keyboard."""
        control.element.send_keys(option)

    # -- fields --------------------------------------------------------------------------------------

    def fill(self, answers: dict[str, Any]) -> None:
        """Give every answer of ``answers`` (by field id) to its field, in the form's order."""
        for field in self.template.answer_fields(self.role):
            if field.id in answers:
                self.answer(field, answers[field.id])

    def answer(self, field: FormField, answer: Any) -> None:
        label = self.label_of(field)
        if isinstance(field, TextField):
            self.type(self.find(label), answer)
        elif isinstance(field, DateField):
            self.type_date(self.find(label), answer)
        elif isinstance(field, CheckField):
            control = self.find(label)
            if control.element.is_selected() != bool(answer):
                self.click_label(control)
        elif isinstance(field, RatingField):
            scale = self.template.scale_of(field)
            if answer == "not_relevant":
                option = not_relevant_label(self.template, scale)
            else:
                point = next(p for p in scale.points if p.value == answer)
                option = f"{point.value} {point.label}"
            self.click_label(self.find(option, label))
        elif isinstance(field, ChoiceField):
            chosen = answer if isinstance(answer, list) else [answer]
            for option in field.options:
                if option.id in chosen:
                    self.click_label(self.find(option.label, label))
        elif isinstance(field, AgreementsField):
            for number, row in enumerate(answer, start=1):
                self.agreement(field, label, number, row)
        elif isinstance(field, SignatureField):
            assert isinstance(answer, Signature)
            if answer.name is not None:
                self.type(self.find(self.words["name"], label), answer.name)
            if answer.date is not None:
                self.type_date(self.find(self.words["date"], label), answer.date)
        else:  # pragma: no cover
            raise TypeError(field.kind)

    def cell(self, field: AgreementsField, table: str, number: int, column: str) -> Control:
        cell_label = f"{self.words['agreement_n'].format(n=number)}, {self.words[f'col_{column}']}"
        return self.find(cell_label, table, visible=None)

    def agreement(self, field: AgreementsField, table: str, number: int, row: AgreementRow) -> None:
        """Type one agreement into row ``number``; with scripts on, a hidden row is first added with the
        table's button."""
        if not self.cell(field, table, number, "action").visible:
            self.add_row(table)
            assert self.cell(field, table, number, "action").visible, f"row {number} of {table!r} is not shown"
        for column in field.columns:
            value = getattr(row, column)
            if value is None or value == "":
                continue
            control = self.cell(field, table, number, column)
            if column in ("owner", "status", "method"):
                self.pick(control, agreement_choice_labels(column, self.language)[value])
            elif column == "deadline":
                self.type_date(control, value)
            else:
                self.type(control, value)

    def add_row(self, table: str) -> None:
        """Press the "add a row" button that follows ``table``."""
        first = self.in_group(table)[0].element
        button: WebElement = self.driver.execute_script(
            "const table = arguments[0].closest('table');"
            "return [...document.querySelectorAll('button')].find(b => b.textContent.trim() === arguments[1]"
            " && (table.compareDocumentPosition(b) & Node.DOCUMENT_POSITION_FOLLOWING));",
            first,
            self.web_words["add_row"],
        )
        assert button is not None and button.is_displayed(), f"no shown {self.web_words['add_row']!r} after {table!r}"
        button.click()
        self.look()

    def submit(self) -> None:
        """Press the form's send button and wait for the next page."""
        buttons = self.button(self.web_words["submit"])
        assert len(buttons) == 1, f"{len(buttons)} buttons {self.web_words['submit']!r}"
        self.driver.execute_script("window.__musformsOldPage = true;")
        buttons[0].element.click()
        WebDriverWait(self.driver, 30, ignored_exceptions=(WebDriverException,)).until(
            lambda d: d.execute_script("return !window.__musformsOldPage && document.readyState === 'complete';")
        )
