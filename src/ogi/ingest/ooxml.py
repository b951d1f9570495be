"""The parts of an Office Open XML package (DOCX, XLSX), read straight from the checked zip with lxml.

The zip is checked first (`ziputil`: bombs, DOCTYPE/ENTITY declarations); then each part a reader asks for
is parsed with a parser that resolves no entity, loads no DTD and reaches no network, and keeps libxml2's
limits on depth and text size (no huge_tree). Relationships and content types are read as the Open
Packaging Conventions say (part names relative to the part that refers to them).
"""

from __future__ import annotations

import posixpath

from lxml import etree

from ogi.ingest.ziputil import checked_zip

# remove_blank_text as python-docx and openpyxl parse: whitespace-only text between elements is dropped.
PARSER = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False,
                         remove_blank_text=True)
_RELS = "{http://schemas.openxmlformats.org/package/2006/relationships}Relationship"
_CT = "{http://schemas.openxmlformats.org/package/2006/content-types}"


class OoxmlPackage:
    """A package's parts by name (without the leading slash), relationships and content types."""

    def __init__(self, data: bytes) -> None:
        self.zip, self.parts = checked_zip(data)
        self._rels: dict[str, list[tuple[str, str]]] = {}
        self._types: tuple[dict[str, str], dict[str, str]] | None = None
        self._listed: list[tuple[str, str]] = []

    def close(self) -> None:
        self.zip.close()

    def read(self, name: str) -> bytes:
        """A part's bytes; KeyError when the package has no such part."""
        part = self.parts.get(name)
        return part if part is not None else self.zip.read(name)

    def xml(self, name: str) -> etree._Element:
        """A part parsed (KeyError when absent, etree.XMLSyntaxError when not well-formed)."""
        return etree.fromstring(self.read(name), PARSER)

    def has(self, name: str) -> bool:
        return name in self.parts or name in self.zip.NameToInfo

    def relationships_by_id(self, source: str) -> dict[str, tuple[str, str]]:
        """Id → (type, target) of every relationship of `source`: internal targets as part names, external ones
        (hyperlinks) as written."""
        folder, base = posixpath.split(source)
        rels_name = posixpath.join(folder, "_rels", f"{base}.rels")
        out: dict[str, tuple[str, str]] = {}
        if self.has(rels_name):
            for rel in self.xml(rels_name).iter(_RELS):
                target = rel.get("Target") or ""
                if rel.get("TargetMode") != "External":
                    name = target[1:] if target.startswith("/") else posixpath.join(folder, target)
                    target = posixpath.normpath(name).lstrip("/")
                out[rel.get("Id") or ""] = (rel.get("Type") or "", target)
        return out

    def relationships(self, source: str) -> list[tuple[str, str]]:
        """(type, target part name) of each internal relationship of `source` ("" for the package), in order."""
        if source in self._rels:
            return self._rels[source]
        folder, base = posixpath.split(source)
        rels_name = posixpath.join(folder, "_rels", f"{base}.rels")
        out: list[tuple[str, str]] = []
        if self.has(rels_name):
            for rel in self.xml(rels_name).iter(_RELS):
                target = rel.get("Target")
                if not target or rel.get("TargetMode") == "External":
                    continue
                name = target[1:] if target.startswith("/") else posixpath.join(folder, target)
                out.append((rel.get("Type") or "", posixpath.normpath(name).lstrip("/")))
        self._rels[source] = out
        return out

    def related(self, source: str, reltype: str, *, suffix: bool = False) -> str | None:
        """The part `source` refers to by its first relationship of `reltype` (or of a type ending so), if the
        package has it (a relationship to a missing part is as good as none)."""
        for kind, name in self.relationships(source):
            if kind.endswith(reltype) if suffix else kind == reltype:
                return name if self.has(name) else None
        return None

    def part_of_type(self, content_type: str) -> str | None:
        """The first part [Content_Types].xml overrides to `content_type`."""
        self._content_types()
        for name, found in self._listed:
            if found == content_type:
                return name.lstrip("/")
        return None

    def default_types(self) -> set[str]:
        return set(self._content_types()[1].values())

    def content_type(self, name: str) -> str | None:
        """From [Content_Types].xml: the part's Override, else the Default for its extension."""
        overrides, defaults = self._content_types()
        found = overrides.get(f"/{name}".lower())
        if found is None:
            found = defaults.get(posixpath.splitext(name)[1][1:].lower())
        return found

    def _content_types(self) -> tuple[dict[str, str], dict[str, str]]:
        """Overrides (by part name in lower case) and defaults (by extension); the overrides in order too."""
        if self._types is None:
            overrides: dict[str, str] = {}
            defaults: dict[str, str] = {}
            if self.has("[Content_Types].xml"):
                for el in self.xml("[Content_Types].xml"):
                    if el.tag == _CT + "Override":
                        name, content_type = el.get("PartName") or "", el.get("ContentType") or ""
                        overrides[name.lower()] = content_type
                        self._listed.append((name, content_type))
                    elif el.tag == _CT + "Default":
                        defaults[(el.get("Extension") or "").lower()] = el.get("ContentType") or ""
            self._types = (overrides, defaults)
        return self._types
