"""The PDF reader lays pages out with pdfium; it must read exactly what the pdfplumber (pdfminer) reader
read (kept as tests/reference_pdf.py): the same lines, grids, merged cells, locators, metadata and notes.
Where pdfium's layout could differ, the document is read by pdfplumber as before (and said here)."""

from __future__ import annotations

import itertools
import random
from pathlib import Path

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


# --- pdfplumber's steps done faster (pdf_layout) hold to pdfplumber's own results -------------------


_TEXT = st.sampled_from(["数", "字", "1", "2", "a", "b", " ", "", "ﬁ", "。"])


@given(st.lists(st.tuples(_TEXT, st.floats(0, 60), st.floats(0.5, 9), st.floats(0, 12)), min_size=1,
                max_size=25))
@settings(max_examples=300, deadline=None)
def test_cell_text_equals_pdfplumbers(parts: list[tuple[str, float, float, float]]) -> None:
    from pdfplumber.utils import extract_text

    from ogi.ingest.pdf_layout import extract_text as ours

    chars = [{"text": text, "x0": x0, "x1": x0 + width, "top": top, "bottom": top + 10, "doctop": top,
              "upright": True} for text, x0, width, top in parts]
    assert ours(chars) == extract_text(chars)


@given(st.integers(0, 2**32 - 1), st.integers(2, 7), st.integers(2, 7))
@settings(max_examples=150, deadline=None)
def test_cells_between_ruling_lines_equal_pdfplumbers(seed: int, columns: int, rows: int) -> None:
    """Grids with missing, jittered, split and extra lines: the same intersections and cells."""
    from pdfplumber.table import edges_to_intersections, intersections_to_cells

    from ogi.ingest.pdf_layout import edges_to_intersections as our_intersections
    from ogi.ingest.pdf_layout import intersections_to_cells as our_cells

    rng = random.Random(seed)
    xs = sorted(rng.sample(range(10, 400, 7), columns))
    ys = sorted(rng.sample(range(10, 600, 9), rows))
    edges = []
    for x in xs:
        for top, bottom in itertools.pairwise(ys):
            if rng.random() < 0.85:
                jitter = rng.choice([0, 0, 0.5, 1.5])
                edges.append({"orientation": "v", "x0": x + jitter, "x1": x + jitter, "top": top, "bottom": bottom,
                              "width": 0, "height": bottom - top})
    for y in ys:
        for left, right in itertools.pairwise(xs):
            if rng.random() < 0.85:
                edges.append({"orientation": "h", "x0": left, "x1": right, "top": y, "bottom": y,
                              "width": right - left, "height": 0})
    mine = our_intersections(edges, 3, 3)
    theirs = edges_to_intersections(edges, 3, 3)
    assert {k: (sorted(map(id, v["v"])), sorted(map(id, v["h"]))) for k, v in mine.items()} == {
        k: (sorted(map(id, v["v"])), sorted(map(id, v["h"]))) for k, v in theirs.items()}
    assert our_cells(theirs) == intersections_to_cells(theirs)
