"""Benchmarks: run with ``make bench``; figures and how to read them are in bench/README.md."""
