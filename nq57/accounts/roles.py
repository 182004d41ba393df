"""Generic roles any app may use for a membership (registered in ``core.roles``); neither opens internal pages."""

from nq57.core.roles import register_role

MEMBER = register_role("member", "Thành viên", app="accounts")
REVIEWER = register_role("reviewer", "Người thẩm định", app="accounts")
