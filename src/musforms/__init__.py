"""musforms: MUS (medarbejderudviklingssamtale) forms as typed templates, rendered to Word and Excel and
parsed back into validated data."""

from musforms._core.carry import carried_agreements
from musforms._core.limits import Limits
from musforms._formats.html.render import WebForm, render_html
from musforms._formats.html.submission import parse_submission
from musforms._formats.parse import parse
from musforms._formats.render import render
from musforms._loading.catalog import TemplateInfo, list_templates
from musforms._loading.loader import check_template, load_template, load_template_text
from musforms._loading.outline import outline
from musforms._loading.python_export import answers_module_source
from musforms._loading.schema_export import extra_schemas, stale_schemas, write_schemas
from musforms._loading.store import TemplateLookup, TemplateStore
from musforms._model.context import Company, Context, Meeting, Person
from musforms._model.fields import (
    AgreementsField,
    CheckField,
    ChoiceField,
    ChoiceOption,
    DateField,
    FormField,
    InfoField,
    RatingField,
    Role,
    SignatureField,
    TextField,
)
from musforms._model.filled import Answer, AnswerKind, FilledForm, FormIdentity, Issue, Location
from musforms._model.template import Scale, ScalePoint, Section, Template, TemplateCompany, TemplateId
from musforms._model.values import NOT_RELEVANT, AgreementRow, Signature
from musforms._text.sandbox import render_text
from musforms._version import __version__
from musforms._workflows.collect import Collection, collect, write_summary
from musforms._workflows.compare import Comparison, OpenAnswers, RatingPair, compare
from musforms._workflows.invitation import Invitation, load_invitation
from musforms._workflows.packs import PackReport, RowOutcome, build_packs, iter_packs
from musforms._workflows.plan import render_followup, render_plan
from musforms._workflows.redact import redact
from musforms._workflows.roster import Roster, RosterRow, read_roster
from musforms._workflows.talk import render_talk
from musforms.errors import (
    AnswersError,
    CarryOverError,
    ComparisonError,
    FingerprintMismatchError,
    IdentityError,
    MusformsError,
    NotAFormError,
    ParseError,
    Problem,
    RenderError,
    RosterError,
    RosterProblem,
    TemplateConflictError,
    TemplateError,
    TemplateNotFoundError,
    TextRenderError,
    UnknownTemplateError,
)

__all__ = [
    "NOT_RELEVANT",
    "AgreementRow",
    "AgreementsField",
    "Answer",
    "AnswerKind",
    "AnswersError",
    "CarryOverError",
    "CheckField",
    "ChoiceField",
    "ChoiceOption",
    "Collection",
    "Company",
    "Comparison",
    "ComparisonError",
    "Context",
    "DateField",
    "FilledForm",
    "FingerprintMismatchError",
    "FormField",
    "FormIdentity",
    "IdentityError",
    "InfoField",
    "Invitation",
    "Issue",
    "Limits",
    "Location",
    "Meeting",
    "MusformsError",
    "NotAFormError",
    "OpenAnswers",
    "PackReport",
    "ParseError",
    "Person",
    "Problem",
    "RatingField",
    "RatingPair",
    "RenderError",
    "Role",
    "Roster",
    "RosterError",
    "RosterProblem",
    "RosterRow",
    "RowOutcome",
    "Scale",
    "ScalePoint",
    "Section",
    "Signature",
    "SignatureField",
    "Template",
    "TemplateCompany",
    "TemplateConflictError",
    "TemplateError",
    "TemplateId",
    "TemplateInfo",
    "TemplateLookup",
    "TemplateNotFoundError",
    "TemplateStore",
    "TextField",
    "TextRenderError",
    "UnknownTemplateError",
    "WebForm",
    "__version__",
    "answers_module_source",
    "build_packs",
    "carried_agreements",
    "check_template",
    "collect",
    "compare",
    "extra_schemas",
    "iter_packs",
    "list_templates",
    "load_invitation",
    "load_template",
    "load_template_text",
    "outline",
    "parse",
    "parse_submission",
    "read_roster",
    "redact",
    "render",
    "render_followup",
    "render_html",
    "render_plan",
    "render_talk",
    "render_text",
    "stale_schemas",
    "write_schemas",
    "write_summary",
]
