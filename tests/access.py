"""The access matrix: for every URL of the project, what each persona gets.

Each app keeps its rows in `tests/<app>/access_table.py` as `ACCESS = [Row(...), ...]`. A view
that is not in a table fails `tests/test_access_matrix.py`, so a new view must say who may
open it. Codes are for a plain GET.
"""

import importlib
import pkgutil
from collections.abc import Callable
from dataclasses import dataclass, field

PERSONAS = [
    "anonymous",
    "director",
    "office",
    "lobby_manager",
    "shift_lead",
    "cashier",
    "cashier2",
    "other_cashier",
    "other_lead",
    "other_lobby_manager",
    "liaison",
]
STAFF = [p for p in PERSONAS if p != "anonymous"]


@dataclass
class Row:
    """Expected answers of one URL name. `kwargs(world)` builds the objects the URL needs."""

    name: str
    codes: dict[str, int]
    kwargs: Callable[[object], dict] | None = None
    query: str = ""
    note: str = ""
    follow_login: bool = field(default=True)

    def __post_init__(self):
        self.codes = {"anonymous": 302, **self.codes}
        missing = set(PERSONAS) - set(self.codes)
        if missing:
            raise ValueError(f"{self.name}: no expected code for {sorted(missing)}")


def everyone(code=200, **overrides):
    """Every logged-in persona gets `code`, except the overrides."""
    return {**dict.fromkeys(STAFF, code), **overrides}


def only(allowed: dict[str, int], otherwise=403):
    """The personas in `allowed` get their code; every other logged-in persona gets `otherwise`."""
    return {**dict.fromkeys(STAFF, otherwise), **allowed}


def access_rows() -> dict[str, Row]:
    """Every row of every `tests/<app>/access_table.py`, by URL name."""
    import tests

    rows = []
    for module in pkgutil.iter_modules(tests.__path__):
        if not module.ispkg:
            continue
        try:
            table = importlib.import_module(f"tests.{module.name}.access_table")
        except ModuleNotFoundError:
            continue
        rows.extend(table.ACCESS)
    return {row.name: row for row in rows}
