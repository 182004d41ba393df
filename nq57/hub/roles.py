"""Roles of the 3 Nhà hub (registered in ``core.roles``); neither opens the internal monitoring pages.

A member acts for their organisation (an enterprise, university, institute, State body) in the hub: posts problems
and results, expresses interest, talks, records contracts and outcomes. Generic members (``accounts`` "member") may
do the same; the hub role exists so an organisation can give hub work to someone without other rights."""

from nq57.accounts.roles import MEMBER
from nq57.core.roles import register_role

HUB_MEMBER = register_role("hub_member", "Thành viên Sàn 3 Nhà", app="hub")

#: membership roles that let a person act for their organisation in the hub
ACTING_ROLES = (HUB_MEMBER, MEMBER, "focal_point")
