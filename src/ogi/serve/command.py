"""`ogi serve`, `ogi serve add-user`, `ogi serve migrate`: what the command line starts.

Imported only when one of them runs (the web stack is not loaded by `ogi check` or `ogi --help`).
"""

from __future__ import annotations

import argparse
import getpass
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sqlalchemy import Engine

    from ogi.serve.app import DeskSettings

INSTALL_HINT = "ogi serve 需要安装 serve 扩展：pip install 'ogi-checks[serve]' / needs the serve extra"
DEFAULT_DATA = "ogi-desk"


def _settings(args: argparse.Namespace) -> DeskSettings:
    from ogi.serve.app import DeskSettings

    config = args.loaded_config
    return DeskSettings(data_dir=Path(args.data).expanduser().resolve(), database=args.database,
                        max_upload_mb=getattr(args, "max_upload_mb", None) or config.max_file_bytes / 2**20,
                        uploads_per_minute=getattr(args, "rate_limit", 30),
                        secure_cookies=getattr(args, "secure_cookies", False),
                        checker_threads=getattr(args, "checkers", 2), config=config,
                        base_url=getattr(args, "base_url", "") or "")


def run(args: argparse.Namespace) -> int:
    try:
        import argon2  # noqa: F401
        import starlette  # noqa: F401
        import uvicorn
    except ImportError:
        print(f"ogi: {INSTALL_HINT}", file=sys.stderr)
        return 2
    from ogi.store.database import DatabaseError

    action = getattr(args, "serve_command", None)
    try:
        if action == "add-user":
            return _add_user(args)
        if action == "migrate":
            return _migrate(args)
        from ogi.serve.app import create_app

        settings = _settings(args)
        app = create_app(settings)
    except DatabaseError as exc:
        print(f"ogi: {exc}", file=sys.stderr)
        return 2
    where = settings.database or settings.database_target
    shown = where.split("@")[-1] if "://" in where else where
    print(f"年报检查台已启动 / the desk is running: http://{args.host}:{args.port}/\n"
          f"  数据 / data: {settings.data_dir}\n  数据库 / database: {shown}\n"
          f"  主管部门账号 / office users: ogi serve add-user NAME --data {args.data}", flush=True)
    uvicorn.run(app, host=args.host, port=args.port, log_level="warning", proxy_headers=args.proxy_headers,
                forwarded_allow_ips=args.forwarded_allow_ips or "127.0.0.1", access_log=False,
                timeout_graceful_shutdown=30)
    return 0


def _add_user(args: argparse.Namespace) -> int:
    from ogi.serve.desk import DeskError, add_user

    if args.password_stdin:
        password = sys.stdin.readline().rstrip("\n")
    elif os.environ.get("OGI_PASSWORD"):
        password = os.environ["OGI_PASSWORD"]
    else:
        password = getpass.getpass("密码 / password: ")
        if password != getpass.getpass("再输一次 / again: "):
            print("ogi: 两次输入的密码不一致 / the passwords differ", file=sys.stderr)
            return 2
    engine = _open(args)
    try:
        add_user(engine, args.username, password, args.role)
    except DeskError as exc:
        print(f"ogi: {exc}", file=sys.stderr)
        return 2
    finally:
        engine.dispose()
    print(f"已创建或更新用户 {args.username}（{args.role}） / user saved")
    return 0


def _open(args: argparse.Namespace) -> Engine:
    from ogi.store.database import open_database

    settings = _settings(args)
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    return open_database(settings.database_target, wal=True)


def _migrate(args: argparse.Namespace) -> int:
    from ogi.store.database import current_revision

    engine = _open(args)
    try:
        print(f"数据库已是最新版本 / the database is at revision {current_revision(engine)}")
    finally:
        engine.dispose()
    return 0


def add_arguments(serve: argparse.ArgumentParser) -> None:
    """The options of `ogi serve` (kept here so that the CLI module stays small; argparse only)."""

    def common(parser: argparse.ArgumentParser, default: object) -> None:
        parser.add_argument("--data", metavar="DIR", default=default,
                            help=f"数据目录：SQLite 数据库与上传文件（默认 ./{DEFAULT_DATA}）")
        unset = argparse.SUPPRESS if default is argparse.SUPPRESS else None
        parser.add_argument("--database", metavar="URL", default=unset,
                            help="使用 PostgreSQL 等数据库，如 postgresql://user:pass@host/db"
                                 "（默认数据目录中的 SQLite）")
        parser.add_argument("--config", metavar="FILE", default=unset, help="配置文件（ogi.toml）")

    common(serve, DEFAULT_DATA)
    serve.add_argument("--host", default="127.0.0.1", help="监听地址（默认 127.0.0.1）")
    serve.add_argument("--port", type=int, default=8000, help="端口（默认 8000）")
    serve.add_argument("--max-upload-mb", type=float, metavar="MB", help="上传大小上限（默认同 max_file_mb，50 MB）")
    serve.add_argument("--rate-limit", type=int, default=30, metavar="N",
                       help="每个客户端每分钟最多上传次数（默认 30；0 不限制）")
    serve.add_argument("--checkers", type=int, default=2, metavar="N", help="并行检查线程数（默认 2）")
    serve.add_argument("--secure-cookies", action="store_true",
                       help="仅通过 HTTPS 发送 Cookie（在 HTTPS 反向代理后使用）")
    serve.add_argument("--proxy-headers", action="store_true",
                       help="信任反向代理的 X-Forwarded-For / X-Forwarded-Proto（见 docs/serve.md）")
    serve.add_argument("--forwarded-allow-ips", metavar="IPS", help="可信的反向代理地址（默认 127.0.0.1）")
    serve.add_argument("--base-url", metavar="URL", help="报送链接使用的网址前缀，如 https://nianbao.example.gov.cn")
    actions = serve.add_subparsers(dest="serve_command", metavar="操作")
    add_user = actions.add_parser("add-user", help="创建或更新主管部门用户 / add an office user")
    add_user.add_argument("username", metavar="NAME")
    add_user.add_argument("--role", choices=("staff", "readonly"), default="staff",
                          help="staff 工作人员（可导入名单、发放链接）/ readonly 只读（默认 staff）")
    add_user.add_argument("--password-stdin", action="store_true", help="从标准输入读取密码（默认交互输入）")
    common(add_user, argparse.SUPPRESS)
    migrate = actions.add_parser("migrate", help="把数据库升级到本版本 / upgrade the database")
    common(migrate, argparse.SUPPRESS)
