"""Fields read out of a section's words, as a reader reads them: items (list items with their
sub-bullets and continuation lines as body, checkboxes, table rows, bold per-person labels,
HTML list items), metric readings (`name：value` lines, name | value tables), incidents (any
time order) and daily notes. Each element keeps its exact lines beside the fields read from
them (store.models.Words); lines that belong to no element stay around the element next to
them, so nothing is lost and every line comes back where it was.

Every pattern here is anchored or bounded, so its time is linear in the line (issue 25)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from pydantic import ValidationError

from weekly_zhoubao.store.models import DailyNote, Incident, KeyWorkItem, ListEntry, Metric, monday_of
from weekly_zhoubao.store.dates import nearest_year
from weekly_zhoubao.store.words import GRADE_SCALE, enrich_incident, read_progress, read_task
from weekly_zhoubao.store.templates import SectionSpec

from .escape import unescape_line, unescape_text
from .import_model import ITEM_CAP
from .markdown import KEY_WORK_START
from .sample_reader import READINGS_CAP, ImportProblem, SectionLines, INCIDENT_HOST

# a list item: its indentation, its marker (bullet, number, `(1)`, `一、`), then its words
_ITEM = re.compile(r"([ \t]{0,12})([-*+•]|\d{1,3}[.)]|\d{1,3}[、．]|[（(]\d{1,2}[)）]|[一二三四五六七八九十]{1,3}、)(?:[ \t]+|(?<=[、．）)])(?=\S)|(?<=\.)(?=[^\x00-\x7f\s]))")  # `1.完成`: no space before CJK words
_CHECKBOX = re.compile(r"\[([ xX✓✔])\][ \t]*")
_TABLE_ROW = re.compile(r"[ \t]{0,3}\|")
_TABLE_RULE = re.compile(r"[ \t]{0,3}\|?[ \t]*:?-{2,}")
_HEADING = re.compile(r"[ \t]{0,3}#{1,6}(?:[ \t]|$)")
_LABEL = re.compile(r"\*\*([^*\n]{1,30})\*\*[ \t]*[：:]?")  # `**张三**：` per-person label
_HTML_ITEM = re.compile(r"[ \t]{0,12}<li[^>]{0,200}>", re.I)
_TAGS = re.compile(r"<[^<>\n]{0,200}>")
_HTML_CELL = re.compile(r"<t([dh])(?:\s[^<>]{0,100})?>(.{0,500}?)</t[dh]>", re.I)
_FENCE = re.compile(r"[ \t]{0,3}(?:```|~~~)")


@dataclass
class Block:
    """One element's lines in a section: its first line, the lines that continue it (its body),
    and the lines above it that belong to no element."""

    first: str
    body: list[str] = field(default_factory=list)
    before: list[str] = field(default_factory=list)
    kind: str = "item"  # "item", "row" (a table row), "html" (an <li>)

    @property
    def lines(self) -> list[str]:
        return [self.first, *self.body]


def _indent(line: str) -> int:
    spread = line.expandtabs(4)
    return len(spread) - len(spread.lstrip(" "))


def split_items(body: list[str]) -> tuple[list[Block], list[str], list[str]]:
    """(elements, table header lines, lines after the last element) of a section's lines."""
    tops = [_indent(line) for line in body if _ITEM.match(line)]
    top = min(tops) if tops else 0
    blocks: list[Block] = []
    loose: list[str] = []  # lines waiting for the next element
    header: list[str] = []
    fenced = False
    previous_blank = True
    for n, line in enumerate(body):
        if _FENCE.match(line):
            fenced = not fenced
        stripped = line.strip()
        starts = None
        if not fenced and stripped:
            m = _ITEM.match(line)
            if m and _indent(line) <= top + 1:
                starts = "item"
            elif _TABLE_ROW.match(line) and stripped.endswith("|") or _TABLE_ROW.match(line) and stripped.count("|") >= 2:
                if n + 1 < len(body) and _TABLE_RULE.match(body[n + 1]) and "-" in body[n + 1]:
                    starts = "header"
                elif _TABLE_RULE.match(line) and not re.search(r"[^\s|:\-]", line):
                    starts = "rule"
                else:
                    starts = "row"
            elif _HTML_ITEM.match(line):
                starts = "html"
            elif line[:1] not in " \t" and (m := _LABEL.match(stripped)) and stripped[m.end():].strip() \
                    and previous_blank is not None:
                starts = "item"
        if starts in ("header", "rule"):
            loose.append(line)
            previous_blank = False
            continue
        if blocks and not loose and (starts is not None or stripped) and not (
                starts is None and blocks[-1].kind == "item" and (line[:1] in " \t" or not previous_blank)):
            # the blank lines closing an element belong between it and what follows
            while blocks[-1].body and not blocks[-1].body[-1].strip():
                loose.insert(0, blocks[-1].body.pop())
        if starts is not None and len(blocks) < ITEM_CAP:
            blocks.append(Block(line, [], loose, "row" if starts == "row" else "html" if starts == "html" else "item"))
            loose = []
        elif blocks and not loose and stripped and (line[:1] in " \t" or not previous_blank) \
                and blocks[-1].kind == "item" and not _HEADING.match(line):
            blocks[-1].body.append(line)  # a sub-bullet, an indented line, a lazy continuation
        elif blocks and not loose and not stripped:
            blocks[-1].body.append(line)
        else:
            loose.append(line)
        previous_blank = not stripped
    if blocks:  # the blank lines closing the last element's body close the section
        while blocks[-1].body and not blocks[-1].body[-1].strip():
            loose.insert(0, blocks[-1].body.pop())
    return blocks, header, loose


def item_words(block: Block) -> tuple[str, bool | None]:
    """The element's first line without its marker and checkbox, and whether it is checked."""
    line = block.first
    if block.kind == "html":
        return _TAGS.sub("", line).strip(), None
    m = _ITEM.match(line)
    words = line[m.end():] if m else line.strip()
    done = None
    if c := _CHECKBOX.match(words):
        done = c.group(1) != " "
        words = words[c.end():]
    return words.strip(), done


def table_cells(line: str) -> list[str]:
    text = line.strip()
    if text.startswith("|"):
        text = text[1:]
    if text.endswith("|"):
        text = text[:-1]
    return [cell.strip() for cell in text.split("|")]


_KEY_COLUMN = re.compile(r"^(?:模块|周次|序号|编号|#|no\.?|id|周|week|日期|date|负责人|owner|姓名|name|成员)$", re.I)
_WORK_COLUMN = re.compile(r"任务|工作|事项|内容|进展|完成|项目|task|item|work|done|summary", re.I)
_PROGRESS_COLUMN = re.compile(r"进度|progress|完成度|完成率", re.I)
_DUE_COLUMN = re.compile(r"预计|计划完成|截止|eta|due|deadline", re.I)


def row_item(cells: list[str], names: list[str]) -> tuple[str, str, str]:
    """(work, progress words, due words) of a table row under the header `names`."""
    work = 0
    if names and _KEY_COLUMN.match(names[0].strip("* ")) and len(cells) > 1:
        work = next((k for k, name in enumerate(names) if k and _WORK_COLUMN.search(name)), 1)
    progress = next((cells[k] for k, name in enumerate(names) if k < len(cells) and _PROGRESS_COLUMN.search(name)), "")
    due = next((cells[k] for k, name in enumerate(names) if k < len(cells) and _DUE_COLUMN.search(name)), "")
    return (cells[work] if work < len(cells) else " ".join(cells)), progress, due


def _header_names(before: list[str]) -> list[str]:
    rows = [line for line in before if _TABLE_ROW.match(line) and not _TABLE_RULE.match(line)]
    return table_cells(rows[-1]) if rows else []


def _clean(words: str) -> str:
    """Words as a field holds them: one line, no Markdown escapes, within the line cap."""
    return unescape_line(re.sub(r"</?br\s{0,3}/?>", " ", words, flags=re.I)).strip()[:1_000]


# --- items of work and plan lists ----------------------------------------------------------

@dataclass
class ItemsRead:
    elements: list = field(default_factory=list)
    after: list[str] = field(default_factory=list)
    marker: str = "- "


def _marker_of(block: Block) -> str:
    m = _ITEM.match(block.first)
    if not m:
        return "- "
    return re.sub(r"\d+", "1", m.group(0), count=1)


def read_items(body: list[str], kind: str, anchor: date) -> ItemsRead | None:
    """Work items (`key_work`) or list entries (`next_week`, `other`) of a section; None when it
    holds no element a reader would call an item."""
    blocks, _, after = split_items(body)
    if not blocks:
        return None
    out = ItemsRead(after=after, marker=_marker_of(blocks[0]))
    carried: list[str] = []  # the lines of an element with no words (`- `): kept above the next one
    names: list[str] = []
    for block in blocks:
        block.before = carried + block.before
        carried = []
        words, done = item_words(block)
        progress_words, due_words = words, words
        if block.kind == "row":
            names = _header_names(block.before) or names  # the table's header, above its first row
            cells = table_cells(block.first)
            words, progress_words, due_words = row_item(cells, names)
            progress_words = progress_words or " ".join(cells)
            # a 预计完成 / Due column's bare `3/29` is the date the work is due
            due_words = f"预计{due_words}" if due_words else " ".join(cells)
        text = _clean(words)
        if not text:
            carried = block.before + block.lines
            continue
        body_text = "\n".join(block.body)
        if block.kind == "row":
            progress, due = read_progress(progress_words), read_task(due_words, "", anchor)[1]
        else:
            progress, due = read_task(words, body_text, anchor)
        fields = {"progress": progress, "due": due, "done": done, "before": "\n".join(block.before)}
        try:
            if kind == "key_work":
                body_text = unescape_text(body_text, lists=False, extra=KEY_WORK_START)
                element = KeyWorkItem(title=text, body=body_text, **fields)
            else:
                element = ListEntry(text="\n".join([text, *block.body]), **fields)
        except ValidationError:
            return None
        element.written = "\n".join(block.lines)
        out.elements.append(element)
    out.after = carried + out.after
    return out if out.elements else None


# --- metric readings ------------------------------------------------------------------------

_READING = re.compile(
    r"(?P<name>[^：:，,；;|]{1,40}?)[ \t]{0,3}[：:][ \t]{0,3}(?P<cur>[¥$￥€£])?[ \t]{0,2}"
    r"(?P<num>[-+]?\d{1,15}(?:,\d{3}){0,5}(?:\.\d{1,9})?)[ \t]{0,2}(?P<unit>%|％|[A-Za-z]{1,6}|[\u4e00-\u9fff]{1,2})?")
_NUMBER_CELL = re.compile(
    r"[<>≤≥~约]?[ \t]{0,2}(?P<cur>[¥$￥€£])?[ \t]{0,2}(?P<num>[-+]?\d{1,15}(?:,\d{3}){0,5}(?:\.\d{1,9})?)[ \t]{0,2}"
    r"(?P<unit>%|％|[A-Za-z]{1,6}|[\u4e00-\u9fff]{1,2})?")
_NOT_READING = re.compile(r"目标|target|slo|上周|last|环比|同比|trend|趋势|变化|change|备注|note|说明|status|状态|delta|diff", re.I)
_LIST_MARK = re.compile(r"[ \t]{0,12}(?:[-*+•]|\d{1,3}[.)、．])[ \t]{0,4}")


def _metric(group: str, name: str, m: re.Match, target: float | None = None) -> Metric | None:
    name = re.sub(r"[*`_]", "", name).replace("：", " ").replace("，", " ").strip()[:200]
    if not name:
        return None
    unit = m.group("unit") or ""
    number = m.group("num").replace(",", "")
    percent = unit in ("%", "％")
    try:
        metric = Metric(group=group.replace("：", " ").replace("，", " ")[:200], name=name,
                        kind="percent" if percent else "number", unit="" if percent else unit, target=target)
        metric.value = metric.check_value(number)  # a percentage outside 0–100 is no reading: its line stays
    except (ValidationError, ValueError):
        return None
    return metric


def read_metrics(body: list[str]) -> tuple[list[Metric], list[str]] | None:
    """The readings of a metrics section and the lines after the last; None when it holds none."""
    out: list[Metric] = []
    loose: list[str] = []
    names: list[str] = []
    group = ""
    for n, line in enumerate(body):
        stripped = line.strip()
        if html := _HTML_CELL.findall(line[:5_000]):
            # `<tr><td>搜索点击率</td><td>38.4%</td></tr>`: an HTML table's row
            cells = [_TAGS.sub("", cell).strip() for _, cell in html]
            if html[0][0].lower() == "h":
                names = cells
            elif readings := _row_readings(group, cells, names):
                readings[0].before, readings[0].written = "\n".join(loose), line
                for follower in readings[1:]:
                    follower.joined_by, follower.written = ", ", ""
                out += readings
                loose = []
                continue
        elif _TABLE_ROW.match(line) and stripped.count("|") >= 2:
            if n + 1 < len(body) and _TABLE_RULE.match(body[n + 1]) and "-" in body[n + 1] or \
                    _TABLE_RULE.match(line) and not re.search(r"[^\s|:\-]", line):
                if not _TABLE_RULE.match(line) or re.search(r"[^\s|:\-]", line):
                    names = table_cells(line)
                loose.append(line)
                continue
            readings = _row_readings(group, table_cells(line), names)
            if readings:
                readings[0].before = "\n".join(loose)
                readings[0].written = line
                for follower in readings[1:]:
                    follower.joined_by, follower.written = ", ", ""
                out += readings
                loose = []
                continue
        elif stripped:
            words = line[m.end():] if (m := _LIST_MARK.match(line)) else stripped
            readings = []
            for found in _READING.finditer(words):
                if len(readings) == READINGS_CAP or len(out) + len(readings) >= ITEM_CAP:
                    readings = []  # a pasted log, not a line of readings: kept as written
                    break
                if metric := _metric(group, found.group("name"), found):
                    readings.append((found, metric))
            if readings:
                first = readings[0][1]
                first.before, first.written = "\n".join(loose), line
                for found, follower in readings[1:]:
                    follower.joined_by, follower.written = "，", ""
                out += [metric for _, metric in readings]
                loose = []
                continue
            if stripped.endswith(("：", ":")) and len(stripped) <= 40:
                group = stripped.rstrip("：:").strip(" *#-")
        loose.append(line)
    if not out:
        return None
    return out, loose


def _row_readings(group: str, cells: list[str], names: list[str]) -> list[Metric]:
    if len(cells) < 2 or not cells[0]:
        return []
    target = None
    for k, name in enumerate(names):
        if k < len(cells) and re.search(r"目标|target|slo", name, re.I) and (t := _NUMBER_CELL.fullmatch(cells[k].strip())):
            try:
                target = float(t.group("num").replace(",", ""))
            except ValueError:
                target = None
    measures = [k for k in range(1, len(cells)) if not (k < len(names) and _NOT_READING.search(names[k]))]
    found = [(k, m) for k in measures if (m := _NUMBER_CELL.fullmatch(cells[k].strip()))]
    current = [k for k, _ in found if k < len(names) and re.search(r"本周|数值|value|this week|当前|实际|current", names[k], re.I)]
    if current:
        found = [(k, m) for k, m in found if k in current]
    out = []
    for k, m in found:
        name = cells[0] if len(found) == 1 else f"{cells[0]} {names[k] if k < len(names) else k}"
        if metric := _metric(group, name, m, target if len(found) == 1 else None):
            out.append(metric)
    return out


# --- incidents ------------------------------------------------------------------------------

_WHEN = re.compile(
    r"(?:(?P<y>\d{4})[-/.年])?(?P<mo>\d{1,2})(?:[-/.]|月)(?P<d>\d{1,2})日?"
    r"(?:[ \t]{0,3}(?:\(?[周星期礼拜]{1,2}[一二三四五六日天]\)?|[A-Za-z]{3}\.?)?[ \t]{0,3}(?P<h>\d{1,2})[:：](?P<mi>\d{2}))?")


def read_incidents(body: list[str], anchor: date, scale: dict = GRADE_SCALE) -> tuple[list[Incident], list[str]] | None:
    """Incident lines (list items or table rows, any time order) of an incidents section."""
    blocks, _, after = split_items(body)
    out: list[Incident] = []
    carried: list[str] = []
    monday = monday_of(anchor)
    for block in blocks:
        words = item_words(block)[0] if block.kind != "row" else " | ".join(table_cells(block.first))
        incident = _incident(words, block, anchor, monday, scale)
        if incident is None and out and not carried and not any(_HEADING.match(line) for line in block.before):
            # `- severity: high` under `- when: 2024-06-11 09:40`: a field of the incident above
            last = out[-1]
            last.written = "\n".join([last.written, *block.before, *block.lines])
            enrich_incident(last, last.written, scale)
            continue
        if incident is None:
            carried += block.before + block.lines
            continue
        incident.before = "\n".join(carried + block.before)
        incident.written = "\n".join(block.lines)
        carried = []
        out.append(incident)
    if not out:
        return None
    return out, carried + after


def _incident(words: str, block: Block, anchor: date, monday: date, scale: dict) -> Incident | None:
    m = _WHEN.search(words[:80])
    if not m:
        return None
    try:
        day = date(int(m.group("y")), int(m.group("mo")), int(m.group("d"))) if m.group("y") else \
            nearest_year(int(m.group("mo")), int(m.group("d")), anchor)
        at = datetime(day.year, day.month, day.day, int(m.group("h") or 0), int(m.group("mi") or 0))
    except ValueError:
        return None
    if not monday - timedelta(days=7) <= day <= monday + timedelta(days=13):
        return None  # a date outside the week or the next to it: not this week's event
    summary = (words[:m.start()] + words[m.end():]).strip(" ，,:：;；-–—|") or words.strip()
    summary = _clean(" ".join([summary, *(line.strip() for line in block.body if line.strip())]))
    try:
        incident = Incident(at=at, summary=summary or "…")
    except ValidationError:
        return None
    return enrich_incident(incident, "\n".join([words, *block.body]), scale)


# --- daily notes ------------------------------------------------------------------------------

_WEEKDAYS = {"一": 0, "二": 1, "三": 2, "四": 3, "五": 4, "六": 5, "日": 6, "天": 6}
_DAY_HEADING = re.compile(r"[ \t]{0,3}#{1,6}[ \t]+(?:周|星期|礼拜)([一二三四五六日天])")
_DAY_BULLET = re.compile(r"[ \t]{0,3}(?:[-*+][ \t]+)?(?:\*\*)?(\d{4})-(\d{1,2})-(\d{1,2})")


def read_daily(body: list[str], monday: date) -> tuple[list[DailyNote], list[str]] | None:
    """Daily notes under a daily heading: `### 周一` sub-headings or `- 2022-11-02` bullets."""
    notes: list[tuple[date, list[str], list[str]]] = []
    loose: list[str] = []
    for line in body:
        day = None
        if m := _DAY_HEADING.match(line):
            day = monday + timedelta(days=_WEEKDAYS[m.group(1)])
        elif (m := _DAY_BULLET.match(line)) and not line.startswith((" ", "\t")):
            try:
                day = date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
            except ValueError:
                day = None
        if day is not None and monday - timedelta(days=7) <= day <= monday + timedelta(days=13) \
                and all(day != d for d, _, _ in notes):
            notes.append((day, [line], loose))
            loose = []
        elif notes and not loose:
            notes[-1][1].append(line)
        else:
            loose.append(line)
    if not notes:
        return None
    out = []
    for day, lines, before in notes:
        while len(lines) > 1 and not lines[-1].strip():
            lines.pop()
        try:
            out.append(DailyNote(day=day, text="\n".join(lines[1:]).strip("\n") or lines[0].strip(),
                                 written="\n".join(lines), before="\n".join(before)))
        except ValidationError:
            return None
    return out, loose


def spec_marker(spec: SectionSpec, marker: str) -> SectionSpec:
    return spec.model_copy(update={"marker": marker})


# --- objective items ----------------------------------------------------------------------------

def read_objective_items(body: list[str], reader, heading: str) -> tuple[list, list[str]] | None:
    """The items of an objective's section that the sample's strict reading refused (a
    sub-heading, a paragraph, a checkbox between its items): each top-level item with its
    sub-items read as the strict reader reads them, keeping its lines; None when the section
    holds no item or carries the incident log (its lines keep the strict reading)."""
    if any(INCIDENT_HOST.match(line) for line in body):
        return None
    blocks, _, after = split_items(body)
    items = []
    carried: list[str] = []
    for block in blocks:
        words, _ = item_words(block)
        if block.kind != "item" or not words:
            carried += block.before + block.lines
            continue
        try:
            objective, _ = reader.objective(SectionLines("objective", heading, 0, ["- " + words, *block.body]))
            item = objective.items[0]
        except (ImportProblem, ValidationError, ValueError, IndexError):
            try:  # sub-lines it cannot read as sub-items: the item's words keep them
                item = reader.item(0, words)
            except (ImportProblem, ValidationError, ValueError):
                carried += block.before + block.lines
                continue
        item.before = "\n".join(carried + block.before)
        item.written = "\n".join(block.lines)
        carried = []
        items.append(item)
    if not items:
        return None
    return items, carried + after
