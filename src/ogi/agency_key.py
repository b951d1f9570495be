"""When two names are the same agency: 淮安市洪泽区人民政府 ≡ 洪泽区人民政府 ≡ 江苏省淮安市洪泽区政府.

A report names its agency with or without the parent divisions (province, prefecture, county), with
人民政府 or 政府, 办公室 or 办, 委员会 or 委, full- or half-width characters, spaces and brackets. A name
is read as its chain of divisions (each a name ending in 省, 市, 县, 区, 镇, 街道 …, in the order of the
hierarchy) and its body (人民政府, 发展和改革局, …); the key is the agency's own division (the last of the
chain) and the folded body. Two names are the same agency when their keys are equal and one chain of
divisions ends the other (北京市朝阳区 and 长春市朝阳区 share a key but not a chain).

Rule-based, without a gazetteer: a division is recognised by its suffix and its place in the hierarchy
(so 城市 in 沭阳县城市管理局 is not one, a county being followed only by a township). Distinct agencies
stay distinct: 洪泽区人民政府 ≠ 洪泽区人民政府办公室 ≠ 洪泽区发展和改革局; 淮安区 ≠ 洪泽区.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import TypeVar

T = TypeVar("T")

# Division suffixes and the levels they can stand at: 1 province (and 直辖市), 2 prefecture, 3 county, 4 township.
_LEVELS: dict[str, tuple[int, ...]] = {
    "特别行政区": (1,), "自治区": (1,), "省": (1,),
    # Not 州 alone: 苏州市, 伊州区 would split at it (real prefectures ending in 州 are 自治州).
    "自治州": (2,), "地区": (2,), "盟": (2,),
    "市": (1, 2, 3),
    "自治县": (3,), "自治旗": (3,), "新区": (3,), "区": (3,), "县": (3,), "旗": (3,), "林区": (3,),
    "民族乡": (4,), "街道": (4,), "镇": (4,), "乡": (4,), "苏木": (4,),
}
_SUFFIX = re.compile("|".join(sorted(_LEVELS, key=len, reverse=True)))
_LONGEST_DIVISION = 14
# Words no division name holds: a token with one is the agency's body ("国家税务总局淮安市…").
_BODY_WORDS = ("局", "委员会", "办公", "政府", "人民", "厅", "中心", "公司", "集团", "中共", "党", "部门", "管理",
               "服务", "税务", "银行", "法院", "检察", "公安", "学校", "医院")
# Words ending in a division suffix that are not divisions (checked on the whole token).
_NOT_DIVISIONS = frozenset({"城市", "都市", "超市", "社区", "园区", "城区", "市区", "郊区", "辖区", "小区", "景区",
                            "片区", "山区", "牧区", "灾区", "老区", "街区", "校区", "港区", "矿区", "本市", "全市",
                            "全县", "全区", "本县", "本区", "城乡", "城镇", "乡镇", "村镇", "集镇", "市县", "县市",
                            "区县", "县区"})
_BRACKETS = re.compile(r"[()\[\]{}（）【】〔〕《》<>“”\"'‘’「」『』·•・]")
_SPACES = re.compile(r"\s+")
# Folded spellings of the body, longest first: the forms one agency's name is written in.
_FOLDS = (("人民政府", "政府"), ("管理委员会", "管理委"), ("管委会", "管理委"), ("委员会", "委"),
          ("办公厅", "办"), ("办公室", "办"), ("办事处", ""))
_GOVERNMENT = "政府"
# Misreadings of place names seen in real reports (SPEC §7): "沐阳县" is 沭阳县.
_OCR_VARIANTS = (("沐阳", "沭阳"),)


@dataclass(frozen=True)
class AgencyName:
    """A name read as its divisions (outermost first) and its folded body."""

    divisions: tuple[str, ...]
    body: str

    @property
    def key(self) -> str:
        """The agency's own division and its body: equal for every way of writing one agency's name."""
        own = self.divisions[-1] if self.divisions else ""
        return f"{own}|{self.body}"

    def same_as(self, other: AgencyName) -> bool:
        """The same key, and one chain of divisions ends the other (no parent named differently)."""
        if self.key != other.key:
            return False
        shorter, longer = sorted((self.divisions, other.divisions), key=len)
        return longer[len(longer) - len(shorter):] == shorter


def normalise(name: str) -> str:
    """Full-width folded to half-width, spaces and bracket characters removed (their content kept), OCR
    variants of place names read as the place."""
    text = _BRACKETS.sub("", _SPACES.sub("", unicodedata.normalize("NFKC", name)))
    for variant, place in _OCR_VARIANTS:
        text = text.replace(variant, place)
    return text


@lru_cache(maxsize=4096)  # the same few names are looked up once per report of a batch
def parse_agency(name: str) -> AgencyName:
    text = normalise(name)
    divisions: list[str] = []
    level = 0
    at = 0
    while at < len(text):
        # "淮安市洪泽区人民政府高良涧街道办事处": the county's government named before its township.
        if divisions and text.startswith("人民政府", at) and _division_at(text, at + 4, level):
            at += 4
            continue
        found = _division_at(text, at, level)
        if found is None:
            break
        token, level = found
        divisions.append(token)
        at += len(token)
    body = text[at:]
    for old, new in _FOLDS:
        body = body.replace(old, new)
    # A division's own name stands for its government ("淮安市2024年…报告", "周矶街道办事处").
    if divisions and not body:
        body = _GOVERNMENT
    return AgencyName(tuple(divisions), body)


def _division_at(text: str, at: int, level: int) -> tuple[str, int] | None:
    """The shortest division named at `at` that can stand below `level` in the hierarchy, and its level."""
    for suffix in _SUFFIX.finditer(text, at, min(len(text), at + _LONGEST_DIVISION)):
        token = text[at: suffix.end()]
        if any(w in token for w in _BODY_WORDS) or "和" in token[1:]:
            return None  # "住房和城乡建设局", "国家税务总局淮安市…": the body has begun
        lower = [lv for lv in _LEVELS[suffix.group()] if lv > level]
        if len(token) >= 2 and lower and token not in _NOT_DIVISIONS:
            return token, lower[0]
    return None


def agency_key(name: str) -> str:
    """The key names of one agency share (`AgencyName.key`)."""
    return parse_agency(name).key


def same_agency(a: str | None, b: str | None) -> bool:
    """Whether two names are the same agency (False when either is missing)."""
    if not a or not b:
        return False
    return parse_agency(a).same_as(parse_agency(b))


class AgencyIndex(Mapping[str, T]):
    """Values by agency: looked up by any name of the agency (`same_agency`), kept under the names given."""

    def __init__(self, items: Iterable[tuple[str, T]] = ()) -> None:
        self._items: dict[str, T] = {}
        self._by_key: dict[str, list[str]] = {}
        for name, value in items:
            self[name] = value

    def __setitem__(self, name: str, value: T) -> None:
        if name not in self._items:
            self._by_key.setdefault(agency_key(name), []).append(name)
        self._items[name] = value

    def find(self, name: str | None) -> T | None:
        """The value of the agency `name` names, however it is written; None when none or several match."""
        if not name:
            return None
        if name in self._items:
            return self._items[name]
        parsed = parse_agency(name)
        found = [n for n in self._by_key.get(parsed.key, ()) if parse_agency(n).same_as(parsed)]
        return self._items[found[0]] if len(found) == 1 else None

    def __getitem__(self, name: str) -> T:
        value = self.find(name)
        if value is None:
            raise KeyError(name)
        return value

    def __iter__(self) -> Iterator[str]:
        return iter(self._items)

    def __len__(self) -> int:
        return len(self._items)
