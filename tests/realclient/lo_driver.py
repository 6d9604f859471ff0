#!/usr/bin/python3
"""Fill a .docx/.xlsx in a running LibreOffice the way a person would, then save it (run with a uno python).

Run with Debian's /usr/bin/python3 (the only interpreter here that imports ``uno``), never from pytest:

    /usr/bin/python3 lo_driver.py --pipe NAME --in IN --out OUT --actions ACTIONS.json
    /usr/bin/python3 lo_driver.py --pipe NAME --jobs JOBS.json      # [{"in", "out", "actions", ...}, ...]
    /usr/bin/python3 lo_driver.py --pipe NAME --probe               # exit 0 once the listener answers

The listener is started separately (see harness.py):
    soffice -env:UserInstallation=file:///tmp/PROFILE --headless --invisible --nologo --norestore \
        --nodefault --nolockcheck "--accept=pipe,name=NAME;urp;StarOffice.ComponentContext"

How Writer is driven (what a person does, not what the document model allows):
- the document is opened in a (headless) window, not hidden;
- a click on a content control is a real mouse click: XToolkitRobot press/release posted to the document
  window at the pixel position of the control's first character (found through the accessibility tree),
  so LibreOffice runs its own click handling (select the placeholder, toggle a checkbox);
- typing is real keyboard input: the UITest service sends one KeyInput per character to the edit window
  (AutoCorrect and word completion apply when the job has "autocorrect": true); "\\n" is Enter,
  "\\v" is Shift+Enter, "\\t" is Tab.
Calc cannot be shown in a window by this headless 7.4 (it aborts), so Calc jobs use the view's
dispatcher on a hidden document: .uno:GoToCell then .uno:EnterString, which goes through the view's
EnterData (sheet protection and number recognition apply; list validation does NOT).

Writer actions (a bookmark names the input cell; the input is the first content control after the
bookmark in that cell, or the cell itself):
  {"op": "type", "bookmark": B, "text": T}          click into the input and type T
  {"op": "replace_placeholder", "bookmark": B, "text": T}  same, but fail unless a placeholder is showing
  {"op": "click", "bookmark": B}                     one mouse click on the control
  {"op": "check"|"uncheck", "bookmark": B}          click the checkbox control if its state differs
  {"op": "pick", "bookmark": B, "item": I}          dropdown: click, then type the item's display text
  {"op": "date", "bookmark": B, "text": "2026-03-15", "via": "keyboard"|"picker"}
  {"op": "type_outside", "bookmark": B, "text": T}  click at the end of the cell (after the control), type
  {"op": "type_after_table", "bookmark": B, "text": T}  new paragraph right after the bookmark's table
  {"op": "type_at_end", "text": T}                  new paragraph at the end of the document
  {"op": "key", "key": "RETURN"|"SHIFT+RETURN"|...} one raw key press
Calc actions: {"op": "type", "name": N | "cell": "Sheet!B7", "text": T}, {"op": "pick", ..., "item": I}
  (add "expect": "refused" to a type on a locked cell of a protected sheet to check it is refused).

Output: one JSON line on stdout, a list of {"in", "out", "ok", "error", "seconds", "notes"}.
Exit status: 0 all jobs ok; 2 a job failed (e.g. a bookmark/name not found; message on stderr);
3 LibreOffice could not be reached or died during a job.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import re
import sys
import time
from pathlib import Path

import uno
from com.sun.star.awt import MouseEvent
from com.sun.star.beans import PropertyValue
from com.sun.star.connection import NoConnectException
from com.sun.star.lang import DisposedException

WRITER_FILTERS = {
    ".docx": "MS Word 2007 XML",
    ".odt": "writer8",
    ".pdf": "writer_pdf_Export",
    ".png": "writer_png_Export",
}
DOUBLE_CLICK_SECONDS = 0.6  # VCL's default double-click time is 500 ms
CLICK_SLOP = 4  # px: two presses nearer than this (and within the time) may count as one double click
CALC_FILTERS = {".xlsx": "Calc MS Excel 2007 XML", ".ods": "calc8", ".pdf": "calc_pdf_Export"}
ROLE_PARAGRAPH = 41  # com.sun.star.accessibility.AccessibleRole.PARAGRAPH


class ActionError(Exception):
    """The job cannot be done as asked (missing bookmark, wrong control kind, ...): exit status 2."""


class OfficeGoneError(Exception):
    """The listener is not there or died: exit status 3."""


def props(**values: object) -> tuple[PropertyValue, ...]:
    out = []
    for name, value in values.items():
        p = PropertyValue()
        p.Name, p.Value = name, value
        out.append(p)
    return tuple(out)


class Office:
    def __init__(self, pipe: str, timeout: float = 0.0) -> None:
        local = uno.getComponentContext()
        resolver = local.ServiceManager.createInstanceWithContext("com.sun.star.bridge.UnoUrlResolver", local)
        deadline = time.monotonic() + timeout
        while True:
            try:
                self.ctx = resolver.resolve(f"uno:pipe,name={pipe};urp;StarOffice.ComponentContext")
                break
            except NoConnectException as exc:
                if time.monotonic() >= deadline:
                    raise OfficeGoneError(f"no LibreOffice listener on pipe {pipe!r}") from exc
                time.sleep(0.1)
        self.smgr = self.ctx.ServiceManager
        self.desktop = self.create("com.sun.star.frame.Desktop")
        self.toolkit = self.create("com.sun.star.awt.Toolkit")
        self.uitest = self.create("org.libreoffice.uitest.UITest")
        self.dispatcher = self.create("com.sun.star.frame.DispatchHelper")

    def create(self, service: str):
        return self.smgr.createInstanceWithContext(service, self.ctx)

    def configure(self, path: str, values: dict[str, object]) -> None:
        provider = self.create("com.sun.star.configuration.ConfigurationProvider")
        access = provider.createInstanceWithArguments(
            "com.sun.star.configuration.ConfigurationUpdateAccess", props(nodepath=path)
        )
        for key, value in values.items():
            access.setPropertyValue(key, value)
        access.commitChanges()

    def set_autocorrect(self, on: bool) -> None:
        """Writer's Tools > AutoCorrect > While Typing, and word completion (both on in a fresh profile)."""
        self.configure("/org.openoffice.Office.Writer/AutoFunction/Format/ByInput", {"Enable": on})
        self.configure("/org.openoffice.Office.Writer/AutoFunction/Completion", {"Enable": on})

    def idle(self) -> None:
        self.toolkit.processEventsToIdle()


# --------------------------------------------------------------------------------------------- Writer


def stall(action: dict) -> None:
    """The ``stall`` op, for the harness's own tests: sleep ``seconds`` as a hung LibreOffice would; with a
    ``marker`` file, only once (the file is created on the first stall, and the next run goes through)."""
    marker = Path(action["marker"]) if action.get("marker") else None
    if marker is not None and marker.exists():
        return
    if marker is not None:
        marker.write_text("stalled", encoding="utf-8")
    time.sleep(float(action["seconds"]))


class WriterJob:
    def __init__(self, office: Office, doc, notes: list[str]) -> None:
        self.office = office
        self.doc = doc
        self.notes = notes
        self.controller = doc.getCurrentController()
        self.vc = self.controller.getViewCursor()
        self.frame = self.controller.getFrame()
        self.window = self.frame.getComponentWindow()
        self.target: str | None = None  # the bookmark of the action being done (set by run_job)
        self._last_click: tuple[float, int, int, str | None] | None = None
        self.frame.activate()
        self.frame.getContainerWindow().setFocus()
        office.idle()

    # -- locating inputs
    def bookmark(self, name: str):
        marks = self.doc.getBookmarks()
        if not marks.hasByName(name):
            known = ", ".join(marks.getElementNames()) or "none"
            raise ActionError(f"bookmark {name!r} not found (bookmarks in the document: {known})")
        return marks.getByName(name)

    def locate(self, name: str):
        """(container, content control or None) for the input of bookmark *name*.

        The container is the bookmark's table cell (or its paragraph outside tables); the control is the
        first content control after the bookmark within it, searched also inside nested controls.
        """
        anchor = self.bookmark(name).getAnchor()
        cell = anchor.Cell
        container = cell if cell is not None else anchor.getText()
        seen = False
        enum = container.createEnumeration()
        while enum.hasMoreElements():
            par = enum.nextElement()
            if not par.supportsService("com.sun.star.text.Paragraph"):
                continue
            found, seen = self._first_control(par, name, seen)
            if found is not None:
                return container, found
            if seen and cell is None:
                break  # outside tables the input is the bookmark's own paragraph
        return container, None

    def _first_control(self, text, name: str, seen: bool):
        enum = text.createEnumeration()
        while enum.hasMoreElements():
            portion = enum.nextElement()
            kind = portion.TextPortionType
            if kind == "Bookmark" and portion.Bookmark.Name == name:
                seen = True
            elif kind == "ContentControl":
                cc = portion.ContentControl
                if seen:
                    return cc, seen
                inner, seen = self._first_control(cc, name, seen)
                if inner is not None:
                    return inner, seen
        return None, seen

    def control(self, name: str):
        _, cc = self.locate(name)
        if cc is None:
            raise ActionError(f"bookmark {name!r}: no content control in its cell")
        return cc

    @staticmethod
    def control_text(cc) -> str:
        out = []
        enum = cc.createEnumeration()
        while enum.hasMoreElements():
            out.append(enum.nextElement().getString())
        return "".join(out)

    # -- person-like input
    def _caret_paragraph(self, acc):
        ctx = acc.getAccessibleContext()
        if ctx.getAccessibleRole() == ROLE_PARAGRAPH:
            try:
                if ctx.getCaretPosition() >= 0:
                    return ctx
            except Exception:
                pass
        for i in range(ctx.getAccessibleChildCount()):
            found = self._caret_paragraph(ctx.getAccessibleChild(i))
            if found is not None:
                return found
        return None

    def click_at(self, text_range) -> None:
        """A real left click on the character just after *text_range* (the view scrolls there first)."""
        self.vc.gotoRange(text_range, False)
        self.office.idle()
        para = self._caret_paragraph(self.window)
        if para is None:
            raise ActionError("could not find the caret on screen (accessibility tree) to click there")
        pos = para.getCaretPosition()
        box = para.getCharacterBounds(pos)
        origin = para.getLocationOnScreen()
        win = self.window.getAccessibleContext().getLocationOnScreen()
        x = origin.X - win.X + box.X + max(box.Width, 2) // 2
        y = origin.Y - win.Y + box.Y + max(box.Height, 2) // 2
        # VCL counts clicks itself (MouseEvent.ClickCount is ignored): a press within the double-click time
        # (500 ms) and 2 px of the previous one is a double click, which on a placeholder selects only its
        # first word. Two different inputs scrolled to the same spot of the screen would be double-clicked
        # that way, which no person can do; so such a click goes to the top or bottom edge of the character
        # (whichever is farther from the last click), or waits the double-click time out if that is too near.
        # Clicks of the same bookmark in a row stay where they are (two "click" actions = a double click).
        now = time.monotonic()
        last = self._last_click
        if (
            last is not None
            and last[3] != self.target
            and now - last[0] < DOUBLE_CLICK_SECONDS
            and abs(last[1] - x) <= CLICK_SLOP
            and abs(last[2] - y) <= CLICK_SLOP
        ):
            top = origin.Y - win.Y + box.Y + 2
            bottom = top + box.Height - 4
            y = max((top, bottom), key=lambda edge: abs(edge - last[2]))
            if abs(y - last[2]) <= CLICK_SLOP:
                time.sleep(DOUBLE_CLICK_SECONDS - (now - last[0]))
        self._last_click = (time.monotonic(), x, y, self.target)
        event = MouseEvent()
        event.Source = self.window
        event.X = x
        event.Y = y
        event.Buttons = 1  # MouseButton.LEFT
        event.ClickCount = 1
        event.Modifiers = 0
        event.PopupTrigger = False
        self.office.toolkit.mouseMove(event)
        self.office.toolkit.mousePress(event)
        self.office.toolkit.mouseRelease(event)
        self.office.idle()

    def click_control(self, cc) -> None:
        self.click_at(cc.getStart())

    def edit_window(self):
        return self.office.uitest.getTopFocusWindow().getChild("writer_edit")

    def key(self, code: str) -> None:
        self.edit_window().executeAction("TYPE", props(KEYCODE=code))

    def type_text(self, text: str) -> None:
        win = self.edit_window()
        for piece in re.split(r"([\n\v\t])", text.replace("\r\n", "\n")):
            if piece == "\n":
                win.executeAction("TYPE", props(KEYCODE="RETURN"))
            elif piece == "\v":
                win.executeAction("TYPE", props(KEYCODE="SHIFT+RETURN"))
            elif piece == "\t":
                win.executeAction("TYPE", props(KEYCODE="TAB"))
            elif piece:
                win.executeAction("TYPE", props(TEXT=piece))
        self.office.idle()

    def select_control_content(self, cc) -> None:
        """Select what is in the control (as a person does by dragging over it or after the click)."""
        content = self.control_text(cc)
        self.vc.gotoRange(cc.getStart(), False)
        if content:
            self.vc.goRight(len(content), True)

    def click_into(self, cc, replace: bool) -> None:
        """Click into a text-like control; a showing placeholder is selected by LibreOffice's own click.

        replace=True then selects any remaining content (so typing replaces it), replace=False puts the
        cursor at the end of the content (so typing appends).
        """
        showing = cc.ShowingPlaceHolder
        self.click_control(cc)
        if showing:
            return
        if replace:
            self.select_control_content(cc)
        else:
            self.vc.gotoRange(cc.getEnd(), False)

    # -- ops
    def op_stall(self, action: dict) -> None:
        stall(action)

    def op_type(self, action: dict) -> None:
        name = action["bookmark"]
        container, cc = self.locate(name)
        if cc is None:
            # a plain cell: the click puts the cursor at the end of what the cell holds
            self.vc.gotoRange(container.getEnd() if container.getString() else self.bookmark(name).getAnchor(), False)
        else:
            if cc.Checkbox:
                raise ActionError(f"bookmark {name!r}: a checkbox control cannot be typed into; use check")
            self.click_into(cc, replace=False)
        self.type_text(action["text"])

    def op_replace_placeholder(self, action: dict) -> None:
        cc = self.control(action["bookmark"])
        if not cc.ShowingPlaceHolder:
            raise ActionError(f"bookmark {action['bookmark']!r}: its control is not showing a placeholder")
        self.click_into(cc, replace=True)
        self.type_text(action["text"])

    def op_click(self, action: dict) -> None:
        self.click_control(self.control(action["bookmark"]))

    def _set_checked(self, action: dict, want: bool) -> None:
        name = action["bookmark"]
        cc = self.control(name)
        if not cc.Checkbox:
            raise ActionError(f"bookmark {name!r}: the control in its cell is not a checkbox")
        if bool(cc.Checked) != want:
            self.click_control(cc)
        if bool(self.control(name).Checked) != want:
            raise ActionError(f"bookmark {name!r}: the click did not {'tick' if want else 'clear'} the checkbox")

    def op_check(self, action: dict) -> None:
        self._set_checked(action, True)

    def op_uncheck(self, action: dict) -> None:
        self._set_checked(action, False)

    def op_pick(self, action: dict) -> None:
        name, item = action["bookmark"], str(action["item"])
        cc = self.control(name)
        items = [{p.Name: p.Value for p in entry} for entry in cc.ListItems]
        if not items:
            raise ActionError(f"bookmark {name!r}: the control in its cell is not a dropdown")
        shown = [entry.get("DisplayText") or entry.get("Value") for entry in items]
        if item not in shown:
            raise ActionError(f"bookmark {name!r}: {item!r} is not an item of the dropdown ({shown})")
        # The item popup of LibreOffice 7.4 does not open in a headless window: click, then type the item.
        self.click_into(cc, replace=True)
        self.type_text(item)
        self.notes.append(f"pick {name}: clicked and typed the item's text (the item popup is not reachable)")

    def op_date(self, action: dict) -> None:
        name = action["bookmark"]
        cc = self.control(name)
        if not cc.Date:
            raise ActionError(f"bookmark {name!r}: the control in its cell is not a date control")
        day = dt.date.fromisoformat(action["text"])
        shown = format_date(day, cc.DateFormat or "yyyy-MM-dd")
        self.click_into(cc, replace=True)
        self.type_text(shown)
        if action.get("via", "keyboard") == "picker":
            # What the calendar popup does besides writing the text (SetCurrentDateValue): the popup itself
            # does not open in a headless window, so this one property is set through the API.
            self.control(name).CurrentDate = f"{day.isoformat()}T00:00:00Z"
            self.notes.append(f"date {name}: typed {shown!r} and set CurrentDate as the date picker does")

    def op_type_outside(self, action: dict) -> None:
        container, _ = self.locate(action["bookmark"])
        self.vc.gotoRange(container.getEnd(), False)
        self.type_text(action["text"])

    def op_type_after_table(self, action: dict) -> None:
        anchor = self.bookmark(action["bookmark"]).getAnchor()
        table = anchor.TextTable
        if table is None:
            raise ActionError(f"bookmark {action['bookmark']!r} is not in a table")
        enum = self.doc.getText().createEnumeration()
        after = False
        while enum.hasMoreElements():
            el = enum.nextElement()
            if after:
                if not el.supportsService("com.sun.star.text.Paragraph"):
                    raise ActionError("the table is followed directly by another table")
                self.vc.gotoRange(el.getStart(), False)
                self.type_text(action["text"])
                self.key("RETURN")
                return
            if el.supportsService("com.sun.star.text.TextTable") and el.getName() == table.getName():
                after = True
        raise ActionError("table is nested or not in the body; no paragraph after it")

    def op_type_at_end(self, action: dict) -> None:
        end = self.doc.getText().getEnd()
        self.vc.gotoRange(end, False)
        if self.vc.Cell is not None:
            raise ActionError("the document ends in a table cell")
        self.key("RETURN")
        self.type_text(action["text"])

    def op_key(self, action: dict) -> None:
        self.key(action["key"])


def format_date(day: dt.date, pattern: str) -> str:
    """Render *day* with a Word/LibreOffice date pattern (d, dd, M, MM, yy, yyyy; other text kept)."""
    tokens = {
        "yyyy": f"{day.year:04d}",
        "yy": f"{day.year % 100:02d}",
        "MM": f"{day.month:02d}",
        "M": str(day.month),
        "dd": f"{day.day:02d}",
        "d": str(day.day),
    }
    return re.sub(r"yyyy|yy|MM|M|dd|d", lambda m: tokens[m.group(0)], pattern)


# ----------------------------------------------------------------------------------------------- Calc


class CalcJob:
    def __init__(self, office: Office, doc, notes: list[str]) -> None:
        self.office = office
        self.doc = doc
        self.notes = notes
        self.frame = doc.getCurrentController().getFrame()

    def target(self, action: dict):
        """(address for .uno:GoToCell, XCell) of action["name"] (a defined name) or action["cell"]."""
        if "name" in action:
            ranges = self.doc.NamedRanges
            name = action["name"]
            if not ranges.hasByName(name):
                known = ", ".join(ranges.getElementNames()) or "none"
                raise ActionError(f"defined name {name!r} not found (names in the workbook: {known})")
            named = ranges.getByName(name)
            cells = named.getReferredCells()
            if cells is None:
                raise ActionError(f"defined name {name!r} does not refer to cells ({named.getContent()})")
            return named.getContent(), cells.getCellByPosition(0, 0)
        sheet_name, _, ref = action["cell"].replace(".", "!").rpartition("!")
        sheets = self.doc.getSheets()
        if not sheets.hasByName(sheet_name):
            raise ActionError(f"sheet {sheet_name!r} not found (sheets: {', '.join(sheets.getElementNames())})")
        cell = sheets.getByName(sheet_name).getCellRangeByName(ref)
        quoted = sheet_name if sheet_name.isalnum() else "'" + sheet_name.replace("'", "''") + "'"
        return f"${quoted}.{ref}", cell

    def enter(self, action: dict, text: str) -> None:
        address, cell = self.target(action)
        sheet = self.doc.getSheets().getByIndex(cell.getCellAddress().Sheet)
        locked = sheet.isProtected() and cell.CellProtection.IsLocked
        before = cell.getFormula()
        dispatch = self.office.dispatcher.executeDispatch
        dispatch(self.frame, ".uno:GoToCell", "", 0, props(ToPoint=address))
        dispatch(self.frame, ".uno:EnterString", "", 0, props(StringName=text))
        refused = locked and cell.getFormula() == before
        if action.get("expect") == "refused":
            if not refused:
                raise ActionError(f"{address}: typing was expected to be refused but was accepted")
        elif locked:
            raise ActionError(f"{address}: the cell is locked on a protected sheet; LibreOffice refused input")

    def op_stall(self, action: dict) -> None:
        stall(action)

    def op_type(self, action: dict) -> None:
        self.enter(action, action["text"])

    def op_pick(self, action: dict) -> None:
        _, cell = self.target(action)
        validation = cell.Validation
        if validation.Type.value != "LIST":
            raise ActionError(f"{action.get('name') or action.get('cell')}: the cell has no list validation")
        items = [part.strip().strip('"') for part in re.split(r"[;,]", validation.getFormula1())]
        item = str(action["item"])
        if item not in items:
            raise ActionError(f"{item!r} is not in the cell's list {items}")
        self.enter(action, item)
        self.notes.append("pick: entered the item's text (the list popup is not reachable headless)")


# ------------------------------------------------------------------------------------------------ jobs


def run_job(office: Office, job: dict) -> dict:
    src, out = Path(job["in"]).resolve(), Path(job["out"]).resolve()
    notes: list[str] = []
    result = {"in": str(src), "out": str(out), "ok": False, "error": None, "seconds": 0.0, "notes": notes}
    started = time.monotonic()
    doc = None
    try:
        if not src.is_file():
            raise ActionError(f"input file not found: {src}")
        is_calc = src.suffix.lower() in (".xlsx", ".ods", ".xls")
        filters = CALC_FILTERS if is_calc else WRITER_FILTERS
        if out.suffix.lower() not in filters:
            raise ActionError(f"cannot save {src.suffix} as {out.suffix} (known: {sorted(filters)})")
        if not is_calc:
            office.set_autocorrect(bool(job.get("autocorrect", False)))
        # Writer needs a (headless) window for the mouse and keyboard; a visible Calc view aborts 7.4.
        load_props = props(Hidden=True) if is_calc else ()
        doc = office.desktop.loadComponentFromURL(uno.systemPathToFileUrl(str(src)), "_blank", 0, load_props)
        if doc is None:
            raise ActionError(f"LibreOffice could not open {src}")
        worker = CalcJob(office, doc, notes) if is_calc else WriterJob(office, doc, notes)
        for number, action in enumerate(job.get("actions", []), start=1):
            op = action.get("op", "")
            method = getattr(worker, "op_" + op, None)
            if method is None:
                raise ActionError(f"action {number}: unknown op {op!r} for {'Calc' if is_calc else 'Writer'}")
            if isinstance(worker, WriterJob):
                worker.target = action.get("bookmark")
            try:
                method(action)
            except ActionError as exc:
                raise ActionError(f"action {number} {json.dumps(action, ensure_ascii=False)[:200]}: {exc}") from exc
            except KeyError as exc:
                raise ActionError(f"action {number} ({op}): missing key {exc}") from exc
        out.parent.mkdir(parents=True, exist_ok=True)
        doc.storeToURL(uno.systemPathToFileUrl(str(out)), props(FilterName=filters[out.suffix.lower()]))
        result["ok"] = True
    except ActionError as exc:
        result["error"] = str(exc)
    except DisposedException as exc:
        raise OfficeGoneError(f"LibreOffice died while filling {src.name}: {exc.Message}") from exc
    finally:
        if doc is not None:
            try:
                doc.close(True)
            except DisposedException:
                pass
            except Exception:
                pass
        result["seconds"] = round(time.monotonic() - started, 3)
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pipe", required=True)
    parser.add_argument("--in", dest="src")
    parser.add_argument("--out")
    parser.add_argument("--actions", help="JSON file with a list of actions")
    parser.add_argument("--jobs", help="JSON file with a list of {in, out, actions[, autocorrect]}")
    parser.add_argument("--autocorrect", action="store_true", help="single job: keep AutoCorrect on")
    parser.add_argument("--probe", action="store_true", help="only check that the listener answers")
    parser.add_argument("--connect-timeout", type=float, default=0.0)
    args = parser.parse_args(argv)

    try:
        office = Office(args.pipe, timeout=args.connect_timeout)
    except OfficeGoneError as exc:
        print(f"lo_driver: {exc}", file=sys.stderr)
        return 3
    if args.probe:
        return 0
    if args.jobs:
        jobs = json.loads(Path(args.jobs).read_text(encoding="utf-8"))
    elif args.src and args.out:
        actions = json.loads(Path(args.actions).read_text(encoding="utf-8")) if args.actions else []
        jobs = [{"in": args.src, "out": args.out, "actions": actions, "autocorrect": args.autocorrect}]
    else:
        parser.error("give --jobs, or --in and --out (with --actions)")

    results: list[dict] = []
    status = 0
    for number, job in enumerate(jobs, start=1):
        try:
            result = run_job(office, job)
        except OfficeGoneError as exc:
            results.append(
                {
                    "in": job.get("in"),
                    "out": job.get("out"),
                    "ok": False,
                    "error": str(exc),
                    "seconds": 0.0,
                    "notes": [],
                }
            )
            print(f"lo_driver: {exc}", file=sys.stderr)
            status = 3
            break
        results.append(result)
        # One line per finished job, as it finishes: the harness shows progress and knows what is done.
        print("RESULT " + json.dumps(result, ensure_ascii=False), flush=True)
        print(
            f"lo_driver: progress {number}/{len(jobs)} {Path(str(job.get('in'))).name} "
            f"{'ok' if result['ok'] else 'failed'} in {result['seconds']:.1f} s",
            file=sys.stderr,
            flush=True,
        )
        if not result["ok"]:
            print(f"lo_driver: {Path(str(job.get('in'))).name}: {result['error']}", file=sys.stderr)
            status = 2
    print(json.dumps(results, ensure_ascii=False))
    return status


if __name__ == "__main__":
    sys.exit(main())
