"""The query planner's statistics.

SQLite gathers none by itself: ``ANALYZE`` writes them (``sqlite_stat1``), and a table analysed while empty (a fresh
install's migrations) or never analysed leaves the planner guessing; at 100,000 tasks it then read the overview's
joins through the wrong index (270 ms instead of about 30; issue 11). ``statistics_refresh`` runs ``ANALYZE`` after
large imports (``exchange.batches``) and once a day (``core.tasks``): about 2 s on a 300 MB database. PostgreSQL's
autovacuum analyses changed tables itself, so nothing is done there."""

import logging

from django.db import connection

log = logging.getLogger(__name__)

#: an import of at least this many records refreshes the statistics when it finishes
AFTER_IMPORT_ROWS = 1000


def statistics_refresh() -> bool:
    """``ANALYZE`` the SQLite database; False (nothing done) on PostgreSQL."""
    if connection.vendor != "sqlite":
        return False
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    log.info("planner statistics refreshed (ANALYZE)")
    return True
