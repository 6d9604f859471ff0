"""The format-neutral form core: the binding of fields to inputs, identity, signing, safe reading, zip stamping and the
words around a form. Internal: import from :mod:`musforms`.
"""

__all__: list[str] = []
