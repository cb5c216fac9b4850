"""What Weekly says to the user, keyed by code, in both languages (zh, en): one catalogue
for the shell and the TUI. A message is looked up by its code and filled with its values;
nothing is ever translated back from English text.

The rules (store/) say their refusals with `say`, in the process's language: the store's,
which the shell and the TUI set once (`set_language`) before they use the store. One
process, one store, one language; without a UI (a library, a test) the rules speak
English. User text in a message is quoted the language's way ('x', “x”)."""

from __future__ import annotations

_language = {"now": "en"}  # a plain global, not a context variable: worker threads speak it too


def set_language(lang: str) -> str:
    """The language the rules speak from now on; returns the one before (to restore)."""
    before, _language["now"] = _language["now"], "en" if lang == "en" else "zh"
    return before


def language() -> str:
    return _language["now"]


def say(code: str, **values) -> str:
    """A rule's message in the process's language."""
    return msg(code, _language["now"], **values)


MESSAGES: dict[str, tuple[str, str]] = {
    # text (store/models.py)
    "not_empty": ("不能为空", "must not be empty"),
    "both_empty": ("不能都为空", "must not both be empty"),
    "single_line": ("只能写一行", "must be a single line"),
    "control_character": ("含有控制字符", "contains a control character"),
    "surrogate": ("含有无效字符", "contains a character that is not valid text (a lone surrogate)"),
    "too_long": ("太长（{n:,} 个字符，最多 {cap:,}）", "is too long ({n:,} characters, at most {cap:,})"),
    "outside_dates": ("{x} 超出支持的日期范围（{a}–{b} 年）", "{x} is outside the dates Weekly supports (years {a}–{b})"),
    "not_monday": ("{x} 不是周一", "{x} is not a Monday"),
    # numbers and metrics
    "not_a_number": ("“{q}”不是数字", "'{q}' is not a number"),
    "not_finite": ("“{q}”不是有限的数", "'{q}' is not a finite number"),
    "not_plain_number": ("“{q}”请写成普通数字（如 99.997 或 1,200）",
                         "'{q}' is not written as a plain number (as 99.997 or 1,200)"),
    "percent_sign_on_number": ("“{q}”带 % 号，但这个指标是数字，不是百分比",
                               "'{q}' has a % sign, but this metric is a number, not a percentage"),
    "outside_percent": ("{x} 超出 0–100（百分比）", "{x} is outside 0–100 for a percentage"),
    "outside_0_100": ("{x} 超出 0–100", "{x} is outside 0–100"),
    "separators_in_name": ("不能含有“：”或“，”（报告用它们分隔读数）",
                           "must not contain '：' or '，' (they separate readings in the report)"),
    "counts_derived": ("事故数由事件记录得出，无需填写", "incident counts are derived from the incident log, not typed"),
    "kind_choice": ("“{q}”：填 percent（百分比）、number（数字）或 text（文字）", "'{q}': percent, number or text"),
    "kind_choice_counts": ("“{q}”：选百分比、数字、文字或事故数", "'{q}': percent, number, text or incident_counts"),
    "better_choice": ("“{q}”：填 y（越高越好）或 n（越低越好）", "'{q}': y (higher is better) or n (lower is better)"),
    "joined_choice": ("“{q}”：填 y（接上一条同行）或 n（单独一行）",
                      "'{q}': y (on the previous reading's line) or n (a line of its own)"),
    "group_exists": ("分组“{q}”已存在：在该分组上按 a 添加指标", "the group '{q}' exists already: add its readings there with a"),
    "counts_number": ("“{q}”：填事故次数（0 或正整数）", "'{q}': a whole number of incidents, 0 or more"),
    "unknown_metric": ("本周没有名为“{name}”的指标（已有：{known}）；加 --group G 来定义它",
                       "no metric named '{name}' (known: {known}); add --group G to define it"),
    "none_yet": ("还没有", "none yet"),
    "counts_line_there": ("本周已有事故数一行", "the week has its incident counts line already"),
    # incidents, items, objectives
    "grade_choice": ("“{q}”：填 A、B、C 或 D（空＝非事故）", "'{q}': A, B, C or D (or empty: not a graded incident)"),
    "duration_form": ("“{q}”：填分钟数，如 25、25m 或 1.5h", "'{q}': minutes, as 25, 25m or 1.5h"),
    "duration_whole": ("“{q}”：分钟须为整数，最多一年", "'{q}': a whole number of minutes, at most a year"),
    "incident_status_choice": ("“{q}”：填 未解决 或 已解决", "'{q}': open or resolved"),
    "status_choice": ("“{q}”：填 计划、进行中、完成、有风险 或 受阻", "'{q}': planned / in progress / done / at risk / blocked"),
    "exists_already": ("{x} 已存在", "{x} exists already"),
    # the size limits (store/models.py)
    "nested_too_deep": ("子项嵌套超过 {n} 层", "sub-items nest more than {n} levels deep"),
    "objective_items_cap": ("含 {count:,} 项（含子项），最多 {cap:,} 项", "holds {count:,} items, sub-items included (at most {cap:,})"),
    "objectives_items_cap": ("各目标共含 {count:,} 项，最多 {cap:,} 项", "objectives hold {count:,} items in all (at most {cap:,})"),
    "week_items_cap": ("本周各部分共含 {count:,} 项，最多 {cap:,} 项",
                       "the week holds {count:,} items in all sections together (at most {cap:,})"),
    # periods (store/review.py)
    "period_year_range": ("“{q}”：年份须在 {a} 到 {b} 之间", "'{q}': the year must be between {a} and {b}"),
    "not_a_quarter": ("“{q}”不是季度：请写成 2023Q4", "'{q}' is not a quarter: write it as 2023Q4"),
    "not_a_half": ("“{q}”不是半年：请写成 2023H2", "'{q}' is not a half-year: write it as 2023H2"),
    "not_a_year": ("“{q}”不是年份：请写成 2023", "'{q}' is not a year: write it as 2023"),
    "period_backwards": ("时段的结束（{end}）早于开始（{start}）", "the period ends ({end}) before it starts ({start})"),
    # dates and times (store/dates.py)
    "not_month_day": ("{month}/{day} 不是日期", "{month}/{day} is not a date"),
    "day_missing": ("{x} 不是存在的日期", "{x} is not a date that exists"),
    "date_missing": ("“{q}”不是存在的日期", "'{q}' is not a date that exists"),
    "not_a_date": ("“{q}”不是日期：请写成 2023-10-13 或 10/13", "'{q}' is not a date: write it as 2023-10-13 or 10/13"),
    "not_a_time": ("“{q}”不是时间：请写成 15:37、10/9 15:37 或 2023-10-09 15:37",
                   "'{q}' is not a time: write 15:37, 10/9 15:37 or 2023-10-09 15:37"),
    "not_a_time_of_day": ("“{q}”不是一天中的时间（时 0–23，分 0–59）", "'{q}' is not a time of day (hours 0–23, minutes 0–59)"),
    "no_such_week_number": ("{y} 年没有第 {w} 周", "week {w} does not exist in {y}"),
    "not_in_this_week": ("{d} 不在本周（{a}–{b}）：请先按 g 跳到那一周", "{d} is not in this week ({a}–{b}): go to its week first"),
    # the week's own sections
    "section_needs_name": ("章节需要名称", "a section needs a name"),
    "section_form_choice": ("形式须为自由文本或列表", "the form is markdown or list"),
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
    "imported": ("已导入 {weeks} 周，来自 {files} 个文件", "imported {weeks} week{s_weeks} from {files} file{s_files}"),
    "would_import": ("将导入 {weeks} 周，来自 {files} 个文件", "would import {weeks} week{s_weeks} from {files} file{s_files}"),
    "import_refused": ("；{n} 个文件未导入", "; {n} file{s} not imported"),
    "import_warnings": ("；{n} 条警告", "; {n} warning{s}"),
    "warning": ("警告：{line}", "warning: {line}"),
    "nothing_written": ("；未写入任何内容", "; nothing written"),
    "grade_scale": ("导入的事故定级读作：{scale}", "incident grades read as: {scale}"),
    "none": ("无", "none"),
    # the team (weekly team …)
    "team_joined": ("已以 {name} 加入团队：{folder}（不发布：{private}）", "joined as {name} in {folder} (private: {private})"),
    "team_no_week": ("库中没有包含 {day} 的周；什么也没发布", "no week holding {day} in the store; nothing published"),
    "team_published": ("已以 {name} 发布 {n} 个有改动的周", "published {n} changed week{s} as {name}"),
    "team_pushed": ("；推送了 {n} 个提交", "; pushed {n} commit{s}"),
    "team_up_to_date": ("（团队仓库已是最新）", " (the team repository already had everything)"),
    "team_synced_but": ("已同步，但 {why}", "synced, but {why}"),
    "team_refused": ("拒收 {line}", "refused {line}"),
    "team_skipped_refused": ("{path}：已拒收（{why}）；跳过", "{path}: refused ({why}); skipped"),
    "team_refused_outside": ("不在 {people}/成员名/*.json 之下（{author} 的提交 {commit}）",
                             "outside {people}/NAME/*.json (commit {commit} by {author})"),
    "team_refused_changed": ("由 {author} 在提交 {commit} 中修改，而不是 {owner}；{owner} 下次 `weekly team publish` 时会恢复它",
                             "changed by {author} in commit {commit}, not by {owner}; {owner}'s next "
                             "`weekly team publish` restores it"),
    "team_synced": ("已同步：{n} 个新提交", "synced: {n} new commit{s}"),
    "team_sync_refused": ("，{n} 个文件被拒收", ", {n} file{s} refused"),
    "team_credential_kept_nowhere": (
        "地址中的凭据只用了这一次，没有保存：以后同步请让 git 保存它（git config --global credential.helper cache，或系统的钥匙串）",
        "the credential in the address was used once and kept nowhere: for later syncs let git keep it "
        "(git config --global credential.helper cache, or your system's keychain helper)"),
    "team_owner_restores": ("{name} 的 `weekly team publish` 会恢复 {n} 个被拒的文件（被其他成员改过）",
                            "{name}'s `weekly team publish` restores {n} refused file{s} (changed by another member)"),
    "team_nobody": ("还没有人发布", "nobody has published yet"),
    "team_not_committed": ("未提交", "not committed"),
    "team_latest": ("最新一周 {day}", "latest week {day}"),
    "team_no_weeks": ("没有周报", "no weeks"),
    "team_member": ("{name}  {n} 周，{latest}，最近发布 {when}", "{name}  {n} week{s}, {latest}, last published {when}"),
    "team_own_week_unreadable": ("{why}；汇总使用配置中的模板", "{why}; the roll-up is in the config's template"),
    "team_nothing_to_pull": ("无可拉取：没有人发布 {monday} 那一周", "nothing to pull: nobody published the week of {monday}"),
    "team_pulled": ("已从 {members} 位成员拉入 {n} 条到 {monday} 那一周",
                    "pulled {n} item{s} from {members} member{s_members} into the week of {monday}"),
    "team_pulled_already": ("（{n} 条已在）", " ({n} already there)"),
    "no_weeks": ("{path} 里还没有周报", "no weeks in {path} yet"),
    "week_line": ("{monday}  {title}  重点工作 {key_work}，事件 {incidents}，日报 {daily_notes}",
                  "{monday}  {title}  key work {key_work}, incidents {incidents}, notes {daily_notes}"),
    "serving": ("在 {url} 提供 Weekly（仅本机）；Ctrl+C 停止", "serving Weekly at {url} (this machine only); Ctrl+C stops"),
    "db_path_empty": ("--db：路径是空的；请写出库文件的路径", "--db: the path is empty; name the store's file"),
    # the store (store/db.py, store/storage.py): a store's files named as they are
    "store_path_empty": ("库的路径是空的：请写出一个文件（--db 路径）", "the store's path is empty: name a file (--db PATH)"),
    "store_is_folder": ("{path}：是文件夹，不是库文件；请写出其中的一个文件（--db {file}）",
                        "{path}: is a folder, not a store file; name a file in it (--db {file})"),
    "store_not_regular": ("{path}：不是普通文件，所以不是库", "{path}: is not a regular file, so not a store"),
    "store_not_regular_kept": ("{path}：不是普通文件，所以不是库；未作改动",
                               "{path}: is not a regular file, so not a store; it was left untouched"),
    "store_newer": ("{path}：由更新版本的 Weekly 写入（schema {version}）；请升级 Weekly 后再打开",
                    "{path}: written by a newer Weekly (schema {version}); upgrade Weekly to open it"),
    "store_old_read_only": ("{path}：这是需要升级的旧库，但它是只读的",
                            "{path}: an older store that needs upgrading, but it is read-only"),
    "store_old_week_invalid": ("{path}：这个旧库的第 {key} 周无法通过校验（{why}）；什么也没改",
                               "{path}: week {key} of this older store does not validate ({why}); nothing was changed"),
    "store_old_backups": ("{path}：旁边的旧库备份太多；什么也没改",
                          "{path}: too many backups of the older store beside it; nothing was changed"),
    "store_read_only": ("{path}：库是只读的；什么也没保存", "{path}: the store is read-only; nothing was saved"),
    "store_cannot_write": ("{path}：无法写入库（{why}）；什么也没保存",
                           "{path}: cannot write the store ({why}); nothing was saved"),
    "store_busy_now": ("{path}：另一个 Weekly 正在保存；请稍后再试", "{path}: another Weekly is saving; try again in a moment"),
    "store_busy": ("{path}：另一个 Weekly 正在保存，一直没有完成；什么也没保存",
                   "{path}: another Weekly is saving and did not finish; nothing was saved"),
    "store_week_invalid": ("{path}：{monday} 那一周无法通过校验（{why}）；未作改动",
                           "{path}: the week of {monday} does not validate ({why}); it was left untouched"),
    "store_week_unreadable": ("{path}：{monday} 那一周：{why}；未作改动",
                              "{path}: the week of {monday}: {why}; it was left untouched"),
    "store_cannot_read": ("{path}：无法读取库（{why}）；未作改动", "{path}: cannot read the store ({why}); it was left untouched"),
    "store_empty_file": ("{path}：文件是空的（0 字节），所以不是库；未作改动。请恢复备份（{backup}）或把它移走。",
                         "{path}: the file is empty (0 bytes), so it is not a store; it was left untouched. "
                         "Restore a backup ({backup}) or move it away."),
    "store_damaged": ("{path}：文件已损坏（{why}）；未作改动。请恢复备份（{backup}）或把它移走。",
                      "{path}: the file is damaged ({why}); it was left untouched. Restore a backup ({backup}) or "
                      "move it away."),
    "store_too_deep": ("{path}：文件嵌套得比任何 Weekly 库都深；未作改动",
                       "{path}: the file nests deeper than any Weekly store; it was left untouched"),
    "store_bad_shape": ("{path}：{problem}；未作改动。请恢复备份（{backup}）或把它移走。",
                        "{path}: {problem}; it was left untouched. Restore a backup ({backup}) or move it away."),
    "week_unsavable": ("{monday} 那一周无法保存（{why}）；什么也没改", "the week of {monday} cannot be saved ({why}); nothing was changed"),
    "week_too_large": ("{monday} 那一周太大，无法保存（{size:.1f} MB，最多 {cap:.0f} MB）；什么也没改",
                       "the week of {monday} is too large to save ({size:.1f} MB, at most {cap:.0f} MB); nothing was changed"),
    # search
    "search_no_words": ("没有要找的词：请给出一个或几个词", "nothing to search for: give one or more words"),
    "search_range": ("--from {start} 在 --to {end} 之后", "--from {start} is after --to {end}"),
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
