#!/usr/bin/env python3
"""How long staff wait for the preview after saving one record.

Builds a synthetic corpus, builds the preview once (as ``serve`` does when it starts), then
changes one notice's description and times the rebuild that ``serve`` runs on a save.

    python bench/preview.py [--notices 10000] [--repeat 3]
"""
from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "bench"))

from benchmark import make_content  # noqa: E402
from noticeboard.pipeline import build  # noqa: E402

TODAY = date(2026, 11, 29)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--notices", type=int, default=10000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        content = work / "content"
        content.mkdir()
        make_content(content, args.notices)
        preview = work / "preview"
        started = time.perf_counter()
        build(content, preview, TODAY, drafts=True)
        first = time.perf_counter() - started
        record = content / "contracts" / "notice-00000.md"
        times = []
        for attempt in range(args.repeat):
            record.write_text(record.read_text(encoding="utf-8") + f"\nEdit {attempt}.\n", encoding="utf-8")
            started = time.perf_counter()
            build(content, preview, TODAY, drafts=True)
            times.append(time.perf_counter() - started)
    print(f"{args.notices} notices: preview started in {first:.2f} s; one record saved, rebuilt in "
          f"{statistics.median(times):.2f} s (median of {args.repeat})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
