"""Benchmarks: scripts run by hand (`.venv/bin/python benchmarks/<name>.py`), each printing
its figures against its goals."""
