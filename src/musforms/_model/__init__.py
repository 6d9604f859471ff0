"""The template model: what a MUS form is (fields, scales, sections, the template), who it is for, and what a completed
form holds. Internal: import from :mod:`musforms`.
"""

__all__: list[str] = []
