"""The organisation registry: lookup by any alias, loading the registry facts, dissolving agencies into successors,
self-registration of an organisation and its verification by the Standing Office."""

import datetime as dt

from django.db import transaction
from django.utils import timezone

from nq57.agencies.models import Agency, AgencyAlias, Verification
from nq57.core import access, limits
from nq57.core.audit import acting
from nq57.core.errors import ConflictError, Problems, ServiceError
from nq57.core.events import publish


def agency_lookup(name: str) -> Agency | None:
    """The agency a name refers to, by official name or alias; insensitive to NFC/NFD, tone-mark style and case."""
    from nq57.extraction.vietnamese import fold

    key = fold(name or "")
    if not key:
        return None
    verified = Agency.objects.filter(verification=Verification.VERIFIED)
    agency = verified.filter(search_key=key).first()
    if agency is None:
        alias = (AgencyAlias.objects.select_related("agency")
                 .filter(key=key, agency__verification=Verification.VERIFIED).first())
        agency = alias.agency if alias else None
    if agency is None:
        official = _resolver().resolve(name)
        if official:
            agency = verified.filter(search_key=fold(official)).first()
    return agency


_RESOLVER = None


def _resolver():
    global _RESOLVER
    if _RESOLVER is None:
        from nq57.extraction.registry import AgencyResolver

        _RESOLVER = AgencyResolver()
    return _RESOLVER


@transaction.atomic
def registry_load(records=None) -> dict[str, int]:
    """Create or update agencies from the registry facts (``nq57.extraction.registry.AGENCIES``). Idempotent."""
    from nq57.extraction.registry import AGENCIES
    from nq57.extraction.vietnamese import fold

    records = AGENCIES if records is None else records
    by_name: dict[str, Agency] = {a.name: a for a in Agency.objects.all()}
    created = updated = 0
    for record in records:
        agency = by_name.get(record.name)
        short = record.short_names[0] if record.short_names else ""
        if agency is None:
            agency = Agency.objects.create(
                name=record.name, kind=record.kind, short_name=short, dissolved_on=record.dissolved_on
            )
            by_name[record.name] = agency
            created += 1
        elif agency.kind != record.kind or agency.dissolved_on != record.dissolved_on:
            agency.kind, agency.dissolved_on = record.kind, record.dissolved_on
            agency.short_name = agency.short_name or short
            agency.save()
            updated += 1
    existing_keys = set(AgencyAlias.objects.values_list("key", flat=True)) | {a.search_key for a in by_name.values()}
    aliases = []
    for record in records:
        agency = by_name[record.name]
        changed = False
        if record.parent and record.parent in by_name and agency.parent_id != by_name[record.parent].pk:
            agency.parent = by_name[record.parent]
            changed = True
        if record.successor and record.successor in by_name and agency.successor_id != by_name[record.successor].pk:
            agency.successor = by_name[record.successor]
            changed = True
        if changed:
            agency.save()
        for alias in (*record.short_names, *record.aliases):
            key = fold(alias)
            if key and key not in existing_keys:
                existing_keys.add(key)
                aliases.append(AgencyAlias(agency=agency, alias=alias, key=key))
        member_names = set(record.members)
        if record.member_kinds:
            member_names |= {
                a.name for a in by_name.values() if a.kind in record.member_kinds and a.dissolved_on is None
            }
        if member_names:
            agency.members.set([by_name[n] for n in member_names if n in by_name])
    AgencyAlias.objects.bulk_create(aliases)
    return {"created": created, "updated": updated, "aliases": len(aliases)}


@acting
@transaction.atomic
def agency_dissolve(*, agency: Agency, successor: Agency, on: dt.date, actor) -> int:
    """Merge ``agency`` into ``successor``: open tasks pass to the successor and keep the name they were assigned under.

    The office (or ``access.SYSTEM`` for data loading) only. Returns how many task assignments moved.
    """
    from nq57.tasks.models import TaskAssignment, TaskEventKind, TaskStatus
    from nq57.tasks.services import event_record

    access.require(access.can_manage_registry(actor), "Chỉ Cơ quan Thường trực được sáp nhập, giải thể cơ quan.")
    person = None if access.is_system(actor) else actor
    if successor.pk == agency.pk:
        raise ServiceError("Cơ quan kế thừa phải khác cơ quan bị giải thể.", field="successor")
    if successor.dissolved_on:
        raise ServiceError("Cơ quan kế thừa đã bị giải thể.", field="successor")
    agency.successor, agency.dissolved_on = successor, on
    agency.save()
    moved = 0
    open_assignments = TaskAssignment.objects.filter(agency=agency).exclude(task__status=TaskStatus.DONE)
    for assignment in open_assignments.select_related("task"):
        if TaskAssignment.objects.filter(task=assignment.task, agency=successor, role=assignment.role).exists():
            assignment.delete()
        else:
            assignment.assigned_name = assignment.assigned_name or agency.name
            assignment.agency = successor
            assignment.save()
            publish("task.assigned", task_id=assignment.task_id, agency_id=successor.pk, role=assignment.role,
                    reason="merge")
        event_record(task=assignment.task, kind=TaskEventKind.REASSIGNED, actor=person,
                     summary=f"{agency.name} sáp nhập vào {successor.name} từ {on:%d/%m/%Y}; nhiệm vụ chuyển sang "
                             f"{successor.name}")
        moved += 1
    return moved


@acting
@transaction.atomic
def agency_save(*, actor, agency: Agency, members=None, aliases: list[str] | None = None) -> Agency:
    """Create or edit an agency of the registry (the admin's way in): its own fields, then — when given — its members
    and its aliases (exactly this list: others are removed). Dissolving goes through ``agency_dissolve``, which moves
    the open tasks to the successor."""
    from nq57.extraction.vietnamese import fold

    access.require(access.can_manage_registry(actor), "Chỉ Cơ quan Thường trực được sửa danh mục cơ quan.")
    if not (agency.name or "").strip():
        raise ServiceError("Tên cơ quan không được để trống.", field="name")
    agency.save()
    if members is not None:
        agency.members.set(members)
    if aliases is not None:
        wanted = {fold(alias): alias.strip() for alias in aliases if alias and alias.strip()}
        agency.aliases.exclude(key__in=wanted).delete()
        existing = set(agency.aliases.values_list("key", flat=True))
        for key, alias in wanted.items():
            if key in existing:
                continue
            other = AgencyAlias.objects.filter(key=key).select_related("agency").first()
            if other is not None:
                raise ServiceError(f"Tên gọi “{alias}” đã thuộc về {other.agency.name}.", field="aliases")
            AgencyAlias(agency=agency, alias=alias).save()
    return agency


def standing_office() -> Agency:
    """The Standing Office's organisation (``is_standing_office``); created on first use when missing (it is
    reference data, like the registry: ``accounts`` migration 0003 creates it on existing databases)."""
    from nq57.agencies.models import STANDING_OFFICE_NAME, AgencyKind

    office = Agency.objects.filter(is_standing_office=True).first()
    if office is None:
        office, _ = Agency.objects.get_or_create(name=STANDING_OFFICE_NAME,
                                                 defaults={"kind": AgencyKind.STEERING_BODY,
                                                           "short_name": "Cơ quan Thường trực"})
        Agency.objects.filter(pk=office.pk).update(is_standing_office=True)
        office.is_standing_office = True
    return office


# --- self-registration and verification -------------------------------------------------------------------------

def registration_problems(*, name: str | None, kind: str | None, address: str | None, contact_name: str | None,
                          contact_email: str | None, contact_phone: str | None = "",
                          tax_code: str | None = "") -> dict[str, list[str]]:
    """Every problem of a self-registration at once, by field (None: a value the form could not read)."""
    from nq57.agencies.models import SELF_REGISTRATION_KINDS
    from nq57.extraction.vietnamese import fold

    problems = Problems()
    name = " ".join((name or "").split())
    if not name:
        problems.add("name", "Hãy nhập tên tổ chức.")
    elif Agency.objects.filter(search_key=fold(name)).exists() or AgencyAlias.objects.filter(key=fold(name)).exists():
        problems.add("name", "Tổ chức có tên này đã có trong danh mục.")
    if kind not in SELF_REGISTRATION_KINDS:
        problems.add("kind", "Hãy chọn loại tổ chức trong danh sách.")
    if not (address or "").strip():
        problems.add("address", "Hãy nhập địa chỉ.")
    if not (contact_name or "").strip():
        problems.add("contact_name", "Hãy nhập người liên hệ.")
    if not (contact_email or "").strip():
        problems.add("contact_email", "Hãy nhập thư điện tử liên hệ.")
    for field, label, value, limit in (
        ("name", "Tên tổ chức", name, limits.ORGANISATION_NAME), ("address", "Địa chỉ", address, limits.ADDRESS),
        ("contact_name", "Người liên hệ", contact_name, limits.PERSON_NAME),
        ("tax_code", "Mã số thuế/mã đăng ký", tax_code, 40), ("contact_phone", "Điện thoại", contact_phone, 40),
    ):
        limits.check(problems, field, label, (value or "").strip(), limit)
    return problems.errors


@transaction.atomic
def organisation_register(*, name: str, kind: str, address: str, contact_name: str, contact_email: str,
                          contact_phone: str = "", tax_code: str = "", registered_by=None) -> Agency:
    """An organisation registers itself on the public form: it enters the registry ``pending`` and cannot publish
    until the Standing Office verifies it. A signed-in registrant becomes its member (role ``member``)."""
    from nq57.accounts.roles import MEMBER
    from nq57.accounts.services import membership_add
    from nq57.agencies.models import Verification

    name = " ".join((name or "").split())
    problems = registration_problems(name=name, kind=kind, address=address, contact_name=contact_name,
                                     contact_email=contact_email, contact_phone=contact_phone, tax_code=tax_code)
    if problems:
        raise ServiceError.of(problems)
    registrant = registered_by if getattr(registered_by, "is_authenticated", False) else None
    organisation = Agency.objects.create(
        name=name[:300], kind=kind, tax_code=(tax_code or "").strip()[:40], address=address.strip()[:500],
        contact_name=contact_name.strip()[:200], contact_email=contact_email.strip(),
        contact_phone=(contact_phone or "").strip()[:40], registered_by=registrant, registered_at=timezone.now(),
        verification=Verification.PENDING,
    )
    if registrant is not None:
        # the registration itself makes the registrant a member: a decision of this service, not of its caller
        membership_add(user=registrant, organisation=organisation, role_code=MEMBER, actor=access.SYSTEM)
    return organisation


def _decide(*, organisation: Agency, actor, verification: str, reason: str) -> Agency:
    from nq57.agencies.models import Verification

    access.require(access.can_verify_organisations(actor), "Chỉ Cơ quan Thường trực được xác minh tổ chức đăng ký.")
    organisation = Agency.objects.select_for_update().get(pk=organisation.pk)
    if organisation.verification != Verification.PENDING:
        raise ConflictError(f"Tổ chức này đã được xử lý ({organisation.get_verification_display().lower()}).")
    organisation.verification = verification
    organisation.verified_by, organisation.verified_at = actor, timezone.now()
    organisation.verification_reason = reason
    organisation.save()
    return organisation


@acting
@transaction.atomic
def organisation_verify(*, organisation: Agency, actor, note: str = "") -> Agency:
    """The Standing Office verifies a self-registered organisation: from now on it may publish."""
    from nq57.agencies.models import Verification

    return _decide(organisation=organisation, actor=actor, verification=Verification.VERIFIED,
                   reason=(note or "").strip())


@acting
@transaction.atomic
def organisation_reject(*, organisation: Agency, actor, reason: str) -> Agency:
    """The Standing Office rejects a registration, saying why (the registrant sees the reason)."""
    from nq57.agencies.models import Verification

    if not (reason or "").strip():
        raise ServiceError("Hãy ghi lý do từ chối.", field="reason")
    limits.check(problems := Problems(), "reason", "Lý do", reason.strip(), limits.NOTE)
    problems.raise_if_any()
    return _decide(organisation=organisation, actor=actor, verification=Verification.REJECTED, reason=reason.strip())
