"""``continuum serve``, the README's run command, end to end in a subprocess."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from click.testing import CliRunner

from continuum.web.cli import serve
from continuum.web.demo import DEMO_YEARS

REPO_ROOT = Path(__file__).resolve().parents[2]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_serve_loads_the_demo_prints_users_and_serves_pages_and_static_files(
    tmp_path: Path,
) -> None:
    port = _free_port()
    env = {**os.environ, "CONTINUUM_DATA_DIR": str(tmp_path)}
    env.pop("DATABASE_URL", None)
    server = subprocess.Popen(
        [sys.executable, "-m", "continuum", "serve", "--port", str(port)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    assert server.stdout is not None
    lines = []
    try:
        deadline = time.monotonic() + 180
        while time.monotonic() < deadline:
            line = server.stdout.readline()
            lines.append(line)
            if "serving on" in line or not line:
                break
        printed = "".join(lines)
        assert "Demo users (password: continuum-demo)" in printed, printed
        assert "district.leader" in printed and "county.viewer" in printed
        base = f"http://127.0.0.1:{port}"
        for _ in range(50):
            try:
                login = urllib.request.urlopen(f"{base}/accounts/login/", timeout=5)
                break
            except OSError:
                time.sleep(0.2)
        assert login.status == 200
        css = urllib.request.urlopen(f"{base}/static/continuum/site.css", timeout=5)
        assert css.headers["Content-Type"].startswith("text/css")
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)
    assert (tmp_path / "continuum.sqlite3").exists()


def test_serve_help_names_the_demo_years_it_loads() -> None:
    shown = " ".join(CliRunner().invoke(serve, ["--help"]).output.split())
    years = ", ".join(map(str, DEMO_YEARS[:-1])) + f" and {DEMO_YEARS[-1]}"
    assert f"synthetic county for the {years} Dashboards" in shown


def test_make_demo_serves_on_the_port_given() -> None:
    planned = subprocess.run(
        ["make", "-n", "demo", "PORT=8001"], cwd=REPO_ROOT, capture_output=True, text=True
    )
    assert planned.returncode == 0, planned.stderr
    assert "continuum serve --port 8001" in planned.stdout
