"""The PDF reader lays pages out with pdfium; it must read exactly what the pdfplumber (pdfminer) reader
read (kept as tests/reference_pdf.py): the same lines, grids, merged cells, locators, metadata and notes.
Where pdfium's layout could differ, the document is read by pdfplumber as before (and said here)."""

from __future__ import annotations

import itertools
import random
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import reference_pdf
from ogi.ingest import pdf as fast
from ogi.ingest.errors import UnreadableFile
from ogi.testing import generate, render
from ogi.testing.render import PDF_STYLES, CJKFontNotFound, find_cjk_font

REAL = Path(__file__).parent.parent / "examples"


def _font() -> str:
    try:
        return find_cjk_font()
    except CJKFontNotFound as exc:
        pytest.skip(str(exc))


def _same(data: bytes) -> None:
    try:
        expected = reference_pdf.read_pdf(data)
    except UnreadableFile as exc:
        with pytest.raises(UnreadableFile) as caught:
            fast.read_pdf(data)
        assert (caught.value.code, caught.value.reason_en) == (exc.code, exc.reason_en)
        return
    assert fast.read_pdf(data) == expected


def _generated(n: int = 8) -> list[tuple[str, bytes]]:
    _font()
    out = []
    for i in range(n):
        report = generate(seed=900 + i, format_version=("2021", "2019")[i % 2])
        if i % 3 == 1:
            report = report.unbalanced("natural_person", 2)
        style = PDF_STYLES[i % len(PDF_STYLES)]
        out.append((f"{style}-{i}", render(report, "pdf", style)))
    return out


@pytest.fixture(scope="module")
def generated() -> list[tuple[str, bytes]]:
    return _generated()


def test_generated_reports_read_alike_through_pdfium(generated: list[tuple[str, bytes]]) -> None:
    for _, data in generated:
        assert fast._read_with_pdfium(data) is not None  # the fast path, not the fallback
        _same(data)


def test_real_huaian_reads_alike_through_pdfium() -> None:
    data = (REAL / "huaian-2024.pdf").read_bytes()
    assert fast._read_with_pdfium(data) is not None
    _same(data)


def _fpdf() -> object:
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_font("cjk", fname=_font())
    pdf.add_page()
    pdf.set_font("cjk", size=11)
    return pdf


def test_merged_cells_wrapped_labels_and_a_table_across_pages() -> None:
    """A table whose header spans columns and whose labels wrap, long enough to go on to a second page;
    text objects written out of order; a bordered text box."""
    from fpdf.fonts import FontFace

    pdf = _fpdf()
    pdf.text(150, 20, "2024年1月")  # written before the title above it
    pdf.set_xy(10, 30)
    pdf.multi_cell(0, 7, "一、总体情况\n本年度共收到政府信息公开申请 12 件，办结 11 件。", border=1)
    with pdf.table(col_widths=(50, 25, 25, 25), headings_style=FontFace(),
                   num_heading_rows=2) as table:
        header = table.row()
        header.cell("本列数据的勾稽关系为：第一项加第二项之和等于第三项", rowspan=2)
        header.cell("申请人情况", colspan=3)
        sub = table.row()
        for name in ("自然人", "法人或其他组织", "总计"):
            sub.cell(name)
        for i in range(45):
            row = table.row()
            row.cell(f"（{i + 1}）本年新收政府信息公开申请数量与上年结转数量之和")
            for value in (i, 2 * i, 3 * i):
                row.cell(str(value))
    data = bytes(pdf.output())  # type: ignore[attr-defined]
    assert fast._read_with_pdfium(data) is not None
    _same(data)
    doc = fast.read_pdf(data)
    assert len(doc.grids) >= 2 and {g.locator.page for g in doc.grids} >= {1, 2}


def test_rotated_text_is_read_by_pdfplumber() -> None:
    pdf = _fpdf()
    pdf.text(20, 20, "本年新收申请")
    with pdf.rotation(90, 50, 100):  # type: ignore[attr-defined]
        pdf.text(50, 100, "竖排文字")
    data = bytes(pdf.output())  # type: ignore[attr-defined]
    assert fast._read_with_pdfium(data) is None  # pdfminer's boxes of rotated glyphs are another shape
    _same(data)


def test_a_rotated_page_is_read_by_pdfplumber(generated: list[tuple[str, bytes]]) -> None:
    data = generated[0][1]
    assert b"/Type /Page\n" in data or b"/Type /Page " in data
    rotated = data.replace(b"/Type /Page\n", b"/Type /Page /Rotate 90\n", 1).replace(
        b"/Type /Page ", b"/Type /Page /Rotate 90 ", 1)
    assert fast._read_with_pdfium(rotated) is None
    _same(rotated)


def test_damaged_and_encrypted_pdfs_are_refused_alike() -> None:
    from fpdf import FPDF
    from fpdf.enums import EncryptionMethod

    pdf = FPDF()
    pdf.add_page()
    pdf.set_encryption(owner_password="o", user_password="secret", encryption_method=EncryptionMethod.RC4)
    real = (REAL / "huaian-2024.pdf").read_bytes()
    for data in (bytes(pdf.output()), b"%PDF-1.4\n1 0 obj << /Type /Catalog >> garbage", real[: len(real) // 3]):
        _same(data)


# --- pdfplumber's algorithms done on tuples (pdf_layout) hold to pdfplumber's own on the same objects ----


def _char_dicts(chars: list[tuple[float, float, float, float, str]]) -> list[dict[str, object]]:
    """The characters as pdfplumber's page has them (the keys its text and table code reads)."""
    return [{"object_type": "char", "x0": x0, "x1": x1, "top": top, "bottom": bottom, "doctop": top, "text": text,
             "upright": True} for x0, x1, top, bottom, text in chars]


def _edge_dicts(edges: list[tuple[str, float, float, float, float, float, float]]) -> list[dict[str, object]]:
    return [{"object_type": "rect_edge", "orientation": o, "x0": x0, "x1": x1, "top": top, "bottom": bottom,
             "doctop": top, "width": width, "height": height} for o, x0, x1, top, bottom, width, height in edges]


class _PlumberPage:
    """A pdfplumber-shaped page over pdfium's objects, for pdfplumber's own table finder and text lines."""

    def __init__(self, chars: list[Any], edges: list[Any], bbox: tuple[float, float, float, float]) -> None:
        self.chars = _char_dicts(chars)
        self.edges = _edge_dicts(edges)
        self.bbox = bbox


def _pdfplumber_reading(objects: object) -> tuple[list[object], list[object]]:
    """pdfplumber's tables (cells, rows, extracted text) and text lines outside them, on the page's objects."""
    from pdfplumber.table import TableFinder
    from pdfplumber.utils import chars_to_textmap

    page = _PlumberPage(objects.chars, objects.edges, objects.bbox)  # type: ignore[attr-defined]
    tables = TableFinder(page).tables  # type: ignore[arg-type]
    found = [(sorted(t.cells), t.bbox, [r.cells for r in t.rows], t.extract()) for t in tables]
    kept = [c for c in page.chars if fast._outside([t.bbox for t in tables if not fast._is_text_box(t.rows)])(c)]
    lines = [(line["text"], line["x0"], line["top"])
             for line in chars_to_textmap(kept, layout_bbox=page.bbox).extract_text_lines(return_chars=False)]
    return found, lines


def _our_reading(objects: object) -> tuple[list[object], list[object]]:
    from ogi.ingest.pdf_layout import CharIndex, find_tables, text_lines

    tables = find_tables(objects.edges)  # type: ignore[attr-defined]
    index = CharIndex(objects.chars)  # type: ignore[attr-defined]
    found = [(sorted(t.cells), t.bbox, [r.cells for r in t.rows], index.cell_texts(t.rows)) for t in tables]
    lines = text_lines(index.outside([t.bbox for t in tables if not fast._is_text_box(t.rows)]))
    return found, lines


def _pages(data: bytes) -> list[object]:
    """pdfium's objects of each page, as the reader lays them out."""
    import pypdfium2 as pdfium

    _, boxes = fast._document_info(data)
    pdf = pdfium.PdfDocument(data)
    try:
        return list(fast._laid_out(pdf, boxes))
    finally:
        pdf.close()


def _pdf_files() -> list[Path]:
    tests = Path(__file__).parent
    return sorted({*tests.glob("**/*.pdf"), *REAL.glob("*.pdf")}, key=lambda p: p.name)


@pytest.mark.parametrize("path", _pdf_files(), ids=lambda p: p.name)
def test_real_pdfs_read_alike(path: Path) -> None:
    """Every PDF of the tests and examples: the whole reading as the pdfplumber reader's, and, page by page
    on pdfium's objects, the same tables, cells and lines as pdfplumber's own algorithms find."""
    data = path.read_bytes()
    _same(data)
    if fast._read_with_pdfium(data) is None:
        return  # read by pdfplumber itself
    for objects in _pages(data):
        assert _our_reading(objects) == _pdfplumber_reading(objects)


def test_generated_pages_equal_pdfplumbers_algorithms(generated: list[tuple[str, bytes]]) -> None:
    for _, data in generated:
        for objects in _pages(data):
            assert _our_reading(objects) == _pdfplumber_reading(objects)


_TEXT = st.sampled_from(["数", "字", "1", "2", "a", "b", " ", "", "ﬁ", "。", "\u3000"])
_PARTS = st.lists(st.tuples(_TEXT, st.floats(0, 60), st.floats(0.5, 9), st.floats(0, 12)), min_size=1, max_size=25)


def _chars(parts: list[tuple[str, float, float, float]]) -> list[tuple[float, float, float, float, str]]:
    return [(x0, x0 + width, top, top + 10, text) for text, x0, width, top in parts]


@given(_PARTS)
@settings(max_examples=300, deadline=None)
def test_cell_text_equals_pdfplumbers(parts: list[tuple[str, float, float, float]]) -> None:
    from pdfplumber.utils import extract_text

    from ogi.ingest.pdf_layout import extract_text as ours

    chars = _chars(parts)
    assert ours(chars) == extract_text(_char_dicts(chars))


@given(_PARTS)
@settings(max_examples=300, deadline=None)
def test_text_lines_equal_pdfplumbers(parts: list[tuple[str, float, float, float]]) -> None:
    """Characters in any order, overlapping, touching, on near lines: the text map's lines."""
    from pdfplumber.utils import chars_to_textmap

    from ogi.ingest.pdf_layout import text_lines

    chars = _chars(parts)
    theirs = chars_to_textmap(_char_dicts(chars), layout_bbox=(0, 0, 100, 100)).extract_text_lines(return_chars=False)
    assert text_lines(chars) == [(line["text"], line["x0"], line["top"]) for line in theirs]


def _ruling(seed: int, columns: int, rows: int) -> list[tuple[str, float, float, float, float, float, float]]:
    """Grids with missing, jittered, split, overlapping, short and extra lines, as lines and rects' edges."""
    rng = random.Random(seed)
    xs = sorted(rng.sample(range(10, 400, 7), columns))
    ys = sorted(rng.sample(range(10, 600, 9), rows))
    edges: list[tuple[str, float, float, float, float, float, float]] = []
    for x in xs:
        for top, bottom in itertools.pairwise(ys):
            if rng.random() < 0.85:
                x0 = x + rng.choice([0, 0, 0.5, 1.5, 2.9, 0.1 + 0.2])
                top, bottom = top + rng.choice([0, 0, 0.3, -2]), bottom + rng.choice([0, 0, 4, -1.7])
                edges.append(("v", x0, x0, top, bottom, 0, bottom - top))
    for y in ys:
        for left, right in itertools.pairwise(xs):
            if rng.random() < 0.85:
                top = y + rng.choice([0, 0, 0.5, 1.1, 3.3])
                left, right = left + rng.choice([0, 0, 2.5, -3.5]), right + rng.choice([0, 0, 5, -2])
                edges.append(("h", left, right, top, top + rng.choice([0, 0, 1e-13]), right - left, 0))
    for _ in range(rng.randint(0, 4)):  # stray short or long lines
        x, y, length = rng.uniform(0, 400), rng.uniform(0, 600), rng.choice([0.5, 2, 2.99, 3, 50])
        edges.append(("h", x, x + length, y, y, length, 0) if rng.random() < 0.5 else ("v", x, x, y, y + length, 0,
                                                                                        length))
    rng.shuffle(edges)
    return edges


@given(st.integers(0, 2**32 - 1), st.integers(2, 7), st.integers(2, 7))
@settings(max_examples=200, deadline=None)
def test_ruling_lines_and_cells_equal_pdfplumbers(seed: int, columns: int, rows: int) -> None:
    from pdfplumber.table import TableFinder

    from ogi.ingest.pdf_layout import CharIndex, find_tables, table_edges
    from ogi.ingest.pdf_layout import edges_to_intersections as our_intersections
    from ogi.ingest.pdf_layout import intersections_to_cells as our_cells

    edges = _ruling(seed, columns, rows)
    rng = random.Random(seed)
    chars = []  # text scattered over the grid, on its lines too
    for _ in range(rng.randint(0, 60)):
        x0 = rng.choice([rng.uniform(0, 420), float(rng.randrange(0, 420, 7))])
        top = rng.choice([rng.uniform(0, 620), float(rng.randrange(0, 620, 9))])
        chars.append((x0, x0 + rng.choice([3, 5.5, 10]), top, top + rng.choice([4, 9, 12]), rng.choice("数1 a")))
    finder = TableFinder(_PlumberPage(chars, edges, (0, 0, 500, 700)))  # type: ignore[arg-type]
    ours = table_edges(edges)
    assert ours == [(e["orientation"], e["x0"], e["x1"], e["top"], e["bottom"], e["width"], e["height"])
                    for e in finder.edges]
    mine = our_intersections(ours)
    assert set(mine) == set(finder.intersections)
    for point in mine:
        v, h = mine.edge_boxes(point)
        assert v == {(e["x0"], e["top"], e["x1"], e["bottom"]) for e in finder.intersections[point]["v"]}
        assert h == {(e["x0"], e["top"], e["x1"], e["bottom"]) for e in finder.intersections[point]["h"]}
    assert our_cells(mine) == finder.cells
    index = CharIndex(chars)
    assert [index.cell_texts(t.rows) for t in finder.tables] == [t.extract() for t in finder.tables]
    # the same tables, each with the same cells (in another order within it: nothing reads that order)
    assert [(sorted(t.cells), t.bbox, [r.cells for r in t.rows]) for t in find_tables(edges)] == [
        (sorted(t.cells), t.bbox, [r.cells for r in t.rows]) for t in finder.tables]


@given(st.lists(st.tuples(st.integers(0, 5), st.integers(1, 4)), min_size=1, max_size=12))
def test_chars_out_of_content_order_are_sorted_by_their_text_object(runs: list[tuple[int, int]]) -> None:
    """pdfium's text page may list a text object's chars before an earlier object's: they are put back in
    content order (pdfminer's), each object's chars in pdfium's order."""
    from ogi.ingest.pdf_objects import _content_order

    chars, ranks, runs_at = [], [], []
    for rank, length in runs:
        runs_at.append((len(chars), rank))
        for _ in range(length):
            chars.append((float(len(chars)), 0.0, 0.0, 0.0, "x"))
            ranks.append(rank)
    expected = [char for _, _, char in sorted(zip(ranks, range(len(chars)), chars, strict=True))]
    assert _content_order(chars, runs_at) == expected


def test_locators_built_without_the_dataclass_init_are_the_dataclasses() -> None:
    """The reader builds its locators without the frozen dataclass's __init__: they must be the same objects
    in every respect (fields and their order, as `to_dict` and the JSON read them; equality, hash, pickling,
    immutability; the same size)."""
    import dataclasses
    import pickle

    from ogi.model import SourceLocator

    pairs = [
        (fast._locator(3, 2, 5, 7, None), SourceLocator(kind="pdf", page=3, table=2, row=5, col=7)),
        (fast._locator(1, None, None, None, 9), SourceLocator(kind="pdf", page=1, line=9)),
    ]
    for built, made in pairs:
        assert type(built) is type(made)
        assert list(vars(built).items()) == list(vars(made).items())
        assert [f.name for f in dataclasses.fields(made)] == list(vars(built))
        assert built == made and hash(built) == hash(made)
        assert pickle.loads(pickle.dumps(built)) == made
        assert built.to_dict() == made.to_dict() and list(built.to_dict()) == list(made.to_dict())
        with pytest.raises(dataclasses.FrozenInstanceError):
            built.page = 4  # type: ignore[misc]
    # Their attributes stay inline, as an __init__ keeps them: no dict of their own per locator (documents keep
    # hundreds of them), which would also cost every SourceLocator made after it. Held to a fresh class's.
    @dataclasses.dataclass(frozen=True)
    class Fresh:
        kind: str
        line: int | None = None
        page: int | None = None
        table: int | None = None
        row: int | None = None
        col: int | None = None
        sheet: str | None = None
        cell: str | None = None

    assert _traced(lambda: [fast._locator(1, 1, r, 1, None) for r in range(2000)]) <= 1.05 * _traced(
        lambda: [Fresh(kind="pdf", page=1, table=1, row=r, col=1) for r in range(2000)])


def _traced(build: Any) -> int:
    import tracemalloc

    tracemalloc.start()
    try:
        kept = build()
        size = tracemalloc.get_traced_memory()[0]
    finally:
        tracemalloc.stop()
    del kept
    return size


def test_path_segments_read_from_pdfiums_array_equal_its_calls(generated: list[tuple[str, bytes]]) -> None:
    """Path segments are read from pdfium's segment array in one go once it is seen to hold what the four
    calls per segment return; read either way, every path of the generated reports is the same."""
    import pypdfium2 as pdfium

    from ogi.ingest import pdf_objects

    fast.read_pdf(generated[0][1])
    assert pdf_objects._ARRAY_READ == [True]  # this pdfium's array was checked and is read
    segments = 0
    for _, data in generated[:3]:
        pdf = pdfium.PdfDocument(data)
        try:
            for page in pdf:
                paths: list[Any] = []
                pdf_objects._walk(page.raw, None, pdf_objects._IDENTITY, {}, paths)
                from_array = pdf_objects._path_ops(paths)
                segments += sum(len(points) for _, points in from_array)
                pdf_objects._ARRAY_READ[:] = [False]
                try:
                    assert pdf_objects._path_ops(paths) == from_array
                finally:
                    pdf_objects._ARRAY_READ[:] = [True]
                page.close()
        finally:
            pdf.close()
    assert segments > 100
