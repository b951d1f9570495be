"""Synthetic annual reports: realistic canonical data that satisfies every identity of SPEC §3.5.

`generate(seed)` gives a `SynthReport`: an agency, its level, the data year, on-time publication and
signature dates, the three official tables in the SPEC's canonical keys (2019/2021 formats) and the
narrative sections, whose sentences state numbers that agree with the tables. The old (2008-regime)
shape is generated too (prose only, SPEC §5), with outcomes, percentages, breakdowns and spending
that add up.

Everything is derived from one seeded `random.Random`, so a seed always gives the same report.
Defect helpers (`with_cell`, `late`, `blank_cells`, `wrong_format`, `unbalanced` …) return a changed
copy and record what they did in `defects` (SPEC §6 ids where one applies), so tests can derive a
failing document from a clean one.

Keys, labels and identities come from the format definitions (`ogi.schemas.definitions`), never
from literals here; only the distributions (how many requests a county bureau gets) are ours.
"""

from __future__ import annotations

import copy
import datetime as dt
import random
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from ogi.schemas.definitions import FormatDef, IdentityDef, TableDef, format_for_year, load_format

Number = int | Decimal
# A table cell as generated: a number, None (left blank), or a raw string written as-is ("/", "22（其中修订16件）").
CellData = int | Decimal | str | None
Tables = dict[str, dict[str, dict[str, CellData]]]

LEVELS = ("department", "government", "township")
TABLE_FORMATS = ("2019", "2021")
YEARS = {"2008": (2010, 2018), "2019": (2019, 2020), "2021": (2021, 2024)}

# --- names ---------------------------------------------------------------------------------------

# 设区的市 (prefecture-level cities: their governments may make 规章), counties and districts.
CITIES = (
    "淮安市",
    "宿迁市",
    "常德市",
    "连云港市",
    "盐城市",
    "扬州市",
    "泰州市",
    "岳阳市",
    "益阳市",
    "衡阳市",
    "南平市",
    "三明市",
    "莆田市",
    "漳州市",
    "赣州市",
    "九江市",
    "洛阳市",
    "开封市",
    "绵阳市",
    "德阳市",
)
COUNTIES = (
    "沭阳县",
    "泗洪县",
    "泗阳县",
    "涟水县",
    "盱眙县",
    "金湖县",
    "临澧县",
    "安乡县",
    "汉寿县",
    "石门县",
    "桃源县",
    "灌南县",
    "响水县",
    "宝应县",
    "兴化县",
    "浦城县",
    "将乐县",
    "仙游县",
    "平和县",
    "瑞金县",
)
DISTRICTS = (
    "清江浦区",
    "淮阴区",
    "淮安区",
    "宿城区",
    "宿豫区",
    "武陵区",
    "鼎城区",
    "海州区",
    "亭湖区",
    "邗江区",
    "海陵区",
    "岳阳楼区",
    "资阳区",
    "雁峰区",
    "延平区",
    "城厢区",
    "芗城区",
    "章贡区",
)
# Departments (局/委/办). None ends with a government suffix (人民政府办公室, 管理委员会 …).
DEPARTMENTS = (
    "发展和改革局",
    "教育局",
    "公安局",
    "民政局",
    "司法局",
    "财政局",
    "人力资源和社会保障局",
    "自然资源和规划局",
    "生态环境局",
    "住房和城乡建设局",
    "交通运输局",
    "水利局",
    "农业农村局",
    "商务局",
    "文化广电和旅游局",
    "卫生健康委员会",
    "退役军人事务局",
    "应急管理局",
    "审计局",
    "市场监督管理局",
    "统计局",
    "医疗保障局",
    "城市管理局",
    "外事办公室",
    "政务服务管理办公室",
    "机关事务管理局",
    "信访局",
    "数据局",
    "发展和改革委员会",
    "民族宗教事务委员会",
    "科学技术局",
    "体育局",
)
STREETS = (
    "清河",
    "柳树湾",
    "城南",
    "长东",
    "浦楼",
    "水渡口",
    "钵池",
    "白鹭湖",
    "和平",
    "府前",
    "丹桂",
    "穿紫河",
    "沭城",
    "章集",
    "南关",
    "东园",
    "西湖",
    "新民",
    "城北",
    "朝阳",
)
TOWNS = (
    "高墟",
    "韩山",
    "胡集",
    "扎下",
    "钱集",
    "新河",
    "耿圩",
    "马厂",
    "周集",
    "庙头",
    "龙庙",
    "官墩",
    "湖东",
    "青伊湖",
    "桑墟",
    "刘集",
    "西圩",
    "华冲",
    "贤官",
    "悦来",
)
ROADS = ("人民路", "解放路", "建设路", "健康路", "淮海路", "沭阳路", "府前街", "文化路", "中山路", "滨河路")
PLATFORMS = ("政府门户网站", "政府信息公开专栏", "政务新媒体", "政务服务大厅", "政府公报", "新闻发布会")

# --- headings ------------------------------------------------------------------------------------

# The official headings, and variants seen in real reports (SPEC §3.1), by section key.
HEADINGS: dict[str, tuple[str, ...]] = {
    "overview": ("总体情况", "总体情况", "总体情况", "总体概述"),
    "active": ("主动公开政府信息情况", "主动公开政府信息情况", "行政机关主动公开政府信息情况"),
    "requests": ("收到和处理政府信息公开申请情况", "收到和处理政府信息公开申请情况"),
    "appeals": (
        "政府信息公开行政复议、行政诉讼情况",
        "政府信息公开行政复议、行政诉讼情况",
        "因政府信息公开工作被申请行政复议、提起行政诉讼情况",
    ),
    "problems": (
        "存在的主要问题及改进情况",
        "存在的主要问题及改进情况",
        "政府信息公开工作存在的主要问题及改进情况",
        "存在问题及改进情况",
    ),
    "other": ("其他需要报告的事项", "其他需要报告的事项"),
}
OLD_HEADINGS = (
    ("overview", "概述"),
    ("active", "主动公开政府信息情况"),
    ("requests", "依申请公开政府信息情况"),
    ("consultation", "政府信息公开咨询处理情况"),
    ("appeals", "政府信息公开复议、诉讼情况"),
    ("fees", "政府信息公开支出与收费"),
    ("other", "其他相关工作情况"),
    ("problems", "存在的主要问题和改进措施"),
)
NUMERALS = "一二三四五六七八九十"

# How often each outcome row of table 三 is used (relative); rows not named weigh 1.
OUTCOME_WEIGHTS = {
    "granted": 40.0,
    "partially_granted": 8.0,
    "denied.state_secret": 0.2,
    "denied.prohibited_by_law": 0.6,
    "denied.three_safeties": 0.3,
    "denied.third_party": 1.0,
    "denied.internal_affairs": 1.0,
    "denied.process_info": 1.2,
    "denied.enforcement_files": 0.5,
    "denied.query_matters": 1.0,
    "unavailable.not_held": 22.0,
    "unavailable.needs_creation": 5.0,
    "unavailable.still_unclear": 2.0,
    "not_processed.petition": 3.0,
    "not_processed.duplicate": 3.0,
    "not_processed.publication": 0.8,
    "not_processed.excessive": 0.8,
    "not_processed.confirm_or_reissue": 1.0,
    "other": 4.0,
    "other.no_correction": 3.0,
    "other.unpaid_fee": 0.4,
    "other.other": 2.0,
}
APPLICANT_WEIGHTS = {
    "natural_person": 86.0,
    "commercial": 7.0,
    "research": 0.8,
    "public_interest": 0.7,
    "legal_services": 3.0,
    "other_org": 2.5,
}


# --- the report ----------------------------------------------------------------------------------


@dataclass
class SynthReport:
    """One generated report: what a correct reader must get back, and what a renderer lays out."""

    agency: str
    level: str  # department | government | township
    year: int  # the data year
    format_version: str  # the format the document is written in: 2008 | 2019 | 2021
    published: dt.date
    signed: dt.date
    sections: dict[str, str]  # section key → body text (paragraphs separated by "\n")
    tables: Tables  # table → row → column → value, in the SPEC's canonical keys
    headings: dict[str, str]  # section key → heading as printed, with its numeral ("一、总体情况")
    preamble: str
    seed: int
    place: str = ""
    defects: list[str] = field(default_factory=list)
    # Old shape: the numbers the prose states (requests total, outcomes, consultation, budget …).
    facts: dict[str, Any] = field(default_factory=dict)
    # Variant choices, so `refresh_text` rewrites the narrative the same way.
    variant: int = 0

    # -- derived ---------------------------------------------------------------------------------

    @property
    def title(self) -> str:
        word = "年度" if self.variant % 3 == 0 else "年"
        return f"{self.agency}{self.year}{word}政府信息公开工作年度报告"

    @property
    def fmt(self) -> FormatDef:
        return load_format(self.format_version)

    @property
    def deadline(self) -> dt.date:
        """The statutory deadline (SPEC §1) for this data year and level."""
        if self.year <= 2018 or self.level != "department":
            return dt.date(self.year + 1, 3, 31)
        return dt.date(self.year + 1, 1, 31)

    @property
    def signature(self) -> tuple[str, str]:
        """The signature block: the agency and the date, as printed."""
        return self.agency, cn_date(self.signed)

    def table_def(self, table: str) -> TableDef:
        return self.fmt.tables[table]

    def cells(self, table: str) -> list[tuple[str, str, CellData]]:
        """(row, column, value) of every cell of the official table, in reading order."""
        data = self.tables.get(table, {})
        return [(r, c, data.get(r, {}).get(c)) for r, c in self.table_def(table).cells()]

    def value(self, table: str, row: str, col: str) -> CellData:
        return self.tables[table][row][col]

    def total(self, table: str, row: str, col: str = "total") -> int:
        """A cell as a number for the narrative: blanks and strings count as 0."""
        return _as_int(self.tables.get(table, {}).get(row, {}).get(col))

    def copy(self) -> SynthReport:
        return copy.deepcopy(self)

    def to_structured(self) -> dict[str, Any]:
        """The structured input shape (`ogi.ingest.structured`)."""
        tables: dict[str, Any] = {}
        for key, rows in self.tables.items():
            tables[key] = {
                r: {c: (v if isinstance(v, (int, str)) or v is None else str(v)) for c, v in cols.items()}
                for r, cols in rows.items()
            }
        return {
            "agency": self.agency,
            "level": self.level,
            "year": self.year,
            "format_version": self.format_version,
            "title": self.title,
            "published": self.published.isoformat(),
            "signed": self.signed.isoformat(),
            "sections": {k: self.sections[k] for k in self.headings if k in self.sections},
            "tables": tables,
        }

    # -- defects ---------------------------------------------------------------------------------

    def _derived(self, defect: str) -> SynthReport:
        out = self.copy()
        out.defects.append(defect)
        return out

    def with_cell(self, table: str, row: str, col: str, value: CellData) -> SynthReport:
        """A copy with one table cell changed; the narrative keeps its figures (see `refresh_text`)."""
        out = self._derived(f"cell:{table}.{row}.{col}={value!r}")
        out.tables.setdefault(table, {}).setdefault(row, {})[col] = value
        return out

    def blank_cells(
        self, cells: Iterable[tuple[str, str, str]] | None = None, *, table: str = "requests", n: int = 3
    ) -> SynthReport:
        """A copy with cells left blank (D04): the given (table, row, col), else `n` chosen by the seed."""
        chosen = (
            list(cells)
            if cells is not None
            else [(table, r, c) for r, c, _ in random.Random(self.seed + 7).sample(self.cells(table), n)]
        )
        out = self._derived("D04:blank " + ",".join(f"{t}.{r}.{c}" for t, r, c in chosen))
        for t, r, c in chosen:
            out.tables[t][r][c] = None
        return out

    def late(self, days: int = 12) -> SynthReport:
        """Published `days` after the deadline (D01); the signature date stays as it was."""
        out = self._derived(f"D01:late {days}d")
        out.published = self.deadline + dt.timedelta(days=days)
        return out

    def signed_after_published(self, days: int = 3) -> SynthReport:
        out = self._derived(f"D16:signed {days}d after publication")
        out.signed = self.published + dt.timedelta(days=days)
        return out

    def future_dates(self, years: int = 20) -> SynthReport:
        out = self._derived(f"future dates +{years}y")
        out.published = out.published.replace(year=out.published.year + years)
        out.signed = out.signed.replace(year=out.signed.year + years)
        return out

    def wrong_format(self) -> SynthReport:
        """A 2021+ report written in the 2019 format (D02): 2019 table 二, one （六）其他处理 row."""
        if self.format_version != "2021":
            raise ValueError("wrong_format() applies to a report in the 2021 format")
        out = self._derived("D02:2019 format for a 2021+ year")
        rng = random.Random(self.seed + 11)
        old = load_format("2019")
        out.format_version = "2019"
        out.tables["active"] = _active_2019(rng, old.tables["active"], self.level, self.agency)
        requests = out.tables["requests"]
        merged = {
            c: sum(_as_int(requests[r][c]) for r in list(requests) if r.startswith("other."))
            for c in old.tables["requests"].column_keys
        }
        for r in [r for r in requests if r.startswith("other.")]:
            del requests[r]
        requests["other"] = dict(merged)
        out.tables["requests"] = {r: requests[r] for r in old.tables["requests"].row_keys}
        out.refresh_text()
        return out

    def unbalanced(self, col: str = "natural_person", delta: int = 1) -> SynthReport:
        """Break only the T3 balance (D06) in `col`: 结转下年度 changes, the 总计 column follows."""
        out = self._derived(f"D06:balance {col} {delta:+d}")
        rows = out.tables["requests"]
        rows["carried_forward"][col] = _as_int(rows["carried_forward"][col]) + delta
        if col != "total":
            rows["carried_forward"]["total"] = _as_int(rows["carried_forward"]["total"]) + delta
        return out

    def outcomes_off(self, col: str = "natural_person", delta: int = 1) -> SynthReport:
        """Break only the outcomes identity (D07) in `col`: （七）总计 and 结转 move together."""
        out = self._derived(f"D07:outcomes {col} {delta:+d}")
        rows = out.tables["requests"]
        cols = [col] if col == "total" else [col, "total"]
        for c in cols:
            rows["total_processed"][c] = _as_int(rows["total_processed"][c]) + delta
            rows["carried_forward"][c] = _as_int(rows["carried_forward"][c]) - delta
        return out

    def total_column_off(self, row: str = "new_received", delta: int = 1) -> SynthReport:
        """总计 ≠ Σ applicants in `row` (D08); the 总计 column's own identities break with it."""
        out = self._derived(f"D08:total column {row} {delta:+d}")
        out.tables["requests"][row]["total"] = _as_int(out.tables["requests"][row]["total"]) + delta
        return out

    def appeals_off(self, group: str = "review", delta: int = 1) -> SynthReport:
        """Table 四: a group's 总计 ≠ the sum of its results (D12)."""
        out = self._derived(f"D12:appeals {group} {delta:+d}")
        out.tables["appeals"][group]["total"] = _as_int(out.tables["appeals"][group]["total"]) + delta
        return out

    def narrative_mismatch(self, delta: int = 1) -> SynthReport:
        """The text states 本年新收 as the table's total + `delta` (D10)."""
        out = self._derived(f"D10:narrative new_received {delta:+d}")
        out.refresh_text(offsets={"new_received": delta})
        return out

    def without_fee_statement(self) -> SynthReport:
        """Section 六 without the 信息处理费 statement (D17)."""
        out = self._derived("D17:no fee statement")
        out.sections["other"] = (
            "\n".join(p for p in out.sections.get("other", "").split("\n") if "信息处理费" not in p and "收费" not in p)
            or "无。"
        )
        return out

    def without_section(self, key: str) -> SynthReport:
        """A section left out altogether, the rest renumbered (D03)."""
        out = self._derived(f"D03:missing {key}")
        out.sections.pop(key, None)
        kept = [k for k in out.headings if k != key]
        out.headings = {k: f"{NUMERALS[i]}、{_bare(out.headings[k])}" for i, k in enumerate(kept)}
        return out

    def empty_section(self, key: str) -> SynthReport:
        """A bare heading with nothing under it (D04)."""
        out = self._derived(f"D04:empty {key}")
        out.sections[key] = ""
        if key in out.tables:
            del out.tables[key]
        return out

    def period_mismatch(self, shift: int = -1) -> SynthReport:
        """The preamble's 统计期限 names another year (D16)."""
        out = self._derived(f"D16:period {shift:+d}y")
        y = self.year
        out.preamble = out.preamble.replace(f"{y}年1月1日", f"{y + shift}年1月1日").replace(
            f"{y}年12月31日", f"{y + shift}年12月31日"
        )
        return out

    def template_leftover(self) -> SynthReport:
        """Template instructions left in the text (D14)."""
        out = self._derived("D14:template instructions")
        out.sections["overview"] = "（文字描述）编写说明：本部分按照总体情况填写。\n" + out.sections.get("overview", "")
        return out

    def refresh_text(self, offsets: dict[str, int] | None = None) -> None:
        """Rewrite the narrative from the current tables (same variant choices)."""
        rng = random.Random(self.seed * 7919 + 17)
        if self.format_version == "2008":
            return
        self.sections.update(_narrative(self, rng, offsets or {}))


# --- generation ----------------------------------------------------------------------------------


def generate(
    seed: int = 0,
    *,
    year: int | None = None,
    format_version: str | None = None,
    level: str | None = None,
    size: str | None = None,
    late: bool = False,
) -> SynthReport:
    """A clean report for `seed`: every identity holds, the text agrees with the tables, on time.

    `format_version` "2021" (default when neither is given), "2019" or "2008" (old shape, prose only);
    `year` picks the data year (and with it the format); `size` is "none", "tiny", "small", "medium"
    or "large" (how many requests); `late=True` publishes after the deadline.
    """
    rng = random.Random(seed)
    if year is None:
        version = format_version or "2021"
        lo, hi = YEARS[version]
        year = rng.randint(lo, hi)
    else:
        rng.random()
    version = format_version or format_for_year(year) or "2021"
    if version not in YEARS:
        raise ValueError(f"unknown format version {version!r}")
    level = level or rng.choices(LEVELS, weights=(70, 18, 12))[0]
    agency, place = _agency(rng, level)
    published, signed = _dates(rng, year, level)
    variant = rng.randrange(1 << 30)
    report = SynthReport(
        agency=agency,
        level=level,
        year=year,
        format_version=version,
        published=published,
        signed=signed,
        sections={},
        tables={},
        headings={},
        preamble="",
        seed=seed,
        place=place,
        variant=variant,
    )
    if version == "2008":
        _old_shape(report, rng)
    else:
        fmt = load_format(version)
        size = size or rng.choices(("none", "tiny", "small", "medium", "large"), weights=(14, 26, 36, 18, 6))[0]
        report.tables = {
            "active": (_active_2021 if version == "2021" else _active_2019)(rng, fmt.tables["active"], level, agency),
            "requests": _requests(rng, fmt, size),
            "appeals": _appeals(rng, fmt, size),
        }
        report.headings = {
            s.key: f"{s.number}、{rng.choice(HEADINGS[s.key]) if rng.random() < 0.25 else s.heading}"
            for s in fmt.sections
        }
        report.preamble = _preamble(report, rng)
        report.sections = _narrative(report, random.Random(seed * 7919 + 17), {})
    if late:
        report = report.late(rng.randint(1, 60))
    return report


def generate_many(n: int, seed: int = 0, **kwargs: Any) -> Iterator[SynthReport]:
    """`n` reports with consecutive seeds from `seed * 1_000_003`."""
    base = seed * 1_000_003
    for i in range(n):
        yield generate(base + i, **kwargs)


def _agency(rng: random.Random, level: str) -> tuple[str, str]:
    if level == "government":
        place = rng.choice(CITIES + COUNTIES + DISTRICTS)
        return f"{place}人民政府", place
    if level == "township":
        if rng.random() < 0.6:
            place = rng.choice(DISTRICTS)
            return f"{place}{rng.choice(STREETS)}街道办事处", place
        place = rng.choice(COUNTIES)
        return f"{place}{rng.choice(TOWNS)}镇人民政府", place
    place = rng.choice(CITIES + COUNTIES + DISTRICTS)
    dept = rng.choice(DEPARTMENTS)
    if place.endswith("县") and dept == "发展和改革委员会":
        dept = "发展和改革局"
    return f"{place}{dept}", place


def _dates(rng: random.Random, year: int, level: str) -> tuple[dt.date, dt.date]:
    """On-time publication and a signature on or a few days before it (never before 2 January)."""
    nxt = year + 1
    if year <= 2018 or level != "department":
        last = dt.date(nxt, 3, 31) if year <= 2018 or level == "government" else dt.date(nxt, 3, 25)
        first = dt.date(nxt, 1, 10)
    else:
        first, last = dt.date(nxt, 1, 6), dt.date(nxt, 1, 31)
    published = first + dt.timedelta(days=rng.randint(0, (last - first).days))
    signed = published - dt.timedelta(days=rng.choice((0, 0, 0, 1, 2, 3, 5)))
    return published, max(signed, dt.date(nxt, 1, 2))


def _as_int(value: CellData) -> int:
    if isinstance(value, bool) or value is None or isinstance(value, str):
        return 0
    return int(value)


def _spread(rng: random.Random, total: int, weights: dict[str, float]) -> dict[str, int]:
    """`total` units split over the keys by weight (multinomial)."""
    keys = list(weights)
    out = dict.fromkeys(keys, 0)
    if total <= 0:
        return out
    if total <= 400:
        out.update(Counter(rng.choices(keys, weights=[weights[k] for k in keys], k=total)))
        return out
    # Large totals: proportional shares with noise, the remainder spread by weight.
    noisy = {k: weights[k] * rng.uniform(0.6, 1.4) for k in keys}
    scale = total / sum(noisy.values())
    for k in keys:
        out[k] = int(noisy[k] * scale)
    rest = total - sum(out.values())
    out.update({k: out[k] + n for k, n in Counter(rng.choices(keys, weights=[noisy[k] for k in keys], k=rest)).items()})
    return out


def _identity(fmt: FormatDef, ident: str) -> IdentityDef:
    return next(i for i in fmt.identities if i.id == ident)


def _requests(rng: random.Random, fmt: FormatDef, size: str) -> dict[str, dict[str, CellData]]:
    """Table 三: per applicant column new + carried = processed + forward, outcomes add up, 总计 = Σ."""
    tdef = fmt.tables["requests"]
    balance = _identity(fmt, "requests.balance")
    outcomes = _identity(fmt, "requests.outcomes")
    columns = _identity(fmt, "requests.columns")
    new_key, carried_key = balance.lhs
    processed_key, forward_key = balance.rhs
    outcome_rows = tdef.expand(outcomes.rhs)
    applicants = list(columns.rhs)
    total_col = columns.lhs[0]
    new_total = {
        "none": 0,
        "tiny": rng.randint(1, 5),
        "small": rng.randint(5, 60),
        "medium": rng.randint(60, 500),
        "large": rng.randint(500, 3000),
    }[size]
    weights = {c: APPLICANT_WEIGHTS.get(c, 1.0) * rng.uniform(0.3, 1.7) for c in applicants}
    new = _spread(rng, new_total, weights)
    table: dict[str, dict[str, CellData]] = {r: dict.fromkeys(tdef.column_keys, 0) for r in tdef.row_keys}
    row_weights = {r: OUTCOME_WEIGHTS.get(r, 1.0) * rng.uniform(0.2, 1.8) for r in outcome_rows}
    # Some agencies never use a row at all: zero a few weights for realism (never granted).
    for r in outcome_rows:
        if r != "granted" and rng.random() < 0.35:
            row_weights[r] = 0.0
    if not any(row_weights.values()):
        row_weights["granted"] = 1.0
    for col in applicants:
        n = new[col]
        carried = rng.randint(0, max(0, n // 8)) if n and rng.random() < 0.4 else 0
        if size == "none" and rng.random() < 0.1 and col == applicants[0]:
            carried = rng.randint(1, 2)  # nothing new, something left from last year
        forward = rng.randint(0, max(0, (n + carried) // 6)) if (n + carried) and rng.random() < 0.4 else 0
        processed = n + carried - forward
        table[new_key][col] = n
        table[carried_key][col] = carried
        table[processed_key][col] = processed
        table[forward_key][col] = forward
        for r, count in _spread(rng, processed, row_weights).items():
            table[r][col] = count
    for r in tdef.row_keys:
        table[r][total_col] = sum(_as_int(table[r][c]) for c in applicants)
    return table


def _appeals(rng: random.Random, fmt: FormatDef, size: str) -> dict[str, dict[str, CellData]]:
    """Table 四: per group 总计 = 维持 + 纠正 + 其他 + 尚未审结."""
    tdef = fmt.tables["appeals"]
    ident = _identity(fmt, "appeals.totals")
    parts, total = list(ident.rhs), ident.lhs[0]
    scale = {"none": 0, "tiny": 1, "small": 2, "medium": 4, "large": 12}[size]
    table: dict[str, dict[str, CellData]] = {}
    for i, group in enumerate(tdef.row_keys):
        cases = 0
        if scale and rng.random() < (0.45 if i == 0 else 0.25):
            cases = rng.randint(1, scale + 1)
        spread = _spread(rng, cases, {"upheld": 6.0, "corrected": 1.0, "other": 1.5, "pending": 2.0})
        row: dict[str, CellData] = {p: spread.get(p, 0) for p in parts}
        row[total] = sum(_as_int(v) for v in row.values())
        table[group] = {c: row[c] for c in tdef.column_keys}
    return table


def _may_make_rules(level: str, agency: str) -> bool:
    return level == "government" and any(agency.startswith(c) for c in CITIES)


def _amount(rng: random.Random) -> Decimal:
    if rng.random() < 0.45:
        return Decimal(0)
    places = rng.choice((0, 1, 2, 2, 4))
    return (Decimal(rng.randint(1, 200_000)) / Decimal(10) ** rng.choice((2, 3, 4))).quantize(
        Decimal(1).scaleb(-places), ROUND_HALF_UP
    ) or Decimal("0.01")


def _active_2021(rng: random.Random, tdef: TableDef, level: str, agency: str) -> dict[str, dict[str, CellData]]:
    big = level == "government"
    table: dict[str, dict[str, CellData]] = {}
    for row in tdef.rows:
        cols = row.cols or tdef.column_keys
        if "in_force" in cols:  # regulations and normative documents
            allowed = row.key != "regulations" or _may_make_rules(level, agency)
            issued = rng.randint(0, 12 if big else 6) if allowed and rng.random() < 0.7 else 0
            repealed = rng.randint(0, 4) if allowed and rng.random() < 0.3 else 0
            in_force = issued + rng.randint(0, 120 if big else 40) if allowed else 0
            values: dict[str, int] = {"issued": issued, "repealed": repealed, "in_force": in_force}
            table[row.key] = {c: values[c] for c in cols}
        elif "amount" in cols:
            table[row.key] = {"amount": _amount(rng)}
        else:
            top = {"licensing": 20000, "punishment": 3000, "coercion": 200}.get(row.key, 100)
            if level == "township":
                top //= 20
            table[row.key] = {c: (rng.randint(0, top) if rng.random() < 0.6 else 0) for c in cols}
    return table


def _active_2019(rng: random.Random, tdef: TableDef, level: str, agency: str) -> dict[str, dict[str, CellData]]:
    big = level == "government"
    table: dict[str, dict[str, CellData]] = {}
    for row in tdef.rows:
        cols = row.cols or tdef.column_keys
        values: dict[str, CellData]
        if "total_public" in cols:
            allowed = row.key != "regulations" or _may_make_rules(level, agency)
            made = rng.randint(0, 12 if big else 6) if allowed and rng.random() < 0.7 else 0
            published = made
            values = {
                "made": made,
                "published": published,
                "total_public": published + rng.randint(0, 150 if big else 40) if allowed else 0,
            }
        elif "projects" in cols:
            projects = rng.randint(0, 40) if rng.random() < 0.6 else 0
            values = {"projects": projects, "amount": _amount(rng) if projects else Decimal(0)}
        else:
            prev = rng.randint(0, 120) if rng.random() < 0.7 else 0
            change = rng.randint(-min(prev, 8), 8) if rng.random() < 0.5 else 0
            values = {
                "prev_items": prev,
                "change": change,
                "decisions": rng.randint(0, 5000) if prev + change and rng.random() < 0.7 else 0,
            }
        table[row.key] = {c: values[c] for c in cols}
    return table


# --- narrative -----------------------------------------------------------------------------------


def cn_date(d: dt.date) -> str:
    return f"{d.year}年{d.month}月{d.day}日"


_CN_DIGITS = "〇一二三四五六七八九"


def cn_numeral_date(d: dt.date) -> str:
    """二〇二四年一月十七日: the formal Chinese-numeral form of a signature date."""

    def small(n: int) -> str:
        if n < 10:
            return _CN_DIGITS[n]
        tens, ones = divmod(n, 10)
        return ("" if tens == 1 else _CN_DIGITS[tens]) + "十" + (_CN_DIGITS[ones] if ones else "")

    return "".join(_CN_DIGITS[int(ch)] for ch in str(d.year)) + f"年{small(d.month)}月{small(d.day)}日"


def _bare(heading: str) -> str:
    return heading.split("、", 1)[1] if "、" in heading else heading


def _self_name(agency: str) -> str:
    """How a report refers to its agency: 我局, 我委, 本街道, 县政府 …"""
    if agency.endswith("街道办事处"):
        return "本街道"
    if agency.endswith("镇人民政府"):
        return "本镇"
    if agency.endswith("人民政府"):
        return agency[-5] + "政府"
    if agency.endswith("委员会"):
        return "我委"
    if agency.endswith("办公室"):
        return "我办"
    return "我局"


def _phone(rng: random.Random) -> str:
    return f"0{rng.randint(510, 599)}-{rng.randint(80000000, 89999999)}"


def _preamble(report: SynthReport, rng: random.Random) -> str:
    y = report.year
    parts = "、".join(_bare(h) for h in report.headings.values())
    site = f"{report.place}人民政府门户网站"
    period = rng.choice(
        (
            f"本报告中所列数据的统计期限自{y}年1月1日起至{y}年12月31日止。",
            f"本报告所列数据统计期限为{y}年1月1日至{y}年12月31日。",
            f"本年度报告中所列数据的统计期限自{y}年1月1日起至{y}年12月31日止。",
        )
    )
    return "".join(
        (
            "根据《中华人民共和国政府信息公开条例》（以下简称《条例》）和国务院办公厅政府信息与政务公开办公室"
            f"有关要求，{report.agency}编制本报告。",
            f"本报告由{parts}等六部分组成。",
            period,
            f"本报告电子版可在{site}（http://www.example.gov.cn/）查阅或下载。",
            f"如对本报告有任何疑问，请与{report.agency}办公室联系（地址：{report.place}{rng.choice(ROADS)}"
            f"{rng.randint(1, 300)}号，联系电话：{_phone(rng)}）。",
        )
    )


def _pct(part: int, whole: int) -> str:
    value = (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.1"), ROUND_HALF_UP)
    return f"{value.normalize():f}%" if value == value.to_integral_value() else f"{value}%"


def _split_exact(rng: random.Random, total: int, names: list[str]) -> list[tuple[str, int]]:
    shares = _spread(rng, total, {n: rng.uniform(0.5, 3.0) for n in names})
    return [(n, shares[n]) for n in names]


def _narrative(report: SynthReport, rng: random.Random, offsets: dict[str, int]) -> dict[str, str]:
    """Sections 一 … 六 whose numbers agree with the tables (`offsets` injects a D10 mismatch)."""
    y = report.year
    me = _self_name(report.agency)
    t = report.tables
    version = report.format_version
    req_def = load_format(version).tables["requests"]

    def req(row: str) -> int:
        return report.total("requests", row)

    def group(prefix: str) -> int:
        return sum(req(r) for r in req_def.row_keys if r == prefix or r.startswith(prefix + "."))

    new = req("new_received") + offsets.get("new_received", 0)
    carried, done, forward = req("carried_over"), req("total_processed"), req("carried_forward")
    outcome_words = [
        ("予以公开", req("granted")),
        ("部分公开", req("partially_granted")),
        ("不予公开", group("denied")),
        ("无法提供", group("unavailable")),
        ("不予处理", group("not_processed")),
        ("其他处理", group("other")),
    ]
    review = report.total("appeals", "review")
    suits = report.total("appeals", "litigation_direct") + report.total("appeals", "litigation_after_review")

    # 一、总体情况
    posted = rng.randint(30, 3000)
    split = _split_exact(rng, posted, ["政策文件", "工作动态", "通知公告"])
    active_bits = []
    if version == "2021":
        nd = t["active"].get("normative_documents", {})
        issued, in_force = _as_int(nd.get("issued")), _as_int(nd.get("in_force"))
        active_bits.append(
            f"本年制发行政规范性文件{issued}件，现行有效行政规范性文件{in_force}件。"
            if issued or in_force
            else "本年未制发行政规范性文件。"
        )
    else:
        nd = t["active"].get("normative_documents", {})
        active_bits.append(
            f"本年新制作规范性文件{_as_int(nd.get('made'))}件，对外公开规范性文件总数"
            f"{_as_int(nd.get('total_public'))}件。"
        )
    overview = [
        f"{y}年，{me}坚持以习近平新时代中国特色社会主义思想为指导，认真贯彻落实《条例》和上级关于政务公开工作的"
        "部署要求，以公开为常态、不公开为例外，持续深化政务公开，政府信息公开工作取得新成效。",
        "（一）主动公开",
        f"全年通过{rng.choice(PLATFORMS)}等渠道主动公开政府信息{posted}条，其中"
        + "，".join(f"{n}{c}条" for n, c in split)
        + "。"
        + "".join(active_bits),
        "（二）依申请公开",
    ]
    if new + carried == 0:
        overview.append(f"{y}年，{me}未收到政府信息公开申请，无上年结转申请。")
    else:
        listed = "，".join(f"{w}{n}件" for w, n in outcome_words if n)
        style = report.variant % 4
        if style == 0 or not done:
            text = f"本年共新收政府信息公开申请{new}件，上年结转{carried}件；办结{done}件"
            text += f"，其中{listed}" if done and listed else ""
            text += f"；结转下年度继续办理{forward}件。"
        elif style == 1:
            text = (
                f"{y}年，{me}共收到政府信息公开申请{new}件，上年结转政府信息公开申请{carried}件。"
                f"本年度办结政府信息公开申请{done}件，其中{listed}。结转下年度继续办理{forward}件。"
            )
        elif style == 2:
            text = (
                f"全年新收政府信息公开申请{new}件，加上上年结转{carried}件，共需办理{new + carried}件；"
                f"已办结{done}件，其中{listed}；结转下年度继续办理{forward}件。"
            )
        else:
            text = (
                f"本年度新收政府信息公开申请{new}件，上年结转{carried}件，办结{done}件，"
                f"结转下年度继续办理{forward}件。办结的申请中，{listed}。"
            )
        overview.append(text + "所有申请均在法定期限内答复。")
    overview += [
        "（三）政府信息管理",
        "严格落实政府信息公开保密审查制度，坚持“先审查、后公开”和“一事一审”原则，"
        "动态调整主动公开基本目录，及时清理更新过时信息。",
        "（四）政府信息公开平台建设",
        f"持续加强{rng.choice(PLATFORMS)}建设，优化栏目设置，全年更新政府信息公开专栏{rng.randint(50, 900)}次，"
        "提升平台的集约化、规范化水平。",
        "（五）监督保障",
    ]
    if review + suits == 0:
        overview.append(f"{y}年，{me}未发生因政府信息公开引起的行政复议、行政诉讼案件。")
    else:
        upheld = sum(report.total("appeals", g, "upheld") for g in report.tables["appeals"])
        upheld_all = upheld == review + suits
        sentence = f"{y}年，{me}因政府信息公开被申请行政复议{review}件"
        if upheld_all and rng.random() < 0.5:
            sentence += f"，被提起行政诉讼{suits}件，均获维持。" if suits else "，均获维持。"
        else:
            sentence += f"，被提起行政诉讼{suits}件。"
        overview.append(sentence)
    overview.append(f"组织开展政务公开业务培训{rng.randint(1, 6)}次，将政务公开工作纳入年度绩效考核。")

    problems = [
        f"{y}年，{me}政府信息公开工作取得了一定成效，但仍存在一些不足：一是主动公开的深度和广度有待拓展；"
        "二是政策解读形式较为单一；三是工作人员业务能力有待进一步提升。",
        f"{y + 1}年，{me}将从以下方面加以改进：一是进一步拓展公开内容，加大重点领域信息公开力度；"
        "二是丰富政策解读形式，提升解读质量；三是加强业务培训，提升队伍专业化水平。",
    ]

    other: list[str] = []
    if y >= 2021:
        unpaid = report.total("requests", "other.unpaid_fee")
        if unpaid:
            other.append(
                f"本年度向{unpaid}名申请人发出信息处理费收费通知，申请人均未在规定期限内缴纳，"
                "本年度未实际收取信息处理费。"
            )
        elif new and rng.random() < 0.08:
            other.append(f"本年度依据《政府信息公开信息处理费管理办法》收取信息处理费{rng.randint(1, 20) * 100}元。")
        else:
            other.append(
                rng.choice(
                    (
                        "本年度未收取信息处理费。",
                        "本年度未收取任何政府信息公开信息处理费。",
                        f"{y}年度，{me}未产生信息处理费。",
                    )
                )
            )
    if report.level == "government":
        other.append(
            "政府信息公开工作考核、社会评议和责任追究结果情况：本年度已将政务公开工作纳入政府绩效考核，"
            "未发生政府信息公开工作责任追究情况。"
        )
    if not other or rng.random() < 0.4:
        other.append(rng.choice(("无其他需要报告的事项。", "本年度无其他需要报告的事项。")))
    return {
        "overview": "\n".join(overview),
        "active": "",
        "requests": "",
        "appeals": "",
        "problems": "\n".join(problems),
        "other": "\n".join(other),
    }


# --- the old shape (2008 regime) -----------------------------------------------------------------


def _old_shape(report: SynthReport, rng: random.Random) -> None:
    """Prose with outcomes, percentages, a consultation breakdown and spending within budget (SPEC §5)."""
    y = report.year
    me = _self_name(report.agency)
    report.headings = {k: f"{NUMERALS[i]}、{h}" for i, (k, h) in enumerate(OLD_HEADINGS)}
    report.preamble = "".join(
        (
            "本年度报告是根据《中华人民共和国政府信息公开条例》（以下简称《条例》）要求，"
            f"由{report.agency}编制。全文包括概述、主动公开政府信息情况、依申请公开政府信息情况、"
            "政府信息公开咨询处理情况、政府信息公开复议、诉讼情况、政府信息公开支出与收费、其他相关工作情况以及"
            "存在的主要问题和改进措施等。",
            f"本报告中所列数据的统计期限自{y}年1月1日起至{y}年12月31日止。",
            f"本年度报告的电子版可在{report.place}人民政府门户网站上下载。如对本年度报告有疑问，请联系：{report.agency}"
            f"办公室，联系电话：{_phone(rng)}。",
        )
    )
    posted = rng.randint(40, 2500)
    parts = _split_exact(rng, posted, ["机构职能类", "政策法规类", "业务工作类", "人事信息类"])
    requests = rng.choice((0, rng.randint(1, 4), rng.randint(2, 40)))
    outcome_names = ["同意公开", "同意部分公开", "信息不存在", "非本机关职责权限范围", "申请内容不明确"]
    outcomes = [(n, c) for n, c in _split_exact(rng, requests, outcome_names) if c]
    consult = _split_exact(rng, rng.randint(100, 150_000), ["咨询电话接听", "当面咨询", "网上咨询"])
    consult_total = sum(c for _, c in consult)
    items = _split_exact(rng, rng.randint(2000, 40000), ["业务培训费", "服务指南编印费", "网站维护费"])
    spent = sum(c for _, c in items)
    budget_wan = max(1, -(-spent // 10000) + rng.randint(0, 3))  # a whole number of 万元 ≥ spending
    report.facts = {
        "posted": posted,
        "requests": requests,
        "outcomes": dict(outcomes),
        "consultations": consult_total,
        "spending": spent,
        "budget": budget_wan * 10000,
    }
    req_text = [f"本年度共受理政府信息公开申请{requests}件。"]
    if requests:
        req_text.append(f"在已答复的{requests}件申请中：")
        req_text += [f"“{n}”{c}件，占总数的{_pct(c, requests)}。" for n, c in outcomes]
    else:
        req_text = ["本年度未收到政府信息公开申请。"]
    report.sections = {
        "overview": "\n".join(
            (
                f"根据《条例》要求，{y}年{me}进一步加强了政府信息公开工作，明确了分管领导和工作人员，"
                "完善了政府信息公开工作机制，政府信息公开咨询、申请和答复等工作顺利开展。",
                "（一）健全政府信息公开工作机制。成立政府信息公开工作领导小组，负责组织、指导、督促各科室开展信息公开工作。",
                "（二）加强政府信息公开制度建设。制订完善了政府信息主动公开、依申请公开、保密审查等制度。",
            )
        ),
        "active": f"{y}年度主动公开政府信息{posted}条，其中"
        + "，".join(f"{n}{c}条" for n, c in parts)
        + "。\n政府信息通过门户网站、政务公开栏、电子显示屏等渠道进行公开。",
        "requests": "\n".join(req_text),
        "consultation": f"本年度共接受公众咨询{consult_total}人次。其中"
        + "，".join(f"{n}{c}次" for n, c in consult)
        + "。",
        "appeals": "本年度没有发生针对本机关有关政府信息公开事务的行政复议案、行政诉讼案。",
        "fees": f"政府信息公开事务的财政预算{budget_wan}万元，实际支出情况："
        + "，".join(f"{n}{c}元" for n, c in items)
        + f"，合计{spent}元。\n本年度没有发生政府信息公开收费及减免情况。",
        "other": "本年度积极做好政府信息公开年度报告编制和发布工作，按时完成上级交办的各项政务公开任务。",
        "problems": "\n".join(
            (
                f"{y}年本单位政府信息公开工作仍然存在公开的内容不够全面和及时、公开形式较为单一等问题。",
                f"{y + 1}年，我们将进一步完善政府信息公开工作机制，拓展公开渠道，不断提高政府信息公开工作水平。",
            )
        ),
    }
