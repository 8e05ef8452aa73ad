#!/usr/bin/env python3
"""Build speed, as a ratio against a baseline measured in the same run.

The baseline is the least any generator must do with the same files: read each one,
parse its YAML front matter and convert its Markdown body. The ratio says how much the
whole pipeline (validation, model, templates, sanitising, the atomic write) costs on top
of that, independent of how fast this machine happens to be.

    python bench/benchmark.py [--notices 2000] [--repeat 3] [--max-ratio R]

Exit status 1 when ``--max-ratio`` is given and exceeded.
"""
from __future__ import annotations

import argparse
import random
import shutil
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

import markdown
import yaml

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from noticeboard.pipeline import build  # noqa: E402

VENDORS = ["Acme Learning", "Bright Path", "Civic Maps", "Delta Reading", "Echo Math", "Fable Books",
           "Gamma Science", "Harbor Health", "Iris Music", "Juniper Writing"]


def _code(number: int) -> str:
    """A word for ``number`` at least three letters from every other's: 0 → "Bal Bal Bal", 1 → "Bel Bel Bel".

    Distinct companies, as a district's are, rather than names that ``check`` would warn look alike.
    """
    word = "BCDFGHKLMNPRSTVZ"[number // 5 % 16] + "aeiou"[number % 5] + "lmnr"[number // 80 % 4]
    return " ".join([word] * 3)


def make_content(root: Path, notices: int) -> None:
    """``notices`` synthetic notices with the example's settings and vocabulary."""
    shutil.copy(REPO / "content" / "site.yml", root / "site.yml")
    shutil.copy(REPO / "content" / "data-elements.yml", root / "data-elements.yml")
    keys = list(yaml.safe_load((root / "data-elements.yml").read_text()))
    rng = random.Random(20251121)
    (root / "contracts").mkdir()
    for index in range(notices):
        signed = date(2020, 1, 1) + timedelta(days=rng.randrange(1800))
        vendor = f"{rng.choice(VENDORS)} {_code(index % 250)}"
        data = ", ".join(rng.sample(keys, rng.randrange(0, 8)))
        (root / "contracts" / f"notice-{index:05d}.md").write_text(
            f"---\nvendor: {vendor}\ncontract_date: {signed}\nposted: {signed + timedelta(days=3)}\n"
            f"expires: {signed + timedelta(days=730)}\nstudent_data: [{data}]\n"
            f"documents:\n  - title: Privacy policy\n    url: https://example.org/{index}\n---\n"
            f"A **reading** program for grades {index % 12 + 1}.\n\n- one\n- two\n", encoding="utf-8")


def baseline(root: Path) -> None:
    md = markdown.Markdown()
    for path in sorted((root / "contracts").glob("*.md")):
        _, front, body = path.read_text(encoding="utf-8").split("---\n", 2)
        yaml.safe_load(front)
        md.reset()
        md.convert(body)


def timed(function, repeat: int) -> float:
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        function()
        best = min(best, time.perf_counter() - start)
    return best


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--notices", type=int, default=2000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--max-ratio", type=float)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as work:
        root = Path(work) / "content"
        root.mkdir()
        make_content(root, args.notices)
        out = Path(work) / "site"
        today = date(2026, 11, 29)

        def full_build() -> None:
            result = build(root, out, today)
            assert not result.report.errors, result.report.lines()[:5]

        base = timed(lambda: baseline(root), args.repeat)
        full = timed(full_build, args.repeat)
    ratio = full / base
    print(f"{args.notices} notices: baseline (read + YAML + Markdown) {base:.3f} s, "
          f"build {full:.3f} s, ratio {ratio:.2f}")
    if args.max_ratio is not None and ratio > args.max_ratio:
        print(f"ratio {ratio:.2f} exceeds --max-ratio {args.max_ratio}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
