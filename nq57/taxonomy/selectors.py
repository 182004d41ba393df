"""Reading the reference data: the current strategic-technology catalogue, and which themes / technologies a text is
about (whole-word matching, see ``matching``)."""

from collections.abc import Iterable

from nq57.taxonomy.matching import Text
from nq57.taxonomy.models import CatalogueVersion, Programme, TechnologyField, Theme


def default_programme() -> Programme | None:
    return Programme.objects.filter(is_default=True).first()


def themes_for_text(text: str, themes: Iterable[Theme] | None = None) -> list[Theme]:
    """Themes one of whose keywords the text mentions as whole words (folded: no diacritics, any case or form)."""
    prepared = Text(text)
    candidates = themes if themes is not None else Theme.objects.all()
    return [theme for theme in candidates if prepared.mentions_any(theme.keywords)]


def current_catalogue() -> CatalogueVersion | None:
    """The strategic-technology catalogue in force (the latest decision), or None on an empty install."""
    return CatalogueVersion.objects.filter(is_current=True).first()


def catalogue_groups(version: CatalogueVersion | None = None) -> list[TechnologyField]:
    """The groups of a catalogue version (the current one by default), each with ``product_list`` filled in order."""
    version = version or current_catalogue()
    if version is None:
        return []
    entries = list(TechnologyField.objects.filter(version=version).order_by("position", "id"))
    groups = [e for e in entries if e.parent_id is None]
    by_parent: dict[int, list[TechnologyField]] = {}
    for entry in entries:
        if entry.parent_id is not None:
            by_parent.setdefault(entry.parent_id, []).append(entry)
    for group in groups:
        group.product_list = by_parent.get(group.pk, [])
    return groups


def technologies_for_text(text: str, version: CatalogueVersion | None = None) -> list[TechnologyField]:
    """Entries of the catalogue (current by default) the text mentions: by their keywords, whole words.

    A product that matches brings its group too (the group first), so callers can file the text under either.
    """
    version = version or current_catalogue()
    if version is None:
        return []
    prepared = Text(text)
    entries = list(TechnologyField.objects.filter(version=version).order_by("position", "id"))
    hit = {e.pk for e in entries if prepared.mentions_any(e.keywords)}
    hit |= {e.parent_id for e in entries if e.pk in hit and e.parent_id is not None}
    return [e for e in entries if e.pk in hit]
