"""The words a rendered form prints around the template's own text, in Danish and English."""

from __future__ import annotations

from typing import Literal

__all__ = [
    "LANGUAGE_TAGS",
    "PRINTED_FORM_ID_LENGTH",
    "WORDS",
    "agreement_choice_labels",
    "confidential_line",
    "form_identity",
    "form_mark",
    "form_subtitle",
    "language_tag",
    "managers_copy",
    "words",
]

Key = Literal[
    "employee",
    "manager",
    "employee_form",
    "manager_form",
    "meeting",
    "place",
    "duration",
    "minutes",
    "about_minutes",
    "company",
    "job_title",
    "department",
    "write_here",
    "pick",
    "date_pattern",
    "not_relevant",
    "item",
    "name",
    "date",
    "signature",
    "page",
    "of",
    "col_action",
    "col_owner",
    "col_deadline",
    "col_method",
    "col_status",
    "col_comment",
    "owner_employee",
    "owner_manager",
    "status_done",
    "status_in_progress",
    "status_not_started",
    "status_dropped",
    "method_course",
    "method_job_rotation",
    "method_side_by_side",
    "method_mentoring",
    "method_self_study",
    "method_other",
    "confidential",
    "manager_copy",
    "form_identity",
    "tick_one",
    "tick_any",
    "talk_form",
    "plan_form",
    "followup_form",
    "difference",
    "notes",
    "last_agreements",
    "flag_note",
    "no_answer",
    "agreements_so_far",
    "flag_mark",
    "agreement_n",
    "rating_grid",
    "agreements_grid",
    "talk_grid",
    "keywords",
    "talk_feedback",
    "talk_feedback_note",
    "feedback_good",
    "feedback_improve",
]

WORDS: dict[str, dict[str, str]] = {
    "da": {
        "employee": "Medarbejder",
        "manager": "Leder",
        "employee_form": "Medarbejderens forberedelse",
        "manager_form": "Lederens forberedelse",
        "meeting": "Tidspunkt",
        "place": "Sted",
        "duration": "Varighed",
        "minutes": "min.",
        "about_minutes": "ca. {n} min.",
        "company": "Virksomhed",
        "job_title": "Stilling",
        "department": "Afdeling",
        "write_here": "Skriv her …",
        "pick": "Vælg …",
        "date_pattern": "dd-mm-åååå",
        "not_relevant": "Ikke relevant",
        "item": "Udsagn",
        "name": "Navn",
        "date": "Dato",
        "signature": "Underskrift",
        "page": "Side",
        "of": "af",
        "col_action": "Aftale (hvad)",
        "col_owner": "Hvem",
        "col_deadline": "Frist",
        "col_method": "Hvordan",
        "col_status": "Status",
        "col_comment": "Effekt og kommentar",
        "owner_employee": "Medarbejder",
        "owner_manager": "Leder",
        "status_done": "Gennemført",
        "status_in_progress": "I gang",
        "status_not_started": "Ikke startet",
        "status_dropped": "Opgivet",
        "method_course": "Kursus",
        "method_job_rotation": "Jobrotation",
        "method_side_by_side": "Sidemandsoplæring",
        "method_mentoring": "Mentorordning",
        "method_self_study": "Selvstudie",
        "method_other": "Andet",
        "confidential": "Fortroligt – kun til medarbejder, leder og HR",
        "manager_copy": "Lederens forberedelse – fortroligt",
        "form_identity": "Skema-id",
        "tick_one": "Sæt ét kryds",
        "tick_any": "Sæt gerne flere kryds",
        "talk_form": "Samtaleskema",
        "plan_form": "Udviklingsplan – skrives under af begge",
        "followup_form": "Status på aftalerne og næste skridt – skrives under af begge",
        "difference": "Forskel",
        "notes": "Noter og konklusioner",
        "last_agreements": "Aftaler fra sidste MUS",
        "flag_note": "Markeret »drøft«: forskel på 2 point eller mere, eller »ikke relevant« hos kun den ene.",
        "no_answer": "–",
        "agreements_so_far": "Aftaler noteret i forberedelsen",
        "flag_mark": "drøft",
        "agreement_n": "Aftale {n}",
        "rating_grid": "Ét udsagn pr. række; sæt ét kryds i rækken, under det punkt på skalaen der passer.",
        "agreements_grid": "Én aftale pr. række, i kolonnerne: {columns}.",
        "talk_grid": "Ét udsagn pr. række: medarbejderens og lederens vurdering og forskellen.",
        "keywords": "MUS, medarbejderudviklingssamtale",
        "talk_feedback": "Feedback på samtalen",
        "talk_feedback_note": "Medarbejderens feedback ved afslutningen af samtalen – noteres også i udviklingsplanen.",
        "feedback_good": "Hvad har været godt ved samtalen?",
        "feedback_improve": "Hvad bør gøres anderledes til næste MUS?",
    },
    "en": {
        "employee": "Employee",
        "manager": "Manager",
        "employee_form": "Employee's preparation",
        "manager_form": "Manager's preparation",
        "meeting": "Time",
        "place": "Place",
        "duration": "Duration",
        "minutes": "min",
        "about_minutes": "about {n} min",
        "company": "Company",
        "job_title": "Job title",
        "department": "Department",
        "write_here": "Write here …",
        "pick": "Choose …",
        "date_pattern": "dd-mm-yyyy",
        "not_relevant": "Not relevant",
        "item": "Statement",
        "name": "Name",
        "date": "Date",
        "signature": "Signature",
        "page": "Page",
        "of": "of",
        "col_action": "Agreement (what)",
        "col_owner": "Who",
        "col_deadline": "Deadline",
        "col_method": "How",
        "col_status": "Status",
        "col_comment": "Effect and comment",
        "owner_employee": "Employee",
        "owner_manager": "Manager",
        "status_done": "Done",
        "status_in_progress": "In progress",
        "status_not_started": "Not started",
        "status_dropped": "Dropped",
        "method_course": "Course",
        "method_job_rotation": "Job rotation",
        "method_side_by_side": "Side-by-side training",
        "method_mentoring": "Mentoring",
        "method_self_study": "Self-study",
        "method_other": "Other",
        "confidential": "Confidential – for the employee, the manager and HR only",
        "manager_copy": "Manager's preparation – confidential",
        "form_identity": "Form id",
        "tick_one": "Tick one",
        "tick_any": "Tick any that apply",
        "talk_form": "Talk form",
        "plan_form": "Development plan – signed by both",
        "followup_form": "Status of the agreements and next steps – signed by both",
        "difference": "Gap",
        "notes": "Notes and conclusions",
        "last_agreements": "Agreements from the last MUS",
        "flag_note": 'Marked "discuss": a gap of 2 points or more, or "not relevant" on one side only.',
        "no_answer": "–",
        "agreements_so_far": "Agreements noted in the preparation",
        "flag_mark": "discuss",
        "agreement_n": "Agreement {n}",
        "rating_grid": "One statement per row; tick one box in the row, under the point of the scale that fits.",
        "agreements_grid": "One agreement per row, in the columns: {columns}.",
        "talk_grid": "One statement per row: the employee's and the manager's rating and the gap.",
        "keywords": "MUS, employee development talk",
        "talk_feedback": "Feedback on the talk",
        "talk_feedback_note": "The employee's feedback at the end of the talk – also noted in the development plan.",
        "feedback_good": "What has been good about the talk?",
        "feedback_improve": "What should be done differently at the next MUS?",
    },
}


LANGUAGE_TAGS = {"da": "da-DK", "en": "en-GB"}
"""The language tag a document in each language declares (spelling and screen readers follow it)."""


def language_tag(language: str) -> str:
    """The language tag of documents in ``language`` (``da`` → ``da-DK``; Danish for anything unknown)."""
    return LANGUAGE_TAGS.get(language, "da-DK")


def words(language: str) -> dict[str, str]:
    """The words of ``language`` (Danish for anything unknown)."""
    return WORDS.get(language, WORDS["da"])


def form_subtitle(purpose: str, role: str, language: str) -> str:
    """What a form is, printed under its title: whose preparation, or the plan or follow-up."""
    w = words(language)
    if purpose == "plan":
        return w["plan_form"]
    if purpose == "followup":
        return w["followup_form"]
    return w["employee_form" if role == "employee" else "manager_form"]


def managers_copy(purpose: str, role: str) -> bool:
    """Whether a form is the manager's own preparation: a confidential copy, marked so on every page."""
    return purpose == "preparation" and role == "manager"


def form_mark(purpose: str, role: str, language: str) -> str:
    """What a form's header says on the right of every page: which form it is (its subtitle, not the title page 1
    prints in large type), and for the manager's preparation that it is the manager's confidential copy."""
    return words(language)["manager_copy"] if managers_copy(purpose, role) else form_subtitle(purpose, role, language)


PRINTED_FORM_ID_LENGTH = 8
"""How much of a form id a form's footer prints: a short form number (the whole id is in the file's properties,
which the parser reads)."""


def form_identity(form_id: str, language: str) -> str:
    """The form's number as its footer prints it: ``Skema-id a5510702``, the first 8 characters of its id (a
    short number a person can read out; the whole id is in the file's properties)."""
    return f"{words(language)['form_identity']} {form_id[:PRINTED_FORM_ID_LENGTH]}"


def confidential_line(form_id: str, language: str) -> str:
    """What a form's footer prints at the right margin: that it is confidential, and the form's short number."""
    return f"{words(language)['confidential']} · {form_identity(form_id, language)}"


def agreement_choice_labels(column: str, language: str) -> dict[str, str]:
    """For the owner, status and method columns: value → printed label, in ``language``."""
    from musforms._model.values import AGREEMENT_METHODS, AGREEMENT_STATUSES

    w = words(language)
    table: dict[str, tuple[str, ...]] = {
        "owner": ("employee", "manager"),
        "status": AGREEMENT_STATUSES,
        "method": AGREEMENT_METHODS,
    }
    return {value: w[f"{column}_{value}"] for value in table[column]}
