"""What the app says, in zh and en. Keys are stable ids (also the bindings' ids)."""

from __future__ import annotations

from weekly_zhoubao.store.messages import MESSAGES

STRINGS: dict[str, tuple[str, str]] = {
    # panes
    "pane_key_work": ("1 重点工作", "1 Key work"),
    "pane_metrics": ("2 系统运行数据", "2 Metrics"),
    "pane_objectives": ("3 目标 O1–On", "3 Objectives"),
    "pane_incidents": ("4 生产稳定性事件", "4 Incidents"),
    "pane_notes": ("5 其他 · 反思 · 下周 · 日报", "5 Notes"),
    "pane_preview": ("6 预览", "6 Preview"),
    # the panes as tabs, on a small screen (tui/screens/tabs.py)
    "tab_key_work": ("1 重点工作", "1 Key work"), "tab_metrics": ("2 数据", "2 Metrics"),
    "tab_objectives": ("3 目标", "3 Objectives"), "tab_incidents": ("4 事件", "4 Incidents"),
    "tab_notes": ("5 其他·日报", "5 Notes"), "tab_preview": ("6 预览", "6 Preview"),
    # bindings (footer and palette)
    "prev_week": ("上周", "Prev week"), "next_week": ("下周", "Next week"),
    "this_week": ("本周", "This week"), "goto_week": ("跳转", "Go to week"),
    "log_incident": ("记事件", "Log incident"), "log_incident_fkey": ("记事件", "Log incident"),
    "daily_note": ("日报", "Daily note"), "export": ("导出", "Export"), "copy": ("复制", "Copy report"),
    "undo": ("撤销", "Undo"), "undo_fkey": ("撤销", "Undo"), "keys": ("按键", "Keys"), "quit": ("退出", "Quit"),
    "theme": ("主题", "Theme"), "search": ("搜索", "Search"),
    "toggle_preview": ("预览全屏/还原", "Preview full screen / back"),
    "open_mark": ("未解决 ", "open "),
    "deleted_named": ("已删除「{what}」· {k} 恢复", "deleted “{what}” · {k} brings it back"),
    "undo:back": ("已撤销：「{what}」回来了", "undone: “{what}” is back"),
    "undo:gone": ("已撤销：「{what}」已移除", "undone: “{what}” is gone"),
    "undo:changed": ("已撤销：「{what}」已改回", "undone: “{what}” changed back"),
    "redo:back": ("已重做：「{what}」回来了", "redone: “{what}” is back"),
    "redo:gone": ("已重做：「{what}」又删除了", "redone: “{what}” is gone again"),
    "redo:changed": ("已重做：「{what}」又改了", "redone: “{what}” changed again"),
    "keys_fkey": ("按键", "Keys"), "form_cancel": ("取消", "Cancel"), "next_field": ("下一栏", "Next field"),
    "prev_field": ("上一栏", "Previous field"), "editor_close": ("关闭（已随输入保存）", "Close (saved as you type)"),
    "col_id": ("动作 id（[keys] 用）", "action id (for [keys])"), "legend": ("图标", "icons"),
    "icon_children": ("有子项", "has sub-items"), "icon_progress": ("进度", "progress"),
    "icon_joined": ("与上一条同一行", "on the line above"), "icon_target": ("达标 / 未达标", "target met / missed"),
    "icon_counts_differ": ("所写次数与事件记录不同", "stated counts differ from the log"),
    "icon_draft": ("从成员周报拉来、还没改过的草稿", "a draft pulled from a member, not edited yet"),
    "preview_whole": ("v 全屏", "v full screen"), "preview_back": ("v/esc 还原", "v/esc back"),
    "add": ("添加", "Add"), "edit": ("编辑", "Edit"), "delete": ("删除", "Delete"),
    "move_up": ("上移", "Move up"), "move_down": ("下移", "Move down"),
    "add_child": ("子项", "Sub-item"), "add_objective": ("新目标", "Objective"),
    "focus_pane": ("切换窗格", "Focus pane"),
    "week_keys": ("上周/下周", "Prev/next week"), "move": ("移动", "Move"), "palette": ("命令", "Command palette"),
    "palette_search": ("搜索命令…", "Search for commands…"),
    # Textual's own palette entries
    "maximize": ("最大化窗格", "Maximize"), "maximize_help": ("只显示当前窗格", "Show the focused pane alone"),
    "minimize": ("还原窗格", "Minimize"), "minimize_help": ("回到所有窗格", "Back to all panes"),
    "theme_pick": ("选择主题", "Choose a theme"), "theme_pick_help": ("按名称选择配色主题（会被记住）",
                                                                      "Any of the themes, by name (remembered)"),
    "theme_search": ("搜索主题…", "Search for themes…"),
    "screenshot": ("截图", "Screenshot"), "screenshot_help": ("把当前屏幕存为 SVG", "Save the screen as an SVG"),
    # Textual's own words, in ours (tui/app.py, tui/palette.py): keyed by what Textual says
    "Copy selected text": ("复制选中的文字", "Copy selected text"),
    "no_matches": ("没有匹配的命令", "No matches found"),
    "help_quit": ("按 {k} 退出", "Press {k} to quit"), "help_quit_title": ("要退出吗？", "Do you want to quit?"),
    "screenshot_saved": ("截图已保存到 {p}", "screenshot saved to {p}"),
    "screenshot_failed": ("截图保存失败：{why}", "could not save the screenshot: {why}"),
    "theme_not_kept": ("主题已切换，但未能记住：{why}", "theme changed, but not remembered: {why}"),
    # status
    "saved": ("已保存", "Saved"), "saving": ("保存中…", "Saving…"),
    "save_failed": ("保存失败", "SAVE FAILED"), "unsaved": ("未保存的修改", "unsaved changes"),
    "read_only": ("只读：无法保存", "read-only: changes cannot be saved"),
    "carried": ("沿用 {d} 的内容，编辑后才保存", "carried over from {d}; saved when you first edit it"),
    "changed_elsewhere": ("已载入另一处写入的修改", "loaded changes written elsewhere"),
    "logged_in": ("已记录到 {w}", "logged in {w}"),
    "exported": ("已导出到 {p}", "exported to {p}"),
    "copied_tool": ("周报已复制到剪贴板（{tool}）", "report copied to the clipboard ({tool})"),
    "copied_osc52": ("已通过 OSC 52 发送周报：终端支持时即在剪贴板中",
                     "report sent by OSC 52: in the clipboard if the terminal accepts it"),
    "osc52_tmux": ("；tmux 中需先 set -g set-clipboard on", "; under tmux, set -g set-clipboard on first"),
    "nothing_to_undo": ("没有可撤销的修改", "nothing to undo"),
    "undone": ("已撤销", "undone"),
    # forms
    "summary": ("摘要", "Summary"), "when": ("时间", "When"), "grade": ("级别", "Grade"),
    "impact": ("影响", "Impact"), "duration": ("持续（分钟）", "Duration (minutes)"),
    "resolution": ("处理/跟进", "Resolution / follow-up"), "detection": ("发现方式", "Detected by"),
    "status": ("状态", "Status"), "title": ("标题", "Title"), "body": ("内容（Markdown 大纲）", "Body (Markdown outline)"),
    "name": ("名称", "Name"), "text": ("内容", "Text"), "progress": ("进度 %", "Progress %"),
    "due": ("日期 YYYY-MM-DD", "Date YYYY-MM-DD"), "code": ("编号 O1", "Code O1"),
    "group": ("分组", "Group"), "value": ("本周数值", "This week's value"), "target": ("目标值", "Target"),
    "better": ("越高越好？ y/n", "Higher is better? y/n"), "unit": ("单位", "Unit"),
    "date_to_open": ("日期或周：10/13 · 2023-10-13 · 第42周 · 2023-W41",
                     "A date or a week: 10/13 · 2023-10-13 · week 42 · 2023-W41"),
    "new_incident": ("记录生产稳定性事件", "Log an incident"), "edit_incident": ("编辑事件", "Edit incident"),
    "form_keys": ("Enter 保存 · Esc 取消", "Enter saves · Esc cancels"),
    "editor_keys": ("输入即保存 · Tab/⇧Tab 缩进 · Esc 关闭", "Saved as you type · Tab/⇧Tab indent · Esc closes"),
    "other": ("【其他】", "Other"), "reflections": ("收获与反思", "Reflections"),
    "next_week_list": ("下周工作及目标", "Next week"), "daily": ("日报", "Daily note"),
    "rename_section": ("改名", "rename"), "add_section": ("新章节", "New section"),
    "section_title": ("章节名称", "Section name"),
    "delete_section": ("删除章节「{name}」及其内容？", "Delete the section '{name}' and its text?"),
    "delete_keys": ("Enter 删除 · Esc 取消", "Enter deletes · Esc cancels"),
    "list_hint": ("每行一条，编号可写可不写（1. 1、 -）；以空格开头的行接上一条",
                  "One entry a line, numbered or not; an indented line continues it"),
    "check_title": ("导出前检查", "Before export"),
    "check_keys": ("Enter 仍然导出 · Esc 取消", "Enter exports anyway · Esc cancels"),
    "quit_unsaved": ("有修改未能保存（{why}）。仍然退出？ Enter 退出 · Esc 留下",
                     "Some changes could not be saved ({why}). Quit anyway? Enter quits · Esc stays"),
    "no_item": ("这里没有可编辑的条目", "nothing to edit here"),
    "keys_title": ("所有按键", "All keys"),
    "empty_pane": ("（空）按 a 添加", "(empty) press a to add"),
    "empty_objectives": ("（空）按 o 添加", "(empty) press o to add"),
    # metrics
    "add_group": ("新分组", "Add a group"), "add_group_hint": ("A 新分组", "A: new group"),
    "no_group": ("（无分组）", "(no group)"),
    "new_reading": ("新指标 · 加入分组「{g}」", "New reading in the group '{g}'"),
    "edit_reading": ("编辑指标 · 分组「{g}」", "Edit a reading of the group '{g}'"),
    "new_group": ("新分组及其第一个指标", "A new group and its first reading"),
    "rename_group": ("分组「{g}」改名", "Rename the group '{g}'"),
    "group_hint": ("如 支付成功率；留空＝不加标题", "as 支付成功率; blank: no heading"),
    "delete_group": ("删除分组「{g}」及其 {n} 个指标？", "Delete the group '{g}' and its {n} readings?"),
    "joined": ("所在行", "Line"), "joined_no": ("单独一行", "a line of its own"),
    "joined_yes": ("接在上一条之后（ ，）", "after the previous reading (, )"),
    "better_dir": ("方向", "Better"), "higher_better": ("越高越好", "higher"), "lower_better": ("越低越好", "lower"),
    "metric_kind": ("类型", "Kind"), "kind_percent": ("百分比", "percent"), "kind_number": ("数字", "number"),
    "kind_text": ("文字", "text"), "kind_incident_counts": ("事故数（由事件记录得出）", "incident counts (from the log)"),
    "counts_name": ("事故数", "Incident counts"),
    "counts_add_back": ("Enter 加回", "Enter: add back"),
    "counts_log": ("记录 AB{a} CD{c}", "log AB{a} CD{c}"),
    "counts_title": ("事故数（报告所写）", "Incident counts as the report states them"),
    "counts_ab": ("AB 级次数（留空＝按记录）", "A/B incidents (blank: from the log)"),
    "counts_cd": ("CD 级次数（留空＝按记录）", "C/D incidents (blank: from the log)"),
    "counts_from_log": ("按事件记录：AB{a} CD{c}", "from the log: AB{a} CD{c}"),
    "counts_stated": ("报告写 AB{a} CD{c}；记录得出 AB{da} CD{dc}",
                      "the report states AB{a} CD{c}; the log gives AB{da} CD{dc}"),
    "counts_added": ("事故数一行已加回", "the incident counts line is back"),
    # column headings
    "col_metric": ("指标", "metric"), "col_value": ("值", "value"), "col_trend": ("趋势", "trend"),
    "col_key": ("按键", "key"), "col_action": ("功能", "action"), "col_where": ("位置", "where"),
    "col_when": ("时间", "when"), "col_grade": ("级", "gr"), "col_summary": ("摘要", "summary"),
    # quitting and closing with typed text
    "redo": ("重做", "Redo"), "redo_fkey": ("重做", "Redo"), "review": ("述职回顾", "Review of the period"),
    "team": ("团队周报", "Team's weeks"),
    "team_not_joined": ("尚未加入团队：运行 `weekly team join URL --as NAME`",
                        "not in a team yet: run `weekly team join URL --as NAME`"),
    "nothing_to_redo": ("没有可重做的修改", "nothing to redo"), "redone": ("已重做", "redone"),
    "cannot_save_typed": ("{what}：{why}", "{what}: {why}"),
    "discard_keys": ("Enter 放弃这些输入 · Esc 继续编辑", "Enter discards what is typed · Esc keeps editing"),
    "unsaved_typed": ("输入的内容无法保存", "What is typed cannot be saved"),
    "conflict_marked": ("此处与别处的修改冲突：两个版本都保留，已用 <<<<<<< / >>>>>>> 标出",
                        "changed here and elsewhere: both versions kept, marked <<<<<<< / >>>>>>>"),
    "no_such_week": ("{d} 所在的周超出了支持的日期范围", "the week of {d} lies outside the dates Weekly supports"),
    "understood": ("理解为 {x}", "read as {x}"),
    "trend_unreadable": ("趋势不完整：{why}", "trend incomplete: {why}"),
    # editors
    "team_pull": ("拉入本周", "Pull into my week"), "close": ("返回", "Back"),
    "review_periods": ("上一期/下一期", "Prev/next period"),
    # a list-form section is Markdown as typed: its markers are the user's (the editor continues them)
    "section_list_hint": ("列表：以 1. 或 - 开头，回车续下一条，空的一条上回车结束",
                          "A list: start with 1. or -; Enter continues it, Enter on an empty item ends it"),
    # Textual's own descriptions (its screens' keys, in the palette), keyed by its words
    "Focus Next": ("下一个输入处", "Focus Next"), "Focus Previous": ("上一个输入处", "Focus Previous"),
    "Cancel": ("取消", "Cancel"), "Close": ("关闭", "Close"), "Quit": ("退出", "Quit"),
    "note_for_day": ("写哪天的日报", "Daily note for a day"),
    "note_day": ("日期：周四 · 10/12 · 2023-10-12", "Day: thu · 10/12 · 2023-10-12"),
    # forms: choice labels, an objective's one heading line, what an item's words say
    "status:planned": ("计划中", "planned"), "status:in progress": ("进行中", "in progress"),
    "status:done": ("已完成", "done"), "status:at risk": ("有风险", "at risk"), "status:blocked": ("受阻", "blocked"),
    "grade:none": ("无", "none"),
    "heading": ("目标（编号 标题，如 O2 系统升级）", "Objective (code title, e.g. O2 Platform)"),
    "due_words": ("日期 10/26 或 2023-10-26", "Date 10/26 or 2023-10-26"),
    "progress_is": ("进度 {p}%", "progress {p}%"),
    "delete_objective": ("删除目标「{name}」及其 {n} 个条目？", "Delete the objective '{name}' and its {n} items?"),
    # fix-panes
    "clear_list": ("清空{name}的 {n} 条内容？", "Empty {name}: its {n} entries?"),
    "clear_text": ("清空{name}的内容？", "Empty {name}: all its text?"),
    "goto_keys": ("Enter 跳转 · Esc 取消", "Enter go · Esc cancels"),
    "exported_short": ("已导出 {f}", "exported {f}"),
    "rename_own_only": ("只能重命名自己添加的章节（A 添加）", "Only your own sections can be renamed (A adds one)"),
    # fix-forms
    "section_form_kind": ("形式", "Form"),
    "section_form:markdown": ("自由文本", "free text"), "section_form:list": ("列表", "list"),
    "incident_status:open": ("未解决", "open"), "incident_status:resolved": ("已解决", "resolved"),
    "editor_title_keys": ("输入即保存 · 首行按 ↑ 回到标题 · Tab/⇧Tab 缩进 · Esc 关闭",
                          "Saved as you type · ↑ on line 1: title · Tab/⇧Tab indent · Esc closes"),
    "paste_joined": ("粘贴的 {n} 行已用空格连成一行", "the {n} pasted lines were joined into one, by spaces"),
}

# fix-panes: the keys 1–6, each named by its pane (the palette, `?`)
for _n, _pane in enumerate(("key_work", "metrics", "objectives", "incidents", "notes", "preview"), 1):
    _zh, _en = STRINGS[f"pane_{_pane}"]
    STRINGS[f"focus_pane_{_n}"] = (f"切换到窗格 {_zh}", f"Go to pane {_en}")


# The footer's words where the palette's and `?`'s are too long for one line of 120 columns
# (the Chinese ones all fit).
FOOTER_EN = {"week_keys": "Week", "this_week": "Today", "goto_week": "Go to", "log_incident": "Incident",
             "daily_note": "Note", "copy": "Copy", "palette": "Menu"}


def footer_label(key: str, lang: str) -> str:
    return FOOTER_EN.get(key, t(key, lang)) if lang == "en" else t(key, lang)


def t(key: str, lang: str, **values) -> str:
    zh, en = STRINGS.get(key) or MESSAGES.get(key) or (key, key)
    text = en if lang == "en" else zh
    return text.format(**values) if values else text
