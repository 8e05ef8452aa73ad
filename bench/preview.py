#!/usr/bin/env python3
"""How long staff wait for the preview after saving one record, measured in a real browser.

Builds a synthetic corpus, starts ``serve`` on it as staff do, opens one notice's page in
Chromium (Debian's, driven by Playwright), then saves that notice's record again and again
and times each save until the browser shows the new text: the file-system event, the wait for
a burst of saves to end, the rebuild, the reload message, the browser's request, rendering
the page and loading it (the browser's ``load`` event, by its own clock). Two kinds of save are timed: a change to the text (the description),
which the preview patches into its model, and a change to the student data, which moves the
notice between the lists of the site, so that the model of the language on screen is built anew.

    python bench/preview.py [--notices 10000] [--repeat 5]

It prints the medians and exits 1 when the text edit's median is over ``--goal`` seconds (0.2).
"""
from __future__ import annotations

import argparse
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "bench"))

from benchmark import make_content  # noqa: E402

TODAY = "2026-11-29"
CHROMIUM = "/usr/bin/chromium"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_until_served(url: str, process: subprocess.Popen, seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"serve stopped: {process.stderr.read()}")
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                if response.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.2)
    raise SystemExit(f"serve did not answer within {seconds} s")


def timed_saves(page, record: Path, edits: list[tuple[str, str]]) -> list[float]:
    """Save each (text, marker) as the record, and time it until the page on screen shows the marker."""
    times = []
    for text, marker in edits:
        page.evaluate("window.__noticeboardOld = true")  # gone once the page has reloaded
        saved = time.time()
        record.write_text(text, encoding="utf-8")
        page.wait_for_function("marker => !window.__noticeboardOld && document.body && "
                               "document.body.innerText.includes(marker)", arg=marker, timeout=120_000)
        page.wait_for_load_state("load")
        # When the new page had loaded, by the browser's own clock (this machine's): Playwright's
        # polling of the page would add its own delay to the figure.
        loaded = page.evaluate("performance.timeOrigin + performance.getEntriesByType('navigation')[0].loadEventEnd")
        times.append(loaded / 1000 - saved)
        time.sleep(3)  # a pause between saves, as between a person's edits
    return times


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--notices", type=int, default=10000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--goal", type=float, default=0.2, help="seconds for the text edit's median")
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        content = work / "content"
        content.mkdir()
        make_content(content, args.notices)
        record = content / "contracts" / "notice-00000.md"
        original = record.read_text(encoding="utf-8")
        port = free_port()
        url = f"http://127.0.0.1:{port}/"
        started = time.perf_counter()
        process = subprocess.Popen([sys.executable, str(REPO / "build.py"), "serve", "--content", str(content),
                                    "--port", str(port), "--today", TODAY],
                                   stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        try:
            wait_until_served(url, process, seconds=900)
            start = time.perf_counter() - started
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(executable_path=CHROMIUM)
                page = browser.new_page()
                with page.expect_websocket():  # the page waits on the preview's reload socket
                    page.goto(url + "contracts/notice-00000/", wait_until="load")
                text_edits = [(original.replace("A **reading** program", f"A **reading** program, edit {n},"),
                               f"edit {n},") for n in range(args.repeat)]
                text = timed_saves(page, record, text_edits)
                data_edits = [(original.replace("student_data: [", f"student_data: [{key}, ", 1)
                               .replace("A **reading** program", f"A **reading** program, data edit {n},"),
                               f"data edit {n},")
                              for n, key in zip(range(args.repeat), ["student_name", "grade_level"] * args.repeat)]
                data = timed_saves(page, record, data_edits)
                reloads = []
                for _ in range(args.repeat):
                    began = time.perf_counter()
                    page.reload(wait_until="load")
                    reloads.append(time.perf_counter() - began)
                browser.close()
        finally:
            process.terminate()
            _, log = process.communicate(timeout=30)
    rebuilds = [line.split(" s ")[0].rsplit(" ", 1)[1] for line in log.splitlines() if line.startswith("Preview rebuilt in")]
    print(f"the server's rebuilds (s): {', '.join(rebuilds)}; a reload of the page alone: "
          f"{statistics.median(reloads):.3f} s")
    print(f"{args.notices} notices: the preview started in {start:.1f} s; one record saved, on screen in the browser "
          f"after {statistics.median(text):.3f} s when its text changed, {statistics.median(data):.2f} s when its "
          f"student data changed (medians of {args.repeat})")
    return 0 if statistics.median(text) <= args.goal else 1


if __name__ == "__main__":
    sys.exit(main())
