"""Screenshots of each main page at a phone's and a desktop's width, for docs/web/screens/.

``make screens`` runs this: it starts the demo (``continuum serve`` on a free port, with a fresh
data directory, so the demo county is generated as a newcomer sees it), signs in as the demo
county coach with headless Chromium (Debian's, as the browser tests use), and writes
``docs/web/screens/<page>-<width>.png`` (the whole page) for 390 and 1,280 px. It stops the
server it started. Needs /usr/bin/chromium.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from playwright.sync_api import Page, sync_playwright

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "docs" / "web" / "screens"
CHROMIUM = "/usr/bin/chromium"
WIDTHS = (390, 1280)
USER, PASSWORD = "county.coach", "continuum-demo"
START_SECONDS = 300


def free_port() -> int:
    """A port nothing listens on now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def wait_until_up(url: str, server: subprocess.Popen[bytes]) -> None:
    """Until the server answers (it generates and imports the demo county first)."""
    deadline = time.monotonic() + START_SECONDS
    while time.monotonic() < deadline:
        if server.poll() is not None:
            sys.exit(f"the demo server stopped (exit {server.returncode}); see its output above")
        try:
            urllib.request.urlopen(f"{url}/accounts/login/", timeout=2)
            return
        except OSError:
            time.sleep(1)
    sys.exit(f"the demo server did not answer within {START_SECONDS} s")


def main_pages(page: Page, url: str) -> dict[str, str]:
    """The pages to show: found by following the demo county's own links."""
    page.goto(f"{url}/county/")
    leas = [a.get_attribute("href") or "" for a in page.locator("#leas tbody th a").all()]
    for lea in leas:  # the first LEA with schools (a county office may have none)
        page.goto(f"{url}{lea}")
        if page.locator("#schools-table").count():
            break
    school = page.locator("#schools-table tbody th a").first.get_attribute("href") or ""
    lea_path = lea.split("?")[0]
    page.goto(f"{url}/da/?status=active&sort=-cycles")
    engagement = page.locator("#engagements tbody th a").first.get_attribute("href") or ""
    return {
        "county": "/county/",
        "lea": lea,
        "school": school,
        "equity": f"{lea_path}equity/",
        "engagements": "/da/",
        "engagement": engagement,
        "engagement-pdsa": f"{engagement}pdsa/",
        "group-matrix": "/county/group-matrix/",
        "glossary": "/glossary/",
    }


def shoot(url: str) -> list[Path]:
    """Sign in and photograph every main page at both widths."""
    written = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True)
        context = browser.new_context(viewport={"width": WIDTHS[-1], "height": 900})
        page = context.new_page()
        page.goto(f"{url}/accounts/login/")
        page.screenshot(path=OUT / "login-1280.png", full_page=True)
        written.append(OUT / "login-1280.png")
        page.get_by_label("Username").fill(USER)
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Sign in").click()
        pages = main_pages(page, url)
        for width in WIDTHS:
            page.set_viewport_size({"width": width, "height": 900})
            for name, path in pages.items():
                page.goto(f"{url}{path}")
                target = OUT / f"{name}-{width}.png"
                page.screenshot(path=target, full_page=True)
                written.append(target)
        browser.close()
    return written


def main() -> None:
    """Start the demo, take the screenshots, stop the demo."""
    if not Path(CHROMIUM).exists():
        sys.exit(f"no browser at {CHROMIUM} (apt-get install chromium)")
    OUT.mkdir(parents=True, exist_ok=True)
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    with tempfile.TemporaryDirectory(prefix="continuum-screens-") as data:
        env = {**os.environ, "CONTINUUM_DATA_DIR": data, "DATABASE_URL": ""}
        server = subprocess.Popen(
            [sys.executable, "-m", "continuum", "serve", "--port", str(port)],
            env=env, start_new_session=True,
        )  # fmt: skip
        try:
            wait_until_up(url, server)
            written = shoot(url)
        finally:
            os.killpg(server.pid, signal.SIGTERM)
            server.wait(timeout=30)
    for path in written:
        print(f"{path.relative_to(ROOT)}  {path.stat().st_size / 1024:,.0f} KiB")


if __name__ == "__main__":
    main()
