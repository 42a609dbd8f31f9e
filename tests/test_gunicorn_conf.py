"""gunicorn.conf.py: its shape (workers, threads) and its access log."""

import multiprocessing
import re
import runpy
from pathlib import Path

import pytest

GUNICORN_CONF = Path(__file__).resolve().parents[1] / "gunicorn.conf.py"


@pytest.mark.parametrize("value", ["off", "", "none"])
def test_gunicorn_writes_no_access_log_when_it_is_off(monkeypatch, value):
    monkeypatch.setenv("GUNICORN_ACCESS_LOG", value)
    assert runpy.run_path(str(GUNICORN_CONF))["accesslog"] is None


def test_gunicorn_defaults_to_two_sync_workers_per_core(monkeypatch):
    for name in ("GUNICORN_ACCESS_LOG", "GUNICORN_THREADS", "GUNICORN_WORKER_CLASS"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.delenv("WEB_CONCURRENCY", raising=False)
    conf = runpy.run_path(str(GUNICORN_CONF))

    assert conf["accesslog"] == "-"
    assert conf["worker_class"] == "sync"
    assert conf["workers"] == 2 * multiprocessing.cpu_count()


def test_gthread_threads_fit_in_the_default_pool(monkeypatch):
    monkeypatch.setenv("GUNICORN_WORKER_CLASS", "gthread")
    monkeypatch.setenv("GUNICORN_THREADS", "4")
    conf = runpy.run_path(str(GUNICORN_CONF))
    base = (Path(__file__).resolve().parents[1] / "config/settings/base.py").read_text()
    pool_max = int(re.search(r'"DB_POOL_MAX_SIZE", default=(\d+)', base)[1])

    assert conf["worker_class"] == "gthread"
    assert conf["threads"] <= pool_max
