"""Measures the CPU one password hash costs with Argon2 (the service's hasher) against
Django's default PBKDF2, in one run: the cost every sign-in pays.

Run with `.venv/bin/python benchmarks/password_hashing.py`. It prints the median wall and CPU
time per hash of each, and the ratio of their CPU times (goal: Argon2 at most 0.6 of PBKDF2's).
"""

import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django

django.setup()

from django.contrib.auth.hashers import get_hasher  # noqa: E402

ROUNDS = 7
GOAL = 0.6


def cost(algorithm: str) -> tuple[float, float]:
    hasher = get_hasher(algorithm)
    walls, cpus = [], []
    for n in range(ROUNDS):
        wall, cpu = time.perf_counter(), time.process_time()
        hasher.encode(f"a council officer's password {n}", hasher.salt())
        walls.append(time.perf_counter() - wall)
        cpus.append(time.process_time() - cpu)
    return statistics.median(walls), statistics.median(cpus)


def main() -> int:
    figures = {name: cost(name) for name in ("pbkdf2_sha256", "argon2")}
    print(f"{'hasher':<16}{'wall (s)':>10}{'cpu (s)':>10}")
    for name, (wall, cpu) in figures.items():
        print(f"{name:<16}{wall:>10.3f}{cpu:>10.3f}")
    ratio = figures["argon2"][1] / figures["pbkdf2_sha256"][1]
    verdict = "ok" if ratio <= GOAL else "MISSED"
    print(f"argon2 CPU ÷ pbkdf2 CPU: {ratio:.2f} (goal ≤ {GOAL}) {verdict}")
    return 0 if ratio <= GOAL else 1


if __name__ == "__main__":
    sys.exit(main())
