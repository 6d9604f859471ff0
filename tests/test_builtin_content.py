"""The built-in templates carry the content of the MUS guide.

Checked here: the five parts of the talk in order with their time boxes, the manager's private preparation,
every content item of guide sections 2 and 3.1-3.5 (through the table ``COVERAGE``), the differences between
the scored and the soft style, and that the Danish and English versions of a style have the same structure.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, Literal

import pytest

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

How = Literal["prep", "ask", "tell"]
"""prep: a manager-only question; ask: a question of the talk; tell: text the manager says (info/guidance)."""


@dataclass(frozen=True)
class Cover:
    """Where an item of the guide is covered: a field id, or ``section:<id>`` for a section's guidance and
    info texts, and words that must appear there in each language."""

    how: How
    target: str
    da: tuple[str, ...]
    en: tuple[str, ...]


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
        ("course and timing", "1 hour", "5 min", "30 min"),
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
    ),
    "wellbeing_personal_matters": Cover(
        "ask",
        "personal_matters",
        ("personlige forhold", "betydning", "frivilligt"),
        ("personal matters", "affected", "optional"),
    ),
    # 3.5 Closing
    "closing_thanks": Cover("tell", "closing_frame", ("tak for samtalen",), ("thanks for the talk",)),
    "closing_summary": Cover(
        "tell",
        "closing_frame",
        ("opsummerer", "konklusioner og aftaler", "afstemmer"),
        ("sums up", "conclusions and agreements", "checks them"),
    ),
    "closing_feedback_good": Cover("ask", "feedback_good", ("godt", "samtalen"), ("good", "talk")),
    "closing_feedback_improve": Cover(
        "ask",
        "feedback_improve",
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
def test_personal_matters_are_optional(template_id: str) -> None:
    field = load(template_id).field("personal_matters")
    assert isinstance(field, TextField)
    assert field.required is False
    assert field.help


@pytest.mark.parametrize("template_id", TEMPLATE_IDS)
def test_feedback_on_the_talk_is_the_employees(template_id: str) -> None:
    template = load(template_id)
    for field_id in ("feedback_good", "feedback_improve"):
        field = template.field(field_id)
        assert isinstance(field, TextField)
        assert template.section_of(field_id).id == "closing"
        assert field.answered_by("employee")
        assert not field.answered_by("manager")


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
    texts, field, section = _resolve(template, cover.target)
    if cover.how == "prep":
        assert guide_section == "2"
        assert section.id == PREP
        assert isinstance(field, TextField)
        assert field.audience == ("manager",)
    elif cover.how == "ask":
        assert isinstance(field, QUESTION_KINDS), f"{cover.target} is not a question"
        assert field.shown_to("employee"), f"{cover.target} is not in the employee's form"
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
    haystack = _fold(" ".join(texts))
    words = cover.da if template.language == "da" else cover.en
    missing = [word for word in words if _fold(word) not in haystack]
    assert not missing, f"{template.id}: {cover.target} lacks {missing} (guide {guide_section}, {key})"


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
def test_soft_asks_open_questions_in_every_part(template_id: str) -> None:
    template = load(template_id)
    assert ratings(template) == []
    for part, _ in PARTS:
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
    return [(where, render_text(text, NEUTRAL, template.language)) for where, text in all_texts(template)]


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
        rendered = render_text(text, MINIMAL, template.language)
        assert rendered.strip(), f"{where} renders empty"
        assert "{" not in rendered, f"{where} leaves template syntax behind"


@pytest.mark.parametrize("template_id", TEMPLATE_IDS)
def test_intro_speaks_to_the_reader(template_id: str) -> None:
    template = load(template_id)
    assert template.intro
    minimal = render_text(template.intro, MINIMAL, template.language)
    full = render_text(template.intro, FULL, template.language)
    assert "Ole Hansen" in minimal
    assert "None" not in minimal
    assert "Lars Holm" not in minimal
    for name in ("Mette Sørensen", "Lars Holm", "Eksempel Service", "10:30", "Mødelokale 2"):
        assert name in full
    if template.language == "da":
        assert "16. marts 2026" in full
        assert "1 time" in minimal
        assert "fortrolig" in minimal.casefold()
    else:
        assert "16 March 2026" in full
        assert "1 hour" in minimal
        assert "confidential" in minimal.casefold()
    assert "HR" in minimal
    assert "16" not in minimal, "the meeting time must not show when there is no meeting"
