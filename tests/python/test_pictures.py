"""Pictures as a person sees them: a learner's map (``LearnerState.to_svg``) and the cohort
report (``Roster.report``) rendered in headless Chromium through the DevTools protocol: the page
loads, draws what it should, logs no console message and makes no network request; the PNG
screenshots are kept under the test's tmp dir (and copied to $MASTERYMAP_SCREENSHOTS when set,
to look at). The SVG parses as XML with exactly one node per competency; outputs are
byte-identical across runs. Skipped when chromium (Debian's package) is absent."""
import base64
import json
import os
import pathlib
import shutil
import struct
import subprocess
import xml.etree.ElementTree as ET

import numpy as np
import pandas as pd
import pytest

import masterymap as mm
import masterymap.testing as mmt

SVG_NS = "{http://www.w3.org/2000/svg}"
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


# --- a small DevTools-protocol client over --remote-debugging-pipe ---------------------------

class Browser:
    """Headless Chromium driven through the DevTools protocol on a pipe (fds 3 and 4)."""

    def __init__(self, profile: pathlib.Path):
        to_child_r, self._to_child = os.pipe()
        self._from_child, from_child_w = os.pipe()

        def fds():  # in the child: the pipe ends at fds 3 and 4, inheritable
            r, w = os.dup(to_child_r), os.dup(from_child_w)  # out of the way of 3 and 4
            os.dup2(r, 3)
            os.dup2(w, 4)
            os.set_inheritable(3, True)
            os.set_inheritable(4, True)

        self.proc = subprocess.Popen(
            [CHROMIUM, "--headless=new", "--remote-debugging-pipe", "--no-sandbox",
             "--disable-gpu", "--no-first-run", "--no-default-browser-check",
             "--disable-extensions", "--disable-background-networking", "--disable-sync",
             "--disable-component-update", "--hide-scrollbars", "--mute-audio",
             "--font-render-hinting=none", f"--user-data-dir={profile}", "about:blank"],
            preexec_fn=fds, close_fds=False, stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        os.close(to_child_r)
        os.close(from_child_w)
        self._buffer = b""
        self._next = 0
        self.events = []

    def _read_message(self):
        while b"\0" not in self._buffer:
            chunk = os.read(self._from_child, 1 << 20)
            if not chunk:
                raise RuntimeError("chromium closed the DevTools pipe")
            self._buffer += chunk
        message, self._buffer = self._buffer.split(b"\0", 1)
        return json.loads(message)

    def call(self, method, session=None, **params):
        self._next += 1
        msg = {"id": self._next, "method": method, "params": params}
        if session:
            msg["sessionId"] = session
        os.write(self._to_child, json.dumps(msg).encode() + b"\0")
        while True:
            reply = self._read_message()
            if reply.get("id") == self._next:
                if "error" in reply:
                    raise RuntimeError(f"{method}: {reply['error']}")
                return reply.get("result", {})
            self.events.append(reply)

    def wait_for(self, method, session):
        for e in self.events:
            if e.get("method") == method and e.get("sessionId") == session:
                return e
        while True:
            e = self._read_message()
            self.events.append(e)
            if e.get("method") == method and e.get("sessionId") == session:
                return e

    def close(self):
        try:
            self.call("Browser.close")
        except Exception:  # noqa: BLE001 - closing anyway
            pass
        try:
            self.proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        os.close(self._to_child)
        os.close(self._from_child)

    def render(self, path: pathlib.Path, png: pathlib.Path, width=1280, height=900):
        """Opens `path`, waits for its load event, takes a full-page PNG screenshot; returns
        (requests, console, facts): every URL requested, every console or log entry and
        exception, and what a script sees (title, readyState, element counts)."""
        target = self.call("Target.createTarget", url="about:blank")["targetId"]
        s = self.call("Target.attachToTarget", targetId=target, flatten=True)["sessionId"]
        for domain in ("Page", "Network", "Runtime", "Log"):
            self.call(f"{domain}.enable", session=s)
        self.call("Emulation.setDeviceMetricsOverride", session=s, width=width, height=height,
                  deviceScaleFactor=1, mobile=False)
        url = path.resolve().as_uri()
        self.call("Page.navigate", session=s, url=url)
        self.wait_for("Page.loadEventFired", s)
        facts = self.call("Runtime.evaluate", session=s, returnByValue=True, expression="""({
            title: document.title, ready: document.readyState,
            svgs: document.querySelectorAll('svg').length,
            nodes: document.querySelectorAll('g.node').length,
            bars: document.querySelectorAll('g.bar').length,
            cells: document.querySelectorAll('svg.heatmap rect').length,
            km: document.querySelectorAll('svg.km').length,
            details: document.querySelectorAll('details').length,
            open: document.querySelectorAll('details[open]').length,
            width: document.documentElement.scrollWidth,
            height: document.documentElement.scrollHeight,
            drawn: Array.from(document.querySelectorAll('svg')).every(
                e => e.getBoundingClientRect().width > 0 && e.getBoundingClientRect().height > 0)
        })""")["result"]["value"]
        metrics = self.call("Page.getLayoutMetrics", session=s)["cssContentSize"]
        shot = self.call("Page.captureScreenshot", session=s, format="png",
                         captureBeyondViewport=True,
                         clip={"x": 0, "y": 0, "width": min(metrics["width"], 1600),
                               "height": min(metrics["height"], 4000), "scale": 1})
        png.write_bytes(base64.b64decode(shot["data"]))
        mine = [e for e in self.events if e.get("sessionId") == s]
        requests = [e["params"]["request"]["url"] for e in mine
                    if e["method"] == "Network.requestWillBeSent"]
        console = [e["params"] for e in mine
                   if e["method"] in ("Runtime.consoleAPICalled", "Runtime.exceptionThrown",
                                      "Log.entryAdded")]
        self.call("Target.closeTarget", targetId=target)
        self.events = [e for e in self.events if e.get("sessionId") != s]
        return requests, console, facts


def png_size(data: bytes):
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    return struct.unpack(">II", data[16:24])


def keep(png: pathlib.Path):
    where = os.environ.get("MASTERYMAP_SCREENSHOTS")
    if where:
        pathlib.Path(where).mkdir(parents=True, exist_ok=True)
        shutil.copy(png, pathlib.Path(where) / png.name)


# --- the pictures -----------------------------------------------------------------------------

@pytest.fixture(scope="module")
def fractions(example_data):
    return mm.Framework.read_json(example_data / "fractions" / "framework.json")


@pytest.fixture(scope="module")
def roster(fractions):
    policy = mmt.policy()
    evidence, _ = mmt.simulate(fractions, policy, learners=60, seed=7, attempts=40,
                               overrides={list(fractions)[5]: {"learns": 0.02}},
                               max_attempts=14)
    r = mm.Roster(fractions, policy, threads=2)
    r.ingest(evidence)
    return r


def map_state(roster):
    """The learner with the most varied statuses (a map worth looking at)."""
    best = max(roster.learners, key=lambda l: (len(set(roster.learner(l).statuses())), l))
    return roster.learner(best)


def test_map_svg_parses_one_node_per_competency(roster, fractions):
    if not mm.io.have_graphviz():
        pytest.skip("built without Graphviz (libgvc)")
    st = map_state(roster)
    svg = st.to_svg()
    assert svg == st.to_svg()  # byte-identical
    assert st.to_dot() == st.to_dot()
    root = ET.fromstring(svg.encode())
    nodes = [g for g in root.iter(f"{SVG_NS}g") if "node" in g.get("class", "").split()]
    assert len(nodes) == len(fractions)
    assert sorted(g.get("id") for g in nodes) == sorted("c-" + i for i in list(fractions))
    status = dict(zip(list(fractions), st.to_dataframe()["status"].astype(str)))
    frontier = set(st.frontier())
    for g in nodes:
        cid = g.get("id")[2:]
        classes = g.get("class").split()
        assert f"status-{status[cid]}" in classes
        assert ("frontier" in classes) == (cid in frontier)
        # a tooltip with the explanation
        titles = [a.get("{http://www.w3.org/1999/xlink}title") for a in g.iter(f"{SVG_NS}a")]
        assert titles and titles[0].startswith(f"{cid}: ")
    edges = [g for g in root.iter(f"{SVG_NS}g") if "edge" in g.get("class", "").split()]
    assert len(edges) == len(fractions.edges())


def test_report_html_deterministic_and_written(roster, tmp_path):
    html = roster.report()
    assert html == roster.report()
    out = tmp_path / "report.html"
    assert roster.report(out) == html
    assert out.read_text(encoding="utf-8") == html
    assert "<script" not in html and "https://" not in html
    name = roster.learners[0]
    assert f"<title>{name} &middot; " in html  # heatmap tooltips
    quiet = roster.report(names=False)
    assert f"<title>{name} &middot; " not in quiet
    assert not any(f"<p>{l}" in quiet or f", {l}," in quiet for l in roster.learners)


def test_report_bottlenecks_hook(roster):
    ids = list(roster.framework)
    frame = pd.DataFrame({"competency": [ids[5], ids[2]], "score": [3.0, 1.5],
                          "reasons": [["12 learners stuck"], "low mastery rate"]})
    html = roster.report(bottlenecks=frame)
    assert "3.00 &middot; 12 learners stuck" in html
    assert "1.50 &middot; low mastery rate" in html
    assert roster.report(bottlenecks=[(ids[5], 3.0, ["12 learners stuck"])]).count(
        'class="bottleneck"') == 1
    # a competency that holds nobody back gets no bar
    assert roster.report(bottlenecks=[(ids[5], 3.0, ["12 learners stuck"]),
                                      (ids[2], 0.0, ["holds nobody back"])]).count(
        'class="bottleneck"') == 1
    assert "None: no competency holds a learner back" in roster.report(
        bottlenecks=[(ids[2], 0.0, [])])
    with pytest.raises(ValueError, match="bottleneck names competency 'nope'"):
        roster.report(bottlenecks=[("nope", 1.0, [])])
    with pytest.raises(ValueError, match="missing \\['score'\\]"):
        roster.report(bottlenecks=pd.DataFrame({"competency": [ids[0]]}))
    with pytest.raises(TypeError, match="bottlenecks must be"):
        roster.report(bottlenecks=3)


@pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed")
def test_seen_in_chromium(roster, fractions, tmp_path):
    html_path = tmp_path / "report.html"
    roster.report(html_path)
    pages = [("report", html_path)]
    if mm.io.have_graphviz():
        svg_path = tmp_path / "map.svg"
        svg_path.write_text(map_state(roster).to_svg(), encoding="utf-8")
        pages.append(("map", svg_path))
    shots = {}
    for attempt in (1, 2):
        browser = Browser(tmp_path / f"profile{attempt}")
        try:
            for name, path in pages:
                png = tmp_path / f"{name}-{attempt}.png"
                requests, console, facts = browser.render(path, png)
                # Only the file itself is requested; nothing is logged.
                assert requests == [path.resolve().as_uri()], requests
                assert console == [], console
                assert facts["ready"] == "complete"
                assert facts["drawn"], facts
                w, h = png_size(png.read_bytes())
                assert w >= 600 and h >= 400, (w, h)
                assert png.stat().st_size > 10_000  # not a blank page
                if name == "report":
                    assert facts["title"].startswith("Cohort report")
                    assert facts["bars"] == len(fractions)
                    assert facts["cells"] == len(fractions) * len(roster.learners) + 1
                    assert facts["km"] > 0
                    assert facts["details"] > 3 and facts["open"] == 0  # names on demand
                else:
                    assert facts["nodes"] == len(fractions)
                shots[(name, attempt)] = png.read_bytes()
                keep(png)
        finally:
            browser.close()
    for name, _ in pages:  # the same pixels from a fresh browser
        assert shots[(name, 1)] == shots[(name, 2)], name
