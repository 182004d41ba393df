"""Reading the hub: public lists and search, what a person may see of a problem, figures, the field page."""

from dataclasses import dataclass

from django.db.models import Count, Q, Sum
from django.db.models.functions import ExtractYear

from nq57.core import access
from nq57.hub.models import Contract, Deal, Offer, Outcome, OutcomeKind, Problem, ProblemStatus
from nq57.text.vietnamese import fold

PUBLIC_PROBLEM_STATUSES = (ProblemStatus.OPEN, ProblemStatus.IN_TALKS, ProblemStatus.CONTRACTED)


def _published(qs):
    """Items on show. Only a verified organisation can post (``services._require_publisher``), so there is no join
    on the registry here: SQLite would otherwise walk the organisations first and sort every item for one page."""
    return qs


def public_problems():
    """Problems anyone may see the public part of (an organisation's own closed problems stay on its page)."""
    # "not closed" rather than "status IN (…)": the planner then walks the primary key backwards for a page
    return _published(Problem.objects.exclude(status=ProblemStatus.CLOSED)).select_related(
        "organisation", "field").order_by("-id")  # newest first by the key: the index SQLite walks for a page


def public_offers():
    return _published(Offer.objects.filter(is_active=True)).select_related("organisation", "field").order_by("-id")


class Ranked:
    """Rows of a queryset in the order of the platform search's ids, fetched a page at a time (a ``Paginator`` asks
    ``len`` and one slice): the filters run on ids only, the rows are read for the page shown."""

    def __init__(self, qs, ids: list[int]):
        allowed = set(qs.filter(pk__in=ids).values_list("pk", flat=True)) if ids else set()
        self.qs, self.ids = qs, [pk for pk in ids if pk in allowed]

    def __len__(self) -> int:
        return len(self.ids)

    count = __len__

    def __getitem__(self, index):
        if isinstance(index, int):
            return self[index:index + 1][0]
        page = self.ids[index]
        rows = self.qs.in_bulk(page)
        return [rows[pk] for pk in page if pk in rows]

    def __iter__(self):
        return iter(self[:])


#: hits of a typed search kept (ten pages): ranking and filtering 1,000 cost twice as much at 100,000 items
SEARCH_LIMIT = 300


def search_items(qs, kind: str, q: str):
    """Filter and rank a queryset of problems or offers by a typed query through the platform search
    (diacritic- and tone-insensitive; phrase matches first): a ``Ranked`` sequence of the best ``SEARCH_LIMIT``, or
    the queryset when no query."""
    from nq57.search.selectors import search_ids

    q = (q or "").strip()
    if not q:
        return qs
    return Ranked(qs, search_ids(kind, q, limit=SEARCH_LIMIT, public_only=True))


def filter_items(qs, *, field_id: int | None = None, trl: int | None = None, featured: bool = False,
                 trl_field: str = "trl"):
    if field_id:
        qs = qs.filter(Q(field_id=field_id) | Q(field__parent_id=field_id))
    if trl:
        qs = qs.filter(**{f"{trl_field}__gte" if trl_field == "trl" else f"{trl_field}__lte": trl})
    if featured:
        qs = qs.filter(is_featured=True)
    return qs


def problem_view(user, problem: Problem) -> dict:
    """What ``user`` may see of a problem: the public part always, the confidential details by the rule."""
    can_details = access.can_see_problem_details(user, problem)
    return {
        "problem": problem,
        "can_see_details": can_details,
        "details": problem.details if can_details else None,
        "can_edit": access.can_edit_hub_item(user, problem),
    }


def my_organisations(user):
    from nq57.accounts.selectors import organisations_of
    from nq57.hub.roles import ACTING_ROLES

    return organisations_of(user, *ACTING_ROLES)


def deals_of(user):
    return access.deals_visible_to(user).select_related("problem", "offer", "owner", "partner")


def interested_organisations(problem: Problem):
    """Organisations that expressed interest in a problem, with whether they may read the details."""
    granted = set(problem.accesses.values_list("organisation_id", flat=True))
    rows = []
    for deal in problem.deals.select_related("partner").order_by("created_at"):
        rows.append({"deal": deal, "organisation": deal.partner, "granted": deal.partner_id in granted})
    return rows


# --- figures ------------------------------------------------------------------------------------------------------

@dataclass
class Figures:
    totals: dict
    by_organisation: list
    by_field: list
    by_year: list


def figures() -> Figures:
    """Contracts, value, co-funding, spin-offs and revenue — by organisation, by field, by year (signing year for
    contracts, the outcome's year for revenue)."""
    contracts = Contract.objects.all()
    outcomes = Outcome.objects.all()
    totals = {
        "problems": public_problems().count(),
        "offers": public_offers().count(),
        "deals": Deal.objects.count(),
        "contracts": contracts.count(),
        "value": contracts.aggregate(s=Sum("value_vnd"))["s"] or 0,
        "cofunding": contracts.aggregate(s=Sum("cofunding_vnd"))["s"] or 0,
        "spinoffs": outcomes.filter(kind=OutcomeKind.SPINOFF).count(),
        "licences": outcomes.filter(kind=OutcomeKind.LICENCE).count(),
        "revenue": outcomes.aggregate(s=Sum("revenue_vnd"))["s"] or 0,
    }
    per_org: dict[int, dict] = {}
    for side in ("deal__owner", "deal__partner"):
        for row in contracts.values(f"{side}_id", f"{side}__name").annotate(n=Count("id"), value=Sum("value_vnd")):
            entry = per_org.setdefault(row[f"{side}_id"], {"name": row[f"{side}__name"], "contracts": 0, "value": 0,
                                                           "revenue": 0, "spinoffs": 0})
            entry["contracts"] += row["n"]
            entry["value"] += row["value"] or 0
        for row in outcomes.values(f"contract__{side}_id").annotate(
                revenue=Sum("revenue_vnd"), spinoffs=Count("id", filter=Q(kind=OutcomeKind.SPINOFF))):
            entry = per_org.get(row[f"contract__{side}_id"])
            if entry:
                entry["revenue"] += row["revenue"] or 0
                entry["spinoffs"] += row["spinoffs"]
    by_field = list(contracts.values("field_id", "field__code", "field__name")
                    .annotate(contracts=Count("id"), value=Sum("value_vnd")).order_by("field__code"))
    revenue_by_field = {row["contract__field_id"]: row for row in outcomes.values("contract__field_id").annotate(
        revenue=Sum("revenue_vnd"), spinoffs=Count("id", filter=Q(kind=OutcomeKind.SPINOFF)))}
    for row in by_field:
        extra = revenue_by_field.get(row["field_id"], {})
        row["revenue"] = extra.get("revenue") or 0
        row["spinoffs"] = extra.get("spinoffs") or 0
    years: dict[int, dict] = {}
    for row in contracts.annotate(y=ExtractYear("signed_on")).values("y").annotate(n=Count("id"),
                                                                                   value=Sum("value_vnd")):
        years.setdefault(row["y"], {"year": row["y"], "contracts": 0, "value": 0, "revenue": 0, "spinoffs": 0})
        years[row["y"]].update(contracts=row["n"], value=row["value"] or 0)
    for row in outcomes.values("year").annotate(revenue=Sum("revenue_vnd"),
                                                spinoffs=Count("id", filter=Q(kind=OutcomeKind.SPINOFF))):
        years.setdefault(row["year"], {"year": row["year"], "contracts": 0, "value": 0, "revenue": 0, "spinoffs": 0})
        years[row["year"]].update(revenue=row["revenue"] or 0, spinoffs=row["spinoffs"])
    return Figures(totals=totals,
                   by_organisation=sorted(per_org.values(), key=lambda e: (-e["value"], e["name"])),
                   by_field=by_field, by_year=[years[y] for y in sorted(years)])


# --- a page per technology field ----------------------------------------------------------------------------------

def field_page(user, field_obj, *, limit: int = 50) -> dict:
    """A strategic-technology entry with its problems, offers, contracts and the notice tasks that mention it (tasks
    only for those who may see tasks)."""
    from nq57.taxonomy.matching import Text
    from nq57.taxonomy.models import TechnologyField

    ids = [field_obj.pk, *TechnologyField.objects.filter(parent_id=field_obj.pk).values_list("id", flat=True)]
    tasks = []
    if access.can_view(user):
        keywords = [k for f in TechnologyField.objects.filter(pk__in=ids) for k in (f.keywords or [])]
        keys = [fold(k) for k in keywords if fold(k)]
        if keys:
            condition = Q()
            for key in keys:
                condition |= Q(search_key__contains=key)
            candidates = access.tasks_visible_to(user).filter(condition).select_related("notice").order_by("-id")[:500]
            tasks = [t for t in candidates if Text(t.text).mentions_any(keywords)][:limit]
    return {
        "field": field_obj,
        "products": TechnologyField.objects.filter(parent_id=field_obj.pk).order_by("position", "id"),
        "problems": public_problems().filter(field_id__in=ids)[:limit],
        "offers": public_offers().filter(field_id__in=ids)[:limit],
        "contracts": Contract.objects.filter(field_id__in=ids).select_related("deal__owner", "deal__partner")[:limit],
        "tasks": tasks,
        "show_tasks": access.can_view(user),
    }
