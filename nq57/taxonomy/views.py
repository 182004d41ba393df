"""The strategic-technology catalogue in force, groups and their products, read-only."""

from django.shortcuts import render
from django.views.decorators.http import require_GET

from nq57.taxonomy import selectors


@require_GET
def catalogue(request):
    version = selectors.current_catalogue()
    groups = selectors.catalogue_groups(version)
    return render(request, "taxonomy/catalogue.html", {
        "version": version, "groups": groups, "product_count": sum(len(g.product_list) for g in groups),
    })
