"""gunicorn for production: `gunicorn -c gunicorn.conf.py config.wsgi`.

The app is not preloaded, so each worker opens its own database pool after the fork.

Shape: one process per core, each with a few threads (gthread). A request spends part of its
time waiting for PostgreSQL; the threads of a process fill those waits, and a gthread worker
keeps HTTP connections alive between requests (sync workers close each one). Measured with
`make bench BENCH_ARGS=billing` on the 2-core server: 15 ms of gunicorn CPU per counter
payment (lookup + post) with 2 processes x 4 threads, against 19 ms with 5 sync workers.
Keep DB_POOL_MAX_SIZE at least GUNICORN_THREADS, or threads queue for a connection.
"""

import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count()))
worker_class = os.environ.get("GUNICORN_WORKER_CLASS", "gthread")
threads = int(os.environ.get("GUNICORN_THREADS", "4"))
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
