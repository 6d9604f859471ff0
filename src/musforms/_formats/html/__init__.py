"""Web (HTML) forms: the same template as an accessible HTML form, rendered as one self-contained page or a
fragment, and the submitted fields read back.

- :mod:`musforms._formats.html.form`: the format as the ``render`` front uses it (a submission is read by
  ``parse_submission``, not by ``parse``);
- :mod:`musforms._formats.html.render`: :func:`render_html` and :class:`WebForm`;
- :mod:`musforms._formats.html.document`: the whole page (or the fragment) with its inline blocks;
- :mod:`musforms._formats.html.page`: the page around the fields (title, people, summary of problems, parts);
- :mod:`musforms._formats.html.fields`: each field's label, help, controls and problems;
- :mod:`musforms._formats.html.assets`: the inline style sheet and script, and the Content-Security-Policy;
- :mod:`musforms._formats.html.words`: the words the web form adds, in Danish and English;
- :mod:`musforms._formats.html.reader` and :mod:`musforms._formats.html.submission`: a submission read back.
"""

__all__: list[str] = []
