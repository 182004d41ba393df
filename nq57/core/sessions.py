"""The session engine (``settings.SESSION_ENGINE``): Django's database sessions, the same table and the same rows,
with the read that every signed-in request makes compiled once per process (``core.compiled``) instead of built by
the ORM each time. Switching to it (or back) signs nobody out."""

import datetime as dt

from django.contrib.sessions.backends.db import SessionStore as DatabaseSessionStore
from django.utils import timezone

from nq57.core.compiled import compiled_query


@compiled_query
def _live_session(*, session_key: str, now: dt.datetime):
    from django.contrib.sessions.models import Session

    return Session.objects.filter(session_key=session_key, expire_date__gt=now)


class SessionStore(DatabaseSessionStore):
    def _get_session_from_db(self):
        if not isinstance(self.session_key, str):  # no key (the base class answers "none" its own way)
            return super()._get_session_from_db()
        for session in _live_session(session_key=self.session_key, now=timezone.now()):
            return session
        self._session_key = None  # unknown or expired: as the base class does
        return None
