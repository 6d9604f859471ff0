"""The ``musforms`` command line, built on the public API only. Internal."""

__all__: list[str] = []
