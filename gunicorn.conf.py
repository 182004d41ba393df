"""gunicorn settings read from the working directory (``gunicorn nq57.wsgi -b ...`` picks this file up).

Threaded workers (gthread) keep connections alive between requests. Sizing: two processes per core with two threads
each (4 x 2 on a 2-core machine). A kept-alive connection stays with the worker that accepted it, so with as many
processes as cores a few connections can pile onto one process and leave a core idle (measured on 2 cores, 4
connections to the task page: 2 x 4 gave 36-126 requests/s from run to run, 4 x 2 gave 102-129). Override with
WEB_CONCURRENCY / GUNICORN_THREADS. The application is loaded once in the master before the workers fork
(``preload_app``), so a worker restarted after its ``max_requests`` answers at once and shares the loaded code's
memory; each worker's own memory stays bounded by that restart. (Preloaded: a new release needs a restart of the
master, not a HUP.)
"""

import os

workers = int(os.environ.get("WEB_CONCURRENCY", str(2 * (os.cpu_count() or 1))))
worker_class = "gthread"
threads = int(os.environ.get("GUNICORN_THREADS", "2"))
keepalive = 5
# a gthread worker accepts new connections while it holds fewer than ``worker_connections`` (gunicorn's default:
# 1,000), so one process could take every kept-alive connection and serve them on its one core while the others sit
# idle (measured: 4 connections on the agency list used 1.1 of 2 cores, at half the throughput). Holding no more
# connections than it has threads, a busy worker leaves new ones to the others. Behind nginx (README's deployment)
# the proxy keeps the clients' connections; GUNICORN_WORKER_CONNECTIONS raises the bound for direct clients.
worker_connections = int(os.environ.get("GUNICORN_WORKER_CONNECTIONS", str(threads)))
preload_app = True
max_requests = 10000
max_requests_jitter = 1000
timeout = 60
