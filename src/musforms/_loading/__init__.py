"""Template loading: files, ``extends`` and ``changes``, checks with located problems, the built-ins, schema export.
Internal: import from :mod:`musforms`.
"""

__all__: list[str] = []
