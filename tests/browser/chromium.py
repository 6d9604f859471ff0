"""Start Debian's Chromium through Selenium, and serve an ASGI application on 127.0.0.1 for it.

The browser and its driver are the system's (``/usr/bin/chromium``, ``/usr/bin/chromedriver``, from Debian's
``chromium`` and ``chromium-driver``; ``scripts/setup-system.sh`` installs them): the driver's path is given
to Selenium, and ``SE_OFFLINE`` keeps Selenium Manager from looking for (or downloading) another. The browser
runs headless, in a fresh profile, with nothing that reaches the network on its own.

JavaScript is switched off through the profile's content setting (the same switch a person flips in the
browser's settings): pages then run no script at all, while WebDriver still finds, types and clicks.
"""

from __future__ import annotations

import os
import shutil
import socket
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")
INSTALL = "apt-get install chromium chromium-driver (or run scripts/setup-system.sh as root)"
FLAGS = (
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
)
DESKTOP = (1280, 900)


def unavailable_reason() -> str | None:
    """None when Chromium can be driven here, else why not (for the skip or failure message)."""
    missing = [str(path) for path in (CHROMIUM, CHROMEDRIVER) if not os.access(path, os.X_OK)]
    reasons = [f"no {', '.join(missing)} ({INSTALL})"] if missing else []
    try:
        import selenium  # noqa: F401
    except ImportError:
        reasons.append("selenium is not installed (pip install -e '.[dev]')")
    return "; ".join(reasons) or None


@contextmanager
def chromium(*, javascript: bool = True, size: tuple[int, int] = DESKTOP) -> Iterator[Any]:
    """A headless Chromium driven by Selenium (a ``selenium.webdriver.Chrome``), quit and its profile removed
    at the end. ``javascript=False`` starts it with scripts switched off for every page."""
    os.environ["SE_OFFLINE"] = "true"  # Selenium Manager: never look for or download a driver
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    profile = tempfile.mkdtemp(prefix="musforms-chromium-")
    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for flag in (*FLAGS, f"--user-data-dir={profile}", f"--window-size={size[0]},{size[1]}"):
        options.add_argument(flag)
    if not javascript:
        options.add_experimental_option("prefs", {"profile.managed_default_content_settings.javascript": 2})
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})  # the console, for console_errors()
    driver = webdriver.Chrome(options=options, service=Service(executable_path=str(CHROMEDRIVER)))
    try:
        driver.set_page_load_timeout(60)
        driver.set_script_timeout(60)
        yield driver
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)


def form_script_ran(driver: Any) -> bool:
    """Whether the web form's own script ran on the page loaded in ``driver``: it marks the form
    ``data-mf-ready="1"`` when it sets the form up. (WebDriver's own scripts, such as this one, run either way.)"""
    ready: bool = driver.execute_script(
        "const form = document.querySelector('form[data-mf-form]');"
        "return form !== null && form.getAttribute('data-mf-ready') === '1';"
    )
    return ready


def console_errors(driver: Any) -> list[str]:
    """The errors the browser's console showed since the last call: a style or script the page's
    Content-Security-Policy refused, a script error, a resource that failed to load."""
    return [entry["message"] for entry in driver.get_log("browser") if entry["level"] == "SEVERE"]


@contextmanager
def serve(app: Any) -> Iterator[str]:
    """Serve the ASGI ``app`` with uvicorn on 127.0.0.1 (a free port) in a background thread; the base URL."""
    import uvicorn

    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", access_log=False, lifespan="off"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, name="web-form-example", daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError("the example application did not start")
        time.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        sock.close()
