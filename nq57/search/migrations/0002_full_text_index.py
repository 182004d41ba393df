"""The full-text structures beside ``search_searchentry``, per database (see ``search.models``)."""

from django.db import migrations

SQLITE_UP = [
    """CREATE VIRTUAL TABLE search_entry_fts USING fts5(
        kind, text_folded, content='search_searchentry', content_rowid='id',
        tokenize='unicode61 remove_diacritics 2')""",
    """CREATE TRIGGER search_entry_fts_ai AFTER INSERT ON search_searchentry BEGIN
        INSERT INTO search_entry_fts(rowid, kind, text_folded) VALUES (new.id, new.kind, new.text_folded);
    END""",
    """CREATE TRIGGER search_entry_fts_ad AFTER DELETE ON search_searchentry BEGIN
        INSERT INTO search_entry_fts(search_entry_fts, rowid, kind, text_folded)
        VALUES ('delete', old.id, old.kind, old.text_folded);
    END""",
    """CREATE TRIGGER search_entry_fts_au AFTER UPDATE OF kind, text_folded ON search_searchentry BEGIN
        INSERT INTO search_entry_fts(search_entry_fts, rowid, kind, text_folded)
        VALUES ('delete', old.id, old.kind, old.text_folded);
        INSERT INTO search_entry_fts(rowid, kind, text_folded) VALUES (new.id, new.kind, new.text_folded);
    END""",
    "INSERT INTO search_entry_fts(search_entry_fts) VALUES ('rebuild')",
]
SQLITE_DOWN = [
    "DROP TRIGGER IF EXISTS search_entry_fts_au",
    "DROP TRIGGER IF EXISTS search_entry_fts_ad",
    "DROP TRIGGER IF EXISTS search_entry_fts_ai",
    "DROP TABLE IF EXISTS search_entry_fts",
]
PG_UP = [
    """ALTER TABLE search_searchentry ADD COLUMN tsv tsvector
        GENERATED ALWAYS AS (to_tsvector('simple'::regconfig, text_folded)) STORED""",
    "CREATE INDEX search_entry_tsv_gin ON search_searchentry USING gin (tsv)",
]
PG_DOWN = [
    "DROP INDEX IF EXISTS search_entry_tsv_gin",
    "ALTER TABLE search_searchentry DROP COLUMN IF EXISTS tsv",
]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for sql in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [("search", "0001_entries")]

    operations = [
        migrations.RunPython(
            _run({"sqlite": SQLITE_UP, "postgresql": PG_UP}),
            _run({"sqlite": SQLITE_DOWN, "postgresql": PG_DOWN}),
        ),
    ]
