"""Format definitions (data) and the pandera schemas built from them.

    from ogi.schemas import table_schema, requests_schema
    requests_schema("2021").validate(frame, lazy=True)

pandera and pandas are imported only when a schema is asked for.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ogi.schemas.pandera_schemas import (
        active_schema,
        appeals_schema,
        report_frame,
        requests_schema,
        table_frame,
        table_schema,
    )

__all__ = ["active_schema", "appeals_schema", "report_frame", "requests_schema", "table_frame", "table_schema"]


def __getattr__(name: str) -> Any:
    if name in __all__:
        from ogi.schemas import pandera_schemas

        return getattr(pandera_schemas, name)
    raise AttributeError(name)
