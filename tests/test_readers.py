"""Readers: HTML, DOCX, XLSX, PDF and text into RawDocument; dispatch; hostile files.

Fixtures are generated here; the real published files are the ones in examples/.
PDF generation needs a TTF/TTC font with CJK glyphs (Debian: fonts-wqy-microhei).
"""

from __future__ import annotations

import io
import time
import tracemalloc
import zipfile
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ogi.ingest.document import Grid, RawDocument
from ogi.ingest.docx import read_docx
from ogi.ingest.errors import NotADocument, UnreadableFile
from ogi.ingest.html import read_html
from ogi.ingest.pdf import read_pdf
from ogi.ingest.readers import read_document
from ogi.ingest.text import read_text
from ogi.ingest.xlsx import display_value, read_xlsx
from ogi.ingest.ziputil import open_checked_zip
from ogi.testing.render import CJKFontNotFound, find_cjk_font

REAL = Path(__file__).parent.parent / "examples"  # the real published reports ship as examples


def texts(grid: Grid) -> list[list[str]]:
    return [[cell.text for cell in row] for row in grid.rows]


def origins(grid: Grid) -> list[list[tuple[int, int]]]:
    return [[cell.origin for cell in row] for row in grid.rows]


def codes(doc: RawDocument) -> list[str]:
    return [note.code for note in doc.notes]


def page(body: str, head: str = '<meta charset="utf-8">') -> bytes:
    return f"<!DOCTYPE html><html><head>{head}<title>页面</title></head><body>{body}</body></html>".encode()


# --- HTML --------------------------------------------------------------------------------------

NAV = '<div class="nav"><a href="/">首页</a><a href="/zwgk">政务公开</a><a href="/hd">互动交流</a></div>'


def test_html_rowspan_colspan_and_th() -> None:
    body = (
        NAV
        + '<div class="article-content">'
        + "<p>二、主动公开政府信息情况</p>"
        + "<table><thead><tr><th rowspan=2>信息内容</th><th colspan=2>本年</th><th>现行</th></tr>"
        + "<tr><th>制发</th><th>废止</th><th>有效</th></tr></thead>"
        + "<tbody><tr><td>规章</td><td>1</td><td>0</td><td>11</td></tr>"
        + "<tr><td>规范性文件</td><td colspan=3>8</td></tr></tbody></table>"
        + "<p>三、收到和处理政府信息公开申请情况</p></div>"
    )
    doc = read_html(page(body))
    assert [line.text for line in doc.lines] == [
        "二、主动公开政府信息情况",
        "三、收到和处理政府信息公开申请情况",
    ]
    (grid,) = doc.grids
    assert texts(grid) == [
        ["信息内容", "本年", "本年", "现行"],
        ["信息内容", "制发", "废止", "有效"],
        ["规章", "1", "0", "11"],
        ["规范性文件", "8", "8", "8"],
    ]
    assert origins(grid) == [
        [(0, 0), (0, 1), (0, 1), (0, 3)],
        [(0, 0), (1, 1), (1, 2), (1, 3)],
        [(2, 0), (2, 1), (2, 2), (2, 3)],
        [(3, 0), (3, 1), (3, 1), (3, 1)],
    ]
    assert grid.after_line == 1
    cell = grid.rows[2][3]
    assert (cell.locator.kind, cell.locator.table, cell.locator.row, cell.locator.col) == ("html", 1, 3, 4)
    # A covered place points at the cell that holds the text.
    assert grid.rows[1][0].locator == grid.rows[0][0].locator


def test_html_word_pasted_markup_nbsp_and_full_width_digits() -> None:
    body = (
        '<div id="zoom">'
        '<p style="text-indent:2em"><span style="font-family:仿宋">'
        '<font face="方正仿宋_GBK">本年度</font></span>'
        '<span lang="EN-US">20</span><span>23</span>'
        "<span><font>年共收到申请</font>１２<font>件。</font></span>"
        "<o:p></o:p></p>\n"
        "<p>一、&nbsp;总体情况&nbsp;&nbsp;</p>\n"
        "<p>\n  三、收到\n  和处理政府信息\n  公开申请情况\n</p>"
        "<table><tr><td><p><span>商业</span></p><p><span>企业</span></p></td>"
        "<td>&nbsp;</td><td><p>1</p><p>2</p></td><td>22<span>（其中修订16件）</span></td></tr>"
        "<tr><td>合计<table><tr><td>内</td><td>嵌</td></tr></table></td><td>\u3000\u3000</td>"
        "<td>3</td><td>4</td></tr></table>"
        "</div>"
    )
    doc = read_html(page(body))
    assert [line.text for line in doc.lines] == [
        "本年度2023年共收到申请１２件。",
        "一、 总体情况",
        "三、收到和处理政府信息公开申请情况",
    ]
    (grid,) = doc.grids  # the nested table is flattened into its cell, not a grid of its own
    assert texts(grid) == [["商业企业", "", "1 2", "22（其中修订16件）"], ["合计内嵌", "", "3", "4"]]


def test_html_emphasis() -> None:
    body = (
        "<div class=content>"
        "<h2>一、总体情况</h2>"
        "<p><strong>二、主动公开政府信息情况</strong></p>"
        "<p><b>（一）</b>主动公开情况。本年度公开信息100条。</p>"
        '<p><span style="font-weight: bold">三、收到和处理政府信息公开申请情况</span></p>'
        '<p><font face="方正黑体_GBK">四、政府信息公开行政复议、行政诉讼情况</font></p>'
        "<p>五、存在的主要问题及改进情况</p>"
        "</div>"
    )
    doc = read_html(page(body))
    assert [(line.text[:2], line.emphasised) for line in doc.lines] == [
        ("一、", True),
        ("二、", True),
        ("（一", False),
        ("三、", True),
        ("四、", True),
        ("五、", False),
    ]


def test_html_br_separated_lines_and_dropped_elements() -> None:
    body = (
        "<div class=TRS_Editor>"
        "<script>var x = '首页';</script><style>p{color:red}</style>"
        '<div style="display:none">隐藏的旧内容</div>'
        '<div class="bdshare">分享到：微信 微博</div>'
        "<p>沭阳县发展和改革局<br>2024年1月17日<br/><br/>附件：</p>"
        "<ul><li>第一项</li><li>第二项</li></ul>"
        "</div>"
    )
    doc = read_html(page(body))
    assert [line.text for line in doc.lines] == [
        "沭阳县发展和改革局",
        "2024年1月17日",
        "附件：",
        "第一项",
        "第二项",
    ]
    assert [line.locator.line for line in doc.lines] == [1, 2, 3, 4, 5]


GBK_BODY = '<div class="content"><p>一、总体情况</p><p>本年度共收到申请12件，均已办结。</p></div>'


@pytest.mark.parametrize(
    ("head", "mismatch"),
    [
        ('<meta http-equiv="Content-Type" content="text/html; charset=gb2312">', False),
        ('<meta charset="GBK">', False),
        ("", False),
        ('<meta charset="utf-8">', True),
    ],
)
def test_html_gbk_pages(head: str, mismatch: bool) -> None:
    html = f"<html><head>{head}<title>年度报告</title></head><body>{GBK_BODY}</body></html>"
    doc = read_html(html.encode("gbk"))
    assert [line.text for line in doc.lines] == ["一、总体情况", "本年度共收到申请12件，均已办结。"]
    assert doc.meta["title"] == "年度报告"
    assert doc.encoding == "gb18030"
    assert ("encoding-mismatch" in codes(doc)) == mismatch


def test_html_utf8_page_with_stale_gbk_meta() -> None:
    html = f'<html><head><meta charset="gb2312"></head><body>{GBK_BODY}</body></html>'
    doc = read_html(html.encode("utf-8"))
    assert doc.lines[0].text == "一、总体情况"
    assert codes(doc) == ["encoding-mismatch"]


def test_html_metadata_and_links() -> None:
    head = (
        '<meta charset="utf-8"><meta name="PubDate" content="2024-01-20 10:00">'
        '<meta name="ArticleTitle" content="某局2023年政府信息公开工作年度报告">'
        '<link rel="canonical" href="https://www.example.gov.cn/art/2024/1/20/art_1.html">'
    )
    body = (
        '<div class="info"><span>索引号：11320000/2024-00001</span>&nbsp;&nbsp;'
        "<span>发布机构：某局</span> <span>成文日期：2024-01-15</span>"
        "<span>发布日期：2024-01-20</span>  来源：某局办公室</div>"
        '<div class="content"><p>资金来源：财政拨款。本年度报告如下。</p>'
        '<p>附件：<a href="/files/report.docx">年度报告.docx</a> '
        '<a href="javascript:void(0)">打印</a></p></div>'
    )
    doc = read_html(page(body, head))
    assert doc.meta["索引号"] == "11320000/2024-00001"
    assert doc.meta["发布机构"] == "某局"
    assert doc.meta["成文日期"] == "2024-01-15"
    assert doc.meta["发布日期"] == "2024-01-20"
    assert doc.meta["来源"] == "某局办公室"
    assert doc.meta["PubDate"] == "2024-01-20 10:00"
    assert doc.meta["headline"] == "某局2023年政府信息公开工作年度报告"
    assert doc.meta["url"] == "https://www.example.gov.cn/art/2024/1/20/art_1.html"
    assert doc.links == [("年度报告.docx", "/files/report.docx")]


def test_html_label_value_cells_and_ucaptitle() -> None:
    body = (
        "<table><tr><td>索引号</td><td>014314799/2024-00002</td><td>公开日期</td>"
        "<td><publishtime>2024-01-17</publishtime></td></tr></table>"
        "<h1><ucaptitle>某局2023年年度报告</ucaptitle></h1>"
        "<div><ucapcontent><p>" + "根据条例规定编制本报告。" * 10 + "</p></ucapcontent></div>"
    )
    doc = read_html(page(body))
    assert doc.meta["索引号"] == "014314799/2024-00002"
    assert doc.meta["公开日期"] == "2024-01-17"
    assert doc.meta["headline"] == "某局2023年年度报告"
    assert doc.grids == []  # the page's metadata table is outside the article
    assert doc.lines[0].text.startswith("根据条例")


def test_html_title_in_a_title_block_above_the_article() -> None:
    # A TRS portal page (平潭) names the report in <div class="article_title"> above the article, with no
    # <h1>, <title> or ArticleTitle: that block is the headline, not the navigation's other "title" blocks.
    body = (
        '<div class="title_base"><div class="title_name">政府信息公开年报</div></div>'
        '<div class="article_title text_align_center">\n  平潭综合实验区2025年度政府信息公开工作年度报告\n</div>'
        "<div class=TRS_Editor><p>" + "本报告根据条例要求编制。" * 10 + "</p></div>"
    )
    doc = read_html(page(body))
    assert doc.meta["headline"] == "平潭综合实验区2025年度政府信息公开工作年度报告"


def test_html_title_block_must_name_a_report() -> None:
    body = (
        '<div class="article_title">通知公告</div>'
        "<div class=TRS_Editor><p>" + "本报告根据条例要求编制。" * 10 + "</p></div>"
    )
    assert "headline" not in read_html(page(body)).meta


def test_html_portal_time_stamp_is_the_publication_date() -> None:
    # The same TRS pages print their date only as <span class="article_time">时间：…</span> beside 来源, with
    # no 发布时间 label or PubDate meta: that stamp is the publication date (D002 can then be checked).
    article = "<div class=TRS_Editor><p>" + "本报告根据条例要求编制。" * 10 + "</p></div>"
    stamp = '<div class="article_extend"><span class="article_source">来源：某办公室</span>{}</div>'
    doc = read_html(page(stamp.format('<span class="article_time bf-pass">时间：2026-03-10 12:56</span>') + article))
    assert doc.meta["发布时间"].startswith("2026-03-10")
    # An update stamp, or a 时间 line inside the article itself, is not the publication.
    for other in ('<span class="update_time">更新时间：2026-04-01</span>', ""):
        inside = article.replace("</div>", '<p class="time">时间：2025-06-01</p></div>') if not other else article
        assert "发布时间" not in read_html(page(stamp.format(other) + inside)).meta


def test_html_article_found_by_density() -> None:
    filler = "".join(f"<li><a href='/n{i}'>新闻标题第{i}条动态信息</a></li>" for i in range(40))
    body = (
        f"<div class=top>{NAV}</div><div class=side><ul>{filler}</ul></div>"
        "<div class=main><div class=box>"
        + "".join(f"<p>第{i}段：本机关认真贯彻落实政府信息公开条例，不断提高公开质量。</p>" for i in range(8))
        + "<table><tr><td>规章</td><td>1</td></tr><tr><td>规范性文件</td><td>2</td></tr></table>"
        + "</div></div><div class=footer><p>版权所有：某市人民政府 地址：某路1号</p></div>"
    )
    doc = read_html(page(body))
    assert len(doc.lines) == 8 and doc.lines[0].text.startswith("第0段")
    assert not any("首页" in line.text or "版权" in line.text for line in doc.lines)
    assert texts(doc.grids[0]) == [["规章", "1"], ["规范性文件", "2"]]
    assert doc.grids[0].after_line == 8


def test_html_layout_table_is_walked_into() -> None:
    body = (
        "<table><tr><td>"
        "<p>一、总体情况</p><p>本年度共收到申请12件。本年度共收到申请12件。</p>"
        "<table><tr><td>自然人</td><td>总计</td></tr><tr><td>12</td><td>12</td></tr></table>"
        "</td></tr></table>"
    )
    doc = read_html(page(body))
    assert [line.text for line in doc.lines][:2] == [
        "一、总体情况",
        "本年度共收到申请12件。本年度共收到申请12件。",
    ]
    assert [texts(g) for g in doc.grids] == [[["自然人", "总计"], ["12", "12"]]]


def test_html_absurd_spans_are_capped() -> None:
    body = (
        "<div class=content><p>表格如下，共两行数据，数值见下。表格如下，共两行数据。</p>"
        "<table><tr><td rowspan=99999999 colspan=5000>x</td><td>y</td></tr><tr><td>z</td></tr></table></div>"
    )
    start = time.perf_counter()
    doc = read_html(page(body))
    assert time.perf_counter() - start < 2
    assert "table-span-capped" in codes(doc)
    (grid,) = doc.grids
    assert len(grid.rows) == 2 and grid.width == 1001
    assert grid.rows[1][0].text == "x" and grid.rows[1][1000].text == "z"


def test_html_deep_nesting_does_not_crash() -> None:
    data = b"<html><body>" + b"<div>" * 10_000 + "正文".encode() + b"</div>" * 10_000 + b"</body></html>"
    start = time.perf_counter()
    doc = read_html(data)
    assert time.perf_counter() - start < 2
    assert codes(doc) == ["html-truncated"]
    unclosed = b"<html><body>" + b"<span><font>" * 10_000 + "正文".encode()
    assert isinstance(read_html(unclosed), RawDocument)


def test_html_unparseable_is_a_note() -> None:
    for data in (b"<?xml version='1.0'?>", b"", b"   "):
        doc = read_html(data)
        assert doc.lines == [] and codes(doc) == ["unparseable"]


def test_real_shuyang_page() -> None:
    data = (REAL / "shuyang-fgj-2023.html").read_bytes()
    doc = read_html(data)
    assert doc.lines[0].text.startswith("根据《中华人民共和国政府信息公开条例》")
    assert not any(word in line.text for line in doc.lines for word in ("首页", "繁體版", "无障碍"))
    assert doc.lines[-1].text == "2024年1月17日"
    headings = [line.text for line in doc.lines if line.emphasised]
    assert headings[0] == "一、总体情况" and headings[-1] == "六、其他需要报告的事项"
    assert "2024-01-17" in doc.meta["公开日期"]
    assert doc.meta["索引号"] == "014314799/2024-00002"
    assert doc.meta["headline"] == "沭阳县发展和改革局2023年政府信息公开年度报告"
    assert doc.meta["url"].startswith("http://www.shuyang.gov.cn/sygfj/gknb/202401/")
    assert len(doc.grids) == 3
    requests = next(g for g in doc.grids if any(r[0].text.startswith("一、本年新收") for r in g.rows))
    row = next(r for r in requests.rows if r[0].text == "一、本年新收政府信息公开申请数量")
    label = "一、本年新收政府信息公开申请数量"
    assert [c.text for c in row] == [label] * 3 + ["26", "", "", "", "", "", "26"]
    assert [c.text for c in requests.rows[2][3:]] == [
        "自然人",
        "商业企业",
        "科研机构",
        "社会公益组织",
        "法律服务机构",
        "其他",
        "总计",
    ]
    assert requests.width == 10 and len(requests.rows) == 28
    # Tables sit between the right section headings.
    assert doc.lines[requests.after_line - 1].text == "三、收到和处理政府信息公开申请情况"


# --- DOCX --------------------------------------------------------------------------------------


def _docx_bytes() -> bytes:
    import docx

    document = docx.Document()
    document.core_properties.title = "某局2023年政府信息公开工作年度报告"
    document.add_heading("某局2023年政府信息公开工作年度报告", level=1)
    document.add_paragraph("根据《条例》规定编制本报告。")
    bold = document.add_paragraph()
    bold.add_run("一、总体情况").bold = True
    mixed = document.add_paragraph()
    mixed.add_run("（一）").bold = True
    mixed.add_run("主动公开情况。")
    table = document.add_table(rows=4, cols=4)
    for r in range(4):
        for c in range(4):
            table.cell(r, c).text = f"r{r}c{c}"
    table.cell(0, 1).merge(table.cell(0, 3))  # horizontal
    table.cell(1, 0).merge(table.cell(3, 0))  # vertical
    table.cell(0, 1).text = "申请人情况"
    table.cell(1, 0).text = "三、本年度办理结果"
    para = table.cell(2, 2).paragraphs[0]
    para.text = "商业"
    table.cell(2, 2).add_paragraph("企业")
    document.add_paragraph("沭阳县发展和改革局\n2024年1月17日")
    buf = io.BytesIO()
    document.save(buf)
    return buf.getvalue()


def test_docx_paragraphs_tables_and_merges() -> None:
    doc = read_docx(_docx_bytes())
    assert [(line.text, line.emphasised) for line in doc.lines] == [
        ("某局2023年政府信息公开工作年度报告", True),
        ("根据《条例》规定编制本报告。", False),
        ("一、总体情况", True),
        ("（一）主动公开情况。", False),
        ("沭阳县发展和改革局", False),
        ("2024年1月17日", False),
    ]
    (grid,) = doc.grids
    assert grid.after_line == 4
    assert texts(grid) == [
        ["r0c0", "申请人情况", "申请人情况", "申请人情况"],
        ["三、本年度办理结果", "r1c1", "r1c2", "r1c3"],
        ["三、本年度办理结果", "r2c1", "商业企业", "r2c3"],
        ["三、本年度办理结果", "r3c1", "r3c2", "r3c3"],
    ]
    assert origins(grid) == [
        [(0, 0), (0, 1), (0, 1), (0, 1)],
        [(1, 0), (1, 1), (1, 2), (1, 3)],
        [(1, 0), (2, 1), (2, 2), (2, 3)],
        [(1, 0), (3, 1), (3, 2), (3, 3)],
    ]
    loc = grid.rows[3][0].locator
    assert (loc.kind, loc.table, loc.row, loc.col) == ("docx", 1, 2, 1)
    assert doc.meta["title"] == "某局2023年政府信息公开工作年度报告"
    assert "created" in doc.meta and "modified" in doc.meta


def test_docx_automatic_numbering_becomes_text() -> None:
    import docx
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls

    document = docx.Document()
    numbering = document.part.numbering_part.element
    numbering.append(
        parse_xml(
            f'<w:abstractNum {nsdecls("w")} w:abstractNumId="77">'
            '<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/>'
            '<w:lvlText w:val="%1、"/></w:lvl>'
            '<w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/>'
            '<w:lvlText w:val="（%2）"/></w:lvl></w:abstractNum>'
        )
    )
    numbering.append(parse_xml(f'<w:num {nsdecls("w")} w:numId="77"><w:abstractNumId w:val="77"/></w:num>'))

    def numbered(text: str, level: int) -> None:
        para = document.add_paragraph(text)
        ppr = para._p.get_or_add_pPr()
        ppr.append(
            parse_xml(
                f'<w:numPr {nsdecls("w")}><w:ilvl w:val="{level}"/><w:numId w:val="77"/></w:numPr>'
            )
        )

    numbered("总体情况", 0)
    numbered("主动公开情况", 1)
    numbered("依申请公开情况", 1)
    numbered("主动公开政府信息情况", 0)
    numbered("规章", 1)
    document.add_paragraph("第一项", style="List Number")
    document.add_paragraph("第二项", style="List Number")
    document.add_paragraph("要点", style="List Bullet")
    buf = io.BytesIO()
    document.save(buf)
    doc = read_docx(buf.getvalue())
    assert [line.text for line in doc.lines] == [
        "一、总体情况",
        "（一）主动公开情况",
        "（二）依申请公开情况",
        "二、主动公开政府信息情况",
        "（一）规章",
        "1.第一项",
        "2.第二项",
        "要点",
    ]


def test_real_docx_template() -> None:
    doc = read_docx((REAL / "template-2021-blank.docx").read_bytes())
    assert len(doc.grids) == 3
    assert [line.text for line in doc.lines if line.emphasised][1:] == [
        "一、总体情况",
        "二、主动公开政府信息情况",
        "三、收到和处理政府信息公开申请情况",
        "四、政府信息公开行政复议、行政诉讼情况",
        "五、存在的主要问题及改进情况",
        "六、其他需要报告的事项",
    ]
    active, requests, appeals = doc.grids
    assert texts(active)[2] == ["规章", "", "", ""]  # the template's 　　 placeholders are blank
    assert requests.width == 10
    assert texts(requests)[2][3:] == [
        *("自然人", "商业企业", "科研机构", "社会公益组织"),
        *("法律服务机构", "其他", "总计"),
    ]
    assert appeals.width == 15 and texts(appeals)[3] == [""] * 15


# --- XLSX --------------------------------------------------------------------------------------


def _xlsx_bytes() -> bytes:
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "表三"
    ws["A1"] = "申请人情况"
    ws.merge_cells("A1:C1")
    ws["A2"], ws["B2"], ws["C2"] = "一、本年新收政府信息公开申请数量", 26, 3.0
    ws["A3"], ws["B3"], ws["C3"] = "收费金额", 96171.6, 0.1 + 0.2
    ws["A4"], ws["B4"] = "比例", 0.25
    ws["B4"].number_format = "0%"
    ws["A5"] = "合计"
    ws.merge_cells("A5:A6")
    ws["E9"] = None  # formatted-but-empty cells far away must not widen the grid
    meta = wb.create_sheet("基本信息")
    meta.append(["机关名称", "某局"])
    meta.append(["年度：", 2023])
    prose = wb.create_sheet("说明")
    prose["A1"] = "一、总体情况"
    prose["A2"] = "本年度，我局认真贯彻落实《中华人民共和国政府信息公开条例》，全年主动公开政府信息249条。"
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def test_xlsx_sheets_merges_numbers_meta_and_prose() -> None:
    doc = read_xlsx(_xlsx_bytes())
    (grid,) = doc.grids
    assert texts(grid) == [
        ["申请人情况", "申请人情况", "申请人情况"],
        ["一、本年新收政府信息公开申请数量", "26", "3"],
        ["收费金额", "96171.6", "0.3"],
        ["比例", "25%", ""],
        ["合计", "", ""],
        ["合计", "", ""],
    ]
    assert origins(grid)[0] == [(0, 0), (0, 0), (0, 0)]
    assert origins(grid)[5][0] == (4, 0)
    assert grid.rows[2][1].locator.sheet == "表三" and grid.rows[2][1].locator.cell == "B3"
    assert grid.rows[0][2].locator.cell == "A1"
    assert doc.meta["机关名称"] == "某局" and doc.meta["年度"] == "2023"
    assert next(line.text for line in doc.lines) == "一、总体情况"
    assert doc.lines[1].locator.cell == "A2" and doc.lines[1].locator.sheet == "说明"


def test_xlsx_heading_and_text_sheet() -> None:
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "正文"
    ws["A1"], ws["B1"] = "一、总体情况", "第一段。\n第二段，共收到申请12件。"
    ws["A2"] = "二、主动公开政府信息情况"
    buf = io.BytesIO()
    wb.save(buf)
    doc = read_xlsx(buf.getvalue())
    assert doc.grids == []
    assert [(line.text, line.emphasised, line.locator.cell) for line in doc.lines] == [
        ("一、总体情况", True, "A1"),
        ("第一段。", False, "B1"),
        ("第二段，共收到申请12件。", False, "B1"),
        ("二、主动公开政府信息情况", True, "A2"),
    ]


@pytest.mark.parametrize(
    ("value", "fmt", "shown"),
    [
        (3.0, "General", "3"),
        (1e20, "General", "100000000000000000000"),
        (0.5, "0.0%", "50.0%"),
        (7, "@", "7"),
    ],
)
def test_display_value(value: float, fmt: str, shown: str) -> None:
    assert display_value(value, fmt) == shown


# --- PDF ---------------------------------------------------------------------------------------


TABLE = (("信息内容", "本年制发件数", "本年废止件数"), ("规章", "1", "0"), ("行政规范性文件", "8", "26"))


def _cjk_font() -> str:
    """The project's own font finder; skips (with what to install) only where no CJK font exists."""
    try:
        return find_cjk_font()
    except CJKFontNotFound as exc:
        pytest.skip(str(exc))


def _pdf_bytes() -> bytes:
    from fpdf import FPDF
    from fpdf.fonts import FontFace

    font = _cjk_font()
    pdf = FPDF()
    pdf.add_font("cjk", fname=font)
    pdf.add_page()
    pdf.set_font("cjk", size=12)
    pdf.multi_cell(0, 8, "一、总体情况\n本年度共收到政府信息公开申请12件。")
    with pdf.table(col_widths=(60, 30, 30), headings_style=FontFace()) as table:
        for values in TABLE:
            row = table.row()
            for value in values:
                row.cell(value)
    pdf.multi_cell(0, 8, "二、主动公开政府信息情况")
    pdf.add_page()
    pdf.multi_cell(0, 8, "三、收到和处理政府信息公开申请情况")
    return bytes(pdf.output())


def test_pdf_lines_and_tables() -> None:
    doc = read_pdf(_pdf_bytes())
    assert [line.text for line in doc.lines] == [
        "一、总体情况",
        "本年度共收到政府信息公开申请12件。",
        "二、主动公开政府信息情况",
        "三、收到和处理政府信息公开申请情况",
    ]
    assert [(line.locator.page, line.locator.line) for line in doc.lines] == [(1, 1), (1, 2), (1, 3), (2, 1)]
    (grid,) = doc.grids
    assert texts(grid) == [list(row) for row in TABLE]
    assert grid.after_line == 2
    loc = grid.rows[2][2].locator
    assert (loc.kind, loc.page, loc.table, loc.row, loc.col) == ("pdf", 1, 1, 3, 3)
    assert doc.notes == []


def test_pdf_text_objects_out_of_order_come_out_in_reading_order() -> None:
    from fpdf import FPDF

    font = _cjk_font()
    pdf = FPDF()
    pdf.add_font("cjk", fname=font)
    pdf.add_page()
    pdf.set_font("cjk", size=12)
    # Written bottom-up and right-to-left, as flip-book converters do.
    pdf.text(120, 60, "26")
    pdf.text(20, 60, "本年新收申请")
    pdf.text(20, 40, "第二行")
    pdf.text(20, 20, "第一行")
    doc = read_pdf(bytes(pdf.output()))
    assert [line.text for line in doc.lines] == ["第一行", "第二行", "本年新收申请 26"]


def test_real_huaian_pdf() -> None:
    doc = read_pdf((REAL / "huaian-2024.pdf").read_bytes())
    text = doc.text
    for number in ("3119", "3050", "103"):
        assert number in text
    cells = {cell.text for grid in doc.grids for row in grid.rows for cell in row}
    assert {"96171.6", "3119", "3050", "103"} <= cells
    assert doc.lines[0].text == "淮安市人民政府"
    # The boxed preamble on page 1 is prose, not a table.
    assert any(line.text.startswith("本报告由淮安市人民政府办公室") for line in doc.lines)
    # Table text is not read twice.
    assert not any("3985758" in line.text for line in doc.lines)
    requests = next(g for g in doc.grids if g.width == 10 and g.locator.page == 4)
    row = next(r for r in requests.rows if r[0].text.startswith("一、本年新收"))
    assert [c.text for c in row[3:]] == ["3001", "53", "0", "0", "61", "4", "3119"]
    # Merged cells pdfplumber leaves empty are filled from the covering cell.
    assert requests.rows[2][0].origin == (0, 0) and requests.rows[2][0].text.startswith("（本列数据")
    assert doc.meta["title"] == "政府信息公开工作年度报告"
    assert [g.locator.page for g in doc.grids] == [3, 4, 4, 5, 5]


def test_pdf_without_text_layer() -> None:
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_page()
    pdf.rect(10, 10, 100, 100, style="F")
    data = bytes(pdf.output())
    assert "no-text-layer" in codes(read_pdf(data))
    with pytest.raises(UnreadableFile) as err:
        read_document(data, "scan.pdf")
    assert err.value.code == "no-text-layer"
    assert "文字层" in err.value.reason_zh and "text layer" in err.value.reason_en


def test_encrypted_and_broken_pdf() -> None:
    from fpdf import FPDF
    from fpdf.enums import EncryptionMethod

    pdf = FPDF()
    pdf.add_page()
    pdf.set_encryption(owner_password="o", user_password="secret", encryption_method=EncryptionMethod.RC4)
    with pytest.raises(UnreadableFile) as err:
        read_pdf(bytes(pdf.output()))
    assert err.value.code == "encrypted"
    with pytest.raises(UnreadableFile) as err:
        read_pdf(b"%PDF-1.4\n1 0 obj << /Type /Catalog >> garbage")
    assert err.value.reason_zh and err.value.reason_en
    real = (REAL / "huaian-2024.pdf").read_bytes()
    with pytest.raises(UnreadableFile):
        read_document(real[: len(real) // 3], "truncated.pdf")


# --- text --------------------------------------------------------------------------------------


def test_read_text_keeps_true_line_numbers() -> None:
    data = "一、总体情况  \r\n\r\n本年度共收到申请12件。\n\n\n二、主动公开\t\n".encode("gbk")
    doc = read_text(data)
    assert [(line.text, line.locator.line) for line in doc.lines] == [
        ("一、总体情况", 1),
        ("本年度共收到申请12件。", 3),
        ("二、主动公开", 6),
    ]
    assert doc.lines[0].locator.kind == "txt"
    assert doc.encoding == "gb18030"


# --- dispatch and hostile files ----------------------------------------------------------------


def test_read_document_dispatch_and_mismatch_note() -> None:
    docx_data = _docx_bytes()
    doc = read_document(docx_data, "report.doc")
    assert doc.kind == "docx"
    assert codes(doc)[0] == "kind-mismatch"
    html = read_document(page("<div class=content><p>正文内容，本年度共收到申请12件。</p></div>"), "r.pdf")
    assert html.kind == "html" and codes(html) == ["kind-mismatch"]
    assert read_document("一、总体情况\n".encode(), "r.txt").kind == "txt"
    assert read_document(_xlsx_bytes(), "r.xlsx").kind == "xlsx"


@pytest.mark.parametrize(
    ("data", "name", "code"),
    [
        (b"", "report.pdf", "empty"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(4000), "report.doc", "legacy-format"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(4000), "report.docx", "legacy-format"),
        (bytes(range(256)) * 40, "report.html", "binary"),
        (b"{\\rtf1 hello}", "report.doc", "legacy-format"),
    ],
)
def test_refused_kinds(data: bytes, name: str, code: str) -> None:
    with pytest.raises(UnreadableFile) as err:
        read_document(data, name)
    assert err.value.code == code
    assert err.value.reason_zh and err.value.reason_en


def test_legacy_office_reason_and_mismatch() -> None:
    with pytest.raises(UnreadableFile) as err:
        read_document(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(4000), "report.docx")
    assert "旧版二进制 Office 文件" in err.value.reason_zh
    assert ".docx/.xlsx" in err.value.reason_zh
    assert [n.code for n in err.value.notes] == ["kind-mismatch"]


def test_zip_other_and_structured_data() -> None:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("a.txt", "x")
    with pytest.raises(UnreadableFile) as err:
        read_document(buf.getvalue(), "reports.zip")
    assert err.value.code == "zip-other"
    with pytest.raises(NotADocument) as nad:
        read_document(b'{"agency": "x"}', "r.json")
    assert nad.value.kind == "json"
    with pytest.raises(NotADocument):
        read_document("agency: 某局\nyear: 2023\n".encode(), "r.yaml")


def test_binary_garbage_named_html() -> None:
    import random

    garbage = random.Random(7).randbytes(50_000)
    with pytest.raises(UnreadableFile) as err:
        read_document(garbage, "report.html")
    assert err.value.code == "binary"
    assert [n.code for n in err.value.notes] == ["kind-mismatch"]


@pytest.mark.parametrize("which", ["docx", "xlsx"])
def test_truncated_office_files(which: str) -> None:
    data = (REAL / "template-2021-blank.docx").read_bytes() if which == "docx" else _xlsx_bytes()
    for cut in (len(data) // 2, len(data) - 30, 200):
        with pytest.raises(UnreadableFile) as err:
            read_document(data[:cut], f"report.{which}")
        assert err.value.reason_zh and err.value.reason_en


def _with_part(base: bytes, name: str, writer: str | bytes | None = None, zeros_mb: int = 0) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(base)) as src, zipfile.ZipFile(
        out, "w", zipfile.ZIP_DEFLATED, compresslevel=1
    ) as dst:
        for info in src.infolist():
            if info.filename != name:
                dst.writestr(info.filename, src.read(info))
        if zeros_mb:
            with dst.open(name, "w", force_zip64=True) as fh:
                chunk = bytes(1 << 20)
                for _ in range(zeros_mb):
                    fh.write(chunk)
        elif writer is not None:
            dst.writestr(name, writer)
    return out.getvalue()


@pytest.fixture(scope="module")
def zip_bomb_docx() -> bytes:
    return _with_part(_docx_bytes(), "word/media/zeros.bin", zeros_mb=300)


def test_zip_bomb_docx_is_refused_quickly_with_bounded_memory(zip_bomb_docx: bytes) -> None:
    assert len(zip_bomb_docx) < 2_000_000
    tracemalloc.start()
    start = time.perf_counter()
    try:
        with pytest.raises(UnreadableFile) as err:
            read_document(zip_bomb_docx, "report.docx")
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert err.value.code == "zip-bomb"
    assert time.perf_counter() - start < 2
    assert peak < 50 * 1024 * 1024


def test_zip_bomb_xlsx_and_size_cap() -> None:
    bomb = _with_part(_xlsx_bytes(), "xl/media/zeros.bin", zeros_mb=120)
    with pytest.raises(UnreadableFile) as err:
        read_document(bomb, "report.xlsx")
    assert err.value.code == "zip-bomb"
    # Many moderately compressible parts: caught by the total-size cap.
    with pytest.raises(UnreadableFile) as err:
        open_checked_zip(_docx_bytes(), max_total=10_000)
    assert err.value.code == "zip-bomb"


XXE = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<!DOCTYPE w:document [<!ENTITY xxe SYSTEM "file:///etc/passwd">'
    '<!ENTITY lol "lollollollollollollollollollol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>'
    '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
    "<w:body><w:p><w:r><w:t>&xxe;&lol2;</w:t></w:r></w:p></w:body></w:document>"
)


@pytest.mark.parametrize("encoding", ["utf-8", "utf-16"])
def test_entity_declarations_in_docx_are_refused(encoding: str) -> None:
    data = _with_part(_docx_bytes(), "word/document.xml", XXE.encode(encoding))
    with pytest.raises(UnreadableFile) as err:
        read_document(data, "report.docx")
    assert err.value.code == "xml-entities"
    assert "DOCTYPE" in err.value.reason_zh


def test_deeply_nested_html_via_read_document() -> None:
    data = b"<html><body>" + b"<div>" * 10_000 + "正文".encode() + b"</div>" * 10_000 + b"</body></html>"
    start = time.perf_counter()
    doc = read_document(data, "deep.html")
    assert time.perf_counter() - start < 2
    assert doc.kind == "html"


def test_html_pre_block_keeps_its_lines() -> None:
    text = "一、总体情况\n  本年度共收到申请12件。\n\n二、主动公开政府信息情况"
    body = f"<div class=content><pre>{text}</pre></div>"
    doc = read_html(page(body))
    assert [line.text for line in doc.lines] == [
        "一、总体情况",
        "本年度共收到申请12件。",
        "二、主动公开政府信息情况",
    ]


def test_html_label_cell_with_colon_and_value_in_next_cell() -> None:
    body = (
        "<table><tr><td>发布日期：</td><td>2024-01-20</td></tr>"
        '<tr><th>原文链接:</th><td><a href="https://x.gov.cn/a.html">查看</a></td></tr></table>'
        "<div class=content><p>" + "本报告依据条例编制。" * 10 + "</p></div>"
    )
    doc = read_html(page(body))
    assert doc.meta["发布日期"] == "2024-01-20"
    assert doc.meta["url"] == "https://x.gov.cn/a.html"


@given(st.binary(max_size=3000))
@settings(max_examples=150, deadline=None)
def test_read_html_and_text_never_raise(data: bytes) -> None:
    assert isinstance(read_html(data), RawDocument)
    assert isinstance(read_text(data), RawDocument)


_TAGS = st.sampled_from(["p", "div", "span", "td", "tr", "table", "b", "h2", "br", "pre", "font", "li", "a"])


@given(st.lists(st.tuples(_TAGS, st.text(max_size=8), st.booleans()), max_size=60))
@settings(max_examples=150, deadline=None)
def test_read_html_on_random_markup(parts: list[tuple[str, str, bool]]) -> None:
    markup = "".join(
        f"<{tag} rowspan={len(text)} colspan=2>{text}" if opening else f"</{tag}>{text}"
        for tag, text, opening in parts
    )
    doc = read_html(page(markup))
    for grid in doc.grids:
        assert len({len(row) for row in grid.rows}) == 1  # always a rectangle
        for r, row in enumerate(grid.rows):
            for c, cell in enumerate(row):
                oy, ox = cell.origin
                assert oy <= r and ox <= c
                assert grid.rows[oy][ox].text == cell.text


@pytest.mark.parametrize(("control", "read_as"), [("\x0b", "收到 申请"), ("\x0c", "收到 申请"), ("\x01", "收到申请")])
def test_control_characters_in_a_table_cell_are_read(control: str, read_as: str) -> None:
    # Word pastes its manual line break as \x0b; lxml reads it but refuses to write it back when the
    # cell's line breaks are marked, which once made the whole page unreadable.
    page = (f"<html><body><div id='zoom'><p>前言</p><table><tr><td><p>收到{control}申请</p></td>"
            f"<td>件{control}<br>数</td></tr><tr><td>1</td><td>2</td></tr></table></div></body></html>")
    doc = read_html(page.encode("utf-8"))
    assert [[cell.text for cell in row] for row in doc.grids[0].rows] == [[read_as, "件数"], ["1", "2"]]


_CELL_TAGS = st.sampled_from(["p", "div", "span", "td", "th", "tr", "table", "tbody", "thead", "b", "br", "li",
                              "script", "style", "font", "h3", "a"])
_CELL_TEXT = st.lists(st.sampled_from(["收", "到", "1", " ", "\n", "\t", "&nbsp;", "&amp;", "a"]),
                      max_size=4).map("".join)


@given(st.lists(st.tuples(_CELL_TAGS, _CELL_TEXT, st.booleans()), max_size=50))
@settings(max_examples=300, deadline=None)
def test_cell_strings_in_one_transform_equal_marking_the_tree(parts: list[tuple[str, str, bool]]) -> None:
    # The fast path (one XSLT transform per table) must read every cell exactly as marking the block
    # boundaries in the tree and serialising cell by cell does, on any markup libxml2 can make of it.
    from lxml import etree

    from ogi.ingest.html import _cell_string, _cell_strings, _cell_text, _mark_cell_breaks, _own_cells, _own_rows

    markup = "<table><tr><td>x" + "".join(
        f"<{tag}>{text}" if opening else f"</{tag}>{text}" for tag, text, opening in parts
    ) + "</table>"

    def tables() -> list[tuple[etree._Element, list[list[etree._Element]]]]:
        root = etree.fromstring(f"<html><body>{markup}</body></html>", etree.HTMLParser())
        return [(table, [_own_cells(row) for row in _own_rows(table)]) for table in root.iter("table")]

    # Compared as the reader reads them (_cell_text): the two paths may differ only in how many blank lines
    # separate blocks (an empty nested table gives "\n" on one path, "\n\n" on the other), never in text.
    fast = [[_cell_text(s) for s in _cell_strings(table, rows)] for table, rows in tables()]
    slow = []
    for table, rows in tables():
        _mark_cell_breaks(table)
        slow.append([_cell_text(_cell_string(td)) for cells in rows for td in cells])
    assert fast == slow


def test_a_cell_holding_the_transforms_separator_is_read_whole() -> None:
    html = page("<table><tr><td>收\ue000到</td><td><p>件</p><p>数</p></td></tr><tr><td>a</td><td>b</td></tr></table>")
    assert [[cell.text for cell in row] for row in read_html(html).grids[0].rows] == [["收\ue000到", "件数"],
                                                                                     ["a", "b"]]
