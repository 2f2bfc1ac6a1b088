"""A real PostgreSQL server for tests: Debian's binaries, a temporary data directory, 127.0.0.1, a free port.

initdb and postgres refuse to run as root, so as root (CI) they run as the
``postgres`` system user the Debian package creates, in a directory it owns.
"""

from __future__ import annotations

import os
import pwd
import re
import shutil
import subprocess
import tempfile
from glob import glob
from pathlib import Path

import pytest
from reminders_support import free_port


def binaries() -> Path:
    """The newest /usr/lib/postgresql/<version>/bin; missing is a failure, never a skip."""
    found = sorted(glob("/usr/lib/postgresql/*/bin/initdb"), key=lambda p: int(re.sub(r"\D", "", p.split("/")[4]) or 0))
    if not found:
        pytest.fail("PostgreSQL is not installed: run scripts/test (it installs Debian's postgresql) or apt-get install postgresql")
    return Path(found[-1]).parent


class PostgresServer:
    def __init__(self) -> None:
        self.bin = binaries()
        self.as_root = os.geteuid() == 0
        # As root, directly under /tmp: the postgres user must be able to reach it whatever $TMPDIR is.
        self.dir = Path(tempfile.mkdtemp(prefix="calendar-svc-pg-", dir="/tmp" if self.as_root else None))
        self.port = free_port()

    @property
    def url(self) -> str:
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/postgres"

    def _run(self, *args: str) -> None:
        command = [str(a) for a in args]
        if self.as_root:
            command = [shutil.which("runuser") or "/usr/sbin/runuser", "-u", "postgres", "--", *command]
        result = subprocess.run(command, capture_output=True, text=True, timeout=120, cwd=self.dir)
        if result.returncode != 0:
            log = (self.dir / "server.log").read_text(errors="replace") if (self.dir / "server.log").exists() else ""
            raise RuntimeError(f"{' '.join(command)} failed:\n{result.stdout}\n{result.stderr}\n{log}")

    def start(self) -> None:
        if self.as_root:
            user = pwd.getpwnam("postgres")
            os.chown(self.dir, user.pw_uid, user.pw_gid)
        data = self.dir / "data"
        self._run(self.bin / "initdb", "-D", data, "-U", "postgres", "--auth=trust", "--encoding=UTF8", "--locale=C", "--no-sync")
        options = f"-c listen_addresses=127.0.0.1 -p {self.port} -k {self.dir} -c fsync=off -c max_connections=50"
        self._run(self.bin / "pg_ctl", "-D", data, "-l", self.dir / "server.log", "-w", "-t", "60", "-o", options, "start")

    def stop(self) -> None:
        try:
            self._run(self.bin / "pg_ctl", "-D", self.dir / "data", "-m", "fast", "-w", "stop")
        finally:
            shutil.rmtree(self.dir, ignore_errors=True)


@pytest.fixture(scope="module")
def postgres():
    server = PostgresServer()
    server.start()
    yield server
    server.stop()
