"""Property tests for the table grid builder (HTML rowspan/colspan expansion) and the label matcher."""

from __future__ import annotations

import html
import unicodedata

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ogi.ingest.html import read_html
from ogi.ingest.labels import best_match, match_score, normalize_label
from ogi.schemas.definitions import load_format

FUZZ = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# --- grid builder ---------------------------------------------------------------------------------

# Span attributes as they occur in the wild: ordinary, zero ("to the end"), negative, absurd, garbage.
_SPAN = st.one_of(
    st.none(),
    st.integers(min_value=1, max_value=4).map(str),
    st.sampled_from(["0", "-1", "2;", " 3 ", "", "abc", "1.5", "99999", "１"]),
)
_CELL = st.tuples(_SPAN, _SPAN)
_TABLE = st.lists(st.lists(_CELL, min_size=0, max_size=6), min_size=1, max_size=8)


def _markup(rows: list[list[tuple[str | None, str | None]]], th: bool = False) -> tuple[bytes, list[str]]:
    """A page with one table (a frame of text around it); each cell's text is unique: r{row}c{index}."""
    texts = []
    body = []
    for r, row in enumerate(rows):
        cells = []
        for c, (rowspan, colspan) in enumerate(row):
            text = f"r{r}c{c}"
            texts.append(text)
            attrs = "".join(f' {name}="{html.escape(value)}"' for name, value in (("rowspan", rowspan),
                                                                                  ("colspan", colspan))
                            if value is not None)
            tag = "th" if th and r == 0 else "td"
            cells.append(f"<{tag}{attrs}>{text}</{tag}>")
        body.append("<tr>" + "".join(cells) + "</tr>")
    page = ("<html><head><meta charset='utf-8'></head><body><div class='article'>"
            "<p>某某局2023年政府信息公开工作年度报告</p><table border='1'>" + "".join(body)
            + "</table><p>二、主动公开政府信息情况</p></div></body></html>")
    return page.encode("utf-8"), texts


@given(_TABLE, st.booleans())
@FUZZ
def test_grid_is_a_rectangle_whatever_the_spans(rows: list[list[tuple[str | None, str | None]]],
                                                 th: bool) -> None:
    data, texts = _markup(rows, th)
    doc = read_html(data)  # never raises
    cells_written = sum(len(r) for r in rows)
    if cells_written <= 1:
        return  # a one-cell table is a layout frame, walked into as text
    assert len(doc.grids) == 1
    [grid] = doc.grids
    width = len(grid.rows[0])
    assert all(len(row) == width for row in grid.rows)  # a rectangle
    assert len(grid.rows) <= len(rows)  # spans never add rows past the table
    origins: dict[tuple[int, int], list[tuple[int, int]]] = {}
    for r, row in enumerate(grid.rows):
        for c, cell in enumerate(row):
            oy, ox = cell.origin
            assert 0 <= oy <= r and 0 <= ox <= c
            origin = grid.rows[oy][ox]
            assert origin.origin == (oy, ox) and origin.text == cell.text
            origins.setdefault((oy, ox), []).append((r, c))
    # Each merged span lies below and right of its origin, which it contains. (Overlapping spans in a
    # malformed table, which browsers draw on top of each other, leave the earlier cell in place.)
    for (oy, ox), places in origins.items():
        assert (oy, ox) in places
        assert all(r >= oy and c >= ox for r, c in places)
    # Every cell's text is one written cell's text, each at most once, in reading order.
    written = [grid.rows[oy][ox].text for (oy, ox) in sorted(origins) if grid.rows[oy][ox].text]
    assert all(text in texts for text in written)
    assert len(set(written)) == len(written)
    order = {text: i for i, text in enumerate(texts)}
    by_row: dict[int, list[int]] = {}
    for (oy, ox) in sorted(origins):
        text = grid.rows[oy][ox].text
        if text:
            by_row.setdefault(oy, []).append(order[text])
    for positions in by_row.values():
        assert positions == sorted(positions)


@given(st.lists(st.lists(st.text(alphabet="0123456789/-—无", min_size=1, max_size=4), min_size=2, max_size=5),
                min_size=2, max_size=6))
@FUZZ
def test_grid_without_spans_is_the_table_as_written(values: list[list[str]]) -> None:
    width = max(len(row) for row in values)
    body = "".join("<tr>" + "".join(f"<td>{html.escape(v)}</td>" for v in row) + "</tr>" for row in values)
    doc = read_html(f"<html><body><table>{body}</table></body></html>".encode())
    [grid] = doc.grids
    assert len(grid.rows) == len(values) and len(grid.rows[0]) == width
    for r, row in enumerate(values):
        assert [cell.text for cell in grid.rows[r][: len(row)]] == [v.strip() for v in row]
        assert all(cell.text == "" for cell in grid.rows[r][len(row):])  # short rows are padded blank


# --- label matcher --------------------------------------------------------------------------------


def _labels() -> list[tuple[str, tuple[str, ...]]]:
    """Every row and column label of the 2019 and 2021 tables, with the phrases it is matched by."""
    out = []
    for version in ("2019", "2021"):
        for tdef in load_format(version).tables.values():
            out.extend((row.label, row.match or (row.label,)) for row in tdef.rows)
            out.extend((col.label, col.match or (col.label,)) for col in tdef.columns)
    return out


LABELS = _labels()
_FULLWIDTH = {i: i + 0xFEE0 for i in range(0x21, 0x7F)}
_ORDINALS = st.sampled_from(["", "1.", "1、", "（三）", "(3)", "三、", "【一】", "2．", "①", "（一）1."])


@st.composite
def _decorated(draw: st.DrawFn) -> tuple[str, str]:
    """A definition label as a real table writes it: numbered, spaced, full-width, curly-quoted."""
    label, _ = draw(st.sampled_from(LABELS))
    text = label
    if draw(st.booleans()):
        text = text.translate(_FULLWIDTH)
    spaces = draw(st.lists(st.sampled_from([" ", "\u3000", "\xa0", "\n", "\t"]), max_size=len(text)))
    for i, space in enumerate(spaces):
        at = (i * 7 + 3) % (len(text) + 1)
        text = text[:at] + space + text[at:]
    if draw(st.booleans()):
        text = text.replace('"', "“", 1).replace('"', "”", 1)
    numbered = normalize_label(label) != normalize_label("x" + label)[1:]  # it has its own ordinal
    return label, ("" if numbered else draw(_ORDINALS)) + text


@given(st.text(max_size=60))
@FUZZ
def test_normalize_label_never_raises_and_keeps_only_words(text: str) -> None:
    norm = normalize_label(text)
    assert isinstance(norm, str)
    assert not any(ch.isspace() for ch in norm)
    assert all(unicodedata.category(ch)[0] in "LN" or ch == "_" for ch in norm) or norm == ""


@given(_decorated())
@FUZZ
def test_normalize_label_folds_width_spacing_and_numbering(case: tuple[str, str]) -> None:
    label, written = case
    assert normalize_label(written) == normalize_label(label)


@given(_decorated())
@FUZZ
def test_a_written_label_matches_its_own_phrases(case: tuple[str, str]) -> None:
    label, written = case
    phrases = dict(LABELS)[label]
    assert match_score(normalize_label(written), phrases) > 0


@given(_decorated(), st.data())
@FUZZ
def test_best_match_is_the_highest_scoring_candidate_and_ignores_decoration(case: tuple[str, str],
                                                                             data: st.DataObject) -> None:
    label, written = case
    candidates = data.draw(st.lists(st.sampled_from(LABELS), min_size=1, max_size=8, unique_by=lambda x: x[0]))
    chosen = best_match(written, candidates)
    assert chosen == best_match(label, candidates)
    norm = normalize_label(written)
    scores = {key: match_score(norm, phrases) for key, phrases in candidates}
    if chosen is None:
        assert all(score == 0 for score in scores.values())
    else:
        assert scores[chosen] == max(scores.values()) > 0
        first_best = next(key for key, _ in candidates if scores[key] == scores[chosen])
        assert chosen == first_best  # ties go to the first candidate: deterministic


@given(st.text(max_size=30), st.lists(st.tuples(st.text(max_size=6), st.lists(st.text(max_size=6), max_size=3)),
                                      max_size=6))
@FUZZ
def test_best_match_never_raises(text: str, candidates: list[tuple[str, list[str]]]) -> None:
    result = best_match(text, candidates)
    assert result is None or result in {key for key, _ in candidates}
