"""A small store for the review tests: five weeks of 2023Q4 whose figures are worked out by
hand in tests/formats/test_review.py (the comments there give the arithmetic)."""

from __future__ import annotations

from datetime import date, datetime

from weekly_zhoubao.store.models import Incident, KeyWorkItem, ListEntry, Metric, Objective, ObjectiveItem, Week

W1, W2, W3, W4, W5 = (date(2023, 10, 2), date(2023, 10, 9), date(2023, 10, 16), date(2023, 10, 30),
                      date(2023, 11, 6))  # the week of 10-23 is not written


def item(name, progress=None, due=None, status="planned", id=None, carried_done=False, text=""):
    extra = {"id": id} if id else {}
    return ObjectiveItem(name=name, text=text, progress=progress, due=due, status=status,
                         carried_done=carried_done, **extra)


def rate(value, id="m-rate"):
    return Metric(id=id, group="支付成功率", name="入金有效成功率", kind="percent", value=value, target=99.99)


def latency(value, id="m-p99"):
    return Metric(id=id, group="系统可用性", name="P99延迟", kind="number", unit="ms", value=value,
                  target=200, higher_is_better=False)


def o1(*items):
    return [Objective(code="O1", title="服务业务", items=list(items))]


def incident(at, grade, minutes, status, summary="事件", impact="", resolution=""):
    return Incident(at=at, grade=grade, duration_min=minutes, status=status, summary=summary,
                    impact=impact, resolution=resolution)


def hand_weeks() -> list[Week]:
    # 收银台升级 keeps its id (carried over); 杭州政府存管 gets a new id every week (imported),
    # so only its name ties its weeks together.
    return [
        Week(monday=W1,
             key_work=[KeyWorkItem(title="商户服务重构")],
             metrics=[rate("99.995"), latency("180")],
             objectives=o1(item("收银台升级", 20, date(2023, 10, 20), "in progress", id="pay"),
                           item("杭州政府存管", 10, date(2023, 10, 19), "in progress"),
                           item("看懂账", 40, None, "in progress", id="bill"),
                           item("物保", 100, date(2023, 9, 28), "done", id="wb", carried_done=True)),
             incidents=[incident(datetime(2023, 10, 3, 10, 0), "B", 30, "resolved", "出金超时",
                                 impact="出金延迟", resolution="回滚")],
             next_week=[ListEntry(text="收银台升级上线"), ListEntry(text="ADC述职")]),
        Week(monday=W2,
             key_work=[KeyWorkItem(title="商户服务重构"), KeyWorkItem(title="银行虚户")],
             metrics=[rate("99.98"), latency("250")],
             objectives=o1(item("收银台升级", 50, date(2023, 10, 20), "in progress", id="pay"),
                           item("杭州政府存管", 10, date(2023, 10, 19), "in progress"),
                           item("看懂账", 45, None, "in progress", id="bill")),
             incidents=[incident(datetime(2023, 10, 10, 15, 37), "C", 10, "resolved"),
                        incident(datetime(2023, 10, 11, 9, 0), None, None, "open")],
             reflections="复盘：灰度要更细",
             next_week=[ListEntry(text="ADC述职")]),
        Week(monday=W3,
             metrics=[rate("99.99"), latency("190")],
             objectives=o1(item("收银台升级", 80, date(2023, 10, 27), "in progress", id="pay"),
                           item("杭州政府存管", 20, date(2023, 10, 19), "in progress"),
                           item("POS收单", 0, None, "planned", id="pos")),
             next_week=[ListEntry(text="杭州政府存管上线")]),
        Week(monday=W4,
             metrics=[rate(None, id="m-rate-new"), latency("210", id="m-p99-new")],
             objectives=o1(item("收银台升级", 90, date(2023, 10, 27), "in progress", id="pay"),
                           item("杭州政府存管", 30, date(2023, 10, 19), "in progress"),
                           item("POS收单", 10, None, "in progress", id="pos")),
             incidents=[incident(datetime(2023, 10, 31, 23, 50), "A", 120, "resolved", "支付中断",
                                 impact="全部支付失败", resolution="切换备用通道"),
                        incident(datetime(2023, 11, 1, 8, 0), "D", 5, "open")]),
        Week(monday=W5,
             key_work=[KeyWorkItem(title="银行虚户")],
             metrics=[rate("99.999", id="m-rate-new"), latency("150", id="m-p99-new")],
             objectives=o1(item("收银台升级", 100, date(2023, 10, 27), "done", id="pay"),
                           item("杭州政府存管", 40, date(2023, 10, 19), "in progress"),
                           item("POS收单", 30, None, "in progress", id="pos")),
             incidents=[incident(datetime(2023, 11, 7, 14, 0), "C", 20, "resolved")],
             reflections="Q4 过半\n\n- 交付节奏稳定"),
    ]
