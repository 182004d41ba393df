"""No app imports another app's views or private (``_x``) names; each app owns its API router."""

import ast
from pathlib import Path

from django.apps import apps
from django.utils.module_loading import import_string

ROOT = Path(__file__).resolve().parents[2]  # the nq57 package
#: the 403 page still lives in accounts.views until it moves to one shared place
ALLOWED = {("nq57.accounts.views", "forbidden")}


def _imports():
    for path in ROOT.rglob("*.py"):
        if "tests" in path.parts or "migrations" in path.parts:
            continue
        app = path.relative_to(ROOT).parts[0]
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("nq57."):
                other = node.module.split(".")[1]
                if other != app:
                    for alias in node.names:
                        yield path.relative_to(ROOT), node.module, alias.name


def test_no_app_imports_another_apps_views_or_private_names():
    bad = [f"{path}: from {module} import {name}" for path, module, name in _imports()
           if (module.endswith(".views") or name.startswith("_")) and (module, name) not in ALLOWED]
    assert bad == []


def test_each_domain_app_mounts_its_own_api_router():
    from nq57.api.api import api

    declared = {config.label: config.api_router for config in apps.get_app_configs()
                if getattr(config, "api_router", "")}
    assert {"agencies", "notices", "tasks", "reports", "monitoring", "exchange", "api"} <= set(declared)
    for label, dotted in declared.items():
        if label != "api":
            assert dotted == f"nq57.{label}.api.router"
    mounted = {router for _, router in api._routers}
    assert {import_string(d) for d in declared.values()} <= mounted
