"""One JSON batch on a Dask cluster, as `ogi check FILES --format json -o OUT --executor dask[=ADDRESS]` writes
it, with the cluster's start-up measured apart from the batch.

The cluster is started (on this machine unless an address is given) and warmed up first: a few files are read,
so that every worker has imported the readers, as a long batch's workers have. Then the batch is timed.
Prints one JSON object: {"reports", "seconds", "startup", "client_cpu", "worker_cpu", "cpu"}: the batch's wall
time, the start-up and warm-up's, and the batch's CPU seconds in this process (the client, and for a cluster
started here its scheduler, which runs in this process: what one process does for every report, however many
workers there are) and in the workers (as each worker process counts it).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import sys
import time
from collections.abc import Sequence
from pathlib import Path


def _cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def _workers_cpu(client: object) -> float:
    """CPU seconds the cluster's worker processes have used so far."""
    figures = client.run(_cpu)  # type: ignore[attr-defined]
    return float(sum(figures.values()))


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m ogi.tools.dask_batch", description=__doc__.split("\n\n")[0])
    parser.add_argument("out", help="the JSON output file")
    parser.add_argument("files", nargs="+", help="submissions")
    parser.add_argument("--executor", default="dask", help="dask (a cluster on this machine) or dask=ADDRESS")
    parser.add_argument("-j", "--jobs", type=int, help="workers of a cluster started here")
    parser.add_argument("--chunk", type=int, help="files per Dask task (default: DaskExecutor's)")
    args = parser.parse_args(argv)
    from ogi.api import iter_check
    from ogi.config import load_config
    from ogi.executors import parse_executor
    from ogi.reports.json_report import write_json

    executor = parse_executor(args.executor, args.jobs)
    assert executor is not None, "a Dask executor is needed"
    if args.chunk:
        executor.chunk = args.chunk
    config = load_config(None)  # as `ogi check` does without --config
    files = [Path(f) for f in args.files]
    with executor:
        start = time.perf_counter()
        session = executor.session()
        warm = files[: 2 * executor.chunk * session.threads()]
        with open(os.devnull, "w", encoding="utf-8") as sink:
            write_json(iter_check(warm, config=config, keep_text=False, executor=executor), sink.write)
        startup = time.perf_counter() - start
        client_cpu, worker_cpu, start = _cpu(), _workers_cpu(session.client), time.perf_counter()
        # As `ogi check --format json -o OUT` streams it (the CLI's _stream_json, without its rename).
        with open(args.out, "w", encoding="utf-8") as handle:
            write_json(iter_check(files, config=config, keep_text=False, executor=executor), handle.write)
        seconds = time.perf_counter() - start
        client_cpu = _cpu() - client_cpu
        worker_cpu = _workers_cpu(session.client) - worker_cpu
    print(json.dumps({"reports": len(files), "seconds": seconds, "startup": startup, "client_cpu": client_cpu,
                      "worker_cpu": worker_cpu, "cpu": client_cpu + worker_cpu, "retried": len(executor.retried)}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
