"""Hostile and broken inputs: each gives a finding in bounded time and memory, the batch goes on, and no
input is modified. The batch runs as `ogi check` in a subprocess, as a province would run it."""

from __future__ import annotations

import hashlib
import io
import json
import os
import struct
import subprocess
import sys
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path

import pytest

from ogi.testing import generate, render

GIB = 1024**3
# Whole `ogi check` process tree over the hostile folder: generous bounds that a runaway reader breaks.
BATCH_SECONDS = 120
BATCH_PEAK_MB = 1500

# --- building hostile files ---------------------------------------------------------------------


def _deflate(data: bytes) -> bytes:
    c = zlib.compressobj(6, zlib.DEFLATED, -15)
    return c.compress(data) + c.flush()


def _deflated_zeros(size: int, chunk: int = 1 << 20) -> tuple[bytes, int]:
    """A raw deflate stream of `size` zero bytes and its CRC, made without compressing `size` bytes:
    after a full flush the compressor's state is reset, so one compressed chunk can be repeated."""
    c = zlib.compressobj(9, zlib.DEFLATED, -15)
    block = c.compress(b"\0" * chunk) + c.flush(zlib.Z_FULL_FLUSH)
    end = zlib.compressobj(9, zlib.DEFLATED, -15).flush()
    crc, zeros = 0, b"\0" * (16 * chunk)
    for _ in range(size // len(zeros)):
        crc = zlib.crc32(zeros, crc)
    return block * (size // chunk) + end, crc


def _zip(entries: list[tuple[str, bytes, int, int]]) -> bytes:
    """A zip from (name, raw deflate data, crc, declared size): the sizes may lie, as an attacker's do."""
    out = io.BytesIO()
    central = []
    for name, data, crc, size in entries:
        encoded = name.encode()
        offset = out.tell()
        out.write(struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, 0, 8, 0, 0x21, crc, len(data), size,
                              len(encoded), 0) + encoded + data)
        central.append(struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, 20, 20, 0, 8, 0, 0x21, crc, len(data),
                                   size, len(encoded), 0, 0, 0, 0, 0, offset) + encoded)
    start = out.tell()
    for record in central:
        out.write(record)
    out.write(struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, len(central), len(central), out.tell() - start,
                          start, 0))
    return out.getvalue()


def _members(office: bytes) -> list[tuple[str, bytes]]:
    with zipfile.ZipFile(io.BytesIO(office)) as zf:
        return [(info.filename, zf.read(info.filename)) for info in zf.infolist()]


def _with_part(office: bytes, part: str, content: bytes) -> bytes:
    return _zip([(n, _deflate(content if n == part else d), zlib.crc32(content if n == part else d),
                  len(content if n == part else d)) for n, d in _members(office)])


def _bomb(office: bytes, part: str, *, lying: bool = False) -> bytes:
    """`part` replaced by 1 GiB of zeros (about 1 MB compressed); `lying` declares it as 2 KB."""
    zeros, crc = _deflated_zeros(GIB)
    entries = []
    for name, data in _members(office):
        if name == part:
            entries.append((name, zeros, 0 if lying else crc, 2048 if lying else GIB))
        else:
            entries.append((name, _deflate(data), zlib.crc32(data), len(data)))
    return _zip(entries)


def _corrupted(data: bytes, at: float) -> bytes:
    out = bytearray(data)
    start = int(len(out) * at)
    for i in range(start, start + 64):
        out[i] ^= 0x5A
    return bytes(out)


LAUGHS = (b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
          + b"".join(b'<!ENTITY lol%d "%s">' % (i, (b"&lol%d;" % (i - 1) if i > 1 else b"&lol;") * 10)
                     for i in range(1, 10))
          + b"]>")
XXE = b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
WORD_NS = b'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
SHEET_NS = b'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'


def _laughs_docx(docx: bytes) -> bytes:
    body = b"<w:document " + WORD_NS + b"><w:body><w:p><w:r><w:t>&lol9;</w:t></w:r></w:p></w:body></w:document>"
    return _with_part(docx, "word/document.xml", LAUGHS + body)


def _xxe_docx(docx: bytes) -> bytes:
    body = b"<w:document " + WORD_NS + b"><w:body><w:p><w:r><w:t>&xxe;</w:t></w:r></w:p></w:body></w:document>"
    return _with_part(docx, "word/document.xml", XXE + body)


def _sheet_part(xlsx: bytes) -> str:
    return next(n for n, _ in _members(xlsx) if n.startswith("xl/worksheets/"))


def _laughs_xlsx(xlsx: bytes) -> bytes:
    sheet = b"<worksheet " + SHEET_NS + b'><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>&lol9;</t></is>' \
        b"</c></row></sheetData></worksheet>"
    return _with_part(xlsx, _sheet_part(xlsx), LAUGHS + sheet)


def _xxe_xlsx(xlsx: bytes) -> bytes:
    sheet = b"<worksheet " + SHEET_NS + b'><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>&xxe;</t></is>' \
        b"</c></row></sheetData></worksheet>"
    return _with_part(xlsx, _sheet_part(xlsx), XXE + sheet)


def _shapes_pdf() -> bytes:
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_page()
    pdf.rect(20, 20, 120, 60)
    pdf.line(20, 100, 180, 260)
    pdf.ellipse(60, 140, 50, 30, style="F")
    return bytes(pdf.output())


def _mixed_encodings() -> bytes:
    lines = [("某某市某某局2023年政府信息公开工作年度报告", "utf-8"), ("一、总体情况", "gbk"),
             ("本机关依法主动公开政府信息。", "utf-8"), ("二、主动公开政府信息情况", "gbk"),
             ("共公开政府信息123条。", "utf-8")]
    return b"\n".join(text.encode(enc) for text, enc in lines * 10)


@dataclass(frozen=True)
class Hostile:
    name: str
    # What the user must be told: the rule, and words from the message (zh) or message_en.
    rule: str
    says: tuple[str, ...] = ()
    unreadable: bool = True


HOSTILE = [
    Hostile("truncated.docx", "F001", ("损坏或不完整",)),
    Hostile("truncated.xlsx", "F001", ("损坏或不完整",)),
    Hostile("corrupt-early.docx", "F001", ("损坏或不完整",)),
    Hostile("corrupt-late.docx", "F001", ("损坏或不完整",)),
    Hostile("corrupt-early.xlsx", "F001", ("损坏或不完整",)),
    Hostile("corrupt-late.xlsx", "F001", ("损坏或不完整",)),
    Hostile("bomb.docx", "F001", ("压缩炸弹",)),
    Hostile("bomb-lying-header.docx", "F001", ("损坏或不完整",)),
    Hostile("bomb.xlsx", "F001", ("压缩炸弹",)),
    Hostile("billion-laughs.docx", "F001", ("DOCTYPE/ENTITY",)),
    Hostile("billion-laughs.xlsx", "F001", ("DOCTYPE/ENTITY",)),
    Hostile("xxe.docx", "F001", ("DOCTYPE/ENTITY",)),
    Hostile("xxe.xlsx", "F001", ("DOCTYPE/ENTITY",)),
    Hostile("binary.html", "F001", ("不是文档",)),
    Hostile("scan.pdf", "F001", ("没有文字层",)),
    # Read (the batch goes on) but not silently: the encoding problem is a file finding.
    Hostile("mixed-encodings.txt", "F005", ("编码",), unreadable=False),
    # A page nested 100,000 levels deep is cut at libxml2's depth limit, and that is said; what was not read
    # cannot be called empty (S003 is "not checked" for it).
    Hostile("nested.html", "F006", ("嵌套过深",), unreadable=False),
    Hostile("xxe.html", "S003", (), unreadable=False),
]


@pytest.fixture(scope="module")
def hostile_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("hostile")
    report = generate(seed=7, format_version="2021")
    docx, xlsx = render(report, "docx"), render(report, "xlsx")
    files = {
        "good.docx": docx,
        "good.html": render(report, "html", realistic=True),
        "truncated.docx": docx[: len(docx) // 2],
        "truncated.xlsx": xlsx[: len(xlsx) // 2],
        "corrupt-early.docx": _corrupted(docx, 0.2),
        "corrupt-late.docx": _corrupted(docx, 0.8),
        "corrupt-early.xlsx": _corrupted(xlsx, 0.2),
        "corrupt-late.xlsx": _corrupted(xlsx, 0.8),
        "bomb.docx": _bomb(docx, "word/document.xml"),
        "bomb-lying-header.docx": _bomb(docx, "word/document.xml", lying=True),
        "bomb.xlsx": _bomb(xlsx, _sheet_part(xlsx)),
        "billion-laughs.docx": _laughs_docx(docx),
        "billion-laughs.xlsx": _laughs_xlsx(xlsx),
        "xxe.docx": _xxe_docx(docx),
        "xxe.xlsx": _xxe_xlsx(xlsx),
        "xxe.html": XXE.replace(b"<!DOCTYPE x", b"<!DOCTYPE html") + b"<html><body><p>&xxe;</p></body></html>",
        "nested.html": b"<html><body>" + b"<div>" * 100_000 + "某某局".encode() + b"</div>" * 100_000
        + b"</body></html>",
        "binary.html": bytes((i * 7919 + 13) % 256 for i in range(200_000)),
        "scan.pdf": _shapes_pdf(),
        "mixed-encodings.txt": _mixed_encodings(),
    }
    for name, data in files.items():
        (folder / name).write_bytes(data)
    return folder


def _digests(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir())}


@dataclass
class Run:
    doc: dict
    stderr: str
    seconds: float
    peak_mb: float
    returncode: int


def run_ogi(*args: str, cwd: Path | None = None, timeout: float = 300) -> Run:
    """`ogi check ARGS --format json` in a fresh process; its wall time and the peak RSS of its process tree."""
    probe = (
        "import json, resource, subprocess, sys, time\n"
        "t = time.monotonic()\n"
        "p = subprocess.run(sys.argv[1:], capture_output=True, text=True)\n"
        "peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024\n"
        "print(json.dumps({'out': p.stdout, 'err': p.stderr, 'code': p.returncode,"
        " 'seconds': time.monotonic() - t, 'peak_mb': peak}))\n"
    )
    cmd = [sys.executable, "-c", probe, sys.executable, "-m", "ogi.cli", "check", *args, "--format", "json"]
    done = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, cwd=cwd, check=True)
    result = json.loads(done.stdout)
    assert "Traceback" not in result["err"], result["err"]
    output = Path(args[args.index("-o") + 1]).read_text(encoding="utf-8") if "-o" in args else result["out"]
    return Run(json.loads(output), result["err"], result["seconds"], result["peak_mb"], result["code"])


@pytest.fixture(scope="module")
def hostile_run(hostile_dir: Path) -> tuple[Run, dict[str, str], dict[str, str]]:
    before = _digests(hostile_dir)
    run = run_ogi(str(hostile_dir))
    return run, before, _digests(hostile_dir)


def _submission(run: Run, name: str) -> dict:
    [sub] = [s for s in run.doc["submissions"] if Path(s["source"]).name == name]
    return sub


def test_hostile_batch_is_bounded_and_inputs_untouched(hostile_run: tuple[Run, dict, dict],
                                                        hostile_dir: Path) -> None:
    run, before, after = hostile_run
    assert after == before
    assert run.seconds < BATCH_SECONDS
    assert run.peak_mb < BATCH_PEAK_MB
    assert run.returncode == 1
    assert [Path(s["source"]).name for s in run.doc["submissions"]] == sorted(before)
    for good in ("good.docx", "good.html"):
        assert _submission(run, good)["status"] == "pass"


@pytest.mark.parametrize("case", HOSTILE, ids=lambda c: c.name)
def test_hostile_input_gets_a_finding(case: Hostile, hostile_run: tuple[Run, dict, dict]) -> None:
    run = hostile_run[0]
    sub = _submission(run, case.name)
    assert (sub["status"] == "unreadable") == case.unreadable
    rules = [f["rule"] for f in sub["findings"]]
    assert case.rule in rules
    [finding] = [f for f in sub["findings"] if f["rule"] == case.rule][:1]
    for words in case.says:
        assert words in finding["message"], finding["message"]
    assert "内部错误" not in json.dumps(sub, ensure_ascii=False)  # a reader bug is not an answer


def test_external_entities_are_never_resolved(hostile_run: tuple[Run, dict, dict]) -> None:
    text = json.dumps(hostile_run[0].doc, ensure_ascii=False)
    passwd = Path("/etc/passwd").read_text(encoding="utf-8", errors="replace").splitlines()
    assert passwd and passwd[0] not in text
    assert "root:" not in text
    assert "lollollol" not in text


def test_deep_nesting_is_reported(hostile_run: tuple[Run, dict, dict]) -> None:
    sub = _submission(hostile_run[0], "nested.html")
    assert sub["status"] != "unreadable" or sub["findings"][0]["rule"] == "F001"


def test_100_mb_file(tmp_path: Path) -> None:
    """Over the default 50 MB limit → F002 without being read; with the limit raised it is read or
    stopped by the per-file time limit, and the batch goes on either way."""
    line = "<p>本机关依法主动公开政府信息，共计公开文件123件，其中规范性文件4件。</p>\n".encode()
    big = tmp_path / "batch" / "big.html"
    big.parent.mkdir()
    big.write_bytes(b'<html><head><meta charset="utf-8"></head><body>' + line * (100 * 2**20 // len(line))
                    + b"</body></html>")
    good = big.parent / "good.html"
    good.write_bytes(render(generate(seed=8, format_version="2021"), "html", realistic=True))
    digest = hashlib.sha256(big.read_bytes()).hexdigest()

    run = run_ogi(str(big.parent))
    sub = _submission(run, "big.html")
    assert sub["status"] == "unreadable" and sub["findings"][0]["rule"] == "F002"
    assert run.seconds < 30 and run.peak_mb < 500  # refused from its size: never read into memory
    assert _submission(run, "good.html")["status"] == "pass"

    (tmp_path / "ogi.toml").write_text("per_file_seconds = 8\n", encoding="utf-8")
    run = run_ogi(str(big.parent), "--max-file-mb", "200", cwd=tmp_path)
    sub = _submission(run, "big.html")
    assert sub["findings"], sub
    if sub["status"] == "unreadable":
        assert sub["findings"][0]["rule"] == "F001"
    assert run.seconds < 60
    assert run.peak_mb < 2500  # the worker's address-space cap (2 GiB over its start) holds
    assert _submission(run, "good.html")["status"] == "pass"
    assert hashlib.sha256(big.read_bytes()).hexdigest() == digest


def test_slow_input_hits_the_per_file_time_limit(tmp_path: Path) -> None:
    """A real input that takes longer than `per_file_seconds` to read: F001 (timed out), batch goes on."""
    rows = "".join(f"<tr><td>第{i}行</td><td>{i}</td><td>{i * 2}</td></tr>" for i in range(200_000))
    folder = tmp_path / "batch"
    folder.mkdir()
    (folder / "a-slow.html").write_bytes(
        f'<html><head><meta charset="utf-8"></head><body><table>{rows}</table></body></html>'.encode())
    (folder / "b-good.html").write_bytes(render(generate(seed=9, format_version="2021"), "html", realistic=True))
    (tmp_path / "ogi.toml").write_text("per_file_seconds = 2\n", encoding="utf-8")
    run = run_ogi(str(folder), cwd=tmp_path)
    slow = _submission(run, "a-slow.html")
    assert slow["status"] == "unreadable"
    assert "读取超时" in slow["findings"][0]["message"]
    assert _submission(run, "b-good.html")["status"] == "pass"
    assert run.seconds < 30


@pytest.mark.parametrize("agency", [
    "../../../../tmp/逃逸局", "某某局/子目录", "..", "某某\x00局\x1b[31m", "某\u202e局", "CON", "a" * 300,
])
def test_agency_names_cannot_escape_the_output_folder(tmp_path: Path, agency: str) -> None:
    """Agency names come from the document: output file names made from them stay inside --out."""
    pytest.importorskip("ogi.reports.bundle")
    folder = tmp_path / "in"
    folder.mkdir()
    seed = Path(__file__).resolve().parent.parent / "examples" / "changde-2017-zwzx.txt"
    text = seed.read_text(encoding="utf-8")
    title = text.splitlines()[0]
    hostile = text.replace(title, title.replace("常德市人民政府政务服务中心", agency), 1)
    (folder / "report.txt").write_text(hostile, encoding="utf-8", errors="surrogateescape")
    out = tmp_path / "deep" / "out"
    sandbox_before = set(tmp_path.rglob("*"))
    run = run_ogi(str(folder), "--out", str(out), "-o", str(tmp_path / "report.json"))
    assert run.returncode in (0, 1)
    created = set(tmp_path.rglob("*")) - sandbox_before
    for path in created:
        assert path == tmp_path / "report.json" or path.resolve().is_relative_to(out.resolve()) \
            or path in (tmp_path / "deep",), path
    assert any(p.suffix == ".html" for p in out.rglob("*"))
    assert not any(p.name.startswith("..") for p in out.rglob("*"))
    assert all(not ch.isspace() or ch == " " for p in out.rglob("*") for ch in p.name)
    assert os.listdir(folder) == ["report.txt"]


def test_a_truncated_page_is_not_called_empty(hostile_run: tuple[Run, dict, dict]) -> None:
    sub = _submission(hostile_run[0], "nested.html")
    assert not [f for f in sub["findings"] if f["severity"] == "error"]
    assert "S003" in {n["rule"] for n in sub["not_checked"]}
