"""The words a web form adds to the Word form's (buttons, hints, the problem summary), in Danish and English."""

from __future__ import annotations

__all__ = ["web_words"]

_WEB_WORDS: dict[str, dict[str, str]] = {
    "da": {
        "add_row": "Tilføj en aftale",
        "remove_row": "Fjern {row}",
        "row_removed": "{row} er fjernet",
        "rows_full": "Skemaet har ikke plads til flere aftaler.",
        "choose_one": "Vælg én",
        "choose_any": "Vælg gerne flere",
        "max_chars": "Højst {max} tegn",
        "count_chars": "{n} af {max} tegn",
        "submit": "Send skemaet",
        "problems_one": "Der er 1 problem i skemaet",
        "problems_n": "Der er {n} problemer i skemaet",
        "problems_hint": "Ret det, der er markeret, og send skemaet igen. Det, du har skrevet, er bevaret.",
        "you_wrote": "Du skrev: {raw}",
        "filled_by_other": "Udfyldes af {who} i sit eget skema.",
        "the_employee": "medarbejderen",
        "the_manager": "lederen",
        "date_hint": "Skriv datoen som ÅÅÅÅ-MM-DD",
        "required": "skal udfyldes",
        "remove": "Fjern",
    },
    "en": {
        "add_row": "Add an agreement",
        "remove_row": "Remove {row}",
        "row_removed": "{row} removed",
        "rows_full": "The form has no room for more agreements.",
        "choose_one": "Choose one",
        "choose_any": "Choose any that apply",
        "max_chars": "At most {max} characters",
        "count_chars": "{n} of {max} characters",
        "submit": "Send the form",
        "problems_one": "There is 1 problem in the form",
        "problems_n": "There are {n} problems in the form",
        "problems_hint": "Correct what is marked and send the form again. What you wrote has been kept.",
        "you_wrote": "You wrote: {raw}",
        "filled_by_other": "Filled in by {who} in their own form.",
        "the_employee": "the employee",
        "the_manager": "the manager",
        "date_hint": "Write the date as YYYY-MM-DD",
        "required": "required",
        "remove": "Remove",
    },
}


def web_words(language: str) -> dict[str, str]:
    """The web form's own words in ``language`` (Danish for anything unknown)."""
    return _WEB_WORDS.get(language, _WEB_WORDS["da"])
