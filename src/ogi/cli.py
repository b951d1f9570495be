"""`ogi` command line: thin — parse arguments, call the engine, render, set the exit code.

Heavy modules (pandas, lxml, rich, the rules) are imported inside the commands so that
`ogi --help` starts fast.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from ogi import __version__

if TYPE_CHECKING:
    import datetime as dt

    from ogi.config import Config
    from ogi.executors import DaskExecutor
    from ogi.model import SubmissionResult

EXIT_OK, EXIT_FINDINGS, EXIT_USAGE = 0, 1, 2
EXIT_RULE_ERROR = 2  # a rule crashed: the verdict is incomplete, so no gate may pass on it
EXIT_BROKEN_PIPE = 141  # 128 + SIGPIPE, the shell's convention
FAIL_ON = ("error", "warning", "info", "never")

DESCRIPTION = """\
ogi —— 政府信息公开工作年度报告检查工具 / checks government information disclosure annual reports.

常用命令 / commands:
  ogi check 报告或目录…        检查年度报告（网页、Word、Excel、PDF、文本、JSON）
  ogi extract 报告或目录…      导出表格数据（json / csv / xlsx），供汇总
  ogi template -o 模板.xlsx    生成供机关填报的 Excel 模板
  ogi rules                    列出全部检查规则
  ogi explain 规则代码         查看某条规则的说明、依据和示例
  ogi gx 目录 --out 输出目录   用 Great Expectations 验证汇总表（需 pip install 'ogi-checks[gx]'）
  ogi serve                    启动网页版检查台（自查、报送、主管部门看板；需 pip install 'ogi-checks[serve]'）
"""


def _add_common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--config", metavar="FILE",
                        help="配置文件（默认：当前目录的 ogi.toml 或 pyproject.toml [tool.ogi]）")
    parser.add_argument("--level", choices=("department", "government", "township"),
                        help="机关层级：department 部门 / government 人民政府 / township 乡镇街道（默认按名称推断）")
    parser.add_argument("--lang", choices=("zh", "en"), default="zh", help="输出语言 / output language（默认 zh）")
    parser.add_argument("--max-file-mb", type=float, metavar="MB", help="单个文件大小上限，默认 50 MB")
    parser.add_argument("-j", "--jobs", type=int, metavar="N", help="并行读取的进程数（默认：全部 CPU 核）")


def _add_executor(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--executor", metavar="local|dask[=ADDRESS]", default="local",
                        help="在哪里读取文件：local 本机进程（默认）；dask 本机启动的 Dask 集群；"
                             "dask=tcp://主机:8786 已运行的 Dask 调度器（需 pip install 'ogi-checks[dask]'，"
                             "见 docs/scale.md）")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="ogi", description=DESCRIPTION,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--version", action="version", version=f"ogi-checks {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="命令")

    check = sub.add_parser("check", help="检查年度报告 / check reports",
                           description="检查年度报告；PATH 可以是文件或目录（递归查找）。")
    check.add_argument("paths", nargs="+", metavar="PATH", help="报告文件或目录")
    check.add_argument("--format", choices=("text", "json", "markdown"), default="text", help="输出格式（默认 text）")
    check.add_argument("-o", "--output", metavar="FILE", help="写入文件而不是屏幕")
    check.add_argument("--out", metavar="DIR", help="在目录中生成整套报告：index.html、各机关 HTML、report.json、"
                                                    "summary.xlsx、junit.xml、report.md")
    check.add_argument("--fail-on", choices=FAIL_ON, default="error",
                       help="达到该级别即以退出码 1 结束（默认 error；never 总是 0）")
    check.add_argument("--roster", metavar="CSV",
                       help="应报机关名单（agency,level,jurisdiction,deadline），用于催报名单")
    check.add_argument("--previous", metavar="PATH", action="append", default=[],
                       help="上一年度的报告（文件或目录），用于跨年度核对")
    check.add_argument("--history", metavar="FILE", help="历史数据库（SQLite），保存并读取各年度数据")
    check.add_argument("--timestamp", action="store_true", help="在 JSON 中写入生成时间（默认不写，保证输出可复现）")
    check.add_argument("-q", "--quiet", action="store_true", help="不显示进度条")
    check.add_argument("--allow-rule-errors", action="store_true",
                       help="规则执行出错（程序缺陷）时不以退出码 2 结束（出错仍会写入结果）"
                            " / do not exit 2 when a rule crashed (the errors are still reported)")
    check.add_argument("-v", "--details", action="store_true",
                       help="文本输出逐条列出每份报告的问题（检查多份报告时默认每份一行；单份报告总是逐条列出）")
    _add_common(check)
    _add_executor(check)

    rules = sub.add_parser("rules", help="列出检查规则 / list the rules")
    rules.add_argument("--format", choices=("text", "json", "markdown"), default="text")
    rules.add_argument("--lang", choices=("zh", "en"), default="zh")

    explain = sub.add_parser("explain", help="规则说明 / explain a rule")
    explain.add_argument("code", metavar="CODE", help="规则代码，如 B001")

    extract = sub.add_parser("extract", help="导出表格数据 / export table data",
                             description="导出每份报告的统一口径数据（表二、表三、表四）。")
    extract.add_argument("paths", nargs="+", metavar="PATH")
    extract.add_argument("--format", choices=("json", "csv", "xlsx"), default="json")
    extract.add_argument("-o", "--output", metavar="FILE", help="输出文件（xlsx 必须指定）")
    _add_common(extract)
    _add_executor(extract)

    template = sub.add_parser("template", help="生成 Excel 填报模板 / write an Excel template")
    template.add_argument("--format", choices=("2021", "2019"), default="2021", help="格式版本（默认 2021）")
    template.add_argument("-o", "--output", metavar="FILE", required=True, help="输出的 .xlsx 文件")

    gx = sub.add_parser("gx", help="用 Great Expectations 验证汇总表 / validate with Great Expectations",
                        description="检查报告，生成汇总表，用 Great Expectations 验证并生成 Data Docs"
                                    "（需要 pip install 'ogi-checks[gx]'）。有期望未满足时退出码为 1。")
    gx.add_argument("paths", nargs="+", metavar="PATH", help="报告文件或目录")
    gx.add_argument("--out", metavar="DIR", required=True, help="输出目录：Data Docs、验证结果、expectation_suite.json")
    gx.add_argument("--roster", metavar="CSV",
                    help="应报机关名单（agency,level,jurisdiction,deadline），用于核对完整性")
    _add_common(gx)

    serve = sub.add_parser("serve", help="启动网页版检查台 / run the web desk",
                           description="启动网页版检查台：机关自查草稿、凭链接报送；主管部门登录后导入名单、发放链接、"
                                       "查看看板并下载汇总（需要 pip install 'ogi-checks[serve]'）。")
    from ogi.serve.command import add_arguments  # argparse only: the web stack loads when the desk starts

    add_arguments(serve)
    return parser


class UsageError(Exception):
    """A problem with what the user asked for; shown as is, exit code 2."""


def _config(args: argparse.Namespace) -> Config:
    from ogi.config import ConfigError, load_config

    try:
        config = load_config(args.config)
    except ConfigError as exc:
        raise UsageError(str(exc)) from exc
    changes: dict[str, object] = {"level": args.level}
    if args.max_file_mb is not None:
        changes["max_file_bytes"] = int(args.max_file_mb * 1024 * 1024)
    return config.with_overrides(**changes)


@contextlib.contextmanager
def _executor(args: argparse.Namespace) -> Iterator[DaskExecutor | None]:
    """The --executor asked for, closed after the command; files read again after a lost worker are told on
    stderr (the outputs are the same as without the loss, so they do not say it)."""
    from ogi.executors import ExecutorError, parse_executor

    try:
        executor = parse_executor(args.executor, args.jobs)
    except ExecutorError as exc:
        raise UsageError(str(exc)) from exc
    if executor is None:
        yield None
        return
    try:
        with executor:
            yield executor
    except ExecutorError as exc:
        raise UsageError(str(exc)) from exc
    finally:
        if executor.retried:
            shown = ", ".join(executor.retried[:20]) + (" …" if len(executor.retried) > 20 else "")
            print(f"ogi: {len(executor.retried)} 个文件因 Dask 工作进程丢失而重新读取（结果不受影响） / "
                  f"{len(executor.retried)} file(s) were read again after their Dask worker was lost "
                  f"(results unaffected): {shown}", file=sys.stderr)


def _check_paths_exist(paths: Sequence[str]) -> None:
    missing = [p for p in paths if not Path(p).exists()]
    if missing:
        raise UsageError("找不到 / not found: " + ", ".join(missing))


def _exit_code(results: Sequence[SubmissionResult], fail_on: str, allow_rule_errors: bool = False) -> int:
    crashed = sum(len(r.rule_errors) for r in results)
    return _with_rule_errors(_exit_code_of((f.severity.value for r in results for f in r.findings), fail_on),
                             crashed, allow_rule_errors)


def _with_rule_errors(code: int, crashed: int, allowed: bool) -> int:
    """A crashed rule makes the run incomplete: exit 2 (and say so) unless the user allowed it."""
    if not crashed:
        return code
    sys.stderr.write(f"ogi: {crashed} 项规则执行出错（程序缺陷，检查未完成，详见结果中的 rule_errors）"
                     f" / {crashed} rule error(s): the check is incomplete (see rule_errors in the results)\n")
    return code if allowed else EXIT_RULE_ERROR


def _exit_code_of(severities: Iterable[str], fail_on: str) -> int:
    """EXIT_FINDINGS when a finding of these severities is at or above --fail-on."""
    if fail_on == "never":
        return EXIT_OK
    from ogi.model import Severity

    threshold = Severity(fail_on).rank
    hit = any(Severity(severity).rank >= threshold for severity in severities)
    return EXIT_FINDINGS if hit else EXIT_OK


def _write(text: str, output: str | None) -> None:
    if output:
        Path(output).write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)


def cmd_check(args: argparse.Namespace) -> int:
    import datetime as dt

    from ogi.api import Results, iter_check

    _check_paths_exist(args.paths)
    config = _config(args)
    from ogi.history import HistoryError

    streamed = args.format == "json" and not args.out  # written as it comes: the reports' prose is not needed
    generated = dt.datetime.now(dt.timezone.utc) if args.timestamp else None
    with _executor(args) as executor:
        stream = iter_check(args.paths, config=config, previous=args.previous or None, history=args.history,
                            jobs=args.jobs, progress=not args.quiet and sys.stderr.isatty(), keep_text=not streamed,
                            executor=executor)
        try:
            if streamed:
                return _stream_json(stream, args.output, generated, args.fail_on, args.allow_rule_errors)
            results = Results(list(stream))
        except HistoryError as exc:
            raise UsageError(str(exc)) from exc
        finally:
            stream.close()  # a batch stopped early (Ctrl-C, a closed pipe) stops its workers now
    if args.format == "json":
        from ogi.reports.json_report import render_json

        _write(render_json(results.submissions, generated_at=generated), args.output)
    elif args.format == "markdown":
        from ogi.reports.markdown import render_markdown

        _write(render_markdown(results.submissions, args.lang), args.output)
    else:
        from rich.console import Console

        from ogi.reports.terminal import render_terminal

        details = True if args.details else None  # else: in detail for one report, a line each for more
        if args.output:
            with open(args.output, "w", encoding="utf-8") as handle:
                render_terminal(results.submissions, Console(file=handle, no_color=True, width=120), args.lang,
                                details)
        else:
            render_terminal(results.submissions, Console(), args.lang, details)
    if args.out:
        from ogi.reports.bundle import write_bundle
        from ogi.roster import RosterError

        try:
            write_bundle(results.submissions, Path(args.out), lang=args.lang, roster=args.roster,
                         generated_at=generated, config=config, fail_on=args.fail_on)
        except RosterError as exc:
            raise UsageError(str(exc)) from exc
    return _exit_code(results.submissions, args.fail_on, args.allow_rule_errors)


def _stream_json(stream: Iterator[SubmissionResult], output: str | None, generated: dt.datetime | None,
                 fail_on: str, allow_rule_errors: bool = False) -> int:
    """JSON written while the batch runs, nothing kept: memory stays that of a few windows of reports.

    A file is written under a temporary name and renamed when complete, so a stopped batch leaves no
    truncated JSON behind (nor clobbers the last complete one).
    """
    from ogi.reports.json_report import write_json

    target = Path(output) if output else None
    if target is None:
        summary = write_json(stream, sys.stdout.write, generated_at=generated)
    elif target.exists() and not target.is_file():  # a pipe or a device named with -o
        with target.open("w", encoding="utf-8") as handle:
            summary = write_json(stream, handle.write, generated_at=generated)
    else:
        partial = target.with_name(f".{target.name}.partial")
        try:
            with partial.open("w", encoding="utf-8") as handle:
                summary = write_json(stream, handle.write, generated_at=generated)
            os.replace(partial, target)
        finally:
            partial.unlink(missing_ok=True)
    code = _exit_code_of(summary.severities, fail_on)  # the active findings' severities, counted
    return _with_rule_errors(code, summary.rule_errors, allow_rule_errors)


def cmd_rules(args: argparse.Namespace) -> int:
    from ogi.reports.catalogue import render_rules

    sys.stdout.write(render_rules(args.format, args.lang))
    return EXIT_OK


def cmd_explain(args: argparse.Namespace) -> int:
    from ogi.checks.registry import get_rule
    from ogi.reports.catalogue import explain

    try:
        rule = get_rule(args.code)
    except KeyError as exc:
        raise UsageError(f"没有规则 {args.code}（用 ogi rules 查看全部） / no rule {args.code}") from exc
    sys.stdout.write(explain(rule))
    return EXIT_OK


def cmd_extract(args: argparse.Namespace) -> int:
    from ogi.api import extract

    _check_paths_exist(args.paths)
    if args.format == "xlsx" and not args.output:
        raise UsageError("xlsx 格式需要用 -o 指定输出文件 / xlsx needs -o FILE")
    config = _config(args)
    with _executor(args) as executor:
        reports = extract(args.paths, config=config, jobs=args.jobs, executor=executor).reports
    from ogi.reports import extract as writers

    if args.format == "xlsx":
        writers.write_extract_xlsx(reports, Path(args.output))
    elif args.output:
        with open(args.output, "w", encoding="utf-8", newline="") as handle:
            (writers.write_extract_json if args.format == "json" else writers.write_extract_csv)(reports, handle)
    else:
        (writers.write_extract_json if args.format == "json" else writers.write_extract_csv)(reports, sys.stdout)
    return EXIT_OK


def cmd_template(args: argparse.Namespace) -> int:
    from ogi.template import write_template

    write_template(args.format, Path(args.output))
    print(f"已生成 {args.output}（{args.format} 年版格式） / written")
    return EXIT_OK


def cmd_gx(args: argparse.Namespace) -> int:
    from ogi.gx import INSTALL_HINT, gx_available

    if not gx_available():
        print(f"ogi: {INSTALL_HINT}", file=sys.stderr)
        return EXIT_USAGE
    _check_paths_exist(args.paths)
    config = _config(args)
    from ogi.gx.run import run_gx, summary
    from ogi.roster import RosterError

    try:
        outcome = run_gx(args.paths, args.out, roster=args.roster, config=config, jobs=args.jobs)
    except RosterError as exc:
        raise UsageError(str(exc)) from exc
    sys.stdout.write(summary(outcome))
    return EXIT_OK if outcome.success else EXIT_FINDINGS


def cmd_serve(args: argparse.Namespace) -> int:
    from ogi.serve.command import run

    args.loaded_config = _config(argparse.Namespace(config=args.config, level=None, max_file_mb=None))
    return run(args)


COMMANDS = {"check": cmd_check, "rules": cmd_rules, "explain": cmd_explain, "extract": cmd_extract,
            "template": cmd_template, "gx": cmd_gx, "serve": cmd_serve}


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help()
        return EXIT_USAGE
    try:
        return COMMANDS[args.command](args)
    except UsageError as exc:
        print(f"ogi: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except BrokenPipeError:
        # The reader went away (`ogi extract … | head`): stop quietly, as other command-line tools do.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return EXIT_BROKEN_PIPE
    except KeyboardInterrupt:
        print("ogi: 已中断 / interrupted", file=sys.stderr)
        return EXIT_USAGE
    except Exception as exc:
        if os.environ.get("OGI_DEBUG"):
            raise
        print(f"ogi: 内部错误，请将此信息报告给维护者 / internal error: {type(exc).__name__}: {exc}", file=sys.stderr)
        return EXIT_USAGE


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
