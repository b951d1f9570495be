"""Table identities (A101–A104): the reconciliation rules of tables 三 and 四, read from the definitions.

The identities themselves are data (`schemas/formats/2019.yaml`, `2021.yaml`); these rules only look
them up by code, take the failing instances (vectorised for a batch, or computed for this report),
and name the cell most likely to be wrong (`checks/correction.py`).
"""

from __future__ import annotations

from collections.abc import Iterator

from ogi.checks.basis import national
from ogi.checks.identities import identity_findings
from ogi.checks.registry import RuleContext, rule
from ogi.model import Category, Finding, Severity

_MESSAGES = {
    "default": ("{table}{where}：{lhs_label} = {actual}，而 {rhs_label} = {expected}，相差 {diff}{blank}",
                "{table_en}, {where_en}: {lhs_label_en} = {actual} but {rhs_label_en} = {expected} "
                "(difference {diff}){blank_en}"),
    # More than a few failing rows or columns: one finding lists them (left side ≠ right side).
    "many": ("{table}有 {n} {unit}不满足“{identity}”：{items}{blank}",
             "{table_en}: '{identity_en}' fails in {n} {unit_en}: {items_en}{blank_en}"),
}
_BASIS_T3 = national("表三（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）")


@rule("A101", Category.ARITHMETIC, Severity.ERROR, title="表三收支不平衡", title_en="Table 三 does not balance",
      basis=_BASIS_T3, formats=("2019", "2021"), messages=_MESSAGES)
def requests_balance(ctx: RuleContext) -> Iterator[Finding]:
    """检查内容：
    表三每一列（自然人、各类法人或其他组织、总计）都满足表格左上角写明的勾稽关系：
    “一、本年新收” + “二、上年结转” = “三、（七）总计” + “四、结转下年度继续办理”。
    少数空白或“/”单元格按 0 计算，并在结论中注明；勾稽关系某一侧全部空白而另一侧有数字时，空白是未填写而不是 0，
    该列不核对（列为“未能检查”，空白由 V002 报告）。
    In every column of table 三: new + carried over = total processed + carried forward. A few blanks
    count as 0 (and are named); a wholly blank side beside numbers is not checked.

    为什么重要：
    这是格式本身规定的勾稽关系；不平衡说明有申请漏计、重计或数字录入错误。

    不合规示例：
    自然人列：本年新收 10，上年结转 2，办理结果总计 9，结转下年度 2（10 + 2 ≠ 9 + 2）。

    合规示例：
    自然人列：本年新收 10，上年结转 2，办理结果总计 10，结转下年度 2。

    依据：
    国办公开办函〔2021〕30号、国办公开办函〔2019〕60号 所附表三。

    如何修改：
    逐列核对四个数字；结论中的“最可能的错误单元格”给出使全部勾稽关系成立的修改。
    """
    return identity_findings(ctx, "A101")


@rule("A102", Category.ARITHMETIC, Severity.ERROR, title="表三办理结果之和不等于总计",
      title_en="Table 三 outcomes do not add up to the total", basis=_BASIS_T3, formats=("2019", "2021"),
      messages=_MESSAGES)
def requests_outcomes(ctx: RuleContext) -> Iterator[Finding]:
    """检查内容：
    表三每一列：“（七）总计” = （一）予以公开 + （二）部分公开 + （三）不予公开 8 项 + （四）无法提供 3 项 +
    （五）不予处理 5 项 + （六）其他处理（2019 年格式为一行，2021 年格式为 3 项）。
    In every column: total processed = the sum of the outcomes (一)–(六).

    为什么重要：
    办理结果之和与总计不符，说明某类结果漏填或总计算错。

    不合规示例：
    总计列：予以公开 20，部分公开 3，不予公开合计 2，无法提供合计 5，其余为 0，（七）总计写 31（应为 30）。

    合规示例：
    同样的办理结果，（七）总计为 30。

    依据：
    国办公开办函〔2021〕30号、国办公开办函〔2019〕60号 所附表三。
    """
    return identity_findings(ctx, "A102")


@rule("A103", Category.ARITHMETIC, Severity.ERROR, title="表三总计列不等于各类申请人之和",
      title_en="Table 三 total column is not the sum of the applicants",
      basis=national("表三（申请人情况：自然人、法人或其他组织、总计）"),
      formats=("2019", "2021"), messages=_MESSAGES)
def requests_columns(ctx: RuleContext) -> Iterator[Finding]:
    """检查内容：
    表三每一行：“总计”列 = 自然人 + 商业企业 + 科研机构 + 社会公益组织 + 法律服务机构 + 其他。
    总计留空而各类申请人有数字时，总计是未填写而不是 0：该行不核对（列为“未能检查”），空白由 V002 报告。
    In every row of table 三: the 总计 column equals the sum of the six applicant columns. A blank
    总计 beside filled applicant columns was not written: that row is not checked (V002 reports the blank).

    为什么重要：
    总计列是汇总上报的口径，与分类数不符会使上级汇总出错。

    不合规示例：
    “本年新收”行：自然人 8，商业企业 2，其余 0，总计写 11。

    合规示例：
    同一行总计为 10。

    依据：
    国办公开办函〔2021〕30号、国办公开办函〔2019〕60号 所附表三。
    """
    return identity_findings(ctx, "A103")


@rule("A104", Category.ARITHMETIC, Severity.ERROR, title="表四总计不等于各结果之和",
      title_en="Table 四 totals do not add up",
      basis=national("表四（行政复议、行政诉讼情况）"),
      formats=("2019", "2021"), messages=_MESSAGES)
def appeals_totals(ctx: RuleContext) -> Iterator[Finding]:
    """检查内容：
    表四的行政复议、未经复议直接起诉、复议后起诉三组，每组“总计” = 结果维持 + 结果纠正 + 其他结果 + 尚未审结。
    In each of table 四's three groups: total = upheld + corrected + other + pending.

    为什么重要：
    复议、诉讼件数是监督考核的重点数据，总计错误会误导读者对履职情况的判断。

    不合规示例：
    行政复议：结果维持 2，结果纠正 1，其他结果 0，尚未审结 1，总计 3。

    合规示例：
    同样的结果，总计 4。

    依据：
    国办公开办函〔2021〕30号、国办公开办函〔2019〕60号 所附表四。
    """
    return identity_findings(ctx, "A104")
