"""Schema order: in every part of every Word document musforms writes, the children of each property container
(``w:pPr``, ``w:rPr``, ``w:tblPr``, ``w:trPr``, ``w:tcPr``, ``w:sdtPr``, ``w:sectPr``) come in the order the
ECMA-376 schemas give them (wml.xsd: ``CT_PPrBase``/``CT_PPr``, ``EG_RPrBase``, ``CT_TblPrBase``,
``CT_TrPrBase``, ``CT_TcPrBase``, ``CT_SdtPr``, ``CT_SectPr``/``EG_SectPrContents``), as do a style's
(``CT_Style``) and the styles part's; a paragraph, run, table, row, cell and content control start with their
properties. Word is stricter than LibreOffice here and may "repair" a file whose properties are out of order.

``EG_RPrBase`` and ``CT_TrPrBase`` are choices in the transitional schema and sequences in the strict one; the
order held is the sequence's (the order Word writes them in). A child outside the known sequence fails too, so a
new property is placed in the list (and in order) on purpose.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from lxml import etree

import musforms

from .test_accessibility import CONTEXT, documents

FILLED = {
    "employee": {
        "rate_quality": 2,
        "rate_customer_service": "not_relevant",
        "strengths": 'Grundig\n\n  og   omhyggelig\tmed <tegn> & "citater"',
        "goals": "Lære KNX",
    },
    "manager": {
        "rate_quality": 4,
        "strengths": "Stabil",
        "agreements": [
            {"action": "KNX-kursus", "owner": "employee", "deadline": "2026-06-01", "method": "course"},
            {"action": "Mentor", "owner": "manager"},
        ],
    },
}
"""Answers a form is rendered with: ticked boxes, picked choices, dates and text (the filled controls)."""

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
W14 = "http://schemas.microsoft.com/office/word/2010/wordml"
_PREFIX = {W: "w", W14: "w14"}


def _names(text: str) -> list[str]:
    """The element names of a sequence, written as one string."""
    return text.split()


_PPR_BASE = _names(
    "pStyle keepNext keepLines pageBreakBefore framePr widowControl numPr suppressLineNumbers pBdr shd tabs"
    " suppressAutoHyphens kinsoku wordWrap overflowPunct topLinePunct autoSpaceDE autoSpaceDN bidi adjustRightInd"
    " snapToGrid spacing ind contextualSpacing mirrorIndents suppressOverlap jc textDirection textAlignment"
    " textboxTightWrap outlineLvl divId cnfStyle"
)
_RPR = _names(
    "ins del moveFrom moveTo"  # CT_ParaRPr's track changes come first
    " rStyle rFonts b bCs i iCs caps smallCaps strike dstrike outline shadow emboss imprint noProof snapToGrid"
    " vanish webHidden color spacing w kern position sz szCs highlight u effect bdr shd fitText vertAlign rtl cs"
    " em lang eastAsianLayout specVanish oMath rPrChange"
)
_SDT_TYPES = _names(
    "equation comboBox date docPartObj docPartList dropDownList picture richText text citation group bibliography"
)

ORDER: dict[str, list[list[str]]] = {
    # Each entry: the sequence as ranks; the names within one rank may come in any order among themselves.
    "w:pPr": [[name] for name in _PPR_BASE] + [["w:rPr"], ["w:sectPr"], ["w:pPrChange"]],
    "w:rPr": [[name] for name in _RPR],
    "w:tblPr": [
        [name]
        for name in _names(
            "tblStyle tblpPr tblOverlap bidiVisual tblStyleRowBandSize tblStyleColBandSize tblW jc tblCellSpacing"
            " tblInd tblBorders shd tblLayout tblCellMar tblLook tblCaption tblDescription tblPrChange"
        )
    ],
    "w:trPr": [
        [name]
        for name in _names(
            "cnfStyle divId gridBefore gridAfter wBefore wAfter cantSplit trHeight tblHeader tblCellSpacing jc"
            " hidden ins del trPrChange"
        )
    ],
    "w:tcPr": [
        [name]
        for name in _names(
            "cnfStyle tcW gridSpan hMerge vMerge tcBorders shd noWrap tcMar textDirection tcFitText vAlign hideMark"
            " headers cellIns cellDel cellMerge tcPrChange"
        )
    ],
    "w:sdtPr": [
        [name]
        for name in _names("rPr alias tag id lock placeholder temporary showingPlcHdr dataBinding label tabIndex")
    ]
    + [[*_SDT_TYPES, "w14:checkbox"]],
    "w:sectPr": [["headerReference", "footerReference"]]
    + [
        [name]
        for name in _names(
            "footnotePr endnotePr type pgSz pgMar paperSrc pgBorders lnNumType pgNumType cols formProt vAlign"
            " noEndnote titlePg textDirection bidi rtlGutter docGrid printerSettings sectPrChange"
        )
    ],
    "w:style": [
        [name]
        for name in _names(
            "name aliases basedOn next link autoRedefine hidden uiPriority semiHidden unhideWhenUsed qFormat locked"
            " personal personalCompose personalReply rsid pPr rPr tblPr trPr tcPr tblStylePr"
        )
    ],
    "w:styles": [["docDefaults"], ["latentStyles"], ["style"]],
}
REPEATED = {
    ("w:styles", "style"),
    ("w:style", "tblStylePr"),
    ("w:sectPr", "headerReference"),
    ("w:sectPr", "footerReference"),
}
"""Children a container may hold more than once."""

LEADING: dict[str, list[str]] = {
    # The properties that come first, in this order, before anything else the element holds.
    "w:p": ["pPr"],
    "w:r": ["rPr"],
    "w:tbl": ["tblPr", "tblGrid"],
    "w:tr": ["tblPrEx", "trPr"],
    "w:tc": ["tcPr"],
    "w:sdt": ["sdtPr", "sdtEndPr", "sdtContent"],
}


def _name(element: etree._Element) -> str:
    qname = etree.QName(element)
    prefix = _PREFIX.get(qname.namespace or "", "?")
    return qname.localname if prefix == "w" else f"{prefix}:{qname.localname}"


def _ranks(container: str) -> dict[str, int]:
    ranks: dict[str, int] = {}
    for rank, names in enumerate(ORDER[container]):
        for name in names:
            ranks[name.removeprefix("w:")] = rank
    return ranks


RANKS = {container: _ranks(container) for container in ORDER}


def order_problems(xml: bytes, part: str = "") -> list[str]:
    """Every element in ``xml`` whose children are out of schema order (or, in a property container, outside its
    sequence), said with the part, the element and its children."""
    root = etree.fromstring(xml)
    problems = []
    for container, ranks in RANKS.items():
        for element in root.iter(f"{{{W}}}{container.removeprefix('w:')}"):
            children = [_name(child) for child in element if isinstance(child.tag, str)]
            unknown = [name for name in children if name not in ranks]
            order = [ranks[name] for name in children if name in ranks]
            once = [name for name in children if (container, name) not in REPEATED]
            if unknown:
                problems.append(f"{part}: {container} holds {unknown} (not in its sequence): {children}")
            elif order != sorted(order) or len(set(once)) != len(once):
                problems.append(f"{part}: {container} children out of schema order: {children}")
    for container, first in LEADING.items():
        for element in root.iter(f"{{{W}}}{container.removeprefix('w:')}"):
            children = [_name(child) for child in element if isinstance(child.tag, str)]
            order = [first.index(name) if name in first else len(first) for name in children]
            leading = [name for name in children if name in first]
            if order != sorted(order) or len(set(leading)) != len(leading):
                problems.append(f"{part}: {container} children out of schema order: {children}")
    return problems


def _fragment(ppr: str) -> bytes:
    return f'<w:p xmlns:w="{W}"><w:pPr>{ppr}</w:pPr></w:p>'.encode()


# -- the check itself ------------------------------------------------------------------------------


def test_tabs_before_style_is_found() -> None:
    """The known defect: a header paragraph's tab stops before its style."""
    tabs = '<w:tabs><w:tab w:val="right" w:pos="9638"/></w:tabs>'
    wrong = order_problems(_fragment(tabs + '<w:pStyle w:val="Header"/>'), "header1.xml")
    assert wrong == ["header1.xml: w:pPr children out of schema order: ['tabs', 'pStyle']"]
    assert order_problems(_fragment('<w:pStyle w:val="Header"/>' + tabs)) == []


@pytest.mark.parametrize(
    ("xml", "found"),
    [
        ('<w:pPr><w:jc w:val="left"/><w:spacing w:after="0"/></w:pPr>', "out of schema order"),
        ("<w:r><w:rPr><w:sz w:val='20'/><w:b/></w:rPr></w:r>", "out of schema order"),
        ('<w:tblPr><w:tblW w:w="0" w:type="auto"/><w:tblStyle w:val="T"/></w:tblPr>', "out of schema order"),
        ("<w:trPr><w:tblHeader/><w:cantSplit/></w:trPr>", "out of schema order"),
        ('<w:tcPr><w:vAlign w:val="top"/><w:tcW w:w="1" w:type="dxa"/></w:tcPr>', "out of schema order"),
        ('<w:sdtPr><w:tag w:val="t"/><w:alias w:val="a"/></w:sdtPr>', "out of schema order"),
        ("<w:sdtPr><w:dropDownList/><w:showingPlcHdr/></w:sdtPr>", "out of schema order"),
        ('<w:sectPr><w:pgMar w:top="1"/><w:pgSz w:w="1"/></w:sectPr>', "out of schema order"),
        ('<w:sectPr><w:pgSz w:w="1"/><w:footerReference w:type="default"/></w:sectPr>', "out of schema order"),
        ("<w:pPr><w:keepNext/><w:keepNext/></w:pPr>", "out of schema order"),
        ("<w:pPr><w:bogus/></w:pPr>", "not in its sequence"),
        ("<w:p><w:r/><w:pPr/></w:p>", "out of schema order"),
        ("<w:r><w:t>x</w:t><w:rPr/></w:r>", "out of schema order"),
        ("<w:tbl><w:tblGrid/><w:tblPr/></w:tbl>", "out of schema order"),
        ("<w:tc><w:p/><w:tcPr/></w:tc>", "out of schema order"),
        ("<w:sdt><w:sdtContent/><w:sdtPr/></w:sdt>", "out of schema order"),
        ('<w:style><w:pPr/><w:name w:val="n"/></w:style>', "out of schema order"),
        ("<w:styles><w:style/><w:docDefaults/></w:styles>", "out of schema order"),
    ],
)
def test_each_container_is_checked(xml: str, found: str) -> None:
    problems = order_problems(f'<w:body xmlns:w="{W}">{xml}</w:body>'.encode())
    assert len(problems) == 1 and found in problems[0]


def test_a_control_in_order_passes() -> None:
    sdt = (
        f'<w:sdt xmlns:w="{W}" xmlns:w14="{W14}"><w:sdtPr><w:alias w:val="a"/><w:tag w:val="t"/><w:showingPlcHdr/>'
        '<w14:checkbox/></w:sdtPr><w:sdtContent><w:r><w:rPr><w:rStyle w:val="MFBox"/><w:sz w:val="20"/></w:rPr>'
        "</w:r></w:sdtContent></w:sdt>"
    )
    assert order_problems(sdt.encode()) == []


# -- every Word document ---------------------------------------------------------------------------


def test_every_part_of_every_document_is_in_schema_order(tmp_path: Path) -> None:
    checked: set[str] = set()
    problems: list[str] = []
    template = musforms.load_template("mus-scored-da")
    filled = [
        (f"mus-scored-da-{role}-filled", musforms.render(template, "docx", role=role, context=CONTEXT, answers=answers))
        for role, answers in FILLED.items()
    ]
    for name_of_doc, data in [*((doc.name, doc.data) for doc in documents(tmp_path)), *filled]:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            for name in z.namelist():
                if name.endswith(".xml") and name.startswith("word/"):
                    problems += order_problems(z.read(name), f"{name_of_doc} {name}")
                    checked.add(name.rsplit("/", 1)[-1])
    assert problems == []
    assert {"document.xml", "styles.xml", "header1.xml", "footer1.xml", "numbering.xml", "settings.xml"} <= checked
