"""One entry point for every submission: detect the kind from content and hand it to its reader."""

from __future__ import annotations

from ogi.ingest.document import RawDocument
from ogi.ingest.errors import NotADocument, UnreadableFile
from ogi.ingest.sniff import detect_kind, kind_mismatch_note
from ogi.model import ReadNote

_LEGACY_ZH = (
    "旧版二进制 Office 文件（.doc/.xls/.wps/.et）无法可靠读取，"
    "请另存为 .docx/.xlsx 或提供网页/PDF 版本"
)
_LEGACY_EN = (
    "legacy binary Office files (.doc/.xls/.wps/.et) cannot be read reliably; "
    "save it as .docx/.xlsx or provide the web page or a PDF"
)
_REFUSALS: dict[str, tuple[str, str]] = {
    "empty": ("文件是空的", "the file is empty"),
    "binary": (
        "文件内容不是文档（二进制数据或图片），无法读取",
        "the content is not a document (binary data or an image)",
    ),
    "ole": (_LEGACY_ZH, _LEGACY_EN),
    "zip-other": (
        "文件是 ZIP 压缩包而不是 Word/Excel 文件，请解压后提交其中的报告",
        "the file is a zip archive, not a Word/Excel file; unpack it and submit the report inside",
    ),
    "rtf": (
        "RTF 文件无法可靠读取，请另存为 .docx 或提供网页/PDF 版本",
        "RTF files cannot be read reliably; save it as .docx or provide the web page or a PDF",
    ),
}


def read_document(data: bytes, name: str) -> RawDocument:
    """Read a submission of any supported kind into a RawDocument.

    Raises UnreadableFile for what cannot be read (empty, binary, legacy Office, a PDF without a
    text layer, damaged or hostile files) and NotADocument for JSON/YAML, which are routed elsewhere.
    """
    kind = detect_kind(data, name)
    mismatch = kind_mismatch_note(kind, name)
    notes: list[ReadNote] = [mismatch] if mismatch else []
    if kind in ("json", "yaml"):
        raise NotADocument(kind)
    if kind in _REFUSALS:
        zh, en = _REFUSALS[kind]
        code = "legacy-format" if kind in ("ole", "rtf") else kind
        raise UnreadableFile(zh, en, code=code, notes=notes)
    try:
        doc = _read(kind, data)
    except UnreadableFile as exc:
        exc.notes = tuple(notes) + exc.notes
        raise
    if kind == "pdf" and any(note.code == "no-text-layer" for note in doc.notes):
        raise UnreadableFile(
            "PDF 没有文字层（扫描件或图片），无法读取，请提供可复制文字的 PDF、Word（.docx）文件或网页版本",
            "the PDF has no text layer (a scan or images); please provide a PDF with selectable text, "
            "a .docx file or the web page",
            code="no-text-layer",
            notes=notes + doc.notes,
        )
    doc.notes[:0] = notes
    return doc


def _read(kind: str, data: bytes) -> RawDocument:
    # Readers are imported on use: pdfplumber, python-docx and openpyxl are slow to import.
    if kind == "html":
        from ogi.ingest.html import read_html

        return read_html(data)
    if kind == "docx":
        from ogi.ingest.docx import read_docx

        return read_docx(data)
    if kind == "xlsx":
        from ogi.ingest.xlsx import read_xlsx

        return read_xlsx(data)
    if kind == "pdf":
        from ogi.ingest.pdf import read_pdf

        return read_pdf(data)
    from ogi.ingest.text import read_text

    return read_text(data)
