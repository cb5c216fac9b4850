"""Three-way merge of texts by lines (diff3), with difflib: a change made against `base`
(an editor's text when it opened) meets the text stored meanwhile (another writer's note).

Where only one side changed a region, its change is taken. Where both inserted lines at the
same place and neither removed any, both insertions are kept (ours first): two paragraphs
appended to one note are not a conflict. Anything else changed on both sides is a conflict:
both versions are kept between markers, and the result says how many there were."""

from __future__ import annotations

from dataclasses import dataclass
from difflib import SequenceMatcher

OURS_MARK = "<<<<<<< "
SPLIT_MARK = "======="
THEIRS_MARK = ">>>>>>> "
# What the markers call the two versions, in the UI's language: the text typed here, and
# the text saved elsewhere meanwhile (not "yours": the marked text is read in both places).
LABELS = {"zh": ("这里", "别处"), "en": ("here", "elsewhere")}


def labels_for(lang: str) -> tuple[str, str]:
    return LABELS.get(lang, LABELS["en"])


@dataclass(eq=False)
class Merged:
    text: str
    conflicts: int = 0


def _lines(text: str) -> list[str]:
    # Lines without their ends: "abc" and "abc\n\nmore" share the line "abc" (a note grows
    # by paragraphs, and its last line gains a newline when one is appended).
    return text.split("\n") if text else []


def _matched(base: list[str], other: list[str]) -> dict[int, int]:
    """Base line index -> the index of the same line in `other`, for lines left unchanged."""
    pairs: dict[int, int] = {}
    matcher = SequenceMatcher(None, base, other, autojunk=False)
    for i, j, size in matcher.get_matching_blocks():
        for k in range(size):
            pairs[i + k] = j + k
    return pairs


def _starts(lines: list[str], prefix: list[str]) -> bool:
    return lines[: len(prefix)] == prefix


def _ends(lines: list[str], suffix: list[str]) -> bool:
    return not suffix or lines[len(lines) - len(suffix):] == suffix


def _joined(head: list[str], tail: list[str], met: bool) -> list[str]:
    """Both sides' lines, one after the other: a blank line between two paragraphs that met
    (`met`: both began at the same place, as two notes begun at once), none before a
    paragraph whose predecessor was removed."""
    if not head:
        while tail and not tail[0].strip():
            tail = tail[1:]
    elif met and tail and head[-1].strip() and tail[0].strip():
        tail = ["", *tail]
    return head + tail


def _resolve(base: list[str], ours: list[str], theirs: list[str],
             labels: tuple[str, str]) -> tuple[list[str], bool]:
    """One region that changed on both sides: (merged lines, whether it is a conflict)."""
    if ours == theirs:
        return ours, False
    if ours == base:
        return theirs, False
    if theirs == base:
        return ours, False
    # one side only added lines around the region (an appended paragraph): keep both sides
    if len(theirs) > len(base) and _starts(theirs, base):
        return _joined(ours, theirs[len(base):], met=not base), False
    if len(ours) > len(base) and _starts(ours, base):
        return _joined(theirs, ours[len(base):], met=not base), False
    if base and len(theirs) > len(base) and _ends(theirs, base):
        return theirs[: len(theirs) - len(base)] + ours, False
    if base and len(ours) > len(base) and _ends(ours, base):
        return ours[: len(ours) - len(base)] + theirs, False
    return [OURS_MARK + labels[0], *ours, SPLIT_MARK, *theirs, THEIRS_MARK + labels[1]], True


def merge3(base: str, ours: str, theirs: str, labels: tuple[str, str] = LABELS["en"]) -> Merged:
    """Merge the change base→ours into theirs (the latest stored text)."""
    if ours == theirs or theirs == base:
        return Merged(ours)
    if ours == base:
        return Merged(theirs)
    b, o, t = _lines(base), _lines(ours), _lines(theirs)
    in_ours, in_theirs = _matched(b, o), _matched(b, t)
    out: list[str] = []
    conflicts = 0
    ib = io = it = 0
    for i in range(len(b) + 1):
        stable = i == len(b) or (i in in_ours and i in in_theirs and in_ours[i] >= io and in_theirs[i] >= it)
        if not stable:
            continue
        jo = in_ours[i] if i < len(b) else len(o)
        jt = in_theirs[i] if i < len(b) else len(t)
        region, conflict = _resolve(b[ib:i], o[io:jo], t[it:jt], labels)
        out += region
        conflicts += conflict
        if i < len(b):
            out.append(b[i])
            ib, io, it = i + 1, jo + 1, jt + 1
    return Merged("\n".join(out), conflicts)
