"""gunicorn for production: `gunicorn -c gunicorn.conf.py config.wsgi`.

The app is not preloaded, so each worker opens its own database pool after the fork.
"""

import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count() * 2 + 1))
worker_class = os.environ.get("GUNICORN_WORKER_CLASS", "sync")
threads = int(os.environ.get("GUNICORN_THREADS", "1"))
preload_app = False
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = 30
keepalive = 5
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "2000"))
max_requests_jitter = 200
# "off" (or empty) writes no access log at all; "/dev/null" would still format every line.
accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-")
if accesslog.lower() in ("", "off", "none"):
    accesslog = None
errorlog = "-"
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None
wsgi_app = "config.wsgi:application"
