"""Cell values (V): every cell of tables 二/三/四 a number of the right kind, written as a number.

Blank and placeholder cells are reported (arithmetic counts them as 0 and says so); a number written
with a remark keeps its number and the remark is reported; text where a number belongs is an error.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from operator import attrgetter
from typing import Any

from ogi.checks.cells import (
    cell_label,
    cell_label_en,
    column_label,
    column_label_en,
    definition_cells,
    fmt_number,
    row_label,
    row_label_en,
    table_absent,
    table_name,
    table_name_en,
)
from ogi.checks.registry import CannotCheck, RuleContext, per_report, rule
from ogi.model import NUMERIC_KINDS, Category, CellKind, CellValue, Finding, Location, Report, Severity, Table
from ogi.schemas.definitions import FormatDef, TableDef

_TABLE_FORMATS = ("2019", "2021")
_BASIS = "国办公开办函〔2021〕30号、〔2019〕60号（统计表各栏填写数字，没有的填 0）"


def _tables_or_skip(ctx: RuleContext) -> FormatDef:
    fmt = ctx.fmt
    if fmt is None or not fmt.tables:
        raise CannotCheck("该格式没有统计表", "the format has no tables")
    if not any(k in ctx.report.tables for k in fmt.tables):
        raise table_absent(ctx.report, fmt, tuple(fmt.tables), ("未找到统计表", "no table was found"))
    return fmt


# Enum members looked up once: `CellKind.NUMBER` costs a slow class-attribute lookup on every use.
_TEXT, _NUMBER, _ANNOTATED = CellKind.TEXT, CellKind.NUMBER, CellKind.ANNOTATED

# A cell as the rules report it: (table key, table definition, row, column, cell).
Spot = tuple[str, TableDef, str, str, CellValue]


@dataclass(frozen=True)
class _CellScan:
    """The cells V001–V006 look at, found in one pass over the canonical cells, each list in reading order."""

    text: tuple[Spot, ...]
    annotated: tuple[Spot, ...]  # annotated, with a number
    negative: tuple[Spot, ...]  # plain numbers that may be below zero
    fractional: tuple[Spot, ...]  # numbers (plain or annotated) that may have a fraction
    others: dict[tuple[str, CellKind], frozenset[tuple[str, str]]]  # (table, kind) -> blank/placeholder cells


@per_report
def _scan(report: Report, fmt: FormatDef) -> _CellScan:
    text: list[Spot] = []
    annotated: list[Spot] = []
    negative: list[Spot] = []
    fractional: list[Spot] = []
    others: dict[tuple[str, CellKind], set[tuple[str, str]]] = {}
    for key, tdef in fmt.tables.items():
        table = report.tables.get(key)
        if table is None or _plain_counts(table):
            continue
        get = table.cells.get
        for rc in definition_cells(tdef):
            cell = get(rc)
            if cell is None:
                continue
            kind = cell.kind
            if kind in NUMERIC_KINDS:
                value = cell.value
                if value is None:
                    continue
                spot = (key, tdef, rc[0], rc[1], cell)
                if kind == _ANNOTATED:
                    annotated.append(spot)
                try:
                    below, whole = value < 0, value == value.to_integral_value()
                except (ArithmeticError, AttributeError, TypeError):
                    below, whole = True, False  # NaN: the rules compare again and fail as they always did
                if below and kind == _NUMBER:
                    negative.append(spot)
                if not whole:
                    fractional.append(spot)
            elif kind == _TEXT:
                text.append((key, tdef, rc[0], rc[1], cell))
            else:
                others.setdefault((key, kind), set()).add(rc)
    return _CellScan(tuple(text), tuple(annotated), tuple(negative), tuple(fractional),
                     {k: frozenset(v) for k, v in others.items()})


_KIND = attrgetter("kind")
_VALUE = attrgetter("value")
_ONLY_NUMBERS = frozenset({_NUMBER})
_DECIMAL_OR_NONE = frozenset({Decimal, type(None)})
_INTEGRAL = Decimal.to_integral_value


def _plain_counts(table: Table) -> bool:
    """Whether every cell is a plain, whole, non-negative number: nothing for V001–V006 (most tables).

    Decided over the distinct kinds and values, which C loops gather, instead of cell by cell.
    """
    cells = table.cells.values()
    if not set(map(_KIND, cells)) <= _ONLY_NUMBERS:
        return False
    listed = list(map(_VALUE, cells))
    if not set(map(type, listed)) <= _DECIMAL_OR_NONE:
        return False  # not a Decimal: looked at cell by cell
    nonzero = list(filter(None, listed))  # blanks and zeros are whole and not negative
    try:
        # A whole number is its own integral value; min() and map() compare and round in C.
        return not nonzero or (bool(min(nonzero) >= 0) and list(map(_INTEGRAL, nonzero)) == nonzero)
    except ArithmeticError:
        return False  # NaN: looked at cell by cell


def _where(key: str, row: str | None, col: str | None, cell: CellValue | None) -> Location:
    return Location(section=key, table=key, row=row, column=col, source=cell.locator if cell else None)


@dataclass(frozen=True)
class _Group:
    """Cells of one kind gathered: a whole table, whole columns, whole rows, then single cells."""

    scope: str  # table | column | row | cell
    key: str | None
    cells: tuple[tuple[str, str], ...]


def _group(tdef: TableDef, table: Table, hits: frozenset[tuple[str, str]]) -> list[_Group]:
    expected = [c for c in definition_cells(tdef) if c in table.cells]
    if hits and len(hits) == len(expected) and len(expected) > 1:
        return [_Group("table", None, tuple(expected))]
    out: list[_Group] = []
    left = set(hits)
    for col in tdef.column_keys:
        members = [c for c in expected if c[1] == col]
        if len(members) > 1 and all(c in left for c in members):
            out.append(_Group("column", col, tuple(members)))
            left -= set(members)
    for row in tdef.row_keys:
        members = [c for c in expected if c[0] == row]
        if len(members) > 1 and all(c in left for c in members):
            out.append(_Group("row", row, tuple(members)))
            left -= set(members)
    out.extend(_Group("cell", None, (c,)) for c in expected if c in left)
    return out


def _grouped_findings(ctx: RuleContext, kind: CellKind) -> Iterator[Finding]:
    fmt = _tables_or_skip(ctx)
    for key, tdef in fmt.tables.items():
        table = ctx.report.tables.get(key)
        if table is None:
            continue
        hits = _scan(ctx.report, fmt).others.get((key, kind))
        if not hits:
            continue
        name, name_en = table_name(fmt, key), table_name_en(fmt, key)
        for group in _group(tdef, table, hits):
            raws = sorted({table.cells[c].raw.strip() for c in group.cells})
            shown = [r for r in raws if r]
            common: dict[str, Any] = dict(
                table=name, table_en=name_en, n=len(group.cells),
                raw=f"（{'、'.join(f'“{r}”' for r in shown)}）" if shown else "",
                raw_en=f" ({', '.join(repr(r) for r in shown)})" if shown else "", expected="0 或实际数字",
                actual=raws[0] if len(raws) == 1 else raws)
            first = table.cells[group.cells[0]]
            if group.scope == "table":
                yield ctx.finding("table", location=_where(key, None, None, first), **common)
            elif group.scope == "column":
                assert group.key is not None
                yield ctx.finding("column", what=column_label(tdef, group.key),
                                  what_en=column_label_en(tdef, group.key),
                                  location=_where(key, None, group.key, first), **common)
            elif group.scope == "row":
                assert group.key is not None
                yield ctx.finding("row", what=row_label(tdef, group.key), what_en=row_label_en(tdef, group.key),
                                  location=_where(key, group.key, None, first), **common)
            else:
                row, col = group.cells[0]
                yield ctx.finding("cell", what=cell_label(tdef, row, col), what_en=cell_label_en(tdef, row, col),
                                  location=_where(key, row, col, first), **common)


def _grouped_messages(kind_zh: str, kind_en: str) -> dict[str, tuple[str, str]]:
    tail = "，应填写 0 或实际数字；勾稽计算时按 0 处理"
    tail_en = "; write 0 or the figure. Arithmetic counts them as 0"
    return {
        "table": (f"{{table}}全部 {{n}} 个单元格均{kind_zh}{{raw}}{tail}",
                  f"All {{n}} cells of {{table_en}} are {kind_en}{{raw_en}}{tail_en}"),
        "column": (f"{{table}}“{{what}}”列 {{n}} 个单元格均{kind_zh}{{raw}}{tail}",
                   f"{{table_en}}: all {{n}} cells of column '{{what_en}}' are {kind_en}{{raw_en}}{tail_en}"),
        "row": (f"{{table}}“{{what}}”行 {{n}} 个单元格均{kind_zh}{{raw}}{tail}",
                f"{{table_en}}: all {{n}} cells of row '{{what_en}}' are {kind_en}{{raw_en}}{tail_en}"),
        "cell": (f"{{table}}“{{what}}”单元格{kind_zh}{{raw}}{tail}",
                 f"{{table_en}}: cell '{{what_en}}' is {kind_en}{{raw_en}}{tail_en}"),
    }


@rule("V001", Category.VALUE, Severity.ERROR, title="数字栏填写了文字", title_en="Text in a number cell",
      basis=_BASIS, formats=_TABLE_FORMATS,
      messages={"default": ("{table}“{cell}”单元格应为数字，实际填写“{raw}”",
                            "{table_en}: cell '{cell_en}' should hold a number but reads {raw!r}")})
def text_in_number_cell(ctx: RuleContext) -> Iterator[Finding]:
    """检查内容：
    统计表的每个数据单元格都应是数字；写成文字（“见附件”“详见正文”“若干”）的单元格无法统计。
    Every data cell holds a number; text such as "见附件" cannot be counted.

    为什么重要：
    文字单元格使该列勾稽关系无法核对，也无法汇总。

    不合规示例：
    表三“自然人×予以公开”填写“详见附件”。

    合规示例：
    填写“12”。

    依据：
    国办公开办函〔2021〕30号、国办公开办函〔2019〕60号 所附统计表。
    """
    fmt = _tables_or_skip(ctx)
    for key, tdef, row, col, cell in _scan(ctx.report, fmt).text:
        yield ctx.finding(table=table_name(fmt, key), table_en=table_name_en(fmt, key),
                          cell=cell_label(tdef, row, col), cell_en=cell_label_en(tdef, row, col),
                          raw=cell.raw.strip(), expected="数字", actual=cell.raw.strip(),
                          location=_where(key, row, col, cell))


@rule("V002", Category.VALUE, Severity.WARNING, title="单元格空白", title_en="Blank cells",
      basis=_BASIS, formats=_TABLE_FORMATS, messages=_grouped_messages("空白", "blank"))
def blank_cells(ctx: RuleContext) -> Iterator[Finding]:
    """检查内容：
    统计表中没有数字的单元格应填 0，不应留空。整列或整行空白时合并为一条结论。
    计算勾稽关系时空白按 0 处理，并在相应结论中注明。
    Blank cells should read 0; whole blank columns or rows are reported once. Arithmetic counts them as 0.

    为什么重要：
    空白无法区分“没有发生”和“漏填”；空白不等于 0（“缺失不是零”）。

    不合规示例：
    表三“法人或其他组织”下五列全部空白，只填了自然人和总计。

    合规示例：
    没有法人申请的各列填 0。

    依据：
    国办公开办函〔2021〕30号、国办公开办函〔2019〕60号 所附统计表。
    """
    return _grouped_findings(ctx, CellKind.BLANK)


@rule("V003", Category.VALUE, Severity.WARNING, title="单元格填写占位符", title_en="Placeholder cells",
      basis=_BASIS, formats=_TABLE_FORMATS, messages=_grouped_messages("为占位符而非数字", "placeholders, not numbers"))
def placeholder_cells(ctx: RuleContext) -> Iterator[Finding]:
    """检查内容：
    统计表单元格填写“/”“—”“-”“无”等占位符而不是数字。计算勾稽关系时按 0 处理，并在结论中注明。
    Cells holding "/", "—", "-" or "无" instead of a number; arithmetic counts them as 0.

    为什么重要：
    占位符不是数据：读者无法判断它表示 0、不适用还是未统计。

    不合规示例：
    表二“规章×本年制发件数”填写“/”。

    合规示例：
    填写“0”。

    依据：
    国办公开办函〔2021〕30号、国办公开办函〔2019〕60号 所附统计表。
    """
    return _grouped_findings(ctx, CellKind.PLACEHOLDER)


_APPROX_WORDS = ("约", "近", "多", "余", "超过", "以上", "左右")
_SIGN_WORDS = ("减", "增", "+", "-", "−")


@rule("V004", Category.VALUE, Severity.INFO, title="数字带有附注或单位", title_en="Number written with a remark",
      basis=_BASIS, formats=_TABLE_FORMATS,
      messages={
          "default": ("{table}“{cell}”填写“{raw}”：按 {value} 读取，附注“{note}”应移出表格",
                      "{table_en}: cell '{cell_en}' reads {raw!r}: taken as {value}; move the remark {note!r} "
                      "out of the table"),
          "unit": ("{table}“{cell}”填写“{raw}”，单位“{unit}”与表头单位“{column_unit}”不符：按表头单位应为 {converted}",
                   "{table_en}: cell '{cell_en}' reads {raw!r}; its unit {unit} differs from the column's "
                   "{column_unit}: in {column_unit} it is {converted}"),
          "approx": ("{table}“{cell}”填写“{raw}”，是约数而非确数（按 {value} 读取）",
                     "{table_en}: cell '{cell_en}' reads {raw!r}, an approximation, not a count (taken as {value})"),
          "sign": ("{table}“{cell}”填写“{raw}”：该栏为件数，不应带“{note}”（按 {value} 读取）",
                   "{table_en}: cell '{cell_en}' reads {raw!r}: a count takes no {note!r} (taken as {value})"),
      })
def annotated_cells(ctx: RuleContext) -> Iterator[Finding]:
    """检查内容：
    单元格中的数字带有文字附注或单位，如“22（其中修订16件）”“251000元”“减4”“约300”。
    数字照常读取，附注单独报告：单位与表头不符（表头为万元却写“元”）、约数、计数栏带正负号为警告，其他附注为提示。
    A number written with a remark keeps its number; the remark is reported (a wrong unit, an
    approximation or a sign on a count is a warning).

    为什么重要：
    附注使数据无法直接汇总；单位不符会让金额相差一万倍。

    不合规示例：
    表二“行政事业性收费×本年收费金额（万元）”填写“251000元”。

    合规示例：
    填写“25.1”；需要说明的内容写在正文中。

    依据：
    国办公开办函〔2021〕30号、国办公开办函〔2019〕60号 所附统计表。
    """
    fmt = _tables_or_skip(ctx)
    for key, tdef, row, col, cell in _scan(ctx.report, fmt).annotated:
        assert cell.value is not None
        cdef = tdef.column(col)
        note = (cell.annotation or "").strip()
        common: dict[str, Any] = dict(
                      table=table_name(fmt, key), table_en=table_name_en(fmt, key), cell=cell_label(tdef, row, col),
                      cell_en=cell_label_en(tdef, row, col), raw=cell.raw.strip(), value=fmt_number(cell.value),
                      note=note, expected=fmt_number(cell.value), actual=cell.raw.strip(),
                      location=_where(key, row, col, cell))
        if cell.unit and cdef.unit and cell.unit != cdef.unit and cdef.unit.endswith(cell.unit):
            # "251000元" under a 万元 heading: the same money, written in the wrong unit.
            factor = Decimal(10000) if cdef.unit.startswith("万") else Decimal(1)
            converted = fmt_number(cell.value / factor)
            yield ctx.finding("unit", severity=Severity.WARNING, unit=cell.unit, column_unit=cdef.unit,
                              converted=converted, **common)
        elif any(w in note for w in _APPROX_WORDS):
            yield ctx.finding("approx", severity=Severity.WARNING, **common)
        elif not cdef.signed and note and note[0] in _SIGN_WORDS:
            yield ctx.finding("sign", severity=Severity.WARNING, **common)
        else:
            yield ctx.finding(**common)


@rule("V005", Category.VALUE, Severity.ERROR, title="数值为负", title_en="Negative value",
      basis=_BASIS, formats=_TABLE_FORMATS,
      messages={"default": ("{table}“{cell}”为负数（{raw}）：件数和金额不能为负",
                            "{table_en}: cell '{cell_en}' is negative ({raw}); counts and amounts cannot be")})
def negative_values(ctx: RuleContext) -> Iterator[Finding]:
    """检查内容：
    件数与金额不能为负数；只有 2019 年格式表二的“本年增/减”一栏可以为负。
    Counts and amounts are ≥ 0; only the 2019 format's 本年增/减 column is signed.

    为什么重要：
    负数件数没有意义，通常是把“增减”写进了件数栏或录入错误。

    不合规示例：
    表三“自然人×本年新收”填写“-3”。

    合规示例：
    填写“3”；2019 年格式“本年增/减”填写“-3”是允许的。

    依据：
    国办公开办函〔2021〕30号、国办公开办函〔2019〕60号 所附统计表。
    """
    fmt = _tables_or_skip(ctx)
    for key, tdef, row, col, cell in _scan(ctx.report, fmt).negative:
        # "减4" (annotated) is reported by V004 as a sign on a count; here plain negative numbers.
        if cell.number is None or cell.number >= 0:
            continue
        if tdef.column(col).signed:
            continue
        yield ctx.finding(table=table_name(fmt, key), table_en=table_name_en(fmt, key),
                          cell=cell_label(tdef, row, col), cell_en=cell_label_en(tdef, row, col),
                          raw=cell.raw.strip(), expected="≥ 0", actual=fmt_number(cell.number),
                          location=_where(key, row, col, cell))


@rule("V006", Category.VALUE, Severity.ERROR, title="件数不是整数", title_en="Count is not a whole number",
      basis=_BASIS, formats=_TABLE_FORMATS,
      messages={"default": ("{table}“{cell}”为 {raw}：件数应为整数",
                            "{table_en}: cell '{cell_en}' is {raw}; a count is a whole number")})
def whole_counts(ctx: RuleContext) -> Iterator[Finding]:
    """检查内容：
    件数栏必须是整数；只有金额栏（表二“本年收费金额（万元）”“采购总金额”）可以有小数。
    Count columns hold whole numbers; only amount columns may have decimals.

    为什么重要：
    小数件数说明填错了栏目（如把金额填进件数栏）或录入错误。

    不合规示例：
    表二“行政许可×本年处理决定数量”填写“12.5”。

    合规示例：
    填写“12”；“行政事业性收费×本年收费金额（万元）”填写“12.5”是允许的。

    依据：
    国办公开办函〔2021〕30号、国办公开办函〔2019〕60号 所附统计表。
    """
    fmt = _tables_or_skip(ctx)
    for key, tdef, row, col, cell in _scan(ctx.report, fmt).fractional:
        number = cell.number
        if number is None or number == number.to_integral_value() or tdef.column(col).decimal:
            continue
        yield ctx.finding(table=table_name(fmt, key), table_en=table_name_en(fmt, key),
                          cell=cell_label(tdef, row, col), cell_en=cell_label_en(tdef, row, col),
                          raw=cell.raw.strip(), expected="整数", actual=fmt_number(cell.number),
                          location=_where(key, row, col, cell))
