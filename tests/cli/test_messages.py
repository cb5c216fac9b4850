"""One catalogue of messages keyed by code (store/messages.py): each in both languages with
the same values, the rules saying theirs in the process's language, nothing translated back
from English by patterns."""

from __future__ import annotations

import string

import pytest

from weekly_zhoubao.store import messages
from weekly_zhoubao.store.messages import MESSAGES, msg, say, set_language
from weekly_zhoubao.store.models import Metric, parse_number
from tests.conftest import ROOT



def fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


@pytest.mark.parametrize("code", sorted(MESSAGES))
def test_every_message_has_both_languages_with_the_same_values(code):
    zh, en = MESSAGES[code]
    plural_endings = {name for name in fields(en) if name == "s" or name.startswith("s_")}  # English's only
    assert zh and en and fields(zh) == fields(en) - plural_endings


def test_the_rules_speak_the_language_set_and_user_text_stays_as_typed():
    assert messages.language() == "en"
    with pytest.raises(ValueError, match=r"^'\[b\]x' is not a number$"):
        parse_number("[b]x")
    before = set_language("zh")
    assert before == "en"
    with pytest.raises(ValueError) as caught:
        Metric(name="x", kind="percent").check_value("101")
    assert str(caught.value) == "101 超出 0–100（百分比）"
    assert say("too_long", n=3000, cap=2000) == "太长（3,000 个字符，最多 2,000）"
    assert msg("too_long", "en", n=3000, cap=2000) == "is too long (3,000 characters, at most 2,000)"


def test_nothing_is_translated_back_from_english():
    source = (ROOT / "tui" / "messages.py").read_text(encoding="utf-8")
    assert "re.compile" not in source and "不能为空" not in source
