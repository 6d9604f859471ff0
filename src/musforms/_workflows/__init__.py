"""The steps around the forms: rosters, packs, invitations, comparing, the talk, plan and follow-up, collecting,
redaction. Internal: import from :mod:`musforms`.
"""

__all__: list[str] = []
