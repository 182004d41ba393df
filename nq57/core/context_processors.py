from functools import lru_cache

from django.urls import get_script_prefix, reverse
from django.utils.functional import SimpleLazyObject

#: the menu's entries (``base.html``: ``{{ nav.tasks }}``) and the views they lead to
NAV_VIEWS = {
    "my_home": "accounts:home",
    "admin": "admin:index",
    "agencies": "agencies:agency_list",
    "register": "agencies:register",
    "registrations": "agencies:registrations",
    "api_tokens": "api_tokens:token_list",
    "hub": "hub:home",
    "indicators": "indicators:dashboard",
    "intake_inbox": "intake:inbox",
    "intake_public": "intake:public_list",
    "intake_queue": "intake:queue",
    "logout": "logout",
    "consolidated": "monitoring:consolidated",
    "dashboard": "monitoring:dashboard",
    "my_agency": "monitoring:my_agency",
    "notifications": "monitoring:notifications",
    "overview": "monitoring:overview",
    "overview_all": "monitoring:overview_all",
    "import": "notices:import_start",
    "notices": "notices:notice_list",
    "tasks": "tasks:task_list",
}


@lru_cache(maxsize=8)
def nav_urls(script_prefix: str) -> dict[str, str]:
    """The menu's addresses under ``script_prefix``: the URLconf does not change while the process runs, so they are
    reversed once (twenty ``{% url %}`` tags were 0.4 ms of every page)."""
    return {name: reverse(view) for name, view in NAV_VIEWS.items()}


def navigation(request):
    """The menu's addresses (``nav``) and the role flags the base template uses to show or hide menu entries
    (computed from the user's memberships)."""
    nav = nav_urls(get_script_prefix())
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav": nav, "is_office": False, "is_focal_point": False, "is_staff_side": False,
                "my_organisation": None}

    def organisation():
        from nq57.accounts.selectors import primary_organisation

        return primary_organisation(user)

    return {"nav": nav, "is_office": user.is_office, "is_focal_point": user.is_focal_point,
            "is_staff_side": user.is_staff_side, "my_organisation": SimpleLazyObject(organisation)}


def static_assets(request):
    """Paths of bundled front-end assets whose location carries their version (cached by browsers for a year):
    ``{% static plotly_js %}`` on every page that draws a chart."""
    from django.conf import settings

    return {"plotly_js": f"{settings.PLOTLY_STATIC_DIR}/plotly.min.js"}
