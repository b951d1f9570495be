"""The most likely wrong cell: when identities fail in table 三 or 四, which correction fixes them all?

Every identity instance is a linear equation over the table's cells (Σ lhs − Σ rhs = 0). Changing a
cell by d moves the residual of each instance it belongs to by ±d. A single cell explains the
failures when it belongs to every failing instance, all of them ask for the same new value, and it
belongs to no instance that holds (which the change would break). Failing that, pairs of cells are
tried (a two-unknown system per pair). Several equally good answers are no answer — unless exactly one
of them looks like a typing slip (digits swapped, a digit dropped or doubled, a factor of 10ⁿ).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from itertools import combinations
from typing import TypeVar

from ogi.checks.cells import cell_label, cell_label_en, fmt_number
from ogi.checks.identities import IdentityResult, table_identities
from ogi.model import Report
from ogi.schemas.definitions import FormatDef, TableDef

Cell = tuple[str, str]
T = TypeVar("T")

# Pairs are tried only while the search stays small (a handful of failing instances, few candidates).
_MAX_FAILING_FOR_PAIRS = 6
_MAX_PAIR_CANDIDATES = 60

SLIPS = {
    "swap": ("疑似数字颠倒", "digits swapped?"),
    "scale": ("疑似多写或漏写了 0", "a factor of ten off?"),
    "digit": ("疑似个别数字录入错误", "one digit mistyped?"),
    "extra": ("疑似多录或漏录了一位数字", "a digit dropped or added?"),
    "blank": ("该单元格为空白", "the cell is blank"),
}


@dataclass(frozen=True)
class CellFix:
    row: str
    column: str
    current: Decimal | None
    value: Decimal

    @property
    def slip(self) -> str | None:
        return typing_slip(self.current, self.value)


@dataclass(frozen=True)
class Correction:
    """Cells whose corrected values make every identity of the table hold."""

    table: str
    cells: tuple[CellFix, ...]

    def describe(self, tdef: TableDef) -> str:
        """"自然人×部分公开应为 201（现为 102；可使全部勾稽关系成立；疑似数字颠倒） / …", Chinese first."""
        zh_parts, en_parts = [], []
        for fix in self.cells:
            now = fmt_number(fix.current)
            slip = SLIPS[fix.slip] if fix.slip else None
            zh = f"{cell_label(tdef, fix.row, fix.column)}应为 {fmt_number(fix.value)}（现为 {now}"
            en = f"{cell_label_en(tdef, fix.row, fix.column)}: {fmt_number(fix.value)} (now {now}"
            zh += f"；{slip[0]}）" if slip else "）"
            en += f"; {slip[1]})" if slip else ")"
            zh_parts.append(zh)
            en_parts.append(en)
        zh_all = "，".join(zh_parts) + "，可使全部勾稽关系成立"
        en_all = "; ".join(en_parts) + " would balance every identity"
        return f"{zh_all} / {en_all}"


def typing_slip(current: Decimal | None, value: Decimal) -> str | None:
    """What kind of typing slip turns `value` into `current`, if any."""
    if current is None:
        return "blank"
    if current < 0 or value < 0 or current != current.to_integral_value() or value != value.to_integral_value():
        return None
    a, b = str(int(current)), str(int(value))
    if a == b:
        return None
    if len(a) == len(b) and sorted(a) == sorted(b):
        diff = [i for i in range(len(a)) if a[i] != b[i]]
        if len(diff) == 2 or a == b[::-1]:
            return "swap"
    if current and value and (a.rstrip("0") == b.rstrip("0")) and a.rstrip("0"):
        big, small = max(current, value), min(current, value)
        ratio = big / small
        if ratio == ratio.to_integral_value() and str(int(ratio)).strip("0") == "1" and ratio > 1:
            return "scale"
    if len(a) == len(b) and sum(x != y for x, y in zip(a, b, strict=True)) == 1:
        return "digit"
    if abs(len(a) - len(b)) == 1:
        long_, short = (a, b) if len(a) > len(b) else (b, a)
        if any(long_[:i] + long_[i + 1:] == short for i in range(len(long_))):
            return "extra"
    return None


def _equations(results: list[IdentityResult]) -> tuple[list[dict[Cell, int]], list[Decimal]]:
    coefs: list[dict[Cell, int]] = []
    residuals: list[Decimal] = []
    for result in results:
        coef: dict[Cell, int] = {}
        for cell in result.lhs_cells:
            coef[cell] = coef.get(cell, 0) + 1
        for cell in result.rhs_cells:
            coef[cell] = coef.get(cell, 0) - 1
        coefs.append({c: k for c, k in coef.items() if k})
        residuals.append(result.difference)
    return coefs, residuals


def _acceptable(current: Decimal | None, value: Decimal, decimal: bool) -> bool:
    if value < 0:
        return False
    return decimal or value == value.to_integral_value()


def most_likely_correction(report: Report, fmt: FormatDef, table_key: str) -> Correction | None:
    """The smallest set of cells (one, else two) whose correction satisfies every identity of the table."""
    table = report.tables.get(table_key)
    if table is None:
        return None
    # Unknown cells (a blank side) are not 0: their instances are no equations to solve.
    results = [r for r in table_identities(report, fmt, table_key) if r.checked]
    failing = [i for i, r in enumerate(results) if r.failed]
    if not failing:
        return None
    tdef = fmt.tables[table_key]
    coefs, residuals = _equations(results)
    containing: dict[Cell, list[int]] = {}
    for i, coef in enumerate(coefs):
        for cell in coef:
            containing.setdefault(cell, []).append(i)

    def current(cell: Cell) -> Decimal | None:
        found = table.cells.get(cell)
        return found.number if found is not None else None

    def decimal(cell: Cell) -> bool:
        return tdef.column(cell[1]).decimal

    failing_set = set(failing)
    singles: list[CellFix] = []
    for cell, where in containing.items():
        if not failing_set <= set(where):
            continue
        deltas = {-residuals[i] / coefs[i][cell] for i in where}
        if len(deltas) != 1:
            continue  # it would break an identity that holds, or the failures disagree
        delta = deltas.pop()
        now = current(cell)
        value = (now or Decimal(0)) + delta
        if delta != 0 and _acceptable(now, value, decimal(cell)):
            singles.append(CellFix(cell[0], cell[1], now, value))
    chosen = _pick(singles)
    if chosen is not None:
        return Correction(table_key, (chosen,))
    if singles or len(failing) > _MAX_FAILING_FOR_PAIRS:
        return None
    candidates = sorted({c for i in failing for c in coefs[i]})
    if len(candidates) > _MAX_PAIR_CANDIDATES:
        return None
    pairs: list[tuple[CellFix, CellFix]] = []
    for x, y in combinations(candidates, 2):
        involved = set(containing[x]) | set(containing[y])
        if not failing_set <= involved:
            continue
        solved = _solve_pair(x, y, [(coefs[i].get(x, 0), coefs[i].get(y, 0), -residuals[i]) for i in involved])
        if solved is None:
            continue
        dx, dy = solved
        fx = CellFix(x[0], x[1], current(x), (current(x) or Decimal(0)) + dx)
        fy = CellFix(y[0], y[1], current(y), (current(y) or Decimal(0)) + dy)
        if _acceptable(fx.current, fx.value, decimal(x)) and _acceptable(fy.current, fy.value, decimal(y)):
            pairs.append((fx, fy))
    if len(pairs) == 1:
        return Correction(table_key, pairs[0])
    best = _most_likely(pairs, lambda pair: max(_slip_rank(pair[0]), _slip_rank(pair[1])))
    return Correction(table_key, best) if best is not None else None


# How likely a slip is: transposed digits first, a mistyped digit next, a dropped digit or a factor of ten after.
_SLIP_RANK = {"swap": 1, "digit": 2, "extra": 3, "scale": 3}
_NO_SLIP = 9


def _slip_rank(fix: CellFix) -> int:
    return _SLIP_RANK.get(fix.slip or "", _NO_SLIP)


def _most_likely(options: list[T], rank: Callable[[T], int]) -> T | None:
    """The one option with the most likely slip; None when none is a slip or two tie."""
    ranked = sorted((rank(o), i) for i, o in enumerate(options))
    if not ranked or ranked[0][0] == _NO_SLIP or (len(ranked) > 1 and ranked[1][0] == ranked[0][0]):
        return None
    return options[ranked[0][1]]


def _pick(singles: list[CellFix]) -> CellFix | None:
    if len(singles) == 1:
        return singles[0]
    return _most_likely(singles, _slip_rank)


def _solve_pair(x: Cell, y: Cell, eqs: list[tuple[int, int, Decimal]]) -> tuple[Decimal, Decimal] | None:
    """dx, dy with a·dx + b·dy = c for every equation, both non-zero and uniquely determined."""
    dx = dy = None
    for a, b, c in eqs:
        if a and not b:
            dx = Decimal(c) / a
        elif b and not a:
            dy = Decimal(c) / b
    if dx is None or dy is None:
        # Two equations that involve both cells and are independent determine them.
        both = [(a, b, c) for a, b, c in eqs if a and b]
        for (a1, b1, c1), (a2, b2, c2) in combinations(both, 2):
            det = a1 * b2 - a2 * b1
            if det:
                dx = (c1 * b2 - c2 * b1) / Decimal(det)
                dy = (a1 * c2 - a2 * c1) / Decimal(det)
                break
        else:
            return None
    if dx is None or dy is None or dx == 0 or dy == 0:
        return None
    if any(a * dx + b * dy != c for a, b, c in eqs):
        return None
    return dx, dy
