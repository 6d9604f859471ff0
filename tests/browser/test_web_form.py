"""A person fills the web forms in a real Chromium, and the example application reads back exactly what was typed.

The example application (docs/examples/web_form) runs on 127.0.0.1 and serves each form signed, under its
Content-Security-Policy: every page loads with its script run (or not, as the browser is set) and nothing in
the console (a style or script the policy refused would be there). For every built-in template, the company
template of the example, and both roles, with scripts on and off, a person finds each control by its label
(and the legend or caption of its group) and types Danish text, ``& < > " '``, emoji, line breaks and one
2,000-character answer, picks ratings, options and agreement columns, ticks boxes, types dates, and adds
agreement rows with the table's button (scripts off: all rows are there); the application's
``parse_submission`` gives exactly those answers, with no issue and a verified signature. Removing an
agreement row moves the rows below up with what was typed. A form sent with a date written in words comes
back (422) with every typed value kept and the problem shown, and goes through once it is put right; so does
an agreement row without its "what", with what was typed in its other cells. The whole form can be filled
with the keyboard alone. axe-core (3.1, shipped by axe-selenium-python, and 4.4) finds no serious
or critical violation on any form, blank or showing problems.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import axe_core_python  # type: ignore[import-untyped]
import pytest
from axe_selenium_python import Axe
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.remote.webelement import WebElement
from selenium.webdriver.support.ui import WebDriverWait

import musforms
from musforms import Role, Template
from musforms._core.i18n import agreement_choice_labels

from .chromium import console_errors, form_script_ran
from .conftest import WebApp
from .person import Control, Person, reads_as
from .typed import LONG, answers_for

ROLES: tuple[Role, ...] = ("employee", "manager")
BUILTIN = [info.id for info in musforms.list_templates()]
COMPANY = "acme-plan"
TEMPLATES = [*BUILTIN, COMPANY]
EMPLOYEE = "E-0001"


def template_of(web_app: WebApp, template_id: str) -> Template:
    return web_app.company_template if template_id == COMPANY else musforms.load_template(template_id)


def context_of(employee_id: str = EMPLOYEE) -> musforms.Context:
    from web_form.app import EMPLOYEES

    return EMPLOYEES[employee_id]


def open_form(driver: Any, web_app: WebApp, template_id: str, role: Role) -> Person:
    console_errors(driver)  # what an earlier test left in the console
    driver.get(f"{web_app.url}/forms/{template_id}/{role}/{EMPLOYEE}")
    assert form_script_ran(driver) == driver.javascript, "the form's script does not run as the browser is set"
    assert not console_errors(driver), "the page does not run cleanly under its Content-Security-Policy"
    return Person(driver, template_of(web_app, template_id), role, context_of())


def received(driver: Any, web_app: WebApp) -> musforms.FilledForm:
    """The form the application stored, by the id its receipt page shows."""
    assert "/receipts/" in driver.current_url, f"not a receipt: {driver.current_url}\n{page_text(driver)}"
    form_id = driver.find_element(By.ID, "form-id").text
    return web_app.received[form_id]


def page_text(driver: Any) -> str:
    text: str = driver.find_element(By.TAG_NAME, "body").text
    return text[:3000]


def shown_again(web_app: WebApp) -> str:
    """What the console says of a form the application shows again with its problems (status 422): the
    console's only error on such a page."""
    status = "the server responded with a status of 422 (Unprocessable Entity)"
    return f"{web_app.url}/submit - Failed to load resource: {status}"


def assert_same_answers(got: dict[str, Any], expected: dict[str, Any]) -> None:
    """Field by field, so that a difference names its field."""
    assert got.keys() == expected.keys()
    different = {key: (got[key], expected[key]) for key in expected if got[key] != expected[key]}
    assert not different, different


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("template_id", TEMPLATES)
def test_what_a_person_types_comes_back_exactly(browser: Any, web_app: WebApp, template_id: str, role: Role) -> None:
    person = open_form(browser, web_app, template_id, role)
    expected = answers_for(person.template, role, person.context)
    assert any(isinstance(a, str) and len(a) == LONG for a in expected.values())
    tables = [f for f in person.template.answer_fields(role) if isinstance(f, musforms.AgreementsField)]
    for table in tables:  # scripts on: one row and a button for more; off: every row, no button
        shown = [person.cell(table, person.label_of(table), n, "action").visible for n in range(1, table.rows + 1)]
        assert shown == ([True] + [False] * (table.rows - 1) if browser.javascript else [True] * table.rows)
    add_buttons = [button.visible for button in person.button(person.web_words["add_row"])]
    assert add_buttons == [browser.javascript] * len(tables)

    person.fill(expected)
    person.submit()

    filled = received(browser, web_app)
    assert (filled.template_id, filled.role, filled.format) == (template_id, role, "html")
    assert (filled.signed, filled.subject_id, filled.issues) == ("verified", EMPLOYEE, ())
    assert_same_answers(filled.answers, expected)


def without_date_boxes(driver: Any, control: Control) -> None:
    """Make a date box a text box, as a browser without date boxes shows it (only WebDriver's script runs)."""
    driver.execute_script("arguments[0].type = 'text';", control.element)


@pytest.mark.parametrize("role", ROLES)
def test_a_form_with_problems_comes_back_with_what_was_typed(browser: Any, web_app: WebApp, role: Role) -> None:
    """A date written in words (a browser without date boxes sends what was typed) comes back as a problem: the
    form again, the problem in the summary at the top and at its field, the words in the field, and every other
    answer still in its control; the date put right, the form goes through with exactly the answers typed."""
    person = open_form(browser, web_app, COMPANY, role)
    expected = answers_for(person.template, role, person.context)
    followup = person.find("Opfølgningssamtale")
    without_date_boxes(browser, followup)
    person.fill({key: value for key, value in expected.items() if key != "followup_date"})
    person.type(followup, "først i september")
    person.submit()

    assert browser.current_url.endswith("/submit"), "the form was not shown again"
    assert form_script_ran(browser) == browser.javascript
    assert console_errors(browser) == [shown_again(web_app)], "not shown again with 422, or not clean under its policy"
    summary = browser.find_element(By.CSS_SELECTOR, "[role=alert]")
    assert "Opfølgningssamtale" in summary.text, summary.text
    again = Person(browser, person.template, role, person.context)
    date = again.find("Opfølgningssamtale")
    assert date.element.get_attribute("value") == "først i september"
    assert date.element.get_attribute("aria-invalid") == "true"
    date.element.clear()
    again.type(date, expected["followup_date"].isoformat())
    again.submit()

    filled = received(browser, web_app)
    assert filled.issues == ()
    assert_same_answers(filled.answers, expected)


def test_removing_an_agreement_row_moves_the_rows_below_up(scripted_browser: Any, web_app: WebApp) -> None:
    """With scripts on, three agreements typed and the second removed with its button: the third moves up into
    its place with everything typed in it, and the form sends the first and the third."""
    person = open_form(scripted_browser, web_app, COMPANY, "employee")
    field = person.template.field("agreements")
    assert isinstance(field, musforms.AgreementsField)
    table = person.label_of(field)
    rows = [
        musforms.AgreementRow(action=f"Aftale nr. {n} – æøå & <i>", owner=owner, deadline=dt.date(2027, n, 1))
        for n, owner in ((1, "employee"), (2, "manager"), (3, "employee"))
    ]
    person.fill({"plan_title": "Fjern en række", "agreements": rows})
    remove = person.button(person.web_words["remove_row"].format(row=person.words["agreement_n"].format(n=2)))
    assert len(remove) == 1
    remove[0].element.click()
    person.look()

    assert not person.cell(field, table, 3, "action").visible, "the last row is hidden again"
    assert person.cell(field, table, 2, "action").element.get_attribute("value") == rows[2].action
    person.submit()

    filled = received(scripted_browser, web_app)
    assert filled.answers["agreements"] == [rows[0], rows[2]]


def test_an_agreement_row_with_a_problem_comes_back_as_typed(scripted_browser: Any, web_app: WebApp) -> None:
    """Row 2 of the agreements gets who, when and how but not what: the form comes back with the problem, the
    person writes what, and the form goes through with both rows as typed."""
    person = open_form(scripted_browser, web_app, COMPANY, "manager")
    expected = answers_for(person.template, "manager", person.context)
    table = person.label_of(person.template.field("agreements"))
    second = expected["agreements"][1]
    person.fill({**expected, "agreements": [expected["agreements"][0], second.model_copy(update={"action": ""})]})
    person.submit()

    assert scripted_browser.current_url.endswith("/submit"), "the form was not shown again"
    again = Person(scripted_browser, person.template, "manager", person.context)
    field = person.template.field("agreements")
    assert isinstance(field, musforms.AgreementsField)
    again.type(again.cell(field, table, 2, "action"), second.action)
    again.submit()

    assert_same_answers(received(scripted_browser, web_app).answers, expected)


def press(driver: Any, *keys: str) -> None:
    """Keys pressed on the keyboard, into whatever has the focus."""
    ActionChains(driver).send_keys(*keys).perform()


def test_the_whole_form_can_be_filled_with_the_keyboard_alone(browser: Any, web_app: WebApp) -> None:
    """From the top of the page, Tab to each control and answer it with typing, Space and the arrow keys
    only; Enter on the send button. No click, and nothing typed into an element WebDriver picked: the keys go
    to whatever the browser has focused."""
    person = open_form(browser, web_app, COMPANY, "employee")
    row = musforms.AgreementRow(action="KNX-kursus", owner="manager", deadline=dt.date(2027, 5, 31), method="course")
    expected: dict[str, Any] = {
        "plan_title": "Min plan – æøå & <b>",
        "conclusions_summary": "Første linje\nanden linje 🙂",
        "workplace": "workshop",
        "plan_fits": 3,
        "agreements": [row],
        "followup_date": dt.date(2027, 9, 1),
        "read_policy": True,
        "sign_employee": musforms.Signature(name="Mette Sørensen", date=dt.date(2027, 3, 16)),
    }
    cell = {
        f"{person.words['agreement_n'].format(n=1)}, {person.words[f'col_{column}']}": column
        for column in ("action", "owner", "deadline", "method")
    }
    picked = {column: agreement_choice_labels(column, "da")[getattr(row, column)] for column in ("owner", "method")}
    typed = {
        "Planens overskrift": expected["plan_title"],
        "De vigtigste konklusioner fra samtalen": expected["conclusions_summary"],
        "Opfølgningssamtale": person.date_keys(expected["followup_date"]),
    }
    by_element = {c.element.id: c for c in person.controls}
    visited: list[str] = []
    for _ in range(300):
        press(browser, Keys.TAB)
        control = by_element.get(browser.switch_to.active_element.id)
        if control is None:  # a link or the problem summary: not a control of the form
            continue
        label = control.labels[0] if control.labels else control.text
        group = control.groups[-1] if control.groups else ""
        kind = control.kind
        if label == person.web_words["submit"]:
            break
        visited.append(label)
        text = next((text for shown, text in typed.items() if reads_as(label, shown)), None)
        if text is not None:
            press(browser, text)
        elif group == "Hvor arbejder du mest?" and kind == "radio":
            # Tab stops once in a radio group, on its first button: Space picks it, an arrow the next one
            press(browser, Keys.SPACE, Keys.ARROW_DOWN)
        elif group.startswith("Planen passer") and kind == "radio":
            press(browser, Keys.SPACE, Keys.ARROW_RIGHT, Keys.ARROW_RIGHT)
        elif label in cell:
            column = cell[label]
            if column == "action":
                press(browser, row.action)
            elif column == "deadline":
                press(browser, person.date_keys(row.deadline))
            else:  # a closed list picks the option whose text starts with what is typed
                press(browser, picked[column][:4])
        elif label.startswith("Jeg har læst Acmes politik"):
            press(browser, Keys.SPACE)
        elif group == "Medarbejder" and label == person.words["name"]:
            press(browser, expected["sign_employee"].name)
        elif group == "Medarbejder" and label == person.words["date"]:
            press(browser, person.date_keys(expected["sign_employee"].date))
    else:
        pytest.fail(f"Tab never reached the send button; it reached {visited}")
    press(browser, Keys.ENTER)
    WebDriverWait(browser, 30).until(lambda d: "/receipts/" in d.current_url)

    filled = received(browser, web_app)
    assert_same_answers({key: value for key, value in filled.answers.items() if value is not None}, expected)
    assert "Jeg har læst Acmes politik for efteruddannelse" in visited


# -- accessibility -----------------------------------------------------------------------------------------


AXE_CORES = {
    "axe-core 3.1": None,  # the one axe-selenium-python ships
    "axe-core 4.4": str(Path(axe_core_python.__file__).with_name("axe.min.js")),  # axe-core-python's
}
"""The axe-cores the pages are checked with: the one axe-selenium-python ships is from 2018, so axe-core 4
(with the rules of WCAG 2.1 and the ARIA of today) checks them too, run the same way."""


def serious(driver: Any) -> list[str]:
    """The serious and critical violations axe-core finds on the page, each with the elements it names."""
    found = []
    for version, script in AXE_CORES.items():
        axe = Axe(driver) if script is None else Axe(driver, script_url=script)
        axe.inject()
        results = axe.run()
        found += [
            f"{version}: {v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']][:5]}"
            for v in results["violations"]
            if v["impact"] in ("serious", "critical")
        ]
    return found


def send_with_problems(driver: Any, person: Person) -> None:
    """Send the form with problems a browser can send: a date typed as free text (a browser without date
    boxes), a point that is not on the scale and a field the form does not have (a page changed in the
    browser). Only WebDriver's own script changes the page. A required text is written, so that the browser
    sends the form."""
    for control in person.controls:
        if control.required and control.kind in ("text", "textarea"):
            control.element.send_keys("Overskrift")
    date = next(c for c in person.controls if c.kind == "date" and c.visible)
    without_date_boxes(driver, date)
    date.element.send_keys("sidst i maj")
    radios = [c for c in person.controls if c.kind == "radio"]
    if radios:
        driver.execute_script("arguments[0].value = 'p99'; arguments[0].checked = true;", radios[0].element)
    driver.execute_script(
        "const i = document.createElement('input'); i.type = 'hidden'; i.name = 'mf_no_such_field';"
        "i.value = 'tekst uden for skemaet'; document.forms[0].append(i);"
    )
    person.submit()


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("template_id", TEMPLATES)
def test_axe_finds_no_serious_violation(scripted_browser: Any, web_app: WebApp, template_id: str, role: Role) -> None:
    person = open_form(scripted_browser, web_app, template_id, role)
    blank = serious(scripted_browser)
    unlabelled: list[Control] = [c for c in person.controls if not c.labels and not c.text]
    assert not unlabelled, [c.element.get_attribute("outerHTML")[:200] for c in unlabelled]

    send_with_problems(scripted_browser, person)
    assert form_script_ran(scripted_browser)
    assert console_errors(scripted_browser) == [shown_again(web_app)]
    summary = scripted_browser.find_element(By.CSS_SELECTOR, "[role=alert]")
    assert summary.is_displayed()
    assert scripted_browser.switch_to.active_element == summary, "the summary of the problems has the focus"
    invalid: list[WebElement] = scripted_browser.find_elements(By.CSS_SELECTOR, "[aria-invalid=true]")
    assert invalid, "no control is marked invalid"
    with_problems = serious(scripted_browser)

    assert not blank, blank
    assert not with_problems, with_problems
