"""The role registry: each app declares the roles a membership may carry, without editing a central list.

An app declares its roles in a ``roles.py`` module beside its models (imported at start-up by
``CoreConfig.ready`` through ``autodiscover_modules("roles")``)::

    OFFICE = register_role("office", "Cơ quan Thường trực", app="monitoring", staff=True)

``staff=True`` marks a staff-side role: a member holding it may open the internal pages (tasks, dashboards).
A membership's role is stored as its code; ``accounts.Membership`` checks the code against this registry.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class RoleInfo:
    code: str
    label: str
    app: str
    staff: bool = False


_ROLES: dict[str, RoleInfo] = {}


def register_role(code: str, label: str, *, app: str, staff: bool = False) -> str:
    """Declare a role; returns its code so the declaring module can keep it as a constant.

    Declaring the same code twice with the same meaning is harmless (module reloads); with another meaning it is
    an error, so two apps cannot quietly share a code."""
    info = RoleInfo(code=code, label=label, app=app, staff=staff)
    known = _ROLES.get(code)
    if known is not None and known != info:
        raise ValueError(f"Role {code!r} is already registered by app {known.app!r} as {known.label!r}.")
    _ROLES[code] = info
    return code


def role(code: str) -> RoleInfo | None:
    return _ROLES.get(code)


def role_label(code: str) -> str:
    info = _ROLES.get(code)
    return info.label if info else code


def all_roles() -> list[RoleInfo]:
    return sorted(_ROLES.values(), key=lambda r: (r.app, r.code))


def role_choices() -> list[tuple[str, str]]:
    return [(r.code, r.label) for r in all_roles()]


def staff_role_codes() -> frozenset[str]:
    return frozenset(code for code, info in _ROLES.items() if info.staff)
