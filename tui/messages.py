"""A form's error line: the rules' message (already in the UI's language: store/messages.py)
beside the label of the field at fault, as the form shows it."""

from __future__ import annotations

import re

FIELD = r"^(?P<field>[a-z_]+(?: / [a-z_]+)?): (?P<rest>.+)$"


def form_error(field: str, message: str, labels: dict[str, str], lang: str) -> str:
    """Each part of a message (pydantic may give several, `; ` apart) beside the label of its
    field as the form shows it (`title: …` from the rules becomes `标题：…`)."""
    parts = []
    for part in message.split("; "):
        where = field
        if (m := re.match(FIELD, part, re.S)) and (m["field"] in labels or m["field"] == field or not field):
            where, part = m["field"], m["rest"]
        label = labels.get(where) or " / ".join(labels.get(name, name) for name in where.split(" / ")) if where else ""
        parts.append((f"{label}：{part}" if lang == "zh" else f"{label}: {part}") if label else part)
    return "; ".join(parts)
