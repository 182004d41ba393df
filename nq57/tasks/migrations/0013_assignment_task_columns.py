# Written for issue 11 (one agency's open tasks counted and narrowed from an index, without reading each task).

from django.db import migrations, models

# --- the triggers that keep the task columns copied on tasks_taskassignment (see TaskAssignment.task_status) -------
# Self-contained on purpose (a migration must not change when the app's code does). The columns are nullable and
# have no default so that SQLite adds them with ALTER TABLE (a table rebuild would drop the tally's triggers on it).
#
# - a task written (inserted, or one of COPIED changed): its assignments get the new values;
# - an assignment written (inserted, or updated by any writer, e.g. a model save() carrying stale copies): it gets
#   its task's values. (Inserting an assignment before its task, in one transaction, is covered by the task's
#   insert trigger.) A writer that already gives the task's values (the bulk import) costs SQLite one task lookup.

ASSIGNMENT = "tasks_taskassignment"
#: task column -> copy on the assignment
COPIED = {"status": "task_status", "parent_id": "task_parent_id", "deadline_due": "task_deadline_due"}


def _sqlite(cursor) -> None:
    from_task = ", ".join(COPIED.values())
    task_cols = ", ".join(COPIED)
    copy_new = ", ".join(f"{copy} = NEW.{col}" for col, copy in COPIED.items())
    changed = " OR ".join(f"OLD.{col} IS NOT NEW.{col}" for col in COPIED)
    cursor.execute(f"CREATE TRIGGER tasks_asg_copy_task_ins AFTER INSERT ON tasks_task FOR EACH ROW\n"
                   f"BEGIN\nUPDATE {ASSIGNMENT} SET {copy_new} WHERE task_id = NEW.id;\nEND")
    cursor.execute(f"CREATE TRIGGER tasks_asg_copy_task_upd AFTER UPDATE ON tasks_task FOR EACH ROW "
                   f"WHEN ({changed})\nBEGIN\nUPDATE {ASSIGNMENT} SET {copy_new} WHERE task_id = NEW.id;\nEND")
    # SQLite cannot change NEW in a trigger: the assignment is rewritten after the fact when its copies differ
    # (recursive triggers are off: this UPDATE does not fire the trigger again)
    differs = (f"EXISTS (SELECT 1 FROM tasks_task t WHERE t.id = NEW.task_id AND ("
               + " OR ".join(f"t.{col} IS NOT NEW.{copy}" for col, copy in COPIED.items()) + "))")
    for event in ("INSERT", "UPDATE"):
        cursor.execute(f"CREATE TRIGGER tasks_asg_copy_asg_{event.lower()} AFTER {event} ON {ASSIGNMENT} "
                       f"FOR EACH ROW WHEN ({differs})\nBEGIN\nUPDATE {ASSIGNMENT} SET ({from_task}) = "
                       f"(SELECT {task_cols} FROM tasks_task t WHERE t.id = NEW.task_id) WHERE id = NEW.id;\nEND")


def _postgresql(cursor) -> None:
    copy_new = ", ".join(f"{copy} = NEW.{col}" for col, copy in COPIED.items())
    changed = " OR ".join(f"OLD.{col} IS DISTINCT FROM NEW.{col}" for col in COPIED)
    cursor.execute(f"CREATE FUNCTION tasks_asg_copy_task() RETURNS trigger LANGUAGE plpgsql AS $$\nBEGIN\n"
                   f"UPDATE {ASSIGNMENT} SET {copy_new} WHERE task_id = NEW.id;\nRETURN NULL;\nEND\n$$")
    cursor.execute("CREATE TRIGGER tasks_asg_copy_task_ins AFTER INSERT ON tasks_task FOR EACH ROW "
                   "EXECUTE FUNCTION tasks_asg_copy_task()")
    cursor.execute(f"CREATE TRIGGER tasks_asg_copy_task_upd AFTER UPDATE ON tasks_task FOR EACH ROW "
                   f"WHEN ({changed}) EXECUTE FUNCTION tasks_asg_copy_task()")
    # before the row is written: whatever the writer put in the copies, they are the task's
    cursor.execute(f"CREATE FUNCTION tasks_asg_copy_asg() RETURNS trigger LANGUAGE plpgsql AS $$\nBEGIN\n"
                   f"SELECT {', '.join(COPIED)} INTO {', '.join(f'NEW.{c}' for c in COPIED.values())} "
                   f"FROM tasks_task WHERE id = NEW.task_id;\nRETURN NEW;\nEND\n$$")
    cursor.execute(f"CREATE TRIGGER tasks_asg_copy_asg BEFORE INSERT OR UPDATE ON {ASSIGNMENT} FOR EACH ROW "
                   "EXECUTE FUNCTION tasks_asg_copy_asg()")


def create_triggers(apps, schema_editor):
    connection = schema_editor.connection
    with connection.cursor() as cursor:
        (_postgresql if connection.vendor == "postgresql" else _sqlite)(cursor)
        # the assignments already there, from their tasks
        cursor.execute(f"UPDATE {ASSIGNMENT} SET ({', '.join(COPIED.values())}) = (SELECT {', '.join(COPIED)} "
                       f"FROM tasks_task t WHERE t.id = {ASSIGNMENT}.task_id)")


def drop_triggers(apps, schema_editor):
    connection = schema_editor.connection
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("DROP TRIGGER IF EXISTS tasks_asg_copy_task_ins ON tasks_task")
            cursor.execute("DROP TRIGGER IF EXISTS tasks_asg_copy_task_upd ON tasks_task")
            cursor.execute(f"DROP TRIGGER IF EXISTS tasks_asg_copy_asg ON {ASSIGNMENT}")
            cursor.execute("DROP FUNCTION IF EXISTS tasks_asg_copy_task()")
            cursor.execute("DROP FUNCTION IF EXISTS tasks_asg_copy_asg()")
        else:
            for name in ("tasks_asg_copy_task_ins", "tasks_asg_copy_task_upd", "tasks_asg_copy_asg_insert",
                         "tasks_asg_copy_asg_update"):
                cursor.execute(f"DROP TRIGGER IF EXISTS {name}")


class Migration(migrations.Migration):

    dependencies = [
        ("agencies", "0003_organisation_registration_and_verification"),
        ("tasks", "0012_assignment_index_covers_task"),
    ]

    operations = [
        migrations.AddField(
            model_name="taskassignment",
            name="task_deadline_due",
            field=models.DateField(editable=False, null=True),
        ),
        migrations.AddField(
            model_name="taskassignment",
            name="task_parent_id",
            field=models.BigIntegerField(editable=False, null=True),
        ),
        migrations.AddField(
            model_name="taskassignment",
            name="task_status",
            field=models.CharField(choices=[("open", "Chưa hoàn thành"), ("partly_done", "Hoàn thành một phần"),
                                            ("done", "Hoàn thành")], editable=False, max_length=20, null=True),
        ),
        migrations.RunPython(create_triggers, drop_triggers),
        # the new index before the old one goes: no moment without an index on the agency
        migrations.AddIndex(
            model_name="taskassignment",
            index=models.Index(fields=["agency", "role", "task_status", "task_parent_id", "task_deadline_due", "task"],
                               name="tasks_asg_agency_task_cols_idx"),
        ),
        migrations.RemoveIndex(
            model_name="taskassignment",
            name="tasks_asg_agency_role_task_idx",
        ),
    ]
