"""Budget rules (B): spending within the budget, stated totals, fees charged and waived (old shape)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from decimal import Decimal

from ogi.checks.basis import REGULATION_2008
from ogi.checks.prose import find_spending
from ogi.checks.registry import CannotCheck, RuleContext, rule
from ogi.model import Category, Finding, Location, Report, Severity


def _yuan(value: Decimal) -> str:
    return f"{value:,.0f}" if value == value.to_integral_value() else f"{value:,.2f}"


@rule("B001", Category.BUDGET, Severity.ERROR, title="支出超出预算", title_en="Spending exceeds the budget",
      basis=REGULATION_2008 + "第三十二条；《预算法》第十三条（经批准的预算非经法定程序不得调整）",
      formats=("2008",),
      messages={"default": ("政府信息公开支出合计 {spent} 元（{terms}），超出预算 {budget} 元（{budget_raw}）"
                            "{overrun} 元（{percent}%），报告未作说明",
                            "Disclosure spending totals {spent} yuan ({terms}), over the budget of {budget} yuan "
                            "({budget_raw}) by {overrun} yuan ({percent}%), unexplained")})
def spending_within_budget(ctx: RuleContext) -> Iterator[Finding]:
    """检查内容：
    报告列出的政府信息公开工作各项实际支出（统一换算为元，“2万元”= 20,000 元）之和不超过所述预算。
    The itemised spending (normalised to yuan) does not exceed the stated budget.

    为什么重要：
    超预算支出而不作说明，违反预算管理，也说明报告数字未经核对。

    不合规示例：
    财政预算2万元，实际支出：培训费8100元，印刷费15600元，注册费300元，维修费2860元（合计 26,860 元）。

    合规示例：
    财政预算3万元，实际支出同上（合计 26,860 元）。

    依据：
    2008 年《中华人民共和国政府信息公开条例》第三十二条；《中华人民共和国预算法》第十三条。
    """
    spending = find_spending(ctx.report)
    if spending is None or spending.budget is None:
        raise CannotCheck("报告未写明政府信息公开工作预算", "the report states no budget for disclosure work")
    if not spending.items and spending.stated_total is None:
        raise CannotCheck("报告写了预算但未列出实际支出", "a budget is stated but no actual spending")
    spent = (sum((f.value for f in spending.items), Decimal(0)) if spending.items
             else spending.stated_total.value)  # type: ignore[union-attr]
    budget = spending.budget.value
    if spent > budget:
        terms = " + ".join(_yuan(f.value) for f in spending.items) or _yuan(spent)
        overrun = spent - budget
        percent = (overrun * 100 / budget).quantize(Decimal("0.1")) if budget else Decimal(0)
        yield ctx.finding(spent=_yuan(spent), terms=terms, budget=_yuan(budget), budget_raw=spending.budget.raw,
                          overrun=_yuan(overrun), percent=percent, expected=budget, actual=spent,
                          data={"expected_relation": "≤", "unit": "元", "overrun": overrun,
                                "items": [f.value for f in spending.items]},
                          location=Location(section=spending.section, text=spending.sentence))


@rule("B002", Category.BUDGET, Severity.ERROR, title="支出合计与分项之和不符",
      title_en="Stated spending total differs from the items",
      basis=REGULATION_2008 + "第三十二条",
      formats=("2008",),
      messages={"default": ("所述实际支出 {stated} 元与各分项之和 {spent} 元（{terms}）不符",
                            "The stated spending of {stated} yuan differs from the items' sum {spent} ({terms})")})
def spending_total_matches(ctx: RuleContext) -> Iterator[Finding]:
    """检查内容：
    报告写明“实际支出（合计）N元”并列出分项时，分项之和应等于 N。
    A stated spending total equals the sum of the listed items.

    为什么重要：
    合计与分项不符，说明至少有一个数字有误。

    不合规示例：
    实际支出合计2万元，其中培训费8000元，印刷费15000元。

    合规示例：
    实际支出合计2.3万元，其中培训费8000元，印刷费15000元。

    依据：
    2008 年《中华人民共和国政府信息公开条例》第三十二条。
    """
    spending = find_spending(ctx.report)
    if spending is None or spending.stated_total is None or not spending.items:
        raise CannotCheck("报告未同时写明支出合计与分项", "no stated spending total together with items")
    spent = sum((f.value for f in spending.items), Decimal(0))
    if spent != spending.stated_total.value:
        yield ctx.finding(stated=_yuan(spending.stated_total.value), spent=_yuan(spent),
                          terms=" + ".join(_yuan(f.value) for f in spending.items),
                          expected=float(spent), actual=float(spending.stated_total.value),
                          location=Location(section=spending.section, text=spending.sentence))


# A statement about the fees of disclosure: charging, collecting, waiving. "费用"/"经费" alone is
# spending ("政府信息公开工作费用2万元"), which does not say whether applicants were charged.
_FEE_STATEMENT = re.compile(
    r"(?:信息公开|依申请|公开申请|申请人)[^。；]{0,16}(?:收费|收取|减免|免收|免费)"
    r"|(?:收费|收取[^。；]{0,6}费|减免|免收|未收取|不收取|没有收取)[^。；]{0,16}(?:信息公开|依申请|公开申请|申请人)"
    r"|没有发生[^。；]{0,12}收费|未发生[^。；]{0,12}收费|收费及减免|收费和减免"
)
# Fees the organ charges in its ordinary work, which reports list as disclosed content: not ours.
# So is information about prices and fees ("推进价格和收费信息公开"): content disclosed, not a disclosure fee.
_OTHER_FEES = re.compile(r"行政事业性收费|收费项目|收费标准|收费依据|(?:价格|物价)[和及与、]?收费|收费信息")
# Under a heading about fees ("六、收费及减免情况"), any word of charging, or a plain "无", is a statement.
_FEE_HEADING = re.compile(r"收费|减免")
_FEE_WORD = re.compile(r"收费|收取|减免|免收|免费|缴费|^\s*(?:无|没有|未发生)[。.]?\s*$", re.MULTILINE)


def _states_fees(report: Report) -> bool:
    for section in report.sections:
        if _FEE_HEADING.search(section.heading) and _FEE_WORD.search(_OTHER_FEES.sub("", section.text)):
            return True
    return any(_FEE_STATEMENT.search(_OTHER_FEES.sub("", text)) for _, text in report.prose_texts())


@rule("B003", Category.BUDGET, Severity.WARNING, title="未报告收费及减免情况", title_en="Fees and waivers not reported",
      basis=REGULATION_2008 + "第三十二条第（三）项（政府信息公开的收费及减免情况）",
      formats=("2008",),
      messages={"default": ("报告未说明政府信息公开的收费及减免情况（如未收费，应写明）",
                            "The report does not state the disclosure fees charged and waived (say so if none)")})
def fees_reported(ctx: RuleContext) -> Iterator[Finding]:
    """检查内容：
    2008 条例时期的年度报告须说明政府信息公开的收费及减免情况；没有收费也应写明“未收取费用”。
    只写了工作经费、支出（“政府信息公开工作费用2万元”），或只有“支出与收费”的标题而正文不提收费，
    都不算说明了收费情况；“行政事业性收费”是机关主动公开的内容，也不算。
    Old-regime reports state the fees charged and waived, or that there were none; spending, a heading
    alone, or the organ's ordinary statutory fees do not say it.

    为什么重要：
    这是 2008 年《条例》第三十二条规定的六项必备内容之一。

    不合规示例：
    全文只字未提政府信息公开收费。

    合规示例：
    本年度没有发生政府信息公开收费。

    依据：
    2008 年《中华人民共和国政府信息公开条例》第三十二条第（三）项。
    """
    if not _states_fees(ctx.report):
        yield ctx.finding(location=Location(section="fees"), expected="收费及减免情况", actual=None)
