"""The web form's inline style sheet and script, and the Content-Security-Policy that allows exactly them.

Both are fixed texts (nothing of a template or a person is written into them), so their sha256 hashes are the
same for every form; a page served with a nonce carries it on both blocks instead.

The look follows the Word form's: Calibri (or the system's sans-serif; no font is fetched), the same navy
headings and grey help text, light grey label fills. Every text colour has a contrast of at least 4.5:1 on its
background (placeholders included), controls have borders of at least 3:1 and a visible focus ring. Below 40rem
(a phone) the agreements tables are shown a row at a time, each input with its column's label. On paper every
agreement row is printed (room to write by hand), without buttons or placeholders.
"""

from __future__ import annotations

import base64
import hashlib
import re

from musforms.errors import RenderError

__all__ = ["SCRIPT", "STYLE", "check_nonce", "content_security_policy", "sha256_source"]

STYLE = """
.mf-form{--mf-accent:#1f3a5f;--mf-text:#1a1a1a;--mf-grey:#595959;--mf-line:#767676;--mf-fill:#f2f2f2;
--mf-head:#dce3ec;--mf-error:#a4001d;--mf-error-fill:#fdf0f2;--mf-focus:#1f3a5f;
font-family:Calibri,Carlito,"Segoe UI",system-ui,-apple-system,"Helvetica Neue",Arial,sans-serif;
font-size:1rem;line-height:1.45;color:var(--mf-text);background:#fff;max-width:52rem;margin:0 auto;
padding:1.5rem 1.25rem 3rem;box-sizing:border-box;overflow-wrap:break-word}
.mf-form *,.mf-form *::before,.mf-form *::after{box-sizing:inherit}
.mf-form [hidden]{display:none!important}
.mf-page{margin:0;background:#fff}
.mf-head{border-bottom:2px solid var(--mf-accent);padding-bottom:.75rem;margin-bottom:1rem}
.mf-brand{display:flex;align-items:center;gap:.75rem;margin:0 0 .5rem;font-weight:700;font-size:.9rem}
.mf-logo{max-height:3rem;max-width:12rem;width:auto;height:auto}
.mf-form h1{color:var(--mf-accent);font-size:1.75rem;line-height:1.2;margin:0;hyphens:auto;overflow-wrap:anywhere}
.mf-subtitle{color:var(--mf-grey);font-size:1.1rem;margin:.25rem 0 0}
.mf-people{display:grid;grid-template-columns:max-content 1fr;gap:.25rem 1rem;margin:1rem 0;padding:.75rem 1rem;
background:var(--mf-fill);border-radius:4px}
.mf-people dt{font-weight:700}
.mf-people dd{margin:0}
.mf-intro p,.mf-guidance p,.mf-info p{margin:.4rem 0}
.mf-section{margin:2rem 0 0}
.mf-form h2{hyphens:auto;overflow-wrap:anywhere;color:var(--mf-accent);font-size:1.35rem;line-height:1.25;
border-bottom:1px solid var(--mf-accent);padding-bottom:.25rem;margin:0 0 .75rem;display:flex;flex-wrap:wrap;
justify-content:space-between;gap:.25rem 1rem}
.mf-minutes{font-size:.95rem;font-weight:400;color:var(--mf-grey)}
.mf-form h3{color:var(--mf-accent);font-size:1.1rem;margin:1.25rem 0 .4rem}
.mf-guidance{font-style:italic;color:var(--mf-grey)}
.mf-field{margin:0 0 1rem;padding:.75rem;border:1px solid #c6c6c6;border-radius:4px;background:#fff}
fieldset.mf-field{min-width:0}
.mf-label,.mf-field legend{display:block;font-weight:700;padding:0;margin:0 0 .25rem}
.mf-field legend{float:left;width:100%}
.mf-field legend+*{clear:left}
.mf-help,.mf-hint,.mf-count,.mf-note{display:block;color:var(--mf-grey);font-size:.9rem;margin:0 0 .4rem}
.mf-req{color:var(--mf-error);font-weight:400}
.mf-form input[type=text],.mf-form input[type=date],.mf-form textarea,.mf-form select{font:inherit;color:inherit;
background:#fff;border:1px solid var(--mf-line);border-radius:3px;padding:.4rem .5rem;width:100%;max-width:100%}
.mf-form input[type=date]{max-width:14rem}
.mf-form textarea{resize:vertical;min-height:2.6rem}
.mf-form ::placeholder{color:var(--mf-grey);opacity:1}
.mf-form input[type=radio],.mf-form input[type=checkbox]{width:1.25rem;height:1.25rem;margin:0;flex:none;
accent-color:var(--mf-accent)}
.mf-form :focus-visible{outline:3px solid var(--mf-focus);outline-offset:2px}
.mf-form input:focus-visible,.mf-form textarea:focus-visible,.mf-form select:focus-visible{
box-shadow:0 0 0 1px #fff}
.mf-options{display:flex;flex-wrap:wrap;gap:.4rem .6rem;margin:.25rem 0 0;padding:0;list-style:none}
.mf-options.mf-list{flex-direction:column}
.mf-option{display:flex;align-items:center;gap:.45rem}
.mf-option label{cursor:pointer}
.mf-points .mf-option{flex:1 1 6.5rem;flex-direction:column;align-items:center;text-align:center;
padding:.4rem .3rem;background:var(--mf-fill);border-radius:4px;gap:.2rem}
.mf-points .mf-option label{display:flex;flex-direction:column;font-size:.9rem}
.mf-pv{font-weight:700;font-size:1rem}
.mf-check{display:flex;align-items:flex-start;gap:.6rem}
.mf-check label{font-weight:700}
.mf-scale{margin:1.25rem 0 .4rem;color:var(--mf-accent);font-weight:700}
.mf-sign{display:grid;grid-template-columns:minmax(0,2fr) minmax(0,1fr);gap:.5rem 1rem}
.mf-sign label{font-size:.9rem;color:var(--mf-grey);display:block}
.mf-table-wrap{margin:0}
.mf-table{border-collapse:collapse;width:100%}
.mf-table caption{text-align:left;caption-side:top}
.mf-table caption h3{margin-top:0}
.mf-table th,.mf-table td{border:1px solid #c6c6c6;padding:.3rem;vertical-align:top;text-align:left}
.mf-table thead th{background:var(--mf-head);font-size:.9rem}
.mf-table tbody th{background:var(--mf-fill);font-size:.9rem;font-weight:700;white-space:nowrap}
.mf-table textarea{min-height:2.6rem}
.mf-table select{min-width:9rem}
.mf-vh,.mf-table .mf-cell-label{position:absolute!important;width:1px;height:1px;padding:0;margin:-1px;
overflow:hidden;clip-path:inset(50%);white-space:nowrap;border:0}
.mf-button{font:inherit;font-weight:700;color:#fff;background:var(--mf-accent);border:2px solid var(--mf-accent);
border-radius:4px;padding:.5rem 1.1rem;cursor:pointer}
.mf-button:hover{background:#16304f}
.mf-button.mf-quiet{color:var(--mf-accent);background:#fff;padding:.25rem .6rem;font-weight:400}
.mf-button.mf-quiet:hover{background:var(--mf-fill)}
.mf-row-tools{margin:.5rem 0 0}
.mf-actions{margin:2rem 0 1rem}
.mf-foot{margin-top:2rem;color:var(--mf-grey);font-size:.85rem;border-top:1px solid #c6c6c6;padding-top:.5rem}
.mf-foot p{margin:.2rem 0}
.mf-issue{color:var(--mf-error);font-weight:700;margin:.25rem 0 .4rem;padding:0;list-style:none}
.mf-issue li{margin:0}
.mf-invalid{border-left:5px solid var(--mf-error);background:var(--mf-error-fill)}
.mf-form input[aria-invalid=true],.mf-form textarea[aria-invalid=true],.mf-form select[aria-invalid=true]{
border-color:var(--mf-error);border-width:2px}
.mf-summary{border:3px solid var(--mf-error);border-radius:4px;padding:.75rem 1rem;margin:1rem 0;background:#fff}
.mf-summary-title{color:var(--mf-error);font-weight:700;font-size:1.15rem;margin:0 0 .25rem}
.mf-summary ul{margin:.4rem 0 0;padding-left:1.25rem}
.mf-form a{color:var(--mf-accent)}
.mf-form .mf-summary a{color:var(--mf-error)}
.mf-raw{font-weight:400;white-space:pre-wrap;overflow-wrap:anywhere}
.mf-status{position:absolute;width:1px;height:1px;overflow:hidden;clip-path:inset(50%)}
@media (max-width:40rem){
.mf-form{padding:1rem .75rem 2rem}
.mf-form h1{font-size:1.45rem}
.mf-people{grid-template-columns:1fr;gap:0}
.mf-people dd{margin-bottom:.4rem}
.mf-field{padding:.6rem .5rem}
.mf-points{flex-direction:column}
.mf-points .mf-option{flex:none;flex-direction:row;text-align:left;gap:.6rem;padding:.45rem .6rem}
.mf-points .mf-option label{flex-direction:row;gap:.4rem;align-items:baseline}
.mf-sign{grid-template-columns:1fr}
.mf-table,.mf-table tbody,.mf-table tr,.mf-table td,.mf-table tbody th{display:block;width:100%}
.mf-table caption{display:block;width:100%}
.mf-table thead{position:absolute;width:1px;height:1px;overflow:hidden;clip-path:inset(50%)}
.mf-table tr{border:1px solid #c6c6c6;border-radius:4px;margin:0 0 .75rem;padding:.25rem}
.mf-table td,.mf-table tbody th{border:0}
.mf-table .mf-cell-label{position:static!important;width:auto;height:auto;margin:0 0 .15rem;overflow:visible;
clip-path:none;white-space:normal;display:block;font-size:.9rem;color:var(--mf-grey)}
}
@media print{
.mf-form{max-width:none;padding:0;font-size:10.5pt}
.mf-form button,.mf-actions,.mf-row-tools,.mf-remove{display:none!important}
.mf-field,.mf-table tr,fieldset{break-inside:avoid}
.mf-form h2,.mf-form h3{break-after:avoid}
.mf-section{break-before:page}
.mf-section:first-of-type{break-before:auto}
.mf-form textarea{field-sizing:content;resize:none;border:1px solid #000}
.mf-form .mf-table tr[hidden]{display:table-row!important}
.mf-form ::placeholder{color:transparent}
.mf-summary{border-width:1px}
.mf-form a{text-decoration:none}
}
""".strip()
"""The form's style sheet."""

SCRIPT = """
(function () {
  "use strict";
  function count(text) { return Array.from(text.replace(/\\r\\n/g, "\\n")).length; }
  function fill(pattern, values) {
    return pattern.replace(/\\{(\\w+)\\}/g, function (all, key) { return key in values ? values[key] : all; });
  }
  function controls(row) { return Array.prototype.slice.call(row.querySelectorAll("input, textarea, select")); }
  function filled(row) { return controls(row).some(function (c) { return c.value !== ""; }); }
  function setUp(form) {
    if (form.getAttribute("data-mf-ready") === "1") { return; }
    form.setAttribute("data-mf-ready", "1");
    Array.prototype.forEach.call(form.querySelectorAll("[data-mf-js]"), function (el) { el.hidden = false; });
    var status = form.querySelector(".mf-status");
    function say(text) { if (status) { status.textContent = ""; status.textContent = text; } }
    Array.prototype.forEach.call(form.querySelectorAll("[data-mf-count]"), function (box) {
      var out = form.querySelector("#" + CSS.escape(box.id + "--count"));
      var max = box.getAttribute("data-mf-count");
      var pattern = out ? out.getAttribute("data-mf-pattern") : null;
      function update() { if (out && pattern) { out.textContent = fill(pattern, {n: count(box.value), max: max}); } }
      box.addEventListener("input", update);
      update();
    });
    Array.prototype.forEach.call(form.querySelectorAll("[data-mf-agreements]"), function (table) {
      var rows = Array.prototype.slice.call(table.querySelectorAll("tbody tr"));
      var add = form.querySelector("#" + CSS.escape(table.id + "--add"));
      var full = form.querySelector("#" + CSS.escape(table.id + "--full"));
      var shown = 1;
      rows.forEach(function (row, index) {
        if (filled(row) || row.querySelector("[aria-invalid=true]")) { shown = index + 1; }
      });
      function show() {
        rows.forEach(function (row, index) { row.hidden = index >= shown; });
        if (add) { add.hidden = shown >= rows.length; }
        if (full) { full.hidden = shown < rows.length; }
      }
      if (add) {
        add.addEventListener("click", function () {
          if (shown < rows.length) {
            shown += 1;
            show();
            var first = controls(rows[shown - 1])[0];
            if (first) { first.focus(); }
          }
        });
      }
      rows.forEach(function (row, index) {
        var button = row.querySelector(".mf-remove button");
        if (!button) { return; }
        button.addEventListener("click", function () {
          for (var at = index; at < shown - 1; at += 1) {
            var here = controls(rows[at]);
            var next = controls(rows[at + 1]);
            here.forEach(function (c, k) { c.value = next[k].value; });
          }
          controls(rows[shown - 1]).forEach(function (c) { c.value = ""; });
          if (shown > 1) { shown -= 1; }
          show();
          form.dispatchEvent(new Event("input"));
          say(button.getAttribute("data-mf-removed") || "");
          var target = controls(rows[Math.min(index, shown - 1)])[0];
          if (target) { target.focus(); }
        });
      });
      show();
    });
    var dirty = false;
    function warn(event) { if (dirty) { event.preventDefault(); event.returnValue = ""; } }
    form.addEventListener("input", function () { dirty = true; });
    form.addEventListener("change", function () { dirty = true; });
    window.addEventListener("beforeunload", warn);
    form.addEventListener("submit", function () { dirty = false; window.removeEventListener("beforeunload", warn); });
    var summary = form.querySelector(".mf-summary");
    if (summary) { summary.focus(); }
  }
  function start() { Array.prototype.forEach.call(document.querySelectorAll("form[data-mf-form]"), setUp); }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", start); } else { start(); }
})();
""".strip()
"""The form's script: reveals the controls that need it, counts characters, adds and removes agreement rows
(moving what later rows hold up, so that nothing typed is lost), and warns before leaving with unsaved changes
(until the form is sent). The form works without it."""

_NONCE = re.compile(r"^[A-Za-z0-9+/_=-]{8,256}$")


def check_nonce(nonce: str | None) -> str | None:
    """``nonce`` when it is a usable CSP nonce (base64 characters, 8 to 256 of them); else a RenderError."""
    if nonce is None:
        return None
    if not isinstance(nonce, str) or not _NONCE.match(nonce):
        raise RenderError(
            "nonce must be 8 to 256 base64 characters (letters, digits, '+', '/', '-', '_', '='), as a "
            "Content-Security-Policy nonce is"
        )
    return nonce


def sha256_source(text: str) -> str:
    """The CSP source that allows an inline block of exactly ``text``: ``'sha256-…'``."""
    digest = base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode("ascii")
    return f"'sha256-{digest}'"


def content_security_policy(nonce: str | None) -> str:
    """The Content-Security-Policy header value for a web form: nothing but the form's own inline style and
    script (by ``nonce``, else by their hashes), images from ``data:`` (the logo), the form sent to its own
    origin, no ``<base>``, framed only by its own origin."""
    style = f"'nonce-{nonce}'" if nonce else sha256_source(STYLE)
    script = f"'nonce-{nonce}'" if nonce else sha256_source(SCRIPT)
    return (
        f"default-src 'none'; style-src {style}; script-src {script}; img-src data:; "
        "form-action 'self'; base-uri 'none'; frame-ancestors 'self'"
    )
