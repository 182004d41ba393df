"""gunicorn settings read from the working directory (``gunicorn nq57.wsgi -b ...`` picks this file up).

Threaded workers (gthread) keep connections alive between requests. Sizing: two processes per core, one request at a
time each (4 x 1 on a 2-core machine). A kept-alive connection stays with the worker that accepted it, and a gthread
worker goes on accepting while it holds fewer than ``worker_connections``: with gunicorn's default (1,000) a few
connections can pile onto one process and leave a core idle (measured on 2 cores, 4 kept-alive connections to the
agency list: 4 x 2 put 3 or all 4 connections on one process, 52-102 requests/s from run to run, p99 up to 600 ms).
Each worker here holds at most ``2 x threads`` connections: one being answered and one kept alive per thread
(gunicorn keeps ``worker_connections - threads`` idle connections), so four connections reach at least two processes.
Fewer would switch keep-alive off (gunicorn closes every connection when it may keep none idle). Behind nginx
(README's deployment) the proxy holds the clients' connections; GUNICORN_WORKER_CONNECTIONS raises the bound for
many direct clients. Override the sizing with WEB_CONCURRENCY / GUNICORN_THREADS. The application is loaded once in
the master before the workers fork (``preload_app``), so a worker restarted after its ``max_requests`` answers at once
and shares the loaded code's memory; each worker's own memory stays bounded by that restart. (Preloaded: a new
release needs a restart of the master, not a HUP.)
"""

import os

workers = int(os.environ.get("WEB_CONCURRENCY", str(2 * (os.cpu_count() or 1))))
worker_class = "gthread"
threads = int(os.environ.get("GUNICORN_THREADS", "1"))
keepalive = 5
worker_connections = int(os.environ.get("GUNICORN_WORKER_CONNECTIONS", str(2 * threads)))
preload_app = True
max_requests = 10000
max_requests_jitter = 1000
timeout = 60
