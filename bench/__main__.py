"""Run every benchmark, print its figures and write them to bench/results.json
(see bench/README.md)."""

from __future__ import annotations

from bench import (
    export_speed,
    import_speed,
    indicator_speed,
    max_sending,
    merge_speed,
    planning,
    report_speed,
    results,
    sending,
    wave,
)

if __name__ == "__main__":
    import_speed.main()
    sending.main()
    max_sending.main()
    planning.main()
    report_speed.main()
    export_speed.main()
    merge_speed.main()
    indicator_speed.main()
    wave.main()
    print(f"figures written to {results.write()}")
