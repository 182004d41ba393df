"""Reactions to the hub's events (after commit): queue the embedding job and the notifications."""

from nq57.core.events import DomainEvent, listener
from nq57.hub import notifications


@listener("hub.problem_posted", "hub.offer_posted", "hub.item_updated")
def queue_embedding(event: DomainEvent) -> None:
    from nq57.hub.tasks import embed_item

    embed_item(event.payload["kind"], event.payload["item_id"])


def _other_party(deal_id: int, by_organisation_id: int) -> int:
    from nq57.hub.models import Deal

    deal = Deal.objects.get(pk=deal_id)
    return deal.partner_id if by_organisation_id == deal.owner_id else deal.owner_id


@listener("hub.interest_expressed", "hub.message_posted")
def queue_message_notice(event: DomainEvent) -> None:
    from nq57.hub.tasks import notify_parties

    kind = notifications.INTEREST if event.name == "hub.interest_expressed" else notifications.MESSAGE
    payload = event.payload
    notify_parties(kind=kind, deal_id=payload["deal_id"], author_id=payload["author_id"],
                   to_organisation_id=_other_party(payload["deal_id"], payload["by_organisation_id"]))


@listener("hub.deal_agreed")
def queue_agreed_notice(event: DomainEvent) -> None:
    from nq57.hub.models import Deal
    from nq57.hub.tasks import notify_parties

    deal = Deal.objects.get(pk=event.payload["deal_id"])
    for organisation_id in deal.party_ids():
        notify_parties(kind=notifications.AGREED, deal_id=deal.pk, author_id=event.payload["author_id"],
                       to_organisation_id=organisation_id)


@listener("hub.access_granted")
def queue_access_notice(event: DomainEvent) -> None:
    from nq57.hub.tasks import notify_parties

    notify_parties(kind=notifications.ACCESS, problem_id=event.payload["problem_id"],
                   to_organisation_id=event.payload["organisation_id"])


@listener("hub.deal_withdrawn", "hub.milestone_done")
def queue_party_notice(event: DomainEvent) -> None:
    from nq57.hub.tasks import notify_parties

    kind = notifications.WITHDRAWN if event.name == "hub.deal_withdrawn" else notifications.MILESTONE
    payload = event.payload
    notify_parties(kind=kind, deal_id=payload["deal_id"], author_id=payload["author_id"],
                   to_organisation_id=_other_party(payload["deal_id"], payload["by_organisation_id"]),
                   milestone_id=payload.get("milestone_id"))


@listener("hub.problem_closed", "hub.offer_withdrawn")
def queue_item_closed_notice(event: DomainEvent) -> None:
    from nq57.hub.models import Deal
    from nq57.hub.tasks import notify_parties

    payload = event.payload
    for deal in Deal.objects.filter(pk__in=payload["deal_ids"]):
        notify_parties(kind=notifications.ITEM_CLOSED, deal_id=deal.pk, author_id=payload["author_id"],
                       to_organisation_id=_other_party(deal.pk, payload["organisation_id"]), note=payload["reason"])


def send_notifications(*, kind: str, to_organisation_id: int, deal_id: int | None = None,
                       problem_id: int | None = None, author_id: int | None = None, note: str = "",
                       milestone_id: int | None = None) -> int:
    """In-app and e-mail notice to every hub member of ``to_organisation_id`` (except the author)."""
    from nq57.accounts.selectors import people_of
    from nq57.hub.models import ContractMilestone, Deal, Problem
    from nq57.hub.roles import ACTING_ROLES
    from nq57.monitoring.notifications import notify

    deal = Deal.objects.select_related("problem", "offer", "owner", "partner").get(pk=deal_id) if deal_id else None
    problem = Problem.objects.get(pk=problem_id) if problem_id else None
    target = deal or problem
    last = deal.messages.select_related("organisation").last() if deal and kind in (
        notifications.INTEREST, notifications.MESSAGE, notifications.AGREED) else None
    milestone = ContractMilestone.objects.filter(pk=milestone_id).first() if milestone_id else None
    sent = 0
    for person in people_of([to_organisation_id], roles=ACTING_ROLES).exclude(pk=author_id).order_by("id"):
        notify(recipient=person, kind=kind, template="hub/emails/deal", target=target,
               context={"kind": kind, "deal": deal, "problem": problem or (deal.problem if deal else None),
                        "item": deal.item if deal else problem, "message": last, "note": note,
                        "milestone": milestone},
               url=target.get_absolute_url())
        sent += 1
    return sent
