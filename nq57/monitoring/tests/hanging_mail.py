"""A mail backend for the crash test's child process: says it is sending (a marker file), then never returns."""

import os
import pathlib
import time

from django.core.mail.backends.base import BaseEmailBackend


class HangingBackend(BaseEmailBackend):
    def send_messages(self, email_messages):
        pathlib.Path(os.environ["NQ57_HANG_MARKER"]).write_text("sending", encoding="utf-8")
        while True:  # killed from outside
            time.sleep(1)
