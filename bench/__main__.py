"""Run every benchmark and print one line per figure (see bench/README.md)."""

from __future__ import annotations

from bench import export_speed, import_speed, planning, report_speed, sending

if __name__ == "__main__":
    import_speed.main()
    sending.main()
    planning.main()
    report_speed.main()
    export_speed.main()
