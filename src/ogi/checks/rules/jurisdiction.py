"""Text copied from another jurisdiction (C107): places and local bodies of another province, or of
another prefecture for a county's organ, named in the report."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from ogi.checks.gazetteer import Division, Gazetteer, gazetteer
from ogi.checks.registry import CannotCheck, RuleContext, rule
from ogi.model import Category, Finding, Location, Report, Severity

# A sentence about working with, learning from or travelling to another place names it rightly.
_ELSEWHERE_RIGHTLY = re.compile(
    r"对口|帮扶|协作|援疆|援藏|援青|东西部|考察|学习|交流|调研|参观|借鉴|经验|赴|前往|参加|培训|会议|举办|召开"
    r"|合作|结对|共建|签约|联合|对接|挂职|跨省|跨区域|跨市|异地|通办|毗邻|周边|接壤|一体化|高速|铁路|途经"
    r"|来自|来函|来访|转办|转交|移送|告知|申请人|籍|驻|省外|外省|市外|外地"
)
# A body known by its place's short name: 《今日定安》, 《定安日报》, 定安电视台.
_TITLED_BODY = re.compile(
    r"《(?:今日(?P<today>[\u4e00-\u9fff]{2,4})|(?P<paper>[\u4e00-\u9fff]{2,4}?)(?:日报|晚报|报))》"
)
_STATION = re.compile(r"广播电视台|电视台|融媒体中心")
# Short forms that name national papers or common words ("《光明日报》", "《新华日报》"), not places.
_NOT_PLACES = frozenset({"光明", "新华", "解放", "东方", "人民", "中国", "经济", "工人", "农民", "科技", "法治",
                         "法制", "健康", "华夏", "南方", "北方", "团结", "青年", "学习", "求是", "城市", "长安"})
_SENTENCE = re.compile(r"[^。；;！!？?\n]*[。；;！!？?]?")


@dataclass(frozen=True)
class Foreign:
    """A place or body of elsewhere named in the text, the first sentence naming it, and how often."""

    name: str  # as named: "定安县", "《今日定安》"
    where: str  # "海南省定安县"
    kind: str  # "place" | "body"
    sentence: str
    section: str | None
    count: int


def own_division(gaz: Gazetteer, agency: str) -> Division | None:
    """The deepest division the agency's name places it in, when the name places it unambiguously.

    "淮安市洪泽区人民政府" → 洪泽区; "福州市鼓楼区…" → the 鼓楼区 of 福州市 (its other namesakes lie
    elsewhere); "平潭综合实验区" (a name opening with a short form) → 平潭县.
    """
    mentions = list(gaz.find(agency))
    if not mentions:
        for length in (4, 3, 2):
            short = gaz.by_short.get(agency[:length])
            if short and len(short) == 1 and agency[:length] not in _NOT_PLACES:
                return short[0]
        return None
    unique = [m.divisions[0] for m in mentions if len(m.divisions) == 1]
    context = {d.province for d in unique}
    resolved: list[Division] = list(unique)
    for m in mentions:
        if len(m.divisions) > 1:
            fitting = [d for d in m.divisions if d.province in context and _within(gaz, d, unique)]
            if len(fitting) != 1:
                return None
            resolved.append(fitting[0])
    if len({d.province for d in resolved}) != 1:
        return None
    order = {"province": 0, "prefecture": 1, "county": 2}
    return max(resolved, key=lambda d: order[d.level])


def _within(gaz: Gazetteer, division: Division, others: list[Division]) -> bool:
    """Whether a division fits under the prefectures the agency's name also names."""
    prefectures = {p.code for p in (gaz.prefecture(o) for o in others if o.level != "province") if p is not None}
    mine = gaz.prefecture(division)
    return not prefectures or (mine is not None and mine.code in prefectures)


def _foreign(gaz: Gazetteer, own: Division, other: Division) -> bool:
    """Another province; or, for a county's organ, another prefecture of its province."""
    if other.province != own.province:
        return True
    if own.level != "county" or other.level == "province":
        return False
    mine, theirs = gaz.prefecture(own), gaz.prefecture(other)
    return mine is not None and theirs is not None and mine.code != theirs.code


def _sentence_at(text: str, start: int) -> str:
    left = max(text.rfind(c, 0, start) for c in "。；;！!？?\n") + 1
    m = _SENTENCE.match(text, left)
    return (m.group() if m else text[left: start + 20]).strip()


def foreign_mentions(report: Report, gaz: Gazetteer, own: Division) -> list[Foreign]:
    """Every place or body of elsewhere the prose names outside a sentence that explains it."""
    found: dict[str, Foreign] = {}

    def note(name: str, where: str, kind: str, text: str, at: int, section: str | None) -> None:
        sentence = _sentence_at(text, at)
        if _ELSEWHERE_RIGHTLY.search(sentence):
            return
        seen = found.get(name)
        found[name] = (Foreign(name, where, kind, sentence, section, 1) if seen is None
                       else Foreign(seen.name, seen.where, kind, seen.sentence, seen.section, seen.count + 1))

    for section, text in report.prose_texts():
        if not text:
            continue
        for mention in gaz.find(text):
            if all(_foreign(gaz, own, d) for d in mention.divisions):
                note(mention.name, "、".join(gaz.where(d) for d in mention.divisions), "place", text,
                     mention.start, section)
        for name, divisions, at in _bodies(gaz, text):
            if all(_foreign(gaz, own, d) for d in divisions):
                note(name, "、".join(gaz.where(d) for d in divisions), "body", text, at, section)
    return list(found.values())


def _bodies(gaz: Gazetteer, text: str) -> Iterator[tuple[str, list[Division], int]]:
    """Papers and stations named by a place's short form, with the divisions that form may mean."""
    for m in _TITLED_BODY.finditer(text):
        short = m.group("today") or m.group("paper")
        divisions = gaz.by_short.get(short)
        if divisions and short not in _NOT_PLACES:
            yield m.group(), divisions, m.start()
    for m in _STATION.finditer(text):
        for length in (4, 3, 2):
            short = text[max(0, m.start() - length): m.start()]
            divisions = gaz.by_short.get(short)
            if len(short) == length and divisions and short not in _NOT_PLACES:
                yield short + m.group(), divisions, m.start() - length
                break


@rule("C107", Category.CONSISTENCY, Severity.WARNING, title="正文出现其他地区的地名或机构",
      title_en="Places or bodies of another jurisdiction named in the text",
      basis="年度报告应当如实反映本机关情况，内容雷同、照搬照抄的应当整改（《条例》第四十七条）",
      messages={
          "place": ("正文提到“{name}”（{where}），不在本机关所在的{own}：“{sentence}”{times}，"
                    "可能照搬了其他地区的报告",
                    "The text names '{name}' ({where}), outside {own} where the agency is: '{sentence}'{times_en}; "
                    "possibly copied from another jurisdiction's report"),
          "body": ("正文提到“{name}”（{where}的媒体或机构），不在本机关所在的{own}：“{sentence}”{times}，"
                   "可能照搬了其他地区的报告",
                   "The text names '{name}' (a body of {where}), outside {own} where the agency is: "
                   "'{sentence}'{times_en}; possibly copied from another jurisdiction's report"),
      })
def other_jurisdiction_named(ctx: RuleContext) -> Iterator[Finding]:
    """检查内容：
    按行政区划代码（GB/T 2260）识别正文中的地名全称（如“定安县”“海南省”）和以地名简称命名的媒体、机构
    （如《今日定安》、××电视台），与机关名称所在的省、市比较：出现其他省份的地名，或县级及以下机关
    出现本省其他地级市的地名，提示可能照搬了其他地区的报告。对口支援、帮扶协作、考察学习、参加会议、
    申请人来自外地等说明性语句中的地名不提示；机关名称看不出所在地区的不检查。
    Names of divisions (full names) and of bodies named after a place, that lie in another province
    (or another prefecture, for a county's organ) than the agency, outside sentences about
    cooperation, visits or applicants from elsewhere.

    为什么重要：
    照搬其他地区报告的文字（如福建某县的局写“在《今日定安》开设税收专栏”，《今日定安》是海南省定安县的报纸）
    说明报告没有如实反映本机关的工作。

    不合规示例：
    （福建省平潭县某局）在《今日定安》开设税收宣传专栏。

    合规示例：
    （福建省平潭县某局）在《平潭时报》开设税收宣传专栏。

    依据：
    《中华人民共和国政府信息公开条例》第四十七条、第五十条。
    """
    gaz = gazetteer()
    if gaz is None:
        raise CannotCheck("未安装行政区划数据（cpca 包）", "the divisions table (the cpca package) is not installed")
    agency = ctx.report.agency
    own = own_division(gaz, agency) if agency else None
    if own is None:
        raise CannotCheck("从机关名称看不出其所在的省、市、县", "the agency's name does not tell where it is")
    own_where = gaz.where(own)
    for foreign in foreign_mentions(ctx.report, gaz, own):
        times = f"（共 {foreign.count} 处）" if foreign.count > 1 else ""
        times_en = f" ({foreign.count} times)" if foreign.count > 1 else ""
        yield ctx.finding(foreign.kind, name=foreign.name, where=foreign.where, own=own_where,
                          sentence=_clip(foreign.sentence), times=times, times_en=times_en,
                          expected=own_where, actual=foreign.where,
                          location=Location(section=foreign.section, text=foreign.sentence))


def _clip(sentence: str, limit: int = 80) -> str:
    return sentence if len(sentence) <= limit else sentence[: limit - 1] + "…"
