"""The public API is exactly what __all__ lists, and every module says what its job is."""

from __future__ import annotations

import importlib
import pkgutil

import musforms

EXPECTED = {
    "NOT_RELEVANT",
    "AgreementRow",
    "AgreementsField",
    "CheckField",
    "ChoiceField",
    "ChoiceOption",
    "Company",
    "Context",
    "DateField",
    "FormField",
    "InfoField",
    "Meeting",
    "MusformsError",
    "Person",
    "Problem",
    "RatingField",
    "Role",
    "Scale",
    "ScalePoint",
    "Section",
    "Signature",
    "SignatureField",
    "Template",
    "TemplateCompany",
    "TemplateError",
    "TemplateInfo",
    "TemplateNotFoundError",
    "TemplateConflictError",
    "TemplateLookup",
    "TemplateStore",
    "TextField",
    "TextRenderError",
    "__version__",
    "check_template",
    "list_templates",
    "load_template",
    "load_template_text",
    "FilledForm",
    "Answer",
    "AnswerKind",
    "AnswersError",
    "answers_module_source",
    "FormIdentity",
    "Issue",
    "Location",
    "NotAFormError",
    "FingerprintMismatchError",
    "ParseError",
    "UnknownTemplateError",
    "parse",
    "parse_submission",
    "IdentityError",
    "Limits",
    "redact",
    "RenderError",
    "render",
    "render_html",
    "WebForm",
    "Invitation",
    "load_invitation",
    "PackReport",
    "RowOutcome",
    "build_packs",
    "iter_packs",
    "CarryOverError",
    "carried_agreements",
    "Roster",
    "RosterError",
    "RosterProblem",
    "RosterRow",
    "read_roster",
    "Collection",
    "collect",
    "write_summary",
    "Comparison",
    "ComparisonError",
    "OpenAnswers",
    "RatingPair",
    "compare",
    "render_followup",
    "render_plan",
    "render_talk",
    # what the command line needs beyond the above (it is built on the public face only)
    "TemplateId",
    "outline",
    "write_schemas",
    "stale_schemas",
    "extra_schemas",
    # one template text rendered in the sandbox, as forms render theirs
    "render_text",
}


def test_all_is_exactly_the_public_api() -> None:
    assert set(musforms.__all__) == EXPECTED
    assert len(musforms.__all__) == len(set(musforms.__all__))


def test_every_public_name_exists() -> None:
    for name in musforms.__all__:
        assert getattr(musforms, name) is not None, name


def test_no_private_name_is_exported() -> None:
    assert not [n for n in musforms.__all__ if n.startswith("_") and n != "__version__"]


def _modules() -> list[str]:
    return [m.name for m in pkgutil.walk_packages(musforms.__path__, "musforms.") if not m.name.endswith("__main__")]


def test_every_module_has_a_docstring_and_all() -> None:
    for name in _modules():
        module = importlib.import_module(name)
        assert module.__doc__ and module.__doc__.strip(), f"{name} has no docstring"
        assert hasattr(module, "__all__") or name.rsplit(".", 1)[-1].startswith("_"), f"{name} has no __all__"
        for exported in getattr(module, "__all__", []):
            assert hasattr(module, exported), f"{name}.__all__ names missing {exported}"
