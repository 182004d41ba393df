"""Values the platform computes itself (never typed twice): a registry of computations, keyed by a stable code.

An indicator with ``value_source = computed`` names one of these keys in ``computation``; the periodic job
(``indicators.tasks``) calls ``services.computed_refresh`` which writes the value of the current and the last ended
period. Later apps register theirs in their own module (e.g. the hub: ``hub.contracts_signed``; the intake:
``intake.initiatives_adopted``)::

    from nq57.indicators.computations import register_computation

    @register_computation("hub.contracts_signed", label="Số hợp đồng R&D đã ký")
    def contracts(*, indicator, start, end): return Decimal(...)

A computation gets the indicator (its ``agency`` narrows the count to that organisation and its units when set)
and the period ``[start, end]`` (dates), and returns a number or ``None`` (nothing to count yet).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal


@dataclass(frozen=True)
class Computation:
    key: str
    label: str
    func: Callable


_registry: dict[str, Computation] = {}


def register_computation(key: str, *, label: str):
    def register(func):
        known = _registry.get(key)
        if known is not None and known.label != label:
            raise ValueError(f"computation {key} is already registered with another label")
        _registry[key] = Computation(key=key, label=label, func=func)
        return func

    return register


def computation(key: str) -> Computation | None:
    return _registry.get(key)


def computation_choices() -> list[tuple[str, str]]:
    return [(c.key, c.label) for c in sorted(_registry.values(), key=lambda c: c.key)]


def _tasks_of(indicator):
    from nq57.tasks.models import Task

    tasks = Task.objects.all()
    if indicator.agency_id:
        from nq57.agencies.models import Agency

        ids, frontier = {indicator.agency_id}, [indicator.agency_id]
        while frontier:
            frontier = list(Agency.objects.filter(parent_id__in=frontier).exclude(id__in=ids)
                            .values_list("id", flat=True))
            ids.update(frontier)
        tasks = tasks.filter(pk__in=Task.objects.filter(assignments__agency_id__in=ids, assignments__role="lead")
                             .values("pk"))
    return tasks


@register_computation("tasks.on_time_rate", label="Tỷ lệ nhiệm vụ hoàn thành đúng hạn (%)")
def on_time_rate(*, indicator, start, end):
    """``tasks.models.OnTimeRate`` at the end of the period (the platform's one definition), in percent."""
    from nq57.tasks.models import OnTimeRate, Timing

    counts = _tasks_of(indicator).aggregate(**Timing.counts(today=end))
    rate = OnTimeRate.from_counts(counts)
    return None if rate.rate is None else (Decimal(rate.on_time * 100) / Decimal(rate.due)).quantize(Decimal("0.01"))


@register_computation("tasks.done_in_period", label="Số nhiệm vụ hoàn thành trong kỳ")
def done_in_period(*, indicator, start, end):
    return Decimal(_tasks_of(indicator).filter(status="done", completed_on__gte=start, completed_on__lte=end).count())
