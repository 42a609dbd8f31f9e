"""Run the benchmarks: `python -m bench [name ...]` (names are bench_<name>.py in this folder).

Each module has `main() -> int`; it prints its figures and returns non-zero when a target is
missed. PostgreSQL benchmarks read BENCH_DATABASE_URL (see README, "Benchmarks").

One benchmark runs in this process. Several (with no name: all of them) run each in a process
of its own: Django reads its settings once per process, and each benchmark chooses its own
(test settings, or production behind gunicorn), so a second benchmark in the same process
would run with the first one's settings (e.g. its ALLOWED_HOSTS).
"""

import importlib
import os
import pkgutil
import subprocess
import sys
import time
from pathlib import Path


def available() -> list[str]:
    here = Path(__file__).parent
    return sorted(
        m.name.removeprefix("bench_")
        for m in pkgutil.iter_modules([str(here)])
        if m.name.startswith("bench_")
    )


def _load_average() -> str:
    return "/".join(f"{value:.2f}" for value in os.getloadavg())


def main(argv):
    names = available()
    chosen = argv or names
    unknown = set(chosen) - set(names)
    if unknown:
        print(f"unknown benchmark(s) {sorted(unknown)}; available: {names}")
        return 2
    if len(chosen) == 1:
        print(f"=== bench {chosen[0]} (load average {_load_average()})", flush=True)
        return 1 if importlib.import_module(f"bench.bench_{chosen[0]}").main() else 0
    results = []
    for name in chosen:
        started = time.monotonic()
        # `-m bench NAME`: the same entry point, alone in its process, from the project folder.
        code = subprocess.call(
            [sys.executable, "-m", "bench", name], cwd=Path(__file__).resolve().parent.parent
        )
        results.append((name, code, time.monotonic() - started))
    print("=== summary")
    for name, code, seconds in results:
        print(f"{name:20} {'ok' if code == 0 else f'FAILED ({code})':12} {seconds:6.0f} s")
    print(f"load average {_load_average()}")
    return 1 if any(code for _name, code, _seconds in results) else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
