"""Items followed across weeks when renamed (issue 23 point 5, SPEC §2.2 and §8): four weeks
written the way the sample's author writes (tests/data/review_renamed, our own words in the
sample's layout), imported as a user would, then reviewed: an item that keeps its prefix or
most of its words is one item, shown once with its progress path, and the JSON says which
items were joined and by which rule. The rule itself: store/follow."""

from __future__ import annotations

import json
from datetime import date

import pytest

from weekly_zhoubao.exporters.review import render_json, render_markdown
from weekly_zhoubao.store import follow
from weekly_zhoubao.store import review as rv
from weekly_zhoubao.store.db import WeekStore
from weekly_zhoubao.tui.cli import main

from tests.conftest import DATA

DATA = DATA / "review_renamed"
W42, W43, W44, W45 = date(2023, 10, 9), date(2023, 10, 16), date(2023, 10, 23), date(2023, 10, 30)


@pytest.fixture
def four_weeks(tmp_path) -> WeekStore:
    db = tmp_path / "weekly.json"
    assert main(["import", *map(str, sorted(DATA.glob("*.md"))), "--db", str(db)]) == 0
    return WeekStore(db)


@pytest.fixture
def review(four_weeks) -> rv.Review:
    return rv.build_review(four_weeks, rv.quarter("2023Q4"))


def test_renamed_items_are_neither_removed_nor_new(review):
    # each wording taken for an item of its own gave 14 "new" and 13 "removed" (measured
    # before this rule); only the item that is truly new this quarter is left
    assert [(t.objective, t.label) for t in review.new_items] == [("O1", "风险数据指标立项评审")]
    assert review.dropped_items == []
    assert len(review.objectives) == 16


def test_the_samples_chain_is_one_item_with_its_progress_path(review):
    pay = next(t for t in review.objectives if "支付链路" in t.line)
    assert [t for t in review.objectives if "支付链路" in t.line] == [pay]
    assert pay.names == ["支付链路", "支付链路测试进度45%", "支付链路测试完成", "支付链路灰度上线"]
    assert [(s.week, s.progress) for s in pay.path] == [(W42, 15), (W43, 45), (W44, None), (W45, 100)]
    assert [j.rule for j in pay.joins] == ["prefix", "core", "words"]
    assert (pay.start_progress, pay.end_progress) == (15, 100)
    # a last week in words only (上线完成) keeps the figures before it: done, 100%
    home = next(t for t in review.objectives if t.label == "家家盈平台")
    assert [s.progress for s in home.path] == [50, 80, 100, None] and (home.start_progress, home.end_progress) == (50, 100)
    # words without figures at first: the first figure given
    bill = next(t for t in review.objectives if t.label == "看懂账")
    assert (bill.start_progress, bill.end_progress) == (20, 70)
    md = render_markdown(review).split("\n")
    line = next(x for x in md if x.startswith("        - 支付链路灰度上线："))
    assert line == ("        - 支付链路灰度上线：15%（10/13） → 45%（10/20） → 100%（11/03），已完成"
                    "（曾写作：支付链路、支付链路测试进度45%、支付链路测试完成）")
    assert sum("支付链路" in x for x in md) == 2  # the item once, and its delivery


def test_the_json_says_which_items_were_joined_and_by_which_rule(review):
    data = json.loads(render_json(review))
    chain = [j for j in data["joined"] if "支付链路" in j["before"]]
    assert [(j["week"], j["before"], j["after"], j["rule"]) for j in chain] == [
        ("2023-10-16", "支付链路，测试用例评审完成，测试进度15%。", "支付链路测试进度45%", "prefix"),
        ("2023-10-23", "支付链路测试进度45%", "支付链路测试完成", "core"),
        ("2023-10-30", "支付链路测试完成", "支付链路灰度上线，进度100%", "words"),
    ]
    assert {j["kind"] for j in data["joined"]} == {"objective", "key_work"}
    assert {j["rule"] for j in data["joined"]} <= set(follow.RULES)
    pay = next(o for o in data["objectives"] if o["label"] == "支付链路灰度上线")
    assert [s["progress"] for s in pay["path"]] == [15, 45, None, 100]


def test_renamed_key_work_is_listed_once_with_its_weeks(review):
    assert [(t.title, t.names, len(t.weeks)) for t in review.key_work] == [
        ("商户服务重构上线准备", ["商户服务重构", "商户服务重构上线准备"], 4),
        ("银行虚户设计与研发计划", ["银行虚户前期设计", "银行虚户设计", "银行虚户设计与研发计划"], 4)]
    md = render_markdown(review)
    assert ("- 【银行虚户设计与研发计划】第42周 2023/10/13、第43周 2023/10/20、第44周 2023/10/27、第45周 2023/11/03"
            "（曾写作：银行虚户前期设计、银行虚户设计）") in md.split("\n")


@pytest.mark.parametrize("earlier, now, rule", [
    ("支付链路，测试用例评审完成，测试进度15%", "支付链路测试进度45%", "prefix"),
    ("支付链路测试进度45%", "支付链路测试完成", "core"),
    ("看懂账：刷数完成，预计11/21上线", "看懂账：新版PC账单联调，进度70%", "label"),
    ("Billing API [Progress: 40%] ETA 3/15", "Billing API, done", "core"),
    ("数据迁移 ✅ 14/15", "数据迁移，完成3/5", "core"),
    ("风控报表百分之二十 due Mar 15", "风控报表", "core"),
    ("Ship the new billing API for merchants", "Ship new billing API for merchants by 3/15", "words"),
])
def test_the_rule_sets_aside_progress_and_dates_then_compares(earlier, now, rule):
    assert follow.rule(earlier, now) == rule


@pytest.mark.parametrize("earlier, now", [
    ("风控系统事中接口超时数据分析，进度100%", "风控指标数据分析盘点，进度10%"),  # siblings in the sample
    ("账单验证环境搭建完成", "账单的测试回归方案启动"),  # a shared word is not a prefix
    ("POS应用市场", "POS收单"),
    ("进度60%", "进度80%"),  # nothing left once progress is set aside: nothing to compare
])
def test_different_items_stay_apart(earlier, now):
    assert follow.rule(earlier, now) is None


def test_each_earlier_item_continues_in_one_item_only():
    pairs = follow.match([("a", "支付链路测试进度45%", ""), ("b", "支付链路压测", "")],
                         [("支付链路测试完成", ""), ("支付链路测试用例补充", "")])
    # 支付链路测试 is the first one's words and the second one's prefix: the closer rule wins
    assert pairs == {0: ("a", "core")}


async def test_the_review_screen_shows_the_renamed_item_once(four_weeks, tmp_path):
    from textual.widgets import Static

    from weekly_zhoubao.store.settings import Settings
    from weekly_zhoubao.tui.review_screen import ReviewScreen
    from tests.tui.helpers import host_app

    screen = ReviewScreen(four_weeks, Settings(lang="zh"), date(2023, 11, 1), export_dir=tmp_path / "out")
    app = host_app(screen)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        shown = "\n".join(str(w.render()) for w in screen.query(Static))
        assert shown.count("支付链路灰度上线 ") == 1  # one progress bar, 15% → 100%
        assert "15% → 100%" in shown
        text = str(screen.query_one("#review-text", Static).render())
        assert "- 移除：无" in text and "    - O1 风险数据指标立项评审：第45周 2023/11/03" in text
