"""Exactly once in effect: a worker killed (SIGKILL) between claiming a reminder and sending it loses nothing — the
claim, never confirmed, is taken over after the timeout by the next scan, which sends the reminder once."""

import contextlib
import datetime as dt
import os
import signal
import sqlite3
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
import time_machine
from django.conf import settings
from django.core import mail
from django.db import connection
from django.utils import timezone

from nq57.core.testing import build_cast, make_task
from nq57.monitoring import alerts
from nq57.monitoring.models import Dispatch, Notification
from nq57.monitoring.tests.test_alerts import own_connection

DUE = dt.date(2025, 10, 15)
TODAY = DUE - dt.timedelta(days=7)
REPO = Path(settings.BASE_DIR).parent  # BASE_DIR is the nq57 package

CHILD = textwrap.dedent(f"""
    import datetime as dt
    import django
    django.setup()
    from django.conf import settings
    settings.EMAIL_BACKEND = "nq57.monitoring.tests.hanging_mail.HangingBackend"
    from nq57.monitoring import alerts
    alerts.daily_scan(today=dt.date.fromisoformat("{TODAY.isoformat()}"))
""")


def _database_url(database_file) -> str:
    if database_file is not None:
        return f"sqlite:///{database_file}"
    db = connection.settings_dict
    auth = db["USER"] + (f":{db['PASSWORD']}" if db.get("PASSWORD") else "")
    return f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


def _wait_for(path: Path, child: subprocess.Popen) -> None:
    for _ in range(1200):  # up to about a minute on a busy machine; not a timing assertion, only a wait
        if path.exists():
            return
        if child.poll() is not None:
            pytest.fail(f"the child scan ended before sending: {child.stderr.read().decode()[-2000:]}")
        time.sleep(0.05)
    child.kill()
    pytest.fail("the child scan never reached the sending step")


@pytest.mark.django_db(transaction=True)
def test_a_worker_killed_between_claim_and_send_loses_no_reminder_and_sends_it_once(tmp_path):
    cast = build_cast()
    cast.alice.email = "alice@most.gov.vn"
    cast.alice.save()
    task = make_task(notice=cast.notice, lead=[cast.kh], due=DUE, path="7", text="Ban hành chiến lược dữ liệu")
    baseline = Notification.objects.count()  # the "task assigned" notices of the cast's and this task's creation
    database_file = None
    if connection.vendor == "sqlite":  # the in-memory test database cannot be shared with another process
        database_file = tmp_path / "crash.sqlite3"
        connection.ensure_connection()
        target = sqlite3.connect(database_file)
        connection.connection.backup(target)
        target.close()

    marker = tmp_path / "sending"
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "nq57.settings_test", "DATABASE_URL": _database_url(database_file),
           "NQ57_HANG_MARKER": str(marker), "REMINDER_DAYS_BEFORE": "7,3,1"}
    child = subprocess.Popen([sys.executable, "-c", CHILD], env=env, cwd=REPO, stdout=subprocess.DEVNULL,
                             stderr=subprocess.PIPE)
    try:
        _wait_for(marker, child)  # claimed, committed, and now in the middle of sending the mail
    finally:
        os.kill(child.pid, signal.SIGKILL)
        child.wait()
    assert child.returncode == -signal.SIGKILL

    with own_connection(database_file) if database_file else contextlib.nullcontext():
        claim = Dispatch.objects.get(kind=alerts.TASK_REMINDER)
        assert (claim.object_id, claim.recipient_id, claim.step, claim.sent_at) == (task.pk, cast.alice.pk, 7, None)
        assert Notification.objects.count() == baseline  # nothing was shown or sent
        mail.outbox.clear()

        # right after the crash the claim is still fresh: its worker might be sending; nobody sends it
        assert alerts.daily_scan(today=TODAY).reminders == 0
        assert mail.outbox == []

        later = timezone.now() + dt.timedelta(minutes=settings.NOTIFY_CLAIM_TIMEOUT_MINUTES + 1)
        with time_machine.travel(later, tick=False):
            from nq57.monitoring.tasks import run_claims_retry

            assert "daily" in run_claims_retry(TODAY.isoformat())  # the periodic retry sees the stale claim
            assert alerts.daily_scan(today=TODAY).reminders == 0  # a second run, after it: nothing more

        assert len(mail.outbox) == 1 and mail.outbox[0].to == ["alice@most.gov.vn"]
        assert "Nhắc hạn" in mail.outbox[0].subject
        reminders = Notification.objects.filter(kind=alerts.TASK_REMINDER)
        assert reminders.count() == 1 and reminders.get().target == task
        claim.refresh_from_db()
        assert claim.sent_at is not None and claim.attempts == 2
        assert Dispatch.objects.filter(kind=alerts.TASK_REMINDER).count() == 1
