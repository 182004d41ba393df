"""Roles of the monitoring side (registered in ``core.roles``); all three open the internal pages."""

from nq57.core.roles import register_role

OFFICE = register_role("office", "Cơ quan Thường trực", app="monitoring", staff=True)
FOCAL_POINT = register_role("focal_point", "Cán bộ đầu mối", app="monitoring", staff=True)
LEADER = register_role("leader", "Lãnh đạo", app="monitoring", staff=True)
