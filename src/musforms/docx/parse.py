"""Parse a completed Word form into answers and issues, against the layout it was rendered from."""

from __future__ import annotations

import difflib
from typing import Any

from lxml import etree

from musforms.codec import decode
from musforms.context import Context
from musforms.docx.layout import Anchor, Stamp, compile_layout
from musforms.docx.reader import Block, DocumentView, cell_text, read_date, read_tick, read_view
from musforms.docx.skeleton import skeleton
from musforms.fields import CheckField
from musforms.filled import FilledForm, FormIdentity, Issue, Location
from musforms.template import Template

__all__ = ["parse_document"]

PART = "word/document.xml"


def _body(xml: bytes, parser: etree.XMLParser) -> etree._Element:
    root = etree.fromstring(xml, parser)
    body = root.find(f"{{{root.nsmap.get('w', '')}}}body") if root.nsmap.get("w") else None
    if body is None:
        from musforms.docx.ooxml import W

        body = root.find(f"{{{W}}}body")
    if body is None:
        raise ValueError("word/document.xml has no body")
    return body


def _expected_view(
    template: Template, role: str, context: Context, identity: FormIdentity, parser: etree.XMLParser
) -> DocumentView:
    layout = compile_layout(template, role)  # type: ignore[arg-type]
    sk = skeleton()
    xml = sk.document_head + layout.body(Stamp(context=context, values={}, identity=identity)) + sk.document_tail
    return read_view(_body(xml.encode("utf-8"), parser), layout.anchors)


def _location(block: Block, anchor: str | None = None) -> Location:
    return Location(part=PART, where=block.where, anchor=anchor)


def parse_document(
    document_xml: bytes,
    template: Template,
    identity: FormIdentity,
    context: Context | None,
    parser: etree.XMLParser,
    extra_issues: list[Issue],
) -> FilledForm:
    """The answers and issues of a Word form whose identity is known."""
    role = identity.role
    layout = compile_layout(template, role)
    actual = read_view(_body(document_xml, parser), layout.anchors)
    expected = _expected_view(template, role, context or _placeholder_context(), identity, parser)
    positions = {name: block.position for name, block in expected.by_anchor.items()}
    issues = list(extra_issues)

    # Position fallback: a cell at an anchor's place that no anchor claimed.
    claimed = {id(block) for block in actual.by_anchor.values()}
    for name, position in positions.items():
        if name in actual.by_anchor or position is None:
            continue
        block = actual.cells.get(position)
        if block is not None and id(block) not in claimed:
            actual.by_anchor[name] = block
            claimed.add(id(block))
            if not block.anchors:
                block.anchors.append(name)
                block.text = ""

    found: dict[str, dict[str, str | bool]] = {}
    where: dict[str, Block] = {}
    stray: dict[str, list[tuple[str, Block]]] = {}
    missing: dict[str, list[str]] = {}
    for name, anchor in layout.anchors.items():
        block = actual.by_anchor.get(name)
        if block is None:
            missing.setdefault(anchor.field_id, []).append(name)
            continue
        where.setdefault(anchor.field_id, block)
        found.setdefault(anchor.field_id, {})[anchor.spec.part] = _read(anchor, block, stray)

    answers: dict[str, Any] = {}
    for field in template.answer_fields(role):
        label = getattr(field, "label", None)
        if field.id in missing and field.id not in found:
            issues.append(
                Issue(
                    code="field.missing",
                    message=f"the input of '{field.id}' was not found in the file",
                    field_id=field.id,
                    label=label,
                    location=Location(part=PART, where="not found", anchor=missing[field.id][0]),
                )
            )
            answers[field.id] = False if isinstance(field, CheckField) else None
            continue
        decoded = decode(template, field, found.get(field.id, {}))
        answers[field.id] = decoded.value
        block = where.get(field.id)
        for code, message, raw in decoded.problems:
            issues.append(
                Issue(
                    code=code,
                    message=message,
                    field_id=field.id,
                    label=label,
                    raw=raw,  # type: ignore[arg-type]
                    location=_location(block) if block else None,
                )
            )
        for text, cell in stray.get(field.id, []):
            issues.append(
                Issue(
                    code="value.invalid",
                    message="text written in a tick box cell; tick the box instead",
                    field_id=field.id,
                    label=label,
                    raw=text,
                    location=_location(cell),
                )
            )
        if field.required and decoded.value in (None, [], False) and not decoded.problems:
            issues.append(
                Issue(
                    code="field.required",
                    message="a required field is empty",
                    field_id=field.id,
                    label=label,
                    severity="warning",
                    location=_location(block) if block else None,
                )
            )

    issues.extend(_unmapped(expected, actual))
    return FilledForm(
        template_id=identity.template_id,
        template_version=identity.template_version,
        fingerprint=identity.fingerprint,
        role=identity.role,
        subject_id=identity.subject_id,
        form_id=identity.form_id,
        format="docx",
        answers=answers,
        issues=tuple(issues),
    )


def _read(anchor: Anchor, block: Block, stray: dict[str, list[tuple[str, Block]]]) -> str | bool:
    kind = anchor.spec.kind
    if kind == "tick":
        ticked, extra = read_tick(block.element)
        if extra:
            stray.setdefault(anchor.field_id, []).append((extra, block))
        return ticked
    if kind == "date":
        return read_date(block.element)
    return cell_text(block.element)


def _unmapped(expected: DocumentView, actual: DocumentView) -> list[Issue]:
    """Text in the file that is neither printed by the form nor inside an input: reported, never dropped."""
    want = [_norm(b.text) for b in expected.blocks if not b.anchors]
    have_blocks = [b for b in actual.blocks if not b.anchors]
    have = [_norm(b.text) for b in have_blocks]
    issues: list[Issue] = []
    matcher = difflib.SequenceMatcher(a=want, b=have, autojunk=False)
    for op, _a1, _a2, b1, b2 in matcher.get_opcodes():
        if op == "equal":
            continue
        for block in have_blocks[b1:b2]:
            if not block.text.strip():
                continue
            issues.append(
                Issue(
                    code="content.unmapped",
                    message="text outside any field of the form",
                    raw=block.text,
                    location=_location(block),
                    severity="warning",
                )
            )
    return issues


def _norm(text: str) -> str:
    return " ".join(text.split())


def _placeholder_context() -> Context:
    return Context.model_validate({"employee": {"name": "?"}})
