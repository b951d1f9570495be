"""RawDocument → Report: the interpretation every input kind shares."""

from __future__ import annotations

from dataclasses import replace

from ogi.config import Config
from ogi.ingest.agency import agency_and_year, agency_from_page, opening_statement
from ogi.ingest.document import RawDocument
from ogi.ingest.facts import section_facts
from ogi.ingest.headings import split_sections
from ogi.ingest.metadata import (
    attachments,
    declared_basics,
    find_title,
    header_fields,
    publication_date,
    resolve_level,
    signature_date,
    statistical_period,
)
from ogi.ingest.paragraphs import merge_wrapped_lines
from ogi.ingest.tables import detect_format, recognise_from_lines, recognise_tables
from ogi.ingest.tables.old_statistics import read_old_statistics
from ogi.model import ReadNote, Report, Table
from ogi.schemas.definitions import format_for_year, load_format


def build_report(raw: RawDocument, *, source: str, sha256: str, config: Config) -> Report:
    if raw.kind == "pdf":
        raw = replace(raw, lines=merge_wrapped_lines(raw.lines))
    fields = header_fields(raw.lines)
    title = find_title(raw, fields)
    agency, year = agency_and_year(title)
    # Data typed into a form (the Excel template's 基本信息 sheet) beats what a title implies.
    declared_agency, declared_year, declared_level = declared_basics(raw.meta)
    agency = declared_agency or agency
    year = declared_year or year
    text = raw.text  # joined on every access
    period = statistical_period(text)
    if year is None and period is not None:
        year = period[0].year
    opening = text[:1500]  # where a preamble names the agency and year when the title does not
    if year is None:
        year = opening_statement(opening)[1]
    version, evidence = detect_format(raw, year)
    if version is None:
        version = format_for_year(year)
        evidence = "data year" if version else ""
    fmt = load_format(version or "2021")
    preamble, sections = split_sections(raw.lines, fmt)
    if agency is None:
        agency = agency_from_page(raw, fields, opening)
    notes: list[ReadNote] = list(raw.notes)
    tables: dict[str, Table] = {}
    own = {key: tdef for key, tdef in fmt.tables.items() if tdef.reader}
    for key, tdef in own.items():  # tables with a reader of their own (the 2008-era statistics table)
        table, own_notes = read_old_statistics(raw, tdef)
        if table is not None:
            tables[key] = table
        notes.extend(own_notes)
    if fmt.tables and not own:
        tables, table_notes = recognise_tables(raw, fmt)
        notes.extend(table_notes)
        missing = [key for key in fmt.tables if key not in tables]
        if missing:  # a table no grid holds may be in the text (flattened, or its cells run together)
            more, more_notes = recognise_from_lines(raw.lines, fmt, missing)
            tables.update(more)
            notes.extend(more_notes)
    level, inferred = resolve_level(agency, config)
    if declared_level and not config.level:
        level, inferred = declared_level, False
    published = publication_date(raw, fields)
    if published is not None and published.source == "url":
        notes.append(ReadNote("date-from-url", f"发布日期仅从网址推断（{published.raw}），可能是转载日期",
                              f"publication date inferred from the URL only ({published.raw}); it may be a re-post"))
    return Report(
        source=source,
        sha256=sha256,
        kind=raw.kind,
        agency=agency,
        level=level,
        level_inferred=inferred,
        year=year,
        format_version=version,
        format_detected_from=evidence,
        title=title,
        published=published,
        signed=signature_date(raw),
        period=period,
        encoding=raw.encoding,
        sections=tuple(sections),
        preamble=preamble,
        tables=tables,
        facts=tuple(section_facts(sections, preamble)),
        attachments=tuple(attachments(raw)),
        text=text,
        read_notes=tuple(notes),
    )
