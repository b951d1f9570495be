"""Tell what a file is from its bytes (never its name), and decode text robustly.

Published reports arrive misnamed (a .html that is a PDF, a .doc that is HTML), in UTF-8, GBK or
GB18030 with a missing or lying `<meta charset>`, and sometimes double-encoded. Everything here
is cheap: it looks at the first few KB, except when a JSON/YAML candidate has to be parsed.
"""

from __future__ import annotations

import codecs
import itertools
import json
import re
import zipfile
from io import BytesIO
from pathlib import PurePosixPath

from ogi.model import ReadNote

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ZIP_MAGICS = (b"PK\x03\x04", b"PK\x05\x06", b"PK\x07\x08")
# Formats that are certainly not text, whatever their control-byte ratio.
_BINARY_MAGICS = (
    b"\x89PNG",
    b"\xff\xd8\xff",
    b"GIF8",
    b"BM",
    b"II*\x00",
    b"MM\x00*",
    b"7z\xbc\xaf",
    b"Rar!",
    b"\x1f\x8b",
    b"MZ",
    b"\x7fELF",
)
# Longest BOM first: the UTF-32 LE BOM starts with the UTF-16 LE one.
_BOMS: tuple[tuple[bytes, str, str], ...] = (
    (b"\xef\xbb\xbf", "utf-8", "utf-8"),
    (b"\xff\xfe\x00\x00", "utf-32-le", "utf-32-le"),
    (b"\x00\x00\xfe\xff", "utf-32-be", "utf-32-be"),
    (b"\xff\xfe", "utf-16-le", "utf-16-le"),
    (b"\xfe\xff", "utf-16-be", "utf-16-be"),
)
_SAMPLE = 8192
_HTML_START = re.compile(
    r"<(?:!doctype\s+html|html|head|meta|body|div|p|table|title|span|font|br|h[1-6]|style|script|center)[\s>/]"
)
_HTML_TAG = re.compile(r"<(?:p|div|table|tr|td|br|span|font)[\s>/]")
_LEADING_COMMENT = re.compile(r"^(?:<\?xml[^>]*>\s*|<!--.*?-->\s*)+", re.S)
_CONTROL = frozenset(range(0x20)) - {0x09, 0x0A, 0x0C, 0x0D, 0x1B}
_CONTROL_BYTES = bytes(sorted(_CONTROL))

# Charset labels that Python does not know by these names.
_CHARSET_ALIASES = {
    "x-gbk": "gbk",
    "gb_2312-80": "gb2312",
    "csgb2312": "gb2312",
    "x-euc-cn": "gb2312",
    "x-cp936": "gbk",
    "unicode": "utf-16",
    "x-sjis": "shift_jis",
}
_GB_FAMILY = frozenset({"gb2312", "gbk", "gb18030", "hz"})
_UTF8_FAMILY = frozenset({"utf-8", "utf-8-sig"})
# Multi-byte CJK charsets other than GB: honoured before GB18030 when declared, because their
# bytes often happen to be valid GB18030 too, and a non-default declaration is rarely a lie.
# Single-byte charsets (latin-1...) decode anything, so a declaration of one proves nothing.
_OTHER_CJK = frozenset({"big5", "big5hkscs", "shift_jis", "cp932", "euc_jp", "euc_kr", "cp949"})

# UTF-8 Chinese decoded as GBK: lead bytes E4–E9 followed by a continuation byte give these
# characters, which are rare in genuine text ("锛" from "，", "銆" from "。", "鐨" from "的").
_MOJIBAKE_GBK = re.compile("[锛銆鍏寮鏀涓鍔淇瀹鍙骞缁鏈浜鏂鐨宸璇鍦鐩缃鎶鍘閾]")
# UTF-8 decoded as Latin-1/CP1252: "ä¸­" for "中", "Ã¤" for "ä".
_MOJIBAKE_LATIN = re.compile(
    "[\u00c2-\u00ef][\u0080-\u00bf\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u0192\u02c6\u02dc\u2013-\u2122]"
)
_MOJIBAKE_SAMPLE = 40_000
# A foreign run in UTF-8 text: from the first undecodable byte (escaped as a lone surrogate) to the
# next ASCII character.
_FOREIGN_RUN = re.compile("[\udc80-\udcff][^\x00-\x7f]*")
_NOT_LATIN_LEAD = bytes(b for b in range(256) if not 0xC2 <= b <= 0xEF)
_ASCII_BYTES = bytes(range(0x80))
_CJK = re.compile("[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")

# What each file-name extension promises.
_EXPECTED_KINDS: dict[str, frozenset[str]] = {
    **dict.fromkeys(
        (".html", ".htm", ".shtml", ".xhtml", ".jsp", ".asp", ".aspx", ".php"), frozenset({"html"})
    ),
    ".pdf": frozenset({"pdf"}),
    ".docx": frozenset({"docx"}),
    ".docm": frozenset({"docx"}),
    ".xlsx": frozenset({"xlsx"}),
    ".xlsm": frozenset({"xlsx"}),
    ".doc": frozenset({"ole"}),
    ".wps": frozenset({"ole"}),
    ".xls": frozenset({"ole"}),
    ".et": frozenset({"ole"}),
    ".txt": frozenset({"text"}),
    ".md": frozenset({"text"}),
    ".markdown": frozenset({"text"}),
    ".json": frozenset({"json"}),
    ".yaml": frozenset({"yaml", "text"}),
    ".yml": frozenset({"yaml", "text"}),
}
_MARKDOWN_NAMES = (".md", ".markdown")
_KIND_ZH = {
    "pdf": "PDF 文件",
    "docx": "Word（.docx）文件",
    "xlsx": "Excel（.xlsx）文件",
    "ole": "旧版二进制 Office 文件（.doc/.xls/.wps/.et）",
    "zip-other": "ZIP 压缩包",
    "html": "网页（HTML）",
    "json": "JSON 数据",
    "yaml": "YAML 数据",
    "text": "纯文本",
    "binary": "二进制数据",
    "rtf": "RTF 文档",
    "empty": "空文件",
}


def detect_kind(data: bytes, name: str) -> str:
    """Classify `data` by content.

    One of: pdf, docx, xlsx, zip-other, ole, rtf, html, json, yaml, text, binary, empty.

    `name` is only consulted to decide whether a mapping-shaped text file should be tried as YAML.
    """
    if not data.strip(b" \t\r\n\x0b\x0c\x00") or any(data == bom for bom, _, _ in _BOMS):
        return "empty"
    head = data[:1024]
    pdf_at = head.find(b"%PDF-")
    # The PDF header may legally follow some junk, but not markup.
    if pdf_at == 0 or (pdf_at > 0 and b"<" not in head[:pdf_at]):
        return "pdf"
    if data.startswith(OLE_MAGIC):
        return "ole"
    if data.startswith(_ZIP_MAGICS):
        return _zip_kind(data)
    if data.startswith(b"{\\rtf"):
        return "rtf"
    if data.startswith(_BINARY_MAGICS) and not _looks_textual(data[:_SAMPLE]):
        return "binary"
    sample = _sample_text(data)
    if sample is None:
        return "binary"
    # Only the start is searched: lowering all 8 KB of Chinese text costs more than the searches.
    stripped = _LEADING_COMMENT.sub("", sample.lstrip("\ufeff \t\r\n"))[:4096].lower()
    if stripped.startswith("<") and _HTML_START.search(stripped):
        return "html"
    # Markdown may hold a few tags (a converter writes "<br>" for a line break inside a table cell).
    if len(_HTML_TAG.findall(stripped)) >= 3 and not name.lower().endswith(_MARKDOWN_NAMES):
        return "html"
    if stripped.startswith(("{", "[")) and _parses_as_json(data):
        return "json"
    if name.lower().endswith((".yaml", ".yml")) and _parses_as_yaml_mapping(data):
        return "yaml"
    return "text"


def decode_text(data: bytes, declared: str | None = None) -> tuple[str, str, list[ReadNote]]:
    """Decode bytes to text: BOM, strict UTF-8, GB18030, charset-normalizer's guess, then replacement.

    Returns (text, encoding name, notes). A `declared` charset (from `<meta charset>`) that disagrees
    with what actually decodes gives an "encoding-mismatch" note; double encoding gives "mojibake".
    """
    notes: list[ReadNote] = []
    decl = canonical_charset(declared)
    text, enc = _decode(data, decl, notes)
    if decl and not _same_family(decl, enc):
        notes.append(
            ReadNote(
                code="encoding-mismatch",
                detail=f"网页声明的字符编码为 {declared}，但内容实际为 {enc} 编码",
                detail_en=f"the page declares charset {declared} but its content is {enc}",
                data=(("declared", str(declared)), ("actual", enc)),
            )
        )
    mojibake = mojibake_kind(text)
    if mojibake:
        notes.append(
            ReadNote(
                code="mojibake",
                detail=f"文本疑似经过重复编码而成为乱码（{mojibake}），文字可能无法正确识别",
                detail_en=f"the text looks double-encoded ({mojibake}); words may not be recognised",
                data=(("pattern", mojibake),),
            )
        )
    return text, enc, notes


def canonical_charset(label: str | None) -> str | None:
    """Normalise a charset label ("GB2312", "utf8", "x-gbk") to Python's codec name; None if unknown."""
    if not label:
        return None
    key = label.strip().strip("\"'").lower()
    key = _CHARSET_ALIASES.get(key, key)
    try:
        return codecs.lookup(key).name
    except LookupError:
        return None


def mojibake_kind(text: str) -> str | None:
    """Name the double-encoding pattern the text shows ("utf-8→gbk" / "utf-8→latin-1"), if any."""
    # Double encoding affects a whole file, so a large sample is as good as all of it.
    text = text[:_MOJIBAKE_SAMPLE]
    # Every character counted below is non-ASCII, and a page is mostly ASCII markup: count them in the
    # non-ASCII characters alone (a regex costs per character scanned; dropping ASCII bytes is C-fast).
    wide = _non_ascii(text)
    hits = len(_MOJIBAKE_GBK.findall(wide))
    if hits >= 5 and hits >= 0.05 * len(_CJK.findall(wide)):
        return "utf-8→gbk"
    # Every match starts with U+00C2–U+00EF: text without one (most Chinese pages) has none.
    if not wide.encode("latin-1", "ignore").translate(None, delete=_NOT_LATIN_LEAD):
        return None
    latin = len(_MOJIBAKE_LATIN.findall(text))  # a two-character pattern: searched in the text itself
    if latin >= 3 and latin > len(_CJK.findall(wide)):
        return "utf-8→latin-1"
    return None


def _non_ascii(text: str) -> str:
    """The text's non-ASCII characters, in order (UTF-8 never uses ASCII bytes inside a multi-byte character)."""
    if text.isascii():
        return ""
    return text.encode("utf-8", "surrogatepass").translate(None, delete=_ASCII_BYTES).decode("utf-8", "surrogatepass")


def kind_mismatch_note(kind: str, name: str) -> ReadNote | None:
    """A note when the file name's extension promises another kind than the content is."""
    ext = PurePosixPath(name.replace("\\", "/")).suffix.lower()
    expected = _EXPECTED_KINDS.get(ext)
    if expected is None or kind in expected or kind == "empty":
        return None
    actual_zh = _KIND_ZH.get(kind, kind)
    return ReadNote(
        code="kind-mismatch",
        detail=f"文件名为 {ext}，但内容实际是{actual_zh}",
        detail_en=f"the file is named {ext} but its content is {kind}",
        data=(("extension", ext), ("kind", kind)),
    )


def _zip_kind(data: bytes) -> str:
    try:
        with zipfile.ZipFile(BytesIO(data)) as zf:
            names = set(zf.namelist())
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        # Truncated zip: the central directory is gone, but local headers still name the parts, so
        # the reader can report "damaged DOCX" rather than "unknown file".
        names = set()
        if b"word/document.xml" in data:
            names.add("word/document.xml")
        if b"xl/workbook.xml" in data or b"xl/worksheets/" in data:  # the workbook part may come last
            names.add("xl/workbook.xml")
    if "word/document.xml" in names:
        return "docx"
    if "xl/workbook.xml" in names:
        return "xlsx"
    return "zip-other"


def _looks_textual(sample: bytes) -> bool:
    if b"\x00" in sample:
        return False
    controls = len(sample) - len(sample.translate(None, delete=_CONTROL_BYTES))  # C-fast count
    return controls <= 0.05 * max(len(sample), 1)


def _utf16_without_bom(sample: bytes) -> str | None:
    """UTF-16 text without a BOM shows NULs in every other byte (for ASCII-range characters)."""
    if len(sample) < 4:
        return None
    even = sample[0::2].count(0)
    odd = sample[1::2].count(0)
    half = len(sample) / 2
    if odd > 0.3 * half and even < 0.05 * half:
        enc = "utf-16-le"
    elif even > 0.3 * half and odd < 0.05 * half:
        enc = "utf-16-be"
    else:
        return None
    # Binary records also have NULs in every other byte: the decoded text must be printable.
    text = sample[: len(sample) // 2 * 2].decode(enc, errors="replace")
    bad = sum(1 for ch in text if (ch < " " and ch not in "\t\n\r\f") or ch == "\ufffd")
    return enc if bad <= 0.05 * max(len(text), 1) else None


def _sample_text(data: bytes) -> str | None:
    """The first KB as text, or None when the bytes are not text at all."""
    raw = data[:_SAMPLE]
    for bom, enc, _ in _BOMS:
        if raw.startswith(bom):
            return raw[len(bom) :].decode(enc, errors="replace")
    utf16 = _utf16_without_bom(raw)
    if utf16:
        return raw.decode(utf16, errors="replace")
    if not _looks_textual(raw):
        return None
    # Cut at the sample edge may split a character: ignore only errors in the last 3 bytes.
    for enc in ("utf-8", "gb18030"):
        try:
            return raw.decode(enc)
        except UnicodeDecodeError as exc:
            if exc.start >= len(raw) - 3 and len(raw) == _SAMPLE:
                return raw[: exc.start].decode(enc, errors="replace")
    text = raw.decode("gb18030", errors="replace")
    # Bytes that fit no Chinese encoding nor UTF-8 in bulk are binary.
    if text.count("\ufffd") > 0.2 * max(len(text), 1):
        return None
    return text


def _parses_as_json(data: bytes) -> bool:
    try:
        text, _, _ = decode_text(data)
        json.loads(text)
    except (ValueError, RecursionError):
        return False
    return True


def _parses_as_yaml_mapping(data: bytes) -> bool:
    if len(data) > 5 * 1024 * 1024:
        return False
    try:
        import yaml

        text, _, _ = decode_text(data)
        return isinstance(yaml.safe_load(text), dict)
    except Exception:  # any parse failure simply means "not YAML"
        return False


def _decode(data: bytes, decl: str | None, notes: list[ReadNote]) -> tuple[str, str]:
    for bom, enc, name in _BOMS:
        if data.startswith(bom):
            try:
                return data[len(bom) :].decode(enc), name
            except UnicodeDecodeError:
                data = data[len(bom) :]  # a lying BOM: decode the rest on its merits
                break
    utf16 = _utf16_without_bom(data[:_SAMPLE])
    if utf16:
        try:
            return data.decode(utf16), utf16
        except UnicodeDecodeError:
            pass
    if data.isascii():
        # Pure ASCII is valid in every charset a page may declare: agree with the declaration.
        return data.decode("ascii"), decl if decl and decl not in ("utf-16", "utf-32") else "ascii"
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    mixed = _mostly_utf8(data)
    if mixed is not None:
        text, bad_runs = mixed
        notes.append(
            ReadNote(
                code="mixed-encoding",
                detail=f"文本以 UTF-8 为主，但夹杂 {bad_runs} 处其他编码（按 GBK/GB18030 读取）的内容",
                detail_en=f"the text is UTF-8 but has {bad_runs} run(s) in another encoding "
                "(read as GBK/GB18030)",
                data=(("runs", str(bad_runs)),),
            )
        )
        return text, "utf-8"
    if decl in _OTHER_CJK:
        try:
            return data.decode(decl), decl
        except UnicodeDecodeError:
            pass
    try:
        return data.decode("gb18030"), "gb18030"
    except UnicodeDecodeError:
        pass
    guess = _charset_normalizer_guess(data)
    if guess is not None:
        text, enc = guess
        notes.append(
            ReadNote(
                code="encoding-guessed",
                detail=f"文本既不是 UTF-8 也不是 GBK/GB18030，按推测的 {enc} 编码读取",
                detail_en=f"the text is neither UTF-8 nor GBK/GB18030; read as the guessed encoding {enc}",
                data=(("encoding", enc),),
            )
        )
        return text, enc
    utf8 = data.decode("utf-8", errors="replace")
    gb = data.decode("gb18030", errors="replace")
    text, enc = (utf8, "utf-8") if utf8.count("\ufffd") <= gb.count("\ufffd") else (gb, "gb18030")
    notes.append(
        ReadNote(
            code="encoding-unknown",
            detail=f"无法确定文本的字符编码，按 {enc} 读取，部分字符已替换为“\ufffd”",
            detail_en=f"the character encoding could not be determined; read as {enc} with "
            "undecodable bytes replaced",
            data=(("encoding", enc), ("replaced", str(text.count("\ufffd")))),
        )
    )
    return text, enc


def _mostly_utf8(data: bytes) -> tuple[str, int] | None:
    """UTF-8 with a few foreign runs (a GBK footer pasted into a UTF-8 page): decode the runs as GB18030.

    Checked before GB18030 because UTF-8 Chinese often decodes "cleanly" as GB18030 mojibake.
    """
    # A GBK file has more than 50 runs in its first few KB: seen there, the whole need not be decoded
    # (escaping costs per byte). Runs end at ASCII bytes, so a prefix cut at one holds whole runs.
    cut = data.find(b"<", _SAMPLE)
    if cut > 0 and _foreign_runs(data[:cut], 51) > 50:
        return None
    # Undecodable bytes become lone surrogates (U+DC80–U+DCFF) and the text is cut around them, so
    # the file is decoded once rather than once per run.
    text = data.decode("utf-8", "surrogateescape")
    out: list[str] = []
    runs = 0
    wide = 0
    last = 0
    for run in _FOREIGN_RUN.finditer(text):
        good = text[last : run.start()]
        out.append(good)
        wide += len(good) - len(good.encode("ascii", "ignore"))
        out.append(run.group().encode("utf-8", "surrogateescape").decode("gb18030", errors="replace"))
        runs += 1
        last = run.end()
        if runs > 50:
            return None
    rest = text[last:]
    out.append(rest)
    wide += len(rest) - len(rest.encode("ascii", "ignore"))
    if not runs or wide < 20 or runs > 0.02 * wide:
        return None
    return "".join(out), runs


def _foreign_runs(data: bytes, most: int) -> int:
    """How many foreign runs `data` has, counting up to `most`."""
    runs = _FOREIGN_RUN.finditer(data.decode("utf-8", "surrogateescape"))
    return sum(1 for _ in itertools.islice(runs, most))


def _charset_normalizer_guess(data: bytes) -> tuple[str, str] | None:
    try:
        from charset_normalizer import from_bytes

        best = from_bytes(data[: 256 * 1024]).best()
        if best is None or not best.encoding:
            return None
        enc = codecs.lookup(best.encoding).name
        return data.decode(enc), enc
    except (LookupError, UnicodeDecodeError, ValueError):
        return None


def _same_family(declared: str, actual: str) -> bool:
    if actual == "ascii" or declared == actual:
        return True
    if declared in _GB_FAMILY and actual in _GB_FAMILY:
        return True
    if declared in _UTF8_FAMILY and actual in _UTF8_FAMILY:
        return True
    # "utf-16" declared for a file we read as utf-16-le/be.
    return actual.startswith(declared)
