"""Benchmarks run by `make bench`; each prints one JSON line of results at the end."""
