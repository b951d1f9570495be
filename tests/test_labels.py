"""Label normalisation and phrase matching (ingest/labels.py)."""

from __future__ import annotations

import pytest

from ogi.ingest.labels import best_match, match_score, normalize_label


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("一、本年新收政府信息公开申请数量", "本年新收政府信息公开申请数量"),
        ("（三）不予公开", "不予公开"),
        ("(三)不予公开", "不予公开"),
        ("1．属于国家秘密", "属于国家秘密"),
        ("１．属于国家秘密", "属于国家秘密"),
        ("1.属于国家秘密", "属于国家秘密"),
        ("1、申请人无正当理由逾期不补正", "申请人无正当理由逾期不补正"),
        ("(1)重复申请", "重复申请"),
        ("①重复申请", "重复申请"),
        ("三、（一）予以公开", "予以公开"),
        ("商业 企业", "商业企业"),
        ("科研\n机构", "科研机构"),
        ("\u3000其\xa0他 ", "其他"),
        ("3.危及“三安全一稳定”", "危及三安全一稳定"),
        ('3.危及"三安全一稳定"', "危及三安全一稳定"),
        ("3.危及「三安全一稳定」", "危及三安全一稳定"),
        ("本年收费金额（单位：万元）", "本年收费金额单位万元"),
        ("本年增/减", "本年增减"),
        ("第二十条第（一）项", "第二十条第一项"),
        ("三安全一稳定", "三安全一稳定"),
        ("ＡＢＣ", "ABC"),
        ("", ""),
    ],
)
def test_normalize_label(raw: str, expected: str) -> None:
    assert normalize_label(raw) == expected


def test_curly_and_straight_quotes_compare_equal() -> None:
    assert normalize_label("3.危及“三安全一稳定”") == normalize_label("３．危及\"三安全 一稳定\"")


def test_match_score_needs_every_phrase() -> None:
    label = normalize_label("2.申请人逾期未按收费通知要求缴纳费用")
    assert match_score(label, ("缴纳费用",)) == 4
    assert match_score(label, ("缴纳费用", "收费通知")) == 8
    assert match_score(label, ("缴纳费用", "国家秘密")) == 0
    assert match_score(label, ()) == 0


def test_best_match_longest_wins() -> None:
    candidates = {"other.other": ["其他"], "denied.prohibited_by_law": ["禁止公开"]}
    assert best_match("2.其他法律行政法规禁止公开", candidates) == "denied.prohibited_by_law"
    assert best_match("3.其他", candidates) == "other.other"
    assert best_match("总计", candidates) is None
    assert best_match("", candidates) is None


def test_best_match_accepts_pairs_and_first_wins_a_tie() -> None:
    pairs = [("a", ["总计"]), ("b", ["总计"])]
    assert best_match("（七）总计", pairs) == "a"


def test_best_match_normalises_phrases_too() -> None:
    assert best_match("商业企业", {"commercial": ["商业 企业"]}) == "commercial"
