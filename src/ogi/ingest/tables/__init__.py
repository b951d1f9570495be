"""Finding the official tables 二/三/四 in a document's grids (or flattened lines) by their labels.

Readers only lay a file out as grids; this package decides which rows belong to which official table,
maps header columns and row labels to the canonical keys of the format definition, and parses the
cells. Nothing is dropped silently: rows and columns that match nothing become ReadNotes.

Where each decision is made:

- `cells`: cell text → CellValue, and whether a text is a value or a label;
- `vocabulary`: each table definition's phrases, normalised once; the words only one table uses;
- `row_labels`: which row of the format a row label names;
- `headers`: header rows → which grid column holds which column of the format;
- `grid_rows`: a grid's rows prepared once (labels, values, the structure readings are memoised on);
- `segments`: which rows of which grids make up each table;
- `parse`: reading one segment (header runs, body rows, the notes of what did not fit);
- `recognise`: every segment read, the best copy of each table kept;
- `flattened`: tables flattened into text lines (one token per line, or a row's label and its numbers);
- `detect_format`: the format (2019 or 2021) from the words only one format uses;
- `memo`: the memo idioms all of these share.
"""

from ogi.ingest.tables.detect_format import detect_format
from ogi.ingest.tables.flattened import recognise_from_lines
from ogi.ingest.tables.recognise import recognise_tables

__all__ = ["detect_format", "recognise_from_lines", "recognise_tables"]
