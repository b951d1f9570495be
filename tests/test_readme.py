"""The README stays true: its rule table is the registry's, and it opens with the two commands."""

from __future__ import annotations

from pathlib import Path

from ogi.tools.readme import updated

README = Path(__file__).parent.parent / "README.md"


def test_rule_table_is_generated_from_the_registry() -> None:
    text = README.read_text(encoding="utf-8")
    assert updated(text) == text, "run: python -m ogi.tools.readme"


def test_readme_opens_with_the_two_commands() -> None:
    text = README.read_text(encoding="utf-8")
    head = text[: text.index("## ")]
    assert "ogi check examples/" in head
    assert "nox -s tests lint typecheck" in head
    ci = (README.parent / ".ci" / "run").read_text(encoding="utf-8")
    assert "nox -s tests lint typecheck" in ci
