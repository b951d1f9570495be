"""Reading submissions: bytes of any supported kind → the canonical Report."""

from __future__ import annotations

from ogi.config import Config
from ogi.ingest.errors import NotADocument, UnreadableFile
from ogi.model import Report

__all__ = ["UnreadableFile", "read_report"]

STRUCTURED_SUFFIXES = (".json", ".yaml", ".yml")


def read_report(data: bytes, name: str, *, source: str, sha256: str, config: Config) -> Report:
    """Read one submission; raises UnreadableFile with a reason for the user."""
    from ogi.ingest.assemble import build_report
    from ogi.ingest.readers import read_document
    from ogi.ingest.sniff import detect_kind
    from ogi.ingest.structured import build_structured_report, load_structured

    # A .json/.yaml that does not even parse is still meant as data: say why it cannot be read.
    structured = name.lower().endswith(STRUCTURED_SUFFIXES) and detect_kind(data, name) in ("json", "yaml", "text")
    if not structured:
        try:
            raw = read_document(data, name)
        except NotADocument:
            structured = True
        else:
            return build_report(raw, source=source, sha256=sha256, config=config)
    doc = load_structured(data, name)
    return build_structured_report(doc, source=source, sha256=sha256, config=config)
