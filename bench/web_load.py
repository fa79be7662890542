"""Web load benchmark: pages under gunicorn, first with nothing else running, then while the
background worker runs an import.

Prepares a fresh database (SQLite in WAL mode in a temporary directory, or the empty
PostgreSQL database named by DATABASE_URL) with the demo county (``--data demo``: the four
Dashboard years ``continuum serve`` loads) or the synthetic statewide set for 2025 (``--data
statewide``, about a million rows), signs CLIENTS concurrent clients in as a county analyst
and sends them, with no think time, to the county overview, the largest district's LEA page
and one of its school pages, in turn, over loopback:

1. idle: for SECONDS;
2. during an import: the same files are queued again and ``continuum web worker`` imports
   them; the clients run until the import ends (at most --import-limit seconds).

Prints p50/p95 latency per page and phase, the error count and the import's time as Markdown.
Never asserts on times.

    uv run --frozen python bench/web_load.py [--data demo|statewide] [--clients 10]
        [--seconds 20] [--workers 4] [--data-dir DIR]
"""

from __future__ import annotations

import argparse
import http.client
import os
import platform
import re
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode

STATEWIDE_YEAR = 2025
SEED = 2025


@dataclass(frozen=True)
class Site:
    """What the clients sign in as and ask for, and the files the import during the load reads."""

    username: str
    password: str
    pages: dict[str, str]
    import_files: list[Path]
    description: str


@dataclass
class Tally:
    """Latencies (seconds) by page and the errors seen, shared by the client threads."""

    latencies: dict[str, list[float]] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, page: str, seconds: float, error: str | None) -> None:
        with self.lock:
            if error:
                self.errors.append(f"{page}: {error}")
            else:
                self.latencies.setdefault(page, []).append(seconds)


def prepare_demo(data_dir: Path) -> Site:
    """The demo county and users, as ``continuum serve`` makes them (kept when already there)."""
    from continuum.web.accounts.models import Membership
    from continuum.web.agencies.models import County
    from continuum.web.demo import DEMO_PASSWORD, DEMO_YEARS, demo_load, demo_users_create

    demo_load(say=lambda line: print(line, file=sys.stderr))
    demo_users_create()
    lea = Membership.objects.get(user__username="district.leader").lea
    school = Membership.objects.get(user__username="school.leader").school
    county = County.objects.get(leas=lea)
    assert lea is not None and school is not None
    files = sorted((data_dir / "demo").rglob("*.txt"))
    return Site(
        username="county.coach",
        password=DEMO_PASSWORD,
        pages={
            "county overview": "/county/",
            "LEA page": f"/lea/{lea.cds}/",
            "school page": f"/school/{school.cds}/",
        },
        import_files=files,
        description=(
            f"demo county ({county.leas.count()} LEAs, Dashboards "
            f"{DEMO_YEARS[0]}–{DEMO_YEARS[-1]}); LEA page of a district with "
            f"{lea.schools.count()} schools; the import during the load is the demo's "
            f"{len(files)} files again"
        ),
    )


def prepare_statewide(data_dir: Path) -> Site:
    """The statewide set for one year, imported once (kept when already there), and an analyst
    of the largest county."""
    import secrets

    from django.db.models import Count

    from continuum.synth import generate_statewide
    from continuum.web.accountability.models import IndicatorResult
    from continuum.web.accountability.services.commit import dashboard_files_import
    from continuum.web.accounts.models import Role, User
    from continuum.web.accounts.services import user_create
    from continuum.web.agencies.models import County, Lea, School
    from continuum.web.agencies.services import agencies_import_synthetic

    generated = generate_statewide(data_dir / "statewide", year=STATEWIDE_YEAR, seed=SEED)
    files = sorted(generated.rows)
    if not IndicatorResult.objects.exists():
        print("Importing the statewide set (a minute or two)…", file=sys.stderr)
        # Imports store only the agencies the directory knows: the set's own first.
        agencies_import_synthetic(actor=None, seed=SEED, statewide=True)
        dashboard_files_import(actor=None, paths=files)
    county = County.objects.annotate(n=Count("leas")).order_by("-n").first()
    assert county is not None
    lea = Lea.objects.filter(county=county).annotate(n=Count("schools")).order_by("-n").first()
    assert lea is not None
    school = School.objects.filter(lea=lea).order_by("cds").first()
    assert school is not None
    password = secrets.token_urlsafe(16)
    analyst = User.objects.filter(username="bench.analyst").first()
    if analyst is None:
        user_create(actor=None, username="bench.analyst", password=password,
                    role=Role.COUNTY_ANALYST, scope=county)  # fmt: skip
    else:
        analyst.set_password(password)
        analyst.save(update_fields=["password"])
    return Site(
        username="bench.analyst",
        password=password,
        pages={
            "county overview": "/county/",
            "LEA page": f"/lea/{lea.cds}/",
            "school page": f"/school/{school.cds}/",
        },
        import_files=files,
        description=(
            f"statewide {STATEWIDE_YEAR} ({IndicatorResult.objects.count():,} Dashboard rows); "
            f"county overview of {county.leas.count()} LEAs; LEA page of a district with "
            f"{lea.schools.count()} schools; the import during the load is the {len(files)} "
            "statewide files again"
        ),
    )


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class Session:
    """One client: a keep-alive connection and the session cookie."""

    def __init__(self, port: int) -> None:
        self.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str, body: str | None = None) -> tuple[int, str]:
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        if body is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        self.connection.request(method, path, body=body, headers=headers)
        response = self.connection.getresponse()
        text = response.read().decode()
        for header in response.headers.get_all("Set-Cookie") or []:
            for name, morsel in SimpleCookie(header).items():
                self.cookies[name] = morsel.value
        return response.status, text

    def sign_in(self, site: Site) -> None:
        _, page = self.request("GET", "/accounts/login/")
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
        assert token is not None
        body = urlencode({"username": site.username, "password": site.password,
                          "csrfmiddlewaretoken": token.group(1)})  # fmt: skip
        status, _ = self.request("POST", "/accounts/login/", body)
        if status != 302:
            raise RuntimeError(f"sign-in failed with {status}")


def client(port: int, site: Site, stop: threading.Event, tally: Tally) -> None:
    session = Session(port)
    session.sign_in(site)
    names = list(site.pages)
    turn = 0
    while not stop.is_set():
        name = names[turn % len(names)]
        turn += 1
        start = time.perf_counter()
        try:
            status, _ = session.request("GET", site.pages[name])
            error = None if status == 200 else f"HTTP {status}"
        except (OSError, http.client.HTTPException) as problem:
            error = repr(problem)
            session = Session(port)
            session.sign_in(site)
        tally.add(name, time.perf_counter() - start, error)


def load(port: int, site: Site, clients: int, done: Callable[[], bool]) -> tuple[Tally, float]:
    """CLIENTS clients until ``done()`` says so; returns what they saw and for how long."""
    tally = Tally()
    stop = threading.Event()
    threads = [
        threading.Thread(target=client, args=(port, site, stop, tally)) for _ in range(clients)
    ]
    start = time.perf_counter()
    for thread in threads:
        thread.start()
    while not done():
        time.sleep(0.2)
    stop.set()
    for thread in threads:
        thread.join()
    return tally, time.perf_counter() - start


def import_queue(files: list[Path]) -> int:
    """Queue the files for the worker, as a browser upload does; returns the import's id."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from continuum.web.accountability.services.queue import dashboard_import_create

    uploads = [SimpleUploadedFile(path.name, path.read_bytes()) for path in files]
    return dashboard_import_create(actor=None, uploads=uploads).pk


def import_status(import_id: int) -> str:
    from continuum.web.accountability.models import DashboardImport

    return DashboardImport.objects.values_list("status", flat=True).get(pk=import_id)


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def rows(phase: str, tally: Tally, seconds: float) -> list[str]:
    every = [s for values in tally.latencies.values() for s in values]
    lines = []
    for name, values in [*tally.latencies.items(), ("all pages", every)]:
        errors = len(tally.errors) if name == "all pages" else sum(
            e.startswith(f"{name}:") for e in tally.errors)  # fmt: skip
        lines.append(
            f"| {phase} | {name} | {len(values):,} | {percentile(values, 0.5) * 1000:.0f} ms | "
            f"{percentile(values, 0.95) * 1000:.0f} ms | {errors} |"
        )
    lines.append(f"| {phase} | throughput | {len(every) / seconds:.0f} requests/s | | | |")
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", choices=["demo", "statewide"], default="demo")
    parser.add_argument("--clients", type=int, default=10)
    parser.add_argument("--seconds", type=float, default=20.0, help="length of the idle phase")
    parser.add_argument("--import-limit", type=float, default=600.0,
                        help="longest the phase during the import runs, seconds")  # fmt: skip
    parser.add_argument("--workers", type=int, default=4, help="gunicorn worker processes")
    parser.add_argument(
        "--data-dir", type=Path, help="keep the prepared data here and reuse it on later runs"
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="continuum-web-bench-") as tmp:
        data_dir = (args.data_dir or Path(tmp)).resolve()
        os.environ.update({
            "CONTINUUM_DATA_DIR": str(data_dir),
            "DJANGO_SETTINGS_MODULE": "continuum.web.settings",
            "CONTINUUM_LOG_LEVEL": "WARNING",
        })  # fmt: skip
        from continuum.web.cli import django_setup

        django_setup()
        from django.conf import settings
        from django.core.management import call_command
        from django.db import connection

        database = settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1]
        journal = ""
        if connection.vendor == "sqlite":
            with connection.cursor() as cursor:
                cursor.execute("PRAGMA journal_mode")
                journal = f" ({cursor.fetchone()[0].upper()})"
        print(f"Preparing the {args.data} data on {database}{journal}…", file=sys.stderr)
        call_command("migrate", interactive=False, verbosity=0)
        site = (prepare_demo if args.data == "demo" else prepare_statewide)(data_dir)
        # The bench process keeps no connection (nor SQLite read snapshot) open while it waits.
        connection.close()
        subprocess.run([sys.executable, "-m", "continuum", "web", "manage", "collectstatic",
                        "--noinput", "-v0"], check=True)  # fmt: skip
        port = free_port()
        server = subprocess.Popen([
            sys.executable, "-m", "gunicorn", "continuum.web.wsgi", "--bind",
            f"127.0.0.1:{port}", "--workers", str(args.workers), "--log-level", "warning",
        ])  # fmt: skip
        worker = subprocess.Popen([sys.executable, "-m", "continuum", "web", "worker",
                                   "--interval", "0.5", "-v0"])  # fmt: skip
        try:
            for _ in range(100):
                try:
                    socket.create_connection(("127.0.0.1", port), timeout=1).close()
                    break
                except OSError:
                    time.sleep(0.2)
            warm = Session(port)
            warm.sign_in(site)
            for path in site.pages.values():
                warm.request("GET", path)
            load_average = os.getloadavg()[0]
            until = time.perf_counter() + args.seconds
            idle, idle_seconds = load(port, site, args.clients, lambda: time.perf_counter() > until)

            import_id = import_queue(site.import_files)
            connection.close()
            started = time.perf_counter()
            limit = started + args.import_limit

            def import_over() -> bool:
                status = import_status(import_id)
                connection.close()
                return status in {"done", "failed"} or time.perf_counter() > limit

            busy, busy_seconds = load(port, site, args.clients, import_over)
            outcome = import_status(import_id)
        finally:
            worker.terminate()
            server.terminate()
            worker.wait(timeout=60)
            server.wait(timeout=60)
    print(f"- machine: {platform.machine()}, {os.cpu_count()} cores, load average "
          f"{load_average:.1f} at start, Python {platform.python_version()}; {database}"
          f"{journal}; gunicorn {args.workers} sync workers and one `continuum web worker`; "
          f"{args.clients} clients on loopback, no think time")  # fmt: skip
    print(f"- data: {site.description}")
    print(f"- import during the load: {outcome} after {busy_seconds:.0f} s (queued to finished)")
    print()
    print("| phase | page | requests | p50 | p95 | errors |")
    print("|---|---|---:|---:|---:|---:|")
    for line in [*rows("idle", idle, idle_seconds), *rows("during import", busy, busy_seconds)]:
        print(line)
    for error in (idle.errors + busy.errors)[:5]:
        print(f"error: {error}", file=sys.stderr)


if __name__ == "__main__":
    main()
