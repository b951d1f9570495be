"""One JSON batch, as `ogi check DIR --format json` runs it, timed from this process; with --preloaded, the
HTML reader's results are made before the clock starts and handed out instead of reading each page.

The benchmark runs it both ways on the same pages at the same moment: the difference is what reading HTML
costs in a batch, and the preloaded run is what everything else costs (sniffing, building the report, the
rules, the transfer to the main process, the output), which is the floor under any HTML reader.

Prints one JSON object: {"reports", "seconds", "cpu"} (CPU of this process and its workers, batch only).
Workers are forked (as ogi does on Linux), so they inherit the preloaded documents.
"""

from __future__ import annotations

import argparse
import contextlib
import gc
import hashlib
import json
import resource
import sys
import time
from collections.abc import Sequence
from pathlib import Path

import ogi.ingest.html as html_reader
from ogi.cli import main as ogi_main
from ogi.ingest.document import RawDocument


def preload(files: Sequence[Path]) -> None:
    """Read every page now; from then on, read_html hands out the page's document instead of reading it
    (a page it could not read beforehand is read when asked, and fails there as it would have)."""
    read = html_reader.read_html
    documents: dict[bytes, RawDocument] = {}
    for path in files:
        data = path.read_bytes()
        with contextlib.suppress(Exception):
            documents[hashlib.sha256(data).digest()] = read(data)

    def preloaded(data: bytes) -> RawDocument:
        document = documents.get(hashlib.sha256(data).digest())
        return read(data) if document is None else document

    html_reader.read_html = preloaded  # readers.py looks it up on each call
    gc.freeze()  # the documents are never collected: keep the collector (and copy-on-write) off them


def _cpu() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF)
    workers = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + workers.ru_utime + workers.ru_stime


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m ogi.tools.preloaded_batch", description=__doc__.split("\n\n")[0])
    parser.add_argument("out", help="the JSON output file")
    parser.add_argument("files", nargs="+", help="HTML pages")
    parser.add_argument("--preloaded", action="store_true", help="read the pages before the clock starts")
    args = parser.parse_args(argv)
    files = [Path(f) for f in args.files]
    if args.preloaded:
        preload(files)
    cpu, start = _cpu(), time.perf_counter()
    with contextlib.redirect_stdout(sys.stderr):
        ogi_main(["check", *args.files, "--format", "json", "-o", args.out, "--quiet", "--fail-on", "never"])
    seconds = time.perf_counter() - start
    print(json.dumps({"reports": len(files), "seconds": seconds, "cpu": _cpu() - cpu}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
