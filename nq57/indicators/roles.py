"""Roles of the indicators app (registered in ``core.roles``)."""

from nq57.core.roles import register_role

ASSESSOR = register_role("assessor", "Người đánh giá theo bộ tiêu chí", app="indicators", staff=True)
