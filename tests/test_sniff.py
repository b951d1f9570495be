"""Kind detection from content, robust decoding, and name/content mismatch notes."""

from __future__ import annotations

import io
import json
import os
import zipfile

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ogi.ingest import sniff
from ogi.ingest.sniff import canonical_charset, decode_text, detect_kind, kind_mismatch_note, mojibake_kind

REPORT = "根据《中华人民共和国政府信息公开条例》要求，现向社会公布本机关2023年度政府信息公开工作年度报告。"


def _zip(names: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, content in names.items():
            zf.writestr(name, content)
    return buf.getvalue()


def codes(notes: list) -> list[str]:
    return [n.code for n in notes]


# --- detect_kind -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "kind"),
    [
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", "pdf"),
        (b"\r\n%PDF-1.4\n", "pdf"),  # junk before the header is legal
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(500), "ole"),
        (b"{\\rtf1\\ansi hello}", "rtf"),
        (b"<!DOCTYPE html><html><body><p>x</p></body></html>", "html"),
        (b"\xef\xbb\xbf  \n<!doctype HTML>\n<html>", "html"),
        (b"<!-- saved page -->\n<html><head>", "html"),
        (b'<?xml version="1.0" encoding="utf-8"?>\n<html xmlns="http://www.w3.org/1999/xhtml">', "html"),
        (b"<meta charset=gbk><title>x</title>", "html"),
        (b"<div class=a>x</div>", "html"),
        (b"<p>first</p>", "html"),
        (b"<table><tr><td>1</td></tr></table>", "html"),
        ("前言文字<p>一段</p><p>二段</p><br>".encode(), "html"),  # a pasted fragment
        (b'{"agency": "x", "year": 2023}', "json"),
        (b"  [1, 2, 3]", "json"),
        (b"{not json at all", "text"),
        (REPORT.encode(), "text"),
        (REPORT.encode("gbk"), "text"),
        ("\ufeff".encode("utf-16-le") + "<html><body>中文</body></html>".encode("utf-16-le"), "html"),
        ("<html><body>中文</body></html>".encode("utf-16-le"), "html"),  # no BOM
        (b"", "empty"),
        (b"  \r\n\t ", "empty"),
        (b"\xef\xbb\xbf", "empty"),
        (b"\x89PNG\r\n\x1a\n" + bytes(100), "binary"),
        (b"\x00\x01\x02\x03" * 100, "binary"),
    ],
)
def test_detect_kind(data: bytes, kind: str) -> None:
    assert detect_kind(data, "whatever.bin") == kind


def test_detect_kind_office_zips() -> None:
    docx = _zip({"[Content_Types].xml": b"<x/>", "word/document.xml": b"<w/>"})
    xlsx = _zip({"[Content_Types].xml": b"<x/>", "xl/workbook.xml": b"<w/>"})
    other = _zip({"report.txt": b"hello"})
    assert detect_kind(docx, "a.html") == "docx"
    assert detect_kind(xlsx, "a.docx") == "xlsx"
    assert detect_kind(other, "a.docx") == "zip-other"
    # A truncated DOCX is still recognised as one, so the reader can say "damaged DOCX".
    assert detect_kind(docx[: len(docx) // 2], "a.docx") == "docx"


def test_detect_kind_yaml_only_by_name_and_mapping() -> None:
    data = "agency: 某局\nyear: 2023\n".encode()
    assert detect_kind(data, "r.yaml") == "yaml"
    assert detect_kind(data, "r.yml") == "yaml"
    assert detect_kind(data, "r.txt") == "text"
    assert detect_kind(b"- a\n- b\n", "r.yaml") == "text"  # a list is not a report mapping


def test_random_garbage_is_binary() -> None:
    assert detect_kind(os.urandom(20_000), "report.html") == "binary"


@given(st.binary(max_size=2000), st.sampled_from(["a.html", "b.yaml", "c", "d.docx"]))
@settings(max_examples=300, deadline=None)
def test_detect_kind_never_raises(data: bytes, name: str) -> None:
    assert detect_kind(data, name) in {
        "pdf",
        "docx",
        "xlsx",
        "zip-other",
        "ole",
        "rtf",
        "html",
        "json",
        "yaml",
        "text",
        "binary",
        "empty",
    }


# --- decode_text -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "encoding"),
    [
        (REPORT.encode("utf-8"), "utf-8"),
        (b"\xef\xbb\xbf" + REPORT.encode("utf-8"), "utf-8"),
        (b"\xff\xfe" + REPORT.encode("utf-16-le"), "utf-16-le"),
        (b"\xfe\xff" + REPORT.encode("utf-16-be"), "utf-16-be"),
        (REPORT.encode("gbk"), "gb18030"),
        (REPORT.encode("gb2312"), "gb18030"),
        ((REPORT + "𠀀").encode("gb18030"), "gb18030"),  # a four-byte GB18030 character
    ],
)
def test_decode_text_encodings(data: bytes, encoding: str) -> None:
    text, enc, notes = decode_text(data)
    assert text.lstrip("\ufeff").startswith("根据《中华人民共和国")
    assert enc == encoding
    assert notes == []


def test_declared_charset_that_lies_is_noted() -> None:
    text, enc, notes = decode_text(REPORT.encode("gbk"), declared="utf-8")
    assert text == REPORT
    assert enc == "gb18030"
    assert codes(notes) == ["encoding-mismatch"]
    assert "utf-8" in notes[0].detail and notes[0].detail_en

    text, enc, notes = decode_text(REPORT.encode("utf-8"), declared="gb2312")
    assert text == REPORT and enc == "utf-8"
    assert codes(notes) == ["encoding-mismatch"]


def test_declared_charset_in_the_same_family_is_not_a_mismatch() -> None:
    assert decode_text(REPORT.encode("gbk"), declared="GB2312")[2] == []
    assert decode_text(REPORT.encode("gbk"), declared="x-gbk")[2] == []
    assert decode_text(REPORT.encode("utf-8"), declared="UTF8")[2] == []
    # Pure ASCII is valid in whatever the page declares.
    _text, enc, notes = decode_text(b"<html>2023</html>", declared="gbk")
    assert notes == [] and enc == "gbk"


def test_declared_big5_is_honoured() -> None:
    data = "政府資訊公開年度報告".encode("big5")
    text, enc, _notes = decode_text(data, declared="big5")
    assert text == "政府資訊公開年度報告" and enc == "big5"


def test_mojibake_is_detected() -> None:
    garbled = REPORT.encode("utf-8").decode("gbk", errors="replace")
    assert mojibake_kind(garbled) == "utf-8→gbk"
    _, _, notes = decode_text(garbled.encode("utf-8"))
    assert "mojibake" in codes(notes)

    latin = REPORT.encode("utf-8").decode("latin-1")
    assert mojibake_kind(latin) == "utf-8→latin-1"
    assert mojibake_kind("Ã¤Ã¶Ã¼ Ã© caf") == "utf-8→latin-1"

    assert mojibake_kind(REPORT * 10) is None
    assert mojibake_kind("Café, naïve, Zürich") is None


def test_mixed_encoding_is_noted_and_repaired() -> None:
    data = (REPORT * 3).encode() + " 地址：沭阳县".encode("gbk") + b" " + (REPORT * 3).encode()
    text, enc, notes = decode_text(data)
    assert "地址：沭阳县" in text
    assert enc == "utf-8"
    assert codes(notes) == ["mixed-encoding"]


def test_undecodable_text_is_replaced_and_noted(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sniff, "_charset_normalizer_guess", lambda data: None)
    data = b"abc \x80\xff\x80\xff def " * 20
    text, _enc, notes = decode_text(data)
    assert "\ufffd" in text and "abc" in text
    assert codes(notes) == ["encoding-unknown"]
    assert notes[0].detail and notes[0].detail_en


def test_charset_normalizer_guess_is_noted() -> None:
    data = "Été à Paris: déjà vu, garçon, œuvre — naïve façade. ".encode("cp1252") * 20 + b"\x81"
    text, _enc, notes = decode_text(data)
    assert "encoding-guessed" in codes(notes) or "encoding-unknown" in codes(notes)
    assert text


@given(st.binary(max_size=3000), st.sampled_from([None, "utf-8", "gbk", "big5", "latin-1", "nonsense"]))
@settings(max_examples=300, deadline=None)
def test_decode_text_never_raises(data: bytes, declared: str | None) -> None:
    text, enc, notes = decode_text(data, declared)
    assert isinstance(text, str) and enc
    for note in notes:
        assert note.detail and note.detail_en


def test_canonical_charset() -> None:
    assert canonical_charset("GB2312") == "gb2312"
    assert canonical_charset(" 'utf8' ") == "utf-8"
    assert canonical_charset("x-gbk") == "gbk"
    assert canonical_charset("no-such-charset") is None
    assert canonical_charset(None) is None


# --- kind_mismatch_note ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "name", "mismatch"),
    [
        ("pdf", "report.html", True),
        ("ole", "report.docx", True),
        ("docx", "report.doc", True),
        ("html", "report.doc", True),
        ("binary", "report.html", True),
        ("pdf", "report.PDF", False),
        ("html", "index.shtml", False),
        ("ole", "old.wps", False),
        ("text", "noextension", False),
        ("html", "dir/page", False),
        ("empty", "report.pdf", False),
        ("text", "r.yaml", False),
    ],
)
def test_kind_mismatch_note(kind: str, name: str, mismatch: bool) -> None:
    note = kind_mismatch_note(kind, name)
    assert (note is not None) == mismatch
    if note is not None:
        assert note.code == "kind-mismatch"
        assert note.detail and note.detail_en
        assert dict(note.data)["kind"] == kind


def test_json_detection_is_content_based() -> None:
    assert detect_kind(json.dumps({"a": "中文"}, ensure_ascii=False).encode("gbk"), "x.txt") == "json"
