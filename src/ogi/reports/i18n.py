"""The words every renderer shows, in Chinese and English (Chinese is the default)."""

from __future__ import annotations

from ogi.checks.registry import get_rule
from ogi.model import Category, Finding, NotChecked, Severity, Status

LABELS: dict[str, tuple[str, str]] = {
    "agency": ("机关", "Agency"),
    "year": ("年度", "Year"),
    "format": ("格式", "Format"),
    "level": ("层级", "Level"),
    "published": ("发布日期", "Published"),
    "signed": ("成文日期", "Signed"),
    "status": ("结论", "Status"),
    "source": ("文件", "File"),
    "findings": ("发现的问题", "Findings"),
    "passed": ("通过的检查", "Passed"),
    "passed_note": ("未发现以下问题：", "none of these found: "),
    "not_checked": ("未能检查", "Not checked"),
    "waived": ("已豁免", "Waived"),
    "errors": ("错误", "Errors"),
    "warnings": ("警告", "Warnings"),
    "infos": ("提示", "Info"),
    "rule": ("规则", "Rule"),
    "severity": ("级别", "Severity"),
    "category": ("类别", "Category"),
    "message": ("说明", "Message"),
    "basis": ("依据", "Basis"),
    "expected": ("应为", "Expected"),
    "actual": ("实为", "Actual"),
    "summary": ("汇总", "Summary"),
    "submissions": ("份报告", "submissions"),
    "unknown": ("未识别", "unknown"),
    "inferred": ("（按名称推断）", " (inferred from the name)"),
    "title": ("政府信息公开工作年度报告检查结果", "Government information disclosure annual report check"),
    "none": ("无", "none"),
    "rule_errors": ("规则执行出错（程序缺陷，检查未完成）",
                    "Rule errors (a bug in ogi-checks: the check is incomplete)"),
    "rule_error": ("规则出错", "Rule error"),
    "rule_error_note": ("这是检查工具本身的缺陷，不是报告的问题；该规则的结论缺失，请将以下信息反馈给维护者。",
                        "This is a bug in the checker, not a problem of the report; the rule gave no verdict. "
                        "Please send the details below to the maintainers."),
    "details_hint": ("每份报告一行；逐条查看问题：加 --details（或 -v），或用 --out 目录 生成完整报告",
                     "One line per report; for every finding add --details (or -v), or write the full reports "
                     "with --out DIR"),
}


def t(key: str, lang: str) -> str:
    zh, en = LABELS[key]
    return en if lang == "en" else zh


def message(finding: Finding, lang: str) -> str:
    return finding.message_en if lang == "en" else finding.message


def reason(item: NotChecked, lang: str) -> str:
    """Why a rule was not checked; a part left by a rule that checked the rest says so first."""
    text = item.reason_en if lang == "en" else item.reason
    if item.partial:
        return ("(in part) " if lang == "en" else "（部分未检查）") + text
    return text


def severity_name(severity: Severity, lang: str) -> str:
    return severity.value if lang == "en" else severity.zh


def category_name(category: Category, lang: str) -> str:
    return category.value if lang == "en" else category.zh


def status_name(status: Status, lang: str) -> str:
    return status.value if lang == "en" else status.zh


def rule_title(code: str, lang: str) -> str:
    try:
        rule = get_rule(code)
    except KeyError:  # a code from a newer rule set, or a result built by hand: show the code alone
        return code
    return rule.title_en if lang == "en" else rule.title


# Words of the HTML report, the dashboard, the workbook and the JUnit file.
LABELS.update({
    "report_title": ("政府信息公开工作年度报告检查报告", "Annual report check"),
    "dashboard_title": ("政府信息公开工作年度报告检查汇总", "Annual report checks: overview"),
    "verdict": ("检查结论", "Verdict"),
    "report_info": ("报告基本信息", "About the report"),
    "report_name": ("标题", "Title"),
    "how_to_fix": ("如何修改", "How to fix"),
    "evidence": ("证据", "Evidence"),
    "location": ("位置", "Location"),
    "in_file": ("原文件位置", "In the file"),
    "excerpt": ("原文", "Excerpt"),
    "likely_fix": ("建议修改", "Most likely correction"),
    "likely_cell": ("最可能出错的单元格", "Most likely wrong cell"),
    "sha256": ("SHA-256", "SHA-256"),
    "ruleset": ("规则集", "Rule set"),
    "tool_version": ("工具版本", "Tool version"),
    "generated_at": ("生成时间", "Generated"),
    "approver": ("批准人", "Approved by"),
    "expires": ("有效期至", "Expires"),
    "no_expiry": ("长期", "no expiry"),
    "reason": ("原因", "Reason"),
    "no_findings": ("未发现问题。", "No findings."),
    "nothing": ("无", "None"),
    "back_to_index": ("返回汇总", "Back to the overview"),
    "blank_cell": ("空白", "blank"),
    "not_applicable": ("—", "—"),
    "provenance": ("文件与版本", "File and versions"),
    "cell_legend": ("红框为最可能出错的单元格，黄色为涉及的行或列。",
                    "The red cell is the most likely wrong one; yellow marks the rows or columns involved."),
    "table_above": ("该表见上一项，已一并标出。", "The table is drawn with the finding above, marked together."),
    "on_time": ("按时发布", "On time"),
    "report": ("报告", "Report"),
    "results": ("各报告检查结果", "Results by report"),
    "compliant_example": ("合规示例：", "Compliant example: "),
    "open": ("查看", "Open"),
    "filter": ("筛选", "Filter"),
    "filter_placeholder": ("输入机关名称、年度或结论进行筛选", "Type to filter by agency, year or verdict"),
    "sort_hint": ("点击表头可排序。", "Click a column header to sort."),
    "matrix": ("问题分布（按类别）", "Findings by category"),
    "charts": ("统计图", "Charts"),
    "chart_rules": ("各规则发现的问题数", "Findings per rule"),
    "chart_timeliness": ("按时与逾期", "On time and late"),
    "chart_status": ("检查结论", "Verdicts"),
    "roster": ("报送情况", "Submission status"),
    "reminders": ("催报名单", "Reminder list"),
    "reminders_none": ("名单内机关均已按时报送。", "Every agency on the roster submitted on time."),
    "roster_status": ("报送状态", "Status"),
    "deadline": ("期限", "Deadline"),
    "jurisdiction": ("地区", "Jurisdiction"),
    "days_late": ("逾期天数", "Days late"),
    "unlisted": ("不在名单中的报告", "Submissions not on the roster"),
    "no_roster": ("未提供应报机关名单（--roster），无法统计未报送情况。",
                  "No roster was given (--roster): missing agencies cannot be listed."),
    "total": ("合计", "Total"),
    "count": ("数量", "Count"),
    "location_section": ("章节", "Section"),
    "location_table": ("表格", "Table"),
    "location_row": ("行", "Row"),
    "location_column": ("列", "Column"),
    "location_cells": ("单元格", "Cells"),
})


def level_name(level: str | None, lang: str) -> str:
    if level is None:
        return t("unknown", lang)
    from ogi.config import LEVEL_ZH

    return level if lang == "en" else LEVEL_ZH.get(level, level)
