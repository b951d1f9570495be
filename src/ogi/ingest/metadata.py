"""Report metadata from the page and the text: title, agency, data year, dates, level, attachments."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import PurePosixPath

from ogi.config import Config
from ogi.ingest.agency import agency_and_year, joined_title
from ogi.ingest.dates import find_dates, find_period, parse_date
from ogi.ingest.document import RawDocument, TextLine
from ogi.model import Attachment, DatedText

# A report's title names its year (first or last) and what it is about.
_TITLE = re.compile(
    r"(?:(?:19|20)\d{2}|[〇○零一二三四五六七八九]{4})\s*年度?[^，,。；;]{0,60}?(?:政府信息公开|政务公开|信息公开)"
)
_REPORT_WORDS = ("年度报告", "年报")
_SENTENCE = re.compile(r"[，。；！？]")
_HEADER_FIELD = re.compile(
    r"^\s*(标题|发布时间|发布日期|成文日期|公开日期|发布机构|发文机关|发文单位|发布单位|发布部门|来源|信息来源|文章来源"
    r"|原文链接|索引号)\s*[:：]\s*(.*)$"
)
# Labels whose dates are not the publication: the archive's or the crawler's own.
_NOT_PUBLICATION = ("归档", "采集", "更新", "生成时间", "页面生成", "访问")
_PERIOD_WORDS = re.compile(r"统计|期限|期间|截至|至\s*\d|以来|。")
_PUBLICATION_KEYS = ("发布日期", "发布时间", "公开日期", "生成日期", "PubDate", "pubdate", "firstpublishedtime")
_URL_DATE = re.compile(r"/(20\d{2})(\d{2})/(?:t(20\d{2})(\d{2})(\d{2}))?")
_ATTACHMENT = re.compile(r"([^\s:：<>\"'/\\|]+?\.(?:docx?|xlsx?|pdf|wps|et|ofd|zip|rar))(?![A-Za-z])", re.IGNORECASE)
_SITE_SUFFIX = re.compile(r"\s*[-_|—]\s*[^-_|—]{1,30}$")

TOWNSHIP_SUFFIXES = ("街道办事处", "街道", "乡人民政府", "镇人民政府", "乡政府", "镇政府", "乡", "镇", "办事处")
GOVERNMENT_SUFFIXES = ("人民政府", "人民政府办公室", "人民政府办公厅", "政府", "管理委员会", "管委会",
                       "实验区", "开发区", "新区", "高新区")


def header_fields(lines: list[TextLine], limit: int = 12) -> dict[str, str]:
    """'标题: …', '发布时间: …' lines that saved pages and text copies carry at the top."""
    out: dict[str, str] = {}
    for line in lines[:limit]:
        m = _HEADER_FIELD.match(line.text)
        if m and m.group(2).strip():
            out.setdefault(m.group(1), m.group(2).strip())
    return out


def find_title(raw: RawDocument, fields: dict[str, str]) -> str | None:
    candidates = [raw.meta.get("headline"), fields.get("标题"), raw.meta.get("title")]
    candidates += [line.text for line in raw.lines[:8]]
    # A sentence that mentions the report ("现公布……年度报告。") is not its title.
    titles = [_clean_title(t) for t in candidates if t and any(w in t for w in _REPORT_WORDS)]
    titles = [t for t in titles if not _SENTENCE.search(t)]
    for text in titles:
        if _TITLE.search(text):
            return _whole_title(raw, text)
    return _whole_title(raw, titles[0]) if titles else None


def _whole_title(raw: RawDocument, title: str) -> str:
    # A title without its agency may have it on the line above ("淮安市人民政府" / "2024年…年度报告").
    if agency_and_year(title)[0] is None:
        return joined_title(raw.lines, title)
    return title


def _clean_title(text: str) -> str:
    text = text.strip()
    # "…年度报告-沭阳县发改局": the site's name after the title.
    if not text.endswith(_REPORT_WORDS):
        m = _SITE_SUFFIX.search(text)
        if m and any(text[: m.start()].endswith(w) for w in _REPORT_WORDS):
            text = text[: m.start()]
    # A flattened page may run the title straight into the body.
    for word in ("年度报告", "年报"):
        at = text.find(word)
        if at >= 0:
            return text[: at + len(word)].strip()
    return text


def publication_date(raw: RawDocument, fields: dict[str, str]) -> DatedText | None:
    """Explicit page metadata first, then a dated header line, and the URL's date last."""
    for key in _PUBLICATION_KEYS:
        value = raw.meta.get(key) or fields.get(key)
        if value:
            date = parse_date(value) or _first_date(value)
            if date:
                return DatedText(date, value.strip(), key, "page-meta")
    for line in raw.lines[:6]:
        # A dated header line ("2018-03-19 14:45 来源:…"), not a sentence about the period.
        if any(word in line.text for word in _NOT_PUBLICATION) or _PERIOD_WORDS.search(line.text):
            continue
        for match in find_dates(line.text):
            if match.label and any(word in match.label for word in _NOT_PUBLICATION):
                continue
            return DatedText(match.date, match.raw, match.label, "header")
    url = raw.meta.get("url") or fields.get("原文链接") or ""
    m = _URL_DATE.search(url)
    if m and m.group(3):
        try:
            return DatedText(dt.date(int(m.group(3)), int(m.group(4)), int(m.group(5))), url, "url", "url")
        except ValueError:
            return None
    return None


def _first_date(text: str) -> dt.date | None:
    found = find_dates(text)
    return found[0].date if found else None


def signature_date(raw: RawDocument) -> DatedText | None:
    """成文日期 from the page, else a date standing alone in the last lines (the signature block)."""
    if raw.meta.get("成文日期"):
        date = parse_date(raw.meta["成文日期"])
        if date:
            return DatedText(date, raw.meta["成文日期"], "成文日期", "page-meta")
    for line in reversed(raw.lines[-12:]):
        text = line.text.strip()
        if any(word in text for word in _NOT_PUBLICATION) or len(text) > 40 or _HEADER_FIELD.match(text):
            continue
        found = [d for d in find_dates(text) if d.label is None]
        if len(found) == 1:
            rest = (text[: found[0].start] + text[found[0].end:]).strip()
            # The date alone, or after the agency's name: "常德市XX局 2018年3月19日".
            if len(rest) <= 30 and not re.search(r"\d", rest):
                return DatedText(found[0].date, found[0].raw, None, "signature")
    return None


def statistical_period(text: str) -> tuple[dt.date, dt.date] | None:
    # Text laid out as printed wraps the sentence anywhere ("统计期限为 2025" / "年 1 月 1 日至 12 月 31 日").
    return find_period(text) or find_period(text.replace("\n", ""))


def infer_level(agency: str | None) -> str | None:
    if not agency:
        return None
    if agency.endswith(TOWNSHIP_SUFFIXES):
        return "township"
    if agency.endswith(GOVERNMENT_SUFFIXES):
        return "government"
    return "department"


def attachments(raw: RawDocument) -> list[Attachment]:
    found: dict[str, Attachment] = {}
    for text, href in raw.links:
        for candidate in (href, text):
            m = _ATTACHMENT.search(candidate or "")
            if m:
                name = text.strip() if _ATTACHMENT.search(text or "") else PurePosixPath(href).name
                found.setdefault(name, Attachment(name, href, PurePosixPath(m.group(1)).suffix.lower()))
                break
    for line in raw.lines:
        if "附件" not in line.text:
            continue
        tail = line.text[line.text.find("附件"):]
        for m in _ATTACHMENT.finditer(tail):
            name = m.group(1)
            found.setdefault(name, Attachment(name, None, PurePosixPath(name).suffix.lower()))
    return list(found.values())


def resolve_level(agency: str | None, config: Config) -> tuple[str | None, bool]:
    """(level, inferred): --level first, then the configured mapping, then the agency's name."""
    if config.level:
        return config.level, False
    configured = config.level_of(agency)
    if configured:
        return configured, False
    return infer_level(agency), True


_LEVEL_WORDS = {"部门": "department", "政府": "government", "人民政府": "government", "乡镇街道": "township",
                "乡镇": "township", "街道": "township", "department": "department", "government": "government",
                "township": "township"}


def declared_basics(meta: dict[str, str]) -> tuple[str | None, int | None, str | None]:
    """(agency, year, level) typed into a form's 基本信息 fields, when present."""
    agency = (meta.get("机关名称") or meta.get("agency") or "").strip() or None
    year_text = (meta.get("年度") or meta.get("year") or "").strip().removesuffix("年度").removesuffix("年")
    year = int(float(year_text)) if re.fullmatch(r"\d{4}(?:\.0)?", year_text) else None
    level = _LEVEL_WORDS.get((meta.get("机关层级") or meta.get("level") or "").strip())
    return agency, year, level
