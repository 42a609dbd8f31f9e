"""A lean HTTP load client for the benchmarks, and the CPU accounting of a run.

The simulated users are coroutines on one asyncio loop in one thread, speaking HTTP/1.1 over
raw streams: no `requests`, no thread per user, no GIL hand-offs, and keep-alive whenever the
server keeps the connection (gunicorn's gthread workers do, its sync workers close every
connection). Responses stay bytes; callers search them with bytes patterns. On this 2-core
machine the client shares the CPU with the server and PostgreSQL, so its own cost is measured
(`CpuMeter`) and printed with the figures rather than assumed away.
"""

import asyncio
import os
import threading
import time
import urllib.parse
from dataclasses import dataclass, field

TICKS = os.sysconf("SC_CLK_TCK")


class HttpError(Exception):
    """The server closed or broke the connection in the middle of an answer."""


@dataclass
class Response:
    status: int
    headers: dict[str, str]
    body: bytes

    @property
    def location(self) -> str:
        return self.headers.get("location", "")


@dataclass
class Browser:
    """One simulated user: a cookie jar and at most one open connection."""

    port: int
    host: str = "127.0.0.1"
    cookies: dict[str, str] = field(default_factory=dict)
    reader: asyncio.StreamReader | None = None
    writer: asyncio.StreamWriter | None = None
    connections: int = 0

    async def request(self, method: str, url: str, fields=None) -> Response:
        body = b"" if fields is None else urllib.parse.urlencode(fields).encode()
        lines = [f"{method} {url} HTTP/1.1", f"Host: {self.host}:{self.port}"]
        if self.cookies:
            lines.append("Cookie: " + "; ".join(f"{k}={v}" for k, v in self.cookies.items()))
        if method == "POST":
            lines += [
                "Content-Type: application/x-www-form-urlencoded",
                f"Content-Length: {len(body)}",
                f"Referer: http://{self.host}:{self.port}{url}",
            ]
            if "csrftoken" in self.cookies:
                lines.append(f"X-CSRFToken: {self.cookies['csrftoken']}")
        raw = ("\r\n".join(lines) + "\r\n\r\n").encode() + body
        reused = self.writer is not None
        try:
            response = await self._exchange(raw)
        except (OSError, HttpError, asyncio.IncompleteReadError):
            self.close()
            if not reused:
                raise
            # A kept-alive connection the server had already closed (idle timeout): the
            # request never reached the application, so sending it again is safe.
            response = await self._exchange(raw)
        for value in response.headers.get("set-cookie", "").split("\n"):
            if value:
                name, _, rest = value.partition("=")
                self.cookies[name.strip()] = rest.split(";", 1)[0]
        return response

    async def _exchange(self, raw: bytes) -> Response:
        if self.writer is None:
            self.reader, self.writer = await asyncio.open_connection(self.host, self.port)
            self.connections += 1
        self.writer.write(raw)
        head = await self.reader.readuntil(b"\r\n\r\n")
        status_line, *header_lines = head.decode("latin-1").split("\r\n")
        headers: dict[str, str] = {}
        for line in header_lines:
            if line:
                name, _, value = line.partition(":")
                name = name.lower()
                value = value.strip()
                headers[name] = f"{headers[name]}\n{value}" if name in headers else value
        if "content-length" in headers:
            body = await self.reader.readexactly(int(headers["content-length"]))
        else:
            body = await self.reader.read()
            headers["connection"] = "close"
        if headers.get("connection", "").lower() == "close":
            self.close()
        return Response(int(status_line.split(" ", 2)[1]), headers, body)

    def close(self):
        if self.writer is not None:
            self.writer.close()
        self.reader = self.writer = None


def run_users(coroutines, browsers) -> tuple[float, list]:
    """Run the users' coroutines to their end on one loop: the wall time and their results.

    The browsers' connections belong to that loop, so they are closed before it ends.
    """

    async def everyone():
        try:
            return await asyncio.gather(*coroutines)
        finally:
            for browser in browsers:
                browser.close()

    started = time.monotonic()
    results = asyncio.run(everyone())
    return time.monotonic() - started, results


# --- CPU accounting -------------------------------------------------------------------------


def _proc_stat(pid) -> list[str] | None:
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().rsplit(")", 1)[1].split()
    except OSError:
        return None


def _process_seconds(pid, *, with_children=False) -> float:
    """utime+stime (and of the reaped children, cutime+cstime) of one process, in seconds."""
    fields = _proc_stat(pid)
    if fields is None:
        return 0.0
    ticks = int(fields[11]) + int(fields[12])
    if with_children:
        ticks += int(fields[13]) + int(fields[14])
    return ticks / TICKS


def _children(pid) -> list[int]:
    try:
        with open(f"/proc/{pid}/task/{pid}/children") as children:
            return [int(c) for c in children.read().split()]
    except OSError:
        return []


def _machine_busy() -> float:
    """Busy CPU seconds of the whole machine since boot (all cores)."""
    with open("/proc/stat") as stat:
        values = [int(v) for v in stat.readline().split()[1:]]
    idle = values[3] + values[4]
    return (sum(values[:8]) - idle) / TICKS


def database_backends(database: str):
    """A callable listing the pids of PostgreSQL backends connected to `database`.

    Read from the process titles ("postgres: user database host(port) state"), so that
    watching the backends opens no connection of its own.
    """
    marker = f" {database} ".encode()

    def pids():
        found = []
        for entry in os.listdir("/proc"):
            if entry.isdigit():
                try:
                    with open(f"/proc/{entry}/cmdline", "rb") as cmdline:
                        title = cmdline.read()
                except OSError:
                    continue
                if title.startswith(b"postgres: ") and marker in title:
                    found.append(int(entry))
        return found

    return pids


class CpuMeter:
    """CPU seconds spent by the client (this process), the server's process tree, the
    database's backends, and the whole machine, between `start` and `stop`.

    Backends come and go (gunicorn recycles workers, each with its own pool), so they are
    sampled every half second and a backend that exits keeps its last-seen time.
    """

    def __init__(self, server_pid: int, database_pids):
        self.server_pid = server_pid
        self.database_pids = database_pids
        self._seen: dict[int, float] = {}
        self._stopping = threading.Event()

    def _server(self) -> float:
        # Live workers' own time, plus workers the master has reaped (recycled ones).
        workers = sum(_process_seconds(pid) for pid in _children(self.server_pid))
        return workers + _process_seconds(self.server_pid, with_children=True)

    def _sample_database(self):
        for pid in self.database_pids():
            self._seen[pid] = max(self._seen.get(pid, 0.0), _process_seconds(pid))

    def _watch(self):
        while not self._stopping.wait(0.5):
            self._sample_database()

    def _snapshot(self):
        return {
            "wall": time.monotonic(),
            "client": time.process_time(),
            "server": self._server(),
            "machine": _machine_busy(),
        }

    def start(self):
        self._seen = {}
        self._sample_database()
        self._database_begin = dict(self._seen)
        self._stopping.clear()
        self._watcher = threading.Thread(target=self._watch, daemon=True)
        self._watcher.start()
        self.begin = self._snapshot()
        self.load_before = load_average()

    def stop(self) -> dict[str, float]:
        end = self._snapshot()
        self.load_after = load_average()
        self._stopping.set()
        self._watcher.join()
        self._sample_database()
        begin = self.begin
        database = sum(
            seconds - self._database_begin.get(pid, 0.0) for pid, seconds in self._seen.items()
        )
        used = {
            "wall": end["wall"] - begin["wall"],
            "client": end["client"] - begin["client"],
            "server": end["server"] - begin["server"],
            "database": database,
            "machine": end["machine"] - begin["machine"],
        }
        used["other"] = max(0.0, used["machine"] - used["client"] - used["server"] - database)
        return used


def load_average() -> str:
    one, five, fifteen = os.getloadavg()
    return f"{one:.2f}/{five:.2f}/{fifteen:.2f}"


def describe_cpu(used: dict[str, float], units: int, unit: str, load: str | None = None) -> str:
    """ "CPU per payment: client 1.2 ms, server 9.0 ms, ..." and the cores the run kept busy,
    with the load average `load` (what the phase saw) or else the current one."""
    per = {k: used[k] / units * 1000 if units else float("nan") for k in used if k != "wall"}
    cores = {k: used[k] / used["wall"] for k in used if k != "wall"}
    return (
        f"CPU per {unit}: client {per['client']:.2f} ms, gunicorn {per['server']:.2f} ms, "
        f"PostgreSQL {per['database']:.2f} ms, everything else {per['other']:.2f} ms; "
        f"cores busy {cores['machine']:.2f} of {os.cpu_count()} (client {cores['client']:.2f}, "
        f"gunicorn {cores['server']:.2f}, PostgreSQL {cores['database']:.2f}, "
        f"other {cores['other']:.2f}); load average {load or load_average()}"
    )
