"""Settings for the test suite: the real settings, with a throwaway data folder, fast hashing and local mail."""

import os
import tempfile

os.environ.setdefault("NQ57_TESTING", "1")
# Each process gets its own data folder (file cache, uploads, Huey's SQLite). pytest-xdist's workers inherit the
# controller's environment, so a ``setdefault`` here would have them share one folder and clear each other's cache.
os.environ["NQ57_DATA_DIR"] = tempfile.mkdtemp(prefix=f"nq57-test-{os.environ.get('PYTEST_XDIST_WORKER', 'main')}-")
os.environ.setdefault("HUEY_IMMEDIATE", "1")

from nq57.settings import *  # noqa: E402,F403

STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}  # noqa: F405
# the webhook tests receive on 127.0.0.1; nq57.core.tests.test_netguard turns it off
WEBHOOK_ALLOW_PRIVATE = True
