"""Week documents from older schema versions, brought forward one version at a time."""

from __future__ import annotations

from .models import SCHEMA_VERSION


def _v1_to_v2(doc: dict) -> dict:
    # v1 stored incident durations as text ("10mins"); v2 keeps whole minutes.
    incidents = doc.get("incidents")
    for inc in incidents if isinstance(incidents, list) else ():
        if not isinstance(inc, dict):
            continue  # not an incident: the model refuses it, with its place
        raw = inc.pop("duration", None)
        if raw is not None and "duration_min" not in inc:
            digits = "".join(ch for ch in str(raw) if ch.isdigit())
            inc["duration_min"] = int(digits) if digits else None
    return doc


def _v2_to_v3(doc: dict) -> dict:
    # v3 adds the template a week was written with and its own sections; a v2 week was
    # written in the sample's layout.
    doc.setdefault("template", "default")
    doc.setdefault("sections", [])
    return doc


def _v3_to_v4(doc: dict) -> dict:
    # v4 keeps an imported element's words beside its fields (`written`, `before`, `after`);
    # a v3 element was written from its fields, which is what their absence means.
    return doc


STEPS = {1: _v1_to_v2, 2: _v2_to_v3, 3: _v3_to_v4}


def migrate_week_doc(doc: dict) -> dict:
    version = doc.get("schema_version", 1)
    if type(version) is not int or version < 1:
        raise ValueError(f"schema_version {version!r:.40} is not a version number")
    if version > SCHEMA_VERSION:
        raise ValueError(f"written by a newer Weekly (schema {version}); upgrade Weekly to open it")
    while version < SCHEMA_VERSION:
        doc = STEPS[version](doc)
        version += 1
    doc["schema_version"] = SCHEMA_VERSION
    return doc
