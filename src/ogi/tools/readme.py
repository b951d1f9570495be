"""Regenerate the README's rule table from the registry: `python -m ogi.tools.readme [--check]`."""

from __future__ import annotations

import sys
from pathlib import Path

from ogi.reports.catalogue import rules_markdown_table

START, END = "<!-- rules:start -->", "<!-- rules:end -->"


def updated(text: str) -> str:
    head, rest = text.split(START, 1)
    _, tail = rest.split(END, 1)
    return f"{head}{START}\n{rules_markdown_table('zh')}{END}{tail}"


def main(argv: list[str] | None = None) -> int:
    args = argv if argv is not None else sys.argv[1:]
    readme = Path("README.md")
    text = readme.read_text(encoding="utf-8")
    new = updated(text)
    if "--check" in args:
        if new != text:
            print("README.md rule table is out of date: run python -m ogi.tools.readme", file=sys.stderr)
            return 1
        return 0
    readme.write_text(new, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
