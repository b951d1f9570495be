"""Every rule module; importing this package registers the whole catalogue."""

from ogi.checks.rules import budget, dates, file, prose_arithmetic, structure

__all__ = ["budget", "dates", "file", "prose_arithmetic", "structure"]
