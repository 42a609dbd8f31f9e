"""The servers the benchmarks measure: gunicorn as production runs it, or `make run`'s runserver.

Each server is a child process with its own environment; the benchmark process itself may set
Django up on one database only (settings are read once per process).
"""

import http.client
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
# Kept between runs and ignored by git (.gitignore: bench/results/).
RESULTS = BASE_DIR / "bench" / "results"


def production_environment(database_url, port, *, static_root=None):
    """config.settings.production without TLS (the benchmarks speak plain HTTP to gunicorn).

    With `static_root` (see `collect_static`) the static files are production's: hashed names,
    compressed, served by whitenoise with far-future cache headers. Without it the plain
    storage, for benchmarks that fetch no static file.
    """
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "DEBUG": "false",
        "DATABASE_URL": database_url,
        "SECRET_KEY": os.environ.get("BENCH_SECRET_KEY", secrets.token_urlsafe(64)),
        "SECURE_SSL_REDIRECT": "false",
        "SECURE_COOKIES": "false",
        "BEHIND_TLS_PROXY": "false",
        "SECURE_HSTS_SECONDS": "0",
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "GUNICORN_BIND": f"127.0.0.1:{port}",
        "GUNICORN_ACCESS_LOG": "off",
        # gunicorn's shape and the pool are production's (gunicorn.conf.py, settings) unless
        # set in the environment (WEB_CONCURRENCY, GUNICORN_THREADS, DB_POOL_MAX_SIZE, ...).
        "AXES_FAILURE_LIMIT": "1000",
        "LOG_LEVEL": "WARNING",
    }
    if static_root is None:
        env["STATICFILES_STORAGE"] = "django.contrib.staticfiles.storage.StaticFilesStorage"
    else:
        env["STATIC_ROOT"] = str(static_root)
        env.pop("STATICFILES_STORAGE", None)
    return env


def collect_static(env):
    """`collectstatic` with the settings of `env` into its STATIC_ROOT, as a deployment does."""
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "--clear", "--verbosity", "0"],
        cwd=BASE_DIR,
        env=env,
        check=True,
    )


def gunicorn_command(app: str) -> list[str]:
    """gunicorn of the virtualenv running the benchmark, with the project's configuration."""
    return [str(Path(sys.executable).parent / "gunicorn"), "-c", "gunicorn.conf.py", app]


def start(command, env, output=None) -> subprocess.Popen:
    """The server in a session of its own, so that `stop` ends it with its children (runserver's
    autoreloader runs the server in a child process); its output to the file `output`."""
    return subprocess.Popen(
        command,
        cwd=BASE_DIR,
        env=env,
        start_new_session=True,
        stdout=output,
        stderr=subprocess.STDOUT if output else None,
    )


def stop(server: subprocess.Popen) -> None:
    if server.poll() is None:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(port, server, path="/healthz"):
    """Until the server at `port` answers 200 on `path` (or its process has exited)."""
    for _ in range(300):
        if server.poll() is not None:
            raise RuntimeError(f"the server exited ({server.returncode})")
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("GET", path)
            if conn.getresponse().status == 200:
                return
        except OSError:
            pass
        time.sleep(0.2)
    raise RuntimeError("the server did not answer")
