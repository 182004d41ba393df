"""Every write of the hub: keyword-only arguments, one transaction, access checked inside (``core.access``).

Refusals are ``ServiceError``s with a plain-Vietnamese message and write nothing: an unverified organisation, a
brochure over the limit or of a wrong type, script in a text, the same item posted twice, too many posts in an hour.
"""

import datetime as dt
import re

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from nq57.agencies.models import Agency, AgencyKind
from nq57.core import access
from nq57.core.audit import acting
from nq57.core.errors import NotFoundError, PermissionDeniedError, ServiceError
from nq57.core.events import publish
from nq57.core.uploads import DOCUMENT_SIGNATURES, check_upload
from nq57.hub.models import (
    Contract,
    ContractMilestone,
    Deal,
    DealStage,
    IpStatus,
    Message,
    Offer,
    OfferKind,
    Outcome,
    OutcomeKind,
    Problem,
    ProblemAccess,
    ProblemStatus,
)
from nq57.text.vietnamese import canon, fold

#: who may post what (the notices: problems from enterprises and the State; results from universities, institutes
#: and enterprises)
PROBLEM_KINDS = frozenset({
    AgencyKind.ENTERPRISE, AgencyKind.MINISTRY, AgencyKind.MINISTERIAL_AGENCY, AgencyKind.GOVERNMENT_BODY,
    AgencyKind.PROVINCE, AgencyKind.UNIT, AgencyKind.STEERING_BODY,
})
OFFER_KINDS = frozenset({AgencyKind.UNIVERSITY, AgencyKind.ACADEMY, AgencyKind.INSTITUTE, AgencyKind.ENTERPRISE})

BROCHURE_TYPES = {ext: DOCUMENT_SIGNATURES[ext] for ext in (".pdf", ".docx", ".pptx", ".png", ".jpg", ".jpeg")}

NOT_VERIFIED = ("Tổ chức “{name}” chưa được Cơ quan Thường trực xác minh nên chưa được đăng nội dung lên Sàn 3 Nhà. "
                "Vui lòng chờ xác minh.")
NOT_MEMBER = "Bạn không phải thành viên của tổ chức “{name}” nên không thể đăng thay tổ chức này."

_SCRIPT = re.compile(r"<\s*/?\s*(script|iframe|object|embed|style|svg)\b|javascript\s*:|<[^>]*\son\w+\s*=", re.I)


def brochure_max_bytes() -> int:
    return getattr(settings, "HUB_BROCHURE_MAX_BYTES", 20 * 1024 * 1024)


def posts_per_hour() -> int:
    return getattr(settings, "HUB_POSTS_PER_HOUR", 10)


# --- checks shared by problems and offers -------------------------------------------------------------------------

def _require_publisher(actor, organisation: Agency, kinds: frozenset, what: str) -> None:
    if organisation is None:
        raise ServiceError("Vui lòng chọn tổ chức đăng.", field="organisation")
    if organisation.pk not in access.hub_organisation_ids(actor):
        raise PermissionDeniedError(NOT_MEMBER.format(name=organisation.name))
    if not organisation.can_publish:
        raise PermissionDeniedError(NOT_VERIFIED.format(name=organisation.name))
    if organisation.kind not in kinds:
        raise ServiceError(f"Tổ chức loại “{organisation.get_kind_display()}” không đăng {what} trên Sàn 3 Nhà.",
                           field="organisation")


def _clean_texts(values: dict, labels: dict[str, str]) -> dict:
    """Canonical Vietnamese (NFC, one tone-mark style), stripped; any script or event attribute refused."""
    cleaned, errors = {}, {}
    for name, value in values.items():
        text = canon(value or "").strip() if isinstance(value, str) else value
        if isinstance(text, str) and _SCRIPT.search(text):
            errors[name] = [f"“{labels.get(name, name)}” chứa mã lệnh (thẻ script, đường dẫn javascript: hoặc thuộc "
                            "tính sự kiện). Vui lòng chỉ nhập văn bản thường."]
        cleaned[name] = text
    for name, label in labels.items():
        if name in cleaned and cleaned[name] == "" and name in _REQUIRED:
            errors.setdefault(name, [f"Vui lòng nhập “{label}”."])
    if errors:
        first = next(iter(errors.values()))[0]
        raise ServiceError(first, errors=errors)
    return cleaned


_REQUIRED = {"title", "summary", "expected_result"}


def _check_trl(value, name: str) -> int:
    try:
        number = int(value)
    except (TypeError, ValueError):
        number = 0
    if not 1 <= number <= 9:
        raise ServiceError("Mức sẵn sàng công nghệ (TRL) phải từ 1 đến 9.", field=name)
    return number


def _check_money(values: dict) -> None:
    for name, value in values.items():
        if value is not None and value < 0:
            raise ServiceError("Số tiền không được âm.", field=name)


def _check_rate_and_duplicate(*, actor, organisation, model, title: str, exclude_pk=None) -> str:
    key = fold(title)[:300]
    same = model.objects.filter(organisation=organisation, title_key=key)
    if model is Problem:
        same = same.exclude(status=ProblemStatus.CLOSED)
    if exclude_pk:
        same = same.exclude(pk=exclude_pk)
    earlier = same.order_by("created_at").first()
    if earlier is not None:
        raise ServiceError(
            f"Tổ chức “{organisation.name}” đã đăng “{earlier.title}” ngày "
            f"{timezone.localtime(earlier.created_at):%d/%m/%Y}. Không đăng trùng; hãy sửa nội dung đã đăng.",
            field="title",
        )
    if exclude_pk is None:
        since = timezone.now() - dt.timedelta(hours=1)
        recent = (Problem.objects.filter(created_by=actor, created_at__gte=since).count()
                  + Offer.objects.filter(created_by=actor, created_at__gte=since).count())
        if recent >= posts_per_hour():
            raise ServiceError(f"Bạn đã đăng {recent} nội dung trong một giờ qua (tối đa {posts_per_hour()}). "
                               "Vui lòng thử lại sau.")
    return key


def _suggest_field(text: str):
    from nq57.taxonomy.selectors import technologies_for_text

    found = technologies_for_text(text)
    products = [f for f in found if f.parent_id is not None]
    return (products or found or [None])[0]


def _check_field(field):
    from nq57.taxonomy.selectors import current_catalogue

    if field is None:
        return None
    current = current_catalogue()
    if current is not None and field.version_id != current.pk:
        raise ServiceError("Lĩnh vực phải thuộc danh mục công nghệ chiến lược đang áp dụng.", field="field")
    return field


def search_index(kind: str, item) -> None:
    """The item's public text in the platform search (``nq57.search``): never a problem's confidential details."""
    from nq57.search.services import entry_index

    if kind == "problem":
        public = item.status != ProblemStatus.CLOSED
        text = "\n".join(p for p in (item.summary, item.expected_result, item.acceptance, item.ip_terms) if p)
    else:
        public = item.is_active
        text = "\n".join(p for p in (item.summary, item.expected_product, item.market_evidence, item.team,
                                      item.labs) if p)
    entry_index(kind=f"hub.{kind}", object_id=item.pk, title=item.title, text=text,
                is_public=public and item.organisation.can_publish, organisation_id=item.organisation_id)


def _after_save(kind: str, item, *, created: bool) -> None:
    search_index(kind, item)
    publish(f"hub.{kind}_posted" if created else "hub.item_updated", kind=kind, item_id=item.pk,
            organisation_id=item.organisation_id)


# --- problems -----------------------------------------------------------------------------------------------------

PROBLEM_LABELS = {
    "title": "Tên đầu bài", "summary": "Tóm tắt công khai", "expected_result": "Kết quả mong đợi",
    "acceptance": "Cách nghiệm thu", "timeline": "Tiến độ", "ip_terms": "Điều kiện chia sẻ sở hữu trí tuệ",
    "details": "Chi tiết bảo mật",
}


@acting
@transaction.atomic
def problem_create(*, actor, organisation: Agency, title: str, summary: str, expected_result: str,
                   trl_required: int, acceptance: str = "", field=None, budget_vnd: int | None = None,
                   cofunding_vnd: int | None = None, due_on: dt.date | None = None, timeline: str = "",
                   ip_terms: str = "", details: str = "") -> Problem:
    """An enterprise or a State body posts a problem (đầu bài) or an order (đặt hàng)."""
    _require_publisher(actor, organisation, PROBLEM_KINDS, "đầu bài, đặt hàng")
    texts = _clean_texts({"title": title, "summary": summary, "expected_result": expected_result,
                          "acceptance": acceptance, "timeline": timeline, "ip_terms": ip_terms, "details": details},
                         PROBLEM_LABELS)
    trl = _check_trl(trl_required, "trl_required")
    _check_money({"budget_vnd": budget_vnd, "cofunding_vnd": cofunding_vnd})
    key = _check_rate_and_duplicate(actor=actor, organisation=organisation, model=Problem, title=texts["title"])
    field = _check_field(field) or _suggest_field(f"{texts['title']}\n{texts['summary']}")
    problem = Problem.objects.create(organisation=organisation, created_by=actor, field=field, trl_required=trl,
                                     budget_vnd=budget_vnd, cofunding_vnd=cofunding_vnd, due_on=due_on,
                                     title_key=key, **texts)
    _after_save("problem", problem, created=True)
    return problem


@acting
@transaction.atomic
def problem_update(*, actor, problem: Problem, **changes) -> Problem:
    """The poster's organisation edits its problem (text, field, TRL, money, status)."""
    access.require(access.can_edit_hub_item(actor, problem), "Chỉ tổ chức đăng đầu bài mới được sửa đầu bài.")
    problem = Problem.objects.select_for_update().get(pk=problem.pk)
    texts = _clean_texts({k: v for k, v in changes.items() if k in PROBLEM_LABELS}, PROBLEM_LABELS)
    for name, value in texts.items():
        setattr(problem, name, value)
    if "trl_required" in changes:
        problem.trl_required = _check_trl(changes["trl_required"], "trl_required")
    for name in ("budget_vnd", "cofunding_vnd", "due_on"):
        if name in changes:
            setattr(problem, name, changes[name])
    _check_money({"budget_vnd": problem.budget_vnd, "cofunding_vnd": problem.cofunding_vnd})
    if "field" in changes:
        problem.field = _check_field(changes["field"])
    if "status" in changes:
        if changes["status"] not in ProblemStatus.values:
            raise ServiceError("Tình trạng không hợp lệ.", field="status")
        problem.status = changes["status"]
    problem.title_key = _check_rate_and_duplicate(actor=actor, organisation=problem.organisation, model=Problem,
                                                  title=problem.title, exclude_pk=problem.pk)
    problem.save()
    _after_save("problem", problem, created=False)
    return problem


@acting
@transaction.atomic
def problem_grant_access(*, actor, problem: Problem, organisation: Agency) -> ProblemAccess:
    """The poster approves a partner organisation to read the confidential details."""
    access.require(access.can_edit_hub_item(actor, problem),
                   "Chỉ tổ chức đăng đầu bài mới được cho phép đối tác xem chi tiết.")
    if organisation.pk == problem.organisation_id:
        raise ServiceError("Tổ chức của bạn đã xem được chi tiết đầu bài.")
    grant, created = ProblemAccess.objects.get_or_create(problem=problem, organisation=organisation,
                                                         defaults={"granted_by": actor})
    if created:
        publish("hub.access_granted", problem_id=problem.pk, organisation_id=organisation.pk)
    return grant


# --- offers -------------------------------------------------------------------------------------------------------

OFFER_LABELS = {
    "title": "Tên kết quả", "summary": "Tóm tắt", "expected_product": "Sản phẩm dự kiến",
    "market_evidence": "Bằng chứng nhu cầu thị trường", "team": "Nhóm nghiên cứu", "labs": "Phòng thí nghiệm, thiết bị",
    "licensing_terms": "Điều kiện chuyển giao, li-xăng",
}


def _check_brochure(brochure) -> None:
    if brochure:
        try:
            check_upload(brochure, max_bytes=brochure_max_bytes(), allowed=BROCHURE_TYPES)
        except ServiceError as exc:
            raise ServiceError(exc.message, field="brochure") from exc


@acting
@transaction.atomic
def offer_create(*, actor, organisation: Agency, title: str, summary: str, trl: int, kind: str = OfferKind.RESULT,
                 ip_status: str = IpStatus.NONE, field=None, expected_product: str = "", market_evidence: str = "",
                 team: str = "", labs: str = "", licensing_terms: str = "", asking_price_vnd: int | None = None,
                 brochure=None) -> Offer:
    """A university, an institute or an enterprise posts a result, an initiative or a technology offer."""
    _require_publisher(actor, organisation, OFFER_KINDS, "kết quả, sáng kiến")
    texts = _clean_texts({"title": title, "summary": summary, "expected_product": expected_product,
                          "market_evidence": market_evidence, "team": team, "labs": labs,
                          "licensing_terms": licensing_terms}, OFFER_LABELS)
    trl = _check_trl(trl, "trl")
    if kind not in OfferKind.values:
        raise ServiceError("Loại kết quả không hợp lệ.", field="kind")
    if ip_status not in IpStatus.values:
        raise ServiceError("Tình trạng sở hữu trí tuệ không hợp lệ.", field="ip_status")
    _check_money({"asking_price_vnd": asking_price_vnd})
    _check_brochure(brochure)
    key = _check_rate_and_duplicate(actor=actor, organisation=organisation, model=Offer, title=texts["title"])
    field = _check_field(field) or _suggest_field(f"{texts['title']}\n{texts['summary']}")
    offer = Offer(organisation=organisation, created_by=actor, field=field, trl=trl, kind=kind, ip_status=ip_status,
                  asking_price_vnd=asking_price_vnd, title_key=key, **texts)
    if brochure:
        offer.brochure_name = (brochure.name or "")[:300]
        offer.brochure.save(brochure.name, brochure, save=False)
    offer.save()
    _after_save("offer", offer, created=True)
    return offer


@acting
@transaction.atomic
def offer_update(*, actor, offer: Offer, **changes) -> Offer:
    access.require(access.can_edit_hub_item(actor, offer), "Chỉ tổ chức đăng kết quả mới được sửa kết quả.")
    offer = Offer.objects.select_for_update().get(pk=offer.pk)
    texts = _clean_texts({k: v for k, v in changes.items() if k in OFFER_LABELS}, OFFER_LABELS)
    for name, value in texts.items():
        setattr(offer, name, value)
    if "trl" in changes:
        offer.trl = _check_trl(changes["trl"], "trl")
    for name in ("asking_price_vnd", "is_active"):
        if name in changes:
            setattr(offer, name, changes[name])
    if "kind" in changes:
        if changes["kind"] not in OfferKind.values:
            raise ServiceError("Loại kết quả không hợp lệ.", field="kind")
        offer.kind = changes["kind"]
    if "ip_status" in changes:
        if changes["ip_status"] not in IpStatus.values:
            raise ServiceError("Tình trạng sở hữu trí tuệ không hợp lệ.", field="ip_status")
        offer.ip_status = changes["ip_status"]
    _check_money({"asking_price_vnd": offer.asking_price_vnd})
    brochure = changes.get("brochure")
    _check_brochure(brochure)
    if brochure:
        offer.brochure_name = (brochure.name or "")[:300]
        offer.brochure.save(brochure.name, brochure, save=False)
    if "field" in changes:
        offer.field = _check_field(changes["field"])
    offer.title_key = _check_rate_and_duplicate(actor=actor, organisation=offer.organisation, model=Offer,
                                                title=offer.title, exclude_pk=offer.pk)
    offer.save()
    _after_save("offer", offer, created=False)
    return offer


@acting
@transaction.atomic
def item_feature(*, actor, item, featured: bool = True):
    """The Standing Office features (or stops featuring) a problem or an offer on the hub's front page."""
    access.require(access.can_hub_moderate(actor), "Chỉ Cơ quan Thường trực được giới thiệu nội dung nổi bật.")
    type(item).objects.filter(pk=item.pk).update(is_featured=featured)
    item.is_featured = featured
    return item


def item_embed(*, kind: str, pk: int) -> bool:
    """Compute and store the sentence embedding of a problem or an offer (called by the job ``hub.tasks``).

    Written with a plain UPDATE of the three embedding columns: no history row, no ``updated_at`` change."""
    from nq57.text import embeddings

    model = Problem if kind == "problem" else Offer
    item = model.objects.filter(pk=pk).first()
    if item is None:
        return False
    from nq57.hub.matching import nearest_list

    vector = embeddings.passage(item.matching_text())
    model.objects.filter(pk=pk).update(embedding=embeddings.to_bytes(vector), embedding_model=embeddings.MODEL_NAME,
                                       embedded_at=timezone.now(), vector_list=nearest_list(kind, vector))
    return True


# --- from interest to outcome -------------------------------------------------------------------------------------

def _acting_party(actor, deal: Deal) -> int:
    mine = access.hub_organisation_ids(actor) & set(deal.party_ids())
    if not mine:
        raise PermissionDeniedError("Chỉ hai bên của kết nối hợp tác này mới được thực hiện việc này.")
    return deal.owner_id if deal.owner_id in mine else deal.partner_id


def _clean_message(body: str, label: str = "Nội dung") -> str:
    text = _clean_texts({"body": body}, {"body": label})["body"]
    if not text:
        raise ServiceError(f"Vui lòng nhập “{label}”.", field="body")
    return text


@acting
@transaction.atomic
def interest_express(*, actor, organisation: Agency, message: str, problem: Problem | None = None,
                     offer: Offer | None = None) -> Deal:
    """``organisation`` tells the poster of a problem (or an offer) it wants to work with them; the first message
    opens the conversation. With both ``problem`` and ``offer``: the partner proposes its own offer for the problem
    (or its own problem to the offer)."""
    if problem is None and offer is None:
        raise ServiceError("Vui lòng chọn đầu bài hoặc kết quả quan tâm.")
    target = problem if problem is not None and (offer is None or offer.organisation_id == organisation.pk) else offer
    if organisation.pk not in access.hub_organisation_ids(actor):
        raise PermissionDeniedError(NOT_MEMBER.format(name=organisation.name))
    if not organisation.can_publish:
        raise PermissionDeniedError(NOT_VERIFIED.format(name=organisation.name))
    if target.organisation_id == organisation.pk:
        raise ServiceError("Không thể bày tỏ quan tâm với nội dung của chính tổ chức mình.")
    if isinstance(target, Problem) and target.status == ProblemStatus.CLOSED:
        raise ServiceError("Đầu bài này đã đóng.")
    if isinstance(target, Offer) and not target.is_active:
        raise ServiceError("Kết quả này đã ngừng chào.")
    for own in (problem, offer):
        if own is not None and own is not target and own.organisation_id != organisation.pk:
            raise ServiceError("Nội dung kèm theo phải của tổ chức bạn.")
    body = _clean_message(message, "Lời nhắn")
    same_target = {"problem": target} if isinstance(target, Problem) else {"offer": target}
    existing = Deal.objects.filter(owner_id=target.organisation_id, partner=organisation, **same_target).exclude(
        stage=DealStage.WITHDRAWN).first()
    if existing is not None:
        raise ServiceError("Tổ chức của bạn đã bày tỏ quan tâm tới nội dung này; hãy tiếp tục trao đổi trong kết nối "
                           "đã mở.")
    deal = Deal.objects.create(problem=problem, offer=offer, owner_id=target.organisation_id, partner=organisation,
                               started_by=actor)
    Message.objects.create(deal=deal, author=actor, organisation=organisation, body=body)
    if isinstance(target, Problem) and target.status == ProblemStatus.OPEN:
        Problem.objects.filter(pk=target.pk).update(status=ProblemStatus.IN_TALKS)
    publish("hub.interest_expressed", deal_id=deal.pk, by_organisation_id=organisation.pk, author_id=actor.pk)
    return deal


@acting
@transaction.atomic
def message_post(*, actor, deal: Deal, body: str) -> Message:
    party = _acting_party(actor, deal)
    if deal.stage == DealStage.WITHDRAWN:
        raise ServiceError("Kết nối này đã dừng.")
    message = Message.objects.create(deal=deal, author=actor, organisation_id=party, body=_clean_message(body))
    if deal.stage == DealStage.INTEREST and party == deal.owner_id:
        deal.stage = DealStage.TALKS
    deal.save(update_fields=["stage", "updated_at"])
    publish("hub.message_posted", deal_id=deal.pk, by_organisation_id=party, author_id=actor.pk)
    return message


@acting
@transaction.atomic
def deal_agree(*, actor, deal: Deal, terms: str) -> Deal:
    """The parties record what they agreed (scope, price, IP), before the contract."""
    _acting_party(actor, deal)
    if deal.stage in (DealStage.CONTRACTED, DealStage.WITHDRAWN):
        raise ServiceError("Kết nối đã ký hợp đồng hoặc đã dừng; không ghi nhận thỏa thuận mới.")
    deal.agreed_terms = _clean_message(terms, "Nội dung thống nhất")
    deal.agreed_at = timezone.now()
    deal.stage = DealStage.AGREED
    deal.save()
    publish("hub.deal_agreed", deal_id=deal.pk, author_id=actor.pk)
    return deal


def _check_milestones(milestones) -> list[dict]:
    cleaned = []
    for row in milestones or ():
        title = canon(str(row.get("title", ""))).strip()
        due = row.get("due") or None
        if not title:
            continue
        if _SCRIPT.search(title):
            raise ServiceError("Mốc tiến độ chứa mã lệnh; vui lòng chỉ nhập văn bản.", field="milestones")
        if isinstance(due, dt.date):
            due = due.isoformat()
        if isinstance(due, str):
            try:
                due = dt.date.fromisoformat(due)
            except ValueError as exc:
                raise ServiceError(f"Ngày của mốc “{title[:60]}” không hợp lệ.", field="milestones") from exc
        cleaned.append({"title": title[:300], "due_on": due})
    return cleaned


@acting
@transaction.atomic
def contract_record(*, actor, deal: Deal, number: str, title: str, value_vnd: int, ip_split: str,
                    signed_on: dt.date, cofunding_vnd: int = 0, cofunder: Agency | None = None,
                    starts_on: dt.date | None = None, ends_on: dt.date | None = None,
                    milestones: list | None = None) -> Contract:
    """A contract signed between the parties (after agreement or straight from talks)."""
    _acting_party(actor, deal)
    if deal.stage == DealStage.WITHDRAWN:
        raise ServiceError("Kết nối này đã dừng.")
    if Contract.objects.filter(deal=deal).exists():
        raise ServiceError("Kết nối này đã có hợp đồng.")
    texts = _clean_texts({"number": number, "title": title, "ip_split": ip_split},
                         {"number": "Số hợp đồng", "title": "Tên hợp đồng", "ip_split": "Phân chia sở hữu trí tuệ"})
    for name, label in (("number", "Số hợp đồng"), ("title", "Tên hợp đồng"), ("ip_split", "Phân chia sở hữu trí tuệ")):
        if not texts[name]:
            raise ServiceError(f"Vui lòng nhập “{label}”.", field=name)
    _check_money({"value_vnd": value_vnd, "cofunding_vnd": cofunding_vnd})
    if starts_on and ends_on and ends_on < starts_on:
        raise ServiceError("Ngày kết thúc phải sau ngày bắt đầu.", field="ends_on")
    field = (deal.problem.field if deal.problem_id else None) or (deal.offer.field if deal.offer_id else None)
    contract = Contract.objects.create(deal=deal, value_vnd=value_vnd, cofunding_vnd=cofunding_vnd or 0,
                                       cofunder=cofunder, signed_on=signed_on, starts_on=starts_on, ends_on=ends_on,
                                       field=field, recorded_by=actor, **texts)
    bulk_create_with_history([ContractMilestone(contract=contract, position=index, **row)
                              for index, row in enumerate(_check_milestones(milestones), start=1)],
                             ContractMilestone, default_user=actor)
    deal.stage = DealStage.CONTRACTED
    deal.save(update_fields=["stage", "updated_at"])
    if deal.problem_id:
        Problem.objects.filter(pk=deal.problem_id).update(status=ProblemStatus.CONTRACTED)
    publish("hub.contract_recorded", deal_id=deal.pk, contract_id=contract.pk)
    return contract


@acting
@transaction.atomic
def outcome_record(*, actor, contract: Contract, kind: str, title: str, year: int, revenue_vnd: int = 0,
                   spinoff_name: str = "") -> Outcome:
    """What the collaboration produced: a product, a licence, a spin-off company, the revenue of a year."""
    _acting_party(actor, contract.deal)
    if kind not in OutcomeKind.values:
        raise ServiceError("Loại kết quả không hợp lệ.", field="kind")
    texts = _clean_texts({"title": title, "spinoff_name": spinoff_name},
                         {"title": "Mô tả ngắn", "spinoff_name": "Tên doanh nghiệp spin-off"})
    if not texts["title"]:
        raise ServiceError("Vui lòng nhập “Mô tả ngắn”.", field="title")
    if kind == OutcomeKind.SPINOFF and not texts["spinoff_name"]:
        raise ServiceError("Vui lòng nhập tên doanh nghiệp spin-off.", field="spinoff_name")
    if not isinstance(year, int) or not 2000 <= year <= timezone.localdate().year + 1:
        raise ServiceError("Năm không hợp lệ.", field="year")
    _check_money({"revenue_vnd": revenue_vnd})
    outcome = Outcome.objects.create(contract=contract, kind=kind, year=year, revenue_vnd=revenue_vnd or 0,
                                     recorded_by=actor, **texts)
    publish("hub.outcome_recorded", contract_id=contract.pk, outcome_id=outcome.pk)
    return outcome


def problem_for(user, pk: int) -> Problem:
    problem = Problem.objects.select_related("organisation", "field").filter(pk=pk).first()
    if problem is None:
        raise NotFoundError("Không tìm thấy đầu bài.")
    return problem


def deal_for(user, pk: int) -> Deal:
    """A deal the user is party to (or the office): ``NotFoundError`` otherwise (404, not 403)."""
    deal = (access.deals_visible_to(user).select_related("problem", "offer", "owner", "partner")
            .filter(pk=pk).first())
    if deal is None:
        raise NotFoundError("Không tìm thấy kết nối hợp tác.")
    return deal


# --- stopping a deal, closing a problem, withdrawing an offer, contract milestones (issue 14, pages) ----------------

def _clean_reason(reason: str, label: str = "Lý do") -> str:
    return _clean_texts({"reason": reason or ""}, {"reason": label})["reason"][:2000]


def _open_deals(**item):
    return Deal.objects.filter(**item).exclude(stage__in=(DealStage.CONTRACTED, DealStage.WITHDRAWN))


@acting
@transaction.atomic
def deal_withdraw(*, actor, deal: Deal, reason: str = "") -> Deal:
    """Either party stops a deal that has no contract yet; the other party is told by mail. A problem left without
    any other open deal goes back from "in talks" to "open"."""
    party = _acting_party(actor, deal)
    deal = Deal.objects.select_for_update().get(pk=deal.pk)
    if deal.stage == DealStage.WITHDRAWN:
        raise ServiceError("Kết nối này đã dừng.")
    if deal.stage == DealStage.CONTRACTED:
        raise ServiceError("Kết nối đã ký hợp đồng nên không dừng được trên Sàn; việc chấm dứt hợp đồng theo thỏa "
                           "thuận giữa hai bên.")
    deal.stage = DealStage.WITHDRAWN
    deal.withdrawn_by_id = party
    deal.withdrawn_at = timezone.now()
    deal.withdraw_reason = _clean_reason(reason)
    deal.save()
    if deal.problem_id and not _open_deals(problem_id=deal.problem_id).exists():
        Problem.objects.filter(pk=deal.problem_id, status=ProblemStatus.IN_TALKS).update(status=ProblemStatus.OPEN)
    publish("hub.deal_withdrawn", deal_id=deal.pk, by_organisation_id=party, author_id=actor.pk)
    return deal


def _item_closed(kind: str, item, *, actor, reason: str) -> None:
    # the history row says why (simple-history keeps 100 characters of it; the mail carries the whole reason)
    item._change_reason = (reason or ("Đóng đầu bài" if kind == "problem" else "Ngừng chào kết quả"))[:100]
    item.save()
    search_index(kind, item)  # off the public search
    deal_ids = list(_open_deals(**{kind: item}).values_list("pk", flat=True))
    publish("hub.problem_closed" if kind == "problem" else "hub.offer_withdrawn", kind=kind, item_id=item.pk,
            organisation_id=item.organisation_id, deal_ids=deal_ids, author_id=actor.pk, reason=reason)


@acting
@transaction.atomic
def problem_close(*, actor, problem: Problem, reason: str = "") -> Problem:
    """The poster closes its problem: off the public pages and search, no new interest; the organisations in open
    talks about it are told by mail (their deals stay, either side may stop them)."""
    access.require(access.can_edit_hub_item(actor, problem), "Chỉ tổ chức đăng đầu bài mới được đóng đầu bài.")
    problem = Problem.objects.select_for_update().get(pk=problem.pk)
    if problem.status == ProblemStatus.CLOSED:
        raise ServiceError("Đầu bài này đã đóng.")
    problem.status = ProblemStatus.CLOSED
    _item_closed("problem", problem, actor=actor, reason=_clean_reason(reason))
    return problem


@acting
@transaction.atomic
def offer_withdraw(*, actor, offer: Offer, reason: str = "") -> Offer:
    """The poster stops offering a result: off the public pages and search; the organisations in open talks about it
    are told by mail."""
    access.require(access.can_edit_hub_item(actor, offer), "Chỉ tổ chức đăng kết quả mới được ngừng chào kết quả.")
    offer = Offer.objects.select_for_update().get(pk=offer.pk)
    if not offer.is_active:
        raise ServiceError("Kết quả này đã ngừng chào.")
    offer.is_active = False
    _item_closed("offer", offer, actor=actor, reason=_clean_reason(reason))
    return offer


@acting
@transaction.atomic
def milestone_mark_done(*, actor, milestone: ContractMilestone, done_on: dt.date, note: str = "") -> ContractMilestone:
    """A party of the contract marks one of its milestones done (date, note); the other party is told by mail."""
    milestone = ContractMilestone.objects.select_for_update().select_related("contract__deal").get(pk=milestone.pk)
    party = _acting_party(actor, milestone.contract.deal)
    if milestone.done_on is not None:
        raise ServiceError(f"Mốc “{milestone.title}” đã được ghi nhận hoàn thành ngày "
                           f"{milestone.done_on:%d/%m/%Y}.")
    if not isinstance(done_on, dt.date):
        raise ServiceError("Vui lòng nhập ngày hoàn thành.", field="done_on")
    if done_on > timezone.localdate():
        raise ServiceError("Ngày hoàn thành không được sau hôm nay.", field="done_on")
    if done_on < milestone.contract.signed_on:
        raise ServiceError("Ngày hoàn thành không được trước ngày ký hợp đồng.", field="done_on")
    milestone.note = _clean_texts({"note": note or ""}, {"note": "Ghi chú"})["note"]
    milestone.done_on, milestone.done_by, milestone.done_by_organisation_id = done_on, actor, party
    milestone.save()
    publish("hub.milestone_done", deal_id=milestone.contract.deal_id, milestone_id=milestone.pk,
            by_organisation_id=party, author_id=actor.pk)
    return milestone
