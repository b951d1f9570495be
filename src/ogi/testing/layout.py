"""The printed shape of a synthetic report, shared by every renderer.

`document_blocks` lays a SynthReport out as a sequence of blocks (title, paragraphs, headings,
tables, signature) and `table_layout` gives each official table as rows of cells with rowspan and
colspan exactly as the official formats print them (国办公开办函〔2019〕60号 / 〔2021〕30号):
table 二 in blocks headed 第二十条第（×）项, table 三 with its three header levels and the
（三）不予公开 … group labels spanning their rows, table 四 with 行政复议 | 行政诉讼 over two sub-groups.
Labels come from the format definitions.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache

from ogi.schemas.definitions import TableDef, load_format
from ogi.testing.synth import CellData, SynthReport

# Table 二: the Regulation's article 20 item each row is disclosed under.
ARTICLE_20_ITEM = {
    "regulations": "一",
    "normative_documents": "一",
    "licensing": "五",
    "other_services": "五",
    "punishment": "六",
    "coercion": "六",
    "fees": "八",
    "procurement": "九",
}


@dataclass(frozen=True)
class LCell:
    """One printed cell: a label (role "title"/"group"/"header"/"label") or a data cell (role "value")."""

    text: str = ""
    rowspan: int = 1
    colspan: int = 1
    role: str = "label"
    key: tuple[str, str] | None = None  # (row, column) of a data cell

    @property
    def header(self) -> bool:
        return self.role in ("title", "group", "header")


@dataclass
class LTable:
    key: str
    width: int
    rows: list[list[LCell]]
    # Preferred relative column widths (label columns wider), for DOCX and PDF.
    col_weights: list[float] = field(default_factory=list)

    def placed(self) -> Iterator[tuple[int, int, LCell]]:
        """(row, column, cell) of every printed cell's top-left corner, rowspan/colspan resolved."""
        taken: set[tuple[int, int]] = set()
        for r, row in enumerate(self.rows):
            c = 0
            for cell in row:
                while (r, c) in taken:
                    c += 1
                yield r, c, cell
                for dr in range(cell.rowspan):
                    for dc in range(cell.colspan):
                        taken.add((r + dr, c + dc))
                c += cell.colspan

    @property
    def height(self) -> int:
        return len(self.rows)


def _label(text: str, rowspan: int = 1, colspan: int = 1) -> LCell:
    return LCell(text, rowspan, colspan, role="label")


def _active_layout(tdef: TableDef) -> LTable:
    width = 4
    rows: list[list[LCell]] = []
    current = None
    for row in tdef.rows:
        cols = list(row.cols or tdef.column_keys)
        item = ARTICLE_20_ITEM.get(row.key, "一")
        if item != current:
            current = item
            rows.append([LCell(f"第二十条第（{item}）项", colspan=width, role="group")])
            header = [LCell("信息内容", role="header")]
            for i, c in enumerate(cols):
                span = width - len(cols) if i == len(cols) - 1 else 1
                header.append(LCell(tdef.column(c).label, colspan=span, role="header"))
            rows.append(header)
        cells = [_label(row.label)]
        for i, c in enumerate(cols):
            span = width - len(cols) if i == len(cols) - 1 else 1
            cells.append(LCell(colspan=span, role="value", key=(row.key, c)))
        rows.append(cells)
    return LTable("active", width, rows, [1.6, 1.0, 1.0, 1.0])


def _requests_layout(tdef: TableDef) -> LTable:
    cols = tdef.column_keys
    applicants, total = cols[:-1], cols[-1]
    width = 3 + len(cols)
    rows: list[list[LCell]] = [
        [LCell(tdef.note, rowspan=3, colspan=3, role="header"), LCell("申请人情况", colspan=len(cols), role="header")],
        [
            LCell(tdef.column(applicants[0]).label, rowspan=2, role="header"),
            LCell("法人或其他组织", colspan=len(applicants) - 1, role="header"),
            LCell(tdef.column(total).label, rowspan=2, role="header"),
        ],
        [LCell(tdef.column(c).label, role="header") for c in applicants[1:]],
    ]
    body = list(tdef.rows)
    first, second, last = body[0], body[1], body[-1]
    inner = body[2:-1]  # the rows under 三、本年度办理结果
    outcome_group = next(g.label for g in tdef.group_rows if "办理结果" in g.label)

    def values(row_key: str) -> list[LCell]:
        return [LCell(role="value", key=(row_key, c)) for c in cols]

    def group_label(phrase: str) -> str:
        return next((g.label for g in tdef.group_rows if phrase in g.label), phrase)

    for row in (first, second):
        rows.append([_label(row.label, colspan=3), *values(row.key)])
    i = 0
    while i < len(inner):
        lead = [_label(outcome_group, rowspan=len(inner))] if i == 0 else []
        row = inner[i]
        if row.group is None:
            rows.append([*lead, _label(row.label, colspan=2), *values(row.key)])
            i += 1
            continue
        n = 1
        while i + n < len(inner) and inner[i + n].group == row.group:
            n += 1
        rows.append([*lead, _label(group_label(row.group), rowspan=n), _label(row.label), *values(row.key)])
        rows.extend([_label(member.label), *values(member.key)] for member in inner[i + 1 : i + n])
        i += n
    rows.append([_label(last.label, colspan=3), *values(last.key)])
    return LTable("requests", width, rows, [1.0, 1.2, 3.2] + [0.8] * len(cols))


def _appeals_layout(tdef: TableDef) -> LTable:
    cols = tdef.column_keys
    n = len(cols)
    groups = list(tdef.groups)
    review, suits = groups[0], groups[1:]
    parent = suits[0].label.split("·")[0] if "·" in suits[0].label else "行政诉讼"
    rows: list[list[LCell]] = [
        [LCell(review.label, colspan=n, role="header"), LCell(parent, colspan=n * len(suits), role="header")],
        [
            *(LCell(tdef.column(c).label, rowspan=2, role="header") for c in cols),
            *(LCell(g.label.split("·")[-1], colspan=n, role="header") for g in suits),
        ],
        [LCell(tdef.column(c).label, role="header") for _ in suits for c in cols],
        [LCell(role="value", key=(g.key, c)) for g in groups for c in cols],
    ]
    return LTable("appeals", n * len(groups), rows, [1.0] * (n * len(groups)))


def table_layout(report: SynthReport, key: str) -> LTable:
    return table_layout_for(report.format_version, key)


@lru_cache(maxsize=16)
def table_layout_for(version: str, key: str) -> LTable:
    """The printed layout of table `key` in format `version` (shared: do not modify it)."""
    tdef = load_format(version).tables[key]
    if key == "active":
        return _active_layout(tdef)
    if key == "requests":
        return _requests_layout(tdef)
    return _appeals_layout(tdef)


@dataclass(frozen=True)
class Block:
    """title | para | heading | subheading | table | signature."""

    kind: str
    text: str = ""
    table: LTable | None = None


def document_blocks(report: SynthReport, *, date_text: Callable[[SynthReport], str] | None = None) -> list[Block]:
    """The report in reading order: title, preamble, each section (heading, text, table), signature."""
    blocks = [Block("title", report.title)]
    blocks.extend(Block("para", p) for p in report.preamble.split("\n") if p)
    for key, heading in report.headings.items():
        if key not in report.sections:
            continue
        blocks.append(Block("heading", heading))
        for para in report.sections[key].split("\n"):
            if not para:
                continue
            sub = para.startswith("（") and len(para) <= 20 and not para.endswith("。")
            blocks.append(Block("subheading" if sub else "para", para))
        if key in report.tables and report.format_version in ("2019", "2021"):
            blocks.append(Block("table", key, table_layout(report, key)))
    agency, date = report.signature
    blocks.append(Block("signature", agency))
    blocks.append(Block("signature", date_text(report) if date_text else date))
    return blocks


def format_value(value: CellData, *, zeros: str = "0", fullwidth: bool = False, placeholder: str = "/") -> str:
    """A cell's printed text: `zeros` "0", "blank" (0 left empty) or "placeholder" (0 written as `placeholder`)."""
    if value is None:
        return ""
    if isinstance(value, str):
        text = value
    else:
        if value == 0 and zeros != "0":
            return "" if zeros == "blank" else placeholder
        text = str(value)
    return to_fullwidth(text) if fullwidth else text


_FULLWIDTH = str.maketrans("0123456789.-+", "０１２３４５６７８９．－＋")


def to_fullwidth(text: str) -> str:
    return text.translate(_FULLWIDTH)
