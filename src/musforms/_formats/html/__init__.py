"""Web (HTML) forms: the same template as an accessible HTML form, rendered as one self-contained page or a
fragment, and the submitted fields read back.

- :mod:`musforms._formats.html.form`: the format as the ``render`` front uses it (a submission is read by
  ``parse_submission``, not by ``parse``);
- :mod:`musforms._formats.html.render`: :func:`render_html` and :class:`WebForm`;
- :mod:`musforms._formats.html.page`: the page's markup, field by field;
- :mod:`musforms._formats.html.assets`: the inline style sheet and script, and the Content-Security-Policy.
"""

__all__: list[str] = []
