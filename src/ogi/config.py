"""Configuration: `ogi.toml` or `[tool.ogi]` in pyproject.toml, plus command-line overrides.

Example `ogi.toml`::

    level = "department"               # default agency level when not inferred
    max_file_mb = 50
    disable = ["H003"]
    [severity]
    C101 = "error"
    [deadlines.department]             # month-day of the year after the data year
    default = "01-31"
    "江苏省" = "01-28"                 # a jurisdiction's stricter local deadline
    [levels]
    "常德市人民政府政务服务中心" = "department"
    [[waivers]]
    rule = "S002"
    agency = "常德市人民政府政务服务中心"
    reason = "经批准合并到其他章节"
    approver = "市政务公开办"
    expires = 2027-03-31
"""

from __future__ import annotations

import datetime as dt
import sys
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from ogi.agency_key import same_agency
from ogi.model import Severity, Waiver

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

LEVELS = ("department", "government", "township")
LEVEL_ZH = {"department": "部门", "government": "政府", "township": "乡镇街道"}

# Statutory deadlines (SPEC §1): month and day of the year after the data year.
STATUTORY_DEADLINES: dict[str, dict[str, tuple[int, int]]] = {
    "2008": {"department": (3, 31), "government": (3, 31), "township": (3, 31)},
    "2019": {"department": (1, 31), "government": (3, 31), "township": (3, 31)},
}


class ConfigError(ValueError):
    """A configuration file or option that cannot be used; the message is for the user."""


@dataclass(frozen=True)
class Config:
    level: str | None = None  # forced agency level (--level)
    max_file_bytes: int = 50 * 1024 * 1024
    disabled: frozenset[str] = frozenset()
    severity: dict[str, Severity] = field(default_factory=dict)
    # level -> jurisdiction ("default" or a name fragment) -> (month, day)
    deadlines: dict[str, dict[str, tuple[int, int]]] = field(default_factory=dict)
    levels: dict[str, str] = field(default_factory=dict)  # agency name -> level
    waivers: tuple[Waiver, ...] = ()
    accepted_attachments: tuple[str, ...] = (".docx", ".xlsx", ".pdf", ".html", ".htm")
    today: dt.date = field(default_factory=dt.date.today)
    similarity_threshold: float = 0.9
    per_file_seconds: float = 60.0
    source: str | None = None  # the file the configuration came from

    def with_overrides(self, **changes: Any) -> Config:
        return replace(self, **{k: v for k, v in changes.items() if v is not None})

    def deadline(self, regulation: str, level: str, agency: str | None, data_year: int) -> dt.date:
        """The publication deadline for a report of `data_year` (local rules first)."""
        local = self.deadlines.get(level, {})
        for place, (month, day) in sorted(local.items(), key=lambda kv: -len(kv[0])):
            if place != "default" and agency and place in agency:
                return dt.date(data_year + 1, month, day)
        if "default" in local:
            month, day = local["default"]
        else:
            month, day = STATUTORY_DEADLINES[regulation][level]
        return dt.date(data_year + 1, month, day)

    def level_of(self, agency: str | None) -> str | None:
        """The level configured for `agency` ([levels]), under any of its names."""
        if not agency or not self.levels:
            return None
        if agency in self.levels:
            return self.levels[agency]
        found = {level for name, level in self.levels.items() if same_agency(name, agency)}
        return found.pop() if len(found) == 1 else None

    def active_waiver(self, rule: str, agency: str | None) -> Waiver | None:
        for waiver in self.waivers:
            if waiver.rule.upper() != rule:
                continue
            if waiver.agency != "*" and not same_agency(waiver.agency, agency):
                continue
            if waiver.expires is not None and waiver.expires < self.today:
                continue
            return waiver
        return None


def _month_day(value: Any, where: str) -> tuple[int, int]:
    text = str(value)
    try:
        month, day = (int(p) for p in text.split("-"))
        dt.date(2001, month, day)
    except ValueError as exc:
        raise ConfigError(f"{where}: 期限应写作 MM-DD，而不是 {text!r} / deadline must be MM-DD") from exc
    return month, day


def parse_config(data: dict[str, Any], source: str | None = None) -> Config:
    where = source or "config"
    severity: dict[str, Severity] = {}
    for code, value in (data.get("severity") or {}).items():
        try:
            severity[code.upper()] = Severity(str(value))
        except ValueError as exc:
            raise ConfigError(f"{where}: [severity] {code} = {value!r} 无效 / invalid (error|warning|info)") from exc
    deadlines: dict[str, dict[str, tuple[int, int]]] = {}
    for level, table in (data.get("deadlines") or {}).items():
        if level not in LEVELS:
            raise ConfigError(f"{where}: [deadlines.{level}] 未知层级 / unknown level")
        deadlines[level] = {k: _month_day(v, f"{where}: deadlines.{level}.{k}") for k, v in table.items()}
    levels = {str(k): str(v) for k, v in (data.get("levels") or {}).items()}
    for agency, level in levels.items():
        if level not in LEVELS:
            raise ConfigError(f"{where}: [levels] {agency} = {level!r} 未知层级 / unknown level")
    waivers = []
    for item in data.get("waivers") or []:
        missing = [k for k in ("rule", "agency", "reason", "approver") if not item.get(k)]
        if missing:
            raise ConfigError(f"{where}: 豁免条目缺少 {', '.join(missing)} / waiver lacks {', '.join(missing)}")
        expires = item.get("expires")
        if isinstance(expires, str):
            expires = dt.date.fromisoformat(expires)
        waivers.append(Waiver(str(item["rule"]).upper(), str(item["agency"]), str(item["reason"]),
                              str(item["approver"]), expires))
    level = data.get("level")
    if level is not None and level not in LEVELS:
        raise ConfigError(f"{where}: level = {level!r} 未知层级 / unknown level")
    return Config(
        level=level,
        max_file_bytes=int(float(data.get("max_file_mb", 50)) * 1024 * 1024),
        disabled=frozenset(str(c).upper() for c in data.get("disable") or ()),
        severity=severity,
        deadlines=deadlines,
        levels=levels,
        waivers=tuple(waivers),
        accepted_attachments=tuple(data.get("accepted_attachments") or Config.accepted_attachments),
        similarity_threshold=float(data.get("similarity_threshold", 0.9)),
        per_file_seconds=float(data.get("per_file_seconds", 60.0)),
        source=source,
    )


def load_config(path: str | Path | None = None, search_from: Path | None = None) -> Config:
    """Read `path`, or else ogi.toml / pyproject.toml [tool.ogi] in `search_from` (default: cwd)."""
    if path is not None:
        file = Path(path)
        if not file.is_file():
            raise ConfigError(f"找不到配置文件 {file} / configuration file not found")
        return _load_file(file)
    here = search_from or Path.cwd()
    if (here / "ogi.toml").is_file():
        return _load_file(here / "ogi.toml")
    pyproject = here / "pyproject.toml"
    if pyproject.is_file():
        try:
            data = tomllib.loads(pyproject.read_text(encoding="utf-8"))
        except (tomllib.TOMLDecodeError, UnicodeDecodeError):
            return Config()
        tool = data.get("tool", {}).get("ogi")
        if isinstance(tool, dict):
            return parse_config(tool, str(pyproject))
    return Config()


def _load_file(file: Path) -> Config:
    try:
        data = tomllib.loads(file.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ConfigError(f"配置文件 {file} 无法解析 / cannot parse: {exc}") from exc
    if file.name == "pyproject.toml":
        data = data.get("tool", {}).get("ogi", {})
    return parse_config(data, str(file))
