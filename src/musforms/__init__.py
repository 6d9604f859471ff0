"""musforms: MUS (medarbejderudviklingssamtale) forms as typed templates, rendered to Word and Excel and
parsed back into validated data."""

from musforms._version import __version__
from musforms.builtins import TemplateInfo, list_templates
from musforms.collect import Collection, collect, write_summary
from musforms.compare import Comparison, ComparisonError, OpenAnswers, RatingPair, compare
from musforms.context import Company, Context, Meeting, Person
from musforms.errors import MusformsError, Problem, TemplateError, TemplateNotFoundError
from musforms.fields import (
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
from musforms.filled import FilledForm, FormIdentity, Issue, Location
from musforms.identity import NotAFormError
from musforms.invitation import Invitation, load_invitation
from musforms.loader import check_template, load_template, load_template_text
from musforms.packs import PackReport, RowOutcome, build_packs, iter_packs
from musforms.parse import FingerprintMismatchError, ParseError, UnknownTemplateError, parse
from musforms.plan import render_followup, render_plan
from musforms.redact import redact
from musforms.render import RenderError, render
from musforms.roster import Roster, RosterError, RosterProblem, RosterRow, read_roster
from musforms.safety import Limits
from musforms.signing import IdentityError
from musforms.talk import render_talk
from musforms.template import Scale, ScalePoint, Section, Template, TemplateCompany
from musforms.text import TextRenderError
from musforms.values import NOT_RELEVANT, AgreementRow, Signature

__all__ = [
    "NOT_RELEVANT",
    "AgreementRow",
    "AgreementsField",
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
    "TemplateError",
    "TemplateInfo",
    "TemplateNotFoundError",
    "TextField",
    "TextRenderError",
    "UnknownTemplateError",
    "__version__",
    "build_packs",
    "check_template",
    "collect",
    "compare",
    "iter_packs",
    "list_templates",
    "load_invitation",
    "load_template",
    "load_template_text",
    "parse",
    "read_roster",
    "redact",
    "render",
    "render_followup",
    "render_plan",
    "render_talk",
    "write_summary",
]
