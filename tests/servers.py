"""Private, throw-away servers for tests: Virtuoso and Oxigraph instances, and servers that misbehave.

Each instance gets its own database directory and free 127.0.0.1 ports, so
tests never touch a system Virtuoso and can run side by side.
"""

from __future__ import annotations

import contextlib
import re
import shutil
import socket
import subprocess
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

TEMPLATE_INI = Path("/usr/share/virtuoso-opensource-7/virtuoso.ini")
VIRTUOSO = "virtuoso-t"
ISQL = "isql-vt"
STARTUP_TIMEOUT = 60.0


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def patch_ini(text: str, settings: dict[str, dict[str, str]]) -> str:
    """Set `key = value` per section, replacing every existing (even duplicated) key.

    Done line by line rather than with configparser because the template has
    duplicate keys and inline `;` comments that configparser would mangle.
    """
    out: list[str] = []
    section = ""
    pending: dict[str, str] = {}

    def flush() -> None:
        out.extend(f"{k} = {v}" for k, v in pending.items())

    for line in text.splitlines():
        m = re.match(r"\s*\[([^\]]+)\]", line)
        if m:
            flush()
            section = m.group(1)
            pending = dict(settings.get(section, {}))
            out.append(line)
            continue
        key = re.match(r"\s*([A-Za-z0-9_]+)\s*=", line)
        wanted = settings.get(section, {})
        if key and key.group(1) in wanted:
            out.append(f"{key.group(1)} = {wanted[key.group(1)]}")
            pending.pop(key.group(1), None)
            continue
        out.append(line)
    flush()
    seen = set(re.findall(r"^\s*\[([^\]]+)\]", text, re.M))
    for name, values in settings.items():
        if name not in seen:
            out.append(f"[{name}]")
            out.extend(f"{k} = {v}" for k, v in values.items())
    return "\n".join(out) + "\n"


@dataclass
class VirtuosoServer:
    """Handle on a running private instance."""

    workdir: Path
    http_port: int
    isql_port: int
    process: subprocess.Popen

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.http_port}"

    @property
    def sparql_url(self) -> str:
        return f"{self.base_url}/sparql"

    @property
    def gsp_url(self) -> str:
        return f"{self.base_url}/sparql-graph-crud"

    def isql(self, sql: str) -> str:
        """Run SQL as dba and return the output; raise if any statement failed.

        Put each statement on its own line ending in ``;``: isql-vt reads
        statements line by line.  It exits 0 even when a statement fails,
        so its output is scanned for errors.
        """
        sql = sql.strip()
        if not sql.endswith(";"):
            sql += ";"
        proc = subprocess.run(
            [ISQL, f"127.0.0.1:{self.isql_port}", "dba", "dba", "VERBOSE=OFF", "BANNER=OFF", "PROMPT=OFF"],
            input=sql + "\n",
            capture_output=True,
            text=True,
            timeout=60,
        )
        output = proc.stdout + proc.stderr
        if proc.returncode != 0 or re.search(r"\*\*\* Error|^Error ", output, re.M):
            raise RuntimeError(f"isql failed for {sql!r}:\n{output}")
        return output

    def log(self) -> str:
        path = self.workdir / "virtuoso.log"
        return path.read_text(errors="replace") if path.exists() else ""


def _wait_for_http(server: VirtuosoServer, deadline: float) -> None:
    """Poll /sparql until it answers a trivial ASK (Virtuoso accepts TCP before it is ready)."""
    url = server.sparql_url + "?query=ASK%7B%7D"
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            raise RuntimeError(f"virtuoso-t exited with {server.process.returncode}:\n{server.log()[-3000:]}")
        try:
            with urllib.request.urlopen(url, timeout=2) as resp:
                if resp.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError, OSError):
            pass
        time.sleep(0.1)
    raise RuntimeError(f"Virtuoso did not answer on {server.sparql_url}:\n{server.log()[-3000:]}")


def _stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)


@contextlib.contextmanager
def virtuoso_server(
    workdir: Path,
    *,
    max_rows: int = 1_000_000,
    max_execution_time: int = 60,
    settings: dict[str, dict[str, str]] | None = None,
) -> Iterator[VirtuosoServer]:
    """Start a private Virtuoso in `workdir`, yield it ready for SPARQL updates, stop it on exit.

    `max_rows` sets ResultSetMaxRows, so a low value lets tests provoke the
    silent truncation real public endpoints apply; `settings` overrides any
    other ini value, per section.
    """
    if shutil.which(VIRTUOSO) is None or shutil.which(ISQL) is None:
        raise RuntimeError("virtuoso-opensource is not installed (virtuoso-t, isql-vt)")
    workdir = Path(workdir).resolve()
    workdir.mkdir(parents=True, exist_ok=True)
    http_port, isql_port = free_port(), free_port()
    while isql_port == http_port:
        isql_port = free_port()
    vsp = workdir / "vsp"
    vsp.mkdir(exist_ok=True)
    d = str(workdir)
    ini = patch_ini(
        TEMPLATE_INI.read_text(),
        {
            "Database": {
                "DatabaseFile": f"{d}/virtuoso.db",
                "ErrorLogFile": f"{d}/virtuoso.log",
                "LockFile": f"{d}/virtuoso.lck",
                "TransactionFile": f"{d}/virtuoso.trx",
                "xa_persistent_file": f"{d}/virtuoso.pxa",
                "FileExtend": "100",
            },
            "TempDatabase": {
                "DatabaseFile": f"{d}/virtuoso-temp.db",
                "TransactionFile": f"{d}/virtuoso-temp.trx",
            },
            "Parameters": {
                "ServerPort": f"127.0.0.1:{isql_port}",
                "DirsAllowed": f"., {d}, /usr/share/virtuoso-opensource-7/vad",
                "NumberOfBuffers": "10000",
                "MaxDirtyBuffers": "6000",
                "MaxQueryMem": "256M",
                "ThreadsPerQuery": "2",
                "CheckpointInterval": "0",
                "VADInstallDir": "/usr/share/virtuoso-opensource-7/vad/",
            },
            "HTTPServer": {
                "ServerPort": f"127.0.0.1:{http_port}",
                "ServerRoot": str(vsp),
                "ServerThreads": "10",
                "MaxKeepAlives": "10",
            },
            "SPARQL": {
                "ResultSetMaxRows": str(max_rows),
                "MaxQueryExecutionTime": str(max_execution_time),
            },
            "URIQA": {"DefaultHost": f"127.0.0.1:{http_port}"},
        },
    )
    if settings:
        ini = patch_ini(ini, settings)
    # Plugins are not needed and slow down startup.
    ini = re.sub(r"(?m)^Load\d+\s*=.*$", "", ini)
    ini_path = workdir / "virtuoso.ini"
    ini_path.write_text(ini)
    stdout = open(workdir / "virtuoso-t.out", "wb")
    process = subprocess.Popen(
        [VIRTUOSO, "+foreground", "+configfile", str(ini_path)],
        cwd=workdir,
        stdout=stdout,
        stderr=subprocess.STDOUT,
        stdin=subprocess.DEVNULL,
    )
    server = VirtuosoServer(workdir, http_port, isql_port, process)
    try:
        _wait_for_http(server, time.monotonic() + STARTUP_TIMEOUT)
        server.isql('GRANT SPARQL_UPDATE TO "SPARQL";')
        yield server
    finally:
        _stop(process)
        stdout.close()


# ------------------------------------------------------------------ Oxigraph

import urllib.parse  # noqa: E402  (used by the Oxigraph helpers only)

OXIGRAPH = "oxigraph"


@dataclass
class OxigraphServer:
    """Handle on a running private ``oxigraph serve`` (SPARQL 1.1 Protocol and Graph Store)."""

    port: int
    process: subprocess.Popen
    logfile: Path

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def query_url(self) -> str:
        return f"{self.base_url}/query"

    @property
    def update_url(self) -> str:
        return f"{self.base_url}/update"

    @property
    def store_url(self) -> str:
        return f"{self.base_url}/store"

    def load(self, path: Path, content_type: str = "text/turtle", graph: str | None = None) -> None:
        """Add a file to the default graph (or `graph`) with a Graph Store Protocol POST."""
        query = "default" if graph is None else "graph=" + urllib.parse.quote(graph, safe="")
        request = urllib.request.Request(f"{self.store_url}?{query}", data=Path(path).read_bytes(),
                                         method="POST", headers={"Content-Type": content_type})
        with urllib.request.urlopen(request, timeout=30) as resp:
            if resp.status not in (200, 201, 204):
                raise RuntimeError(f"loading {path} into Oxigraph gave HTTP {resp.status}")

    def stop(self) -> None:
        _stop(self.process)

    def log(self) -> str:
        return self.logfile.read_text(errors="replace") if self.logfile.exists() else ""


def _wait_for_oxigraph(server: OxigraphServer, deadline: float) -> None:
    url = server.query_url + "?query=" + urllib.parse.quote("ASK {}")
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            raise RuntimeError(f"oxigraph serve exited with {server.process.returncode}:\n{server.log()[-3000:]}")
        try:
            request = urllib.request.Request(url, headers={"Accept": "application/sparql-results+json"})
            with urllib.request.urlopen(request, timeout=2) as resp:
                if resp.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError, OSError):
            pass
        time.sleep(0.05)
    raise RuntimeError(f"Oxigraph did not answer on {server.query_url}:\n{server.log()[-3000:]}")


@contextlib.contextmanager
def oxigraph_server(workdir: Path, *, data: tuple[Path, ...] | list[Path] = (), persistent: bool = True,
                    startup_timeout: float = 30.0) -> Iterator[OxigraphServer]:
    """Start ``oxigraph serve`` on a free 127.0.0.1 port, load `data`, yield it, stop it on exit.

    The database lives in ``workdir/db`` (in memory if not `persistent`);
    the server's output goes to ``workdir/oxigraph.log``.  The process is
    terminated (killed if need be) however the block ends.
    """
    if shutil.which(OXIGRAPH) is None:
        raise RuntimeError("the oxigraph server is not installed (pip install oxigraph)")
    workdir = Path(workdir).resolve()
    workdir.mkdir(parents=True, exist_ok=True)
    port = free_port()
    command = [OXIGRAPH, "serve", "--bind", f"127.0.0.1:{port}"]
    if persistent:
        command += ["--location", str(workdir / "db")]
    logfile = workdir / "oxigraph.log"
    out = open(logfile, "wb")
    process = subprocess.Popen(command, cwd=workdir, stdout=out, stderr=subprocess.STDOUT,
                               stdin=subprocess.DEVNULL)
    server = OxigraphServer(port, process, logfile)
    try:
        _wait_for_oxigraph(server, time.monotonic() + startup_timeout)
        for path in data:
            server.load(path)
        yield server
    finally:
        _stop(process)
        out.close()


@contextlib.contextmanager
def stalling_server(drip: bool) -> Iterator[str]:
    """An HTTP server on 127.0.0.1 that never finishes an answer: silent, or one byte a second if `drip`.

    Yields the base URL. A client's per-read timeout never fires on the dripping one.
    """
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.bind(("127.0.0.1", 0))
    listener.listen(8)
    listener.settimeout(0.1)
    stop = threading.Event()

    def hold(connection: socket.socket) -> None:
        with connection:
            if drip:
                connection.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: application/sparql-results+json\r\n")
            while not stop.wait(1.0):
                if drip:
                    try:
                        connection.sendall(b"X-Drip: 1\r\n")
                    except OSError:
                        return

    def serve() -> None:
        while not stop.is_set():
            try:
                connection, _ = listener.accept()
            except socket.timeout:
                continue
            threading.Thread(target=hold, args=(connection,), daemon=True).start()

    threading.Thread(target=serve, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{listener.getsockname()[1]}"
    finally:
        stop.set()
        listener.close()
