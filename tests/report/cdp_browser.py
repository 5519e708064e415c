"""Open a local HTML file in headless Chromium and watch it through the DevTools protocol.

Collects console errors and warnings, uncaught exceptions, log entries (CSP violations land there),
JavaScript dialogs (an ``alert`` that ran) and every request the page makes; evaluates expressions
in the page and takes a screenshot. Only aiohttp (a u2fast dependency) is needed.
"""

from __future__ import annotations

import asyncio
import base64
import itertools
import shutil
import subprocess
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import aiohttp

__all__ = ["PageReport", "find_chromium", "open_page"]


def find_chromium() -> str | None:
    for name in ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable"):
        path = shutil.which(name)
        if path:
            return path
    return None


@dataclass
class PageReport:
    console: list[str] = field(default_factory=list)
    exceptions: list[str] = field(default_factory=list)
    log_errors: list[str] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)
    values: dict[str, Any] = field(default_factory=dict)
    dom: str = ""
    screenshot: bytes = b""


def _wait_for_port(profile: Path, proc: subprocess.Popen[bytes], timeout: float) -> int:
    port_file = profile / "DevToolsActivePort"
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"chromium exited early with status {proc.returncode}")
        if port_file.is_file():
            first = port_file.read_text().splitlines()[:1]
            if first and first[0].strip().isdigit():
                return int(first[0])
        time.sleep(0.05)
    raise RuntimeError("chromium did not open its DevTools port")


async def _session(
    port: int,
    url: str,
    checks: dict[str, str],
    report: PageReport,
    timeout: float,
    viewport: tuple[int, int] | None = None,
) -> None:
    async with aiohttp.ClientSession() as http:
        async with http.get(f"http://127.0.0.1:{port}/json/list") as resp:
            targets = await resp.json()
        page = next(t for t in targets if t.get("type") == "page")
        async with http.ws_connect(page["webSocketDebuggerUrl"], max_msg_size=0) as ws:
            ids = itertools.count(1)
            background: set[asyncio.Future[Any]] = set()  # keep references to fire-and-forget calls
            pending: dict[int, asyncio.Future[dict[str, Any]]] = {}
            loaded = asyncio.Event()

            async def send(method: str, **params: Any) -> dict[str, Any]:
                i = next(ids)
                fut: asyncio.Future[dict[str, Any]] = asyncio.get_running_loop().create_future()
                pending[i] = fut
                await ws.send_json({"id": i, "method": method, "params": params})
                return await asyncio.wait_for(fut, timeout)

            async def reader() -> None:
                async for msg in ws:
                    if msg.type != aiohttp.WSMsgType.TEXT:
                        continue
                    data = msg.json()
                    if "id" in data and data["id"] in pending:
                        pending.pop(data["id"]).set_result(data)
                        continue
                    method, params = data.get("method"), data.get("params", {})
                    if method == "Runtime.consoleAPICalled" and params.get("type") in (
                        "error",
                        "warning",
                        "assert",
                    ):
                        report.console.append(
                            " ".join(str(a.get("value", a.get("description", ""))) for a in params["args"])
                        )
                    elif method == "Runtime.exceptionThrown":
                        d = params["exceptionDetails"]
                        report.exceptions.append(
                            f"{d.get('text')}: {d.get('exception', {}).get('description', '')}"
                        )
                    elif method == "Log.entryAdded" and params["entry"].get("level") in ("error", "warning"):
                        report.log_errors.append(
                            f"{params['entry'].get('source')}: {params['entry'].get('text')}"
                        )
                    elif method == "Network.requestWillBeSent":
                        report.requests.append(params["request"]["url"])
                    elif method == "Page.javascriptDialogOpening":
                        report.dialogs.append(params.get("message", ""))
                        background.add(asyncio.ensure_future(send("Page.handleJavaScriptDialog", accept=True)))
                    elif method == "Page.loadEventFired":
                        loaded.set()

            task = asyncio.ensure_future(reader())
            try:
                for domain in ("Runtime", "Log", "Network", "Page"):
                    await send(f"{domain}.enable")
                if viewport is not None:  # a phone-sized page: headless windows cannot be narrower than 500 px
                    await send(
                        "Emulation.setDeviceMetricsOverride",
                        width=viewport[0],
                        height=viewport[1],
                        deviceScaleFactor=1,
                        mobile=True,
                    )
                await send("Page.navigate", url=url)
                await asyncio.wait_for(loaded.wait(), timeout)
                await asyncio.sleep(0.3)  # let the report's script finish its first render
                for name, expression in checks.items():
                    out = await send(
                        "Runtime.evaluate", expression=expression, returnByValue=True, awaitPromise=True
                    )
                    result = out.get("result", {})
                    if "exceptionDetails" in result:
                        raise AssertionError(f"check {name!r} threw: {result['exceptionDetails']}")
                    report.values[name] = result.get("result", {}).get("value")
                dom = await send(
                    "Runtime.evaluate", expression="document.documentElement.outerHTML", returnByValue=True
                )
                report.dom = dom["result"]["result"]["value"]
                shot = await send("Page.captureScreenshot", format="png")
                report.screenshot = base64.b64decode(shot["result"]["data"])
            finally:
                task.cancel()


def open_page(
    chromium: str,
    path: Path,
    checks: dict[str, str],
    *,
    width: int = 1400,
    height: int = 1800,
    timeout: float = 60.0,
    viewport: tuple[int, int] | None = None,
) -> PageReport:
    """Load ``path`` (a local file), run ``checks`` (name -> JS expression) and report what happened.

    ``viewport`` emulates a (mobile) screen of that size in CSS pixels."""
    report = PageReport()
    # chromium may still be flushing its profile after it exits: a leftover file must not fail the test
    with tempfile.TemporaryDirectory(prefix="u2fast-chromium-", ignore_cleanup_errors=True) as profile:
        args = [
            chromium,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-first-run",
            "--no-default-browser-check",
            "--disable-extensions",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--remote-debugging-port=0",
            "--remote-allow-origins=*",
            f"--user-data-dir={profile}",
            f"--window-size={width},{height}",
            "about:blank",
        ]
        proc = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            port = _wait_for_port(Path(profile), proc, timeout)
            asyncio.run(_session(port, path.resolve().as_uri(), checks, report, timeout, viewport))
        finally:
            proc.terminate()
            try:
                proc.wait(10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
    return report
