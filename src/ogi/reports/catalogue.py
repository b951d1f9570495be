"""The rule catalogue rendered from the registry: `ogi rules`, `ogi explain` and the README table."""

from __future__ import annotations

import json

from ogi.checks.registry import Rule, all_rules
from ogi.model import CATEGORY_ZH


def rule_dict(rule: Rule) -> dict[str, object]:
    return {
        "code": rule.code, "category": rule.category.value, "severity": rule.severity.value,
        "title": rule.title, "title_en": rule.title_en, "basis": rule.basis,
        "formats": list(rule.formats) or ["2008", "2019", "2021"], "needs_history": rule.needs_history,
        "doc": rule.doc,
    }


def rules_markdown_table(lang: str = "zh") -> str:
    head = ("| 代码 | 类别 | 默认级别 | 规则 | 适用格式 | 依据 |" if lang == "zh"
            else "| Code | Category | Severity | Rule | Formats | Basis |")
    lines = [head, "|---|---|---|---|---|---|"]
    for rule in all_rules():
        category = CATEGORY_ZH[rule.category.value] if lang == "zh" else rule.category.value
        severity = rule.severity.zh if lang == "zh" else rule.severity.value
        title = f"{rule.title}<br>{rule.title_en}" if lang == "zh" else rule.title_en
        formats = ", ".join(rule.formats) if rule.formats else ("全部" if lang == "zh" else "all")
        lines.append(f"| {rule.code} | {category} | {severity} | {title} | {formats} | {rule.basis} |")
    return "\n".join(lines) + "\n"


def render_rules(fmt: str = "text", lang: str = "zh") -> str:
    rules = all_rules()
    if fmt == "json":
        return json.dumps([rule_dict(r) for r in rules], ensure_ascii=False, indent=2) + "\n"
    if fmt == "markdown":
        return rules_markdown_table(lang)
    lines = []
    for rule in rules:
        title = rule.title_en if lang == "en" else rule.title
        severity = rule.severity.value if lang == "en" else rule.severity.zh
        category = rule.category.value if lang == "en" else CATEGORY_ZH[rule.category.value]
        lines.append(f"{rule.code}  {severity:<4} {category:<4} {title}")
    return "\n".join(lines) + "\n"


def explain(rule: Rule) -> str:
    formats = "、".join(rule.formats) if rule.formats else "全部 / all"
    head = [
        f"{rule.code} {rule.title} / {rule.title_en}",
        f"类别 category: {CATEGORY_ZH[rule.category.value]} ({rule.category.value})    "
        f"默认级别 severity: {rule.severity.zh} ({rule.severity.value})    适用格式 formats: {formats}",
        f"依据 basis: {rule.basis}",
        "",
    ]
    return "\n".join(head) + rule.doc + "\n"
