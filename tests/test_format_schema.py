"""The format definitions are validated against their JSON Schema: an unknown or misspelt key, a wrong type
or a missing required field is an error here rather than something the loader ignores."""

from __future__ import annotations

import copy
import json
from importlib import resources
from typing import Any

import jsonschema
import pytest
import yaml

from ogi.schemas.definitions import FORMAT_VERSIONS, load_format

FORMATS = resources.files("ogi.schemas").joinpath("formats")
SCHEMA = json.loads(resources.files("ogi.schemas").joinpath("format.schema.json").read_text(encoding="utf-8"))
FILES = sorted(p.name for p in FORMATS.iterdir() if p.name.endswith(".yaml"))


def _load(name: str) -> Any:
    return yaml.safe_load(FORMATS.joinpath(name).read_text(encoding="utf-8"))


def test_every_format_file_is_listed() -> None:
    assert FILES == ["2008.yaml", "2019.yaml", "2021.yaml", "common-tables.yaml"]


@pytest.mark.parametrize("name", FILES)
def test_format_file_validates(name: str) -> None:
    jsonschema.validate(_load(name), SCHEMA)


@pytest.mark.parametrize(("path", "key"), [
    (("tables", "requests"), "extra_row"),  # misspelt extra_rows
    (("sections", 0), "requried"),
    ((), "identites"),
])
def test_a_misspelt_key_is_rejected(path: tuple[Any, ...], key: str) -> None:
    data = copy.deepcopy(_load("2021.yaml"))
    target = data
    for step in path:
        target = target[step]
    target[key] = True
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(data, SCHEMA)


def test_a_misspelt_key_in_the_common_tables_is_rejected() -> None:
    data = copy.deepcopy(_load("common-tables.yaml"))
    data["requests"]["rows"][0]["mtach"] = ["本年新收"]
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(data, SCHEMA)


def test_extra_rows_go_where_the_data_says() -> None:
    # 2021: the three （六）其他处理 rows sit right before （七）总计, as extra_rows_before declares.
    for version in ("2019", "2021"):
        keys = load_format(version).tables["requests"].row_keys
        other = [k for k in keys if k == "other" or k.startswith("other.")]
        assert keys[keys.index(other[-1]) + 1] == "total_processed"
        assert keys[keys.index(other[0]) - 1] == "not_processed.confirm_or_reissue"
    assert set(FORMAT_VERSIONS) == {"2008", "2019", "2021"}
