"""Changing the reference data: publishing a new version of the strategic-technology catalogue."""

import datetime as dt

from django.db import transaction

from nq57.core.access import can_manage_notices, require
from nq57.core.audit import acting
from nq57.core.errors import ServiceError
from nq57.taxonomy.models import CatalogueVersion, TechnologyField


@acting
@transaction.atomic
def catalogue_publish(
    *, actor, decision_number: str, issued_on: dt.date, title: str, groups: list[dict], issuer: str = "",
    note: str = "",
) -> CatalogueVersion:
    """Record a new decision as the current catalogue; the previous one stays, superseded, with all its entries.

    ``groups``: ``[{"code", "name", "keywords", "products": [{"code", "name", "keywords"}, ...]}, ...]``.
    """
    require(can_manage_notices(actor), "Chỉ Cơ quan Thường trực được cập nhật danh mục công nghệ chiến lược.")
    decision_number = (decision_number or "").strip()
    if not decision_number:
        raise ServiceError("Cần nhập số quyết định.", field="decision_number")
    if CatalogueVersion.objects.filter(decision_number=decision_number).exists():
        raise ServiceError(f"Đã có danh mục theo {decision_number}.", field="decision_number")
    if not groups:
        raise ServiceError("Danh mục cần có ít nhất một nhóm công nghệ.", field="groups")
    previous = CatalogueVersion.objects.select_for_update().filter(is_current=True).first()
    if previous is not None:
        previous.is_current = False
        previous.save(update_fields=["is_current"])
    version = CatalogueVersion.objects.create(
        decision_number=decision_number, issued_on=issued_on, title=title, issuer=issuer, note=note,
        is_current=True, supersedes=previous,
    )
    position = 0
    for group in groups:
        position += 1
        parent = TechnologyField.objects.create(
            version=version, code=str(group["code"]), name=group["name"], keywords=list(group.get("keywords", [])),
            position=position,
        )
        for product in group.get("products", []):
            position += 1
            TechnologyField.objects.create(
                version=version, parent=parent, code=str(product["code"]), name=product["name"],
                keywords=list(product.get("keywords", [])), position=position,
            )
    return version
