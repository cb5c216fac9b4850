"""Text on its way to the terminal from the TUI: store/text.py's `visible` (controls written
as \\x1b), until that module is on every branch this one meets."""

from __future__ import annotations

try:
    from store.text import visible
except ImportError:  # the same rule: each C0, DEL and C1 control written as \xNN
    import re

    def visible(text: str, keep: str = "") -> str:
        return re.sub(r"[\x00-\x1f\x7f-\x9f]",
                      lambda m: m.group() if m.group() in keep else f"\\x{ord(m.group()):02x}", str(text))

__all__ = ["visible"]
