"""gunicorn for production: `gunicorn -c gunicorn.conf.py config.wsgi`.

The app is not preloaded, so each worker opens its own database pool after the fork.

Shape: sync workers, two per core. A request spends part of its time waiting for PostgreSQL;
the second process of a core fills those waits. Measured with `make bench BENCH_ARGS=billing`
on the 2-core server (20 cashiers, each on one kept-alive connection): gthread workers reached
the same CPU per payment (10.3 against 10.5 ms), but a gthread process keeps the connections
it accepted, so when more cashiers landed on one process they waited behind its one core
(p50 29 ms, p95 192 ms, and runs where one process sat idle); sync workers serve each request
by whichever process is free (p50 52 ms, p95 165 ms). Behind a proxy the same holds.
GUNICORN_WORKER_CLASS=gthread with GUNICORN_THREADS still works; keep DB_POOL_MAX_SIZE at
least GUNICORN_THREADS then, or threads queue for a connection.
"""

import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("WEB_CONCURRENCY", 2 * multiprocessing.cpu_count()))
worker_class = os.environ.get("GUNICORN_WORKER_CLASS", "sync")
threads = int(os.environ.get("GUNICORN_THREADS", "1"))
preload_app = False
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = 30
keepalive = 5
# Recycling a worker costs a Django start (about 0.6 s CPU here): at a few hundred requests
# a second, 2,000 meant a restart every few seconds.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "10000"))
max_requests_jitter = 500
# "off" (or empty) writes no access log at all; "/dev/null" would still format every line.
accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-")
if accesslog.lower() in ("", "off", "none"):
    accesslog = None
errorlog = "-"
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None
wsgi_app = "config.wsgi:application"
