"""Plausibility of table 二 (C105, C106): figures that are possible to write but unlikely to be true."""

from __future__ import annotations

import re
from collections.abc import Iterator
from decimal import Decimal

from ogi.checks.cells import cell_label, cell_number, fmt_number, table_absent, table_name
from ogi.checks.registry import CannotCheck, RuleContext, rule
from ogi.config import LEVEL_ZH
from ogi.model import Category, Finding, Location, Severity

# Place-name prefix of an agency: "江苏省" "宿迁市" "沭阳县" "丽园街道", read from the start of the name.
_PLACE = re.compile(
    r"[\u4e00-\u9fff]{1,8}?(特别行政区|自治区|自治州|自治县|自治旗|街道办事处|街道|地区|省|市|州|盟|县|旗|区|乡|镇)"
)
_RANK = {"特别行政区": 1, "自治区": 1, "省": 1, "自治州": 2, "市": 2, "州": 2, "盟": 2, "地区": 2,
         "自治县": 3, "自治旗": 3, "县": 3, "旗": 3, "区": 3, "街道办事处": 4, "街道": 4, "乡": 4, "镇": 4}
# "…新区", "…开发区": zones whose rank the name does not tell; stop reading the place there.
_ZONES = ("新区", "开发区", "高新区", "园区", "景区", "示范区", "实验区", "试验区", "保税区", "功能区", "合作区",
          "片区", "社区", "风景区", "林区", "矿区", "垦区")
_RANK_ZH = {3: "县级", 4: "乡镇（街道）级"}


def place_rank(agency: str | None) -> int | None:
    """1 province, 2 prefecture (设区的市, 自治州), 3 county or district, 4 township or street; None if unclear.

    A county-level city ("昆山市") reads as 2: the name cannot tell it from a prefecture.
    """
    if not agency:
        return None
    rank: int | None = None
    pos = 0
    while True:
        m = _PLACE.match(agency, pos)
        if m is None:
            break
        if m.group(1) == "区" and m.group().endswith(_ZONES):
            break
        rank = max(rank or 0, _RANK[m.group(1)])
        pos = m.end()
    return rank


def lacks_rule_making_power(agency: str | None, level: str | None) -> int | None:
    """The rank (3 county, 4 township) that rules out rule-making power (立法法第九十三条), else None."""
    if level == "township":
        return 4
    rank = place_rank(agency)
    return rank if rank is not None and rank >= 3 else None


@rule("C105", Category.CONSISTENCY, Severity.WARNING, title="无规章制定权的机关填报了规章",
      title_en="Regulations reported by an organ without rule-making power",
      basis="《立法法》第九十三条（省、自治区、直辖市和设区的市、自治州的人民政府可以制定规章）；国务院部门规章",
      formats=("2019", "2021"),
      messages={"default": ("“{agency}”按名称判断为{rank}机关，没有规章制定权，但表二规章栏填有数字：{cells}",
                            "'{agency}' reads as a {rank_en} organ, which cannot make regulations (规章), yet "
                            "table 二 reports some: {cells_en}")})
def regulations_plausible(ctx: RuleContext) -> Iterator[Finding]:
    """检查内容：
    只有国务院部门，省、自治区、直辖市人民政府，设区的市、自治州人民政府有权制定规章。县级、乡镇（街道）机关
    的表二“规章”一栏应为 0（规范性文件填在“行政规范性文件”栏）。机关层级按名称判断（如名称含“县”“区”“街道”“镇”），
    县级市无法从名称判断时不作结论。
    Only State Council departments and provincial or prefecture-level governments make 规章; a county or
    township organ reporting some has probably put normative documents in the wrong row.

    为什么重要：
    这是常见的填报错误（把行政规范性文件填进规章栏），会虚增规章数量。

    不合规示例：
    ××区××街道办事处表二“规章×本年制发件数”为 2。

    合规示例：
    同一报告规章栏为 0，行政规范性文件栏为 2。

    依据：
    《中华人民共和国立法法》第九十一条、第九十三条。
    """
    fmt = ctx.fmt
    active = ctx.report.tables.get("active")
    if fmt is None or active is None or "active" not in fmt.tables:
        raise table_absent(ctx.report, fmt, ("active",), ("未找到表二", "table 二 was not found"))
    tdef = fmt.tables["active"]
    filled = [(r, c, v) for (r, c) in tdef.cells() if r == "regulations"
              and (v := cell_number(active, r, c)) is not None and v > 0]
    if not filled:
        return
    rank = lacks_rule_making_power(ctx.report.agency, ctx.report.level)
    if rank is None:
        if place_rank(ctx.report.agency) is None and ctx.report.level != "township":
            raise CannotCheck("无法从机关名称判断其层级", "the agency's level cannot be told from its name")
        return
    cells = "，".join(f"{cell_label(tdef, r, c)} {fmt_number(v)}" for r, c, v in filled)
    level_word = _RANK_ZH[rank] if ctx.report.level != "township" else LEVEL_ZH["township"]
    yield ctx.finding(agency=ctx.report.agency or "", rank=level_word, rank_en="county" if rank == 3 else "township",
                      cells=cells, cells_en=cells, expected=0, actual=float(sum(v for _, _, v in filled)),
                      location=Location(section="active", table="active", row="regulations"))


@rule("C106", Category.CONSISTENCY, Severity.WARNING, title="表二数量关系不合理",
      title_en="Table 二 figures are implausible", basis="国办公开办函〔2019〕60号 表二", formats=("2019",),
      messages={
          "published": ("{table}“{what}”本年新公开 {published} 件，多于本年新制作 {made} 件",
                        "{table}: '{what}' published this year ({published}) exceeds made this year ({made})"),
          "total": ("{table}“{what}”对外公开总数量 {total} 件，少于本年新公开 {published} 件",
                    "{table}: '{what}' total public ({total}) is less than published this year ({published})"),
      })
def active_plausible(ctx: RuleContext) -> Iterator[Finding]:
    """检查内容：
    2019 年格式表二：规章、规范性文件的“本年新公开数量”一般不多于“本年新制作数量”，
    “对外公开总数量”不少于“本年新公开数量”。
    2019 format, table 二: published this year ≤ made this year; total public ≥ published this year.

    为什么重要：
    关系颠倒通常是栏目填错位置。

    不合规示例：
    规范性文件：本年新制作 3，本年新公开 8，对外公开总数量 5。

    合规示例：
    规范性文件：本年新制作 8，本年新公开 8，对外公开总数量 45。

    依据：
    国办公开办函〔2019〕60号 所附表二。
    """
    fmt = ctx.fmt
    active = ctx.report.tables.get("active")
    if fmt is None or active is None:
        raise table_absent(ctx.report, fmt, ("active",), ("未找到表二", "table 二 was not found"))
    tdef = fmt.tables["active"]
    name = table_name(fmt, "active")
    checked = False
    for row in ("regulations", "normative_documents"):
        made, published, total = (cell_number(active, row, c) for c in ("made", "published", "total_public"))
        what = tdef.row(row).label
        if made is not None and published is not None:
            checked = True
            if published > made:
                yield ctx.finding("published", table=name, what=what, published=fmt_number(published),
                                  made=fmt_number(made), expected=f"≤ {fmt_number(made)}", actual=_n(published),
                                  location=Location(section="active", table="active", row=row, column="published"))
        if total is not None and published is not None:
            checked = True
            if total < published:
                yield ctx.finding("total", table=name, what=what, total=fmt_number(total),
                                  published=fmt_number(published), expected=f"≥ {fmt_number(published)}",
                                  actual=_n(total),
                                  location=Location(section="active", table="active", row=row, column="total_public"))
    if not checked:
        raise CannotCheck("表二规章、规范性文件栏没有可比较的数字", "table 二 has no comparable figures")


def _n(value: Decimal) -> int | float:
    return int(value) if value == value.to_integral_value() else float(value)
