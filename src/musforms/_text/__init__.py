"""Template texts: Jinja in a sandbox, their checks, and dates in words. Internal: import from :mod:`musforms`."""

__all__: list[str] = []
