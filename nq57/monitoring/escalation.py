"""Escalation for anything with a deadline, not only tasks.

The weekly escalation list ("kiểm điểm nhiệm vụ chậm muộn") starts with the late tasks (``alerts.escalation_list``,
built in a few grouped queries). Every other app whose objects owe something by a date — an answer to a citizen, an
indicator value for a quarter, a reply to an enterprise's problem — registers a *source* of late items once, from its
``AppConfig.ready`` or its ``escalation.py``::

    register_escalation("intake.answers", label="Phản ánh, kiến nghị quá hạn trả lời", late=late_answers)

where ``late_answers(*, today)`` returns ``LateItem``s. The escalation page and the weekly e-mail to the Standing
Office show one section per source, grouped by the responsible organisation, most late items first.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class LateItem:
    """One object past its deadline, as the escalation list shows it."""

    organisation_id: int | None
    organisation: str
    label: str
    text: str
    due: dt.date
    url: str
    today: dt.date

    @property
    def days_late(self) -> int:
        return (self.today - self.due).days


@dataclass(frozen=True)
class EscalationSource:
    key: str
    label: str
    late: Callable[..., list[LateItem]]


_SOURCES: dict[str, EscalationSource] = {}


def register_escalation(key: str, *, label: str, late: Callable[..., list[LateItem]]) -> EscalationSource:
    """Declare a source of late items (``late(*, today) -> list[LateItem]``); registering a key again replaces it."""
    source = EscalationSource(key=key, label=label, late=late)
    _SOURCES[key] = source
    return source


def unregister_escalation(key: str) -> None:
    _SOURCES.pop(key, None)


def escalation_sources() -> list[EscalationSource]:
    return list(_SOURCES.values())


def escalation_sections(*, today: dt.date, limit: int | None = 50) -> list[dict]:
    """One section per registered source that has late items: ``{"key", "label", "total", "groups"}``; each group
    ``{"organisation", "organisation_id", "count", "max_days_late", "items"}`` (the first ``limit`` items, the
    latest first); groups with the most late items first."""
    sections = []
    for source in _SOURCES.values():
        items = [item for item in source.late(today=today) if item.due < today]
        if not items:
            continue
        groups: dict[tuple, dict] = {}
        for item in items:
            group = groups.setdefault((item.organisation_id, item.organisation), {
                "organisation": item.organisation, "organisation_id": item.organisation_id, "items": []})
            group["items"].append(item)
        ordered = []
        for group in groups.values():
            group["items"].sort(key=lambda i: (-i.days_late, i.label))
            group["count"] = len(group["items"])
            group["max_days_late"] = group["items"][0].days_late
            if limit is not None:
                del group["items"][limit:]
            ordered.append(group)
        ordered.sort(key=lambda g: (-g["count"], -g["max_days_late"], g["organisation"]))
        sections.append({"key": source.key, "label": source.label, "total": len(items), "groups": ordered})
    return sections
