"""Benchmarks (`nox -s bench`, `python -m ogi.tools.bench`): prints figures, asserts nothing.

Measures `ogi` end to end, as a user runs it, on a corpus of realistic generated reports (2021 format,
whole CMS pages of 40–80 KB with inline styles, from `ogi.testing.write_corpus`), cached between runs:

- `ogi check DIR --format json -o …` on N HTML reports: reports per second, CPU time per report, and the
  peak memory of the whole process tree (sum of the RSS of the main process and its workers, polled);
- the same on a few hundred DOCX and XLSX reports;
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

TARGETS = {"html_rate": 300.0, "single": 1.5, "help": 0.3, "peak_mb": 1024.0}
OFFICE_N = 200  # DOCX and XLSX reports each
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
    parser.add_argument("--quick", action="store_true", help=f"a smoke test: --n 500, {OFFICE_N // 4} "
                                                             "DOCX/XLSX, a smaller naive sample")
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
    office_n = OFFICE_N // 4 if args.quick else OFFICE_N
    naive_n = min(args.naive, n, 100 if args.quick else args.naive)

    with _workdir(args.dir) as root:
        html = corpus(root, "html", n)
        docx = corpus(root, "docx", office_n, seed=1)
        xlsx = corpus(root, "xlsx", office_n, seed=2)
        out = root / "out"
        out.mkdir(exist_ok=True)

        print("measuring …", file=sys.stderr, flush=True)
        help_s = _median_wall(_ogi("--help"), 5)
        one = sorted(p for p in html.iterdir() if not p.name.startswith("."))[0]
        single_s = _median_wall(_ogi("check", str(one), "--format", "json", "-o", str(out / "one.json")), 5)
        batch, unreadable = check_batch(html, out / "html.json", args.jobs)
        docx_run, docx_bad = check_batch(docx, out / "docx.json", args.jobs)
        xlsx_run, xlsx_bad = check_batch(xlsx, out / "xlsx.json", args.jobs)
        sample = sorted(p for p in html.iterdir() if not p.name.startswith("."))[:naive_n]
        naive_rate = naive(sample)
        pages = [p for p in html.iterdir() if not p.name.startswith(".")]
        parse_ms, parse_kb, libxml2_ms, walk_ms = html_parse_ms(pages)
        cold_n = min(COLD_N, len(pages) // 2)
        cold_parse, cold_read = cold_read_ms(pages, cold_n)
        share_n = min(n, SHARE_N)
        usual, preloaded = reader_share(pages, out / "share.json", share_n)

    rate = n / batch.seconds
    cores = len(os.sched_getaffinity(0))
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
        (f"DOCX batch ({office_n}): reports per second", "", f"{office_n / docx_run.seconds:.0f}/s "
         f"({1000 * docx_run.cpu / office_n:.0f} ms CPU each)", ""),
        (f"XLSX batch ({office_n}): reports per second", "", f"{office_n / xlsx_run.seconds:.0f}/s "
         f"({1000 * xlsx_run.cpu / office_n:.0f} ms CPU each)", ""),
        (f"Naive baseline (pandas.read_html + pandera per report, 1 process, {naive_n} reports)", "",
         f"{naive_rate:.0f}/s (ogi: {rate / naive_rate:.1f}× as many)", ""),
    ]
    print()
    print(f"Machine: {machine()}")
    print(f"Corpus: {n:,} generated 2021-format HTML pages, {lo // 1024}–{hi // 1024} KB (mean {mean // 1024} KB);"
          f" {office_n} DOCX, {office_n} XLSX")
    print(f"Other processes used {batch.background:.0f} CPU-s of the {cores * batch.seconds:.0f} available "
          f"during the HTML batch ({100 * batch.background / max(cores * batch.seconds, 1e-9):.0f}%)")
    if unreadable or docx_bad or xlsx_bad:
        print(f"Unreadable: html {unreadable}, docx {docx_bad}, xlsx {xlsx_bad}")
    print()
    print("| Measure | Target | Measured | |")
    print("|---|---|---|---|")
    for row in rows:
        print("| " + " | ".join(row) + " |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
