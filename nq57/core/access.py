"""Who may do what: the one place where permissions are decided, used by every view, the API and the services.

Roles come from memberships (``accounts.Membership``; codes registered in ``core.roles``): the Standing Office does
everything; a focal point sees every task but reports on, asks extensions for and breaks down only tasks where one of
their organisations (or one of its units) is lead or partner; a leader reads. A citizen (an account with no
membership) sees public pages and their own things only; anonymous visitors see public pages
(``core.middleware`` + ``core.public``).
"""

from django.db.models import Q

from nq57.core.errors import PermissionDeniedError


def agency_scope_ids(user) -> frozenset[int]:
    """The organisations where ``user`` is a focal point, and all of their subordinate units (to any depth).

    Computed once per user instance (so once per request for ``request.user``)."""
    if not getattr(user, "is_authenticated", False):
        return frozenset()
    cached = user.__dict__.get("_agency_scope_ids")
    if cached is None:
        from nq57.monitoring.roles import FOCAL_POINT

        cached = user.__dict__["_agency_scope_ids"] = _descendant_ids(user.organisation_ids(FOCAL_POINT))
    return cached


def _descendant_ids(agency_ids) -> frozenset[int]:
    from nq57.agencies.models import Agency

    ids, frontier = set(agency_ids), list(agency_ids)
    while frontier:
        frontier = list(Agency.objects.filter(parent_id__in=frontier).exclude(id__in=ids).values_list("id", flat=True))
        ids.update(frontier)
    return frozenset(ids)


def organisation_and_units(agency_id: int) -> frozenset[int]:
    """An organisation and all of its subordinate units (to any depth): what an indicator's ``agency`` covers."""
    return _descendant_ids([agency_id])


class SystemActor:
    """The platform itself acting outside any request: management commands, scheduled jobs, data loading.

    Passed explicitly as ``actor=SYSTEM`` to the few services that allow it (``can_manage_people``,
    ``can_manage_registry``); no view or API handler can obtain it, since ``request.user`` is always a real account.
    Audit history records no person for it."""

    is_authenticated = False
    is_active = True
    pk = None

    def __str__(self) -> str:
        return "Hệ thống"


SYSTEM = SystemActor()


def is_system(actor) -> bool:
    return actor is SYSTEM


def can_view(user) -> bool:
    """The internal pages and data (tasks, reports, dashboards): staff-side members only (office, focal point,
    leader — roles registered with ``staff=True``); not citizens, not members with a generic role only."""
    return bool(getattr(user, "is_authenticated", False) and user.is_active and user.is_staff_side)


def party_assignments(user, task) -> list:
    """The assignments of ``task`` held by one of the user's organisations (or units), with their agency, ordered by
    role then id; read once per user instance and task, so a view, the permission check and the service it calls
    share one query."""
    scope = agency_scope_ids(user)
    if not scope:
        return []
    cache = user.__dict__.setdefault("_party_assignments", {})
    if task.pk not in cache:
        cache[task.pk] = list(task.assignments.filter(agency_id__in=scope).select_related("agency")
                              .order_by("role", "id"))
    return cache[task.pk]


def is_party_to_task(user, task, *, roles: tuple[str, ...] = ("lead", "coordinating")) -> bool:
    """One of the user's organisations (or units) is lead/partner on ``task`` (``party_assignments``)."""
    return any(assignment.role in roles for assignment in party_assignments(user, task))


def can_report_on(user, task) -> bool:
    if not can_view(user):
        return False
    if user.is_office:
        return True
    return user.is_focal_point and is_party_to_task(user, task)


def can_request_extension(user, task) -> bool:
    return can_report_on(user, task) and not task.is_recurring


def can_add_subtask(user, task) -> bool:
    if not can_view(user):
        return False
    if user.is_office:
        return True
    return user.is_focal_point and is_party_to_task(user, task, roles=("lead",))


def can_create_tasks(actor) -> bool:
    """Assigning a new top-level task (a notice's confirmation, an exchange import, another app turning an item into
    a task): the office, or the platform itself (``SYSTEM``: demo data, a job acting on the office's decision).
    Sub-tasks follow ``can_add_subtask``."""
    return is_system(actor) or (can_view(actor) and actor.is_office)


def can_assess(user) -> bool:
    return can_view(user) and user.is_office


def can_edit_task(user, task) -> bool:
    """The office edits any task; a focal point edits the sub-tasks their own agency created."""
    if not can_view(user):
        return False
    if user.is_office:
        return True
    if user.is_focal_point and task.parent_id is not None:
        # a sub-task the office gave to another agency is not theirs to edit (nor to take over)
        return is_party_to_task(user, task.parent, roles=("lead",)) and not task.assignments.filter(
            role="lead").exclude(agency_id__in=agency_scope_ids(user)).exists()
    return False


def can_manage_notices(user) -> bool:
    return can_view(user) and user.is_office


# --- tasks: one table of actions, used by the web views, the API and the services ------------------------------

STAFF_ONLY = ("Trang này dành cho cán bộ các cơ quan tham gia theo dõi, đôn đốc thực hiện nhiệm vụ. Tài khoản của "
              "bạn chưa là cán bộ đầu mối, lãnh đạo hay Cơ quan Thường trực của tổ chức nào.")

#: action -> (rule, the Vietnamese refusal); the only place these refusals are written
TASK_ACTIONS = {
    "view": (lambda user, task: can_view(user), STAFF_ONLY),
    "report": (can_report_on, "Bạn chỉ được báo cáo về nhiệm vụ mà cơ quan của bạn chủ trì hoặc phối hợp."),
    "extend": (can_request_extension,
               "Bạn chỉ được đề xuất gia hạn nhiệm vụ mà cơ quan của bạn chủ trì hoặc phối hợp."),
    "subtask": (can_add_subtask, "Chỉ cơ quan chủ trì nhiệm vụ hoặc Cơ quan Thường trực mới được giao nhiệm vụ con."),
    "edit": (can_edit_task, "Bạn không có quyền sửa nhiệm vụ này."),
    "status": (lambda user, task: can_assess(user), "Chỉ Cơ quan Thường trực được đổi tình trạng nhiệm vụ."),
    "schedule": (lambda user, task: can_assess(user), "Chỉ Cơ quan Thường trực được ấn định thời hạn."),
    "assess": (lambda user, task: can_assess(user), "Chỉ Cơ quan Thường trực được đánh giá báo cáo."),
    "decide_extension": (lambda user, task: can_assess(user), "Chỉ Cơ quan Thường trực được quyết định gia hạn."),
}


def check_task(user, task, action: str) -> None:
    """Raise ``PermissionDeniedError`` (with the action's Vietnamese refusal) unless ``user`` may do ``action``."""
    rule, message = TASK_ACTIONS[action]
    require(rule(user, task), message)


def tasks_visible_to(user, queryset=None):
    """The tasks ``user`` may see: every task for staff-side members, none for anyone else (citizens,
    anonymous visitors). ``Task.objects.visible_to(user)`` is this rule."""
    from nq57.tasks.models import Task

    queryset = Task.objects.all() if queryset is None else queryset
    return queryset if can_view(user) else queryset.none()


def task_for(user, pk, *, action: str = "view", queryset=None):
    """Fetch a task and check ``action`` in one place: ``NotFoundError`` when it does not exist (or is not visible
    to the user), ``PermissionDeniedError`` when the user may see it but not do ``action``."""
    from nq57.core.errors import NotFoundError

    require(can_view(user), STAFF_ONLY)
    task = tasks_visible_to(user, queryset).filter(pk=pk).first()
    if task is None:
        raise NotFoundError("Không tìm thấy nhiệm vụ.")
    check_task(user, task, action)
    return task


def require(allowed: bool, message: str) -> None:
    if not allowed:
        raise PermissionDeniedError(message)


def can_manage_people(actor) -> bool:
    """Adding and removing memberships: the office, or the platform itself (``SYSTEM``)."""
    return is_system(actor) or (can_view(actor) and actor.is_office)


def can_manage_registry(actor) -> bool:
    """Changing the organisation registry (editing, dissolving, merging): the office, or the platform itself."""
    return is_system(actor) or (can_view(actor) and actor.is_office)


def can_verify_organisations(actor) -> bool:
    """Verifying or rejecting a self-registered organisation: the Standing Office only (a person, never SYSTEM)."""
    return can_view(actor) and actor.is_office


def can_manage_webhooks(user) -> bool:
    """Webhook subscriptions send data out of the system: the office only."""
    return can_view(user) and user.is_office


def can_issue_reports(user) -> bool:
    """Issuing a consolidated report (the baseline of "changes since the last report"): the office only."""
    return can_view(user) and user.is_office




def organisations_visible_to(user, queryset=None):
    """The organisations a person may see: the office (registry managers) sees every registration; anyone else sees
    verified organisations and the ones they registered themselves (a pending or rejected registration is not
    public: it must not be listed, looked up or picked)."""
    from nq57.agencies.models import Agency, Verification

    queryset = Agency.objects.all() if queryset is None else queryset
    if can_manage_registry(user):
        return queryset
    mine = Q(registered_by_id=user.pk) if getattr(user, "is_authenticated", False) else Q(pk__in=[])
    return queryset.filter(Q(verification=Verification.VERIFIED) | mine)
# --- indicators (nq57.indicators) -------------------------------------------------------------------------------

def can_view_indicators(user) -> bool:
    """Indicators, their values, the dashboard and scorecards: the staff-side members (as for tasks)."""
    return can_view(user)


def can_manage_indicators(user) -> bool:
    """Creating and editing indicators, confirming proposals, validating values, scorecard frameworks: the office."""
    return can_view(user) and user.is_office


def can_enter_indicator_value(user, indicator) -> bool:
    """The office, or a focal point of the indicator's responsible organisation (or of a parent of it) — only for
    indicators whose values are entered (computed values are never typed)."""
    if not can_view(user) or indicator.value_source != "entered":
        return False
    if user.is_office:
        return True
    return bool(user.is_focal_point and indicator.agency_id and indicator.agency_id in agency_scope_ids(user))


def can_score(user) -> bool:
    """Giving an assessor's score in a scorecard: the office or an assessor."""
    return can_view(user) and (user.is_office or user.has_role("assessor"))


def indicators_visible_to(user, queryset=None):
    from nq57.indicators.models import Indicator

    queryset = Indicator.objects.all() if queryset is None else queryset
    return queryset if can_view_indicators(user) else queryset.none()


INDICATOR_STAFF_ONLY = STAFF_ONLY
INDICATOR_ENTER_REFUSED = ("Bạn chỉ được nhập giá trị cho chỉ tiêu mà cơ quan của bạn chủ trì theo dõi; chỉ tiêu tính "
                           "từ hệ thống không nhập tay.")
INDICATOR_OFFICE_ONLY = "Chỉ Cơ quan Thường trực được thực hiện thao tác này với chỉ tiêu."


def indicator_for(user, pk, *, queryset=None):
    """Fetch an indicator the user may see (``NotFoundError`` otherwise)."""
    from nq57.core.errors import NotFoundError

    require(can_view_indicators(user), STAFF_ONLY)
    indicator = indicators_visible_to(user, queryset).filter(pk=pk).first()
    if indicator is None:
        raise NotFoundError("Không tìm thấy chỉ tiêu.")
    return indicator
# --- the 3 Nhà hub (nq57.hub): organisations act through their members; confidential details by approval -----------

def hub_organisation_ids(user) -> frozenset[int]:
    """Organisations ``user`` may act for in the hub (a hub, generic member or focal-point membership)."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return frozenset()
    from nq57.hub.roles import ACTING_ROLES

    return frozenset(user.organisation_ids(*ACTING_ROLES))


def can_hub_publish(user, organisation) -> bool:
    """Posting a problem or an offer for ``organisation``: a member acting for it, and the organisation verified."""
    return organisation is not None and organisation.pk in hub_organisation_ids(user) and organisation.can_publish


def can_hub_moderate(user) -> bool:
    """Featuring items and reading every confidential part: the Standing Office."""
    return can_view(user) and user.is_office


def can_see_problem_details(user, problem) -> bool:
    """The confidential part of a problem: the poster's organisation, the office, and organisations the poster
    approved (``ProblemAccess``)."""
    if can_hub_moderate(user):
        return True
    mine = hub_organisation_ids(user)
    if not mine:
        return False
    if problem.organisation_id in mine:
        return True
    return problem.accesses.filter(organisation_id__in=mine).exists()


def can_edit_hub_item(user, item) -> bool:
    return item.organisation_id in hub_organisation_ids(user) and item.organisation.can_publish


def can_take_part_in_deal(user, deal) -> bool:
    """Reading and writing a deal's conversation, agreement, contract and outcomes: the two parties (the office
    reads)."""
    return bool(hub_organisation_ids(user) & set(deal.party_ids()))


def deals_visible_to(user, queryset=None):
    from django.db.models import Q

    from nq57.hub.models import Deal

    queryset = Deal.objects.all() if queryset is None else queryset
    if can_hub_moderate(user):
        return queryset
    mine = hub_organisation_ids(user)
    if not mine:
        return queryset.none()
    return queryset.filter(Q(owner_id__in=mine) | Q(partner_id__in=mine))
# --- intake: feedback, recommendations and initiatives --------------------------------------------------------

def can_triage(user) -> bool:
    """Classifying, merging, rejecting, routing, hiding and the senders' personal data: the Standing Office."""
    return can_view(user) and user.is_office


def is_routed_to(user, submission) -> bool:
    """A focal point of the agency the submission is routed to (or of one of its parents)."""
    return bool(submission.routed_agency_id and user.is_authenticated and getattr(user, "is_focal_point", False)
                and submission.routed_agency_id in agency_scope_ids(user))


def can_answer(user, submission) -> bool:
    """Answering (and marking in progress, transferring, declaring not competent): the focal points of the routed
    agency, and the office, while the answer is awaited."""
    from nq57.intake.models import AWAITING

    if submission.status not in AWAITING:
        return False
    return can_triage(user) or (can_view(user) and is_routed_to(user, submission))


def can_read_submission(user, submission) -> bool:
    """The whole submission with the sender's details: the office, the routed agency's focal points, the sender."""
    if can_triage(user) or (can_view(user) and is_routed_to(user, submission)):
        return True
    return bool(getattr(user, "is_authenticated", False) and submission.user_id == user.pk)


def submissions_visible_to(user, queryset=None):
    """The submissions ``user`` may list: all for the office, those routed to their agencies for a focal point,
    their own for anyone signed in; the published ones for everyone."""
    from django.db.models import Q

    from nq57.intake.models import Submission

    queryset = Submission.objects.all() if queryset is None else queryset
    if can_triage(user):
        return queryset
    published = Q(pk__in=Submission.objects.published().values("pk"))
    if not getattr(user, "is_authenticated", False):
        return queryset.filter(published)
    rule = published | Q(user_id=user.pk)
    if can_view(user):
        scope = agency_scope_ids(user)
        if scope:
            rule |= Q(routed_agency_id__in=scope)
    return queryset.filter(rule)
