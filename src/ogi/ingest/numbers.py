"""Numbers as reports write them: in running prose and in table cells.

Everything is matched on `normalize`d text, but every offset and `raw` string refers to the text the
caller passed in, so callers can quote and locate what they found.

Values are `Decimal`s: 万/亿 multipliers are applied exactly and stated precision ("94.80%") is kept.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

__all__ = [
    "NumberMatch",
    "ParsedCell",
    "chinese_numeral_to_int",
    "find_numbers",
    "normalize",
    "normalize_with_offsets",
    "parse_cell",
    "parse_number",
]

# --- normalisation ----------------------------------------------------------------------------------

_ZERO_WIDTH = (0x00AD, 0x200B, 0x200C, 0x200D, 0x2060, 0xFEFF)
_ODD_SPACES = (0x00A0, 0x3000, 0x202F, 0x205F, *range(0x2000, 0x200B))


def _translation_table() -> dict[int, str | None]:
    table: dict[int, str | None] = {}
    # Full-width digits and Latin letters map onto ASCII by a fixed offset.
    for lo, hi in ((0xFF10, 0xFF19), (0xFF21, 0xFF3A), (0xFF41, 0xFF5A)):
        for cp in range(lo, hi + 1):
            table[cp] = chr(cp - 0xFEE0)
    # Only the signs that belong to numbers; ，。、（） stay, they carry meaning in Chinese text.
    for ch in "％．＋－":
        table[ord(ch)] = chr(ord(ch) - 0xFEE0)
    table[0xFE6A] = "%"  # small form percent, seen in PDF text
    for cp in _ODD_SPACES:
        table[cp] = " "
    for cp in _ZERO_WIDTH:
        table[cp] = None
    return table


_TABLE = _translation_table()
_REMOVED = frozenset(_ZERO_WIDTH)
# str.translate looks up every character; most text needs no change, and a regex scan is far cheaper.
_NEEDS_TRANSLATION = re.compile("[" + "".join(re.escape(chr(cp)) for cp in sorted(_TABLE)) + "]")


def normalize(text: str) -> str:
    """Full-width digits, letters, ％．＋－ to ASCII; odd spaces to " "; zero-width characters removed.

    Every character maps to one character except zero-width ones, which are dropped, so the result
    is shorter only when the input held such characters (`normalize_with_offsets` maps back).
    """
    if _NEEDS_TRANSLATION.search(text) is None:
        return text
    return text.translate(_TABLE)


def normalize_with_offsets(text: str) -> tuple[str, list[int] | None]:
    """`normalize(text)` and, if characters were dropped, each kept character's offset in `text`.

    None means offsets are unchanged (the common case, kept cheap).
    """
    out = normalize(text)
    if len(out) == len(text):
        return out, None
    return out, [i for i, ch in enumerate(text) if ord(ch) not in _REMOVED]


def _span(offsets: list[int] | None, start: int, end: int) -> tuple[int, int]:
    """Map a non-empty [start, end) span of normalised text back to the original text."""
    if offsets is None:
        return start, end
    return offsets[start], offsets[end - 1] + 1


# --- Chinese numerals -------------------------------------------------------------------------------

_CN_ZEROS = "零〇○"
_CN_DIGITS: dict[str, int] = {
    "零": 0, "〇": 0, "○": 0,
    "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9,
    # Financial forms (大写), as in amounts written out on receipts.
    "壹": 1, "贰": 2, "貳": 2, "叁": 3, "參": 3, "肆": 4,
    "伍": 5, "陆": 6, "陸": 6, "柒": 7, "捌": 8, "玖": 9,
}
_CN_SMALL_UNITS: dict[str, int] = {"十": 10, "百": 100, "千": 1000, "拾": 10, "佰": 100, "仟": 1000}
_CN_BIG_UNITS: dict[str, int] = {"万": 10**4, "萬": 10**4, "亿": 10**8, "億": 10**8}
_CN_ALL = frozenset(_CN_DIGITS) | frozenset(_CN_SMALL_UNITS) | frozenset(_CN_BIG_UNITS)


def chinese_numeral_to_int(s: str) -> int | None:
    """The value of a Chinese numeral, or None: "二十五" → 25, "一百零三" → 103, "二〇一八" → 2018.

    Positional ("两千", "十二") and digit-by-digit ("二〇一八", as years are written) forms; financial
    forms (壹贰叁…拾佰仟) too. Colloquial abbreviations are read as meant ("一百五" → 150,
    "三万五" → 35000). A bare 百/千/万/亿 without a digit ("千家万户") is not a numeral.
    """
    s = s.strip()
    if not s or any(ch not in _CN_ALL for ch in s):
        return None
    if not any(ch in _CN_SMALL_UNITS or ch in _CN_BIG_UNITS for ch in s):
        if len(s) > 1 and "两" in s:  # 两 never appears in a digit-by-digit number
            return None
        value = 0
        for ch in s:
            value = value * 10 + _CN_DIGITS[ch]
        return value
    return _positional(s)


def _positional(s: str) -> int | None:
    total = 0  # everything above the current 万/亿 group
    section = 0  # the current group, below 万
    digit: int | None = None
    last_small = 10**4  # small units must descend within a group: 千 > 百 > 十
    last_unit = 0  # the unit right before a trailing digit, for "一百五" = 150
    wan_in_group = False  # 万 at most once between two 亿
    prev = ""  # kind of the previous character: digit | zero | small | big
    for ch in s:
        if ch in _CN_DIGITS and _CN_DIGITS[ch] == 0:
            if prev in ("", "digit", "zero"):
                return None
            prev = "zero"
            last_unit = 0
        elif ch in _CN_DIGITS:
            if prev == "digit":
                return None
            digit = _CN_DIGITS[ch]
            prev = "digit"
        elif ch in _CN_SMALL_UNITS:
            unit = _CN_SMALL_UNITS[ch]
            if digit is None:
                # "十二" and "一百十" drop the leading 一 before 十 only.
                if unit != 10:
                    return None
                digit = 1
            if unit >= last_small:
                return None
            section += digit * unit
            digit = None
            last_small = last_unit = unit
            prev = "small"
        else:
            unit = _CN_BIG_UNITS[ch]
            if digit is not None:
                section += digit
                digit = None
            if unit == 10**8:
                if section == 0 and not (prev == "big" and total > 0):  # "亿" alone; "万亿" is fine
                    return None
                total = (total + section) * unit
                wan_in_group = False
            else:
                if section == 0 or wan_in_group:
                    return None
                total += section * unit
                wan_in_group = True
            section = 0
            last_small = 10**4
            last_unit = unit
            prev = "big"
    if digit is not None:
        # A digit straight after 百/千/万/亿 is an abbreviation: "一百五" = 150, "三万五" = 35000.
        section += digit * (last_unit // 10 if last_unit >= 100 and prev == "digit" else 1)
    return total + section


# --- number matching --------------------------------------------------------------------------------

# Longest first, so "人次" wins over "人" and "个月" over "个".
_UNITS = (
    "个工作日", "个百分点", "百分点", "工作日", "个月", "人次", "件次", "小时", "分钟",
    "元", "次", "件", "条", "个", "份", "项", "人", "篇", "期", "场", "家", "名", "户", "页",
    "天", "日", "年", "月",
    "%", "‰",
)
_UNIT_ALT = "|".join(re.escape(u) for u in sorted(_UNITS, key=len, reverse=True))
_CN_CLASS = "零〇○两一二三四五六七八九十百千万亿"
# Thousands separators only with groups of exactly three digits; the number must not run on into
# ".digit" (a dotted date or version number is not a decimal).
_ARABIC = r"(?:[1-9]\d{0,2}(?:[,，]\d{3})+|\d+)(?:\.\d+)?(?!\.?\d)"


def _number_pattern(cn_unit_required: bool) -> str:
    cn_unit = f"(?P<cunit>{_UNIT_ALT})" + ("" if cn_unit_required else "?")
    return rf"""
    (?=[约近超百增减\-+−\d{_CN_CLASS}])  # cheap first-character filter; most positions fail here
    (?P<pre>约|近|超过)?
    (?:
        百分之(?P<pct>\d+(?:\.\d+)?(?!\.?\d)|[{_CN_CLASS}]+(?:点(?P<pctfrac>[零〇○一二三四五六七八九]+))?)
      |
        (?:(?<![0-9A-Za-z.])(?P<sign>[-+−])|(?P<sword>增加|减少|(?<![\u4e00-\u9fff])[增减]))?
        (?<![0-9A-Za-z])(?<!\d\.)
        (?P<num>{_ARABIC})
        (?:[ \t]*(?P<q1>多|余))?
        (?:[ \t]*(?P<mult>万|亿))?
        (?P<q2>多|余)?
        (?:[ \t]*(?P<unit>{_UNIT_ALT}))?
      |
        # Only from the start of a run of numerals: "三四个" is not "四个", and a long run costs O(n).
        (?<![{_CN_CLASS}])(?P<cn>[{_CN_CLASS}]+)(?P<cq>多|余)?{cn_unit}
    )
    (?P<post>以上|左右)?
    """


# re.ASCII: \d is 0-9 only (full-width digits are normalised first; other scripts' digits are not ours).
_FIND_RE = re.compile(_number_pattern(cn_unit_required=True), re.VERBOSE | re.ASCII)
_WHOLE_RE = re.compile(_number_pattern(cn_unit_required=False), re.VERBOSE | re.ASCII)

# Spans that hold digits but no quantity: full dates, clock times, phone numbers, links.
_MASK_RE = re.compile(
    r"""
    (?=[hw\d])
    (?:
    https?://\S+ | www\.\S+
  | (?<![\d.])\d{4}[-/.]\d{1,2}[-/.]\d{1,2}(?!\d)
  | (?<![\d:])\d{1,2}:\d{2}(?::\d{2})?(?![\d:])
  | (?<!\d)(?:0\d{2,3}-\d{7,8}(?:-\d{1,4})?|[48]00-?\d{3}-?\d{4}|1[3-9]\d{9})(?!\d)
    )
    """,
    re.VERBOSE | re.ASCII,
)
# What every masked span holds: a "-", "/", ".", ":" (links, dates, times, most phone numbers) or ten
# digits in a row (the other phone numbers). Prose rarely does, and this scan is far cheaper than the mask's.
_MASK_HINT = re.compile(r"[-/.:]|\d{10}", re.ASCII)


def _blank(m: re.Match[str]) -> str:
    return " " * len(m.group())


# Characters after which "1、" or "1." starts an enumerated item rather than stating a count.
_ITEM_START = frozenset("\n\r。；;：:！!？?")
# "统一个", "每一项": 一 as part of a word, not a count.
_ONE_IN_WORD = frozenset("统唯逐之同单划合专归均每其")
_MULTIPLIERS = {"万": 10**4, "亿": 10**8}
_POWERS = {1: 0, 10**4: 4, 10**8: 8}
_QUALIFIER_GROUPS = ("pre", "q1", "q2", "cq", "post")


@dataclass(frozen=True)
class NumberMatch:
    """One number found in text.

    `value` is the magnitude with any 万/亿 multiplier applied ("57.23万件" → 572300) and is never
    negative: `sign` carries the direction ("减4", "-8" → -1), so the signed value is `value * sign`.
    `unit` is the unit after the multiplier ("2万元" → "元"), `start`/`end`/`raw` refer to the
    caller's original text.
    """

    value: Decimal
    raw: str
    start: int
    end: int
    unit: str | None = None
    qualifier: str | None = None
    sign: int = 1
    multiplier: int = 1

    @property
    def approx(self) -> bool:
        """True when the number is qualified: "13万多", "约300", "100人以上"."""
        return self.qualifier is not None

    @property
    def signed_value(self) -> Decimal:
        return self.value.copy_negate() if self.sign < 0 and not self.value.is_zero() else self.value


def _shift(value: Decimal, power: int) -> Decimal:
    """value × 10**power exactly (no context rounding), without trailing fractional zeros.

    Integers come out without an exponent ("57.23" shifted by 4 is 572300, not 5.723E+5).
    """
    sign, digits, exponent = value.as_tuple()
    if not isinstance(exponent, int):  # NaN or infinity cannot come from the patterns
        return value
    if not any(digits):
        return Decimal(0)
    exponent += power
    kept = list(digits)
    while exponent < 0 and len(kept) > 1 and kept[-1] == 0:
        kept.pop()
        exponent += 1
    if exponent > 0:
        kept.extend([0] * exponent)
        exponent = 0
    return Decimal((sign, tuple(kept), exponent))


def _decimal(digits: str, multiplier: int) -> Decimal:
    """A matched number ("1,234.5") times its 万/亿 multiplier; without one, the stated precision stays."""
    value = Decimal(digits.replace(",", "").replace("，", ""))
    return _shift(value, _POWERS[multiplier]) if multiplier != 1 else value


def _prev_char(text: str, index: int) -> str:
    """The nearest character before `index` that is not a space or tab ("" at the start)."""
    i = index - 1
    while i >= 0 and text[i] in " \t":
        i -= 1
    return text[i] if i >= 0 else ""


def _cn_fraction(digits: str) -> str:
    return "".join(str(_CN_DIGITS[ch]) for ch in digits)


def _interpret(m: re.Match[str]) -> tuple[Decimal, str | None, int, int] | None:
    """(magnitude, unit, sign, multiplier) for a match of the number pattern, or None if not a number."""
    if m.group("pct") is not None:
        pct = m.group("pct")
        if pct[0].isdigit():
            return Decimal(pct), "%", 1, 1
        whole = pct.split("点", 1)[0]
        n = 100 if whole == "百" else chinese_numeral_to_int(whole)
        if n is None:
            return None
        frac = m.group("pctfrac")
        return (Decimal(f"{n}.{_cn_fraction(frac)}") if frac else Decimal(n)), "%", 1, 1
    num, mult_word, sign, sword, unit = m.group("num", "mult", "sign", "sword", "unit")
    if num is not None:
        mult = _MULTIPLIERS.get(mult_word or "", 1)
        value = _decimal(num, mult)
        negative = sign in ("-", "−") or sword in ("减", "减少")
        return value, unit, -1 if negative else 1, mult
    cn = m.group("cn")
    n = chinese_numeral_to_int(cn)
    if n is None:
        return None
    mult = 10**8 if cn[-1] == "亿" else 10**4 if cn[-1] == "万" else 1
    return Decimal(n), m.group("cunit"), 1, mult


def _qualifier(m: re.Match[str]) -> str | None:
    """The first qualifier group that matched something (the groups fetched in one call)."""
    return next(filter(None, m.group(*_QUALIFIER_GROUPS)), None)


def _is_quantity(work: str, m: re.Match[str]) -> bool:
    """Reject ordinals ("第三条", "第3季度"), list markers ("1、", "（2）") and numerals inside words."""
    start = m.start()
    prev = _prev_char(work, start)
    if prev == "第" and not m.group("pre"):
        return False
    if m.group("num") is not None:
        if any(m.group("sign", "sword", "unit", "mult")):
            return True
        if _qualifier(m):
            return True
        nxt = work[m.end(): m.end() + 1]
        if nxt in ("、", "."):
            return prev != "" and prev not in _ITEM_START
        return not (nxt in (")", "）") and prev in ("(", "（"))
    cn = m.group("cn")
    if cn is None:
        return True
    if cn[0] in _CN_ZEROS:  # "零件" is a part, not zero items
        return False
    if not any(ch in "十百千万亿" for ch in cn) and len(cn) > 1 and m.group("cunit") != "年":
        return False  # digit-by-digit numerals only write years ("二〇一八年")
    if cn == "一" and prev in _ONE_IN_WORD:
        return False
    # "一次性", "一条龙": idioms, not counts.
    return not (cn == "一" and work[m.end(): m.end() + 1] in ("性", "龙"))


def _to_match(m: re.Match[str], text: str, offsets: list[int] | None) -> NumberMatch | None:
    parsed = _interpret(m)
    if parsed is None:
        return None
    value, unit, sign, mult = parsed
    start, end = _span(offsets, m.start(), m.end())
    # Built from its field dict (in field order, as its __init__ would), without the frozen
    # dataclass's eight object.__setattr__ calls: prose holds many numbers.
    out = _new(NumberMatch)
    _set_attr(out, "__dict__", {"value": value, "raw": text[start:end], "start": start, "end": end, "unit": unit,
                                "qualifier": _qualifier(m), "sign": sign, "multiplier": mult})
    return out


_new = object.__new__
_set_attr = object.__setattr__


def _unit_of(m: re.Match[str]) -> str | None:
    """The unit `_interpret` gives a match of the number pattern, read without interpreting it."""
    if m.group("pct") is not None:
        return "%"
    return m.group("unit") if m.group("num") is not None else m.group("cunit")


def find_numbers(text: str, units: frozenset[str | None] | None = None) -> list[NumberMatch]:
    """Every quantity in running text, left to right (only those with a unit in `units`, if given).

    Arabic numbers (with 万/亿, thousands separators, decimals, signs, qualifiers and a unit when one
    follows) and Chinese numerals followed by a counting unit ("两件", "十二条", "二〇一八年").
    Ordinals, list markers, full dates, clock times, phone numbers and links yield nothing; years,
    months and days come back with unit 年/月/日 so callers can drop them.
    """
    norm, offsets = normalize_with_offsets(text)
    # Masking keeps lengths, so offsets into `work` are offsets into `norm`.
    work = _MASK_RE.sub(_blank, norm) if _MASK_HINT.search(norm) else norm
    found: list[NumberMatch] = []
    for m in _FIND_RE.finditer(work):
        # Filtering on the unit first spares interpreting the years and dates callers would drop.
        if units is not None and _unit_of(m) not in units:
            continue
        if not _is_quantity(work, m):
            continue
        match = _to_match(m, text, offsets)
        if match is not None:
            found.append(match)
    return found


def parse_number(text: str) -> NumberMatch | None:
    """The whole of `text` (surrounding whitespace aside) as one number, or None.

    Accepts everything `find_numbers` does plus bare Chinese numerals ("二十五", "二〇一八").
    """
    norm, offsets = normalize_with_offsets(text)
    lo = len(norm) - len(norm.lstrip())
    hi = len(norm.rstrip())
    if lo >= hi:
        return None
    m = _WHOLE_RE.fullmatch(norm, lo, hi)
    if m is None:
        return None
    return _to_match(m, text, offsets)


# --- table cells ------------------------------------------------------------------------------------

_PLACEHOLDER_MARKS = re.compile(r"[-—–―‐‑‒/\\／＼_·.…~～*×\s]+")
_PLACEHOLDER_WORDS = frozenset(
    {"无", "暂无", "没有", "空", "不适用", "不涉及", "未涉及", "未发生", "n/a", "na", "null", "none"}
)
_CELL_NUMBER = r"(?P<num>(?:\d{1,3}(?:[,，]\d{3})+|\d+)(?:\.\d+)?)"
_CELL_PLAIN_RE = re.compile(rf"(?P<sign>[-+−])?[ \t]*{_CELL_NUMBER}", re.ASCII)
_CELL_ANNOTATED_RE = re.compile(
    rf"""
    (?P<pre>减少|增加|减|增|约|近|超过)?[ \t]*
    (?P<sign>[-+−])?[ \t]*
    {_CELL_NUMBER}
    (?P<tail>
        (?:[ \t]*(?P<q1>多|余))?
        (?:[ \t]*(?P<mult>万|亿))?
        (?P<q2>多|余)?
        (?:[ \t]*(?P<unit>{_UNIT_ALT}))?
        # A bracketed remark, or words without another number; not the rest of a date, range or
        # ratio ("2018-03-19", "5/8", "3:1").
        (?:[ \t]*(?:[（(\[【〔].*|[^\d.,，\s\-+−/:：（(\[【〔]\D*))?
    )
    """,
    re.VERBOSE | re.DOTALL | re.ASCII,
)


@dataclass(frozen=True)
class ParsedCell:
    """A table cell classified.

    kind: "number" (a plain number), "blank", "placeholder" ("/", "—", "无"; value None),
    "annotated" (a number plus something else: `annotation` is that something, e.g. "减", "元",
    "（其中修订16件）"), or "text" (no number could be taken from it).
    """

    raw: str
    kind: str
    value: Decimal | None = None
    unit: str | None = None
    annotation: str | None = None


def _is_placeholder(t: str) -> bool:
    if _PLACEHOLDER_MARKS.fullmatch(t):
        return True
    return t.rstrip("。.").lower() in _PLACEHOLDER_WORDS


def _negated(value: Decimal, negative: bool) -> Decimal:
    return value.copy_negate() if negative and not value.is_zero() else value


def parse_cell(raw: str, *, signed: bool = False, decimal_ok: bool = True) -> ParsedCell:
    """Classify a table cell and take its number.

    `signed`: the column holds signed changes (2019 本年增/减), so "+19" is a plain number; elsewhere
    an explicit "+" is an annotation. A negative number ("-8") is always kept as a plain number so a
    value rule can report it; a lone "-" is a placeholder. `decimal_ok=False` (count columns) reads
    "12.0" as 12; a true fraction ("12.5") stays a number for the value rule to report.
    """
    t = normalize(raw).strip()
    if not t:
        return ParsedCell(raw, "blank")
    if _is_placeholder(t):
        return ParsedCell(raw, "placeholder")

    m = _CELL_PLAIN_RE.fullmatch(t)
    if m is not None:
        num = m.group("num")
        value = _negated(_decimal(num, 1), m.group("sign") in ("-", "−"))
        if not decimal_ok and "." in num:
            # "12.0" in a count column is an export artefact: read it as 12. A true fraction is kept
            # as written, so the value rule can say it is not a whole number.
            trimmed = _shift(value, 0)
            if trimmed.as_tuple().exponent == 0:
                value = trimmed
        if m.group("sign") == "+" and not signed:
            return ParsedCell(raw, "annotated", value, None, "+")
        return ParsedCell(raw, "number", value)

    m = _CELL_ANNOTATED_RE.fullmatch(t)
    if m is not None:
        mult = _MULTIPLIERS.get(m.group("mult") or "", 1)
        value = _decimal(m.group("num"), mult)
        negative = m.group("sign") in ("-", "−") or m.group("pre") in ("减", "减少")
        plus = "+" if m.group("sign") == "+" and not signed else ""
        annotation = ((m.group("pre") or "") + plus + m.group("tail").strip()).strip()
        if annotation:
            return ParsedCell(raw, "annotated", _negated(value, negative), m.group("unit"), annotation)
        return ParsedCell(raw, "number", _negated(value, negative))

    whole = parse_number(t)
    if whole is not None:
        return ParsedCell(raw, "annotated", whole.signed_value, whole.unit, t)
    numbers = find_numbers(t)
    if len(numbers) == 1:
        return ParsedCell(raw, "annotated", numbers[0].signed_value, numbers[0].unit, t)
    return ParsedCell(raw, "text")
