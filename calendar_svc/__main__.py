"""``python -m calendar_svc``: the same command line as ``calendar-svc``."""

from .launch import main

main(prog_name="calendar-svc")
