"""Exceptions raised by the readers when a file cannot (or should not) be read as a report."""

from __future__ import annotations

from collections.abc import Sequence

from ogi.model import ReadNote


class UnreadableFile(Exception):
    """The file cannot be read as a report; the reasons are shown to the submitter as they are."""

    def __init__(
        self,
        reason_zh: str,
        reason_en: str,
        code: str = "unreadable",
        notes: Sequence[ReadNote] = (),
    ) -> None:
        super().__init__(f"{reason_zh} / {reason_en}")
        self.reason_zh = reason_zh
        self.reason_en = reason_en
        # A short machine code ("empty", "legacy-format", "zip-bomb", ...) so a rule can branch on it.
        self.code = code
        # Anything noticed before giving up (e.g. the name says .docx but the content is OLE).
        self.notes: tuple[ReadNote, ...] = tuple(notes)


class NotADocument(Exception):
    """The file is structured data (JSON/YAML), not a published document: the caller routes it."""

    def __init__(self, kind: str) -> None:
        super().__init__(f"structured data ({kind}), not a document")
        self.kind = kind
