"""Following an item across weeks when it is renamed (SPEC §2.2 and §8): the one place the
rule lives. People rewrite an item every week (`支付链路，测试用例评审完成，测试进度15%` →
`支付链路测试进度45%` → `支付链路测试完成`); a review that took each wording for a new item
would list it as removed and new every week.

An item of one week is an earlier week's item when, tried in this order:
  label   it has the same name, as written (its first clause: `物保` of `物保：…`);
  core    its words are the same once progress, date and status phrases are set aside
          (`支付链路测试进度45%` and `支付链路测试完成` are both `支付链路测试`);
  prefix  one's words start with the other's whole first clause, of PREFIX_MIN characters
          or more (`支付链路` of `支付链路，测试用例评审完成` starts `支付链路测试`);
  words   most of their words are shared: a Dice likeness of at least WORDS_MIN over words
          (Latin) and pairs of characters (Chinese), phrases set aside.
Matching is one to one: the same name first, then the best rule and the likeness. The
rules look at words only, so the caller compares only items that can be the same: under
the same objective and the same followed parent (store/review)."""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Hashable, Sequence

RULES = ("label", "core", "prefix", "words")  # strongest first
PREFIX_MIN = 4
WORDS_MIN = 0.6

_NUMBER = r"\d+(?:\.\d+)?"
_MONTH = (r"\b(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
          r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\b\.?")
_DAY = r"\d{1,4}[/.-]\d{1,2}(?:[/.-]\d{1,2})?"  # 10/26, 2023-10-26, 3.15 (a fraction 14/15 too)
_SET_ASIDE = re.compile("|".join([
    rf"\[?\s*progress\s*[:：]?\s*{_NUMBER}\s*[%％]\s*\]?",  # [Progress: 90%]
    rf"(?:进度|完成占比|完成度|完成率)\s*[:：]?\s*(?:{_NUMBER}\s*[%％]|百分之[零一二三四五六七八九十百]+)",
    rf"{_NUMBER}\s*[%％]\s*(?:完成)?",  # 60%完成
    r"百分之[零一二三四五六七八九十百]+",
    rf"(?:完成|✅)\s*{_DAY}",  # 完成3/5, ✅ 14/15
    rf"(?:预计|计划|目标|eta|due|by)?\s*(?:{_DAY}|\d{{1,2}}月(?:\d{{1,2}}[日号]|[初中底末]旬?)?"
    rf"|{_MONTH}\s*\d{{1,2}}(?:st|nd|rd|th)?)",  # 预计10/26, ETA 3/15, due Mar 15, 10月中
    r"已?上线完成|已上线|已完成|完成上线|按计划推进中|推进中|进行中|已?完成|上线|提测|启动|发布|交付",
    r"\b(?:done|finished|completed|complete|in progress|ongoing|wip|eta|due)\b",
]), re.I)
_CLAUSE = re.compile(r"[，,。；;：:（(]")
_NOT_WORD = re.compile(r"[\s\W_]+")
_LATIN_WORD = re.compile(r"[a-z0-9]+")
_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]+")


def normal(text: str) -> str:
    """Words without spaces, punctuation or case: what two spellings of a name share."""
    return _NOT_WORD.sub("", text).lower()


def set_aside(text: str) -> str:
    """`text` without its progress, date and status phrases (kept in the item's fields)."""
    return _SET_ASIDE.sub(" ", text)


def core(text: str) -> str:
    return normal(set_aside(text))


def _tokens(words: str) -> set[str]:
    lowered = words.lower()
    found = set(_LATIN_WORD.findall(_CJK.sub(" ", lowered)))
    for run in _CJK.findall(lowered):
        found |= {run[i:i + 2] for i in range(len(run) - 1)} if len(run) > 1 else {run}
    return found


@lru_cache(maxsize=8192)
def _read(words: str, label: str) -> tuple[str, str, str, frozenset[str]]:
    """What the rules compare, worked out once per wording (a year's review compares the
    same words many times): name, core, first clause set aside, tokens."""
    aside = set_aside(words)
    return (_name(words, label), normal(aside),
            normal(_CLAUSE.split(aside.strip(), 1)[0]), frozenset(_tokens(aside)))


def _dice(a: frozenset[str], b: frozenset[str]) -> float:
    return 2 * len(a & b) / (len(a) + len(b)) if a and b else 0.0


def likeness(a: str, b: str) -> float:
    """Dice over words and character pairs, phrases set aside: 1 for the same words."""
    return _dice(_read(a, "")[3], _read(b, "")[3])


def _rule(earlier: tuple, now: tuple) -> str | None:
    (la, ca, fa, ta), (lb, cb, fb, tb) = earlier, now
    if la and la == lb:
        return "label"
    if not ca or not cb:
        return None
    if ca == cb:
        return "core"
    if (len(fa) >= PREFIX_MIN and cb.startswith(fa)) or (len(fb) >= PREFIX_MIN and ca.startswith(fb)):
        return "prefix"
    if _dice(ta, tb) >= WORDS_MIN:
        return "words"
    return None


def rule(earlier: str, now: str, earlier_label: str = "", now_label: str = "") -> str | None:
    """Which rule says `now` (an item's words this week) is `earlier` (its words then), or
    None. The labels are the items' names when they have one (else their first clause)."""
    return _rule(_read(earlier, earlier_label), _read(now, now_label))


def _name(words: str, label: str) -> str:
    return normal(label or _CLAUSE.split(words, 1)[0])


def match(earlier: Sequence[tuple[Hashable, str, str]], now: Sequence[tuple[str, str]]) -> dict[int, tuple[Hashable, str]]:
    """Pair this week's items `now` ((words, label) each) with earlier ones `earlier` ((key,
    words, label) each), one to one: the same name first (the earliest listed of a name
    wins), then the other rules, best rule and then the likeness of their words first.
    Returns {index in now: (key, rule)}."""
    pairs: dict[int, tuple[Hashable, str]] = {}
    used: set = set()
    named: dict[str, list[Hashable]] = {}
    for key, words, label in earlier:
        named.setdefault(_name(words, label), []).append(key)
    for n, (words, label) in enumerate(now):
        name = _name(words, label)
        key = next((k for k in named.get(name, ()) if k not in used), None) if name else None
        if key is not None:
            pairs[n] = (key, "label")
            used.add(key)
    old = [(key, _read(words, label)) for key, words, label in earlier if key not in used]
    if not old:
        return pairs
    scored = []
    for n, (words, label) in enumerate(now):
        if n in pairs:
            continue
        read = _read(words, label)
        for key, old_read in old:
            found = _rule(old_read, read)
            if found is not None:
                scored.append((RULES.index(found), -_dice(old_read[3], read[3]), n, key, found))
    scored.sort(key=lambda s: s[:3])
    for _, _, n, key, found in scored:
        if n not in pairs and key not in used:
            pairs[n] = (key, found)
            used.add(key)
    return pairs
