"""Guards for zip-based Office files (DOCX/XLSX), run before any Office library touches them.

A zip is checked from its central directory (declared sizes; `zipfile` never inflates a member
past its declared size, so a lying header cannot blow memory later), then every XML part is
scanned for DOCTYPE/ENTITY declarations, which genuine Office files never contain.
"""

from __future__ import annotations

import io
import zipfile
import zlib

from ogi.ingest.errors import UnreadableFile

MAX_TOTAL_BYTES = 200 * 1024 * 1024
MAX_RATIO = 100
RATIO_MIN_BYTES = 1024 * 1024
MAX_MEMBERS = 10_000
# XML parts up to this size are inflated whole (and kept for the reader); larger ones are scanned in chunks.
KEEP_BYTES = 32 * 1024 * 1024
_CHUNK = 1024 * 1024

# DOCTYPE/ENTITY in the encodings an XML part may use (UTF-8 and UTF-16 without or with BOM).
_PATTERNS: tuple[bytes, ...] = tuple(
    word.encode(enc) for word in ("<!DOCTYPE", "<!ENTITY") for enc in ("ascii", "utf-16-le", "utf-16-be")
)
_OVERLAP = max(len(p) for p in _PATTERNS)


def open_checked_zip(
    data: bytes,
    *,
    max_total: int = MAX_TOTAL_BYTES,
    max_ratio: int = MAX_RATIO,
    ratio_min: int = RATIO_MIN_BYTES,
) -> zipfile.ZipFile:
    """Open `data` as a zip after checking sizes, ratios and XML parts; raise UnreadableFile otherwise."""
    return checked_zip(data, max_total=max_total, max_ratio=max_ratio, ratio_min=ratio_min)[0]


def checked_zip(
    data: bytes,
    *,
    max_total: int = MAX_TOTAL_BYTES,
    max_ratio: int = MAX_RATIO,
    ratio_min: int = RATIO_MIN_BYTES,
) -> tuple[zipfile.ZipFile, dict[str, bytes]]:
    """`open_checked_zip`, and the XML parts it inflated to scan them (up to KEEP_BYTES each), by name: a
    reader parses those instead of inflating them a second time."""
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
        infos = zf.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError) as exc:
        raise UnreadableFile(
            "文件已损坏或不完整（ZIP 结构无法读取），请重新导出或重新上传",
            f"the file is damaged or truncated (its zip structure cannot be read): {exc}",
            code="corrupt-zip",
        ) from exc
    if len(infos) > MAX_MEMBERS:
        zf.close()
        raise UnreadableFile(
            f"文件包含的部件过多（{len(infos)} 个），疑为恶意构造",
            f"the file has too many parts ({len(infos)}); it looks hostile",
            code="zip-bomb",
        )
    total = 0
    for info in infos:
        total += info.file_size
        ratio = info.file_size / max(info.compress_size, 1)
        if info.file_size > ratio_min and ratio > max_ratio:
            zf.close()
            raise UnreadableFile(
                f"文件部件 {info.filename} 的压缩比异常（{ratio:.0f}:1），疑为“压缩炸弹”，拒绝读取",
                f"part {info.filename} has an abnormal compression ratio ({ratio:.0f}:1); "
                "refusing a likely zip bomb",
                code="zip-bomb",
            )
    if total > max_total:
        zf.close()
        raise UnreadableFile(
            f"文件解压后过大（{total // (1024 * 1024)} MB，上限 {max_total // (1024 * 1024)} MB）",
            f"the file would inflate to {total // (1024 * 1024)} MB "
            f"(limit {max_total // (1024 * 1024)} MB)",
            code="zip-bomb",
        )
    parts: dict[str, bytes] = {}
    try:
        for info in infos:
            if not _is_xml_part(info.filename):
                continue
            if info.file_size <= KEEP_BYTES:
                # Read up to the declared size, never more: read() would inflate a lying header's whole member
                # before cutting it; read(n) stops at n, and then fails the CRC check.
                with zf.open(info) as handle:
                    part = parts[info.filename] = handle.read(max(info.file_size, 1))
                # Both words start with "<!", whose "!" is one 0x21 byte in every encoding: most parts have none.
                found = b"!" in part and any(p in part for p in _PATTERNS)
            else:
                found = _has_declarations(zf, info)
            if found:
                raise UnreadableFile(
                    f"文件部件 {info.filename} 含有 DOCTYPE/ENTITY 声明"
                    "（正常的 Office 文件不会有），拒绝读取",
                    f"part {info.filename} declares a DOCTYPE/ENTITY, which genuine Office files never do; "
                    "refusing it",
                    code="xml-entities",
                )
    except UnreadableFile:
        zf.close()
        raise
    except (zipfile.BadZipFile, zlib.error, OSError, EOFError, RuntimeError, NotImplementedError, ValueError) as exc:
        # CRC errors, corrupt deflate data, truncated members, encrypted members, unsupported compression.
        zf.close()
        raise UnreadableFile(
            "文件已损坏或不完整（部件解压失败），请重新导出或重新上传",
            f"the file is damaged or truncated (a part fails to decompress): {exc}",
            code="corrupt-zip",
        ) from exc
    return zf, parts


def _is_xml_part(name: str) -> bool:
    lower = name.lower()
    return lower.endswith((".xml", ".rels", ".vml"))


def _has_declarations(zf: zipfile.ZipFile, info: zipfile.ZipInfo) -> bool:
    """Scan one member in chunks (bounded memory) for any DOCTYPE/ENTITY pattern."""
    tail = b""
    with zf.open(info) as fh:
        while True:
            chunk = fh.read(_CHUNK)
            if not chunk:
                return False
            window = tail + chunk
            if any(p in window for p in _PATTERNS):
                return True
            tail = window[-_OVERLAP:]
