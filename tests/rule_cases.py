"""RULE_CASES: for every registered rule, a document that fails it and one that passes it.

Old-shape cases (F, S001–S003, A001/A002, B, C001, D) are variations of the seed report (常德市人民政府
政务服务中心 2017, copied below); national-format cases are `docs2021.Doc` pages. Each builder writes
its document into a folder and returns the path; `test_rule_coverage.py` runs every case through
`ogi.engine.check_file` and checks the failing document yields the code and the passing one lists it
among the passed rules.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from docs2021 import COUNTY_DEPARTMENT, GOVERNMENT, Doc
from ogi.config import Config
from ogi.testing import generate, render

Builder = Callable[[Path], Path]

CHANGDE = "\n".join([
    "常德市人民政府政务服务中心2017年度政府信息公开工作年度报告",
    "",
    "2018-03-19 14:45 来源:市行政审批服务局",
    "字号:【",
    "",
    ('本年度报告是根据《中华人民共和国政府信息公开条例》(以下简称《条例》)和省、市政务公开工作要求,'
     '由常德市人民政府政务服务中心(以下简称市政务中心)编制。全文包括概述,主动公开政府信息情况,依申'
     '请公开政府信息情况,政府信息公开咨询处理情况,政府信息公开复议、诉讼情况,政府信息公开支出情况,'
     '其他相关工作情况以及存在的主要问题和改进措施等。本年度报告的电子版可在常德市政府网站和市政务中心'
     '网站上下载。如对本年度报告有疑问,请联系:市政务中心协调管理科,联系电话:0736-726311'
     '0。'),
    "",
    "",
    "一、概述",
    "",
    ('根据《条例》要求,2017年我们进一步加强了政府信息公开工作。专门配备了2名兼职工作人员对信息公'
     '开申请进行受理,定制开发了多媒体查询、评议系统、电子显示屏等政务信息公开载体, 并在本中心门户网'
     '站开辟信息公开专栏。截至2017年底,市政务中心政府信息公开工作运行正常,政府信息公开咨询、申请'
     '和答复等工作顺利开展。'),
    "",
    ('政务大厅是政府信息公开的主载体。2017年,市政务中心和窗口单位紧紧围绕市委市政府工作部署,坚持'
     '规范、高效、优质的运行目标,持续推进和深化行政审批制度改革,努力推进审批再提速,服务再提质,政府'
     '信息深度公开。全年累计受理各类审批及行政许可事项57.23万件,接受各类咨询13万多人次,即办件'
     '办结率100%,承诺件提前办结率94.82%。过去一年政务公开方面主要做了以下工作:'),
    "",
    ('1、健全政府信息公开工作机制。成立市政务中心政府信息公开工作领导小组,由中心主任任组长,分管副主'
     '任任副组长,各科室负责人、窗口负责人为成员。由协调管理科科长兼任领导小组办公室主任,负责组织、指'
     '导、督促各科室开展信息公开工作。按照《政府信息发布保密审查制度》对1200多条信息进行核审,以确'
     '保政府信息公开工作高标准、高质量实施到位。中心积极完善政府信息公开制度和规范、深化政府信息公开内'
     '容,拓展政府信息公开形式,扎实推进信息公开工作,政府信息公开工作的质量和水平有了一定的提高。'),
    "",
    ('2、加强政府信息公开相关制度建设。为规范政府信息公开工作,研究制订了《政府信息主动公开制度》、《'
     '政府信息公开责任追究制度》、《政府信息依申请公开制度》、《政府信息公开受理举报制度》、《政府信息'
     '发布保密审查制度》等多项制度,进一步保障了政府信息公开工作走上制度化、规范化管理轨道。'),
    "",
    ('3、扎实推进行政许可标准化。确定了32家单位174个行政许可项目,纳入市本级行政许可标准化范畴。'
     '拟制了行政许可服务指南完整版、简化版和网上政务服务和电子监察事项信息采集表及填写表格的要求和示范'
     '文本。联合印发了《关于推进行政许可标准化的实施方案》。组织了一期全市政务服务工作业务培训。完成了'
     '市本级许可流程规范资料第一轮审查,编印了窗口服务指南合订本,并在网上更新配置。积极探索“互联网+'
     '政务服务”。起草了常德市政务服务信息化建设方案,完成了信息化建设的硬件需求摸底工作。启动常德市互'
     '联网+政务服务平台建设方案的编制工作,《常德市网上政务大厅(一期)建设方案》通过了技术评审。持续'
     '抓好乡镇便民服务中心建设。召开了乡镇街道便民服务中心规范化建设流动现场会。联合下发了《关于统筹推'
     '进全市农村综合服务平台建设的实施意见》。推进省网上政务服务和电子监察系统应用工作。市县两级共有3'
     '79个部门的5799个项目上线运行,全市累计网上办件27.29万件,办结率为99%以上,没有产生'
     '红、黄牌。加强窗口工作考核,提升政务服务水平。建立了楼层值班机制,落实督查机制。深入挖掘先进典型'
     ',充分发挥示范带动效应。窗口工作讲评以效能工作为重点,切实改进工作作风,加强效能建设。'),
    "",
    "",
    "二、主动公开政府信息情况",
    "",
    "2017年度主动公开政府信息1200多条,全文电子化率达99%。",
    "",
    "我单位所涉政府公开信息通过门户网站、微信公众号、微博、电子显示屏及政务公开栏进行了公开。",
    "",
    "",
    "三、依申请公开政府信息情况",
    "",
    "本年度受理网上申请政府信息公开申请2件。",
    "",
    "在已答复的2件申请中:",
    "",
    "“同意公开”1件,占总数的50%,主要涉及政务服务事项总数等信息。",
    "",
    "“非本机关职责权限范围“1件,占总数的50%,主要涉及管理区政府工作报告等信息。",
    "",
    "",
    "四、政府信息公开咨询处理情况",
    "",
    ('本年度共接受市民咨询13万多人次。其中咨询电话接听80560次,当面咨询48489次,网上咨询9'
     '51次。2017年度政府信息公开专栏访问量为753次。'),
    "",
    "",
    "五、政府信息公开复议、诉讼情况",
    "",
    "本年度没有发生针对本部门有关政府信息公开事务的行政复议案。",
    "",
    "",
    "六、政府信息公开支出与收费",
    "",
    ('政府信息公开事务的财政预算2万元,实际支出情况:业务培训费8100元,服务指南编印费15600元'
     ',微信公众号注册费300元,电子显示屏维修2860元。'),
    "",
    "本年度没有发生政府信息公开收费。",
    "",
    "",
    "七、其他相关工作情况",
    "",
    "",
    "八、存在的主要问题和改进措施",
    "",
    ('2017年本单位政务公开工作仍然存在公开的内容不够全面和及时,办事程序优化和公开不够到位,政务服'
     '务信息互联互通不够等问题。'),
    "",
    ('2018年,我们将以常德市民之家建成运行为契机,以“互联网+政务服务”为支撑,完善网上政务服务系'
     '统功能,增强网上查阅、咨询、申报、审批功能,不断优化政府信息公开服务水平。主要做好以下工作:'),
    "",
    ('1、打造方便快捷的市民之家。以入驻市民之家为契机,按照“大厅之外无审批”的要求,将行政许可、行政'
     '确认、行政征收、行政给付、管理服务等事项一律纳入政务中心运行,将审批服务、公共服务、便民服务和中'
     '介服务均纳入窗口办理。推行“一窗受理、集成服务”,为广大办事群众打造一个环境更加舒适、办事更加便'
     '捷、服务更加贴心的“家”。'),
    "",
    ('2、推进“互联网+政务服务”工作。让数据多跑路,让群众少跑腿,进一步打通信息孤岛与信息壁垒,深化'
     '政府数据资源共享。在全省总体框架下,做好常德市“互联网+政务服务”一体化平台顶层设计,建成网上政'
     '务大厅一期,形成覆盖市县乡村四级的政务服务管理系统。加强政务大厅智能化建设,推行“掌上政务”,为'
     '办事群众提供更加方便快捷的政务服务。网上办事由行政审批向公共服务、中介服务、便民服务拓展,并向基'
     '层延伸,做到“一网通办、在线办结”,打通服务群众的“最后一公里”。'),
    "",
    ('3、规范审批服务流程。进一步深化行政审批制度改革,优化审批流程,减少审批环节,以全国政务服务标准'
     '为指引,以行政许可标准化实施为先导,进一步完善“事项、流程、服务、场所、考核”五位一体的政务服务'
     '与管理规范,并在各级政务服务平台实施。进一步规范、精简、提速投资项目审批,大力推行绿色通道制度、'
     '全程代办制度、告知承诺制度,切实减轻项目审批制度性成本,促进重点项目早开工、早受益。'),
    "",
    ('4、加强行政审批中介服务监管。深入清理行政审批中介服务事项,建立行政审批中介服务网上监管平台,中'
     '介机构准入实行开放式,只要符合资质要求、没有不良记录的中介机构都可以进入网上监管平台,实行公开比'
     '选,促进中介服务集中公开、公平竞争。建立行业管理和社会评价相结合的管理模式,加强中介服务市场社会'
     '诚信建设,不断改进和提高中介服务质量,为加快行政审批提供前提条件。'),
    "",
    ('5、加强政务服务队伍建设。一是结合市民之家入驻提出调配意见,对窗口人员进行一次全面清理与优化。二'
     '是把党的建设和支部党建工作抓细抓实,促进窗口党建与业务协调发展。三是加强政务服务人员培训,拟定培'
     '训计划,做到分批次分层次进行全员理论知识、业务知识的培训,提高窗口人员服务素质。'),
    "",
    "",
    "2018年3月19日",
    "",
    "",
    "",
    ('附件:<img $/History/ui/icons/word.png"/>2017年度常德市人'
     '民政府政务服务中心政府信息公开工作统计表.doc'),
    "",
    "归档时间:2024-03-25",
    "已归档",
])


@dataclass(frozen=True)
class Case:
    failing: Builder
    passing: Builder
    failing_config: Config | None = None
    passing_config: Config | None = None
    previous: tuple[Builder, Builder] | None = None  # last year's report for (failing, passing)
    history: tuple[Builder, Builder] | None = None  # an earlier version of the same year, for (failing, passing)


def changde(*changes: tuple[str, str], name: str = "changde.txt") -> Builder:
    """The seed text with (old, new) replacements, each of which must apply."""

    def build(folder: Path) -> Path:
        text = CHANGDE
        for old, new in changes:
            assert old in text, old
            text = text.replace(old, new)
        path = folder / name
        path.write_text(text, encoding="utf-8")
        return path

    return build


def raw(data: bytes, name: str) -> Builder:
    def build(folder: Path) -> Path:
        path = folder / name
        path.write_bytes(data)
        return path

    return build


def doc(make: Callable[[], Doc], name: str = "report.html") -> Builder:
    def build(folder: Path) -> Path:
        return make().write(folder, name)

    return build


def _changed(**cells: object) -> Callable[[], Doc]:
    """A Doc with cells set: key "table__row__col" (dots in row keys written as "_"), 总计 following."""

    def make() -> Doc:
        d = Doc()
        for key, value in cells.items():
            table, row, col = key.split("__")
            d.cell(table, row.replace("_dot_", "."), col, value)  # type: ignore[arg-type]
        return d

    return make


def _with(**changes: object) -> Callable[[], Doc]:
    def make() -> Doc:
        return Doc(**changes)  # type: ignore[arg-type]

    return make


def _apply(make: Callable[[], Doc], change: Callable[[Doc], object]) -> Callable[[], Doc]:
    def build() -> Doc:
        d = make()
        change(d)
        return d

    return build


CLEAN = doc(Doc)


def _deeply_nested(folder: Path) -> Path:
    """The clean page with 300 nested <div>s after its text: libxml2 stops at 256 levels (html-truncated)."""
    path = CLEAN(folder)
    page = path.read_text(encoding="utf-8")
    path.write_text(page.replace("</body>", "<div>" * 300 + "附注" + "</div>" * 300 + "</body>"), encoding="utf-8")
    return path
SEED = changde()
PERIOD = ("本年度报告是根据", "本报告中所列数据统计期限为2017年1月1日至2017年12月31日。本年度报告是根据")
# The seed with a provincial statistics table (2008 regime) attached as text, its cells apart.
_STATISTICS = [("主动公开信息数", "1200", "5000"), ("受理依申请公开信息总数", "2", "9"),
               ("其中：1.当面申请数", "0", "3"), ("2.网上申请数", "2", "6"), ("对申请的答复数", "2", "9"),
               ("其中：1.同意公开答复数", "1", "5")]


def _statistics(**cells: tuple[str, str]) -> Builder:
    """The seed with its statistics table; `cells` replace rows' (本年度, 历年累计) by row label."""
    lines = ["政府信息公开情况统计表", "指标名称 计量单位 2017年度 历年累计"]
    for label, year, cumulative in _STATISTICS:
        year, cumulative = cells.get(label, (year, cumulative))
        lines.append(f"{label} 条 {year} {cumulative}")
    return changde(("归档时间:2024-03-25", "\n".join(lines) + "\n\n归档时间:2024-03-25"))


def _set_section(key: str, text: str) -> Callable[[Doc], object]:
    return lambda d: d.sections.__setitem__(key, text)


def _append(key: str, text: str) -> Callable[[Doc], object]:
    return lambda d: d.sections.__setitem__(key, d.sections[key] + text)


def _prev(**changes: object) -> Callable[[], Doc]:
    """Last year's report (2022) of the same agency, with cells set as in `_changed`."""

    def make() -> Doc:
        d = Doc(year=2022, published="2023-01-20", signed="2023年1月18日")
        for key, value in changes.items():
            table, row, col = key.split("__")
            d.cell(table, row.replace("_dot_", "."), col, value)  # type: ignore[arg-type]
        return d

    return make


def _prev_rewritten() -> Doc:
    d = _prev()()
    d.sections.update(
        overview="这一年里，本局围绕法治政府建设要求，重点推进重大行政决策公开、政策解读和政务新媒体规范管理，"
                 "新建了不动产登记信息查询专栏，组织全系统业务培训两次，并对基层站所的公开目录进行了统一梳理。",
        problems="主要问题是个别科室公开意识不强、信息报送不及时。今后将建立考核通报机制，压实科室责任。",
        other="全年没有收取任何信息处理费用。本年度没有其他需要说明的事项。",
    )
    return d


def _all_upheld(pending: int) -> Callable[[], Doc]:
    def make() -> Doc:
        d = Doc()
        d.tables["appeals"]["review"].update(upheld=4 - pending, corrected=0, other=0, pending=pending, total=4)
        d.sections["overview"] += "行政复议案件均获维持。"
        return d

    return make


def _no_appeals_prose() -> Doc:
    d = Doc()
    d.sections["overview"] = d.sections["overview"].replace("被申请行政复议4件，被提起行政诉讼1件。", "加强考核。")
    d.sections["appeals"] = "具体情况见下表。"
    return d


def _renumbered() -> Doc:
    d = Doc()
    numbers = "一二三四五六"
    d.headings = {"overview": "总体情况"}
    for i, key in enumerate(("active", "requests", "appeals", "problems", "other")):
        d.headings[key] = numbers[i] + "、" + HEADINGS_PLAIN[key]
    return d


HEADINGS_PLAIN = {"active": "主动公开政府信息情况", "requests": "收到和处理政府信息公开申请情况",
                  "appeals": "政府信息公开行政复议、行政诉讼情况", "problems": "存在的主要问题及改进情况",
                  "other": "其他需要报告的事项"}


def _blank_template() -> Doc:
    """The official template as published: no agency, no year, placeholders and empty tables."""
    d = Doc(title="政府信息公开工作年度报告", agency="", period=False, published=None, signed=None)
    d.sections = {key: "（文字描述）" for key in d.sections if key in ("overview", "problems", "other")}
    for rows in d.tables.values():
        for values in rows.values():
            for col in values:
                values[col] = None
    return d


def _unpaid(statement: bool) -> Callable[[], Doc]:
    def make() -> Doc:
        d = Doc()
        d.cell("requests", "other.other", "natural_person", 1)
        d.cell("requests", "other.unpaid_fee", "natural_person", 2)
        d.sections["other"] = "本年度发出收费通知2份，申请人均未缴费，未收取信息处理费。" if statement else "无。"
        return d

    return make


def _regulations(agency: str) -> Callable[[], Doc]:
    def make() -> Doc:
        d = Doc(agency=agency)
        d.tables["active"]["regulations"].update(issued=1, repealed=0, in_force=1)
        return d

    return make


def _v2019(**cells: object) -> Callable[[], Doc]:
    def make() -> Doc:
        d = Doc(version="2019", year=2020, published="2021-01-20", signed="2021年1月18日")
        for key, value in cells.items():
            table, row, col = key.split("__")
            d.cell(table, row, col, value)  # type: ignore[arg-type]
        return d

    return make


_SEED_BYTES = CHANGDE.encode("utf-8")

RULE_CASES: dict[str, Case] = {
    # --- file -----------------------------------------------------------------------------------
    "F001": Case(raw(b"", "empty.txt"), SEED),
    "F002": Case(SEED, SEED, failing_config=Config(max_file_bytes=1000)),
    "F003": Case(raw(_SEED_BYTES, "changde.docx"), SEED),
    "F004": Case(SEED, changde(("统计表.doc", "统计表.xlsx"))),
    "F005": Case(doc(_with(charset="gb18030", declared="utf-8")), CLEAN),
    "F006": Case(_deeply_nested, CLEAN),
    "F007": Case(raw(render(generate(101, format_version="2021"), "txt", "crawled"), "crawled.txt"), CLEAN),
    # --- structure ------------------------------------------------------------------------------
    "S001": Case(doc(_apply(Doc, lambda d: d.drop_section("problems"))), CLEAN),
    "S002": Case(SEED, changde(("七、其他相关工作情况\n", "七、其他相关工作情况\n无。\n"))),
    "S003": Case(doc(_blank_template), doc(_with(title="政府信息公开工作年度报告", period=False))),
    "S004": Case(doc(_apply(Doc, lambda d: d.drop_table("appeals"))), CLEAN),
    "S005": Case(doc(_renumbered), CLEAN),
    "S006": Case(doc(_apply(Doc, _set_section("problems", "（文字描述）"))), CLEAN),
    "S007": Case(doc(_with(agency=GOVERNMENT)), doc(_apply(Doc, Doc.government))),
    "S008": Case(doc(_with(version="2019")), CLEAN),
    "S009": Case(doc(_with(extra_request_rows=[("其中：网上申请", [5, 0, 0, 0, 0, 0, 5])])), CLEAN),
    "S010": Case(doc(_with(subtotal=True)), CLEAN),
    "S011": Case(doc(_with(repeat=("requests",))), CLEAN),
    "S012": Case(doc(_apply(Doc, lambda d: d.tables["requests"].pop("other.unpaid_fee"))), CLEAN),
    "S013": Case(doc(_with(title="政府信息公开工作年度报告", agency="", period=False)),
                 doc(_with(title="2023年政府信息公开工作年度报告"))),
    "S014": Case(doc(_with(replace=(("2.其他法律行政法规禁止公开", "2.其他法律行政止公开"),))), CLEAN),
    # --- value ----------------------------------------------------------------------------------
    "V001": Case(doc(_changed(requests__granted__natural_person="详见附件")), CLEAN),
    "V002": Case(doc(_changed(requests__granted__research=None)), CLEAN),
    "V003": Case(doc(_changed(active__regulations__issued="/")), CLEAN),
    "V004": Case(doc(_changed(active__fees__amount="12500元")), CLEAN),
    "V005": Case(doc(_changed(active__licensing__decisions="-3")), CLEAN),
    "V006": Case(doc(_changed(active__licensing__decisions="12.5")), CLEAN),
    # --- arithmetic -----------------------------------------------------------------------------
    "A001": Case(changde(("在已答复的2件申请中", "在已答复的3件申请中")), SEED),
    "A002": Case(changde(("“同意公开”1件,占总数的50%", "“同意公开”1件,占总数的60%")), SEED),
    "A101": Case(doc(_changed(requests__carried_forward__natural_person=15)), CLEAN),
    "A102": Case(doc(_changed(requests__granted__natural_person=61)), CLEAN),
    "A103": Case(doc(_changed(requests__new_received__total=305)), CLEAN),
    "A104": Case(doc(_changed(appeals__review__total=5)), CLEAN),
    "A105": Case(_statistics(**{"2.网上申请数": ("3", "6")}), _statistics()),
    "A106": Case(_statistics(主动公开信息数=("1200", "500")), _statistics()),
    # --- consistency ----------------------------------------------------------------------------
    "C001": Case(changde(("共接受市民咨询13万多人次", "共接受市民咨询120000人次")),
                 changde(("共接受市民咨询13万多人次", "共接受市民咨询130000人次"))),
    "C002": Case(changde(("存在的主要问题和改进措施等。", "存在的主要问题和改进措施等六个部分。")),
                 changde(("存在的主要问题和改进措施等。", "存在的主要问题和改进措施等八个部分。"))),
    "C101": Case(doc(_apply(Doc, lambda d: d.sections.__setitem__(
        "overview", d.sections["overview"].replace("收到政府信息公开申请304件", "收到政府信息公开申请300件")))), CLEAN),
    "C102": Case(doc(_apply(Doc, lambda d: d.sections.__setitem__(
        "overview", d.sections["overview"].replace("予以公开63件", "予以公开63件，占25.0%")))),
                 doc(_apply(Doc, lambda d: d.sections.__setitem__(
                     "overview", d.sections["overview"].replace("予以公开63件", "予以公开63件，占20.7%"))))),
    "C103": Case(doc(_all_upheld(pending=1)), doc(_all_upheld(pending=0))),
    "C104": Case(doc(_no_appeals_prose), CLEAN),
    "C105": Case(doc(_regulations(COUNTY_DEPARTMENT)), doc(_regulations("宿迁市人民政府"))),
    "C108": Case(_statistics(受理依申请公开信息总数=("3", "9"), **{"其中：1.当面申请数": ("1", "3")}), _statistics()),
    "C107": Case(doc(_apply(_with(agency=COUNTY_DEPARTMENT), _append("overview", "在《今日定安》开设政务公开专栏。"))),
                 doc(_apply(_with(agency=COUNTY_DEPARTMENT), _append("overview", "在《宿迁日报》开设政务公开专栏。")))),
    "C106": Case(doc(_v2019(active__normative_documents__published=5)), doc(_v2019())),
    # --- budget ---------------------------------------------------------------------------------
    "B001": Case(SEED, changde(("财政预算2万元", "财政预算3万元"))),
    "B002": Case(changde(("实际支出情况:", "实际支出合计26000元,其中")),
                 changde(("实际支出情况:", "实际支出合计26860元,其中"))),
    # Spending stated under a "支出与收费" heading, but not a word on fees.
    "B003": Case(changde(("本年度没有发生政府信息公开收费。", "")), SEED),
    "B101": Case(doc(_apply(Doc, _set_section("other", "无其他需要报告的事项。"))), CLEAN),
    "B102": Case(doc(_unpaid(statement=False)), doc(_unpaid(statement=True))),
    # --- dates ----------------------------------------------------------------------------------
    "D001": Case(changde(("本年度报告是根据",
                          "本报告中所列数据统计期限为2016年1月1日至2016年12月31日。本年度报告是根据")),
                 changde(PERIOD)),
    "D002": Case(changde(("2018-03-19 14:45", "2018-04-19 14:45")), SEED),
    "D003": Case(changde(("\n2018年3月19日\n", "\n2018年3月25日\n")), SEED),
    "D004": Case(changde(("2018-03-19 14:45", "2042-03-19 14:45")), SEED),
    "D005": Case(SEED, changde(PERIOD)),
    "D006": Case(doc(_apply(Doc, _set_section("overview", "2022年，本局认真贯彻落实政府信息公开条例。"))),
                 CLEAN),
    # --- history --------------------------------------------------------------------------------
    "H001": Case(CLEAN, CLEAN, previous=(doc(_prev(requests__carried_forward__natural_person=10), "previous.html"),
                                         doc(_prev(), "previous.html"))),
    "H002": Case(CLEAN, CLEAN, previous=(doc(_prev(), "previous.html"),
                                         doc(_prev(active__normative_documents__in_force=23), "previous.html"))),
    "H003": Case(CLEAN, CLEAN, previous=(doc(_prev(), "previous.html"), doc(_prev_rewritten, "previous.html"))),
    "H004": Case(CLEAN, CLEAN, previous=(doc(_prev(active__licensing__decisions=5), "previous.html"),
                                         doc(_prev(), "previous.html"))),
    "H005": Case(CLEAN, CLEAN, history=(doc(_changed(requests__granted__natural_person=61), "earlier.html"),
                                        doc(_with(comment="第一次发布"), "earlier.html"))),
}
