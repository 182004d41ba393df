"""The menu's addresses are reversed once per process (``core.context_processors.nav_urls``): each entry is the
address of its view, under the deployment's script prefix too."""

import re

from django.urls import reverse, set_script_prefix

from nq57.core.context_processors import NAV_VIEWS, nav_urls


def test_every_menu_entry_leads_to_its_view(cast, client_for):
    body = client_for(cast.office).get("/").content.decode()
    menu = body[body.index('<nav class="mainnav">'):body.index("</nav>")]
    links = set(re.findall(r'href="([^"]+)"', menu))
    expected = {reverse(NAV_VIEWS[name]) for name in ("overview_all", "notices", "import", "tasks", "agencies",
                                                      "dashboard", "consolidated", "notifications", "indicators",
                                                      "api_tokens", "registrations", "admin", "hub", "intake_queue")}
    assert expected <= links and "" not in links


def test_a_script_prefix_gets_its_own_addresses():
    try:
        set_script_prefix("/nq57/")
        prefixed = nav_urls("/nq57/")
        assert prefixed["tasks"] == "/nq57/tasks/"
    finally:
        set_script_prefix("/")
    assert nav_urls("/")["tasks"] == "/tasks/"
