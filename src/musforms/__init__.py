"""musforms: MUS (medarbejderudviklingssamtale) forms as typed templates, rendered to Word and Excel and
parsed back into validated data."""

from musforms._version import __version__
from musforms.builtins import TemplateInfo, list_templates
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
from musforms.render import RenderError, render
from musforms.roster import Roster, RosterError, RosterProblem, RosterRow, read_roster
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
    "Company",
    "Context",
    "DateField",
    "FilledForm",
    "FingerprintMismatchError",
    "FormField",
    "FormIdentity",
    "InfoField",
    "Invitation",
    "Issue",
    "Location",
    "Meeting",
    "MusformsError",
    "NotAFormError",
    "PackReport",
    "ParseError",
    "Person",
    "Problem",
    "RatingField",
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
    "iter_packs",
    "list_templates",
    "load_invitation",
    "load_template",
    "load_template_text",
    "parse",
    "read_roster",
    "render",
]
