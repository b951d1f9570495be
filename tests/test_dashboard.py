"""The batch dashboard: every submission in one table, the category matrix, charts, the 催报名单."""

from __future__ import annotations

import datetime as dt
import re
from html.parser import HTMLParser

from ogi.model import SubmissionResult
from ogi.reports.charts import Bar, bar_chart
from ogi.reports.common import counts, timeliness
from ogi.reports.dashboard import render_dashboard
from ogi.roster import match_roster, parse_roster
from report_samples import SEED_AGENCY, TABLE_AGENCY, clean_result, seed_result, table_result, unreadable_result


class _Table(HTMLParser):
    """The rows of the table with a given id, as lists of cell texts."""

    def __init__(self, table_id: str) -> None:
        super().__init__()
        self.table_id = table_id
        self.depth = 0
        self.rows: list[list[str]] = []
        self.links: list[str] = []
        self._cell: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "table" and (self.depth or dict(attrs).get("id") == self.table_id):
            self.depth += 1
        if not self.depth:
            return
        if tag == "tr":
            self.rows.append([])
        elif tag in ("td", "th"):
            self._cell = []
        elif tag == "a":
            self.links.append(dict(attrs).get("href") or "")

    def handle_data(self, data: str) -> None:
        if self.depth and self._cell is not None:
            self._cell.append(data)

    def handle_endtag(self, tag: str) -> None:
        if not self.depth:
            return
        if tag in ("td", "th") and self._cell is not None:
            self.rows[-1].append("".join(self._cell).strip())
            self._cell = None
        elif tag == "table":
            self.depth -= 1


def _table(html: str, table_id: str) -> _Table:
    parser = _Table(table_id)
    parser.feed(html)
    return parser


def _batch() -> list[SubmissionResult]:
    return [seed_result(), table_result(), unreadable_result()]


def test_every_submission_is_a_row_linked_to_its_report() -> None:
    html = render_dashboard(_batch(), ["reports/a.html", "reports/b.html", "reports/c.html"])
    board = _table(html, "board")
    header, *rows = board.rows
    assert header == ["机关", "层级", "年度", "发布日期", "按时发布", "错误", "警告", "结论"]
    assert [r[0] for r in rows] == [SEED_AGENCY, TABLE_AGENCY, "坏文件.doc"]
    seed = counts(seed_result())
    assert rows[0][1:] == ["部门", "2017", "2018-03-19", "按时", str(seed.error), str(seed.warning), "不合格"]
    assert rows[1][1:] == ["部门", "2023", "2024-02-05", "逾期", "2", "1", "不合格"]
    assert rows[2][1:] == ["—", "—", "—", "未知", "1", "0", "无法读取"]
    assert board.links == ["reports/a.html", "reports/b.html", "reports/c.html"]


def test_on_time_comes_from_d002() -> None:
    assert timeliness(seed_result()) == "on_time"
    assert timeliness(table_result()) == "late"
    assert timeliness(unreadable_result()) == "unknown"
    assert timeliness(clean_result("某局", published=None)) == "unknown"


def test_matrix_counts_findings_per_category() -> None:
    html = render_dashboard(_batch())
    header, *rows = _table(html, "matrix-table").rows
    assert header == ["机关", "文件", "结构", "数值", "勾稽", "一致性", "经费", "日期", "跨年度"]
    seed = dict(zip(header[1:], rows[0][1:], strict=True))
    by_category: dict[str, int] = {}
    for f in seed_result().findings:
        by_category[f.category.zh] = by_category.get(f.category.zh, 0) + 1
    assert {k: int(v) for k, v in seed.items() if v} == by_category
    assert 'class="sev-error">1<' in html  # coloured by the worst severity


def test_charts_are_inline_svg() -> None:
    html = render_dashboard(_batch())
    assert html.count("<svg") == 3
    for code in ("B001", "S002", "A001", "D002", "F001"):
        assert re.search(rf"<text[^>]*>{code} ", html), code
    assert "<title>各规则发现的问题数</title>" in html and "<title>按时与逾期</title>" in html
    svg = bar_chart([Bar("<b>", 3, "error"), Bar("零", 0, "info")], "t&t")
    assert "<b>" not in svg and "&lt;b&gt;" in svg and "t&amp;t" in svg


def test_readable_without_javascript() -> None:
    html = render_dashboard(_batch())
    # The rows are in the HTML itself; the script only adds sorting and the filter box (hidden without it).
    assert SEED_AGENCY in html.split("<script>")[0]
    assert re.search(r'<div class="tools" id="tools" hidden>', html)
    script = html.split("<script>")[1]
    assert "http" not in script and "import" not in script and "fetch" not in script


def test_roster_lists_reminders_exactly() -> None:
    entries = parse_roster("机关,层级,地区\n常德市人民政府政务服务中心,部门,常德市\n"
                           "株洲市渌口区发展和改革局,部门,渌口区\n某某县教育局,部门,某某县\n")
    batch = [*_batch(), clean_result("名单外的局", published=dt.date(2024, 1, 5))]
    roster = match_roster(entries, batch)
    html = render_dashboard(batch, roster=roster)
    _, *rows = _table(html, "reminder-table").rows
    assert [(r[0], r[3]) for r in rows] == [("某某县教育局", "未报送"), ("株洲市渌口区发展和改革局", "逾期报送")]
    assert "催报名单" in html and "不在名单中的报告" in html and "名单外的局" in html
    assert "坏文件.doc" in html.split("不在名单中的报告")[1]


def test_without_roster_says_so() -> None:
    html = render_dashboard(_batch())
    assert "催报名单" not in html and "未提供应报机关名单" in html


def test_hostile_names_are_escaped_and_english_works() -> None:
    hostile = '<img src=x onerror=alert(1)>"'
    html = render_dashboard([table_result(agency=hostile)], ['reports/x".html'], "en")
    assert hostile not in html and "&lt;img" in html
    assert 'href="reports/x&#34;.html"' in html
    assert "Annual report checks: overview" in html and '<html lang="en">' in html


def test_deterministic_and_stamped_only_on_request() -> None:
    first = render_dashboard(_batch())
    assert first == render_dashboard(_batch())
    stamped = render_dashboard(_batch(), generated_at=dt.datetime(2024, 3, 1, 8, 0, tzinfo=dt.timezone.utc))
    assert "2024-03-01T08:00:00+00:00" in stamped and "2024-03-01" not in first
