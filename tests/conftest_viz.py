"""Headless-Chromium helpers for checking a rendered reformkg HTML view.

Plain functions (not a pytest conftest) so any test can call them on any
``graph.html``::

    from conftest_viz import check_rendered, find_chromium
    info = check_rendered("out/graph.html", expected_nodes=1234, screenshot_path=tmp_path / "g.png")

Chromium is driven over the Chrome DevTools Protocol through
``--remote-debugging-pipe`` (fds 3/4, NUL-separated JSON), so no websocket
library, no port and no chromedriver are needed; only Pillow is used to decode
the screenshot.  Networking is off: the browser gets a dead proxy, a resolver
that resolves nothing and DevTools' offline emulation, and every request the
page makes is recorded from ``Network.requestWillBeSent``.
"""

from __future__ import annotations

import base64
import io
import json
import os
import shutil
import subprocess
import tempfile
import threading
import time
from pathlib import Path

CHROMIUM_CANDIDATES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
ALLOWED_SCHEMES = ("data:", "blob:", "about:")


class ChromiumError(RuntimeError):
    pass


def find_chromium() -> str | None:
    """Path of a Chromium binary ($REFORMKG_CHROMIUM overrides), or None."""
    env = os.environ.get("REFORMKG_CHROMIUM")
    if env:
        return env if os.path.exists(env) else shutil.which(env)
    for name in CHROMIUM_CANDIDATES:
        found = shutil.which(name)
        if found:
            return found
    return "/usr/bin/chromium" if os.path.exists("/usr/bin/chromium") else None


class Browser:
    """One headless Chromium process spoken to over the DevTools pipe."""

    def __init__(self, binary: str | None = None, *, width: int = 1280, height: int = 900):
        self.binary = binary or find_chromium()
        if not self.binary:
            raise ChromiumError("chromium not found")
        self.width, self.height = width, height
        self.proc: subprocess.Popen | None = None
        self._profile = tempfile.mkdtemp(prefix="reformkg-chromium-")
        self._stderr_path = os.path.join(self._profile, "stderr.log")
        self._next_id = 0
        self._responses: dict[int, dict] = {}
        self.events: list[dict] = []
        self._cv = threading.Condition()
        self._closed = False
        self._wfd = self._rfd = None

    # -- process ---------------------------------------------------------
    def start(self) -> "Browser":
        cmd_r, cmd_w = os.pipe()  # we write commands -> chromium reads fd 3
        res_r, res_w = os.pipe()  # chromium writes fd 4 -> we read
        # move the child's ends above fd 4 so dup2 onto 3/4 can't clobber them
        child_in = _dup_high(cmd_r)
        child_out = _dup_high(res_w)
        os.close(cmd_r)
        os.close(res_w)

        def _child_fds():
            os.dup2(child_in, 3)
            os.dup2(child_out, 4)

        args = [
            self.binary,
            "--headless=new",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--no-default-browser-check",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--disable-extensions",
            "--disable-default-apps",
            "--disable-dev-shm-usage",
            "--disable-features=Translate,MediaRouter,OptimizationHints,AutofillServerCommunication",
            "--mute-audio",
            "--hide-scrollbars",
            "--force-device-scale-factor=1",
            f"--window-size={self.width},{self.height}",
            "--proxy-server=127.0.0.1:9",
            "--host-resolver-rules=MAP * ~NOTFOUND",
            f"--user-data-dir={self._profile}",
            "--remote-debugging-pipe",
            "about:blank",
        ]
        self._stderr = open(self._stderr_path, "wb")
        try:
            self.proc = subprocess.Popen(
                args, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=self._stderr,
                close_fds=False, preexec_fn=_child_fds,
            )
        finally:
            os.close(child_in)
            os.close(child_out)
        self._wfd, self._rfd = cmd_w, res_r
        threading.Thread(target=self._reader, name="cdp-reader", daemon=True).start()
        return self

    def _reader(self):
        buf = b""
        try:
            while True:
                chunk = os.read(self._rfd, 1 << 20)
                if not chunk:
                    break
                buf += chunk
                while b"\0" in buf:
                    raw, buf = buf.split(b"\0", 1)
                    if not raw:
                        continue
                    msg = json.loads(raw)
                    with self._cv:
                        if "id" in msg:
                            self._responses[msg["id"]] = msg
                        else:
                            self.events.append(msg)
                        self._cv.notify_all()
        except OSError:
            pass
        finally:
            with self._cv:
                self._closed = True
                self._cv.notify_all()

    def stderr_tail(self, n: int = 2000) -> str:
        try:
            return Path(self._stderr_path).read_bytes()[-n:].decode("utf-8", "replace")
        except OSError:
            return ""

    def close(self):
        if self.proc is not None and self.proc.poll() is None:
            try:
                self._write({"id": -1, "method": "Browser.close"})
            except OSError:
                pass
            try:
                self.proc.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=5)
        for fd in (self._wfd, self._rfd):
            if fd is not None:
                try:
                    os.close(fd)
                except OSError:
                    pass
        self._wfd = self._rfd = None
        if getattr(self, "_stderr", None):
            self._stderr.close()
        shutil.rmtree(self._profile, ignore_errors=True)

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.close()

    # -- protocol --------------------------------------------------------
    def _write(self, msg: dict):
        data = json.dumps(msg).encode("utf-8") + b"\0"
        while data:
            n = os.write(self._wfd, data)
            data = data[n:]

    def send(self, method: str, params: dict | None = None, *, session: str | None = None,
             timeout: float = 30.0) -> dict:
        with self._cv:
            self._next_id += 1
            mid = self._next_id
        msg = {"id": mid, "method": method, "params": params or {}}
        if session:
            msg["sessionId"] = session
        self._write(msg)
        deadline = time.monotonic() + timeout
        with self._cv:
            while mid not in self._responses:
                if self._closed:
                    raise ChromiumError(f"chromium exited during {method}:\n{self.stderr_tail()}")
                left = deadline - time.monotonic()
                if left <= 0:
                    raise ChromiumError(f"timeout waiting for {method}")
                self._cv.wait(left)
            resp = self._responses.pop(mid)
        if "error" in resp:
            raise ChromiumError(f"{method} failed: {resp['error']}")
        return resp.get("result", {})

    def wait_event(self, method: str, *, session: str | None = None, timeout: float = 30.0,
                   start: int = 0) -> dict:
        deadline = time.monotonic() + timeout
        with self._cv:
            while True:
                for ev in self.events[start:]:
                    if ev.get("method") == method and (session is None or ev.get("sessionId") == session):
                        return ev
                if self._closed:
                    raise ChromiumError(f"chromium exited waiting for {method}:\n{self.stderr_tail()}")
                left = deadline - time.monotonic()
                if left <= 0:
                    raise ChromiumError(f"timeout waiting for event {method}")
                self._cv.wait(left)

    def session_events(self, session: str, method: str) -> list[dict]:
        with self._cv:
            return [e for e in self.events if e.get("sessionId") == session and e.get("method") == method]

    # -- page helpers ----------------------------------------------------
    def new_page(self) -> str:
        target = self.send("Target.createTarget", {"url": "about:blank"})["targetId"]
        session = self.send("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]
        for domain in ("Page", "Runtime", "Network", "Log"):
            self.send(f"{domain}.enable", session=session)
        self.send("Network.emulateNetworkConditions", {"offline": True, "latency": 0,
                                                       "downloadThroughput": -1, "uploadThroughput": -1},
                  session=session)
        self.send("Emulation.setDeviceMetricsOverride", {"width": self.width, "height": self.height,
                                                          "deviceScaleFactor": 1, "mobile": False},
                  session=session)
        return session

    def navigate(self, session: str, url: str, *, timeout: float = 30.0):
        with self._cv:
            mark = len(self.events)
        res = self.send("Page.navigate", {"url": url}, session=session, timeout=timeout)
        if res.get("errorText"):
            raise ChromiumError(f"navigation to {url} failed: {res['errorText']}")
        self.wait_event("Page.loadEventFired", session=session, timeout=timeout, start=mark)

    def evaluate(self, session: str, expression: str, *, timeout: float = 30.0):
        res = self.send("Runtime.evaluate", {"expression": expression, "returnByValue": True,
                                             "awaitPromise": True}, session=session, timeout=timeout)
        if "exceptionDetails" in res:
            raise ChromiumError(f"JS error in {expression[:80]!r}: {res['exceptionDetails']}")
        return res.get("result", {}).get("value")

    def wait_for(self, session: str, expression: str, *, timeout: float = 30.0, interval: float = 0.1):
        deadline = time.monotonic() + timeout
        while True:
            value = self.evaluate(session, expression)
            if value:
                return value
            if time.monotonic() >= deadline:
                raise ChromiumError(f"timeout after {timeout}s waiting for {expression!r}")
            time.sleep(interval)

    def click(self, session: str, x: float, y: float):
        """A real left click at (x, y) of the page, as a user's mouse makes it."""
        for kind in ("mouseMoved", "mousePressed", "mouseReleased"):
            self.send("Input.dispatchMouseEvent", {"type": kind, "x": x, "y": y, "button": "left",
                                                   "buttons": int(kind == "mousePressed"),
                                                   "clickCount": 1}, session=session)

    def screenshot(self, session: str, path) -> bytes:
        data = base64.b64decode(self.send("Page.captureScreenshot", {"format": "png"}, session=session)["data"])
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        return data


def _dup_high(fd: int) -> int:
    import fcntl

    # close-on-exec copy at fd >= 10; dup2 onto 3/4 in the child clears the flag there
    return fcntl.fcntl(fd, fcntl.F_DUPFD_CLOEXEC, 10)


_PAGE_STATE_JS = r"""
(function () {
  var b = document.body || {dataset: {}};
  var nodes = window.reformkgNodes, edges = window.reformkgEdges;
  var res = (window.performance && performance.getEntriesByType)
      ? performance.getEntriesByType("resource").map(function (e) { return e.name; }) : [];
  return {
    ready: b.dataset.ready === "1",
    physics: b.dataset.physics || null,
    node_count: nodes ? nodes.length : null,
    edge_count: edges ? edges.length : null,
    stabilise_ms: window.reformkgStabiliseMs == null ? null : window.reformkgStabiliseMs,
    kinds: window.reformkgKinds || {},
    resource_entries: res,
    title: document.title,
    charset: document.characterSet
  };
})()
"""

_CANVAS_JS = r"""
(function () {
  var c = document.querySelector("#mynetwork canvas") || document.querySelector("canvas");
  if (!c) return null;
  var d = c.getContext("2d").getImageData(0, 0, c.width, c.height).data;
  var kinds = window.reformkgKinds || {}, targets = [], counts = {};
  Object.keys(kinds).forEach(function (k) {
    var h = String(kinds[k].color || "").replace("#", "");
    if (h.length === 6) targets.push([k, parseInt(h.slice(0, 2), 16), parseInt(h.slice(2, 4), 16), parseInt(h.slice(4, 6), 16)]);
    counts[k] = 0;
  });
  var ink = 0;
  for (var i = 0; i < d.length; i += 4) {
    if (d[i + 3] < 16) continue;
    var r = d[i], g = d[i + 1], b = d[i + 2];
    if (r > 245 && g > 245 && b > 245) continue;
    ink++;
    for (var t = 0; t < targets.length; t++) {
      var T = targets[t];
      if (Math.abs(r - T[1]) <= 8 && Math.abs(g - T[2]) <= 8 && Math.abs(b - T[3]) <= 8) { counts[T[0]]++; break; }
    }
  }
  return {width: c.width, height: c.height, ink_pixels: ink, kind_pixels: counts};
})()
"""


def png_stats(png: bytes) -> dict:
    """Size, share of non-white pixels and number of distinct colours of a PNG."""
    from PIL import Image

    im = Image.open(io.BytesIO(png)).convert("RGB")
    w, h = im.size
    gray_hist = im.convert("L").histogram()
    nonwhite = sum(gray_hist[:245])
    colours = im.getcolors(maxcolors=w * h) or []
    return {"width": w, "height": h, "nonwhite_fraction": nonwhite / float(w * h), "distinct_colours": len(colours)}


def _external(url: str, page_url: str) -> bool:
    if url.startswith(ALLOWED_SCHEMES):
        return False
    return url.split("#", 1)[0] != page_url


def check_rendered(html_path, expected_nodes, screenshot_path, *, timeout: float = 60.0, width: int = 1280,
                   height: int = 900, extra_js: dict | None = None, strict: bool = True,
                   binary: str | None = None) -> dict:
    """Open ``html_path`` offline in headless Chromium and report what rendered.

    Waits for ``document.body.dataset.ready == "1"``, reads vis' DataSet node
    count, the canvas pixels, every request the page made, JS errors, and
    saves a PNG screenshot.  Returns a dict; with ``strict`` (default) it
    raises AssertionError listing every problem found.
    """
    html_path = Path(html_path).resolve()
    page_url = html_path.as_uri()
    out: dict = {"url": page_url, "screenshot": str(screenshot_path), "problems": []}
    problems = out["problems"]
    t_start = time.monotonic()
    with Browser(binary, width=width, height=height) as br:
        session = br.new_page()
        t_nav = time.monotonic()
        br.navigate(session, page_url, timeout=timeout)
        out["load_s"] = round(time.monotonic() - t_nav, 3)
        try:
            br.wait_for(session, "document.body && document.body.dataset.ready === '1'", timeout=timeout)
        except ChromiumError as exc:
            problems.append(f"page never became ready: {exc}")
        out["ready_s"] = round(time.monotonic() - t_nav, 3)
        time.sleep(0.2)  # let a final frame paint before the screenshot
        out.update(br.evaluate(session, _PAGE_STATE_JS))
        out["canvas"] = br.evaluate(session, _CANVAS_JS)
        png = br.screenshot(session, screenshot_path)
        # extra probes run after the screenshot so it shows the untouched, fitted layout; a probe
        # that is a function is called with the browser and the page's session (to click, say)
        out["extra"] = {name: expr(br, session) if callable(expr) else br.evaluate(session, expr)
                        for name, expr in (extra_js or {}).items()}
        out["png"] = png_stats(png)
        out["requests"] = [e["params"]["request"]["url"]
                           for e in br.session_events(session, "Network.requestWillBeSent")]
        out["exceptions"] = [e["params"]["exceptionDetails"].get("exception", {}).get("description")
                             or e["params"]["exceptionDetails"].get("text")
                             for e in br.session_events(session, "Runtime.exceptionThrown")]
        out["console_errors"] = (
            [" ".join(str(a.get("value", a.get("description", ""))) for a in e["params"].get("args", []))
             for e in br.session_events(session, "Runtime.consoleAPICalled") if e["params"].get("type") == "error"]
            + [e["params"]["entry"].get("text", "") + " " + e["params"]["entry"].get("url", "")
               for e in br.session_events(session, "Log.entryAdded") if e["params"]["entry"].get("level") == "error"]
        )
    out["total_s"] = round(time.monotonic() - t_start, 3)
    out["external_requests"] = sorted({u for u in out["requests"] + out.get("resource_entries", [])
                                       if _external(u, page_url)})

    if out.get("node_count") != expected_nodes:
        problems.append(f"vis DataSet has {out.get('node_count')} nodes, expected {expected_nodes}")
    if out.get("physics") != "off":
        problems.append(f"physics not stopped (physics={out.get('physics')!r})")
    if out["external_requests"]:
        problems.append(f"page requested outside itself: {out['external_requests']}")
    if page_url not in [u.split('#', 1)[0] for u in out["requests"]]:
        problems.append(f"request log did not see the page itself ({out['requests']})")
    if out["exceptions"]:
        problems.append(f"JS exceptions: {out['exceptions']}")
    if out["console_errors"]:
        problems.append(f"console errors: {out['console_errors']}")
    if out.get("charset", "").upper() != "UTF-8":
        problems.append(f"document charset {out.get('charset')!r}")
    png_info = out["png"]
    if png_info["nonwhite_fraction"] < 0.002 or png_info["distinct_colours"] < 8:
        problems.append(f"screenshot looks blank: {png_info}")
    canvas = out["canvas"]
    if expected_nodes:
        if not canvas or canvas["ink_pixels"] < 50:
            problems.append(f"graph canvas looks blank: {canvas}")
        else:
            missing = [k for k, n in canvas["kind_pixels"].items() if n < 3]
            if missing:
                problems.append(f"no pixels of kind colour(s) {missing} on the canvas: {canvas}")
    if strict and problems:
        raise AssertionError("rendered page check failed:\n  " + "\n  ".join(problems))
    return out
