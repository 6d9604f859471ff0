"""``parse``: a completed .docx (or .xlsx) form read back into its identity, answers and issues."""

from __future__ import annotations

from collections.abc import Mapping

from musforms._core import safety
from musforms._core.binding import anchors
from musforms._core.package import Package, TemplateSource, check_identity, templates_by_id
from musforms._core.reading import answers_and_issues
from musforms._core.safety import DEFAULT_LIMITS, Limits, Source
from musforms._core.signing import SignedState, SigningKey, check_signature, key_bytes
from musforms._formats import file_format
from musforms._formats.interface import FileFormat
from musforms._loading.store import GivenTemplates, TemplateLookup
from musforms._model.answers import answer_kinds
from musforms._model.filled import FilledForm, FormIdentity, Issue
from musforms._model.template import Template
from musforms._text.form_facts import form_facts
from musforms._text.sandbox import text_scope
from musforms.errors import IdentityError

__all__ = ["Limits", "identified", "parse"]


def parse(
    source: Source,
    *,
    name: str | None = None,
    templates: GivenTemplates = None,
    lenient: bool = False,
    limits: Limits | None = None,
    signing_key: SigningKey | None = None,
    subject_id: str | None = None,
) -> FilledForm:
    """Read a completed form: bytes, a path or a binary file object; the format is found from the content.

    ``name`` is the file's name in every message (an upload's file name; default: the path, the stream's name,
    or ``<bytes>``).

    The template is found from the identity inside the file. With ``templates`` (templates, every version kept;
    a mapping of them by id; or a :class:`~musforms.TemplateLookup` such as a :class:`~musforms.TemplateStore`),
    only among them: the one of the form's id and version, whose fingerprint matches; a form of any other
    template is refused (:class:`~musforms.UnknownTemplateError`), for systems that read only the templates
    they know. Without, a built-in template, else the template the form carries (every form holds
    its resolved template), once its content is checked against the fingerprint in the form's identity: a
    template edited inside the file is refused (:class:`~musforms.IdentityError`). The result's
    ``template_source`` says which it was. A file made from another version of a given or built-in template
    is refused, unless ``lenient``, which reads it anyway and says so in an issue.

    The file is read within ``limits`` (:class:`Limits`; the defaults suit forms). With ``signing_key`` (the key
    the forms were rendered with), the identity's signature is checked and a missing or wrong one raises
    :class:`~musforms._core.signing.IdentityError`; ``subject_id`` is the employee the file is expected to be about
    (another one raises the same error). Every failure is a :class:`~musforms.MusformsError` with a ``code``.
    """
    limits = limits or DEFAULT_LIMITS
    if signing_key is not None:
        key_bytes(signing_key)  # a bad key is the caller's mistake: said before the file is read
    given = templates_by_id(templates)  # as are two different templates of one id and version
    data, name = safety.read_source(source, limits, name)
    safety.sniff(data, name)
    parser = safety.safe_parser()
    with safety.reading(limits):
        archive, names = safety.open_package(data, name, limits)
        with archive:
            kind = safety.package_kind(archive, names, name)
            with safety.guard(name):
                package = Package.open(archive, names, name, parser)
                form = _read(file_format(kind), package, given, lenient, signing_key, subject_id)
    return form


def _read(
    file: FileFormat,
    package: Package,
    templates: TemplateLookup | None,
    lenient: bool,
    signing_key: SigningKey | None,
    subject_id: str | None,
) -> FilledForm:
    """The form in ``package``: its identity (its signature checked before anything else is trusted), the
    template it names, and its answers and issues."""
    reader = file.reader(package)
    identity, context = reader.identity()
    template, source, extra, signed = identified(
        identity, package.properties, package.name, templates, lenient, signing_key, subject_id
    )
    with text_scope(identity.role, form_facts(template)):  # the form's texts as its render printed them
        found = reader.read(template, identity, context)
    inputs = anchors(template, identity.role, file.choices_as)
    answers, issues = answers_and_issues(template, identity.role, inputs, found, context)
    return FilledForm(
        **identity.model_dump(),
        format=file.name,
        context=context,
        answers=answers,
        kinds=answer_kinds(template, identity.role),
        issues=(*extra, *issues, *found.outside),
        signed=signed,
        template_source=source,
    )


def identified(
    identity: FormIdentity,
    properties: Mapping[str, str],
    name: str,
    templates: TemplateLookup | None,
    lenient: bool,
    signing_key: SigningKey | None,
    subject_id: str | None,
) -> tuple[Template, TemplateSource, list[Issue], SignedState]:
    """The template a form's identity names, checked as every form is (a Word or Excel file, a web form's
    submission): its signature first, then the employee expected, then the template and its fingerprint.
    Also the issue of a lenient read, and what the form's ``signed`` says."""
    signed = check_signature(identity, properties, signing_key, name)
    if subject_id is not None and identity.subject_id != subject_id:
        raise IdentityError(
            f"{name}: the form is about another employee than the one expected (its subject id differs)"
        )
    template, source, extra = check_identity(identity, templates, lenient, name, properties)
    return template, source, extra, signed
