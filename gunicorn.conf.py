"""gunicorn settings read from the working directory (``gunicorn nq57.wsgi -b ...`` picks this file up).

Threaded workers (gthread) keep connections alive between requests and overlap database waits; the default sizing is
for a 2-core machine: 2 processes x 4 threads. Override with WEB_CONCURRENCY / GUNICORN_THREADS. Each worker is
restarted after about 2,000 requests so its memory stays bounded.
"""

import os

workers = int(os.environ.get("WEB_CONCURRENCY", "2"))
worker_class = "gthread"
threads = int(os.environ.get("GUNICORN_THREADS", "4"))
keepalive = 5
max_requests = 2000
max_requests_jitter = 200
timeout = 60
