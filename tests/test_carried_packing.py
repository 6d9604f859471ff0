"""The custom properties carrying a template are packed once per template, and every form gets its own copy."""

from __future__ import annotations

import pytest

import musforms
from musforms._core import embedded
from musforms.errors import RenderError


def test_each_form_gets_its_own_copy_of_the_same_properties() -> None:
    template = musforms.load_template("mus-scored-da")
    first = embedded.embedded_properties(template)
    first["musforms.template.1"] = "changed"
    second = embedded.embedded_properties(template)
    assert second["musforms.template.1"] != "changed"
    assert second == embedded.embedded_properties(template)
    assert int(second[embedded.TEMPLATE_PROPERTY].split(":")[1]) == len(second) - 1


def test_a_template_too_large_to_carry_is_refused_even_once_packed(monkeypatch: pytest.MonkeyPatch) -> None:
    template = musforms.load_template("mus-scored-da")
    embedded.embedded_properties(template)
    monkeypatch.setattr(embedded, "MAX_EMBEDDED_CHARS", 100)
    with pytest.raises(RenderError, match="too large to be carried"):
        embedded.embedded_properties(template)
