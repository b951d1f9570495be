"""The real-report regression set: every document of `tests/real/` checked against its hand-verified truth.

Per report it measures what issue 15 asks of the checker on real documents: the table cells read as
the truth has them, the hard defects found, the errors that no real defect explains, and the warnings that
no real defect explains (a warning accuses too, unless it only names a doubt of the reading). The figures
print as a table and, with `--json`, as a file to compare across commits.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from ogi.model import CellKind, CellValue, Finding, Severity, SubmissionResult, Table

DEFAULT_ROOT = Path("tests/real")
# Rules whose warnings name a doubt of the reading ("could not be read"), not a defect of the report: a
# warning of theirs is never counted as one that no defect explains.
READING_DOUBT_RULES = frozenset({"F006", "F007", "S014"})


@dataclass(frozen=True)
class Truth:
    """One truth file of the set, as written by hand (see tests/real/README.md for the format)."""

    id: str
    path: Path  # the truth JSON
    data: dict[str, Any]

    @property
    def document(self) -> Path:
        return self.path.parent.parent / "files" / str(self.data["file"])

    @property
    def hard_defects(self) -> list[dict[str, Any]]:
        return [d for d in self.data.get("defects", []) if d.get("confidence") == "hard"]


@dataclass(frozen=True)
class CellMiss:
    table: str
    row: str
    column: str
    expected: Any
    actual: str  # what the checker read: its raw text and kind, or "absent"

    def describe(self) -> str:
        return f"{self.table}/{self.row}/{self.column}: truth {self.expected!r}, read {self.actual}"


@dataclass(frozen=True)
class Figures:
    """What the checker achieved on one report, against its truth."""

    id: str
    kind: str
    format: str
    cells_kept_apart: bool
    cells: int
    correct: int
    misses: tuple[CellMiss, ...]
    extra: int  # cells the checker read in rows or columns the truth does not have
    hard_total: int  # hard defects that some rule covers
    hard_found: int
    hard_missed: tuple[str, ...]
    uncovered: tuple[str, ...]  # hard defects no rule covers yet (not counted)
    errors: int
    unexplained: tuple[str, ...]  # "RULE: message" of errors no defect of the truth explains
    warnings: int = 0
    # "RULE: message" of warnings whose rule explains no defect of the truth and names no reading doubt
    unexplained_warnings: tuple[str, ...] = ()
    metadata: dict[str, tuple[Any, Any]] = field(default_factory=dict)  # field -> (truth, read), mismatches only

    @property
    def cells_ok(self) -> bool:
        return not self.cells_kept_apart or self.correct == self.cells

    @property
    def passed(self) -> bool:
        return self.cells_ok and self.hard_found == self.hard_total and not self.unexplained and not self.metadata


def load_truths(root: Path = DEFAULT_ROOT) -> list[Truth]:
    """Every truth file under `root/truth`, in file-name order."""
    out = []
    for path in sorted((root / "truth").glob("*.json")):
        out.append(Truth(path.stem, path, json.loads(path.read_text(encoding="utf-8"))))
    return out


def normalise(text: str) -> str:
    """Compare printed strings without width or spacing differences (“／” is “/”, “２２ 件” is “22件”)."""
    return "".join(unicodedata.normalize("NFKC", text).split())


def cell_matches(expected: Any, cell: CellValue | None) -> bool:
    if cell is None:
        return False
    if expected is None:
        return cell.kind is CellKind.BLANK
    if isinstance(expected, str):
        return cell.kind is not CellKind.BLANK and normalise(cell.raw) == normalise(expected)
    number = cell.number
    return number is not None and number == Decimal(str(expected))


def _shown(cell: CellValue | None) -> str:
    return "absent" if cell is None else f"{cell.raw!r} ({cell.kind.value})"


def compare_tables(truth: Mapping[str, Mapping[str, Mapping[str, Any]]],
                   tables: Mapping[str, Table]) -> tuple[int, int, list[CellMiss], int]:
    """(cells in truth, cells read as the truth has them, the misses, cells read beyond the truth)."""
    total = correct = extra = 0
    misses: list[CellMiss] = []
    for key, rows in truth.items():
        table = tables.get(key)
        expected_keys = {(row, col) for row, cols in rows.items() for col in cols}
        for row, cols in rows.items():
            for col, expected in cols.items():
                total += 1
                cell = table.get(row, col) if table is not None else None
                if cell_matches(expected, cell):
                    correct += 1
                else:
                    misses.append(CellMiss(key, row, col, expected, _shown(cell)))
        if table is not None:
            extra += sum(1 for k, c in table.cells.items() if k not in expected_keys and c.kind is not CellKind.BLANK)
    return total, correct, misses, extra


def canonical_agency(name: str | None) -> str:
    return "".join((name or "").split())


def metadata_mismatches(truth: Truth, result: SubmissionResult) -> dict[str, tuple[Any, Any]]:
    report = result.report
    read: dict[str, Any] = {
        "agency": report.agency if report else None,
        "year": report.year if report else None,
        "format_version": report.format_version if report else None,
    }
    out: dict[str, tuple[Any, Any]] = {}
    want_agency = canonical_agency(truth.data.get("agency"))
    got_agency = canonical_agency(read["agency"])
    if (want_agency not in got_agency) if want_agency else got_agency:
        out["agency"] = (truth.data.get("agency"), read["agency"])
    if truth.data.get("year") != read["year"]:
        out["year"] = (truth.data.get("year"), read["year"])
    if truth.data.get("format_version") != read["format_version"]:
        out["format_version"] = (truth.data.get("format_version"), read["format_version"])
    # A publication date read wrong is what makes a false D002; one not read leaves D002 "not checked". Where
    # the file states none, a dated head line (the document's own date) is a fair reading, page metadata not.
    published, stated = (report.published if report else None), truth.data.get("published")
    if (published is not None and published.source != "url" and str(published.date) != stated
            and (stated is not None or published.source == "page-meta")):
        out["published"] = (stated, str(published.date))
    return out


_NUMBER = re.compile(r"-?\d[\d,]*(?:\.\d+)?")


def _numbers(text: str) -> set[Decimal]:
    return {Decimal(m.replace(",", "")) for m in _NUMBER.findall(text)}


def _finding_numbers(finding: Finding) -> set[Decimal]:
    """The numbers a numeric finding compares (its message's, with its expected and actual); none for a finding
    whose values are not numbers (a missing section, a blank column), which only its rule can match."""
    values = [v for v in (finding.expected, finding.actual) if isinstance(v, (int, float)) and not isinstance(v, bool)]
    if not values:
        return set()
    return _numbers(finding.message) | {Decimal(str(v)) for v in values}


def matches(finding: Finding, defect: Mapping[str, Any]) -> bool:
    """Whether `finding` reports `defect`: one of its rules, and — for a numeric finding — the same arithmetic:
    a number of 10 or more, or a fraction, or two small numbers, shared with the defect's detail. A rule firing
    elsewhere in the report (another row's A101, an unrelated C001 note) neither finds a defect nor explains
    an error. An entry that records what holds (`holds`: a negative control) is matched by nothing."""
    if defect.get("holds") or finding.rule not in defect.get("rules", []):
        return False
    own = _finding_numbers(finding)
    if not own:
        return True
    common = own & _numbers(str(defect.get("detail", "")))
    return any(abs(n) >= 10 or n != n.to_integral_value() for n in common) or len(common) >= 2


def _defect_label(defect: Mapping[str, Any]) -> str:
    rules = "/".join(defect.get("rules", [])) or "no rule"
    return f"{defect.get('kind')} ({rules})"


def evaluate(truth: Truth, result: SubmissionResult) -> Figures:
    """Hold one checker result to its truth."""
    tables: Mapping[str, Table] = result.report.tables if result.report is not None else {}
    cells, correct, misses, extra = compare_tables(truth.data.get("tables", {}), tables)
    covered = [d for d in truth.hard_defects if d.get("rules")]
    found = [d for d in covered if any(matches(f, d) for f in result.findings)]
    defects = truth.data.get("defects", [])
    errors = [f for f in result.findings if f.severity is Severity.ERROR]
    warnings = [f for f in result.findings if f.severity is Severity.WARNING]

    def unexplained(findings: list[Finding]) -> tuple[str, ...]:
        return tuple(f"{f.rule}: {f.message}" for f in findings if not any(matches(f, d) for d in defects))

    return Figures(
        id=truth.id,
        kind=str(truth.data.get("kind")),
        format=str(truth.data.get("format_version")),
        cells_kept_apart=bool(truth.data.get("cells_kept_apart", True)),
        cells=cells,
        correct=correct,
        misses=tuple(misses),
        extra=extra,
        hard_total=len(covered),
        hard_found=len(found),
        hard_missed=tuple(_defect_label(d) for d in covered if d not in found),
        uncovered=tuple(_defect_label(d) for d in truth.hard_defects if not d.get("rules")),
        errors=len(errors),
        unexplained=unexplained(errors),
        warnings=len(warnings),
        unexplained_warnings=unexplained([f for f in warnings if f.rule not in READING_DOUBT_RULES]),
        metadata=metadata_mismatches(truth, result),
    )


def check(truth: Truth) -> SubmissionResult:
    """The checker's result on the document of `truth`, with the default configuration."""
    from ogi.config import Config
    from ogi.engine import check_file

    return check_file(truth.document, Config())


def run(truths: Iterable[Truth]) -> list[Figures]:
    return [evaluate(t, check(t)) for t in truths]


def totals(figures: list[Figures]) -> dict[str, int]:
    kept = [f for f in figures if f.cells_kept_apart]
    return {
        "reports": len(figures),
        "passed": sum(f.passed for f in figures),
        "cells": sum(f.cells for f in kept),
        "cells_correct": sum(f.correct for f in kept),
        "hard_total": sum(f.hard_total for f in figures),
        "hard_found": sum(f.hard_found for f in figures),
        "uncovered": sum(len(f.uncovered) for f in figures),
        "errors": sum(f.errors for f in figures),
        "unexplained": sum(len(f.unexplained) for f in figures),
        "warnings": sum(f.warnings for f in figures),
        "unexplained_warnings": sum(len(f.unexplained_warnings) for f in figures),
        "metadata_wrong": sum(len(f.metadata) for f in figures),
    }


HEADER = ("id", "kind", "fmt", "cells", "read", "wrong", "hard", "errors", "unexpl.", "warn", "unexpl.w", "meta")


def table_rows(figures: list[Figures]) -> list[tuple[str, ...]]:
    rows: list[tuple[str, ...]] = []
    for f in figures:
        cells = str(f.cells) if f.cells_kept_apart else f"({f.cells})"  # in parentheses: not held to 100%
        rows.append((f.id, f.kind, f.format, cells, str(f.correct), str(f.cells - f.correct),
                     f"{f.hard_found}/{f.hard_total}", str(f.errors), str(len(f.unexplained)), str(f.warnings),
                     str(len(f.unexplained_warnings)), ",".join(f.metadata) or "ok"))
    t = totals(figures)
    rows.append(("TOTAL", f"{t['passed']}/{t['reports']} pass", "", str(t["cells"]), str(t["cells_correct"]),
                 str(t["cells"] - t["cells_correct"]), f"{t['hard_found']}/{t['hard_total']}", str(t["errors"]),
                 str(t["unexplained"]), str(t["warnings"]), str(t["unexplained_warnings"]),
                 str(t["metadata_wrong"]) if t["metadata_wrong"] else "ok"))
    return rows


def render(figures: list[Figures], details: bool = False) -> str:
    rows = [HEADER, *table_rows(figures)]
    widths = [max(len(r[i]) for r in rows) for i in range(len(HEADER))]
    lines = ["  ".join(c.ljust(w) if i < 3 else c.rjust(w) for i, (c, w) in enumerate(zip(r, widths, strict=True)))
             for r in rows]
    lines.insert(1, "-" * len(lines[0]))
    lines.insert(len(lines) - 1, "-" * len(lines[0]))
    lines.append("cells in parentheses: the file runs cells together, not held to 100%")
    lines.append("unexpl.w: warnings whose rule explains no defect of the truth and names no reading doubt "
                 f"({', '.join(sorted(READING_DOUBT_RULES))})")
    uncovered = [(f.id, u) for f in figures for u in f.uncovered]
    if uncovered:
        lines.append("hard defects not covered by any rule: " + "; ".join(f"{i}: {u}" for i, u in uncovered))
    if details:
        for f in figures:
            notes = [*(m.describe() for m in f.misses[:20]),
                     *(f"… and {len(f.misses) - 20} more cells" for _ in [0] if len(f.misses) > 20),
                     *(f"hard defect not found: {h}" for h in f.hard_missed),
                     *(f"unexplained error {u}" for u in f.unexplained),
                     *(f"warning no defect explains {u}" for u in f.unexplained_warnings),
                     *(f"{k}: truth {v[0]!r}, read {v[1]!r}" for k, v in f.metadata.items())]
            if notes:
                lines.append(f"\n{f.id}:")
                lines.extend(f"  {n}" for n in notes)
    return "\n".join(lines)


def as_json(figures: list[Figures]) -> dict[str, Any]:
    def one(f: Figures) -> dict[str, Any]:
        out = asdict(f)
        out["misses"] = [asdict(m) for m in f.misses]
        out["metadata"] = {k: list(v) for k, v in f.metadata.items()}
        out["passed"] = f.passed
        return out

    return {"totals": totals(figures), "reports": [one(f) for f in figures]}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m ogi.tools.realset", description=__doc__)
    parser.add_argument("--root", type=Path, default=DEFAULT_ROOT, help="the set's folder (default tests/real)")
    parser.add_argument("--json", type=Path, metavar="PATH", help="also write the figures as JSON to PATH")
    parser.add_argument("--details", action="store_true", help="list the wrong cells, missed defects and errors")
    parser.add_argument("ids", nargs="*", help="only these reports")
    args = parser.parse_args(argv)
    truths = [t for t in load_truths(args.root) if not args.ids or t.id in args.ids]
    if not truths:
        print(f"no truth files under {args.root / 'truth'}", file=sys.stderr)
        return 2
    figures = run(truths)
    print(render(figures, details=args.details))
    if args.json:
        args.json.write_text(json.dumps(as_json(figures), ensure_ascii=False, indent=1, default=str) + "\n",
                             encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
