"""The DOCX and XLSX readers read the package parts with lxml; they must lay documents out exactly as the
readers on python-docx's and openpyxl's object models did (kept as references: tests/reference_docx.py,
tests/reference_xlsx.py): the same lines, grids, merged cells, locators, metadata and notes."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest

import reference_docx
import reference_xlsx
from ogi.ingest.docx import read_docx
from ogi.ingest.errors import UnreadableFile
from ogi.ingest.xlsx import read_xlsx
from ogi.testing import generate, render
from ogi.testing.render import DOCX_STYLES, XLSX_STYLES

REAL = Path(__file__).parent.parent / "examples"
W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def _generated(kind: str, styles: tuple[str, ...], n: int = 12) -> list[tuple[str, bytes]]:
    out = []
    for i in range(n):
        report = generate(seed=500 + i, format_version=("2021", "2019")[i % 2])
        if i % 3 == 1:
            report = report.unbalanced("natural_person", 2)
        elif i % 3 == 2:
            report = report.template_leftover()
        style = styles[i % len(styles)]
        out.append((f"{kind}-{style}-{i}", render(report, kind, style)))
    return out


def _replace(package: bytes, name: str, content: bytes) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(package)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            if info.filename != name:
                dst.writestr(info.filename, src.read(info))
        dst.writestr(name, content)
    return out.getvalue()


def _part(package: bytes, name: str) -> bytes:
    with zipfile.ZipFile(io.BytesIO(package)) as zf:
        return zf.read(name)


def _same(fast: object, reference: object, data: bytes) -> None:
    try:
        expected = reference(data)  # type: ignore[operator]
    except UnreadableFile as exc:
        with pytest.raises(UnreadableFile) as caught:
            fast(data)  # type: ignore[operator]
        assert caught.value.code == exc.code
        return
    assert fast(data) == expected  # type: ignore[operator]


# --- DOCX --------------------------------------------------------------------------------------


def _word_body(body: str) -> bytes:
    """A python-docx document whose body is `body` (WordprocessingML, prefix w)."""
    import docx

    buf = io.BytesIO()
    docx.Document().save(buf)
    document = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:document xmlns:w="{W_NS}" '
                'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006">'
                f"<w:body>{body}</w:body></w:document>")
    return _replace(buf.getvalue(), "word/document.xml", document.encode())


def _p(text: str, props: str = "", run_props: str = "") -> str:
    return f"<w:p>{props}<w:r>{run_props}<w:t xml:space=\"preserve\">{text}</w:t></w:r></w:p>"


TRICKY_BODY = "".join([
    _p("某局2023年政府信息公开工作年度报告", '<w:pPr><w:pStyle w:val="Title"/></w:pPr>'),
    _p("一、总体情况", '<w:pPr><w:pStyle w:val="Heading1"/></w:pPr>'),
    _p("加粗的段落", "", "<w:rPr><w:b/></w:rPr>"),
    _p("黑体的段落", "", '<w:rPr><w:rFonts w:eastAsia="黑体"/></w:rPr>'),
    # tracked changes, a field code, a tab, a soft break, a non-breaking hyphen
    '<w:p><w:r><w:t>收到</w:t></w:r><w:del><w:r><w:delText>删去</w:delText><w:t>也删去</w:t></w:r></w:del><w:ins><w:r><w:t>申请'
    '</w:t></w:r></w:ins><w:r><w:instrText>PAGE</w:instrText><w:tab/><w:t>12</w:t><w:br/><w:t>件</w:t>'
    '<w:noBreakHyphen/></w:r></w:p>',
    # a text box with its fallback copy
    '<w:p><w:r><w:t>框外</w:t></w:r><w:r><mc:AlternateContent><mc:Choice Requires="wps"><w:drawing><w:txbxContent>'
    '<w:p><w:r><w:t>框内</w:t></w:r></w:p></w:txbxContent></w:drawing></mc:Choice><mc:Fallback><w:pict>'
    '<w:txbxContent><w:p><w:r><w:t>框内</w:t></w:r></w:p></w:txbxContent></w:pict></mc:Fallback>'
    '</mc:AlternateContent></w:r></w:p>',
    # a content control around a paragraph and a table with gridBefore, spans, vertical merges, a nested table
    f'<w:sdt><w:sdtContent>{_p("控件中的段落")}</w:sdtContent></w:sdt>',
    '<w:tbl><w:tblGrid><w:gridCol/><w:gridCol/><w:gridCol/><w:gridCol/></w:tblGrid>'
    '<w:tr><w:tc><w:tcPr><w:vMerge w:val="restart"/></w:tcPr>' + _p("合并") + '</w:tc>'
    '<w:tc><w:tcPr><w:gridSpan w:val="3"/></w:tcPr>' + _p("申请人情况") + '</w:tc></w:tr>'
    '<w:tr><w:tc><w:tcPr><w:vMerge/></w:tcPr>' + _p("") + '</w:tc><w:tc>' + _p("自然人") + '</w:tc>'
    '<w:sdt><w:sdtContent><w:tc>' + _p("商业企业") + '</w:tc></w:sdtContent></w:sdt><w:tc><w:tbl><w:tr><w:tc>'
    + _p("嵌套") + '</w:tc></w:tr></w:tbl>' + _p("其他") + '</w:tc></w:tr>'
    '<w:tr><w:trPr><w:gridBefore w:val="1"/></w:trPr><w:tc>' + _p("1") + '</w:tc><w:tc>' + _p("2")
    + '</w:tc></w:tr></w:tbl>',
])


@pytest.mark.parametrize(("name", "data"), _generated("docx", DOCX_STYLES), ids=lambda v: v if isinstance(v, str)
                         else "")
def test_docx_generated(name: str, data: bytes) -> None:
    _same(read_docx, reference_docx.read_docx, data)


def test_docx_real_template() -> None:
    _same(read_docx, reference_docx.read_docx, (REAL / "template-2021-blank.docx").read_bytes())


def test_docx_tricky_body() -> None:
    _same(read_docx, reference_docx.read_docx, _word_body(TRICKY_BODY))


def test_docx_text_holding_the_separator() -> None:
    """The transform's separator in the text: the document is read paragraph by paragraph, the same."""
    data = _word_body(TRICKY_BODY + _p("私用区字符\ue000也要读出"))
    _same(read_docx, reference_docx.read_docx, data)
    assert "私用区字符\ue000也要读出" in read_docx(data).text


@pytest.mark.parametrize("rewrite", ["comment", "quotes", "other-prefix", "entity-in-id"])
def test_docx_styles_written_otherwise(rewrite: str) -> None:
    """Styles parts the byte search does not read plainly are parsed whole, with the same outcome."""
    data = _word_body(TRICKY_BODY)
    styles = _part(data, "word/styles.xml")
    if rewrite == "comment":
        styles = styles.replace(b"<w:style ", b"<!-- a --><w:style ", 1)
    elif rewrite == "quotes":
        styles = styles.replace(b'w:styleId="Heading1"', b"w:styleId='Heading1'")
    elif rewrite == "other-prefix":
        styles = styles.replace(b"<w:", b"<ww:").replace(b"</w:", b"</ww:").replace(b" w:", b" ww:").replace(
            b"xmlns:w=", b"xmlns:ww=")
    else:
        styles = styles.replace(b'w:styleId="Title"', b'w:styleId="&#84;itle"')
    assert styles != _part(data, "word/styles.xml")
    _same(read_docx, reference_docx.read_docx, _replace(data, "word/styles.xml", styles))


def test_docx_broken_packages_are_refused_alike() -> None:
    data = _word_body(TRICKY_BODY)
    for broken in (_replace(data, "word/document.xml", b"<w:document"),
                   _replace(data, "[Content_Types].xml", _part(data, "[Content_Types].xml").replace(
                       b"wordprocessingml.document.main+xml", b"wordprocessingml.template.main+xml"))):
        with pytest.raises(UnreadableFile) as caught:
            read_docx(broken)
        assert caught.value.code == "corrupt-docx"


def test_docx_without_core_properties_has_no_invented_metadata() -> None:
    """python-docx made up a title ("Word Document") and a modified time (now) for a package without core
    properties; the reader now leaves them out, so a report reads the same every time."""
    data = _word_body(_p("正文"))
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            if info.filename != "docProps/core.xml":
                dst.writestr(info, src.read(info))
    doc = read_docx(out.getvalue())
    assert doc.meta == {} and [line.text for line in doc.lines] == ["正文"]


# --- XLSX --------------------------------------------------------------------------------------


@pytest.mark.parametrize(("name", "data"), _generated("xlsx", XLSX_STYLES), ids=lambda v: v if isinstance(v, str)
                         else "")
def test_xlsx_generated(name: str, data: bytes) -> None:
    _same(read_xlsx, reference_xlsx.read_xlsx, data)


def _tricky_workbook(date1904: bool = False) -> bytes:
    """A workbook with what openpyxl's object model makes of cells: dates and times in built-in and custom
    formats, percentages, booleans, errors, cached formula values, rich and inline strings, hyperlinks on
    empty cells, merged ranges (bordered, protected, with an empty top-left cell) near styled trailing rows."""
    import datetime as dt

    import openpyxl
    from openpyxl.cell.rich_text import CellRichText, TextBlock
    from openpyxl.cell.text import InlineFont
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Protection, Side

    wb = openpyxl.Workbook()
    wb.epoch = openpyxl.utils.datetime.CALENDAR_MAC_1904 if date1904 else openpyxl.utils.datetime.WINDOWS_EPOCH
    wb.properties.title = "  某局 2023 年报  "
    ws = wb.active
    ws.title = "表二"
    ws.append(["项目", "数量", "比例", "日期", "时间", "布尔", "公式"])
    ws.append(["收到申请", 12, 0.25, dt.date(2024, 1, 17), dt.time(9, 30), True, "=B2*2"])
    ws.append(["办结", 12.0, 0.125, dt.datetime(2024, 3, 1, 8, 0), dt.timedelta(hours=30), False, "=1/0"])
    ws["C2"].number_format = "0%"
    ws["C3"].number_format = "0.00%"
    ws["D3"].number_format = "yyyy年m月d日"
    ws["E3"].number_format = "[h]:mm"
    ws["A4"] = CellRichText([TextBlock(InlineFont(b=True), "富"), "文本"])
    ws["B4"] = 96171.6
    ws["C4"] = 1e20
    ws["D4"] = "  多  空格 x005F_ 下划线 "
    ws["A5"].hyperlink = "http://example.gov.cn/report"
    ws["B5"] = "有值"
    ws["B5"].hyperlink = "http://example.gov.cn/other"
    ws.merge_cells("A6:C6")
    ws["A6"] = "合计"
    thin = Side(style="thin")
    ws["E6"].border = Border(top=thin, bottom=thin, left=thin, right=thin)
    ws.merge_cells("E6:G9")  # empty top-left, bordered: its bottom edge styles row 9
    ws["A8"].protection = Protection(locked=False)
    ws.merge_cells("A8:B11")  # empty top-left, protected: every place styled
    ws["D12"].fill = PatternFill("solid", fgColor="FFFF00")  # a styled trailing row
    ws["C13"].alignment = Alignment(wrap_text=True)
    ws["C20"].font = Font(bold=True)  # styling far below the data
    ws["H1"] = None
    meta = wb.create_sheet("基本信息")
    meta.append(["机关名称：", "某某局"])
    meta.append(["年度", 2023])
    prose = wb.create_sheet("正文")
    prose.append(["一、总体情况", "本机关\n依法公开。"])
    wb.create_sheet("空表")
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


@pytest.mark.parametrize("date1904", [False, True])
def test_xlsx_tricky_workbook(date1904: bool) -> None:
    data = _tricky_workbook(date1904)
    _same(read_xlsx, reference_xlsx.read_xlsx, data)
    doc = read_xlsx(data)
    texts = [[cell.text for cell in row] for row in doc.grids[0].rows]
    assert texts[1][:3] == ["收到申请", "12", "25%"] and texts[1][3] == "2024-01-17"
    assert texts[4][0] == "http://example.gov.cn/report" and texts[4][1] == "有值"
    assert len(texts) == 13  # the bordered range's bottom edge and the styled rows 12-13 belong to the table


def test_xlsx_inline_strings_and_odd_cells() -> None:
    """Inline strings, cells without references, a comment among the cells, an error cell, a custom format
    that is a built-in one, whitespace-only text."""
    base = _tricky_workbook()
    sheet = _part(base, "xl/worksheets/sheet1.xml")
    head, _, rest = sheet.partition(b"<sheetData>")
    _, _, tail = rest.partition(b"</sheetData>")
    rows = ('<row r="1"><c r="A1" t="inlineStr"><is><t>内联</t></is></c><c t="inlineStr"><is><r><t>富</t></r>'
            '<r><t>文本</t></r><rPh sb="0" eb="1"><t>phonetic</t></rPh></is></c><!-- a comment -->'
            '<c t="e"><v>#N/A</v></c>'
            '<c t="str"><v>公式文本</v></c><c t="inlineStr"><is><t xml:space="preserve">   </t></is></c></row>'
            '<row><c><v>3.0</v></c><c t="b"><v>1</v></c><c t="n"><v></v></c></row>').encode()
    _same(read_xlsx, reference_xlsx.read_xlsx, _replace(base, "xl/worksheets/sheet1.xml",
                                                        head + b"<sheetData>" + rows + b"</sheetData>" + tail))


def test_xlsx_broken_packages_are_refused_alike() -> None:
    base = _tricky_workbook()
    for name, content in (("xl/worksheets/sheet1.xml", b"<worksheet"),
                          ("xl/worksheets/sheet1.xml", _part(base, "xl/worksheets/sheet1.xml").replace(
                              b'r="B2"', b'r="B2" s="999"')),
                          ("xl/workbook.xml", _part(base, "xl/workbook.xml").replace(b'r:id="rId1"',
                                                                                       b'r:id="rId99"'))):
        with pytest.raises(UnreadableFile) as caught:
            read_xlsx(_replace(base, name, content))
        assert caught.value.code == "corrupt-xlsx"
        with pytest.raises(UnreadableFile):
            reference_xlsx.read_xlsx(_replace(base, name, content))
