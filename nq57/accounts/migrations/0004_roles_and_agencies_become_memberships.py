"""Data: each user's role + agency becomes a membership (see ``roles_to_memberships``)."""

from django.db import migrations


STANDING_OFFICE_NAME = (
    "Cơ quan Thường trực Ban Chỉ đạo Trung ương về phát triển khoa học, công nghệ, đổi mới sáng tạo và chuyển đổi số"
)


def _standing_office(Agency):
    office = Agency.objects.filter(is_standing_office=True).first()
    if office is None:
        from nq57.extraction.vietnamese import fold

        office = Agency.objects.filter(name=STANDING_OFFICE_NAME).first() or Agency(
            name=STANDING_OFFICE_NAME, kind="steering_body", short_name="Cơ quan Thường trực",
            search_key=fold(STANDING_OFFICE_NAME))
        office.is_standing_office = True
        office.save()
    return office


def roles_to_memberships(apps, schema_editor):
    """Each user's old ``role`` + ``agency`` becomes one membership.

    - focal point of agency X -> role ``focal_point`` of X;
    - office staff -> role ``office`` of the Standing Office organisation (created here when missing);
    - leader -> role ``leader`` of their agency when they had one, else of the Standing Office organisation.
    """
    User = apps.get_model("accounts", "User")
    Agency = apps.get_model("agencies", "Agency")
    Membership = apps.get_model("accounts", "Membership")
    rows = list(User.objects.values_list("id", "role", "agency_id"))
    if not rows:
        return
    office_id = None
    memberships = []
    for user_id, role, agency_id in rows:
        if role == "focal_point" and agency_id:
            organisation_id = agency_id
        elif role == "leader" and agency_id:
            organisation_id = agency_id
        else:
            if office_id is None:
                office_id = _standing_office(Agency).pk
            organisation_id = office_id
        memberships.append(Membership(user_id=user_id, organisation_id=organisation_id, role=role or "leader"))
    Membership.objects.bulk_create(memberships, ignore_conflicts=True)


def memberships_to_roles(apps, schema_editor):
    """Backwards: the first staff-side membership of each user becomes their role and agency again."""
    User = apps.get_model("accounts", "User")
    Membership = apps.get_model("accounts", "Membership")
    rank = {"office": 0, "focal_point": 1, "leader": 2}
    best = {}
    for user_id, role, organisation_id, is_office in Membership.objects.values_list(
            "user_id", "role", "organisation_id", "organisation__is_standing_office"):
        if role in rank and (user_id not in best or rank[role] < rank[best[user_id][0]]):
            best[user_id] = (role, None if is_office and role != "focal_point" else organisation_id)
    for user_id, (role, agency_id) in best.items():
        User.objects.filter(pk=user_id).update(role=role, agency_id=agency_id)


class Migration(migrations.Migration):

    dependencies = [
        ('accounts', '0003_membership'),
    ]

    operations = [
        migrations.RunPython(roles_to_memberships, memberships_to_roles),
    ]
