"""Small 2019/2021-format reports as HTML pages, built from canonical data, for the rule tests.

`Doc()` is a clean 2021-format department report: every identity holds, the prose agrees with the
tables, the 信息处理费 is stated, it is published on time. Tests change one thing (`doc.cell(...)`,
`doc.sections[...]`, …) and write it with `doc.write(tmp_path)`; the page has the official table
layout (three header levels in table 三, group labels spanning their rows, table 四's two header
levels), so a test exercises the reader and the rule together, end to end.
"""

from __future__ import annotations

import copy
import html
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ogi.schemas.definitions import TableDef, load_format

Value = int | float | str | None  # a number, the raw text of a cell, or None for a blank cell

DEPARTMENT = "宿迁市自然资源和规划局"
GOVERNMENT = "宿迁市人民政府"
COUNTY_DEPARTMENT = "宿迁市沭阳县自然资源局"

# Table 三, natural persons and commercial enterprises (the other applicants all 0); balanced.
_REQUESTS = {
    "natural_person": {"new_received": 300, "carried_over": 12, "granted": 60, "partially_granted": 201,
                       "denied.state_secret": 1, "unavailable.not_held": 30, "not_processed.duplicate": 5,
                       "other.other": 3, "total_processed": 300, "carried_forward": 12},
    "commercial": {"new_received": 4, "granted": 3, "unavailable.not_held": 1, "total_processed": 4},
}
_APPEALS = {"review": {"upheld": 2, "corrected": 1, "other": 0, "pending": 1, "total": 4},
            "litigation_direct": {"upheld": 1, "corrected": 0, "other": 0, "pending": 0, "total": 1},
            "litigation_after_review": {"upheld": 0, "corrected": 0, "other": 0, "pending": 0, "total": 0}}
_ACTIVE_2021 = {"regulations": {"issued": 0, "repealed": 0, "in_force": 0},
                "normative_documents": {"issued": 3, "repealed": 1, "in_force": 25},
                "licensing": {"decisions": 120}, "punishment": {"decisions": 45}, "coercion": {"decisions": 2},
                "fees": {"amount": "1.25"}}
_ACTIVE_2019 = {"regulations": {"made": 0, "published": 0, "total_public": 0},
                "normative_documents": {"made": 3, "published": 3, "total_public": 25},
                "licensing": {"prev_items": 40, "change": 2, "decisions": 120},
                "other_services": {"prev_items": 5, "change": 0, "decisions": 10},
                "punishment": {"prev_items": 30, "change": -1, "decisions": 45},
                "coercion": {"prev_items": 3, "change": 0, "decisions": 2},
                "fees": {"prev_items": 2, "change": 0}, "procurement": {"projects": 4, "amount": "35.6"}}

SECTIONS = {
    "overview": "{year}年，本局认真贯彻落实《中华人民共和国政府信息公开条例》，扎实推进政务公开工作。"
                "（一）主动公开。通过门户网站主动公开政府信息。"
                "（二）依申请公开。{year}年共收到政府信息公开申请304件，上年结转12件，办结304件。予以公开63件，"
                "部分公开201件。结转下年度继续办理12件。"
                "（三）政府信息管理。加强公开前保密审查。（四）平台建设。优化政府信息公开专栏。"
                "（五）监督保障。被申请行政复议4件，被提起行政诉讼1件。",
    "active": "本局主动公开政府信息情况如下表。",
    "requests": "本局收到和处理政府信息公开申请情况如下表。",
    "appeals": "本局政府信息公开行政复议、行政诉讼情况如下表。",
    "problems": "存在的主要问题是政策解读形式较为单一，部分科室信息报送不够及时，政务新媒体互动回应还不够。"
                "下一步将丰富解读形式，建立信息报送通报机制，加强业务培训，提升工作人员能力。",
    "other": "本年度未收取信息处理费。无其他需要报告的事项。",
}
HEADINGS = {"overview": "一、总体情况", "active": "二、主动公开政府信息情况",
            "requests": "三、收到和处理政府信息公开申请情况", "appeals": "四、政府信息公开行政复议、行政诉讼情况",
            "problems": "五、存在的主要问题及改进情况", "other": "六、其他需要报告的事项"}
GOVERNMENT_EXTRA = "本年度将政务公开纳入政府绩效考核，开展社会评议，未发生责任追究情况。"


def clean_tables(version: str = "2021") -> dict[str, dict[str, dict[str, Value]]]:
    """Tables 二/三/四 that satisfy every identity (zeros where nothing happened)."""
    fmt = load_format(version)
    tables: dict[str, dict[str, dict[str, Value]]] = {}
    for key, tdef in fmt.tables.items():
        rows: dict[str, dict[str, Value]] = {}
        for row_key, col in tdef.cells():
            rows.setdefault(row_key, {})[col] = 0
        tables[key] = rows
    requests = tables["requests"]
    if version == "2019":
        source = copy.deepcopy(_REQUESTS)
        source["natural_person"]["other"] = source["natural_person"].pop("other.other")
    else:
        source = _REQUESTS
    for col, values in source.items():
        for row, value in values.items():
            requests[row][col] = value
    for values in requests.values():
        values["total"] = sum(int(v or 0) for c, v in values.items() if c != "total")  # type: ignore[arg-type]
    for group, values in _APPEALS.items():
        tables["appeals"][group].update(values)
    for row, values in (_ACTIVE_2021 if version == "2021" else _ACTIVE_2019).items():
        tables["active"][row].update(values)
    return tables


@dataclass
class Doc:
    """One report; every part can be changed before `write`."""

    agency: str = DEPARTMENT
    year: int = 2023
    version: str = "2021"
    published: str | None = "2024-01-20"
    signed: str | None = "2024年1月18日"
    period: bool = True
    title: str | None = None
    headings: dict[str, str] = field(default_factory=lambda: dict(HEADINGS))
    sections: dict[str, str] = field(default_factory=lambda: dict(SECTIONS))
    tables: dict[str, dict[str, dict[str, Value]]] = field(default_factory=dict)
    # Extra rows printed in table 三 before （七）总计: (label, seven values).
    extra_request_rows: list[tuple[str, list[Value]]] = field(default_factory=list)
    subtotal: bool = False  # table 三 with a 法人或其他组织 小计 column (not in the format)
    repeat: tuple[str, ...] = ()  # tables printed twice
    charset: str = "utf-8"  # how the page is encoded
    declared: str | None = None  # the charset the page declares (default: the true one)
    comment: str = ""  # an HTML comment: changes the file, not the report
    replace: tuple[tuple[str, str], ...] = ()  # (old, new) texts replaced in the page as printed (damaged labels)

    def __post_init__(self) -> None:
        if not self.tables:
            self.tables = clean_tables(self.version)

    # --- changes ---------------------------------------------------------------------------------

    def cell(self, table: str, row: str, col: str, value: Value, *, keep_total: bool = True) -> Doc:
        """Set one cell; with keep_total, table 三's 总计 column follows (the applicants stay balanced)."""
        self.tables[table][row][col] = value
        if table == "requests" and keep_total and col != "total":
            values = self.tables[table][row]
            self.tables[table][row]["total"] = sum(_number(v) for c, v in values.items() if c != "total")
        return self

    def drop_section(self, key: str) -> Doc:
        self.headings.pop(key, None)
        self.sections.pop(key, None)
        return self

    def drop_table(self, key: str) -> Doc:
        self.tables.pop(key, None)
        return self

    def government(self) -> Doc:
        self.agency = GOVERNMENT
        self.sections["other"] = self.sections["other"] + GOVERNMENT_EXTRA
        return self

    # --- output ----------------------------------------------------------------------------------

    @property
    def full_title(self) -> str:
        return self.title or f"{self.agency}{self.year}年政府信息公开工作年度报告"

    def html(self) -> str:
        fmt = load_format(self.version)
        declared = self.declared or self.charset
        parts = [f'<!DOCTYPE html><html><head><meta charset="{declared}"><title>{_e(self.full_title)}</title>',
                 "</head><body><div class=\"article\">", f"<h1>{_e(self.full_title)}</h1>"]
        if self.published:
            parts.append(f"<p>发布日期：{_e(self.published)}</p>")
        intro = "本报告根据《中华人民共和国政府信息公开条例》和国务院办公厅政府信息公开办公室有关要求编制。"
        if self.period:
            intro += f"本报告中所列数据的统计期限自{self.year}年1月1日起至{self.year}年12月31日止。"
        parts.append(f"<p>{_e(intro)}</p>")
        for key, heading in self.headings.items():
            parts.append(f"<p><strong>{_e(heading)}</strong></p>")
            text = self.sections.get(key, "").replace("{year}", str(self.year))
            parts.extend(f"<p>{_e(p)}</p>" for p in text.split("\n") if p)
            if key in self.tables and key in fmt.tables:
                for _ in range(2 if key in self.repeat else 1):
                    parts.append(self._table(fmt.tables[key], self.tables[key]))
        parts.append(f'<p style="text-align:right">{_e(self.agency)}</p>')
        if self.signed:
            parts.append(f'<p style="text-align:right">{_e(self.signed)}</p>')
        if self.comment:
            parts.append(f"<!-- {self.comment} -->")
        parts.append("</div></body></html>")
        page = "\n".join(parts)
        for old, new in self.replace:
            assert old in page, old
            page = page.replace(old, new)
        return page

    def write(self, folder: Path, name: str = "report.html") -> Path:
        path = folder / name
        path.write_bytes(self.html().encode(self.charset))
        return path

    def _table(self, tdef: TableDef, data: dict[str, dict[str, Value]]) -> str:
        if tdef.key == "requests":
            rows = _requests_rows(tdef, data, self.extra_request_rows, self.subtotal)
        elif tdef.key == "appeals":
            rows = _appeals_rows(tdef, data)
        else:
            rows = _active_rows(tdef, data)
        body = "\n".join("<tr>" + "".join(rows_i) + "</tr>" for rows_i in rows)
        return f'<table border="1" cellspacing="0">\n{body}\n</table>'


def _number(value: Value) -> int | float:
    if value is None or isinstance(value, str):
        try:
            return float(value) if value else 0  # type: ignore[arg-type]
        except ValueError:
            return 0
    return value


def _e(text: str) -> str:
    return html.escape(text, quote=False)


def _td(text: Any, rowspan: int = 1, colspan: int = 1) -> str:
    attrs = (f' rowspan="{rowspan}"' if rowspan > 1 else "") + (f' colspan="{colspan}"' if colspan > 1 else "")
    shown = "" if text is None else str(text)
    return f"<td{attrs}>{_e(shown)}</td>"


def _requests_rows(tdef: TableDef, data: dict[str, dict[str, Value]],
                   extra: list[tuple[str, list[Value]]], subtotal: bool = False) -> list[list[str]]:
    cols = tdef.column_keys
    present = [r for r in tdef.rows if r.key in data]
    orgs = len(cols) - 2 + (1 if subtotal else 0)
    rows: list[list[str]] = [
        [_td(tdef.note, rowspan=3, colspan=3), _td("申请人情况", colspan=len(cols) + (1 if subtotal else 0))],
        [_td("自然人", rowspan=2), _td("法人或其他组织", colspan=orgs), _td("总计", rowspan=2)],
        [*(_td(tdef.column(c).label) for c in cols[1:-1]), *([_td("小计")] if subtotal else [])],
    ]

    def values(key: str) -> list[str]:
        out = [_td(data[key].get(c)) if c in data[key] else "<td></td>" for c in cols]
        if subtotal:
            out.insert(len(cols) - 1, _td(sum(_number(data[key].get(c)) for c in cols[1:-1])))
        return out

    first, last = present[:2], present[-1]
    inner = [r for r in present if r not in first and r is not last]
    for row in first:
        rows.append([_td(row.label, colspan=3), *values(row.key)])
    inner_rows: list[list[str]] = []
    i = 0
    while i < len(inner):
        row = inner[i]
        if row.key == "total_processed":
            for label, vals in extra:
                inner_rows.append([_td(label, colspan=2), *(_td(v) for v in vals)])
        if row.group is None:
            inner_rows.append([_td(row.label, colspan=2), *values(row.key)])
            i += 1
            continue
        n = 1
        while i + n < len(inner) and inner[i + n].group == row.group:
            n += 1
        label = next((g.label for g in tdef.group_rows if row.group in g.label), row.group)
        inner_rows.append([_td(label, rowspan=n), _td(row.label), *values(row.key)])
        inner_rows.extend([_td(m.label), *values(m.key)] for m in inner[i + 1: i + n])
        i += n
    inner_rows[0].insert(0, _td("三、本年度办理结果", rowspan=len(inner_rows)))
    rows.extend(inner_rows)
    rows.append([_td(last.label, colspan=3), *values(last.key)])
    return rows


def _appeals_rows(tdef: TableDef, data: dict[str, dict[str, Value]]) -> list[list[str]]:
    cols = tdef.column_keys
    n = len(cols)
    return [
        [_td("行政复议", colspan=n), _td("行政诉讼", colspan=2 * n)],
        [*(_td(tdef.column(c).label, rowspan=2) for c in cols), _td("未经复议直接起诉", colspan=n),
         _td("复议后起诉", colspan=n)],
        [_td(tdef.column(c).label) for _ in range(2) for c in cols],
        [_td(data.get(g.key, {}).get(c)) for g in tdef.groups for c in cols],
    ]


_ITEM = {"regulations": "一", "normative_documents": "一", "licensing": "五", "other_services": "五",
         "punishment": "六", "coercion": "六", "fees": "八", "procurement": "九"}


def _active_rows(tdef: TableDef, data: dict[str, dict[str, Value]]) -> list[list[str]]:
    width = 4
    rows: list[list[str]] = []
    current = None
    for row in tdef.rows:
        if row.key not in data:
            continue
        cols = list(row.cols or tdef.column_keys)
        if _ITEM[row.key] != current:
            current = _ITEM[row.key]
            rows.append([_td(f"第二十条第（{current}）项", colspan=width)])
            header = [_td("信息内容")]
            for i, c in enumerate(cols):
                header.append(_td(tdef.column(c).label, colspan=width - len(cols) if i == len(cols) - 1 else 1))
            rows.append(header)
        cells = [_td(row.label)]
        for i, c in enumerate(cols):
            cells.append(_td(data[row.key].get(c), colspan=width - len(cols) if i == len(cols) - 1 else 1))
        rows.append(cells)
    return rows
