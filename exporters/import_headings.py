"""The outline of an imported file: its front matter, its real headings (ATX, glued dates,
one blockquote deep), the heading-like lines of a file without '#' headings, and which of them
is a week's title."""

from __future__ import annotations

import re

from weekly_zhoubao.store.synonyms import OBJECTIVE, is_numbered_heading, is_synonym, normalise, section_key

from . import dates
from .sample_reader import block_parser

PROPERTY = re.compile(r"^[A-Za-z][\w ]{0,30}:\s")  # Notion's page properties (Created: …)
_TITLE_WORDS = re.compile(r"周报|双周报|月报|周总结|weekly|\bweeks?\s*\d|weeknotes|week\d|第\s*\d+\s*周|工作日志|\bW\d", re.I)
LIST_ITEM = re.compile(r"^ {0,3}(?:[-*+]|\d{1,9}[.)、．]|[一二三四五六七八九十]{1,3}、)[ \t]")
FENCE = re.compile(r"^ {0,3}(```|~~~)")


def front_matter(lines: list[str]) -> int:
    """Lines taken by YAML (---) or TOML (+++) front matter at the top; 0 when none."""
    if lines and re.match(r"^[A-Za-z_][\w-]*\s*=\s*\S", lines[0]):
        # bare TOML keys closed by a rule (`title = '…'` … `===`), as some static sites write it
        for n in range(1, min(len(lines), 40)):
            if re.fullmatch(r"(=|\+|-){3,}\s*", lines[n]):
                return n + 1
            if not re.match(r"^[A-Za-z_][\w-]*\s*=\s*\S", lines[n]):
                return 0
        return 0
    if not lines or lines[0].strip() not in ("---", "+++"):
        return 0
    fence = lines[0].strip()
    first = next((line for line in lines[1:20] if line.strip()), "")
    if not re.match(r"^\s*[\w.-]+\s*[:=]", first):
        return 0  # a thematic break, not front matter
    for n in range(1, min(len(lines), 400)):
        if lines[n].strip() == fence or (fence == "---" and lines[n].strip() == "..."):
            return n + 1
    return 0


_HEADING = re.compile(r"^ {0,3}(#{1,6})(?:[ \t]+|$)")
_QUOTED_HEADING = re.compile(r"^ {0,3}> ?(#{1,6})(?:[ \t]+|$)")
_FENCE_OPEN = re.compile(r"^ {0,3}(`{3,}(?!.*`)|~{3,})")
# `#2018年6月3日`: no space after the hashes, so not CommonMark's heading, but a dated week title
GLUED_DATE_HEADING = re.compile(r"^ {0,3}(#{1,6})(?=(?:19|20)\d{2}\s*(?:年|[/\-.．]\s*\d))")
_NEEDS_PARSER = re.compile(r"^(?: {1,3}#| {0,3}<| {0,3}>.*\n {0,3}#| *(?:[-+*]|\d+[.)])[ \t]+#)", re.M)


# `<h2>数据</h2>` inside Markdown: a heading of that level
HTML_HEADING = re.compile(r" {0,3}<h([1-6])(?:\s[^<>]{0,100})?>(.{0,200}?)</h\1>\s{0,10}$", re.I)


WORDS_CAP = 500  # of a heading's words, what is read for its meaning and date; the line itself is kept whole


def words_of(raw: str) -> str:
    if m := HTML_HEADING.match(raw):
        return re.sub(r"<[^<>]{0,100}>", "", m.group(2)).strip()
    words = raw.strip().lstrip(">").strip().lstrip("#").strip()[:WORDS_CAP]
    return re.sub(r"(?<![ \t])[ \t]+#+[ \t]*$", "", words)  # closing hashes (from a run's start: linear)


def atx_headings(lines: list[str], skip: int) -> tuple[list[tuple[int, int, str]], list[tuple[int, int, str]]]:
    """(index, level, words) of every real top-level ATX heading (not in a fence or a list),
    and of those one blockquote deep (`> ### 本周工作内容`). A plain scan for the usual file;
    CommonMark's own reading where indentation, HTML or a list could change the answer."""
    if _NEEDS_PARSER.search("\n".join(lines[skip:])):
        return parsed_headings(lines, skip)
    found, quoted = [], []
    fence = ""
    for n in range(skip, len(lines)):
        line = lines[n]
        if fence:
            close = _FENCE_OPEN.match(line)
            if close and close.group(1)[0] == fence[0] and len(close.group(1)) >= len(fence) \
                    and not line.strip().strip(fence[0]):
                fence = ""
            continue
        if m := _FENCE_OPEN.match(line):
            fence = m.group(1)
            continue
        if (m := _HEADING.match(line)) or (m := GLUED_DATE_HEADING.match(line)):
            found.append((n, len(m.group(1)), words_of(line)))
        elif m := HTML_HEADING.match(line):
            found.append((n, int(m.group(1)), words_of(line)))
        elif m := _QUOTED_HEADING.match(line):
            quoted.append((n, len(m.group(1)), words_of(line)))
    return found, quoted


def parsed_headings(lines: list[str], skip: int) -> tuple[list[tuple[int, int, str]], list[tuple[int, int, str]]]:
    text = "\n".join([""] * skip + lines[skip:])
    found, quoted = [], []
    depth = 0
    for tok in block_parser().parse(text):
        if tok.type == "blockquote_open":
            depth += 1
        elif tok.type == "blockquote_close":
            depth -= 1
        if tok.type == "heading_open" and tok.map and tok.markup.startswith("#"):
            raw = lines[tok.map[0]]
            words = words_of(raw)
            if tok.level == 0:
                found.append((tok.map[0], len(tok.markup), words))
            elif tok.level == 1 and depth == 1 and raw.lstrip().startswith(">"):
                quoted.append((tok.map[0], len(tok.markup), words))
        elif tok.type == "html_block" and tok.level == 0 and tok.map:
            found += [(n, int(m.group(1)), words_of(lines[n])) for n in range(tok.map[0], tok.map[1])
                      if (m := HTML_HEADING.match(lines[n]))]
        elif tok.type == "paragraph_open" and tok.level == 0 and tok.map and \
                (m := GLUED_DATE_HEADING.match(lines[tok.map[0]])):
            found.append((tok.map[0], len(m.group(1)), words_of(lines[tok.map[0]])))
    return sorted(found), quoted


def pseudo_headings(lines: list[str], start: int, end: int) -> list[tuple[int, int, str]]:
    """`一、学习内容`, `【本周工作】`, `**Done**`, `下周计划：` lines of a file without '#' headings."""
    found = []
    fenced = False
    for n in range(start, end):
        line = lines[n]
        if FENCE.match(line):
            fenced = not fenced
        if fenced or not line.strip() or line[:1] in (" ", "\t"):
            continue
        s = line.strip()
        if s.startswith("|"):
            continue  # a table's row, never a section's name
        above = next((lines[k].strip() for k in range(n - 1, start - 1, -1) if lines[k].strip()), "")
        if is_numbered_heading(s) or re.fullmatch(r"【[^】]{1,30}】[:：]?", s) or \
                (re.match(r"^\d{1,2}\s*[.、．)]\s*\S", s) and len(s) <= 30 and section_key(s)
                 and not _NUMBERED_LINE.match(above)) or \
                (re.fullmatch(r"\*\*[^*]{1,40}\*\*[:：]?", s) and section_key(s)) or \
                (len(s) <= 24 and section_key(s) and not LIST_ITEM.match(s) and
                 (s.endswith((":", "：")) or normalise(s) == s.lower().strip())):
            found.append((n, 0, s))
        elif len(s) <= 60 and not LIST_ITEM.match(s) and s[-1] not in ".。!?！？,，;；:：" and s[0] not in ">|<![*_-`" \
                and (n == start or not lines[n - 1].strip()) and n + 2 < end and not lines[n + 1].strip() \
                and LIST_ITEM.match(lines[n + 2].lstrip(" ")[:0] + lines[n + 2]):
            found.append((n, 0, s))
    if any(_BOLD_LINE.fullmatch(w) for _, _, w in found):
        # a file whose sections are bold lines: its other bold lines alone are sections too (`**Goals**`)
        taken = {n for n, _, _ in found}
        found += [(n, 0, lines[n].strip()) for n in range(start, end) if n not in taken
                  and _BOLD_LINE.fullmatch(lines[n].strip()) and not lines[n].strip().endswith(("：", ":"))
                  and (n == start or not lines[n - 1].strip())]
        found.sort()
    return found


_BOLD_LINE = re.compile(r"\*\*[^*]{1,40}\*\*[:：]?")
_NUMBERED_LINE = re.compile(r"^(\d{1,2})\s*[.、．)]\s*\S")


def fill_numbered(lines: list[str], found: list[tuple[int, int, str]], start: int, end: int):
    """`3.解决方案和采取措施` between `2.遇到的困难和问题` and `4.下周学习计划`: a numbered line
    that fills the gap between two numbered section lines is a section line too."""
    numbered = {n: int(_NUMBERED_LINE.match(w).group(1)) for n, _, w in found if _NUMBERED_LINE.match(w)}
    if len(numbered) < 2:
        return found
    marks = sorted(numbered.items())
    extra = []
    fenced = False
    for n in range(start, end):
        line = lines[n]
        if FENCE.match(line):
            fenced = not fenced
        if fenced or n in numbered or line[:1] in (" ", "\t") or len(line.strip()) > 30:
            continue
        m = _NUMBERED_LINE.match(line)
        if not m:
            continue
        k = int(m.group(1))
        before = [num for at, num in marks if at < n]
        after = [num for at, num in marks if at > n]
        if before and after and before[-1] == k - 1 and after[0] > k:
            extra.append((n, 0, line.strip()))
    return sorted(found + extra)


def looks_like_title(words: str) -> bool:
    if is_synonym(words) or OBJECTIVE.match(words):
        return False
    try:
        return dates.find_date(words) is not None or bool(_TITLE_WORDS.search(words))
    except dates.BadDate:
        return True



def heading_words(heading: str) -> str:
    return heading.strip().lstrip("#").strip()


_WEEKDAY = (r"[(（]?(?:(?:星期|礼拜)[一二三四五六日天]|(?<![至到~\-])周[一二三四五六日天](?![至到~\-])|(?i:\b(?:mon|tues|wednes|thurs|fri|"
            r"satur|sun)day\b|\b(?:mon|tue|wed|thu|fri|sat|sun)\b(?=[.)）])\.?))[)）]?")


def title_pattern(line: str) -> str:
    """The imported title as a pattern for the weeks that follow it: its date and week number
    become the new week's (`# 周报 2023.10.13` → `# 周报 {date:%Y.%m.%d}`)."""
    if not line.strip():
        return "# {date:%Y-%m-%d}"
    text = line.replace("{", "{{").replace("}", "}}")
    if glued := GLUED_DATE_HEADING.match(text):  # `#2018年6月3日`: new weeks get a real heading
        text = text[:glued.end()] + " " + text[glued.end():]
    m = None
    for m in re.finditer(r"(\d{4})(\s*(?:[/\-.．_]|年)\s*)(\d{1,2})(\s*(?:[/\-.．_]|月)\s*)(\d{1,2})(日?)", text):
        pass
    if m is not None:
        fmt = "{date:%Y" + m.group(2) + "%m" + m.group(4) + "%d" + m.group(6) + "}"
        # the weekday named beside the old date (`星期天`, `Sunday`) would be wrong for the new one
        head, tail = text[:m.start()], text[m.end():]
        tail = re.sub(r"^[ \t,]*" + _WEEKDAY, "", tail)
        head = re.sub(_WEEKDAY + r",?[ \t]*$", "", head)
        text = head + fmt + tail
    else:
        text = text.rstrip() + " {date:%Y-%m-%d}"
    return re.sub(r"第\s*\d{1,2}\s*周", "第{number}周", text, count=1)

