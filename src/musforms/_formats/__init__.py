"""The file formats of a form (Word, Excel) behind the ``render`` and ``parse`` fronts. Internal: import from
:mod:`musforms`.
"""

__all__: list[str] = []
