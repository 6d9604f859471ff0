"""The built-in templates carry the content of the MUS guide.

Checked here: the five parts of the talk in order with their time boxes, the manager's private preparation,
every content item of guide sections 2 and 3.1-3.5 (through the table ``COVERAGE``), every phase of the process,
the guide's points to keep in mind during the talk (3.6) and the responsibilities of manager and employee in the
rendered files of each role (through the table ``CARRIED``), that what is one role's never reaches the other
role's file, the differences between the scored and the soft style, and that the Danish and English versions of
a style have the same structure.
"""

from __future__ import annotations

import datetime as dt
import functools
import html
import io
import re
import zipfile
from dataclasses import dataclass
from typing import Any, Literal

import openpyxl
import pytest
from lxml import etree

import musforms
from musforms import (
    AgreementsField,
    ChoiceField,
    Context,
    FormField,
    InfoField,
    Meeting,
    Person,
    RatingField,
    Section,
    SignatureField,
    Template,
    TextField,
)
from musforms._loading.builtins import builtin_ids
from musforms._model.values import AGREEMENT_METHODS
from musforms._text.form_facts import form_facts
from musforms._text.sandbox import render_text

SCORED = ("mus-scored-da", "mus-scored-en")
SOFT = ("mus-soft-da", "mus-soft-en")
TEMPLATE_IDS = (*SCORED, *SOFT)

PREP = "manager_prep"
CONCLUSIONS = "conclusions"
PARTS: tuple[tuple[str, int], ...] = (
    ("intro", 5),  # 3.1 small talk and introduction
    ("past", 10),  # 3.2
    ("present_future", 30),  # 3.3
    ("collaboration_wellbeing", 10),  # 3.4
    ("closing", 5),  # 3.5
)
SECTION_IDS = (PREP, *(part for part, _ in PARTS), CONCLUSIONS)
DEVELOPMENT_METHODS = {"self_study", "job_rotation", "side_by_side", "mentoring", "course"}
QUESTION_KINDS = (TextField, RatingField, ChoiceField, AgreementsField)


def load(template_id: str) -> Template:
    return musforms.load_template(template_id)


def language_of(template_id: str) -> Literal["da", "en"]:
    return "da" if template_id.endswith("-da") else "en"


# -- the guide's content, item by item ---------------------------------------------------------------------

GUIDE_CONTENT: tuple[tuple[str, str, str], ...] = (
    # (guide section, key, the item in our own words)
    ("2", "prep_info_to_give", "what the manager wants to tell: the company's situation and plans"),
    ("2", "prep_info_to_get", "what the manager wants to learn from the employee"),
    ("2", "prep_what_to_say", "what the manager will say, and in which way"),
    ("2", "prep_questions_to_ask", "the questions the manager will ask, and in which way"),
    ("2", "prep_examples_develop", "situations to use as examples of behaviour to develop"),
    ("2", "prep_examples_unlearn", "situations to use as examples of behaviour to unlearn"),
    ("2", "prep_goals_in_a_year", "what the employee should be able to do a year from now"),
    ("3.1", "intro_purpose", "the purpose of the talk"),
    ("3.1", "intro_openness", "openness and honesty, also about working with the manager"),
    ("3.1", "intro_respect", "mutual respect and a constructive tone"),
    ("3.1", "intro_confidentiality", "confidentiality: nothing reaches people it does not concern"),
    ("3.1", "intro_outcome", "what the talk is expected to give both parties"),
    ("3.1", "intro_course_timing", "how the talk runs and how its hour is divided"),
    ("3.1", "intro_afterwards", "what happens once the talk is over"),
    ("3.2", "past_agreements_status", "status on last MUS's agreements: done, effect, why not, what now, who"),
    ("3.2", "past_strengths", "strengths, shown by tasks solved really well"),
    ("3.2", "past_development_areas", "development areas, shown by what could have gone better"),
    ("3.2", "past_manager_help", "how the manager can help and support"),
    ("3.3", "future_goals", "goals for effort and results until the next MUS"),
    ("3.3", "future_job_changes", "changes in the job or the areas of work"),
    ("3.3", "future_manager_support", "how the manager supports reaching the goals"),
    ("3.3", "future_competences", "professional and personal competences measured against the job"),
    ("3.3", "future_hidden_competences", "resources or competences the job does not use yet"),
    ("3.3", "future_development_needs", "needs for competence development"),
    ("3.3", "future_development_methods", "how to develop: self-study, rotation, side-by-side, mentor, course"),
    ("3.3", "future_ideas", "ideas for developing the company, the job and the employee"),
    ("3.4", "wellbeing_motivation_factors", "what motivation and well-being in the job depend on"),
    ("3.4", "wellbeing_relationships_status", "how the working relationships stand, with manager and colleagues"),
    ("3.4", "wellbeing_relationships_improve", "how the working relationships could get better"),
    ("3.4", "wellbeing_raise_motivation", "what it would take to raise motivation and well-being"),
    ("3.4", "wellbeing_environment", "the physical and the psychological working environment"),
    ("3.4", "wellbeing_personal_matters", "personal matters that affected the work, if the employee wishes"),
    ("3.5", "closing_thanks", "the manager thanks the employee for the talk"),
    ("3.5", "closing_summary", "the manager sums up conclusions and agreements and checks them"),
    ("3.5", "closing_feedback_good", "the employee's feedback: what was good about the talk"),
    ("3.5", "closing_feedback_improve", "the employee's feedback: what to do differently next time"),
    ("3.5", "process_write_up", "the manager writes up conclusions and who acts on what"),
    ("3.5", "process_review", "the employee reviews the conclusions and may comment"),
    ("3.5", "process_sign", "both sign once they agree"),
    ("3.5", "process_follow_up", "follow-up on the agreements after 6 months"),
    ("3.5", "process_next_mus", "the next MUS in 12 months"),
)

How = Literal["prep", "ask", "own", "tell", "after"]
"""prep: a manager-only question; ask: a question of the talk; own: a question in the employee's form only;
tell: text the manager says (info/guidance); after: asked at the end of the talk, so not in the preparation
(the talk form and the plan carry it, see ``CARRIED``)."""


@dataclass(frozen=True)
class Cover:
    """Where an item of the guide is covered: a field id, or ``section:<id>`` for a section's guidance and
    info texts, and words that must appear there in each language."""

    how: How
    target: str
    da: tuple[str, ...]
    en: tuple[str, ...]
    scored: tuple[str, tuple[str, ...], tuple[str, ...]] | None = None
    """Where the scored style carries the item instead (its ratings): fields (comma-separated), Danish and
    English words."""


COVERAGE: dict[str, Cover] = {
    # 2. The manager's own preparation
    "prep_info_to_give": Cover(
        "prep",
        "prep_info_to_give",
        ("informationer", "give", "situation", "fremtidsplaner"),
        ("information", "give", "situation", "plans"),
    ),
    "prep_info_to_get": Cover(
        "prep",
        "prep_info_to_get",
        ("informationer", "have fra"),
        ("information", "get from"),
    ),
    "prep_what_to_say": Cover("prep", "prep_what_to_say", ("sige", "hvordan"), ("say", "how")),
    "prep_questions_to_ask": Cover(
        "prep",
        "prep_questions",
        ("spørgsmål", "stille", "hvordan"),
        ("questions", "ask", "how"),
    ),
    "prep_examples_develop": Cover(
        "prep",
        "prep_examples_develop",
        ("situationer", "eksempler", "adfærd", "udvikle"),
        ("situations", "examples", "behaviour", "develop"),
    ),
    "prep_examples_unlearn": Cover(
        "prep",
        "prep_examples_unlearn",
        ("uhensigtsmæssig adfærd", "aflære"),
        ("unhelpful behaviour", "unlearn"),
    ),
    "prep_goals_in_a_year": Cover(
        "prep",
        "prep_goals_one_year",
        ("om et år", "mål"),
        ("in a year", "goals"),
    ),
    # 3.1 Small talk and introduction: the frame the manager sets
    "intro_purpose": Cover("tell", "intro_frame", ("formål", "gøre status"), ("purpose", "take stock")),
    "intro_openness": Cover(
        "tell",
        "intro_frame",
        ("åbenhed og ærlighed", "samarbejdet"),
        ("openness and honesty", "working relationship"),
    ),
    "intro_respect": Cover(
        "tell",
        "intro_frame",
        ("gensidig respekt", "konstruktiv tone"),
        ("mutual respect", "constructive tone"),
    ),
    "intro_confidentiality": Cover(
        "tell",
        "intro_frame",
        ("fortrolighed", "uvedkommende", "HR"),
        ("confidentiality", "no one outside", "HR"),
    ),
    "intro_outcome": Cover(
        "tell",
        "intro_frame",
        ("forventet udbytte", "virksomheden"),
        ("expected outcome", "company"),
    ),
    "intro_course_timing": Cover(
        "tell",
        "intro_frame",
        ("forløb og tid", "1 time", "5 min", "30 min"),
        ("structure and timing", "1 hour", "5 min", "30 min"),
    ),
    "intro_afterwards": Cover(
        "tell",
        "intro_frame",
        ("den videre proces", "følges op"),
        ("what happens afterwards", "follow-up"),
    ),
    # 3.2 Past
    "past_agreements_status": Cover(
        "ask",
        "previous_agreements_status",
        ("sidste MUS", "gennemført", "effekt", "hvorfor ikke", "hvad skal der gøres", "hvem gør hvad"),
        ("last MUS", "done", "effect", "why not", "what needs to be done", "who does what"),
    ),
    "past_strengths": Cover(
        "ask",
        "strengths",
        ("styrker", "eksempler", "løst rigtig godt"),
        ("strengths", "examples", "done really well"),
    ),
    "past_development_areas": Cover(
        "ask",
        "development_areas",
        ("udviklingsområder", "eksempler", "bedre resultater"),
        ("areas for development", "examples", "better results"),
    ),
    "past_manager_help": Cover(
        "ask",
        "manager_help",
        ("lederen", "hjælpe", "støtte"),
        ("manager", "help", "support"),
    ),
    # 3.3 Present and future
    "future_goals": Cover(
        "ask",
        "goals",
        ("mål", "indsats", "resultater", "næste MUS"),
        ("goals", "effort", "results", "next MUS"),
    ),
    "future_job_changes": Cover(
        "ask",
        "job_changes",
        ("ændringer", "jobbet", "arbejdsområder"),
        ("changes", "job", "areas of work"),
    ),
    "future_manager_support": Cover(
        "ask",
        "manager_support",
        ("lederen", "støtte", "målene"),
        ("manager", "support", "goals"),
    ),
    "future_competences": Cover(
        "ask",
        "competences",
        ("faglige", "personlige", "kompetencer", "jobbets krav"),
        ("professional", "personal", "competences", "demands of the job"),
    ),
    "future_hidden_competences": Cover(
        "ask",
        "hidden_competences",
        ("ressourcer", "kompetencer", "ikke bliver brugt", "skjulte"),
        ("resources", "competences", "not used", "hidden"),
    ),
    "future_development_needs": Cover(
        "ask",
        "development_needs",
        ("behov", "kompetenceudvikling"),
        ("needs", "competence development"),
    ),
    "future_development_methods": Cover(
        "ask",
        "development_methods",
        ("selvstudie", "jobrotation", "sidemandsoplæring", "mentorordning", "kursus"),
        ("self-study", "job rotation", "side-by-side", "mentoring", "course"),
    ),
    "future_ideas": Cover(
        "ask",
        "ideas",
        ("idéer", "virksomheden", "jobbet", "medarbejderen"),
        ("ideas", "company", "job", "employee"),
    ),
    # 3.4 Collaboration and well-being
    "wellbeing_motivation_factors": Cover(
        "ask",
        "motivation_factors",
        ("vigtigt", "motivation", "trivsel"),
        ("matters", "motivation", "well-being"),
    ),
    "wellbeing_relationships_status": Cover(
        "ask",
        "working_relationships",
        ("samarbejdet", "lederen", "kollegerne"),
        ("working relationship", "manager", "colleagues"),
        scored=(
            "rate_cooperation_manager,rate_cooperation_colleagues",
            ("samarbejdet", "leder", "kollegerne"),
            ("working relationship", "manager", "colleagues"),
        ),
    ),
    "wellbeing_relationships_improve": Cover(
        "ask",
        "improve_relationships",
        ("samarbejdet", "bedre"),
        ("working relationships", "improve"),
    ),
    "wellbeing_raise_motivation": Cover(
        "ask",
        "raise_motivation",
        ("hvad skal der til", "motivationen", "trivslen"),
        ("what would it take", "raise motivation", "well-being"),
    ),
    "wellbeing_environment": Cover(
        "ask",
        "working_environment",
        ("fysiske", "psykiske", "arbejdsmiljø"),
        ("physical", "psychological", "working environment"),
        scored=(
            "rate_physical_environment,rate_psychological_environment",
            ("fysiske", "psykiske", "arbejdsmiljø"),
            ("physical", "psychological", "working environment"),
        ),
    ),
    "wellbeing_personal_matters": Cover(
        "own",
        "personal_matters",
        ("personlige forhold", "betydning", "frivilligt", "behøver ikke at skrive noget"),
        ("personal matters", "affected", "optional", "do not have to write anything"),
    ),
    # 3.5 Closing
    "closing_thanks": Cover("tell", "closing_frame", ("tak for samtalen",), ("thanks the employee for the talk",)),
    "closing_summary": Cover(
        "tell",
        "closing_frame",
        ("opsummerer", "konklusioner og aftaler", "afstemmer"),
        ("sums up", "conclusions and agreements", "checks them"),
    ),
    "closing_feedback_good": Cover(
        "after", "closing_frame", ("feedback på samtalen", "godt"), ("feedback on the talk", "good")
    ),
    "closing_feedback_improve": Cover(
        "after",
        "closing_frame",
        ("anderledes", "næste MUS"),
        ("differently", "next MUS"),
    ),
    "process_write_up": Cover(
        "tell",
        "process_info",
        ("renskriver", "konklusioner og aftaler", "handlinger"),
        ("writes up", "conclusions and agreements", "actions"),
    ),
    "process_review": Cover("tell", "process_info", ("gennemsyn", "kommentere"), ("review", "comment")),
    "process_sign": Cover("tell", "process_info", ("underskriver", "begge"), ("sign", "both")),
    "process_follow_up": Cover(
        "tell",
        "process_info",
        ("følges op", "6 måneder"),
        ("follow-up", "6 months"),
    ),
    "process_next_mus": Cover("tell", "process_info", ("næste MUS", "12 måneder"), ("next MUS", "12 months")),
}


def _fold(text: str) -> str:
    return " ".join(text.split()).casefold()


def field_texts(field: FormField) -> list[str]:
    """The words a field shows: label, help, info text and choice options."""
    texts = [getattr(field, key, None) for key in ("label", "help", "text")]
    if isinstance(field, ChoiceField):
        texts.extend(option.label for option in field.options)
    return [text for text in texts if text]


def section_texts(section: Section) -> list[str]:
    """The words a section shows around its questions: title, guidance and info fields."""
    texts = [section.title, section.guidance or ""]
    for field in section.fields:
        if isinstance(field, InfoField):
            texts.extend(field_texts(field))
    return [text for text in texts if text]


# -- the templates exist, load by id and by file ------------------------------------------------------------


def test_the_four_templates_are_built_in() -> None:
    assert set(TEMPLATE_IDS) <= set(builtin_ids())
    listed = {info.id: info for info in musforms.list_templates()}
    for template_id in TEMPLATE_IDS:
        info = listed[template_id]
        assert info.language == language_of(template_id)
        assert info.style == ("scored" if template_id in SCORED else "soft")


@pytest.mark.parametrize("template_id", TEMPLATE_IDS)
def test_loading_by_id_and_by_file_gives_the_same_template(template_id: str) -> None:
    by_id = load(template_id)
    by_file = musforms.load_template(musforms._loading.builtins.builtin_dir() / f"{template_id}.yaml")
    assert by_id.id == template_id
    assert by_id.fingerprint == by_file.fingerprint
    assert musforms.check_template(template_id) == []


# -- structure: the five parts, the preparation, the conclusions ---------------------------------------------


@pytest.mark.parametrize("template_id", TEMPLATE_IDS)
def test_the_five_parts_in_order_with_their_time_boxes(template_id: str) -> None:
    template = load(template_id)
    timed = [(s.id, s.minutes) for s in template.sections if s.minutes is not None]
    assert timed == list(PARTS)
    assert sum(minutes for _, minutes in timed) == 60
    assert tuple(s.id for s in template.sections) == SECTION_IDS


@pytest.mark.parametrize("template_id", TEMPLATE_IDS)
def test_every_section_has_a_title_and_the_parts_have_guidance(template_id: str) -> None:
    template = load(template_id)
    for section in template.sections:
        assert section.title.strip()
        assert section.fields, f"section {section.id} has no fields"
    for part, _ in PARTS:
        assert next(s for s in template.sections if s.id == part).guidance


@pytest.mark.parametrize("template_id", TEMPLATE_IDS)
def test_manager_preparation_is_manager_only(template_id: str) -> None:
    template = load(template_id)
    prep = template.sections[0]
    assert prep.id == PREP
    assert prep.audience == ("manager",)
    assert prep not in template.sections_for("employee")
    assert prep in template.sections_for("manager")
    employee_ids = {f.id for f in template.fields_for("employee")}
    manager_ids = {f.id for f in template.answer_fields("manager")}
    questions = [f for f in prep.fields if isinstance(f, TextField)]
    assert len(questions) >= 6
    for field in prep.fields:
        assert field.audience == ("manager",)
        assert field.id not in employee_ids
        assert field.id not in template.answers_model("employee").model_fields
    assert {f.id for f in questions} <= manager_ids


@pytest.mark.parametrize("template_id", TEMPLATE_IDS)
def test_conclusions_and_agreements(template_id: str) -> None:
    template = load(template_id)
    conclusions = template.sections[-1]
    assert conclusions.id == CONCLUSIONS
    tables = [f for f in conclusions.fields if isinstance(f, AgreementsField)]
    assert [t.id for t in tables] == ["agreements"]
    assert tables[0].columns == ("action", "owner", "deadline", "method")
    assert tables[0].rows >= 5
    signatures = [f for f in conclusions.fields if isinstance(f, SignatureField)]
    assert sorted((s.id, s.signer) for s in signatures) == [
        ("sign_employee", "employee"),
        ("sign_manager", "manager"),
    ]
    for signature in signatures:
        assert signature.shown_to("employee")
        assert signature.shown_to("manager")


@pytest.mark.parametrize("template_id", TEMPLATE_IDS)
def test_status_on_last_years_agreements_opens_the_past(template_id: str) -> None:
    template = load(template_id)
    field = template.field("previous_agreements_status")
    assert isinstance(field, AgreementsField)
    assert template.section_of(field.id).id == "past"
    assert field.columns == ("action", "owner", "status", "comment")
    first_question = next(f for f in template.section_of(field.id).fields if not isinstance(f, InfoField))
    assert first_question.id == "previous_agreements_status"


@pytest.mark.parametrize("template_id", TEMPLATE_IDS)
def test_development_methods_offer_the_five_methods(template_id: str) -> None:
    template = load(template_id)
    field = template.field("development_methods")
    assert isinstance(field, ChoiceField)
    assert field.multiple is True
    assert template.section_of(field.id).id == "present_future"
    ids = [option.id for option in field.options]
    assert sorted(ids) == sorted(DEVELOPMENT_METHODS)
    assert set(ids) <= set(AGREEMENT_METHODS), "the methods must match the agreements table's method column"
    assert all(option.label.strip() for option in field.options)


@pytest.mark.parametrize("template_id", TEMPLATE_IDS)
def test_personal_matters_are_the_employees_own_and_optional(template_id: str) -> None:
    template = load(template_id)
    field = template.field("personal_matters")
    assert isinstance(field, TextField)
    assert field.required is False
    assert field.audience == ("employee",)
    assert "personal_matters" not in template.answers_model("manager").model_fields
    assert field.help
    words = ("du", "frivilligt", "behøver ikke") if template.language == "da" else ("you", "optional", "do not have")
    assert all(word in field.help.casefold() for word in words), "the help speaks to the employee"


@pytest.mark.parametrize("template_id", TEMPLATE_IDS)
def test_feedback_on_the_talk_is_not_asked_before_the_talk(template_id: str) -> None:
    ids = {field.id for _, field in load(template_id).iter_fields()}
    assert not {"feedback_good", "feedback_improve"} & ids


@pytest.mark.parametrize("plan_id", ["plan-da", "plan-en"])
def test_the_plan_takes_the_feedback_on_the_talk(plan_id: str) -> None:
    plan = load(plan_id)
    for field_id in ("feedback_good", "feedback_improve"):
        field = plan.field(field_id)
        assert isinstance(field, TextField)
        assert plan.section_of(field_id).id == "talk_feedback"
        assert field.answered_by("employee") and field.answered_by("manager")  # the plan is one document


# -- every item of the guide's content is mapped and present -------------------------------------------------


def test_every_guide_item_has_exactly_one_mapping() -> None:
    keys = [key for _, key, _ in GUIDE_CONTENT]
    assert len(keys) == len(set(keys)), "an item of the guide is listed twice"
    missing = [key for key in keys if key not in COVERAGE]
    assert not missing, f"items of the guide with no mapping: {missing}"
    stray = sorted(set(COVERAGE) - set(keys))
    assert not stray, f"mappings for items that are not in the guide's list: {stray}"
    assert {section for section, _, _ in GUIDE_CONTENT} == {"2", "3.1", "3.2", "3.3", "3.4", "3.5"}
    for key, cover in COVERAGE.items():
        assert cover.da, f"{key}: no Danish words"
        assert cover.en, f"{key}: no English words"


def _resolve(template: Template, target: str) -> tuple[list[str], FormField | None, Section]:
    if "," in target:  # several fields of one section: their words together
        parts = [_resolve(template, one) for one in target.split(",")]
        return [text for texts, _, _ in parts for text in texts], parts[0][1], parts[0][2]
    if target.startswith("section:"):
        section_id = target.removeprefix("section:")
        matches = [s for s in template.sections if s.id == section_id]
        assert matches, f"{template.id}: no section '{section_id}'"
        return section_texts(matches[0]), None, matches[0]
    try:
        field = template.field(target)
    except KeyError:
        pytest.fail(f"{template.id}: no field '{target}'")
    return field_texts(field), field, template.section_of(target)


@pytest.mark.parametrize("template_id", TEMPLATE_IDS)
@pytest.mark.parametrize(("guide_section", "key"), [(section, key) for section, key, _ in GUIDE_CONTENT])
def test_guide_item_is_covered(template_id: str, guide_section: str, key: str) -> None:
    cover = COVERAGE.get(key)
    if cover is None:
        pytest.fail(f"guide {guide_section} item '{key}' has no mapping in COVERAGE")
    template = load(template_id)
    target, da_words, en_words = cover.target, cover.da, cover.en
    if cover.scored is not None and template.style == "scored":
        target, da_words, en_words = cover.scored
    texts, field, section = _resolve(template, target)
    if cover.how == "prep":
        assert guide_section == "2"
        assert section.id == PREP
        assert isinstance(field, TextField)
        assert field.audience == ("manager",)
    elif cover.how in ("ask", "own"):
        assert isinstance(field, QUESTION_KINDS), f"{target} is not a question"
        assert field.shown_to("employee"), f"{target} is not in the employee's form"
        if cover.how == "own":
            assert field.audience == ("employee",), f"{target} must be in the employee's form only"
            assert not field.required
    else:
        assert field is None or isinstance(field, InfoField), f"{cover.target} should be text to read"
    if guide_section != "2":
        expected_part = {
            "3.1": "intro",
            "3.2": "past",
            "3.3": "present_future",
            "3.4": "collaboration_wellbeing",
            "3.5": "closing",
        }[guide_section]
        assert section.id == expected_part
    form = form_facts(template)  # texts that describe the form are read as its forms print them
    haystack = _fold(" ".join(render_text(text, NEUTRAL, template.language, form=form) for text in texts))
    words = da_words if template.language == "da" else en_words
    missing = [word for word in words if _fold(word) not in haystack]
    assert not missing, f"{template.id}: {target} lacks {missing} (guide {guide_section}, {key})"


# -- scored and soft -----------------------------------------------------------------------------------------


def ratings(template: Template) -> list[RatingField]:
    return [f for _, f in template.iter_fields() if isinstance(f, RatingField)]


@pytest.mark.parametrize("template_id", SCORED)
def test_scored_items_are_rated_by_both_on_a_labelled_five_point_scale(template_id: str) -> None:
    template = load(template_id)
    items = ratings(template)
    assert len(items) >= 12
    for item in items:
        assert set(item.rated_by) == {"employee", "manager"}, item.id
        assert item.answered_by("employee")
        assert item.answered_by("manager")
        scale = template.scale_of(item)
        assert scale.values == (1, 2, 3, 4, 5)
        labels = [point.label.strip() for point in scale.points]
        assert all(labels), f"{item.id}: a point of the scale has no label"
        assert len(set(labels)) == 5
        if item.not_relevant:
            assert scale.not_relevant_label
    assert any(item.not_relevant for item in items)
    assert len({item.label for item in items}) == len(items), "two items have the same label"


@pytest.mark.parametrize("template_id", SCORED)
def test_scored_items_sit_in_the_matching_parts(template_id: str) -> None:
    template = load(template_id)
    where: dict[str, set[str]] = {}
    for item in ratings(template):
        where.setdefault(template.section_of(item.id).id, set()).add(item.id)
    assert set(where) == {"past", "present_future", "collaboration_wellbeing"}
    assert {"rate_quality", "rate_efficiency", "rate_deadlines"} <= where["past"]
    assert {"rate_professional_skills", "rate_personal_skills"} <= where["present_future"]
    assert {
        "rate_cooperation_manager",
        "rate_cooperation_colleagues",
        "rate_physical_environment",
        "rate_psychological_environment",
    } <= where["collaboration_wellbeing"]


@pytest.mark.parametrize(("scored_id", "soft_id"), list(zip(SCORED, SOFT, strict=True)))
def test_scored_keeps_fewer_open_questions_than_soft(scored_id: str, soft_id: str) -> None:
    def open_questions(template: Template) -> list[str]:
        return [f.id for _, f in template.iter_fields() if isinstance(f, TextField)]

    scored, soft = load(scored_id), load(soft_id)
    assert 0 < len(open_questions(scored)) < len(open_questions(soft))


@pytest.mark.parametrize("template_id", SOFT)
def test_soft_asks_open_questions_in_every_part_but_the_closing(template_id: str) -> None:
    template = load(template_id)
    assert ratings(template) == []
    for part, _ in PARTS[:-1]:  # the closing's questions (the feedback) are asked in the talk
        section = next(s for s in template.sections if s.id == part)
        questions = [f for f in section.fields if isinstance(f, TextField) and f.answered_by("employee")]
        assert questions, f"{template_id}: no open question for the employee in {part}"


@pytest.mark.parametrize(("scored_id", "soft_id"), list(zip(SCORED, SOFT, strict=True)))
def test_scored_and_soft_share_their_ids(scored_id: str, soft_id: str) -> None:
    scored, soft = load(scored_id), load(soft_id)
    assert [s.id for s in scored.sections] == [s.id for s in soft.sections]
    soft_fields = {f.id: (soft.section_of(f.id).id, f.kind) for _, f in soft.iter_fields()}
    for section, field in scored.iter_fields():
        if isinstance(field, RatingField | InfoField) and field.id not in soft_fields:
            continue
        assert soft_fields.get(field.id) == (section.id, field.kind), f"{field.id} differs between the styles"


# -- Danish and English ---------------------------------------------------------------------------------------


def shape(template: Template) -> dict[str, Any]:
    """The template without its words: what must be equal between the languages of a style."""

    def field_shape(field: FormField) -> dict[str, Any]:
        data = field.model_dump(mode="json", exclude={"label", "help", "text", "options"})
        if isinstance(field, ChoiceField):
            data["options"] = [option.id for option in field.options]
        return data

    return {
        "style": template.style,
        "version": template.version,
        "scales": {key: (scale.values, scale.not_relevant_label is not None) for key, scale in template.scales.items()},
        "sections": [(s.id, s.minutes, s.audience, [field_shape(f) for f in s.fields]) for s in template.sections],
    }


@pytest.mark.parametrize(("da_id", "en_id"), [("mus-scored-da", "mus-scored-en"), ("mus-soft-da", "mus-soft-en")])
def test_danish_and_english_have_the_same_structure(da_id: str, en_id: str) -> None:
    da, en = load(da_id), load(en_id)
    assert (da.language, en.language) == ("da", "en")
    assert [s.id for s in da.sections] == [s.id for s in en.sections]
    assert [(f.id, f.kind) for _, f in da.iter_fields()] == [(f.id, f.kind) for _, f in en.iter_fields()]
    assert shape(da) == shape(en)
    assert da.title != en.title


# -- the words: printable, in the right language, rendering in any context ----------------------------------


def all_texts(template: Template) -> list[tuple[str, str]]:
    texts: list[tuple[str, str]] = [("title", template.title), ("description", template.description or "")]
    texts.append(("intro", template.intro or ""))
    for key, scale in template.scales.items():
        texts.extend((f"scales.{key}", text) for text in (scale.title or "", scale.not_relevant_label or ""))
        texts.extend((f"scales.{key}", point.label) for point in scale.points)
    for section in template.sections:
        texts.append((section.id, section.title))
        texts.append((section.id, section.guidance or ""))
        for field in section.fields:
            texts.extend((field.id, text) for text in field_texts(field))
    return [(where, text) for where, text in texts if text]


@pytest.mark.parametrize("template_id", TEMPLATE_IDS)
def test_labels_print_well(template_id: str) -> None:
    template = load(template_id)
    for _, field in template.iter_fields():
        label = getattr(field, "label", None)
        if label is not None:
            assert len(label) < 160, f"{field.id}: label too long to print well"
            assert "\n" not in label
    for section in template.sections:
        assert len(section.title) < 80


@pytest.mark.parametrize("template_id", TEMPLATE_IDS)
def test_texts_name_no_company_or_publisher(template_id: str) -> None:
    for where, text in all_texts(load(template_id)):
        folded = text.casefold()
        assert "tekniq" not in folded, where
        assert "a/s" not in folded, where


NEUTRAL = Context(
    employee=Person(name="Kim Berg"),
    manager=Person(name="Robin Lund"),
    company=musforms.Company(name="Nordlys"),
    meeting=Meeting(start=dt.datetime(2026, 3, 16, 10, 30), place="Room 2"),
)
"""A context whose words belong to neither language, for checking the language of rendered texts."""


def rendered_texts(template: Template) -> list[tuple[str, str]]:
    form = form_facts(template)
    return [(where, render_text(text, NEUTRAL, template.language, form=form)) for where, text in all_texts(template)]


@pytest.mark.parametrize("template_id", [t for t in TEMPLATE_IDS if t.endswith("-en")])
def test_english_texts_are_english(template_id: str) -> None:
    for where, text in rendered_texts(load(template_id)):
        assert not set("æøåÆØÅ") & set(text), f"{where}: Danish letters in an English template: {text!r}"
        for danish in (" og ", " ikke ", "medarbejder", "leder ", "samtale"):
            assert danish not in text.casefold(), f"{where}: {danish.strip()!r} in an English template"


@pytest.mark.parametrize("template_id", [t for t in TEMPLATE_IDS if t.endswith("-da")])
def test_danish_texts_are_danish(template_id: str) -> None:
    for where, text in rendered_texts(load(template_id)):
        for english in (" the ", " and ", " employee", " manager"):
            assert english not in f" {text.casefold()} ", f"{where}: {english.strip()!r} in a Danish template"


MINIMAL = Context(employee=Person(name="Ole Hansen"))
FULL = Context(
    employee=Person(name="Mette Sørensen"),
    manager=Person(name="Lars Holm"),
    company=musforms.Company(name="Eksempel Service"),
    meeting=Meeting(start=dt.datetime(2026, 3, 16, 10, 30), place="Mødelokale 2"),
)


@pytest.mark.parametrize("template_id", TEMPLATE_IDS)
def test_every_text_renders_without_manager_company_or_meeting(template_id: str) -> None:
    template = load(template_id)
    for where, text in all_texts(template):
        rendered = render_text(text, MINIMAL, template.language, form=form_facts(template))
        assert rendered.strip(), f"{where} renders empty"
        assert "{" not in rendered, f"{where} leaves template syntax behind"


@pytest.mark.parametrize("template_id", TEMPLATE_IDS)
def test_intro_speaks_to_the_reader(template_id: str) -> None:
    template = load(template_id)
    assert template.intro
    form = form_facts(template)
    minimal = render_text(template.intro, MINIMAL, template.language, form=form)
    full = render_text(template.intro, FULL, template.language, form=form)
    assert "Ole Hansen" in minimal
    assert "None" not in minimal
    assert "Lars Holm" not in minimal
    for name in ("Mette Sørensen", "Lars Holm", "Eksempel Service", "10:30", "Mødelokale 2"):
        assert name in full
    if template.language == "da":
        assert "16. marts 2026" in full
        assert "en time" in minimal
        assert "fortrolig" in minimal.casefold()
    else:
        assert "16 March 2026" in full
        assert "an hour" in minimal
        assert "confidential" in minimal.casefold()
    assert "HR" in minimal
    assert "16" not in minimal, "the meeting time must not show when there is no meeting"


@pytest.mark.parametrize("template_id", SCORED)
def test_scored_collaboration_fits_its_ten_minutes(template_id: str) -> None:
    """Its ratings measure the working relationships and the working environment; no open question asks the
    same again, and the part asks no more than fits in 10 minutes."""
    template = load(template_id)
    part = next(s for s in template.sections if s.id == "collaboration_wellbeing")
    assert part.minutes == 10
    asked = [f for f in part.fields if f.answered_by("employee")]
    assert len(asked) <= 8
    rated = {f.id for f in part.fields if isinstance(f, RatingField)}
    assert rated == {
        "rate_cooperation_manager",
        "rate_cooperation_colleagues",
        "rate_physical_environment",
        "rate_psychological_environment",
    }
    assert not {"working_relationships", "working_environment"} & {f.id for f in part.fields}


# -- the guide in the rendered files, role by role ---------------------------------------------------------------

Document = Literal["prep", "talk", "plan", "followup", "invitation"]
Audience = Literal["both", "employee", "manager"]


@dataclass(frozen=True)
class Carried:
    """Where the files carry an item of the guide: the document (``prep``: both preparation forms of all four
    templates; ``talk``: the talk form; ``plan``, ``followup``; ``invitation``: the letter), the section, field or
    text there, who reads it, and words that must stand in it in each language. For a preparation form,
    ``audience`` ``employee`` or ``manager`` means that only that role's file holds the words (in Word and in
    Excel); ``both``, that each role's file holds them."""

    ref: str
    document: Document
    target: str
    audience: Audience
    da: tuple[str, ...]
    en: tuple[str, ...]


SITUATION = "Ordrebogen er fuld til efteråret."
PLANS = "Vi åbner en afdeling i Aarhus."

CARRIED: dict[str, Carried] = {
    # phase 1: the company's situation and plans, which the manager considers and shares
    "phase1_manager_prompt": Carried(
        "1",
        "prep",
        "prep_info_to_give",
        "manager",
        ("styrker og svagheder", "muligheder og trusler", "budget for"),
        ("strengths and weaknesses", "opportunities and threats", "budget for"),
    ),
    "phase1_shown_to_employee": Carried(
        "1",
        "prep",
        "company_situation",
        "employee",
        ("Virksomhedens situation og planer", "Situationen nu:", "spørg gerne"),
        ("The company's situation and plans", "The situation now:", "feel free to ask"),
    ),
    "phase1_what_was_shared": Carried("1", "prep", "company_situation", "both", (SITUATION, PLANS), (SITUATION, PLANS)),
    # phase 2: the invitation and each role's preparation
    "phase2_invitation_time_place": Carried(
        "2", "invitation", "body", "employee", ("Tidspunkt", "Sted", "Mødelokale 2"), ("Time", "Place", "Mødelokale 2")
    ),
    "phase2_invitation_frame_purpose": Carried(
        "2", "invitation", "body", "employee", ("Formålet", "fem dele"), ("purpose", "five parts")
    ),
    "phase2_invitation_preparation": Carried(
        "2", "invitation", "body", "employee", ("forberede dig", "vedhæftet"), ("prepare", "attached")
    ),
    "phase2_employee_form": Carried(
        "2", "prep", "subtitle", "employee", ("Medarbejderens forberedelse",), ("Employee's preparation",)
    ),
    "phase2_manager_form": Carried(
        "2",
        "prep",
        "manager_prep",
        "manager",
        ("Lederens forberedelse", "Kun til dig som leder"),
        ("The manager's preparation", "For you as the manager only"),
    ),
    "phase2_room_refreshments": Carried(
        "2", "prep", "manager_prep", "manager", ("uforstyrret", "kaffe", "frugt"), ("undisturbed", "coffee", "fruit")
    ),
    # phase 3: the talk
    "phase3_parts_and_time_boxes": Carried(
        "3",
        "talk",
        "parts",
        "both",
        ("1. Indledning", "ca. 5 min.", "ca. 30 min.", "5. Afslutning"),
        ("1. Introduction", "about 5 min", "about 30 min", "5. Closing"),
    ),
    "phase3_side_by_side": Carried(
        "3", "talk", "answers", "both", ("Medarbejder", "Leder", "forskel"), ("Employee", "Manager", "gap")
    ),
    "phase3_notes": Carried("3", "talk", "notes", "both", ("Noter og konklusioner",), ("Notes and conclusions",)),
    "phase3_closing_feedback": Carried(
        "3.5",
        "talk",
        "talk_feedback",
        "both",
        ("Feedback på samtalen", "Hvad har været godt ved samtalen?", "Hvad bør gøres anderledes til næste MUS?"),
        (
            "Feedback on the talk",
            "What has been good about the talk?",
            "What should be done differently at the next MUS?",
        ),
    ),
    # phase 4: conclusions and agreements, the development plan
    "phase4_agreements": Carried(
        "4", "plan", "agreements", "both", ("hvem gør hvad", "Hvem", "Frist"), ("who does what", "Who", "Deadline")
    ),
    "phase4_written_up_and_signed": Carried(
        "4", "plan", "intro", "both", ("renskriver", "skriver I begge under"), ("writes up", "you both sign")
    ),
    "phase4_development_plan": Carried("4", "plan", "intro", "both", ("udviklingsplan",), ("development plan",)),
    "phase4_feedback_in_the_plan": Carried(
        "3.5",
        "plan",
        "talk_feedback",
        "both",
        ("Feedback på samtalen", "Hvad var godt ved samtalen?", "Hvad bør gøres anderledes til næste MUS?"),
        ("Feedback on the talk", "What was good about the talk?", "What should be done differently at the next MUS?"),
    ),
    # phase 5: follow-up
    "phase5_status": Carried(
        "5", "followup", "status", "both", ("gennemført", "opgivet", "effekt"), ("done", "dropped", "effect")
    ),
    "phase5_what_now": Carried(
        "5",
        "followup",
        "what_now",
        "both",
        ("hvad der i givet fald så skal gøres", "hvem gør hvad"),
        ("if so, what should be done", "who does what"),
    ),
    "phase5_next_mus": Carried("5", "followup", "next_mus_date", "both", ("Næste MUS",), ("Next MUS",)),
    # 3.6: points to keep in mind during the talk (the manager's)
    "attention_eye_contact": Carried(
        "3.6", "prep", "prep_attention_points", "manager", ("øjenkontakt",), ("eye contact",)
    ),
    "attention_direct": Carried(
        "3.6", "prep", "prep_attention_points", "manager", ("direkte og klar",), ("direct and clear",)
    ),
    "attention_empathy": Carried(
        "3.6", "prep", "prep_attention_points", "manager", ("vise indlevelse",), ("show empathy",)
    ),
    "attention_open_about_yourself": Carried(
        "3.6", "prep", "prep_attention_points", "manager", ("fortælle om dig selv",), ("tell about yourself",)
    ),
    "attention_open_questions": Carried(
        "3.6",
        "prep",
        "prep_attention_points",
        "manager",
        ("åbne spørgsmål: Hvad? Hvordan? Hvorfor?",),
        ("open questions: What? How? Why?",),
    ),
    "attention_not_argue": Carried(
        "3.6", "prep", "prep_attention_points", "manager", ("argumentere for meget",), ("not argue too much",)
    ),
    "attention_humour": Carried(
        "3.6", "prep", "prep_attention_points", "manager", ("humor og smil",), ("humour and smiles",)
    ),
    "attention_boredom": Carried(
        "3.6", "prep", "prep_attention_points", "manager", ("kedsomhed eller utålmodighed",), ("boredom or impatience",)
    ),
    "attention_three_bs": Carried(
        "3.6",
        "prep",
        "prep_attention_points",
        "manager",
        ("bagatellisere", "bortforklare", "betvivle"),
        ("playing down", "explaining away", "doubting"),
    ),
    "attention_concluding_early": Carried(
        "3.6", "prep", "prep_attention_points", "manager", ("konkludere for tidligt",), ("concluding too early",)
    ),
    "attention_fiddling": Carried(
        "3.6", "prep", "prep_attention_points", "manager", ("fumle med",), ("fiddling with",)
    ),
    "attention_watch": Carried("3.6", "prep", "prep_attention_points", "manager", ("kigge på uret",), ("your watch",)),
    "attention_silence": Carried(
        "3.6", "prep", "prep_attention_points", "manager", ("tavshed er ikke pinlig",), ("silence is not embarrassing",)
    ),
    "attention_interrupting": Carried(
        "3.6", "prep", "prep_attention_points", "manager", ("afbryde – lyt",), ("interrupting – listen",)
    ),
    "attention_closed_questions": Carried(
        "3.6", "prep", "prep_attention_points", "manager", ("lukkede spørgsmål",), ("closed questions",)
    ),
    "attention_several_questions": Carried(
        "3.6",
        "prep",
        "prep_attention_points",
        "manager",
        ("flere spørgsmål ad gangen",),
        ("several questions at once",),
    ),
    "attention_generalisations": Carried(
        "3.6", "prep", "prep_attention_points", "manager", ("generaliseringer",), ("generalisations",)
    ),
    "attention_mumbling": Carried("3.6", "prep", "prep_attention_points", "manager", ("mumle",), ("mumbling",)),
    "attention_sarcasm": Carried(
        "3.6", "prep", "prep_attention_points", "manager", ("sarkastisk eller ironisk",), ("sarcastic or ironic",)
    ),
    # the responsibilities of the manager and of the employee (the guide's summary)
    "manager_prepares": Carried(
        "ansvar",
        "prep",
        "prep_responsibilities",
        "manager",
        ("forbereder sig grundigt og forholder sig til emnerne",),
        ("prepares thoroughly and considers the topics",),
    ),
    "manager_sets_the_frame": Carried(
        "ansvar",
        "prep",
        "prep_responsibilities",
        "manager",
        ("skaber rammerne for samtalen", "ligeværdig dialog"),
        ("sets the scene for the talk", "between equals"),
    ),
    "manager_respect": Carried(
        "ansvar", "prep", "prep_responsibilities", "manager", ("dømmer ikke",), ("does not judge",)
    ),
    "manager_goals_and_authority": Carried(
        "ansvar",
        "prep",
        "prep_responsibilities",
        "manager",
        ("mål og strategier", "beslutningskompetence"),
        ("goals and strategies", "authority to decide"),
    ),
    "manager_steers": Carried(
        "ansvar",
        "prep",
        "prep_responsibilities",
        "manager",
        ("styrer samtalens forløb",),
        ("steers the course of the talk",),
    ),
    "manager_lets_employee_start": Carried(
        "ansvar", "prep", "prep_responsibilities", "manager", ("»spille ud« først",), ('"open the play" first',)
    ),
    "manager_feedback": Carried(
        "ansvar",
        "prep",
        "prep_responsibilities",
        "manager",
        ("relevante og brugbare tilbagemeldinger",),
        ("relevant and useful feedback",),
    ),
    "manager_documents": Carried(
        "ansvar",
        "prep",
        "prep_responsibilities",
        "manager",
        ("noterer konklusioner og aftaler undervejs",),
        ("notes conclusions and agreements along the way",),
    ),
    "manager_realistic_agreements": Carried(
        "ansvar",
        "prep",
        "prep_responsibilities",
        "manager",
        ("særligt ansvar", "kan gennemføres"),
        ("particular responsibility", "achievable"),
    ),
    "manager_follows_up": Carried(
        "ansvar",
        "prep",
        "prep_responsibilities",
        "manager",
        ("følger op på sin del af aftalerne",),
        ("follows up on their own part of the agreements",),
    ),
    "employee_prepares": Carried(
        "ansvar",
        "prep",
        "prep_responsibilities",
        "manager",
        ("forbereder sig grundigt ud fra emnerne",),
        ("prepares thoroughly from the topics",),
    ),
    "employee_considers_activities": Carried(
        "ansvar",
        "prep",
        "prep_responsibilities",
        "manager",
        ("hvilke uddannelses- og udviklingsaktiviteter der er relevante",),
        ("which training and development activities are relevant",),
    ),
    "employee_company_goals": Carried(
        "ansvar",
        "prep",
        "prep_responsibilities",
        "manager",
        ("overordnede mål og opgaver",),
        ("overall goals and tasks",),
    ),
    "employee_respect": Carried(
        "ansvar", "prep", "prep_responsibilities", "manager", ("viser lederen respekt",), ("shows the manager respect",)
    ),
    "employee_manager_side": Carried(
        "ansvar",
        "prep",
        "prep_responsibilities",
        "manager",
        ("sætte sig i lederens sted",),
        ("see things from the manager's side",),
    ),
}

ROLES: tuple[Literal["employee", "manager"], ...] = ("employee", "manager")
FORMATS: tuple[Literal["docx", "xlsx"], ...] = ("docx", "xlsx")
SHARING = Context(
    employee=Person(id="E-7", name="Mette Sørensen"),
    manager=Person(id="M-1", name="Lars Holm"),
    company=musforms.Company(name="Nordlys", situation=SITUATION, plans=PLANS),
    meeting=Meeting(start=dt.datetime(2026, 3, 16, 10, 30), place="Mødelokale 2"),
)
"""A context whose company shares its situation and plans (phase 1)."""

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def visible_text(data: bytes) -> str:
    """What a reader sees in a rendered file: a Word document's paragraphs (body, header, footer), or every
    cell of a workbook's sheets and every input message."""
    if data[:2] != b"PK":
        return data.decode("utf-8")
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        names = package.namelist()
        if "word/document.xml" in names:
            lines = []
            for name in names:
                if re.fullmatch(r"word/(document|header\d*|footer\d*)\.xml", name):
                    root = etree.fromstring(package.read(name))
                    lines.extend("".join(t.text or "" for t in p.iter(f"{_W}t")) for p in root.iter(f"{_W}p"))
            return "\n".join(lines)
    workbook = openpyxl.load_workbook(io.BytesIO(data))
    texts = []
    for sheet in workbook.worksheets:
        texts.extend(str(c.value) for row in sheet.iter_rows() for c in row if c.value is not None)
        texts.extend(dv.prompt or "" for dv in sheet.data_validations.dataValidation)
    return "\n".join(texts)


def all_text(data: bytes) -> str:
    """Everything a rendered file holds as text: every part of its package, markup and all."""
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        return "\n".join(html.unescape(package.read(n).decode("utf-8", "replace")) for n in package.namelist())


@functools.cache
def prep_file(template_id: str, role: Literal["employee", "manager"], fmt: Literal["docx", "xlsx"]) -> bytes:
    return musforms.render(template_id, fmt, role=role, context=SHARING)


@functools.cache
def talk_file(template_id: str, fmt: Literal["docx", "xlsx"]) -> bytes:
    employee = musforms.parse(prep_file(template_id, "employee", "docx"))
    manager = musforms.parse(prep_file(template_id, "manager", "docx"))
    return musforms.render_talk(None, employee, manager, fmt)


@functools.cache
def after_file(document: str, language: str, fmt: Literal["docx", "xlsx"]) -> bytes:
    if document == "plan":
        return musforms.render_plan(SHARING, template=f"plan-{language}", format=fmt)
    if document == "followup":
        plan = musforms.parse(musforms.render_plan(SHARING, template=f"plan-{language}"))
        return musforms.render_followup(SHARING, plan, template=f"followup-{language}", format=fmt)
    # sent with the preparation forms, it describes their talk
    return musforms.load_invitation(f"invitation-{language}").render(SHARING, load(f"mus-scored-{language}")).text()


@functools.cache
def prep_texts(template_id: str, role: Literal["employee", "manager"], fmt: Literal["docx", "xlsx"]) -> tuple[str, str]:
    """A preparation form's visible text and all its text, folded."""
    data = prep_file(template_id, role, fmt)
    return _fold(visible_text(data)), _fold(all_text(data))


def _missing(words: tuple[str, ...], text: str) -> list[str]:
    haystack = _fold(text)
    return [word for word in words if _fold(word) not in haystack]


def test_every_phase_3_6_item_and_responsibility_is_carried() -> None:
    """The table names each phase of the process, each point of 3.6 and each responsibility, with words in both
    languages; a preparation form's item says which role's file holds it."""
    assert {c.ref for c in CARRIED.values()} >= {"1", "2", "3", "3.5", "3.6", "4", "5", "ansvar"}
    assert sum(c.ref == "3.6" for c in CARRIED.values()) == 19  # 7 to remember, 12 to avoid (the 3 B's as one)
    assert sum(c.ref == "ansvar" for c in CARRIED.values()) == 15  # 10 of the manager's, 5 of the employee's
    for key, carried in CARRIED.items():
        assert carried.da and carried.en, key
        if carried.ref in ("3.6", "ansvar"):
            assert (carried.document, carried.audience) == ("prep", "manager"), key


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("template_id", TEMPLATE_IDS)
@pytest.mark.parametrize("key", [k for k, c in CARRIED.items() if c.document == "prep"])
def test_preparation_item_is_in_its_roles_file_and_no_other(key: str, template_id: str, fmt: str) -> None:
    carried = CARRIED[key]
    words = carried.da if language_of(template_id) == "da" else carried.en
    for role in ROLES:
        visible, everything = prep_texts(template_id, role, fmt)  # type: ignore[arg-type]
        if carried.audience in ("both", role):
            missing = _missing(words, visible)
            assert not missing, f"{template_id} {role} {fmt}: {key} lacks {missing}"
        else:
            present = [word for word in words if _fold(word) in everything]
            assert not present, f"{template_id} {role} {fmt}: {key} is not for this role, yet has {present}"


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("language", ["da", "en"])
@pytest.mark.parametrize("key", [k for k, c in CARRIED.items() if c.document != "prep"])
def test_item_of_the_talk_plan_follow_up_and_invitation_is_carried(key: str, language: str, fmt: str) -> None:
    carried = CARRIED[key]
    words = carried.da if language == "da" else carried.en
    if carried.document == "talk":
        files = [talk_file(template_id, fmt) for template_id in TEMPLATE_IDS if language_of(template_id) == language]  # type: ignore[arg-type]
    else:
        files = [after_file(carried.document, language, fmt)]  # type: ignore[arg-type]
    for data in files:
        missing = _missing(words, visible_text(data))
        assert not missing, f"{carried.document}-{language} {fmt}: {key} lacks {missing}"


def _labels(template: Template, fields: list[FormField]) -> list[str]:
    return [render_text(f.label, SHARING, template.language) for f in fields if getattr(f, "label", None)]


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("template_id", TEMPLATE_IDS)
def test_one_roles_content_never_reaches_the_other_roles_file(template_id: str, fmt: str) -> None:
    """The manager's preparation (its questions, 3.6, the responsibilities) is nowhere in the employee's file, and
    the employee's own question (personal matters) nowhere in the manager's: neither as text the reader sees nor
    anywhere else in the file."""
    template = load(template_id)
    only: dict[str, list[FormField]] = {role: [] for role in ROLES}
    for section, field in template.iter_fields():
        audience = field.audience if section.shown_to("employee") and section.shown_to("manager") else section.audience
        if len(audience) == 1:
            only[audience[0]].append(field)
    assert {f.id for f in only["manager"]} >= {"prep_info_to_give", "prep_attention_points", "prep_responsibilities"}
    assert {f.id for f in only["employee"]} >= {"personal_matters", "company_situation"}
    prep = template.sections[0]
    manager_only = [*_labels(template, only["manager"]), prep.title, (prep.guidance or "").split(".")[0]]
    employee_only = _labels(template, [f for f in only["employee"] if f.id != "employee_comments"])
    employee_visible, employee_file = prep_texts(template_id, "employee", fmt)  # type: ignore[arg-type]
    manager_visible, manager_file = prep_texts(template_id, "manager", fmt)  # type: ignore[arg-type]
    assert not [t for t in manager_only if _fold(t) in employee_file]
    assert not [t for t in employee_only if _fold(t) in manager_file]
    # and each is in its own role's file
    assert all(_fold(t) in manager_visible for t in manager_only)
    assert all(_fold(t) in employee_visible for t in employee_only)
