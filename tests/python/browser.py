"""Headless Chromium driven through the DevTools protocol, for the tests of HTML pages (not a
test itself: ctest registers only test_*.py).

    with Browser() as b:                 # raises BrowserMissing when chromium is not installed
        b.open(Path("page.html"))        # waits for the load event
        b.evaluate("document.title")     # a JavaScript expression's value (JSON-serialisable)
        b.click(x, y)                    # a mouse click at viewport coordinates
        b.errors                         # console errors and uncaught exceptions, as text
        b.requests                       # every URL the page asked for

Chromium is Debian's `chromium`; the protocol goes over a WebSocket with Debian's
python3-websocket. Chromium runs with --no-sandbox because the suite may run as root (the
sandbox refuses root), in a throw-away profile, with a fixed window size.
"""
from __future__ import annotations

import json
import shutil
import subprocess
import tempfile
import time
import urllib.request
from pathlib import Path


class BrowserMissing(Exception):
    pass


class Browser:
    def __init__(self, width: int = 1400, height: int = 1000, timeout: float = 60.0):
        self.exe = shutil.which("chromium")
        if self.exe is None:
            raise BrowserMissing("chromium is not installed (Debian package chromium; scripts/test installs it)")
        self.width, self.height, self.timeout = width, height, timeout
        self.errors: list[str] = []
        self.requests: list[str] = []
        self._id = 0
        self._events: list[dict] = []

    def __enter__(self) -> "Browser":
        import websocket  # Debian python3-websocket; needed (not optional) wherever chromium is

        self.profile = tempfile.TemporaryDirectory(prefix="corridor-chromium-")
        self.proc = subprocess.Popen(
            [self.exe, "--headless=new", "--no-sandbox", "--disable-gpu", "--no-first-run",
             "--disable-extensions", "--disable-background-networking", "--remote-debugging-port=0",
             f"--user-data-dir={self.profile.name}", f"--window-size={self.width},{self.height}", "about:blank"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        port_file = Path(self.profile.name) / "DevToolsActivePort"
        deadline = time.monotonic() + self.timeout
        while not (port_file.is_file() and port_file.read_text().strip()):
            if self.proc.poll() is not None or time.monotonic() > deadline:
                self.__exit__(None, None, None)
                raise RuntimeError("chromium did not start its DevTools endpoint")
            time.sleep(0.1)
        port = int(port_file.read_text().split()[0])
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/json/list", timeout=10) as resp:
            pages = [t for t in json.load(resp) if t.get("type") == "page"]
        self.ws = websocket.create_connection(pages[0]["webSocketDebuggerUrl"], timeout=self.timeout,
                                              suppress_origin=True)
        for domain in ("Page", "Runtime", "Log", "Network"):
            self.send(f"{domain}.enable")
        return self

    def __exit__(self, *exc) -> None:
        if getattr(self, "ws", None) is not None:
            self.ws.close()
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        # Chromium's helper processes (renderer, crash handler) can still write into the profile
        # for a moment after the main process exits: retry the removal until they are gone.
        for attempt in range(50):
            try:
                self.profile.cleanup()
                break
            except OSError:
                if attempt == 49:
                    raise
                time.sleep(0.1)

    # ---- the protocol ----

    def _receive(self) -> dict:
        msg = json.loads(self.ws.recv())
        method = msg.get("method")
        p = msg.get("params", {})
        if method == "Runtime.exceptionThrown":
            d = p["exceptionDetails"]
            self.errors.append(f"exception: {d.get('exception', {}).get('description') or d.get('text')}")
        elif method == "Runtime.consoleAPICalled" and p.get("type") in ("error", "assert"):
            self.errors.append("console." + p["type"] + ": " +
                               " ".join(str(a.get("value", a.get("description", ""))) for a in p.get("args", [])))
        elif method == "Log.entryAdded" and p["entry"].get("level") == "error":
            self.errors.append(f"log: {p['entry'].get('text')} {p['entry'].get('url', '')}")
        elif method == "Network.requestWillBeSent":
            self.requests.append(p["request"]["url"])
        if method:
            self._events.append(msg)
        return msg

    def send(self, method: str, **params) -> dict:
        self._id += 1
        self.ws.send(json.dumps({"id": self._id, "method": method, "params": params}))
        while True:
            msg = self._receive()
            if msg.get("id") == self._id:
                if "error" in msg:
                    raise RuntimeError(f"{method}: {msg['error']}")
                return msg.get("result", {})

    def wait_for(self, method: str) -> dict:
        for i, msg in enumerate(self._events):
            if msg["method"] == method:
                return self._events.pop(i)
        while True:
            msg = self._receive()
            if msg.get("method") == method:
                self._events.remove(msg)
                return msg

    # ---- what the tests use ----

    def open(self, path: Path) -> None:
        self._events.clear()
        self.send("Page.navigate", url=path.resolve().as_uri())
        self.wait_for("Page.loadEventFired")

    def evaluate(self, expression: str):
        r = self.send("Runtime.evaluate", expression=expression, returnByValue=True, awaitPromise=True)
        if "exceptionDetails" in r:
            raise RuntimeError(f"{expression[:80]}...: {r['exceptionDetails']}")
        return r["result"].get("value")

    def click(self, x: float, y: float) -> None:
        for kind in ("mouseMoved", "mousePressed", "mouseReleased"):
            self.send("Input.dispatchMouseEvent", type=kind, x=x, y=y, button="left", clickCount=1)

    def settle(self, seconds: float) -> None:
        """Lets the page run for a while, collecting its console output."""
        end = time.monotonic() + seconds
        while time.monotonic() < end:
            self.evaluate("0")
            time.sleep(0.1)
