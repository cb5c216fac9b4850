"""What Weekly says to the user, keyed by code, in both languages (zh, en): one catalogue
for the shell and the TUI. A message is looked up by its code and filled with its values;
nothing is ever translated back from English text."""

from __future__ import annotations

MESSAGES: dict[str, tuple[str, str]] = {
    # the shell (tui/commands.py)
    "incident_logged": ("已记录 {at}，在{week}", "logged {at} in {week}"),
    "noted": ("已写入 {day} 的日报", "noted for {day}"),
    "note_empty": ("日报是空的；什么也没写", "the note is empty; nothing was written"),
    "note_needs_text": ("请给出日报内容，或用 - 从标准输入读，或用 --edit 打开编辑器",
                        "give the note's text, - to read it from stdin, or --edit to write it in your editor"),
    "stdin_not_text": ("标准输入不是 UTF-8 文字；什么也没写", "stdin is not UTF-8 text; nothing was written"),
    "editor_failed": ("编辑器 {editor} 未能完成（{why}）；什么也没写；可用 $EDITOR 指定",
                      "the editor {editor} did not finish ({why}); nothing was written; set $EDITOR"),
    "metric_recorded": ("{name} = {value}，{monday} 那一周", "{name} = {value} for the week of {monday}"),
    "no_weeks": ("{path} 里还没有周报", "no weeks in {path} yet"),
    "week_line": ("{monday}  {title}  重点工作 {key_work}，事件 {incidents}，日报 {daily_notes}",
                  "{monday}  {title}  key work {key_work}, incidents {incidents}, notes {daily_notes}"),
    "serving": ("在 {url} 提供 Weekly（仅本机）；Ctrl+C 停止", "serving Weekly at {url} (this machine only); Ctrl+C stops"),
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
