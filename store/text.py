"""Text on its way to a terminal: control characters made visible, never sent.

A control character (C0, DEL, C1: U+0080–U+009F) in a message could clear the screen, set
the clipboard or the window title (ESC, CSI, OSC). Stored text cannot hold one (store/models.py
refuses them); file content, argv and older stores can, so every message built from them goes
through `visible`, which writes each control as an escape a person can read (`\\x1b`)."""

from __future__ import annotations

import re

_CONTROLS = re.compile(r"[\x00-\x1f\x7f-\x9f]")
# Characters with no glyph that reorder or hide text (bidi overrides, isolates): shown too,
# since a message is read by a person deciding what to do.
_INVISIBLE = re.compile(r"[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def _escape(match: re.Match) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code <= 0xFF else f"\\u{code:04x}"


def visible(text: str, keep: str = "") -> str:
    """`text` with every control character written as `\\xNN` (bidi overrides as `\\uNNNN`);
    the characters in `keep` (say "\\n\\t" for multi-line output) pass as they are."""
    text = str(text)
    if text.isprintable() and not _INVISIBLE.search(text):
        return text  # the usual case, checked in C
    if not keep:
        return _INVISIBLE.sub(_escape, text)
    return _INVISIBLE.sub(lambda m: m.group() if m.group() in keep else _escape(m), text)


def has_control(text: str) -> bool:
    """Any C0, DEL or C1 control character (tab and newline included)."""
    return _CONTROLS.search(text) is not None


class LazyPattern:
    """A regular expression compiled when first used. The reading rules hold dozens of
    patterns that most starts of Weekly (a shell command, the first screen) never run;
    compiling them all at import cost a shell command ~5% of its start."""

    __slots__ = ("_args", "_compiled")

    def __init__(self, pattern: str, flags: int = 0) -> None:
        self._args = (pattern, flags)
        self._compiled: re.Pattern | None = None

    def __getattr__(self, name: str):
        if self._compiled is None:
            self._compiled = re.compile(*self._args)
        return getattr(self._compiled, name)
