"""China's administrative divisions (GB/T 2260 codes) and finding their names in a report's text.

The table is the one the `cpca` package ships (`cpca/resources/adcodes.csv`: 12-digit codes whose
first six digits are the GB/T 2260 code, names; 2020 data; MIT licence), read as data: cpca's own
code, which builds its matchers at import, is never imported. A code tells its place in the
hierarchy: 350128 平潭县 lies in 3501 福州市 in 35 福建省.

Only full names are found in text ("定安县", "海南省"): short forms ("定安") are common words too
often. Names of one character plus a suffix ("和县", "南县") and the generic ones ("城区", "市辖区")
are left out for the same reason. Short forms are read only where a pattern says they are a place:
a newspaper 《今日定安》, a station "定安电视台".
"""

from __future__ import annotations

import csv
import functools
import importlib.util
import re
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

# Placeholders of the table, not names of places.
_GENERIC = frozenset({"市辖区", "县", "省直辖县级行政区划", "自治区直辖县级行政区划", "城区", "郊区", "矿区"})
# Full names that are also common phrases ("城市中区"), or are words before "域" ("白云区域" is a region).
_COMMON = frozenset({"市中区", "城中区", "城东区", "城西区", "城南区", "城北区", "城关区", "新城区", "中区"})
# Where a name can end: a suffix not followed by 域 ("白云区域" is a region, not 白云区).
_SUFFIX_AT = re.compile("[省市县区州旗盟](?!域)")
_SHORT_SUFFIX = re.compile(r"(?:特别行政区|自治区|自治州|自治县|自治旗|林区|省|市|县|区|旗|盟)$")


@dataclass(frozen=True)
class Division:
    code: str  # six digits
    name: str

    @property
    def level(self) -> str:
        if self.code.endswith("0000"):
            return "province"
        return "prefecture" if self.code.endswith("00") else "county"

    @property
    def province(self) -> str:
        return self.code[:2]


@dataclass(frozen=True)
class Mention:
    """A division's name found in text, with every division of that name."""

    start: int
    end: int
    name: str
    divisions: tuple[Division, ...]


class Gazetteer:
    """The divisions by code, by full name and by short name ("定安" for 定安县)."""

    def __init__(self, rows: list[tuple[str, str]], nations: list[str]) -> None:
        self.by_code = {code: Division(code, name) for code, name in rows}
        self.by_name: dict[str, list[Division]] = defaultdict(list)
        self.by_short: dict[str, list[Division]] = defaultdict(list)
        # Longest first: "维吾尔" goes before a shorter name it holds.
        self._nations = sorted({n.removesuffix("族") for n in nations if n != "汉族"}, key=len, reverse=True)
        for division in self.by_code.values():
            if division.name in _GENERIC:
                continue
            self.by_name[division.name].append(division)
            short = self.short_name(division.name)
            if len(short) >= 2:
                self.by_short[short].append(division)
        self._longest = max(len(n) for n in self.by_name)

    def short_name(self, name: str) -> str:
        """定安县 → 定安, 广西壮族自治区 → 广西, 海西蒙古族藏族自治州 → 海西, 内蒙古自治区 → 内蒙古."""
        autonomous = "自治" in name
        short = _SHORT_SUFFIX.sub("", name)
        while autonomous:
            for nation in self._nations:
                for form in (nation + "族", nation):
                    if short.endswith(form) and len(short) - len(form) >= 2:
                        short = short[: -len(form)]
                        break
                else:
                    continue
                break
            else:
                break
        return short

    def prefecture(self, division: Division) -> Division | None:
        """The prefecture-level division a county lies in (None under a province directly, or for a
        municipality's districts: the municipality is their province)."""
        if division.level == "province":
            return None
        if division.level == "prefecture":
            return division
        parent = self.by_code.get(division.code[:4] + "00")
        return parent if parent is not None and parent.name not in _GENERIC else None

    def province_of(self, division: Division) -> Division | None:
        return self.by_code.get(division.province + "0000")

    def where(self, division: Division) -> str:
        """"海南省定安县", "福建省福州市": the division with the levels above it."""
        chain = [d for d in (self.province_of(division), self.prefecture(division)) if d is not None]
        names = [d.name for d in chain if d.code != division.code] + [division.name]
        return "".join(names)

    def find(self, text: str) -> Iterator[Mention]:
        """Every full name in text, longest at each place; "…区域" (a region) is no district."""
        last_end = 0
        for suffix in _SUFFIX_AT.finditer(text):
            end = suffix.end()
            for length in range(min(self._longest, end - last_end), 2, -1):
                name = text[end - length: end]
                divisions = self.by_name.get(name)
                if divisions and name not in _COMMON:
                    yield Mention(end - length, end, name, tuple(divisions))
                    last_end = end
                    break


def _data_file(package: str, *parts: str) -> Path | None:
    """A data file inside an installed package, found without importing the package."""
    spec = importlib.util.find_spec(package)
    if spec is None or not spec.submodule_search_locations:
        return None
    path = Path(next(iter(spec.submodule_search_locations)), *parts)
    return path if path.is_file() else None


@functools.cache  # the table is read once per process (3,500 rows), and only by the rules that need it
def gazetteer() -> Gazetteer | None:
    """The gazetteer, or None when the cpca package (its data) is not installed."""
    table = _data_file("cpca", "resources", "adcodes.csv")
    nations = _data_file("cpca", "resources", "56_nations.csv")
    if table is None:
        return None
    with table.open(encoding="utf-8", newline="") as f:
        rows = [(r["adcode"][:6], r["name"].strip()) for r in csv.DictReader(f) if r.get("adcode") and r.get("name")]
    names = nations.read_text(encoding="utf-8").split() if nations is not None else []
    return Gazetteer(rows, names)
