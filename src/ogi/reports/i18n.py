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
}


def t(key: str, lang: str) -> str:
    zh, en = LABELS[key]
    return en if lang == "en" else zh


def message(finding: Finding, lang: str) -> str:
    return finding.message_en if lang == "en" else finding.message


def reason(item: NotChecked, lang: str) -> str:
    return item.reason_en if lang == "en" else item.reason


def severity_name(severity: Severity, lang: str) -> str:
    return severity.value if lang == "en" else severity.zh


def category_name(category: Category, lang: str) -> str:
    return category.value if lang == "en" else category.zh


def status_name(status: Status, lang: str) -> str:
    return status.value if lang == "en" else status.zh


def rule_title(code: str, lang: str) -> str:
    rule = get_rule(code)
    return rule.title_en if lang == "en" else rule.title
