"""Renderers: a SynthReport as the bytes of a real-looking submission in every input form.

HTML (`render_html`) comes in the markup styles real pages use — see `HTML_STYLES`: clean `<th>`
tables, Word-pasted `MsoNormal` markup with numbers split across spans, zeros left blank or written
as placeholders, full-width digits, GBK bytes with a correct, missing or lying charset declaration,
and a whole CMS page around the article (`site`, 40–80 KB with `realistic=True`). HTML is built from
template strings (no DOM), so a corpus of 10,000 pages takes seconds.

DOCX (python-docx) and PDF (fpdf2) print the official tables with their merged cells; XLSX
(openpyxl) puts metadata, prose and each table on sheets of their own; TXT is a text copy of a page
(tables one row per line, or one cell per line as flip-book PDFs extract), or the old shape's
prose; JSON is the structured input (`ogi.ingest.structured`).
"""

from __future__ import annotations

import glob
import html
import importlib
import io
import json
import os
import random
import re
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from typing import Any

from ogi.testing.layout import (
    Block,
    LCell,
    LTable,
    document_blocks,
    format_value,
    table_layout_for,
    to_fullwidth,
)
from ogi.testing.synth import CellData, SynthReport, cn_numeral_date, generate_many


@dataclass(frozen=True)
class HtmlStyle:
    markup: str = "clean"  # clean | word
    zeros: str = "0"  # 0 | blank | placeholder
    fullwidth: bool = False
    encoding: str = "utf-8"  # utf-8 | gbk
    meta: str = "correct"  # correct | none | lying (declares utf-8 whatever the bytes are)
    site: bool = False  # a whole CMS page around the article

    @property
    def clean(self) -> bool:
        """No defect in the data as printed (blank and placeholder cells are defects, SPEC D04/D05)."""
        return self.zeros == "0"


HTML_STYLES: dict[str, HtmlStyle] = {
    "clean": HtmlStyle(),
    "word": HtmlStyle(markup="word"),
    "blank": HtmlStyle(zeros="blank"),
    "word-blank": HtmlStyle(markup="word", zeros="blank"),
    "placeholder": HtmlStyle(zeros="placeholder"),
    "fullwidth": HtmlStyle(fullwidth=True),
    "word-fullwidth": HtmlStyle(markup="word", fullwidth=True),
    "gbk-meta": HtmlStyle(markup="word", encoding="gbk"),
    "gbk-nometa": HtmlStyle(markup="word", encoding="gbk", meta="none"),
    "gbk-lying": HtmlStyle(markup="word", encoding="gbk", meta="lying"),
    "site": HtmlStyle(markup="word", site=True),
    "site-clean": HtmlStyle(site=True),
    "site-gbk": HtmlStyle(markup="word", site=True, encoding="gbk"),
}
CLEAN_HTML_STYLES = tuple(k for k, v in HTML_STYLES.items() if v.clean)
TXT_STYLES = ("rows", "flipbook")  # the clean ones; "crawled" runs cells together (not always readable)
MARKDOWN_STYLES = ("pipes", "pipes-empty")
DOCX_STYLES = ("bold", "heading-styles", "blank")
XLSX_STYLES = ("sheets", "template", "blank")
PDF_STYLES = ("table", "blank")
PLACEHOLDERS = ("/", "—", "无", "-")


def _placeholder_for(report: SynthReport) -> str:
    return PLACEHOLDERS[report.seed % len(PLACEHOLDERS)]


# --- HTML ----------------------------------------------------------------------------------------

_esc = html.escape
_DIGITS = re.compile(r"[0-9０-９]+")
_P_STYLE = "text-indent:32.0pt;line-height:28.0pt;mso-line-height-rule:exactly;mso-pagination:widow-orphan"
_RUN_STYLE = 'font-size:16.0pt;font-family:仿宋_GB2312;mso-hansi-font-family:"Times New Roman";color:black'
_NUM_STYLE = 'font-size:16.0pt;font-family:"Times New Roman";mso-fareast-font-family:仿宋_GB2312'
_TD_STYLE = "border:solid windowtext 1.0pt;padding:0cm 5.4pt"
_CELL_RUN = "font-size:10.0pt;font-family:宋体"
_CELL_NUM = "font-size:10.0pt"
# Header labels a Word table breaks over two lines.
_TWO_LINES = {
    "商业企业": ("商业", "企业"),
    "科研机构": ("科研", "机构"),
    "结果纠正": ("结果", "纠正"),
    "其他结果": ("其他", "结果"),
    "尚未审结": ("尚未", "审结"),
    "结果维持": ("结果", "维持"),
}


class _Counter:
    """Deterministic alternation for markup choices (cheaper than a Random per span)."""

    def __init__(self, seed: int) -> None:
        self.n = seed

    def tick(self, mod: int) -> int:
        self.n = (self.n * 1103515245 + 12345) & 0x7FFFFFFF
        return (self.n >> 8) % mod


def _word_digits(text: str, counter: _Counter, run: str = _NUM_STYLE) -> str:
    """Digit runs in their own EN-US spans, sometimes split in two (as Word does after edits)."""

    def repl(m: re.Match[str]) -> str:
        digits = m.group(0)
        close = "</span>"
        if len(digits) > 1 and counter.tick(3) == 0:
            cut = 1 + counter.tick(len(digits) - 1)
            return (
                f"{close}<span lang=EN-US style='{run}'>{digits[:cut]}</span>"
                f"<span lang=EN-US style='{run}'>{digits[cut:]}</span><span style='{_RUN_STYLE}'>"
            )
        return f"{close}<span lang=EN-US style='{run}'>{digits}</span><span style='{_RUN_STYLE}'>"

    return _DIGITS.sub(repl, text)


def _word_para(text: str, counter: _Counter, *, kind: str = "para") -> str:
    body = _esc(text, quote=False)
    if kind == "heading":
        font = 'font-size:16.0pt;font-family:黑体;mso-hansi-font-family:"Times New Roman"'
        if len(body) > 6 and counter.tick(2) == 0:  # a heading split across two runs
            cut = 3 + counter.tick(len(body) - 4)
            body = f"{body[:cut]}</span><span style='{font}'>{body[cut:]}"
        return (
            f"<p class=MsoNormal style='{_P_STYLE}'><span style='{font}'>{body}</span>"
            "<span lang=EN-US style='font-size:16.0pt'><o:p></o:p></span></p>\n"
        )
    if kind == "subheading":
        font = "font-size:16.0pt;font-family:楷体_GB2312"
        return f"<p class=MsoNormal style='{_P_STYLE}'><span style='{font}'>{body}</span></p>\n"
    if kind == "signature":
        return (
            f"<p class=MsoNormal align=right style='text-align:right;line-height:28.0pt'>"
            f"<span style='{_RUN_STYLE}'>{_word_digits(body, counter)}</span></p>\n"
        )
    if kind == "title":
        font = "font-size:22.0pt;font-family:方正小标宋简体"
        return (
            f"<p class=MsoNormal align=center style='text-align:center;line-height:28.0pt'>"
            f"<span style='{font}'>{body}</span></p>\n"
        )
    indent = "&nbsp;&nbsp;" if counter.tick(4) == 0 else ""
    return (
        f"<p class=MsoNormal style='{_P_STYLE}'><span style='{_RUN_STYLE}'>{indent}"
        f"{_word_digits(body, counter)}</span><span lang=EN-US><o:p></o:p></span></p>\n"
    )


def _spans(cell: LCell) -> str:
    out = ""
    if cell.rowspan > 1:
        out += f' rowspan="{cell.rowspan}"'
    if cell.colspan > 1:
        out += f' colspan="{cell.colspan}"'
    return out


def _clean_table(report: SynthReport, table: LTable, style: HtmlStyle) -> str:
    rows = []
    data = report.tables.get(table.key, {})
    for row in table.rows:
        cells = []
        for cell in row:
            if cell.role == "value":
                assert cell.key is not None
                value = data.get(cell.key[0], {}).get(cell.key[1])
                text = format_value(
                    value, zeros=style.zeros, fullwidth=style.fullwidth, placeholder=_placeholder_for(report)
                )
                cells.append(f"<td{_spans(cell)}>{_esc(text, quote=False)}</td>")
            elif cell.header:
                cells.append(f"<th{_spans(cell)}>{_esc(cell.text, quote=False)}</th>")
            else:
                cells.append(f"<td{_spans(cell)}>{_esc(cell.text, quote=False)}</td>")
        rows.append("<tr>" + "".join(cells) + "</tr>")
    return '<table border="1" cellspacing="0" cellpadding="4">\n' + "\n".join(rows) + "\n</table>\n"


# Word-table markup is mostly the same for every report of a format: the label cells are built once per
# (format, table, site, variant) and only the value cells are filled per report.
_WORD_TABLE_VARIANTS = 4


@lru_cache(maxsize=64)
def _word_table_parts(version: str, key: str, site: bool, variant: int) -> tuple[str | tuple[str, str], ...]:
    """The table's markup as static strings, with (row, column) where a value goes."""
    table = table_layout_for(version, key)
    counter = _Counter(variant)
    total = sum(table.col_weights) or 1.0
    parts: list[str | tuple[str, str]] = [
        "<div align=center><table class=MsoNormalTable border=1 cellspacing=0 cellpadding=0 width=600 "
        "style='width:450.0pt;border-collapse:collapse;border:none;mso-border-alt:solid windowtext .5pt;"
        "mso-yfti-tbllook:1184;mso-padding-alt:0cm 5.4pt 0cm 5.4pt'>\n"
    ]
    by_row: dict[int, list[tuple[int, LCell]]] = {}
    for r, c, cell in table.placed():
        by_row.setdefault(r, []).append((c, cell))
    for r in range(table.height):
        parts.append(f"<tr style='mso-yfti-irow:{r};height:20.0pt'>\n")
        for c, cell in by_row.get(r, []):
            weight = sum(table.col_weights[c : c + cell.colspan]) if table.col_weights else cell.colspan
            width = int(600 * weight / total)
            # A CMS editor keeps the cells' widths and spans but strips their inline styles.
            cell_style = "" if site else f" style='width:{width * 0.75:.1f}pt;{_TD_STYLE}'"
            parts.append(f"<td width={width}{_spans(cell).replace(chr(34), '')}{cell_style}>")
            if cell.role == "value":
                assert cell.key is not None
                parts.extend(("<p class=MsoNormal align=center>", cell.key, "</p></td>\n"))
                continue
            pieces = _TWO_LINES.get(cell.text) if counter.tick(2) == 0 else None
            align = "center" if cell.header else "left"
            parts.append(
                "".join(
                    f"<p class=MsoNormal align={align}><span style='{_CELL_RUN}'>"
                    f"{_word_digits(_esc(t, quote=False), counter, _CELL_NUM)}</span></p>"
                    for t in pieces or (cell.text,)
                )
                + "</td>\n"
            )
        parts.append("</tr>\n")
    parts.append("</table></div>\n<p class=MsoNormal><span lang=EN-US><o:p>&nbsp;</o:p></span></p>\n")
    # Merge runs of static strings.
    merged: list[str | tuple[str, str]] = []
    for part in parts:
        if isinstance(part, str) and merged and isinstance(merged[-1], str):
            merged[-1] += part
        else:
            merged.append(part)
    return tuple(merged)


def _word_table(report: SynthReport, table: LTable, style: HtmlStyle, counter: _Counter) -> str:
    data = report.tables.get(table.key, {})
    placeholder = _placeholder_for(report)
    out: list[str] = []
    for part in _word_table_parts(report.format_version, table.key, style.site, report.seed % _WORD_TABLE_VARIANTS):
        if isinstance(part, str):
            out.append(part)
            continue
        value = data.get(part[0], {}).get(part[1])
        text = format_value(value, zeros=style.zeros, fullwidth=style.fullwidth, placeholder=placeholder)
        if not text:
            out.append("<span lang=EN-US>&nbsp;</span>")
        elif len(text) > 1 and text.isdigit() and counter.tick(3) == 0:
            cut = 1 + counter.tick(len(text) - 1)
            out.append(f"<span lang=EN-US>{text[:cut]}</span><span lang=EN-US>{text[cut:]}</span>")
        else:
            out.append(f"<span lang=EN-US style='{_CELL_NUM}'>{_esc(text, quote=False)}</span>")
    return "".join(out)


def _body_text(report: SynthReport, block: Block, style: HtmlStyle) -> str:
    text = block.text
    if style.fullwidth and block.kind in ("para", "subheading"):
        text = to_fullwidth(text)
    return text


def _article(report: SynthReport, style: HtmlStyle, counter: _Counter, *, with_title: bool) -> str:
    parts: list[str] = []
    for block in document_blocks(report):
        if block.kind == "title":
            if with_title:
                parts.append(
                    _word_para(block.text, counter, kind="title")
                    if style.markup == "word"
                    else f"<h1>{_esc(block.text, quote=False)}</h1>\n"
                )
            continue
        if block.kind == "table":
            assert block.table is not None
            parts.append(
                _word_table(report, block.table, style, counter)
                if style.markup == "word"
                else _clean_table(report, block.table, style)
            )
            continue
        text = _body_text(report, block, style)
        if style.markup == "word":
            parts.append(_word_para(text, counter, kind=block.kind))
        elif block.kind == "heading":
            parts.append(f"<h2>{_esc(text, quote=False)}</h2>\n")
        elif block.kind == "subheading":
            parts.append(f"<p><strong>{_esc(text, quote=False)}</strong></p>\n")
        elif block.kind == "signature":
            parts.append(f'<p style="text-align:right">{_esc(text, quote=False)}</p>\n')
        else:
            parts.append(f"<p>{_esc(text, quote=False)}</p>\n")
    return "".join(parts)


def _charset_meta(style: HtmlStyle) -> str:
    if style.meta == "none":
        return ""
    if style.meta == "lying":
        return '<meta charset="utf-8">\n'
    if style.encoding == "gbk":
        return '<meta http-equiv="Content-Type" content="text/html; charset=gbk">\n'
    return '<meta charset="utf-8">\n'


def render_html(report: SynthReport, style: str | HtmlStyle = "clean", *, realistic: bool = False) -> bytes:
    """The report as an HTML page in one of `HTML_STYLES` (or a custom HtmlStyle).

    Every page states 发布日期 in an info line above the article. `realistic=True` pads a `site` page
    with navigation, related links and inline styles to 40–80 KB, as real CMS pages are.
    """
    st = HTML_STYLES[style] if isinstance(style, str) else style
    counter = _Counter(report.seed)
    title = _esc(report.title, quote=False)
    if st.site:
        text = _site_page(report, st, counter, realistic=realistic)
    else:
        article = _article(report, st, counter, with_title=False)
        text = (
            "<!DOCTYPE html>\n<html>\n<head>\n" + _charset_meta(st) + f"<title>{title}</title>\n</head>\n<body>\n"
            f'<div class="article">\n<h1>{title}</h1>\n'
            f'<p class="info">发布日期：{report.published.isoformat()}</p>\n'
            f'<div class="article-content">\n{article}</div>\n</div>\n</body>\n</html>\n'
        )
    return text.encode("gbk" if st.encoding == "gbk" else "utf-8", errors="xmlcharrefreplace")


# The CMS page around the article: header navigation, breadcrumbs, info bar, share widget, related
# links, footer and scripts. Long inline styles, like the real thing.
_NAV = ("首页", "政务公开", "政府信息公开", "政务服务", "互动交流", "走进{place}", "专题专栏", "数据开放")
_SUBNAV = (
    "政府信息公开指南",
    "政府信息公开制度",
    "法定主动公开内容",
    "政府信息公开年报",
    "依申请公开",
    "政策文件",
    "政策解读",
    "财政预决算",
    "重点领域信息公开",
    "人事信息",
    "规划计划",
    "统计信息",
)
_SCRIPT = """<script type="text/javascript">
var websiteId = "{sid}", websiteCode = "{code}", columnId = "{cid}";
(function () {{ var d = new Date(), w = ["日","一","二","三","四","五","六"];
  var el = document.getElementById("utime"); if (el) {{ el.innerHTML = d.getFullYear() + "年" + (d.getMonth() + 1)
  + "月" + d.getDate() + "日 星期" + w[d.getDay()]; }} }})();
function jft() {{ var b = document.body; if (b.className.indexOf("fanti") < 0) {{ b.className += " fanti"; }} }}
function doZoom(size) {{ var c = document.getElementById("zoomcon"); if (!c) return; c.style.fontSize = size + "px";
  var ps = c.getElementsByTagName("p"); for (var i = 0; i < ps.length; i++) {{ ps[i].style.fontSize = size + "px"; }} }}
</script>
"""
_STATS = """<script type="text/javascript">
var _hmt = _hmt || []; (function() {{ var hm = document.createElement("script");
hm.src = "https://hm.example.com/hm.js?{sid}"; var s = document.getElementsByTagName("script")[0];
s.parentNode.insertBefore(hm, s); }})();
</script>
<script type="text/javascript" src="/common/js/jquery-1.12.4.min.js"></script>
<script type="text/javascript" src="/common/js/jquery.SuperSlide.2.1.3.js"></script>
<script type="text/javascript" src="/common/js/share.js?v={cid}"></script>
"""
_CSS = """<style type="text/css">
body {{ margin:0; padding:0; font-family:"Microsoft YaHei","微软雅黑",SimSun,sans-serif; background:#f5f5f5; }}
.header-t {{ height:36px; line-height:36px; background:#f1f1f1; border-bottom:1px solid #e5e5e5; font-size:13px; }}
.container {{ width:1200px; margin:0 auto; }} .fl {{ float:left; }} .fr {{ float:right; }}
.mainNav {{ background:#{color}; height:50px; }} .mainNav li {{ float:left; width:150px; text-align:center; }}
.mainNav li a {{ color:#fff; font-size:18px; line-height:50px; display:block; }}
.breadcrumb {{ padding:12px 0; font-size:14px; color:#666; }} .breadcrumb a {{ color:#666; }}
.article {{ background:#fff; padding:30px 60px; min-height:600px; }}
.article-title {{ font-size:26px; color:#{color}; text-align:center; line-height:40px; }}
.article-info {{ text-align:center; color:#888; font-size:14px; border-bottom:1px dashed #ccc; padding:10px 0; }}
.article-info span {{ margin:0 12px; }} .article-content {{ font-size:16px; line-height:2; padding:20px 0; }}
.article-content table {{ margin:0 auto; border-collapse:collapse; }}
.bdsharebuttonbox {{ text-align:right; padding:10px 0; }} .related li {{ line-height:30px; }}
.footer {{ background:#{color}; color:#fff; text-align:center; padding:20px 0; font-size:14px; line-height:26px; }}
@media screen and (max-width:900px) {{ .container {{ width:100%; }} .article {{ padding:15px; }} }}
</style>
"""


def _nav_html(report: SynthReport, rng: random.Random, color: str) -> str:
    items = "".join(
        f'<li style="float:left;list-style:none"><a href="/{report.seed % 97}/col{i}/index.html" target="_blank" '
        f'style="color:#fff;text-decoration:none">{name.format(place=report.place)}</a></li>'
        for i, name in enumerate(_NAV)
    )
    sub = "".join(
        f'<li style="list-style:none;float:left;margin:0 8px"><a href="/zfxxgk/{i:03d}/index.html" '
        f'style="color:#333;font-size:14px;text-decoration:none">{name}</a></li>'
        for i, name in enumerate(rng.sample(_SUBNAV, len(_SUBNAV)))
    )
    return (
        '<div class="header-t"><div class="container"><div class="fl"><span id="utime"></span></div>'
        '<div class="header-menu fr"><ul class="fl"><li><a class="jft" href="javascript:void(0);" onclick="jft()">'
        '繁體版</a></li><li class="wza"><a href="javascript:void(0);" id="assist-open">无障碍浏览</a></li>'
        '<li><a href="/mobile/">移动版</a></li></ul></div></div></div>\n'
        f'<div class="logo-bar" style="height:120px;background:url(/images/banner.jpg) no-repeat center">'
        f'<div class="container"><a href="/" title="{report.place}人民政府"><img src="/images/logo.png" '
        f'alt="{report.place}人民政府" style="margin-top:30px"></a><div class="header-search fr">'
        '<form action="/search/" method="get"><input type="text" name="q" placeholder="请输入关键词">'
        '<button type="submit">搜索</button></form></div></div></div>\n'
        f'<div class="mainNav" style="background:#{color}"><div class="container"><ul>{items}</ul></div></div>\n'
        f'<div class="subNav" style="background:#fff;border-bottom:1px solid #eee;overflow:hidden">'
        f'<div class="container"><ul>{sub}</ul></div></div>\n'
    )


def _related_html(report: SynthReport, rng: random.Random, count: int) -> str:
    items = []
    for i in range(count):
        year = report.year - 1 - (i % 5)
        name = rng.choice(("发展和改革局", "教育局", "民政局", "财政局", "卫生健康委员会", "生态环境局", "司法局"))
        items.append(
            f'<li style="line-height:32px;border-bottom:1px dotted #ddd;list-style:none;overflow:hidden">'
            f'<a href="/zfxxgk/gknb/{year + 1}01/{rng.getrandbits(64):016x}.shtml" target="_blank" '
            f'style="color:#333;text-decoration:none;float:left;width:80%;white-space:nowrap;overflow:hidden">'
            f"{report.place}{name}{year}年政府信息公开工作年度报告</a>"
            f'<span style="float:right;color:#999;font-size:13px">{year + 1}-01-{1 + i % 28:02d}</span></li>'
        )
    return (
        '<div class="related" style="margin-top:30px;padding:15px;background:#fafafa;border:1px solid #eee">'
        '<h4 style="font-size:16px;color:#333;border-left:4px solid #c00;padding-left:10px">相关链接</h4>'
        '<ul style="padding:0;margin:0">' + "".join(items) + "</ul></div>\n"
    )


def _site_page(report: SynthReport, style: HtmlStyle, counter: _Counter, *, realistic: bool) -> str:
    rng = random.Random(report.seed ^ 0x5EED)
    color = rng.choice(("c4161c", "1a5ea8", "0b5fa5", "b40000", "2d6db5"))
    site = f"{report.place}人民政府"
    title = _esc(report.title, quote=False)
    sid = f"{rng.getrandbits(128):032x}"
    head = (
        '<!DOCTYPE html>\n<html lang="zh-CN">\n<head>\n'
        + _charset_meta(style)
        + '<meta name="renderer" content="webkit">\n<meta http-equiv="X-UA-Compatible" content="IE=edge">\n'
        + f'<meta name="viewport" content="width=device-width, initial-scale=1">\n<title>{title}-{site}</title>\n'
        + f'<meta name="SiteName" content="{site}">\n<meta name="SiteDomain" content="http://www.example.gov.cn/">\n'
        + f'<meta name="SiteIDCode" content="{rng.randint(10**9, 10**10 - 1)}">\n'
        + '<meta name="ColumnName" content="政府信息公开年报">\n<meta name="ColumnType" content="年度报告">\n'
        + f'<meta name="keywords" content="{report.place},政府信息公开,年度报告">\n'
        + '<link rel="stylesheet" type="text/css" href="/common/css/common.css">\n'
        + _CSS.format(color=color)
        + _SCRIPT.format(sid=sid, code=f"site{report.seed % 1000}", cid=rng.randint(1000, 9999))
        + "</head>\n"
    )
    index_no = f"{rng.randint(10**8, 10**9 - 1)}/{report.published.year}-{rng.randint(1, 99999):05d}"
    info = (
        '<div class="article-info" style="text-align:center;color:#888;font-size:14px;padding:10px 0">'
        f"<span>发布日期：{report.published.isoformat()}</span><span>来源：{_esc(report.agency)}</span>"
        "<span>浏览次数：<script>document.write(Math.floor(Math.random()*1000));</script></span>"
        '<span class="font-size">字号：<a href="javascript:doZoom(18)">大</a> <a href="javascript:doZoom(16)">中</a> '
        '<a href="javascript:doZoom(14)">小</a></span></div>\n'
    )
    meta_table = (
        '<div class="article-tb" style="padding:20px 0"><table class="table_content" style="width:100%;'
        'border-collapse:collapse;font-size:14px"><tbody>'
        f'<tr><td class="c1" style="width:100px;background:#f5f5f5">索引号</td><td class="c2">{index_no}</td>'
        '<td class="c1" style="width:100px;background:#f5f5f5">分类</td><td class="c3">政府信息公开年报</td></tr>'
        f'<tr><td class="c1" style="background:#f5f5f5">发布机构</td><td class="c2">{_esc(report.agency)}</td>'
        f'<td class="c1" style="background:#f5f5f5">生效日期</td><td class="c3">{report.published.isoformat()}</td>'
        "</tr></tbody></table></div>\n"
    )
    share = (
        '<div class="bdsharebuttonbox share-box" style="text-align:right;padding:10px 0">分享到：'
        '<a href="#" class="bds_weixin" data-cmd="weixin" title="分享到微信">微信</a>'
        '<a href="#" class="bds_tsina" data-cmd="tsina" title="分享到新浪微博">微博</a>'
        '<a href="#" class="bds_qzone" data-cmd="qzone" title="分享到QQ空间">QQ空间</a>'
        '<a href="javascript:window.print()">【打印本页】</a>'
        '<a href="javascript:window.close()">【关闭窗口】</a></div>\n'
    )
    footer = (
        f'<div class="footer" style="background:#{color};color:#fff;text-align:center;padding:20px 0">'
        f'<div class="container"><p>主办单位：{site}办公室&nbsp;&nbsp;承办单位：{report.place}大数据管理中心</p>'
        f"<p>网站标识码：{rng.randint(10**9, 10**10 - 1)}&nbsp;&nbsp;"
        f"ICP备{rng.randint(10**7, 10**8 - 1)}号-1&nbsp;&nbsp;公网安备 {rng.randint(10**13, 10**14 - 1)}号</p>"
        '<p>联系电话：0000-00000000&nbsp;&nbsp;<a href="/sitemap.html" style="color:#fff">网站地图</a>&nbsp;&nbsp;'
        '<a href="/contact.html" style="color:#fff">联系我们</a></p>'
        '<p><a href="http://bszs.conac.cn/" target="_blank"><img src="/images/dzjg.png" alt="党政机关"></a>'
        '<img src="/images/jiucuo.png" alt="政府网站找错"></p></div></div>\n'
    )
    article = _article(report, style, counter, with_title=False)
    crumbs = (
        '<div class="breadcrumb container" style="padding:12px 0;font-size:14px;color:#666">当前位置：'
        '<a href="/">首页</a> &gt; <a href="/zwgk/">政务公开</a> &gt; <a href="/zfxxgk/">政府信息公开</a> &gt; '
        '<a href="/zfxxgk/gknb/">政府信息公开年报</a></div>\n'
    )
    nav = _nav_html(report, rng, color)
    stats = _STATS.format(sid=sid, cid=rng.randint(1000, 9999))

    def page(related: int) -> str:
        return (
            head
            + "<body>\n"
            + nav
            + crumbs
            + '<div class="main container"><div class="article" style="background:#fff;padding:30px 60px">\n'
            + meta_table
            + f'<h1 class="article-title" style="font-size:26px;text-align:center">{title}</h1>\n'
            + info
            + f'<div class="article-content" id="zoomcon" style="font-size:16px;line-height:2">\n{article}</div>\n'
            + share
            + (_related_html(report, random.Random(report.seed + 1), related) if related else "")
            + "</div></div>\n"
            + footer
            + stats
            + "</body>\n</html>\n"
        )

    if not realistic:
        return page(5)
    target = random.Random(report.seed).randint(40_000, 80_000)
    encoding = "gbk" if style.encoding == "gbk" else "utf-8"
    text = page(0)
    size = len(text.encode(encoding, errors="xmlcharrefreplace"))
    if size < target:
        per_item = (len(page(8).encode(encoding, errors="xmlcharrefreplace")) - size) / 8
        count = max(1, round((target - size) / per_item))
        text = page(count)
        while len(text.encode(encoding, errors="xmlcharrefreplace")) < 40_000:
            count += 4
            text = page(count)
    return text


# --- DOCX ----------------------------------------------------------------------------------------


def render_docx(report: SynthReport, style: str = "bold") -> bytes:
    """A Word document: title, paragraphs, headings (bold runs, or Word heading styles with
    style="heading-styles"), the official tables with merged cells, and the signature right-aligned.
    style="blank" leaves zero cells empty."""
    import docx
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml.ns import qn
    from docx.shared import Pt

    document = docx.Document()
    normal = document.styles["Normal"]
    normal.font.name = "Times New Roman"
    normal.font.size = Pt(12)
    rpr = normal.element.get_or_add_rPr()
    rpr.get_or_add_rFonts().set(qn("w:eastAsia"), "仿宋_GB2312")
    zeros = "blank" if style == "blank" else "0"
    # Formal documents often write the signature date in Chinese numerals (二〇二四年一月十七日).
    dates = (lambda r: cn_numeral_date(r.signed)) if style == "heading-styles" else None
    for block in document_blocks(report, date_text=dates):
        if block.kind == "title":
            p = document.add_paragraph()
            p.alignment = WD_ALIGN_PARAGRAPH.CENTER
            run = p.add_run(block.text)
            run.bold = True
            run.font.size = Pt(18)
        elif block.kind == "heading":
            if style == "heading-styles":
                document.add_heading(block.text, level=2)
            else:
                document.add_paragraph().add_run(block.text).bold = True
        elif block.kind == "subheading":
            document.add_paragraph(block.text)
        elif block.kind == "signature":
            p = document.add_paragraph(block.text)
            p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        elif block.kind == "table":
            assert block.table is not None
            _docx_table(document, report, block.table, zeros)
        else:
            p = document.add_paragraph(block.text)
            p.paragraph_format.first_line_indent = Pt(24)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _docx_table(document: Any, report: SynthReport, layout: LTable, zeros: str) -> None:
    """The table as WordprocessingML: gridSpan for horizontal merges, vMerge restart/continue for
    vertical ones, as Word writes them (built as XML: python-docx's cell merging is quadratic)."""
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls

    data = report.tables.get(layout.key, {})
    total_twips = 9000
    weights = layout.col_weights or [1.0] * layout.width
    widths = [int(total_twips * w / sum(weights)) for w in weights]
    owner: dict[tuple[int, int], tuple[int, int, LCell]] = {}
    for r, c, cell in layout.placed():
        for dr in range(cell.rowspan):
            for dc in range(cell.colspan):
                owner[(r + dr, c + dc)] = (r, c, cell)
    rows = []
    for r in range(layout.height):
        cells = []
        for c in range(layout.width):
            found = owner.get((r, c))
            if found is None:
                cells.append(f'<w:tc><w:tcPr><w:tcW w:w="{widths[c]}" w:type="dxa"/></w:tcPr><w:p/></w:tc>')
                continue
            r0, c0, cell = found
            if c != c0:
                continue
            props = f'<w:tcW w:w="{sum(widths[c : c + cell.colspan])}" w:type="dxa"/>'
            if cell.colspan > 1:
                props += f'<w:gridSpan w:val="{cell.colspan}"/>'
            if cell.rowspan > 1:
                props += '<w:vMerge w:val="restart"/>' if r == r0 else "<w:vMerge/>"
            props += '<w:vAlign w:val="center"/>'
            if r != r0:
                cells.append(f"<w:tc><w:tcPr>{props}</w:tcPr><w:p/></w:tc>")
                continue
            if cell.role == "value":
                assert cell.key is not None
                pieces: Sequence[str] = (
                    format_value(
                        data.get(cell.key[0], {}).get(cell.key[1]), zeros=zeros, placeholder=_placeholder_for(report)
                    ),
                )
            else:
                pieces = _TWO_LINES.get(cell.text) or (cell.text,)
            paras = "".join(
                '<w:p><w:pPr><w:jc w:val="center"/></w:pPr>'
                + (
                    f'<w:r><w:rPr><w:sz w:val="18"/></w:rPr><w:t xml:space="preserve">{_esc(t, quote=False)}'
                    "</w:t></w:r>"
                    if t
                    else ""
                )
                + "</w:p>"
                for t in pieces
            )
            cells.append(f"<w:tc><w:tcPr>{props}</w:tcPr>{paras}</w:tc>")
        rows.append("<w:tr>" + "".join(cells) + "</w:tr>")
    grid = "".join(f'<w:gridCol w:w="{w}"/>' for w in widths)
    xml = (
        f'<w:tbl {nsdecls("w")}><w:tblPr><w:tblStyle w:val="TableGrid"/><w:jc w:val="center"/>'
        '<w:tblW w:w="0" w:type="auto"/><w:tblLayout w:type="fixed"/></w:tblPr>'
        f"<w:tblGrid>{grid}</w:tblGrid>" + "".join(rows) + "</w:tbl>"
    )
    anchor = document.add_paragraph()  # Word keeps a paragraph after every table
    anchor._p.addprevious(parse_xml(xml))


# --- XLSX ----------------------------------------------------------------------------------------


def render_xlsx(report: SynthReport, style: str = "sheets") -> bytes:
    """A workbook. style "sheets": 基本信息 (title, agency, dates), 正文 (the text down column A), one
    sheet per table with the official merged cells, numbers as numbers; "blank": the same with zero
    cells left empty; "template": the project's fill-in workbook (`ogi.template`) filled in (2019 and
    2021 formats; the old shape falls back to "sheets")."""
    if style == "template" and report.format_version in ("2019", "2021"):
        return _xlsx_from_template(report)
    import openpyxl

    wb = openpyxl.Workbook()
    wb.properties.title = report.title
    info = wb.active
    info.title = "基本信息"
    for row in (
        ("标题", report.title),
        ("发布机构", report.agency),
        ("发布日期", report.published.isoformat()),
        ("成文日期", report.signed.isoformat()),
    ):
        info.append(row)
    text = wb.create_sheet("正文")
    for block in document_blocks(report):
        if block.kind != "table":
            text.append([block.text])
    names = {"active": "表二 主动公开", "requests": "表三 收到和处理申请", "appeals": "表四 复议诉讼"}
    for key in ("active", "requests", "appeals"):
        if key not in report.tables or report.format_version not in ("2019", "2021"):
            continue
        from ogi.testing.layout import table_layout

        layout = table_layout(report, key)
        ws = wb.create_sheet(names[key])
        data = report.tables[key]
        for r, c, cell in layout.placed():
            target = ws.cell(row=r + 1, column=c + 1)
            if cell.role == "value":
                assert cell.key is not None
                target.value = _xlsx_value(data.get(cell.key[0], {}).get(cell.key[1]), style, report)
            else:
                target.value = cell.text
            if cell.rowspan > 1 or cell.colspan > 1:
                ws.merge_cells(
                    start_row=r + 1, start_column=c + 1, end_row=r + cell.rowspan, end_column=c + cell.colspan
                )
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _xlsx_value(value: CellData, style: str, report: SynthReport) -> Any:
    if value is None:
        return None
    if isinstance(value, str):
        return value
    if value == 0 and style == "blank":
        return None
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    return value


@lru_cache(maxsize=4)
def _template_bytes(version: str) -> bytes:
    import tempfile

    template = importlib.import_module("ogi.template")
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "template.xlsx"
        template.write_template(version, path)
        return path.read_bytes()


_LEVEL_ZH = {"department": "部门", "government": "政府", "township": "乡镇街道"}


def _xlsx_from_template(report: SynthReport) -> bytes:
    """The project's fill-in workbook (`ogi.template.write_template`) filled as an agency would: the
    基本信息 fields, each section's text beside its heading on 正文 (the preamble opening 总体情况), and
    the unlocked data cells of the table sheets. Locates cells by the template's labels."""
    import openpyxl

    template = importlib.import_module("ogi.template")
    wb = openpyxl.load_workbook(io.BytesIO(_template_bytes(report.format_version)))
    meta = wb[template.META_SHEET]
    values: dict[str, Any] = {
        "机关名称": report.agency,
        "机关层级": _LEVEL_ZH[report.level],
        "年度": report.year,
        "发布日期": report.published,
        "成文日期": report.signed,
    }
    for row in meta.iter_rows(min_col=1, max_col=1):
        label = row[0].value
        if label in values:
            meta.cell(row=row[0].row, column=2, value=values[label])
    text = wb[template.TEXT_SHEET]
    fmt = report.fmt
    headings = {f"{sd.number}、{sd.heading}": sd.key for sd in fmt.sections}
    for row in text.iter_rows(min_col=1, max_col=1):
        key = headings.get(str(row[0].value or ""))
        if key is None:
            continue
        body = report.sections.get(key, "")
        if key == "overview":
            body = report.preamble + "\n" + body
        text.cell(row=row[0].row, column=2, value=body or None)
    for key, sheet_name in template.SHEET_NAMES.items():
        if key not in report.tables:
            continue
        ws = wb[sheet_name]
        tdef = fmt.tables[key]
        data = report.tables[key]
        for (r, c), value in _template_cells(ws, tdef, key).items():
            ws.cell(row=r, column=c, value=_xlsx_value(data.get(value[0], {}).get(value[1]), "template", report))
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _template_cells(ws: Any, tdef: Any, key: str) -> dict[tuple[int, int], tuple[str, str]]:
    """Sheet position → (row, column) key of each data cell of a template table sheet.

    Data cells are the unlocked ones; a row is named by its label (table 二, 三) and a column by its
    position among the row's data cells, in the definition's column order (table 四: group by group).
    """
    from openpyxl.cell.cell import MergedCell

    unlocked: dict[int, list[int]] = {}
    for row in ws.iter_rows():
        for cell in row:
            if not isinstance(cell, MergedCell) and cell.protection.locked is False:
                unlocked.setdefault(cell.row, []).append(cell.column)
    out: dict[tuple[int, int], tuple[str, str]] = {}
    if key == "appeals":
        ((r, cols),) = unlocked.items()
        keys = [(g.key, c) for g in tdef.groups for c in tdef.column_keys]
        return {(r, c): k for c, k in zip(sorted(cols), keys, strict=True)}
    by_label = {rdef.label: rdef for rdef in tdef.rows}
    for r, cols in sorted(unlocked.items()):
        labels = [str(ws.cell(row=r, column=c).value or "") for c in range(1, min(cols))]
        rdef = next((by_label[t] for t in reversed(labels) if t in by_label), None)
        if rdef is None:
            raise ValueError(f"template sheet {ws.title!r} row {r}: no row label")
        row_cols = rdef.cols or tdef.column_keys
        out.update({(r, c): (rdef.key, ck) for c, ck in zip(sorted(cols), row_cols, strict=True)})
    return out


# --- PDF -----------------------------------------------------------------------------------------

FONT_ENV = "OGI_CJK_FONT"
FONT_CANDIDATES = (
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc",
    "/usr/share/fonts/noto-cjk/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/google-noto-cjk/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/truetype/arphic/uming.ttc",
    "/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf",
    "/System/Library/Fonts/PingFang.ttc",
    "/System/Library/Fonts/STHeiti Light.ttc",
    "C:/Windows/Fonts/simsun.ttc",
    "C:/Windows/Fonts/msyh.ttc",
)
_FONT_GLOBS = (
    "/usr/share/fonts/**/*[Ww][Qq][Yy]*.tt[cf]",
    "/usr/share/fonts/**/*CJK*.tt[cf]",
    "/usr/share/fonts/**/*CJK*.otf",
    "/usr/local/share/fonts/**/*CJK*.tt[cf]",
)


class CJKFontNotFound(RuntimeError):
    pass


def find_cjk_font() -> str:
    """A TrueType font with Chinese glyphs: $OGI_CJK_FONT, else common system locations."""
    given = os.environ.get(FONT_ENV)
    if given:
        if Path(given).is_file():
            return given
        raise CJKFontNotFound(f"{FONT_ENV}={given!r} is not a file")
    for path in FONT_CANDIDATES:
        if Path(path).is_file():
            return path
    for pattern in _FONT_GLOBS:
        found = sorted(glob.glob(pattern, recursive=True))
        if found:
            return found[0]
    raise CJKFontNotFound(
        "no font with Chinese glyphs was found for rendering PDFs; install one "
        "(Debian/Ubuntu: apt-get install fonts-wqy-microhei, or fonts-noto-cjk) or set "
        f"{FONT_ENV} to a .ttf/.ttc file"
    )


def _vocabulary() -> str:
    """Every character the generator and the format definitions can print, plus ASCII."""
    global _VOCAB
    if _VOCAB is None:
        from importlib import resources

        from ogi.testing import layout, synth

        texts = [Path(m.__file__).read_text(encoding="utf-8") for m in (synth, layout) if m.__file__]
        texts.append(Path(__file__).read_text(encoding="utf-8"))
        formats = resources.files("ogi.schemas").joinpath("formats")
        texts.extend(
            formats.joinpath(n).read_text(encoding="utf-8")
            for n in ("2008.yaml", "2019.yaml", "2021.yaml", "common-tables.yaml")
        )
        chars = {ch for text in texts for ch in text if ord(ch) > 0x7E}
        chars.update(chr(c) for c in range(0x20, 0x7F))
        chars.update("０１２３４５６７８９．－＋〇")
        _VOCAB = "".join(sorted(chars))
    return _VOCAB


_VOCAB: str | None = None


def subset_font(chars: Iterable[str]) -> str:
    """A TrueType subset of the CJK font holding the generator's vocabulary and `chars`, cached on disk.

    fpdf2 parses and subsets the whole font for every document (seconds for a 5 MB .ttc); a subset of
    a few hundred glyphs makes a PDF in a fraction of that.
    """
    import hashlib
    import tempfile

    base = find_cjk_font()
    wanted = "".join(sorted(set(_vocabulary()) | {ch for ch in chars if ch.isprintable()}))
    stat = Path(base).stat()
    key = hashlib.sha1(f"{base}|{stat.st_size}|{stat.st_mtime_ns}|{wanted}".encode()).hexdigest()[:20]
    folder = Path(tempfile.gettempdir()) / "ogi-cjk-fonts"
    target = folder / f"{key}.ttf"
    if target.is_file():
        return str(target)
    from fontTools import subset
    from fontTools.ttLib import TTFont

    font = TTFont(base, fontNumber=0, lazy=True) if base.lower().endswith(".ttc") else TTFont(base, lazy=True)
    options = subset.Options()
    options.name_IDs = ["*"]
    options.notdef_outline = True
    options.layout_features = []
    options.drop_tables += ["FFTM"]
    sub = subset.Subsetter(options)
    sub.populate(unicodes=[ord(ch) for ch in wanted])
    sub.subset(font)
    folder.mkdir(parents=True, exist_ok=True)
    tmp = folder / f"{key}.{os.getpid()}.tmp"
    font.save(str(tmp))
    os.replace(tmp, target)
    return str(target)


def render_pdf(report: SynthReport, style: str = "table") -> bytes:
    """A text PDF (fpdf2, A4): title, paragraphs, the official tables drawn with merged cells (they may
    break across pages, as real ones do), and the signature on the right. style="blank" leaves zero
    cells empty. Needs a CJK font (`find_cjk_font`)."""
    from fpdf import FPDF

    blocks = document_blocks(report)
    printed = {ch for b in blocks for ch in b.text}
    printed.update(
        ch
        for rows in report.tables.values()
        for cols in rows.values()
        for v in cols.values()
        if isinstance(v, str)
        for ch in v
    )
    font = subset_font(printed)
    pdf = FPDF(format="A4")
    pdf.set_auto_page_break(True, margin=15)
    pdf.set_margins(18, 18, 18)
    pdf.add_font("cjk", fname=font)
    pdf.add_page()
    zeros = "blank" if style == "blank" else "0"
    width = pdf.epw
    for block in blocks:
        if block.kind == "title":
            pdf.set_font("cjk", size=16)
            pdf.multi_cell(width, 9, block.text, align="C", new_x="LMARGIN", new_y="NEXT")
            pdf.ln(3)
        elif block.kind == "heading":
            pdf.set_font("cjk", size=13)
            pdf.multi_cell(width, 8, block.text, new_x="LMARGIN", new_y="NEXT")
        elif block.kind == "signature":
            pdf.set_font("cjk", size=11)
            pdf.multi_cell(width, 7, block.text, align="R", new_x="LMARGIN", new_y="NEXT")
        elif block.kind == "table":
            assert block.table is not None
            _pdf_table(pdf, report, block.table, zeros)
            pdf.ln(2)
        else:
            pdf.set_font("cjk", size=11)
            pdf.multi_cell(width, 7, block.text, new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())


def _pdf_table(pdf: Any, report: SynthReport, layout: LTable, zeros: str) -> None:
    data = report.tables.get(layout.key, {})
    pdf.set_font("cjk", size=7 if layout.width > 10 else 8)
    with pdf.table(
        col_widths=tuple(layout.col_weights or [1.0] * layout.width),
        first_row_as_headings=False,
        text_align="CENTER",
        line_height=4.2,
        width=pdf.epw,
    ) as table:
        for row in layout.rows:
            out = table.row()
            for cell in row:
                if cell.role == "value":
                    assert cell.key is not None
                    text = format_value(
                        data.get(cell.key[0], {}).get(cell.key[1]), zeros=zeros, placeholder=_placeholder_for(report)
                    )
                else:
                    text = cell.text
                out.cell(text, colspan=cell.colspan, rowspan=cell.rowspan)


# --- TXT and JSON --------------------------------------------------------------------------------


def render_txt(report: SynthReport, style: str = "rows") -> bytes:
    """A text copy of the page: header fields, the text, and each table one printed row per line
    ("rows", cells tab-separated), one cell per line ("flipbook") or all its cells run together on one
    line, as a crawler's text of the page has it ("crawled": "行政规范性文件77132470"). The old shape is
    prose only."""
    lines = []
    if report.format_version == "2008":
        lines += [
            report.title,
            "",
            f"{report.published.isoformat()} 10:{report.seed % 60:02d} 来源:{report.agency}",
            "",
        ]
    else:
        lines += [
            f"标题: {report.title}",
            f"发布日期: {report.published.isoformat()}",
            f"发布机构: {report.agency}",
            "",
            report.title,
            "",
        ]
    for block in document_blocks(report)[1:]:
        if block.kind == "table":
            assert block.table is not None
            lines += _txt_table(report, block.table, style)
        else:
            lines.append(block.text)
            if block.kind in ("heading", "para") and report.format_version == "2008":
                lines.append("")
    return ("\n".join(lines) + "\n").encode("utf-8")


def _txt_table(report: SynthReport, layout: LTable, style: str) -> list[str]:
    data = report.tables.get(layout.key, {})
    rows: list[list[str]] = []
    for row in layout.rows:
        texts = []
        for cell in row:
            if cell.role == "value":
                assert cell.key is not None
                texts.append(format_value(data.get(cell.key[0], {}).get(cell.key[1])) or "0")
            else:
                texts.append(cell.text)
        rows.append(texts)
    if style == "flipbook":
        return [t for row in rows for t in row]
    if style == "crawled":
        return ["".join(t for row in rows for t in row)]
    return ["\t".join(row) for row in rows]


def render_markdown(report: SynthReport, style: str = "pipes") -> bytes:
    """The report as a document-to-Markdown converter writes it: "#" headings and pipe tables whose merged
    cells are repeated in every place they cover ("pipes") or written once, the rest left empty
    ("pipes-empty")."""
    lines = [f"发布日期: {report.published.isoformat()}", ""]
    for block in document_blocks(report):
        if block.kind == "table":
            assert block.table is not None
            lines += [*_markdown_table(report, block.table, repeat=style == "pipes"), ""]
        elif block.kind == "title":
            lines += [f"# {block.text}", ""]
        elif block.kind == "heading":
            lines += [f"## {block.text}", ""]
        elif block.kind == "subheading":
            lines += [f"**{block.text}**", ""]
        else:
            lines += [block.text, ""]
    return ("\n".join(lines) + "\n").encode("utf-8")


def _markdown_table(report: SynthReport, layout: LTable, repeat: bool) -> list[str]:
    data = report.tables.get(layout.key, {})
    grid = [[""] * layout.width for _ in range(layout.height)]
    for r, c, cell in layout.placed():
        if cell.role == "value":
            assert cell.key is not None
            text = format_value(data.get(cell.key[0], {}).get(cell.key[1])) or "0"
        else:
            text = cell.text.replace("|", "\\|")
        for dr in range(cell.rowspan if repeat else 1):
            for dc in range(cell.colspan if repeat else 1):
                grid[r + dr][c + dc] = text
    rows = ["| " + " | ".join(row) + " |" for row in grid]
    return [rows[0], "|" + "---|" * layout.width, *rows[1:]]


def render_json(report: SynthReport, style: str = "structured") -> bytes:
    return json.dumps(report.to_structured(), ensure_ascii=False, indent=1).encode("utf-8")


# --- dispatch and corpora ------------------------------------------------------------------------

RENDERERS = {
    "html": render_html,
    "docx": render_docx,
    "xlsx": render_xlsx,
    "pdf": render_pdf,
    "txt": render_txt,
    "md": render_markdown,
    "json": render_json,
}
EXTENSIONS = {"html": ".html", "docx": ".docx", "xlsx": ".xlsx", "pdf": ".pdf", "txt": ".txt", "md": ".md",
              "json": ".json"}
# The styles of each kind that print the data without defects (what a clean corpus cycles through).
CLEAN_STYLES: dict[str, tuple[str, ...]] = {
    "html": CLEAN_HTML_STYLES,
    "docx": ("bold", "heading-styles"),
    "xlsx": ("sheets", "template"),
    "pdf": ("table",),
    "txt": TXT_STYLES,
    "md": MARKDOWN_STYLES,
    "json": ("structured",),
}


def render(report: SynthReport, kind: str, style: str | None = None, *, realistic: bool = False) -> bytes:
    """The report as `kind` (html, docx, xlsx, pdf, txt, json) in `style` (the kind's first clean one)."""
    style = style or CLEAN_STYLES[kind][0]
    if kind == "html":
        return render_html(report, style, realistic=realistic)
    return RENDERERS[kind](report, style)


def write_corpus(
    directory: str | Path,
    n: int,
    kinds: Sequence[str] = ("html",),
    seed: int = 0,
    realistic: bool = True,
    styles: dict[str, Sequence[str]] | None = None,
    manifest: bool = True,
    **generate_kwargs: Any,
) -> list[Path]:
    """Write `n` clean reports to `directory`, cycling through `kinds` and each kind's clean styles.

    For HTML only site styles are used when `realistic` (real pages are whole CMS pages, 40–80 KB).
    With `manifest`, `.manifest.jsonl` records each file's style and ground truth (the structured
    form), one JSON object per line; its leading dot keeps it out of `ogi check <dir>`.
    """
    out_dir = Path(directory)
    out_dir.mkdir(parents=True, exist_ok=True)
    chosen = {k: tuple((styles or {}).get(k) or CLEAN_STYLES[k]) for k in kinds}
    if realistic and "html" in chosen and not (styles and "html" in styles):
        chosen["html"] = tuple(s for s in CLEAN_HTML_STYLES if HTML_STYLES[s].site)
    paths: list[Path] = []
    log = (out_dir / ".manifest.jsonl").open("w", encoding="utf-8") if manifest else None
    try:
        for i, report in enumerate(generate_many(n, seed, **generate_kwargs)):
            kind = kinds[i % len(kinds)]
            options = chosen[kind]
            style = options[(i // len(kinds)) % len(options)]
            path = out_dir / f"{i:06d}-{kind}-{style}{EXTENSIONS[kind]}"
            path.write_bytes(render(report, kind, style, realistic=realistic))
            paths.append(path)
            if log is not None:
                record = {
                    "file": path.name,
                    "kind": kind,
                    "style": style,
                    "seed": report.seed,
                    **report.to_structured(),
                }
                log.write(json.dumps(record, ensure_ascii=False) + "\n")
    finally:
        if log is not None:
            log.close()
    return paths


def corpus_speed(n: int = 200, kinds: Iterable[str] = ("html",), realistic: bool = True) -> float:
    """Files per second for generating and rendering `n` reports (in memory, no disk)."""
    kinds = tuple(kinds)
    start = time.perf_counter()
    for i, report in enumerate(generate_many(n, 99)):
        kind = kinds[i % len(kinds)]
        render(report, kind, CLEAN_STYLES[kind][-1] if kind == "html" else None, realistic=realistic)
    return n / (time.perf_counter() - start)
