"""Run the benchmarks: `python -m bench [name ...]` (names are bench_<name>.py in this folder).

Each module has `main() -> int`; it prints its figures and returns non-zero when a target is
missed. PostgreSQL benchmarks read BENCH_DATABASE_URL (see README, "Benchmarks").
"""

import importlib
import pkgutil
import sys
from pathlib import Path


def main(argv):
    here = Path(__file__).parent
    available = sorted(
        m.name.removeprefix("bench_")
        for m in pkgutil.iter_modules([str(here)])
        if m.name.startswith("bench_")
    )
    chosen = argv or available
    unknown = set(chosen) - set(available)
    if unknown:
        print(f"unknown benchmark(s) {sorted(unknown)}; available: {available}")
        return 2
    failures = 0
    for name in chosen:
        print(f"=== bench {name}")
        failures += bool(importlib.import_module(f"bench.bench_{name}").main())
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
