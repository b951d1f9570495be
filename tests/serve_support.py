"""What the desk's tests share: a desk on SQLite or on a real PostgreSQL server, and a browser-like client
that keeps cookies and sends each form's CSRF token as a browser would."""

from __future__ import annotations

import re
import time
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("starlette", reason="the serve extra is not installed (pip install 'ogi-checks[serve]')")

from starlette.testclient import TestClient

from ogi.serve.app import DeskSettings, create_app

PASSWORD = "correct horse battery staple"


class Browser:
    """A TestClient that remembers the CSRF token of the last page it loaded."""

    def __init__(self, client: TestClient) -> None:
        self.client = client
        self.csrf = ""

    def get(self, url: str, **kwargs: Any) -> Any:
        response = self.client.get(url, **kwargs)
        found = re.search(r'name="csrf" value="([0-9a-f]+)"', response.text) if response.headers.get(
            "content-type", "").startswith("text/html") else None
        if found:
            self.csrf = found.group(1)
        return response

    def post(self, url: str, data: dict[str, str] | None = None, *, token: bool = True, **kwargs: Any) -> Any:
        if not self.csrf:
            self.get("/")
        fields = dict(data or {})
        if token:
            fields.setdefault("csrf", self.csrf)
        kwargs.setdefault("follow_redirects", False)
        return self.client.post(url, data=fields, **kwargs)

    def login(self, username: str = "admin", password: str = PASSWORD) -> Any:
        self.get("/office/login")
        return self.post("/office/login", {"username": username, "password": password, "next": "/office"})

    def wait_checked(self, url: str, timeout: float = 120) -> Any:
        """Follow a receipt until its check is done."""
        deadline = time.monotonic() + timeout
        while True:
            response = self.get(url)
            if 'http-equiv="refresh"' not in response.text or time.monotonic() > deadline:
                return response
            time.sleep(0.1)

    def self_check(self, name: str, data: bytes, timeout: float = 120) -> Any:
        self.get("/")
        posted = self.post("/check", files={"file": (name, data, "application/octet-stream")})
        assert posted.status_code == 303, posted.text
        location = posted.headers["location"]
        deadline = time.monotonic() + timeout
        while self.client.get(location + "/status").json()["state"] != "done":
            assert time.monotonic() < deadline
            time.sleep(0.1)
        return self.get(location)


def make_settings(tmp_path: Path, database: str | None, **overrides: Any) -> DeskSettings:
    values: dict[str, Any] = {"data_dir": tmp_path / "desk", "database": database, **overrides}
    return DeskSettings(**values)


def open_desk(settings: DeskSettings, base_url: str = "http://127.0.0.1:8000") -> tuple[Any, TestClient]:
    app = create_app(settings)
    return app, TestClient(app, base_url=base_url)
