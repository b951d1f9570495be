"""What keeps the desk safe: passwords, sessions, CSRF tokens, the upload size limit and rate limits.

- Passwords are hashed with Argon2id (argon2-cffi's defaults, which follow RFC 9106's advice).
- A session is a random cookie; the database keeps only its sha256, with an expiry.
- Every form carries a CSRF token: an HMAC, under the desk's secret key, of a random per-browser cookie
  (signed double submit); a POST whose token does not match, or whose Origin is another site, is refused.
- Request bodies are limited before they are read: a larger upload is answered 413 in Chinese.
- Uploads and logins are rate-limited per client address (sliding window, in memory).
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import threading
import time
from collections import deque
from collections.abc import Awaitable, Callable
from typing import Any

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

CSRF_COOKIE = "ogi_csrf"
SESSION_COOKIE = "ogi_session"
CSRF_FIELD = "csrf"

_hasher = PasswordHasher()


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(stored: str, password: str) -> bool:
    try:
        return _hasher.verify(stored, password)
    except (VerificationError, InvalidHashError):
        return False


# Verifying against this costs what a real check costs, so a login for an unknown name takes as long.
DUMMY_HASH = _hasher.hash(secrets.token_urlsafe(16))


def new_token() -> str:
    return secrets.token_urlsafe(32)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def csrf_token(secret: bytes, browser: str) -> str:
    return hmac.new(secret, b"csrf:" + browser.encode("utf-8"), hashlib.sha256).hexdigest()


def csrf_ok(secret: bytes, browser: str | None, submitted: str | None) -> bool:
    if not browser or not submitted:
        return False
    return hmac.compare_digest(csrf_token(secret, browser), submitted)


class RateLimiter:
    """At most `limit` events per `window` seconds per key; limit 0 turns it off."""

    def __init__(self, limit: int, window: float = 60.0) -> None:
        self.limit = limit
        self.window = window
        self._events: dict[str, deque[float]] = {}
        self._lock = threading.Lock()

    def allow(self, key: str) -> tuple[bool, int]:
        """(allowed, seconds to wait when not)."""
        if self.limit <= 0:
            return True, 0
        now = time.monotonic()
        with self._lock:
            events = self._events.setdefault(key, deque())
            while events and events[0] <= now - self.window:
                events.popleft()
            if len(events) >= self.limit:
                return False, max(1, int(events[0] + self.window - now) + 1)
            events.append(now)
            if len(self._events) > 10_000:  # forget idle clients
                for idle in [k for k, v in self._events.items() if not v or v[-1] <= now - self.window]:
                    del self._events[idle]
            return True, 0


Scope = dict[str, Any]
Receive = Callable[[], Awaitable[dict[str, Any]]]
Send = Callable[[dict[str, Any]], Awaitable[None]]


def too_large_page(limit_bytes: int) -> bytes:
    mb = f"{round(limit_bytes / 2**20, 1):g}"
    return (f"<!DOCTYPE html><html lang=\"zh-CN\"><meta charset=\"utf-8\"><title>文件过大</title>"
            f"<body style=\"font-family:sans-serif;max-width:40em;margin:3em auto\">"
            f"<h1>文件过大</h1><p>上传的文件超过了 {mb} MB 的上限，请压缩图片或拆分附件后重新上传。</p>"
            f"<p lang=\"en\">The upload is larger than the {mb} MB limit.</p>"
            "<p><a href=\"/\">返回首页</a></p></body></html>").encode()


class BodyLimit:
    """ASGI middleware: a request body over `limit` bytes gets 413 (by Content-Length at once, else when
    the stream passes the limit), before the application has buffered it."""

    def __init__(self, app: Any, limit: int, shown: int | None = None) -> None:
        self.app = app
        self.limit = limit
        self.shown = shown or limit  # the file size limit the user is told (the body adds the form's fields)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] not in ("POST", "PUT", "PATCH"):
            await self.app(scope, receive, send)
            return
        headers = dict(scope.get("headers") or [])
        length = headers.get(b"content-length")
        if length is not None and length.isdigit() and int(length) > self.limit:
            await self._refuse(send)
            return
        seen = 0
        exceeded = refused = False

        async def guarded_receive() -> dict[str, Any]:
            nonlocal seen, exceeded
            if exceeded:
                return {"type": "http.disconnect"}
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.limit:
                    exceeded = True  # the application sees the client go away; the client sees 413
                    return {"type": "http.disconnect"}
            return message

        async def guarded_send(message: dict[str, Any]) -> None:
            nonlocal refused
            if not exceeded:
                await send(message)
            elif not refused:
                refused = True
                await self._refuse(send)

        try:
            await self.app(scope, guarded_receive, guarded_send)
        except Exception:
            if not exceeded:
                raise
        if exceeded and not refused:
            await self._refuse(send)

    async def _refuse(self, send: Send) -> None:
        body = too_large_page(self.shown)
        await send({"type": "http.response.start", "status": 413,
                    "headers": [(b"content-type", b"text/html; charset=utf-8"),
                                (b"content-length", str(len(body)).encode()), (b"connection", b"close")]})
        await send({"type": "http.response.body", "body": body})
