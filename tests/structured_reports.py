"""Structured (JSON) 2021-format reports for the front-end tests: a clean one, and defects derived from it.

Built from the format definition so the keys stay right; numbers are small and add up, the prose
states none of them (so no narrative rule can disagree), and the publication is on time.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

from ogi.schemas.definitions import load_format

CLEAN_AGENCY = "沭阳县自然资源和规划局"

SECTIONS = {
    "overview": "本机关认真贯彻落实《中华人民共和国政府信息公开条例》，扎实推进主动公开、依申请公开、政府信息管理、"
                "政府信息公开平台建设和监督保障等工作。",
    "active": "本机关通过门户网站政府信息公开专栏主动公开政府信息，具体情况见下表。",
    "requests": "本机关依法办理政府信息公开申请，均在法定期限内答复，具体情况见下表。",
    "appeals": "本年度未发生因政府信息公开被申请行政复议或提起行政诉讼的情况，具体情况见下表。",
    "problems": "存在的主要问题是公开内容的深度还不够。改进措施是加强培训，完善公开目录。",
    "other": "本年度未收取信息处理费。无其他需要报告的事项。",
}


def clean_report(agency: str = CLEAN_AGENCY, year: int = 2023) -> dict[str, Any]:
    """A 2021-format department report that breaks no rule: every identity holds, published on time."""
    fmt = load_format("2021")
    tables: dict[str, dict[str, dict[str, Any]]] = {}
    for key, tdef in fmt.tables.items():
        rows: dict[str, dict[str, Any]] = {}
        for row, col in tdef.cells():
            rows.setdefault(row, {})[col] = 0
        tables[key] = rows
    requests = tables["requests"]
    for row, n in (("new_received", 5), ("granted", 3), ("unavailable.not_held", 2), ("total_processed", 5)):
        requests[row]["natural_person"] = n
        requests[row]["total"] = n
    return {
        "agency": agency, "level": "department", "year": year, "format_version": "2021",
        "title": f"{agency}{year}年政府信息公开工作年度报告",
        "published": f"{year + 1}-01-16", "signed": f"{year + 1}-01-15",
        "sections": dict(SECTIONS), "tables": tables,
    }


def unbalanced(report: dict[str, Any], delta: int = 1) -> dict[str, Any]:
    """Table 三's balance (新收 + 结转 = 总计 + 结转下年度) broken in the natural-person column."""
    out = copy.deepcopy(report)
    out["tables"]["requests"]["carried_forward"]["natural_person"] += delta
    out["tables"]["requests"]["carried_forward"]["total"] += delta
    return out


def late(report: dict[str, Any]) -> dict[str, Any]:
    """Published in March for a department (deadline 31 January)."""
    out = copy.deepcopy(report)
    out["published"] = f"{out['year'] + 1}-03-10"
    out["signed"] = f"{out['year'] + 1}-03-09"
    return out


def write(report: dict[str, Any], path: Path) -> Path:
    path.write_text(json.dumps(report, ensure_ascii=False, indent=1), encoding="utf-8")
    return path
