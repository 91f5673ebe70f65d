"""A test database no other run shares: each benchmark creates its own and drops it at the end,
so two benchmarks, or a benchmark and `make test`, never empty each other's tables."""

import os
import tempfile
from pathlib import Path

from django.db import connection


def throwaway_database(label: str) -> str:
    """Point the test database at a name of this run's own (the label, and the process id),
    for `connection.creation.create_test_db` to create; the name."""
    test = connection.settings_dict.setdefault("TEST", {})
    if connection.vendor == "sqlite":
        folder = Path(tempfile.gettempdir())
        test["NAME"] = str(folder / f"digital_maturity_{label}_{os.getpid()}.sqlite3")
    else:
        test["NAME"] = f"test_{connection.settings_dict['NAME']}_{label}_{os.getpid()}"
    return test["NAME"]
