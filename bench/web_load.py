"""Web load benchmark: the county overview and an LEA page under gunicorn, 20 clients, 60 s.

Generates the synthetic statewide set (58 counties, ~1,000 LEAs, ~10,000 schools, about a
million Dashboard rows) for one year, imports it through the web platform's own import service
into a fresh database (SQLite in a temporary directory, or the empty PostgreSQL database named
by DATABASE_URL), creates a county analyst for the largest county, starts gunicorn on loopback
and runs CLIENTS concurrent clients for SECONDS: each signs in, then requests the county
overview and the largest district's LEA page in turn. Prints p50/p95 latency per page and the
error count as Markdown. Never asserts on times.

    uv run --frozen python bench/web_load.py [--clients 20] [--seconds 60] [--workers 4]
"""

from __future__ import annotations

import argparse
import http.client
import os
import platform
import re
import secrets
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode

YEAR = 2025
SEED = 2025
PASSWORD = secrets.token_urlsafe(16)


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


def prepare(data_dir: Path) -> tuple[str, str, dict[str, float]]:
    """Database with the statewide set and an analyst; returns (username, LEA CDS, timings)."""
    from django.core.management import call_command
    from django.db.models import Count

    from continuum.synth import generate_statewide
    from continuum.web.accountability.services import dashboard_files_import
    from continuum.web.accounts.models import Role, User
    from continuum.web.accounts.services import user_create
    from continuum.web.agencies.models import County, Lea

    call_command("migrate", interactive=False, verbosity=0)
    analyst = User.objects.filter(username="bench.analyst").first()
    if analyst is not None:  # prepared by an earlier run with the same --data-dir
        analyst.set_password(PASSWORD)
        analyst.save(update_fields=["password"])
        return _reused(analyst)
    timings = {}
    start = time.perf_counter()
    generated = generate_statewide(data_dir / "statewide", year=YEAR, seed=SEED)
    timings["generate"] = time.perf_counter() - start
    start = time.perf_counter()
    report = dashboard_files_import(actor=None, paths=sorted(generated.rows))
    timings["import"] = time.perf_counter() - start
    timings["rows"] = report["rows"]
    county = County.objects.annotate(n=Count("leas")).order_by("-n").first()
    assert county is not None
    lea = Lea.objects.filter(county=county).annotate(n=Count("schools")).order_by("-n").first()
    assert lea is not None
    user_create(actor=None, username="bench.analyst", password=PASSWORD,
                role=Role.COUNTY_ANALYST, scope=county)  # fmt: skip
    timings["county_leas"] = county.leas.count()
    timings["lea_schools"] = lea.schools.count()
    return "bench.analyst", lea.cds, timings


def _reused(analyst: object) -> tuple[str, str, dict[str, float]]:
    from django.db.models import Count

    from continuum.web.accountability.models import IndicatorResult
    from continuum.web.accounts.models import Membership
    from continuum.web.agencies.models import Lea

    county = Membership.objects.get(user=analyst).county
    lea = Lea.objects.filter(county=county).annotate(n=Count("schools")).order_by("-n").first()
    assert county is not None and lea is not None
    timings = {
        "rows": float(IndicatorResult.objects.count()),
        "import": float("nan"),
        "county_leas": float(county.leas.count()),
        "lea_schools": float(lea.schools.count()),
    }
    return "bench.analyst", lea.cds, timings


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class Session:
    """One client: a keep-alive connection and the session cookie."""

    def __init__(self, port: int) -> None:
        self.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
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

    def sign_in(self, username: str) -> None:
        _, page = self.request("GET", "/accounts/login/")
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
        assert token is not None
        body = urlencode({"username": username, "password": PASSWORD,
                          "csrfmiddlewaretoken": token.group(1)})  # fmt: skip
        status, _ = self.request("POST", "/accounts/login/", body)
        if status != 302:
            raise RuntimeError(f"sign-in failed with {status}")


def client(port: int, username: str, pages: dict[str, str], until: float, tally: Tally) -> None:
    session = Session(port)
    session.sign_in(username)
    names = list(pages)
    turn = 0
    while time.perf_counter() < until:
        name = names[turn % len(names)]
        turn += 1
        start = time.perf_counter()
        try:
            status, _ = session.request("GET", pages[name])
            error = None if status == 200 else f"HTTP {status}"
        except (OSError, http.client.HTTPException) as problem:
            error = repr(problem)
            session = Session(port)
            session.sign_in(username)
        tally.add(name, time.perf_counter() - start, error)


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--workers", type=int, default=4, help="gunicorn worker processes")
    parser.add_argument(
        "--data-dir", type=Path, help="keep the prepared data here and reuse it on later runs"
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="continuum-web-bench-") as tmp:
        data_dir = args.data_dir or Path(tmp)
        os.environ.update({
            "CONTINUUM_DATA_DIR": str(data_dir),
            "DJANGO_SETTINGS_MODULE": "continuum.web.settings",
            "CONTINUUM_LOG_LEVEL": "WARNING",
        })  # fmt: skip
        from continuum.web.cli import django_setup

        django_setup()
        from django.conf import settings

        database = settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1]
        print(f"Preparing the statewide set on {database}…", file=sys.stderr)
        username, lea_cds, timings = prepare(data_dir)
        subprocess.run([sys.executable, "-m", "continuum", "web", "manage", "collectstatic",
                        "--noinput", "-v0"], check=True)  # fmt: skip
        port = free_port()
        server = subprocess.Popen([
            sys.executable, "-m", "gunicorn", "continuum.web.wsgi", "--bind",
            f"127.0.0.1:{port}", "--workers", str(args.workers), "--log-level", "warning",
        ])  # fmt: skip
        try:
            for _ in range(100):
                try:
                    socket.create_connection(("127.0.0.1", port), timeout=1).close()
                    break
                except OSError:
                    time.sleep(0.2)
            pages = {"county overview": "/county/", "LEA page": f"/lea/{lea_cds}/"}
            warm = Session(port)
            warm.sign_in(username)
            for path in pages.values():
                warm.request("GET", path)
            tally = Tally()
            until = time.perf_counter() + args.seconds
            threads = [
                threading.Thread(target=client, args=(port, username, pages, until, tally))
                for _ in range(args.clients)
            ]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
        finally:
            server.terminate()
            server.wait(timeout=30)
    every = [s for values in tally.latencies.values() for s in values]
    print(f"- machine: {platform.machine()}, {os.cpu_count()} cores, Python "
          f"{platform.python_version()}, {database}, gunicorn {args.workers} workers, "
          f"{args.clients} clients × {args.seconds:.0f} s on loopback")  # fmt: skip
    print(f"- data: {int(timings['rows']):,} Dashboard rows ({YEAR}); import "
          f"{timings['import']:.0f} s; county overview of {int(timings['county_leas'])} LEAs; "
          f"LEA page of a district with {int(timings['lea_schools'])} schools")  # fmt: skip
    print()
    print("| page | requests | p50 | p95 | errors |")
    print("|---|---:|---:|---:|---:|")
    for name, values in [*tally.latencies.items(), ("all", every)]:
        errors = len(tally.errors) if name == "all" else sum(
            e.startswith(f"{name}:") for e in tally.errors)  # fmt: skip
        print(f"| {name} | {len(values):,} | {percentile(values, 0.5) * 1000:.0f} ms | "
              f"{percentile(values, 0.95) * 1000:.0f} ms | {errors} |")  # fmt: skip
    print(f"\nthroughput: {len(every) / args.seconds:.0f} requests/s; "
          f"mean {statistics.fmean(every) * 1000:.0f} ms")  # fmt: skip
    for error in tally.errors[:5]:
        print(f"error: {error}", file=sys.stderr)


if __name__ == "__main__":
    main()
