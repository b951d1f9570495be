"""The vocabulary of what readers notice: every read-note and unreadable-file code, what it means, how
severe it is, which rule shows it to the user, and what it does to the rules that a reading loss could
fool. Nothing a reader notices stays inside the package: a test fails for a code that is neither surfaced
nor listed here as deliberately ignored (with the reason).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import Enum

from ogi.model import ReadNote, Severity


class Loss(str, Enum):
    """What a note says about the reading, and so about the verdicts built on it."""

    NONE = "none"  # nothing was lost: the note is about the file, not about what was read
    TEXT = "text"  # words may be misread (encoding): an absence ("section/table missing") is not proved
    CONTENT = "content"  # part of the document was not read: absences are not proved, sums cannot pass
    DATE = "date"  # the publication date is doubtful: lateness is not proved


@dataclass(frozen=True)
class NoteKind:
    code: str
    title: str  # what happened, as the user reads it (the note's own detail follows)
    title_en: str
    severity: Severity
    surfaced_by: str | None  # the rule whose findings show the note; None only with ignored_because
    loss: Loss = Loss.NONE
    ignored_because: str = ""


def _kinds(*kinds: NoteKind) -> dict[str, NoteKind]:
    return {k.code: k for k in kinds}


W, INFO = Severity.WARNING, Severity.INFO

# Read notes: in Report.read_notes (and RawDocument.notes).
READ_NOTES: dict[str, NoteKind] = _kinds(
    NoteKind("kind-mismatch", "文件名与内容不符", "file name does not match the content", W, "F003"),
    NoteKind("encoding-mismatch", "声明的编码与实际不符", "declared encoding differs", W, "F005"),
    NoteKind("encoding-unknown", "无法确定字符编码", "encoding could not be determined", W, "F005", Loss.TEXT),
    NoteKind("encoding-guessed", "字符编码系推测", "encoding guessed", W, "F005", Loss.TEXT),
    NoteKind("mojibake", "疑似重复编码的乱码", "double-encoded text", W, "F005", Loss.TEXT),
    NoteKind("mixed-encoding", "混用多种编码", "mixed encodings", W, "F005", Loss.TEXT),
    NoteKind("unmatched-row", "表格中有无法识别的行", "unrecognised table row", W, "S009"),
    NoteKind("unmatched-column", "表格中有无法识别的列", "unrecognised table column", W, "S009"),
    NoteKind("extra-column", "表格有非标准列", "non-standard column", INFO, "S010"),
    NoteKind("duplicate-table", "表格重复", "table repeated", W, "S011"),
    NoteKind("duplicate-row", "表格行重复", "table row repeated", W, "S011"),
    NoteKind("damaged-label", "行标签残缺，已按位置读取", "damaged row label read by its place", INFO, "S014"),
    NoteKind("legacy-row", "按旧版格式合为一行", "a group printed as one row (older layout)", W, "S012"),
    NoteKind("cells-recovered", "连在一起的单元格已唯一拆分", "run-together cells split uniquely", INFO, "F007"),
    NoteKind("table-unreadable", "表格单元格连在一起，无法读取", "table cells run together, unreadable", W,
             "F007"),
    NoteKind("rows-unreadable", "表格部分行单元格连在一起，无法读取", "some table rows run together, unreadable",
             W, "F007"),
    NoteKind("html-truncated", "网页未能完整读取", "page not read in full", W, "F006", Loss.CONTENT),
    NoteKind("unparseable", "网页无法解析", "page cannot be parsed", W, "F006", Loss.CONTENT),
    NoteKind("table-too-large", "表格过大，只读取了一部分", "table only partly read", W, "F006", Loss.CONTENT),
    NoteKind("table-span-capped", "表格合并单元格异常", "absurd cell span", W, "F006", Loss.CONTENT),
    NoteKind("too-many-pages", "PDF 页数过多，只读取了一部分", "only part of the PDF read", W, "F006", Loss.CONTENT),
    NoteKind("page-unreadable", "PDF 有页面无法读取", "a PDF page cannot be read", W, "F006", Loss.CONTENT),
    NoteKind("page-no-text", "PDF 有页面没有文字层", "a PDF page has no text layer", W, "F006", Loss.CONTENT),
    NoteKind("pdf-unmapped-glyphs", "PDF 有文字无法识别", "PDF glyphs without text", W, "F006", Loss.CONTENT),
    NoteKind("date-from-url", "发布日期仅从网址推断", "publication date from the URL only", INFO, "F006", Loss.DATE),
    NoteKind("no-text-layer", "PDF 没有文字层", "PDF without a text layer", W, None,
             ignored_because="the reader then refuses the file (UnreadableFile 'no-text-layer', shown by F001)"),
)

# Unreadable-file codes (UnreadableFile.code): each is shown by F001 with the reader's own reason.
UNREADABLE: dict[str, NoteKind] = _kinds(*(
    NoteKind(code, zh, en, Severity.ERROR, "F001") for code, zh, en in (
        ("unreadable", "文件无法读取", "the file cannot be read"),
        ("empty", "空文件", "empty file"),
        ("binary", "不是文档", "not a document"),
        ("legacy-format", "旧版二进制 Office 文件", "legacy binary Office file"),
        ("zip-other", "压缩包而不是 Office 文件", "a zip archive, not an Office file"),
        ("zip-bomb", "压缩炸弹", "zip bomb"),
        ("xml-entities", "XML 含实体声明（不安全）", "XML with entity declarations (unsafe)"),
        ("corrupt-zip", "压缩结构损坏", "damaged zip structure"),
        ("corrupt-docx", "Word 文件损坏", "damaged Word file"),
        ("corrupt-xlsx", "Excel 文件损坏", "damaged Excel file"),
        ("corrupt-pdf", "PDF 文件损坏", "damaged PDF"),
        ("encrypted", "PDF 已加密", "encrypted PDF"),
        ("no-text-layer", "PDF 没有文字层", "PDF without a text layer"),
    )
))

# Rules whose findings claim that something is absent: a reading loss means the absence is not proved.
ABSENCE_RULES = frozenset({"S001", "S002", "S003", "S004", "S007", "S012", "D005", "B003", "B101", "C104"})
# Rules that add numbers up or compare them: with content lost they cannot pass, and what they find is in doubt.
SUM_RULES = frozenset({"A001", "A002", "A101", "A102", "A103", "A104", "C001", "C101", "C102", "C103",
                       "B001", "B002", "B102", "H001", "H002"})
DATE_RULES = frozenset({"D002"})


def kind_of(note: ReadNote) -> NoteKind | None:
    return READ_NOTES.get(note.code)


@dataclass(frozen=True)
class ReadingDoubt:
    """What the report's read notes do to the verdicts: which findings are not proved, which passes are not
    earned, and the reason to give (the notes' own words)."""

    void_findings: frozenset[str]  # their findings become "not checked"
    unconfirmed_passes: frozenset[str]  # their passes become "not checked"
    doubted: frozenset[str]  # their errors become warnings naming the doubt
    reason: str
    reason_en: str

    @property
    def any(self) -> bool:
        return bool(self.void_findings or self.unconfirmed_passes or self.doubted)


NO_DOUBT = ReadingDoubt(frozenset(), frozenset(), frozenset(), "", "")


def reading_doubt(notes: Iterable[ReadNote]) -> ReadingDoubt:
    """The doubt the notes cast, or NO_DOUBT when nothing was lost (the usual case, decided fast)."""
    lossy = [(n, k) for n in notes if (k := READ_NOTES.get(n.code)) is not None and k.loss is not Loss.NONE]
    if not lossy:
        return NO_DOUBT
    void: set[str] = set()
    unconfirmed: set[str] = set()
    doubted: set[str] = set()
    for _note, kind in lossy:
        if kind.loss in (Loss.TEXT, Loss.CONTENT):
            void |= ABSENCE_RULES
        if kind.loss is Loss.CONTENT:
            unconfirmed |= SUM_RULES
            doubted |= SUM_RULES
        if kind.loss is Loss.DATE:
            doubted |= DATE_RULES
    details = "；".join(dict.fromkeys(n.detail for n, _ in lossy))
    details_en = "; ".join(dict.fromkeys(n.detail_en for n, _ in lossy))
    return ReadingDoubt(frozenset(void), frozenset(unconfirmed), frozenset(doubted),
                        f"读取时有内容丢失或存疑（{details}），无法确认", f"the reading lost or doubts content "
                        f"({details_en}): cannot be confirmed")
