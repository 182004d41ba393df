"""Reads for the agency pages: the searchable list and one agency's scorecard."""

from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from nq57.agencies.models import Agency, AgencyAlias
from nq57.core import access
from nq57.tasks.models import AssignmentRole, OnTimeRate, TallyKind, Task, TaskAssignment, TaskStatus, Timing
from nq57.tasks.selectors import tally_sums


def agency_search(*, user, q: str = "", kind: str = ""):
    """Agencies ``user`` may see whose official name or any alias contains ``q`` (folded: diacritics, tone style,
    case ignored)."""
    from nq57.extraction.vietnamese import fold

    agencies = access.organisations_visible_to(user, Agency.objects.select_related("successor", "parent"))
    if kind:
        agencies = agencies.filter(kind=kind)
    for word in fold(q).split():
        aliases = AgencyAlias.objects.filter(agency=OuterRef("pk"), key__contains=word)
        agencies = agencies.filter(Q(search_key__contains=word) | Exists(aliases))
    # a correlated count per agency (index agency+role) rather than a GROUP BY over every assignment
    led = (TaskAssignment.objects.filter(agency=OuterRef("pk"), role=AssignmentRole.LEAD, task__parent__isnull=True)
           .order_by().values("agency").annotate(n=Count("id")).values("n"))
    agencies = agencies.annotate(lead_count=Coalesce(Subquery(led), 0))
    # a search puts the agencies with work first ("khoa hoc" → Bộ Khoa học và Công nghệ before its units)
    return agencies.order_by("-lead_count", "name") if q.strip() else agencies.order_by("name")


@dataclass
class Scorecard:
    led: int
    done: int
    done_on_time: int
    done_late: int
    overdue: int
    due_soon: int
    partner: int
    subtasks_led: int

    @property
    def rate(self) -> OnTimeRate:
        """The on-time rate, defined once (``OnTimeRate``): done on time / tasks whose deadline has come."""
        return OnTimeRate.of(done_on_time=self.done_on_time, done_late=self.done_late, open_overdue=self.overdue)

    @property
    def on_time_rate(self) -> int | None:
        """``rate`` in percent; None when no task is due yet."""
        return self.rate.percent


def agency_scorecard(agency: Agency, *, today=None) -> Scorecard:
    """Counts over top-level tasks, exactly as the task list counts them with the same filter parameters. The led
    tasks' counts are sums of the agency's ``TaskTally`` rows (kept by triggers in each write's transaction), not a
    pass over its thousands of tasks."""
    today = today or timezone.localdate()

    def party(role):
        # "id IN (the agency's task ids)": the agency index (agency, role, ..., task), then tasks by primary key
        # (a correlated EXISTS would probe the assignments once per task)
        return Q(id__in=TaskAssignment.objects.filter(agency=agency, role=role).values("task_id"))

    sums = tally_sums(TallyKind.LEAD, today=today, agency_id=agency.pk)[0]
    row = {"led": sums["total"], "done": sums[f"s_{TaskStatus.DONE}"],
           **{name: sums[f"t_{timing}"] for name, timing in (
               ("done_on_time", Timing.DONE_ON_TIME), ("done_late", Timing.DONE_LATE),
               ("overdue", Timing.OPEN_OVERDUE), ("due_soon", Timing.DUE_SOON))}}
    tasks = Task.objects.all()
    row["partner"] = tasks.filter(party(AssignmentRole.COORDINATING), parent__isnull=True).count()
    row["subtasks_led"] = tasks.filter(party(AssignmentRole.LEAD), parent__isnull=False).count()
    return Scorecard(**row)
