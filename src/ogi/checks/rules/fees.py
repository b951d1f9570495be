"""信息处理费 (B101, B102): from data year 2021 the report states the processing fees it charged.

Table 二's 行政事业性收费 is the organ's ordinary statutory fees and says nothing about 信息处理费:
these rules read the prose only, with that phrase removed first.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from ogi.checks.cells import cell_number, fmt_number, table_absent
from ogi.checks.registry import CannotCheck, RuleContext, per_report, rule
from ogi.model import Category, Finding, Location, Report, Severity

_BASIS = ("国办函〔2020〕109号《政府信息公开信息处理费管理办法》；"
          "国办公开办函〔2021〕30号（第六部分说明信息处理费收取情况）")
# "未收取信息处理费", "收取信息处理费0元", "依申请公开…未收取任何费用", "没有产生政府信息公开收费".
# Each alternative starts with a literal word, so `re` skips ahead to where one could begin.
_NEAR = r"[^。；;\n]{0,20}?"
_FEE_WORDS = r"(?:收费|收取|费用|缴费|缴纳)"
_APPLICATION_WORDS = r"(?:信息公开申请|依申请公开|公开申请|申请人)"
FEE_STATEMENT = re.compile(
    "|".join(
        ["信息处理费"]
        + [word + _NEAR + _FEE_WORDS for word in ("信息公开", "依申请", "公开申请", "申请人")]
        + [word + _NEAR + _APPLICATION_WORDS for word in ("收费", r"收取[^。；;\n]{0,6}费", "费用")]
    )
)
# Table labels, not statements: table 二's statutory fees and table 三's unpaid-fee row read flat in PDFs.
_NOT_STATEMENTS = re.compile(r"行政事业性收费|逾期未按收费通知要求缴纳费用")


@per_report
def fee_statement(report: Report) -> str | None:
    """The sentence stating the 信息处理费, wherever it stands in the prose (usually section 六)."""
    for _, text in report.prose_texts():
        # Every statement holds 费, 收取 or 缴纳: most texts never mention money and are passed over.
        if "费" not in text and "收取" not in text and "缴纳" not in text:
            continue
        cleaned = _NOT_STATEMENTS.sub(lambda m: "※" * len(m.group()), text)
        m = FEE_STATEMENT.search(cleaned)
        if m:
            left = max(cleaned.rfind(ch, 0, m.start()) for ch in "。；;\n") + 1
            right = min([i for i in (cleaned.find(ch, m.end()) for ch in "。；;\n") if i >= 0] or [len(cleaned)])
            return text[left: right + 1].strip()
    return None


def _applies(ctx: RuleContext) -> None:
    if ctx.report.year is None:
        raise CannotCheck("未能确定报告年度", "the data year is unknown")
    if ctx.report.year < 2021:
        raise CannotCheck("信息处理费自2021年起收取，本报告年度早于2021年",
                          "信息处理费 is charged from 2021; the data year is earlier")


@rule("B101", Category.BUDGET, Severity.WARNING, title="未说明信息处理费收取情况",
      title_en="No statement on information processing fees", basis=_BASIS, formats=("2021",),
      messages={"default": ("报告未说明信息处理费的收取情况"
                            "（应在“六、其他需要报告的事项”中写明收取金额，或写明未收取）",
                            "The report does not state the information processing fees charged (section 六 should "
                            "give the amount, or say none was charged)")})
def processing_fee_stated(ctx: RuleContext) -> Iterator[Finding]:
    """检查内容：
    2021 年度起，年度报告在“六、其他需要报告的事项”中说明依据《政府信息公开信息处理费管理办法》收取信息处理费的
    情况：收取了多少（元），或本年度未收取。表二“行政事业性收费”是机关的法定收费，与信息处理费无关，不能替代。
    From data year 2021, section 六 states the 信息处理费 charged (an amount, or none); table 二's
    行政事业性收费 is a different thing.

    为什么重要：
    信息处理费关系申请人权益，国办要求在年度报告中公开收费情况。

    不合规示例：
    六、其他需要报告的事项：无。

    合规示例：
    六、其他需要报告的事项：本年度未收取信息处理费。

    依据：
    国办函〔2020〕109号；国办公开办函〔2021〕30号。
    """
    _applies(ctx)
    if fee_statement(ctx.report):
        return
    yield ctx.finding(expected="信息处理费收取情况", actual=None, location=Location(section="other"))


@rule("B102", Category.BUDGET, Severity.INFO, title="有因未缴费终止的申请但未说明收费",
      title_en="Requests closed for unpaid fees but no fee statement", basis=_BASIS, formats=("2021",),
      messages={"default": ("表三“申请人逾期未按收费通知要求缴纳费用”共 {count} 件，说明发出过收费通知，"
                            "但正文没有说明信息处理费情况",
                            "Table 三 closes {count} requests for unpaid fees, so fee notices were issued, but the "
                            "text says nothing about fees")})
def unpaid_fees_explained(ctx: RuleContext) -> Iterator[Finding]:
    """检查内容：
    表三“（六）其他处理 2.申请人逾期未按收费通知要求缴纳费用”大于 0，说明本机关发出过收费通知，
    正文（通常是第六部分）宜说明信息处理费的收取情况。
    When table 三 closes requests for unpaid fees, the text should discuss the fees.

    为什么重要：
    发出收费通知却不说明收费情况，公众无法了解收费是否依法合规。

    不合规示例：
    表三逾期未缴费 3 件；正文未提及任何收费。

    合规示例：
    “本年度发出收费通知3份，申请人均未缴费，未实际收取信息处理费。”

    依据：
    国办函〔2020〕109号第十条；国办公开办函〔2021〕30号。
    """
    _applies(ctx)
    requests = ctx.report.tables.get("requests")
    if requests is None:
        raise table_absent(ctx.report, ctx.fmt, ("requests",), ("未找到表三", "table 三 was not found"))
    count = cell_number(requests, "other.unpaid_fee", "total")
    if count is None:
        raise CannotCheck("表三“逾期未缴费”一行没有数字", "table 三 has no figure for unpaid fees")
    if count > 0 and fee_statement(ctx.report) is None:
        yield ctx.finding(count=fmt_number(count), expected="说明信息处理费情况", actual=None,
                          location=Location(section="other", table="requests", row="other.unpaid_fee"))
