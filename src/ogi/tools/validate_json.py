"""Validate an `ogi check --format json` file against the packaged JSON Schema."""

from __future__ import annotations

import json
import sys
from importlib import resources
from typing import Any


def schema() -> dict[str, Any]:
    text = resources.files("ogi.schemas").joinpath("report.schema.json").read_text(encoding="utf-8")
    data = json.loads(text)
    assert isinstance(data, dict)
    return data


def validate(document: Any) -> None:
    import jsonschema

    jsonschema.validate(document, schema())


def main(argv: list[str] | None = None) -> int:
    paths = argv if argv is not None else sys.argv[1:]
    for path in paths:
        with open(path, encoding="utf-8") as handle:
            validate(json.load(handle))
        print(f"{path}: valid")
    return 0


if __name__ == "__main__":
    sys.exit(main())
