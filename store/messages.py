"""What Weekly says to the user, keyed by code, in both languages (zh, en): one catalogue
for the shell and the TUI. A message is looked up by its code and filled with its values;
nothing is ever translated back from English text."""

from __future__ import annotations

MESSAGES: dict[str, tuple[str, str]] = {
    # search
    "search_none": ("没有找到“{words}”", "no line holds {words}"),
    "search_title": ("搜索所有周", "Search every week"),
    "search_hint": ("输入词语，空格分开：每个词都在的行", "Words, space-separated: lines holding every one"),
    "search_nothing": ("没有找到", "nothing found"),
    "search_count": ("找到 {n} 行", "{n} lines found"),
    "search_count_more": ("找到超过 {n} 行，只列出前 {n} 行：再加一个词缩小范围",
                          "more than {n} lines found, the first {n} listed: add a word to narrow it"),
    "search_keys": ("输入即搜索 · ↓ 到结果 · Enter 打开那一周 · Esc 关闭",
                    "Searches as you type · ↓ to the results · Enter opens the week · Esc closes"),
}


def msg(code: str, lang: str, **values) -> str:
    zh, en = MESSAGES[code]
    text = en if lang == "en" else zh
    return text.format(**values) if values else text
