"""Benchmarks (`nox -s bench`, `python -m ogi.tools.bench`): prints figures, asserts nothing.

Measures `ogi` end to end, as a user runs it, on a corpus of realistic generated reports (2021 format,
whole CMS pages of 40–80 KB with inline styles, from `ogi.testing.write_corpus`), cached between runs:

- `ogi check DIR --format json -o …` on N HTML reports: reports per second, CPU time per report, and the
  peak memory of the whole process tree (sum of the RSS of the main process and its workers, polled);
- the same on a few hundred PDF, DOCX and XLSX reports, and each format's reader against its floor on the
  same files in one process (HTML: decode + libxml2 parse; PDF: pdfium's text and every character box;
  DOCX/XLSX: inflating the package and parsing its main XML parts with lxml);
- a mixed, national-shaped batch (55% HTML, 30% PDF, 10% DOCX, 5% XLSX), on the local engine and on a
  Dask cluster on loopback (`ogi.tools.dask_batch`), and from those the time 10⁵ such reports would take
  on 2, 16 and 64 cores;
- one report, interpreter start included; `ogi --help`;
- a naive per-report pipeline (pandas.read_html + one pandera validation per report) on a sample;
- how much of a batch's CPU reading HTML takes: the same pages batched as usual and with the HTML reader's
  results preloaded (`ogi.tools.preloaded_batch`), and a page's decode and parse as a batch meets it.

The machine is shared in CI and in development: the CPU time other processes used during the batch
is printed too, so that a slow figure can be told from a busy machine.
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

TARGETS = {"html_rate": 300.0, "single": 1.5, "help": 0.3, "peak_mb": 1024.0, "office_share": 0.5,
           "pdf_floor": 3.0}
# Office and PDF batches long enough that a batch's start-up (~1 s of CPU) weighs little per report.
OFFICE_N = 1000  # DOCX and XLSX reports each
PDF_N = 600
MIXED_N = 1000
MIX = {"html": 0.55, "pdf": 0.30, "docx": 0.10, "xlsx": 0.05}
FLOOR_N = 40  # files of each format read in one process against their floor
PROJECTED_REPORTS = 100_000
PROJECTED_CORES = (2, 16, 64)
NAIVE_N = 500
SHARE_N = 2000  # pages batched with and without the HTML reader's work
COLD_N = 300  # pages read once each, for each of the two cold-read figures


# --- the corpus -----------------------------------------------------------------------------------


def _generator_digest() -> str:
    """Changes when the generator does, so a cached corpus is never stale."""
    import ogi.testing

    digest = hashlib.sha256()
    for path in sorted(Path(ogi.testing.__file__).parent.glob("*.py")):
        digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


def corpus(root: Path, kind: str, n: int, seed: int = 0) -> Path:
    """`n` reports of `kind` under `root`, generated once and reused."""
    from ogi.testing import write_corpus

    folder = root / f"{kind}-{n}-seed{seed}-{_generator_digest()}"
    done = folder / ".complete"
    if done.exists():
        return folder
    for stale in root.glob(f"{kind}-{n}-seed{seed}-*"):  # from an older generator, or unfinished
        shutil.rmtree(stale)
    start = time.perf_counter()
    print(f"generating {n} {kind} reports in {folder} …", file=sys.stderr, flush=True)
    write_corpus(folder, n, kinds=(kind,), seed=seed, realistic=True)
    done.write_text(f"{n}\n", encoding="utf-8")
    print(f"  {time.perf_counter() - start:.1f} s", file=sys.stderr, flush=True)
    return folder


def _sizes(folder: Path) -> tuple[int, int, int]:
    sizes = [p.stat().st_size for p in folder.iterdir() if not p.name.startswith(".")]
    return min(sizes), int(statistics.mean(sizes)), max(sizes)


# --- measuring a process tree ---------------------------------------------------------------------


def _tree_rss(root: int) -> int:
    """Bytes resident in `root` and all its descendants now (Linux /proc)."""
    parents: dict[int, int] = {}
    rss: dict[int, int] = {}
    page = os.sysconf("SC_PAGE_SIZE")
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            with open(f"/proc/{entry.name}/stat", encoding="ascii", errors="replace") as handle:
                fields = handle.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        pid = int(entry.name)
        parents[pid] = int(fields[1])
        rss[pid] = int(fields[21]) * page
    total, stack = 0, [root]
    children: dict[int, list[int]] = {}
    for pid, ppid in parents.items():
        children.setdefault(ppid, []).append(pid)
    while stack:
        pid = stack.pop()
        total += rss.get(pid, 0)
        stack.extend(children.get(pid, ()))
    return total


def _cpu_jiffies() -> int:
    with open("/proc/stat", encoding="ascii") as handle:
        fields = handle.readline().split()[1:]
    # user nice system idle iowait irq softirq steal: busy = all but idle and iowait
    values = [int(v) for v in fields[:8]]
    return sum(values) - values[3] - values[4]


@dataclass
class Run:
    seconds: float
    cpu: float  # user + system seconds of the process tree
    peak_mb: float  # the largest sum of RSS over the tree (polled), at least the largest process
    max_process_mb: float  # the largest single process (getrusage)
    background: float  # CPU seconds used by other processes meanwhile
    returncode: int
    stderr: str


def run_tree(cmd: Sequence[str], poll: float = 0.05) -> Run:
    """Run `cmd`, polling the RSS of its process tree; its CPU time from getrusage of the children."""
    import resource

    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    busy_before = _cpu_jiffies()
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    peak = 0
    stop = threading.Event()

    def watch() -> None:
        nonlocal peak
        while not stop.is_set():
            with contextlib.suppress(Exception):
                peak = max(peak, _tree_rss(proc.pid))
            stop.wait(poll)

    watcher = threading.Thread(target=watch, daemon=True)
    watcher.start()
    _, stderr = proc.communicate()
    seconds = time.perf_counter() - start
    stop.set()
    watcher.join()
    busy = (_cpu_jiffies() - busy_before) / os.sysconf("SC_CLK_TCK")
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    largest = after.ru_maxrss / 1024  # exact, where polling may miss a short peak
    return Run(seconds, cpu, max(peak / 2**20, largest), largest, max(0.0, busy - cpu), proc.returncode, stderr)


def _ogi(*args: str) -> list[str]:
    return [sys.executable, "-m", "ogi.cli", *args]


def _median_wall(cmd: Sequence[str], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def check_batch(folder: Path, out: Path, jobs: int | None) -> tuple[Run, int]:
    cmd = _ogi("check", str(folder), "--format", "json", "-o", str(out), "--quiet", "--fail-on", "never")
    if jobs:
        cmd += ["-j", str(jobs)]
    run = run_tree(cmd)
    if run.returncode != 0:
        raise SystemExit(f"ogi check failed ({run.returncode}):\n{run.stderr}")
    doc = json.loads(out.read_text(encoding="utf-8"))
    statuses = doc["summary"]["status"]
    return run, statuses.get("unreadable", 0)


# --- the naive baseline ---------------------------------------------------------------------------


def naive(files: Sequence[Path]) -> float:
    """Reports per second of the obvious pipeline, in one process: every table of the page with
    pandas.read_html, then the largest one validated by a pandera schema (numbers ≥ 0)."""
    import warnings

    import pandas as pd
    import pandera.pandas as pa

    warnings.simplefilter("ignore")
    start = time.perf_counter()
    for path in files:
        try:
            tables = pd.read_html(path, flavor="lxml")
        except ValueError:
            continue
        frame = max(tables, key=lambda t: t.size)
        frame = frame.apply(pd.to_numeric, errors="coerce")
        frame.columns = [str(i) for i in range(frame.shape[1])]
        schema = pa.DataFrameSchema({c: pa.Column(float, pa.Check.ge(0), nullable=True, coerce=True)
                                     for c in frame.columns})
        with contextlib.suppress(pa.errors.SchemaErrors):
            schema.validate(frame, lazy=True)
    return len(files) / (time.perf_counter() - start)


# --- where the time goes (in one process) --------------------------------------------------------


def stages(files: Sequence[Path], window: int = 64) -> list[tuple[str, float]]:
    """CPU milliseconds per report of each stage of the pipeline, in this process (no workers)."""
    import pickle

    from ogi.batch import Checked, _precompute, main_rules, worker_rules
    from ogi.checks.identities import identity_inputs
    from ogi.config import Config
    from ogi.engine import RuleResults, read_file, run_rules, submission_result
    from ogi.model import Report
    from ogi.reports.json_report import render_json

    config = Config()
    read_file(files[0], config)  # imports
    clock = time.process_time
    n = len(files)
    out: list[tuple[str, float]] = []
    start = clock()
    outcomes = [read_file(p, config) for p in files]
    out.append(("read (sniff, decode, parse, tables, facts, metadata)", clock() - start))
    reports = [r for r in outcomes if isinstance(r, Report)]
    per_rule: dict[str, float] = {}
    start = clock()
    checked = []
    for report in reports:
        results = RuleResults()
        for rule in worker_rules(report, config):
            t = clock()
            results += run_rules(report, config, [rule])
            per_rule[rule.code] = per_rule.get(rule.code, 0.0) + clock() - t
        checked.append(Checked(report, results, identity_inputs(report)))
    out.append(("per-report rules (in the workers)", clock() - start))
    start = clock()
    blobs = [pickle.dumps(c, protocol=pickle.HIGHEST_PROTOCOL) for c in checked]
    checked = [pickle.loads(blob) for blob in blobs]
    out.append((f"to the main process and back (pickle, {statistics.mean(map(len, blobs)) / 1024:.0f} KB)",
                clock() - start))
    start = clock()
    windows = [checked[i:i + window] for i in range(0, len(checked), window)]
    pre = [_precompute([c.report for c in w], config, [c.identities for c in w]) for w in windows]
    out.append((f"table identities, vectorised (windows of {window})", clock() - start))
    start = clock()
    submissions = []
    for w, p in zip(windows, pre, strict=True):
        for c in w:
            here = run_rules(c.report, config, main_rules(c.report, config), precomputed=p)
            submissions.append(submission_result(c.report, c.results + here))
    out.append(("identity and cross-year rules (main process)", clock() - start))
    start = clock()
    render_json(submissions)
    out.append(("JSON output", clock() - start))
    slowest = sorted(per_rule.items(), key=lambda kv: -kv[1])[:8]
    out.extend((f"  rule {code}", seconds) for code, seconds in slowest)
    return [(name, 1000 * seconds / n) for name, seconds in out]


def read_hotspots(files: Sequence[Path], top: int = 12) -> list[tuple[str, float, float]]:
    """The reader's functions with the most own time: (file:function, own ms, cumulative ms) per report."""
    import cProfile
    import pstats

    from ogi.config import Config
    from ogi.engine import read_file

    config = Config()
    read_file(files[0], config)
    profile = cProfile.Profile()
    profile.enable()
    for path in files:
        read_file(path, config)
    profile.disable()
    stats = pstats.Stats(profile).stats  # type: ignore[attr-defined]
    rows = []
    for (filename, _, func), (_, _, own, cumulative, _) in stats.items():
        where = filename.split("/src/", 1)[-1] if "/src/ogi/" in filename else Path(filename).name
        rows.append((f"{where}:{func}", 1000 * own / len(files), 1000 * cumulative / len(files)))
    return sorted(rows, key=lambda r: -r[1])[:top]


def html_parse_ms(files: Sequence[Path], count: int = 50) -> tuple[float, float, float, float]:
    """Median ms for `read_html` (decode, parse, article, lines, grids) on the pages nearest 60 KB,
    best of three runs each, in this process; their mean size in KB; and, on the same pages, the floor
    under any reader built on lxml: libxml2's parse alone, and that parse plus a bare walk that only
    touches each element's tag, text and tail from Python."""
    from lxml import etree

    from ogi.ingest.html import decode_page, page_parser, read_html

    def parse(text: str) -> Any:
        return etree.fromstring(text, page_parser())

    def parse_and_walk(text: str) -> None:
        for event, el in etree.iterwalk(parse(text), events=("start", "end")):
            if event == "start":
                el.tag, el.text  # noqa: B018 - touching is the measurement
            else:
                el.tail  # noqa: B018

    nearest = sorted(files, key=lambda p: abs(p.stat().st_size - 60 * 1024))[:count]
    ours, floor, walked = [], [], []
    for path in nearest:
        data = path.read_bytes()
        text = decode_page(data)[0]
        ours.append(_best_ms(read_html, data))
        floor.append(_best_ms(parse, text))
        walked.append(_best_ms(parse_and_walk, text))
    size_kb = statistics.mean(p.stat().st_size for p in nearest) / 1024
    return statistics.median(ours), size_kb, statistics.median(floor), statistics.median(walked)


def cold_read_ms(files: Sequence[Path], count: int = COLD_N) -> tuple[float, float]:
    """Mean ms per page over distinct pages, as a batch meets them (nothing cached from the page before):
    decode plus libxml2's parse, on every other page; read_html (all of it), on the pages between."""
    from lxml import etree

    from ogi.ingest.html import decode_page, page_parser, read_html

    def decode_and_parse(data: bytes) -> None:
        etree.fromstring(decode_page(data)[0], page_parser())

    pages = [p.read_bytes() for p in sorted(files)[: 2 * count]]
    read_html(pages[0])  # imports
    # Interleaved, so that both meet the machine's same moments (its speed drifts).
    parsed: list[float] = []
    read: list[float] = []
    for one, other in zip(pages[::2], pages[1::2], strict=False):  # an odd last page is left out
        parsed.append(_timed(decode_and_parse, one))
        read.append(_timed(read_html, other))
    return 1000 * statistics.mean(parsed), 1000 * statistics.mean(read)


def _html_floor(data: bytes) -> None:
    from lxml import etree

    from ogi.ingest.html import decode_page, page_parser

    etree.fromstring(decode_page(data)[0], page_parser())


def _pdf_floor(data: bytes) -> None:
    """pdfium's text of every page and every character's box: what any reader on pdfium starts from."""
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(data)
    try:
        for page in pdf:
            textpage = page.get_textpage()
            count = textpage.count_chars()
            textpage.get_text_range()
            for i in range(count):
                textpage.get_charbox(i)
            textpage.close()
            page.close()
    finally:
        pdf.close()


def _ooxml_floor(data: bytes) -> None:
    """Inflating every part (the zip check does) and parsing the main XML parts with lxml: the document, or
    the shared strings and every worksheet."""
    import io
    import zipfile

    from lxml import etree

    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        parts = {info.filename: zf.read(info) for info in zf.infolist()}
    for name, part in parts.items():
        if name == "word/document.xml" or name == "xl/sharedStrings.xml" or (
                name.startswith("xl/worksheets/") and name.endswith(".xml")):
            etree.fromstring(part)


FLOORS = {"html": _html_floor, "pdf": _pdf_floor, "docx": _ooxml_floor, "xlsx": _ooxml_floor}
FLOOR_NAMES = {"html": "decode + libxml2 parse", "pdf": "pdfium text + every char box",
               "docx": "zip + lxml parse of word/document.xml", "xlsx": "zip + lxml parse of the sheets and strings"}


def reader_against_floor(kind: str, files: Sequence[Path]) -> tuple[float, float]:
    """Mean CPU ms per file of the format's reader (read_document: sniff and read into lines and grids) and of
    its floor, on the same files, interleaved so that both meet the machine's same moments."""
    from ogi.ingest.readers import read_document

    pages = [(p.name, p.read_bytes()) for p in files]
    read_document(pages[0][1], pages[0][0])  # imports
    FLOORS[kind](pages[0][1])
    clock = time.process_time
    reader = floor = 0.0
    for name, data in pages:
        start = clock()
        read_document(data, name)
        reader += clock() - start
        start = clock()
        FLOORS[kind](data)
        floor += clock() - start
    return 1000 * reader / len(pages), 1000 * floor / len(pages)


def mixed_folder(root: Path, sources: dict[str, Path], n: int) -> Path:
    """`n` reports in the national shares (MIX), as links to the per-format corpora's files."""
    folder = root / ("mixed-" + "+".join(p.name for p in sources.values()) + f"-{n}")
    done = folder / ".complete"
    if done.exists():
        return folder
    for stale in root.glob("mixed-*"):  # links into corpora that were regenerated
        shutil.rmtree(stale)
    folder.mkdir(parents=True)
    for kind, share in MIX.items():
        files = sorted(p for p in sources[kind].iterdir() if not p.name.startswith("."))
        wanted = round(n * share)
        if len(files) < wanted:
            raise SystemExit(f"the {kind} corpus has {len(files)} files, the mixed batch needs {wanted}")
        for path in files[:wanted]:
            (folder / path.name).symlink_to(path)
    done.write_text(f"{n}\n", encoding="utf-8")
    return folder


def dask_batch(folder: Path, out: Path, jobs: int) -> dict[str, float]:
    """The same batch on a Dask cluster started on this machine (loopback), warmed up, with its start-up apart."""
    files = sorted(str(p) for p in folder.iterdir() if not p.name.startswith("."))
    cmd = [sys.executable, "-m", "ogi.tools.dask_batch", str(out), *files, "--executor", "dask", "-j", str(jobs)]
    done = subprocess.run(cmd, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise SystemExit(f"ogi.tools.dask_batch failed ({done.returncode}):\n{done.stderr}")
    figures: dict[str, float] = json.loads(done.stdout.strip().splitlines()[-1])
    return figures


def projected_seconds(cpu_ms: float, serial_ms: float, cores: int, startup: float = 0.0) -> float:
    """Time for PROJECTED_REPORTS reports on `cores`: the per-report CPU spread over the cores, unless what one
    process must do for every report (the client's share) takes longer; plus a cluster's start-up."""
    return PROJECTED_REPORTS * max(cpu_ms / cores, serial_ms) / 1000 + startup


def _minutes(seconds: float) -> str:
    return f"{seconds / 60:.1f} min" if seconds >= 90 else f"{seconds:.0f} s"


def reader_share(files: Sequence[Path], out: Path, count: int = SHARE_N,
                 repeat: int = 2) -> tuple[tuple[float, float], tuple[float, float]]:
    """(seconds, CPU seconds) of a JSON batch on the same `count` pages, read as usual and with the HTML
    reader's results preloaded (`ogi.tools.preloaded_batch`), alternately `repeat` times; the faster run of each."""
    sample = [str(p) for p in sorted(files)[:count]]
    runs: dict[bool, list[tuple[float, float]]] = {False: [], True: []}
    for _ in range(repeat):
        for preloaded in (False, True):
            cmd = [sys.executable, "-m", "ogi.tools.preloaded_batch", str(out), *sample]
            if preloaded:
                cmd.append("--preloaded")
            done = subprocess.run(cmd, capture_output=True, text=True, check=False)
            if done.returncode != 0:
                raise SystemExit(f"ogi.tools.preloaded_batch failed ({done.returncode}):\n{done.stderr}")
            figures = json.loads(done.stdout.strip().splitlines()[-1])
            runs[preloaded].append((figures["seconds"], figures["cpu"]))
    return min(runs[False]), min(runs[True])


def _best_ms(func: Any, arg: Any) -> float:
    """Best of three timed calls after one warm-up, in ms."""
    func(arg)
    return 1000 * min(_timed(func, arg) for _ in range(3))


def _timed(func: Any, arg: Any) -> float:
    start = time.perf_counter()
    func(arg)
    return time.perf_counter() - start


# --- report ---------------------------------------------------------------------------------------


def machine() -> str:
    model = "unknown CPU"
    with contextlib.suppress(OSError), open("/proc/cpuinfo", encoding="utf-8") as handle:
        for line in handle:
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    ram = 0.0
    with contextlib.suppress(OSError), open("/proc/meminfo", encoding="ascii") as handle:
        for line in handle:
            if line.startswith("MemTotal:"):
                ram = int(line.split()[1]) / 2**20
    from ogi import __version__

    return (f"{os.cpu_count()} CPU ({len(os.sched_getaffinity(0))} usable), {model}, {ram:.0f} GB RAM, "
            f"Python {platform.python_version()}, {platform.system()} {platform.release()}, "
            f"ogi-checks {__version__}")


def _ok(good: bool) -> str:
    return "✅" if good else "❌"


@contextlib.contextmanager
def _workdir(given: str | None) -> Iterator[Path]:
    if given:
        path = Path(given)
        path.mkdir(parents=True, exist_ok=True)
        yield path
    else:
        path = Path(tempfile.gettempdir()) / "ogi-bench"
        path.mkdir(exist_ok=True)
        yield path


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m ogi.tools.bench", description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=10_000, help="HTML reports in the batch (default 10000)")
    parser.add_argument("--quick", action="store_true", help=f"a smoke test: --n 500, {OFFICE_N // 5} "
                                                             f"DOCX/XLSX, {PDF_N // 4} PDF, a mixed batch of "
                                                             f"{MIXED_N // 5}, a smaller naive sample")
    parser.add_argument("--dir", help="where the corpora are cached (default: $TMPDIR/ogi-bench)")
    parser.add_argument("-j", "--jobs", type=int, help="worker processes (default: ogi's default, every core)")
    parser.add_argument("--naive", type=int, default=NAIVE_N, help=f"naive baseline sample (default {NAIVE_N})")
    parser.add_argument("--stages", type=int, metavar="N", help="instead: CPU time per stage and the reader's "
                        "hotspots, in one process, on N reports (profiling; cProfile adds overhead)")
    args = parser.parse_args(argv)
    if args.stages:
        with _workdir(args.dir) as root:
            sample = sorted(p for p in corpus(root, "html", max(args.stages, 500)).iterdir()
                            if not p.name.startswith("."))[: args.stages]
        print(f"Machine: {machine()}")
        print(f"\nCPU ms per report, one process, {len(sample)} reports:\n")
        print("| Stage | ms/report |\n|---|---|")
        for name, ms in stages(sample):
            print(f"| {name} | {ms:.2f} |")
        print("\nReader hotspots under cProfile (own time; cumulative), ms per report:\n")
        print("| Function | own | cumulative |\n|---|---|---|")
        for name, own, cumulative in read_hotspots(sample):
            print(f"| {name} | {own:.2f} | {cumulative:.2f} |")
        return 0
    n = 500 if args.quick else args.n
    office_n = OFFICE_N // 5 if args.quick else OFFICE_N
    pdf_n = PDF_N // 4 if args.quick else PDF_N
    mixed_n = MIXED_N // 5 if args.quick else MIXED_N
    floor_n = FLOOR_N // 2 if args.quick else FLOOR_N
    naive_n = min(args.naive, n, 100 if args.quick else args.naive)
    cores = len(os.sched_getaffinity(0))

    with _workdir(args.dir) as root:
        html = corpus(root, "html", n)
        docx = corpus(root, "docx", office_n, seed=1)
        xlsx = corpus(root, "xlsx", office_n, seed=2)
        pdf = corpus(root, "pdf", pdf_n, seed=3)
        mixed = mixed_folder(root, {"html": html, "pdf": pdf, "docx": docx, "xlsx": xlsx}, mixed_n)
        out = root / "out"
        out.mkdir(exist_ok=True)

        print("measuring …", file=sys.stderr, flush=True)
        help_s = _median_wall(_ogi("--help"), 5)
        one = sorted(p for p in html.iterdir() if not p.name.startswith("."))[0]
        single_s = _median_wall(_ogi("check", str(one), "--format", "json", "-o", str(out / "one.json")), 5)
        batch, unreadable = check_batch(html, out / "html.json", args.jobs)
        docx_run, docx_bad = check_batch(docx, out / "docx.json", args.jobs)
        xlsx_run, xlsx_bad = check_batch(xlsx, out / "xlsx.json", args.jobs)
        pdf_run, pdf_bad = check_batch(pdf, out / "pdf.json", args.jobs)
        mixed_run, mixed_bad = check_batch(mixed, out / "mixed.json", args.jobs)
        on_dask = dask_batch(mixed, out / "mixed-dask.json", args.jobs or cores)
        same_output = (out / "mixed.json").read_bytes() == (out / "mixed-dask.json").read_bytes()
        against_floor = {}
        for kind, folder in (("html", html), ("pdf", pdf), ("docx", docx), ("xlsx", xlsx)):
            files = sorted(p for p in folder.iterdir() if not p.name.startswith("."))[:floor_n]
            against_floor[kind] = reader_against_floor(kind, files)
        sample = sorted(p for p in html.iterdir() if not p.name.startswith("."))[:naive_n]
        naive_rate = naive(sample)
        pages = [p for p in html.iterdir() if not p.name.startswith(".")]
        parse_ms, parse_kb, libxml2_ms, walk_ms = html_parse_ms(pages)
        cold_n = min(COLD_N, len(pages) // 2)
        cold_parse, cold_read = cold_read_ms(pages, cold_n)
        share_n = min(n, SHARE_N)
        usual, preloaded = reader_share(pages, out / "share.json", share_n)

    rate = n / batch.seconds
    allowed_ms = 1000 * cores / TARGETS["html_rate"]
    usual_ms, preloaded_ms = (1000 * cpu / share_n for _, cpu in (usual, preloaded))
    lo, mean, hi = _sizes(html)
    rows = [
        ("HTML batch: reports per second (end to end)", f"≥ {TARGETS['html_rate']:.0f}/s", f"{rate:.0f}/s",
         _ok(rate >= TARGETS["html_rate"])),
        (f"HTML batch: wall time for {n:,} reports", "", f"{batch.seconds:.1f} s", ""),
        ("HTML batch: CPU time per report (all processes)", "", f"{1000 * batch.cpu / n:.1f} ms", ""),
        ("HTML batch: CPU time per report the rate target allows", "",
         f"{allowed_ms:.1f} ms ({cores} cores ÷ {TARGETS['html_rate']:.0f}/s)", ""),
        # Below the core count: the batch waited (start-up, the main process, a busy machine), not computed.
        ("HTML batch: cores kept busy", "", f"{batch.cpu / batch.seconds:.2f} of {cores}", ""),
        ("HTML batch: peak memory, whole process tree", f"< {TARGETS['peak_mb']:.0f} MB",
         f"{batch.peak_mb:.0f} MB (largest process {batch.max_process_mb:.0f} MB)",
         _ok(batch.peak_mb < TARGETS["peak_mb"])),
        ("One report, interpreter start included", f"< {TARGETS['single']} s", f"{single_s:.2f} s",
         _ok(single_s < TARGETS["single"])),
        ("`ogi --help`", f"< {TARGETS['help']} s", f"{help_s:.2f} s", _ok(help_s < TARGETS["help"])),
        (f"Reading one HTML page of ~{parse_kb:.0f} KB (read_html, median of 50)", "< 10 ms",
         f"{parse_ms:.1f} ms", _ok(parse_ms < 10)),
        ("Floor under any lxml-based reader, same pages: libxml2 parse alone; "
         "+ a bare Python walk over every element", "", f"{libxml2_ms:.1f} ms; {walk_ms:.1f} ms", ""),
        (f"Reading a page as a batch meets it (means over {cold_n} distinct pages each): decode + libxml2 parse; "
         "all of read_html", "", f"{cold_parse:.1f} ms; {cold_read:.1f} ms", ""),
        (f"Same {share_n:,} pages in a batch, read as usual; with the HTML reader's results preloaded", "",
         f"{share_n / usual[0]:.0f}/s, {usual_ms:.1f} ms CPU each; "
         f"{share_n / preloaded[0]:.0f}/s, {preloaded_ms:.1f} ms CPU each", ""),
        ("Reading HTML in a batch (the difference); what the rate target leaves for it (allowed − preloaded)",
         "", f"{usual_ms - preloaded_ms:.1f} ms; {allowed_ms - preloaded_ms:.1f} ms", ""),
        (f"Naive baseline (pandas.read_html + pandera per report, 1 process, {naive_n} reports)", "",
         f"{naive_rate:.0f}/s (ogi: {rate / naive_rate:.1f}× as many)", ""),
    ]
    rates = {"html": rate, "pdf": pdf_n / pdf_run.seconds, "docx": office_n / docx_run.seconds,
             "xlsx": office_n / xlsx_run.seconds}
    cpus = {"html": 1000 * batch.cpu / n, "pdf": 1000 * pdf_run.cpu / pdf_n, "docx": 1000 * docx_run.cpu / office_n,
            "xlsx": 1000 * xlsx_run.cpu / office_n}
    sizes = {"html": n, "pdf": pdf_n, "docx": office_n, "xlsx": office_n}
    for kind in ("pdf", "docx", "xlsx"):
        target = "" if kind == "pdf" else f"≥ {TARGETS['office_share']:.0%} of HTML's"
        share = rates[kind] / rate
        rows.append((f"{kind.upper()} batch ({sizes[kind]}): reports per second; CPU per report (all processes)",
                     target, f"{rates[kind]:.0f}/s ({share:.0%} of HTML's); {cpus[kind]:.1f} ms",
                     "" if kind == "pdf" else _ok(share >= TARGETS["office_share"])))
    for kind, (reader_ms, floor_ms) in against_floor.items():
        ratio = reader_ms / floor_ms
        target = f"≤ {TARGETS['pdf_floor']:.0f}× floor" if kind == "pdf" else ""
        rows.append((f"Reading a {kind.upper()} report, one process (mean of {floor_n}): reader; floor "
                     f"({FLOOR_NAMES[kind]})", target, f"{reader_ms:.1f} ms; {floor_ms:.1f} ms ({ratio:.1f}×)",
                     _ok(ratio <= TARGETS["pdf_floor"]) if kind == "pdf" else ""))
    mixed_cpu = 1000 * mixed_run.cpu / mixed_n
    dask_cpu = 1000 * on_dask["cpu"] / mixed_n
    client_ms = 1000 * on_dask["client_cpu"] / mixed_n
    workers_ms = 1000 * on_dask["worker_cpu"] / mixed_n
    shares = ", ".join(f"{share:.0%} {kind.upper()}" for kind, share in MIX.items())
    rows += [
        (f"Mixed batch ({mixed_n}: {shares}), local engine", "",
         f"{mixed_n / mixed_run.seconds:.0f}/s, {mixed_cpu:.1f} ms CPU each", ""),
        (f"Same batch, --executor dask on loopback ({args.jobs or cores} workers, warmed up): rate; CPU per report "
         "(workers + the client and scheduler, one process); cluster start-up and warm-up", "byte-identical output",
         f"{mixed_n / on_dask['seconds']:.0f}/s; {dask_cpu:.1f} ms = {workers_ms:.1f} + {client_ms:.2f} ms "
         f"(Dask overhead {dask_cpu - mixed_cpu:+.1f} ms); {on_dask['startup']:.1f} s", _ok(same_output)),
        (f"Projected time for {PROJECTED_REPORTS:,} mixed reports (CPU per report ÷ cores, bounded by the client's "
         "share; Dask start-up added)", "",
         "; ".join([f"2 cores, local engine: {_minutes(projected_seconds(mixed_cpu, 0.0, 2))}"]
                   + [f"{k} cores, Dask: {_minutes(projected_seconds(dask_cpu, client_ms, k, on_dask['startup']))}"
                      for k in PROJECTED_CORES]), ""),
    ]
    print()
    print(f"Machine: {machine()}")
    print(f"Corpus: {n:,} generated 2021-format HTML pages, {lo // 1024}–{hi // 1024} KB (mean {mean // 1024} KB);"
          f" {pdf_n} PDF, {office_n} DOCX, {office_n} XLSX; a mixed batch of {mixed_n} of them")
    print(f"Other processes used {batch.background:.0f} CPU-s of the {cores * batch.seconds:.0f} available "
          f"during the HTML batch ({100 * batch.background / max(cores * batch.seconds, 1e-9):.0f}%)")
    if unreadable or docx_bad or xlsx_bad or pdf_bad or mixed_bad:
        print(f"Unreadable: html {unreadable}, pdf {pdf_bad}, docx {docx_bad}, xlsx {xlsx_bad}, mixed {mixed_bad}")
    print()
    print("| Measure | Target | Measured | |")
    print("|---|---|---|---|")
    for row in rows:
        print("| " + " | ".join(row) + " |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
