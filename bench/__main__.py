"""Run every benchmark and print one line per figure."""

from __future__ import annotations

from bench import import_speed

if __name__ == "__main__":
    import_speed.main()
