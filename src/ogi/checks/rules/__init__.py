"""Every rule module; importing this package registers the whole catalogue."""

from ogi.checks.rules import (
    arithmetic,
    budget,
    consistency,
    dates,
    fees,
    file,
    format_structure,
    history,
    jurisdiction,
    old_statistics,
    plausibility,
    prose_arithmetic,
    structure,
    values,
)

__all__ = [
    "arithmetic",
    "budget",
    "consistency",
    "dates",
    "fees",
    "file",
    "format_structure",
    "history",
    "jurisdiction",
    "old_statistics",
    "plausibility",
    "prose_arithmetic",
    "structure",
    "values",
]
