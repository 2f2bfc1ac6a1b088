"""LibreOffice headless, for the formats only it reads: .doc, .wps, .et, .xls, .rtf, .odt.

Each conversion runs in a fresh profile (parallel runs do not fight over a
lock), in its own process group, with a time limit: a hung converter is
killed with its children and reported, never waited for.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import tempfile
from pathlib import Path

from ..errors import InputError

#: The converter command; CALENDAR_SVC_SOFFICE names another (a wrapper, a test double).
SOFFICE_ENV = "CALENDAR_SVC_SOFFICE"


def soffice() -> str | None:
    """The LibreOffice executable, or None when it is not installed."""
    named = os.environ.get(SOFFICE_ENV)
    if named:
        return named
    return shutil.which("soffice") or shutil.which("libreoffice")


def convert(name: str, data: bytes, suffix: str, target: str, *, timeout: float) -> bytes:
    """``data`` (a file of type ``suffix``) converted by LibreOffice to ``target`` (``docx``, ``html``)."""
    program = soffice()
    if program is None:
        raise InputError(
            name,
            f"读取{suffix + ' ' if suffix else '这种'}文件需要 LibreOffice，但没有安装"
            "（Debian：apt-get install libreoffice-writer-nogui libreoffice-calc-nogui）",
        )
    with tempfile.TemporaryDirectory(prefix="calendar-svc-convert-") as folder:
        work = Path(folder)
        source = work / f"input{suffix}"
        source.write_bytes(data)
        out = work / "out"
        command = [
            program, "--headless", "--norestore", "--nologo", "--nolockcheck",
            f"-env:UserInstallation={(work / 'profile').as_uri()}",
            "--convert-to", target, "--outdir", str(out), str(source),
        ]
        process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, start_new_session=True)
        try:
            output, _ = process.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.communicate()
            raise InputError(name, f"LibreOffice 在 {timeout:g} 秒内没有转换完，已停止") from None
        results = list(out.glob("*")) if out.exists() else []
        if process.returncode != 0 or not results:
            detail = output.decode("utf-8", errors="replace").strip().splitlines()
            reason = detail[-1] if detail else f"退出状态 {process.returncode}"
            raise InputError(name, f"LibreOffice 无法转换（{reason[:200]}）")
        return results[0].read_bytes()
