"""collect at scale: work that grows linearly with the forms, a summary written as a stream, several processes
in a stable order, copies of one form (the filled beats the blank; differently filled copies are a reported
conflict), and where each agreement comes from."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import sys
import tracemalloc
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import musforms
from musforms._cli.main import main
from musforms._model.context import Context
from musforms._model.filled import FilledForm
from musforms._model.values import AgreementRow
from musforms._workflows.collect import CollectedFile, Collection, collect, write_summary
from musforms._workflows.copies import judge_copies
from musforms._workflows.plan import render_followup, render_plan
from musforms._workflows.summary import COLUMNS, summary_tables
from musforms._workflows.summary_xlsx import Chart, Sheet, write_workbook
from musforms._workflows.talk import render_talk

TEMPLATE = musforms.load_template("mus-scored-da")
TODAY = dt.date(2026, 10, 1)
RATINGS = [f.id for _s, f in TEMPLATE.iter_fields() if f.kind == "rating"]


def _context(i: int) -> Context:
    return Context.model_validate(
        {
            "employee": {"id": f"E{i:04d}", "name": f"Person {i}", "department": ["Service", "Lager"][i % 2]},
            "manager": {"id": "M1", "name": "Lars Holm"},
            "meeting": {"start": "2026-03-16T10:00", "place": "Mødelokale 2"},
        }
    )


def _form(i: int, role: str, answers: dict[str, Any], form_id: str | None = None) -> FilledForm:
    """A parsed form as parse makes it, without a file (for the tests that count work)."""
    everything: dict[str, Any] = dict.fromkeys((f.id for f in TEMPLATE.answer_fields(role)), None)  # type: ignore[arg-type]
    everything.update(answers)
    return FilledForm(
        template_id=TEMPLATE.id,
        template_version=TEMPLATE.version,
        fingerprint=TEMPLATE.fingerprint,
        role=role,  # type: ignore[arg-type]
        subject_id=f"E{i:04d}",
        form_id=form_id or f"{role}-{i}",
        format="docx",
        context=_context(i),
        answers=everything,
    )


def _round(employees: int) -> Collection:
    """A collection of both preparation forms of ``employees`` employees, as collect returns it."""
    collection = Collection(today=TODAY, templates={TEMPLATE.id: TEMPLATE})
    for i in range(employees):
        for role in ("employee", "manager"):
            answers: dict[str, Any] = {field_id: 1 + (i + k + len(role)) % 5 for k, field_id in enumerate(RATINGS)}
            answers["development_methods"] = ["course", "mentoring"]
            answers["agreements"] = [
                AgreementRow(action=f"=kursus {i}", owner="employee", deadline=dt.date(2026, 1, 15)),
                AgreementRow(action="Mentor", owner="manager", deadline=dt.date(2027, 1, 15)),
            ]
            collection.files.append(CollectedFile(f"forms/{i:04d}-{role}.docx", _form(i, role, answers)))
    collection.judge_copies()
    return collection


def _calls(work: Any) -> int:
    """How many Python and C functions ``work()`` calls (a count, the same on a fast machine or a slow one)."""
    count = [0]

    def profile(_frame: Any, event: str, _arg: Any) -> None:
        if event in ("call", "c_call"):
            count[0] += 1

    sys.setprofile(profile)
    try:
        work()
    finally:
        sys.setprofile(None)
    return count[0]


@pytest.mark.parametrize("suffix", ["xlsx", "csv", "json"])
def test_the_summary_takes_work_linear_in_the_forms(tmp_path: Path, suffix: str) -> None:
    """The quadratic trap: the summary of 1,000 forms took 96 s, reading the sheet back for every row. Counted
    here: twice as many forms more cost twice as much more work, not four times (no timing)."""
    out = tmp_path / f"summary.{suffix}"
    rounds = {n: _round(n) for n in (20, 40, 80)}
    write_summary(rounds[20], out)  # the first time fills caches: not counted
    calls = {n: _calls(lambda c=collection: write_summary(c, out)) for n, collection in rounds.items()}
    growth = (calls[80] - calls[40]) / (calls[40] - calls[20])
    assert 1.8 < growth < 2.2, calls


def test_judging_copies_takes_work_linear_in_the_forms() -> None:
    rounds = {n: _round(n) for n in (20, 40, 80)}
    calls = {n: _calls(collection.judge_copies) for n, collection in rounds.items()}
    growth = (calls[80] - calls[40]) / (calls[40] - calls[20])
    assert 1.8 < growth < 2.2, calls


def test_the_workbook_writer_reads_each_row_once_and_never_reads_a_sheet_back() -> None:
    produced: list[int] = []

    def rows(n: int) -> Iterator[dict[str, Any]]:
        for i in range(n):
            produced.append(i)
            yield {"a": i, "b": f"=text {i}", "c": i % 2 == 0, "d": None}

    buffer = io.BytesIO()
    write_workbook(buffer, [Sheet("first", ("a", "b", "c", "d"), rows(300)), Sheet("empty", ("x",), iter(()))])
    assert produced == list(range(300))  # a one-pass iterator, each row asked for once
    workbook = openpyxl.load_workbook(io.BytesIO(buffer.getvalue()))
    sheet = workbook["first"]
    assert [c.value for c in sheet[1]] == ["a", "b", "c", "d"] and sheet[1][0].font.b
    assert sheet.max_row == 301 and sheet["B301"].value == "=text 299" and sheet["B301"].data_type == "s"
    assert sheet["C2"].value is True and sheet["A301"].value == 299 and sheet.freeze_panes == "A2"
    assert [c.value for c in workbook["empty"][1]] == ["x"]


class _Sink(io.RawIOBase):
    """A stream that keeps nothing of what is written to it."""

    def writable(self) -> bool:
        return True

    def write(self, data: Any) -> int:
        return len(data)


def _peak(rows: int) -> int:
    def generated() -> Iterator[dict[str, Any]]:
        for i in range(rows):
            yield {"file": f"forms/{i:06d}-employee.docx", "read": True, "issues": i % 3, "note": "tekst " * 8}

    tracemalloc.start()
    try:
        write_workbook(_Sink(), [Sheet("files", ("file", "read", "issues", "note"), generated())])
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_the_workbook_writer_holds_no_more_memory_for_more_rows() -> None:
    """Flat memory: the Python objects alive at the peak are the same for 2,000 rows and for 20,000 (the
    output goes to the stream as it is made; here a stream that keeps nothing)."""
    small, large = _peak(2_000), _peak(20_000)
    assert large < small + 256 * 1024, (small, large)


@settings(max_examples=40, deadline=None)
@given(st.lists(st.text(max_size=60), min_size=1, max_size=20))
def test_text_is_written_as_text_whatever_it_holds(texts: list[str]) -> None:
    buffer = io.BytesIO()
    write_workbook(buffer, [Sheet("t", ("text",), ({"text": t} for t in texts))])
    with zipfile.ZipFile(buffer) as archive:
        xml = archive.read("xl/worksheets/sheet1.xml")
    assert b"<f>" not in xml and xml.count(b't="inlineStr"') == 1 + sum(1 for t in texts)
    from lxml import etree

    etree.fromstring(xml)  # well-formed, whatever the text held


def test_the_json_summary_is_laid_out_as_before(tmp_path: Path) -> None:
    collection = _round(3)
    write_summary(collection, tmp_path / "s.json")
    tables = {name: list(rows()) for name, rows in summary_tables(collection, collection.templates).items()}
    expected = json.dumps(tables, ensure_ascii=False, indent=2, default=str)
    assert (tmp_path / "s.json").read_text(encoding="utf-8") == expected
    write_summary(Collection(), tmp_path / "empty.json")
    assert json.loads((tmp_path / "empty.json").read_text(encoding="utf-8")) == {key: [] for key in COLUMNS}


def test_a_summary_that_cannot_be_written_leaves_the_old_one(tmp_path: Path) -> None:
    old = tmp_path / "s.xlsx"
    old.write_bytes(b"the old summary")
    collection = _round(2)

    def failing() -> Iterator[dict[str, Any]]:
        yield {"a": 1}
        raise RuntimeError("stop")

    import musforms._workflows.summary as summary

    original = summary.summary_tables
    summary.summary_tables = lambda c, t: {"files": failing}  # type: ignore[assignment,misc,return-value]
    try:
        with pytest.raises(RuntimeError):
            write_summary(collection, old)
    finally:
        summary.summary_tables = original
    assert old.read_bytes() == b"the old summary"
    assert [p.name for p in tmp_path.iterdir()] == ["s.xlsx"]


# -- several processes --------------------------------------------------------------------------------------


def _write_forms(folder: Path, employees: int) -> list[Path]:
    paths = []
    for i in range(employees):
        for role in ("employee", "manager"):
            fmt = "docx" if i % 2 else "xlsx"
            answers: dict[str, Any] = {"rate_quality": 1 + i % 5, "strengths": f"Tekst {i}"}
            if role == "manager":
                answers["agreements"] = [{"action": f"Kursus {i}", "owner": "employee", "deadline": "2026-05-01"}]
            path = folder / f"d{i % 3}" / f"{i:03d}-{role}.{fmt}"
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(musforms.render(TEMPLATE, fmt, role=role, context=_context(i), answers=answers))
            paths.append(path)
    (folder / "d0" / "broken.docx").write_bytes(b"PK\x03\x04 not a zip")
    return paths


def test_jobs_read_the_same_files_in_the_same_order(tmp_path: Path) -> None:
    _write_forms(tmp_path / "round", 5)
    seen: list[tuple[int, int, str]] = []
    one = collect(tmp_path / "round", today=TODAY)
    two = collect(tmp_path / "round", today=TODAY, jobs=2, progress=lambda d, t, f: seen.append((d, t, f.status)))
    assert [f.path for f in two.files] == [f.path for f in one.files] == sorted(f.path for f in one.files)
    assert [f.form for f in two.files] == [f.form for f in one.files]
    assert [f.error for f in two.files] == [f.error for f in one.files]
    assert [(d, t) for d, t, _ in seen] == [(i, 11) for i in range(1, 12)]
    assert sorted(s for *_, s in seen) == ["read"] * 10 + ["unread"]
    for suffix in ("json", "csv"):
        write_summary(one, tmp_path / f"one.{suffix}")
        write_summary(two, tmp_path / f"two.{suffix}")
        assert (tmp_path / f"one.{suffix}").read_bytes() == (tmp_path / f"two.{suffix}").read_bytes()


def test_the_cli_shows_progress_and_takes_jobs(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _write_forms(tmp_path / "round", 2)
    assert main(["collect", str(tmp_path / "round"), "-o", str(tmp_path / "s.xlsx"), "--jobs", "2"]) == 0
    out, err = capsys.readouterr()
    assert "5/5 files read" in err and "5 files, 4 forms read, 1 not read" in out

    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    terminal = Terminal()
    real, sys.stderr = sys.stderr, terminal
    try:
        assert main(["collect", str(tmp_path / "round"), "-o", str(tmp_path / "t.xlsx")]) == 0
    finally:
        sys.stderr = real
    assert "\r[" in terminal.getvalue() and "] 5/5 " in terminal.getvalue()
    capsys.readouterr()
    with pytest.raises(SystemExit):
        main(["collect", str(tmp_path / "round"), "-o", str(tmp_path / "u.xlsx"), "--jobs", "x"])
    assert main(["collect", str(tmp_path / "round"), "-o", str(tmp_path / "u.xlsx"), "--jobs", "0"]) == 1
    assert "--jobs takes" in capsys.readouterr().err


# -- copies of one form -----------------------------------------------------------------------------------


def _fill(path: Path, answers: dict[str, Any], fmt: str | None = None) -> None:
    """Fill a form of a pack in: the same form (its id, template, role and person) with answers."""
    blank = musforms.parse(path)
    data = musforms.render(
        TEMPLATE,
        fmt or blank.format,
        role=blank.role,
        context=blank.context,
        answers=answers,
        form_id=blank.form_id,
    )
    path.write_bytes(data)


def _pack(folder: Path, employees: int, previous: dict[str, Any] | None = None) -> list[Path]:
    rows = [
        {
            "employee_id": f"E{i}",
            "name": f"Person {i}",
            "department": "Service",
            "manager_name": "Lars Holm",
            "meeting_start": "2030-03-20 10:00",
        }
        for i in range(employees)
    ]
    report = musforms.build_packs(
        TEMPLATE, rows, folder, formats=("docx", "xlsx"), previous=previous, today=dt.date(2030, 3, 1)
    )
    assert report.ok
    return sorted(folder.rglob("*-medarbejder.docx")) + sorted(folder.rglob("*-leder.docx"))


def test_a_blank_copy_never_hides_the_filled_one(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The trap: after pack --format docx,xlsx with only the .docx forms filled, the comparisons and employees
    sheets showed no ratings and no gaps (the blank .xlsx copies won) and the summary said 0 issues."""
    docx = _pack(tmp_path / "packs", 3)
    for path in docx:
        employee = "medarbejder" in path.name
        _fill(path, {"rate_quality": 1 if employee else 4, "rate_safety": 3, "strengths": "Grundig"})
    collection = collect(tmp_path / "packs", today=TODAY)
    comparisons = collection.comparisons()
    assert len(comparisons) == 3
    for comparison in comparisons.values():
        quality = next(p for p in comparison.ratings if p.field_id == "rate_quality")
        assert (quality.employee, quality.manager, quality.gap, quality.flagged) == (1, 4, 3, True)
    forms = [f for f in collection.files if f.form is not None]
    assert {Path(f.path).suffix: f.copy for f in forms} == {".docx": "kept", ".xlsx": "blank"}
    assert all(f.used == (Path(f.path).suffix == ".docx") for f in forms)
    assert all(len(f.copies) == 1 and f.copies[0].endswith(".xlsx") for f in forms if f.path.endswith(".docx"))
    assert collection.conflicts == [] and collection.issues() == []
    ratings = {r["field_id"]: r for r in collection.department_ratings(collection.templates)}
    assert ratings["rate_quality"]["employee_n"] == 3 and ratings["rate_quality"]["employee_average"] == 1.0

    assert main(["collect", str(tmp_path / "packs"), "-o", str(tmp_path / "s.xlsx"), "--today", "2026-10-01"]) == 0
    out = capsys.readouterr().out
    assert "12 forms read" in out and "6 blank or repeated copies not counted" in out and "conflict" not in out
    workbook = openpyxl.load_workbook(tmp_path / "s.xlsx")
    employees = list(workbook["employees"].iter_rows(min_row=2, values_only=True))
    assert [(row[3], row[4]) for row in employees] == [(1, 3)] * 3  # flagged items, largest gap
    gaps = [row for row in workbook["comparisons"].iter_rows(min_row=2, values_only=True) if row[1] == "rate_quality"]
    assert [row[5] for row in gaps] == [3, 3, 3]
    files = {row[0]: row for row in workbook["files"].iter_rows(min_row=2, values_only=True)}
    assert {row[7] for name, row in files.items() if name.endswith(".xlsx")} == {"blank"}


def test_a_carried_over_blank_copy_is_still_blank(tmp_path: Path) -> None:
    """A pack with last year's agreements prefills both copies' status tables: the copy left as it came is
    blank even where the filled copy changed the status of an agreement."""
    last_year = {"agreements": [{"action": "KNX-kursus", "owner": "employee", "deadline": "2029-06-01"}]}
    _pack(tmp_path / "packs", 1, previous={"E0": last_year})
    (employee_docx,) = (tmp_path / "packs").rglob("*-medarbejder.docx")
    status = [{"action": "KNX-kursus", "owner": "employee", "status": "done", "comment": "Bestået"}]
    _fill(employee_docx, {"previous_agreements_status": status, "rate_quality": 3})
    collection = collect(tmp_path / "packs", today=TODAY)
    by_name = {Path(f.path).name: f for f in collection.files if f.form is not None}
    assert by_name["3-forberedelse-medarbejder.docx"].copy == "kept"
    assert by_name["3-forberedelse-medarbejder.xlsx"].copy == "blank"
    assert collection.conflicts == []


def test_differently_filled_copies_are_a_reported_conflict_and_both_kept(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _pack(tmp_path / "packs", 1)
    (docx,) = (tmp_path / "packs").rglob("*-medarbejder.docx")
    (xlsx,) = (tmp_path / "packs").rglob("*-medarbejder.xlsx")
    _fill(docx, {"rate_quality": 2, "strengths": "Grundig", "goals": "KNX"})
    _fill(xlsx, {"rate_quality": 5, "strengths": "Grundig"})
    collection = collect(tmp_path / "packs", today=TODAY)
    conflict = collection.conflicts
    assert [Path(f.path).name for f in conflict] == [
        "3-forberedelse-medarbejder.docx",
        "3-forberedelse-medarbejder.xlsx",
    ]
    assert all(f.form is not None for f in conflict) and len(collection.forms) == 4
    assert [f.used for f in conflict] == [True, False]  # the one with more answers counts
    assert all(f.differs == ("goals", "rate_quality") for f in conflict)
    issues = [i for i in collection.issues() if i["code"] == "collect.conflict"]
    assert [Path(i["file"]).name for i in issues] == [Path(f.path).name for f in conflict]
    assert all("goals, rate_quality" in i["message"] and i["severity"] == "error" for i in issues)
    assert str(xlsx) in issues[0]["message"] and str(docx) in issues[1]["message"]

    code = main(["collect", str(tmp_path / "packs"), "-o", str(tmp_path / "s.json"), "--strict"])
    out, err = capsys.readouterr()
    assert code == 1 and "2 copies in conflict" in out
    assert f"{xlsx}: filled differently from another copy of the same form: {docx}" in err
    files = {Path(row["file"]).name: row for row in json.loads((tmp_path / "s.json").read_text())["files"]}
    assert files["3-forberedelse-medarbejder.xlsx"]["copy"] == "conflict"
    assert files["3-forberedelse-medarbejder.xlsx"]["other_copies"] == str(docx)


ANSWER = st.fixed_dictionaries(
    {},
    optional={
        "rate_quality": st.integers(1, 5),
        "strengths": st.sampled_from(["Grundig", "Hurtig"]),
        "development_methods": st.sampled_from([["course"], ["course", "mentoring"]]),
    },
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(ANSWER, min_size=2, max_size=4))
def test_copies_one_counts_a_blank_never_beats_the_filled_and_differences_conflict(
    copies: list[dict[str, Any]],
) -> None:
    forms = [_form(1, "employee", answers, form_id="same") for answers in copies]
    verdicts = judge_copies(forms, {TEMPLATE.id: TEMPLATE})
    assert all(v is not None for v in verdicts)
    used = [i for i, v in enumerate(verdicts) if v is not None and v.used]
    assert len(used) == 1  # every form counts once
    standing = [i for i, v in enumerate(verdicts) if v is not None and v.status in ("kept", "conflict")]
    for i, answers in enumerate(copies):
        verdict = verdicts[i]
        assert verdict is not None and sorted(verdict.others) == [j for j in range(len(copies)) if j != i]
        if not answers and any(copies):
            assert verdict.status == "blank" and not verdict.used
        # all it holds is in another copy that holds more, or in an equal copy that comes first
        held_elsewhere = any(
            j != i and all(copies[j].get(k) == v for k, v in answers.items()) and (copies[j] != answers or j < i)
            for j in range(len(copies))
        )
        assert (verdict.status in ("blank", "contained")) == held_elsewhere and (i in standing) != held_elsewhere
    distinct = {json.dumps(c, sort_keys=True) for c in copies}
    if len(standing) > 1:
        assert all(verdicts[i].status == "conflict" for i in standing)  # type: ignore[union-attr]
        assert len(distinct) > 1
    # the copy counted has the most answers of those standing
    assert len(copies[used[0]]) == max(len(copies[i]) for i in standing)


def test_copies_are_found_by_form_id_or_by_employee_role_and_template() -> None:
    a = _form(1, "employee", {"rate_quality": 2}, form_id="x")
    b = _form(1, "employee", {}, form_id="y")  # the same employee, role and template
    c = _form(2, "employee", {}, form_id="x")  # the same form id
    d = _form(3, "employee", {"rate_quality": 4}, form_id="z")  # another employee's own form
    e = _form(1, "manager", {}, form_id="m")  # the manager's form of employee 1
    verdicts = judge_copies([a, b, c, d, e, None], {TEMPLATE.id: TEMPLATE})
    assert [v.status if v else None for v in verdicts] == ["kept", "blank", "blank", None, None, None]
    assert verdicts[0] is not None and verdicts[0].others == (1, 2)


# -- where agreements come from ---------------------------------------------------------------------------


def _rendered(folder: Path, name: str, data: bytes) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_bytes(data)


def test_each_agreement_says_which_document_it_comes_from(tmp_path: Path) -> None:
    """The trap: only the manager's form's agreements were counted, and the summary did not say from where.
    Per employee the first document that holds agreements counts: follow-up, plan, manager's form, employee's."""
    row = {"action": "KNX-kursus", "owner": "employee", "deadline": "2026-06-01"}
    for i in range(4):
        context = _context(i)
        employee = {"rate_quality": 3, "agreements": [{"action": f"Ønske {i}", "owner": "employee"}]}
        manager = {"rate_quality": 4, "agreements": [row] if i >= 1 else []}
        folder = tmp_path / f"e{i}"
        e_data = musforms.render(TEMPLATE, "docx", role="employee", context=context, answers=employee)
        m_data = musforms.render(TEMPLATE, "docx", role="manager", context=context, answers=manager)
        _rendered(folder, "1-employee.docx", e_data)
        _rendered(folder, "2-manager.docx", m_data)
        e_form, m_form = musforms.parse(e_data), musforms.parse(m_data)
        _rendered(folder, "3-talk.docx", render_talk(TEMPLATE, e_form, m_form))
        if i >= 2:
            plan = render_plan(context, e_form, m_form)
            _rendered(folder, "4-plan.docx", plan)
        if i >= 3:
            _rendered(folder, "5-followup.docx", render_followup(context, musforms.parse(plan)))
    collection = collect(tmp_path, today=TODAY)
    assert sorted(Path(f.path).name for f in collection.files if f.skipped) == ["3-talk.docx"] * 4
    found = {
        (a["employee_id"], a["source"], Path(a["file"]).name, a["field_id"], a["action"])
        for a in collection.agreements()
    }
    assert found == {
        ("E0000", "employee's preparation form", "1-employee.docx", "agreements", "Ønske 0"),
        ("E0001", "manager's preparation form", "2-manager.docx", "agreements", "KNX-kursus"),
        ("E0002", "development plan", "4-plan.docx", "agreements", "KNX-kursus"),
        ("E0003", "follow-up", "5-followup.docx", "agreements", "KNX-kursus"),
    }
    write_summary(collection, tmp_path / "s.csv")
    rows = [
        r
        for r in csv.DictReader(io.StringIO((tmp_path / "s.csv").read_text(encoding="utf-8")))
        if r["table"] == "agreements"
    ]
    assert {r["source"] for r in rows} == {a[1] for a in found} and all(r["file"] for r in rows)
    assert {
        r["employee_id"]: r["agreements"]
        for r in csv.DictReader(io.StringIO((tmp_path / "s.csv").read_text()))
        if r["table"] == "employees"
    } == {"E0000": "1", "E0001": "1", "E0002": "1", "E0003": "1"}


def test_the_chart_names_the_rows_it_shows(tmp_path: Path) -> None:
    rows = [{"label": f"item {i}", "a": i, "b": i + 1} for i in range(50)]
    chart = Chart("Title", "average", "label", ("a", "b"), most=40, anchor="N2")
    buffer = io.BytesIO()
    write_workbook(buffer, [Sheet("data's", ("label", "a", "b"), iter(rows), chart)])
    with zipfile.ZipFile(buffer) as archive:
        xml = archive.read("xl/charts/chart1.xml").decode()
        assert "'data''s'!$A$2:$A$41" in xml and "'data''s'!$C$1" in xml
        assert archive.read("xl/worksheets/_rels/sheet1.xml.rels").count(b"drawing1.xml") == 1
    assert len(openpyxl.load_workbook(io.BytesIO(buffer.getvalue()))["data's"]._charts) == 1
