"""Errors that carry where the problem is, so users can fix their input."""

from __future__ import annotations

import errno


class CalendarSvcError(Exception):
    """Base class: the CLI prints these as one clear line and exits non-zero."""


class InputError(CalendarSvcError):
    """Bad input: names the file, the line (when known) and the problem."""

    def __init__(self, file: str, problem: str, line: int | None = None) -> None:
        self.file = file
        self.line = line
        self.problem = problem
        where = f"{file}:{line}" if line else file
        super().__init__(f"{where}: {problem}")


#: What the operating system said, as a reader says it; the system's own (English) words for the rest.
_OS_PROBLEMS = {
    errno.ENOENT: "文件不存在",
    errno.EACCES: "没有读写权限",
    errno.EPERM: "没有权限",
    errno.EISDIR: "是目录，不是文件",
    errno.ENOTDIR: "路径中有一段不是目录",
    errno.ENOSPC: "磁盘已满",
    errno.EROFS: "文件系统只读",
    errno.ENAMETOOLONG: "文件名太长",
}

#: A connection that failed, as a reader says it. Only these: an ``ssl.SSLError`` is an OSError too, and its
#: errno (1, ``SSL_ERROR_SSL``) would read as EPERM; TLS and DNS failures keep the library's own words.
_NETWORK_PROBLEMS = {
    errno.ECONNREFUSED: "对方拒绝连接",
    errno.ECONNRESET: "连接被对方断开",
    errno.ETIMEDOUT: "连接超时",
    errno.EHOSTUNREACH: "到不了该主机",
    errno.ENETUNREACH: "到不了该网络",
}


def os_problem(exc: OSError) -> str:
    """An OSError as the problem part of an :class:`InputError` (``文件不存在``, not ``No such file or directory``)."""
    known = _OS_PROBLEMS.get(exc.errno) if isinstance(exc.errno, int) else None
    return known or exc.strerror or str(exc)


def network_problem(exc: BaseException) -> str | None:
    """A refused, reset or unroutable connection in Chinese (``对方拒绝连接``); None for any other error."""
    code = getattr(exc, "errno", None)
    return _NETWORK_PROBLEMS.get(code) if isinstance(exc, OSError) and isinstance(code, int) else None
