#!/usr/bin/env python3
"""Build speed, as ratios against a naive pipeline measured in the same run.

The naive pipeline (``bench/naive.py``) is the least any Python generator must do with the
same files, on every core: read each one, parse its front matter with libyaml, convert its
Markdown, render a Jinja2 page and write it. The ratios say how much the whole build
(validation, two languages, the lists, feeds, open data, the search index, the atomic
write) costs on top of that, independent of how fast this machine happens to be.

    python bench/benchmark.py [--notices 1000] [--runs 3] [--max-ratio R]

Each run measures, in turn, every command as a process of its own, output on tmpfs when
there is one:

- naive: ``bench/naive.py`` on every core;
- cold: ``build`` with an empty cache (``NOTICEBOARD_CACHE_DIR``) and no earlier output;
- no cache: ``build --no-cache``;
- warm: ``build`` again, the cache and the output kept, nothing changed (it renders no page and links the
  search index);
- one record: the same after one notice's text changed;
- new day: the same on the next day, nothing else changed (what the daily build of the workflow does);
- check, cold and warm: ``check`` with an empty cache, then again with it (every notice links a
  PDF of its own, which ``check`` reads for its accessibility the first time only).

It prints the median time and peak memory of each, and each median's ratio to the naive
pipeline's. Exit status 1 when ``--max-ratio`` is given and the cold ratio exceeds it.
"""
from __future__ import annotations

import argparse
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "scripts"))
from make_example_pdfs import make_pdf  # noqa: E402

TODAY, NEXT_DAY = "2026-11-29", "2026-11-30"
BUILD = [sys.executable, str(REPO / "build.py"), "build"]
CHECK = [sys.executable, str(REPO / "build.py"), "check", "--today", TODAY]
NAIVE = [sys.executable, str(REPO / "bench" / "naive.py")]

VENDORS = ["Acme Learning", "Bright Path", "Civic Maps", "Delta Reading", "Echo Math", "Fable Books",
           "Gamma Science", "Harbor Health", "Iris Music", "Juniper Writing"]


def _code(number: int) -> str:
    """A word for ``number`` at least three letters from every other's: 0 → "Bal Bal Bal", 1 → "Bel Bel Bel".

    Distinct companies, as a district's are, rather than names that ``check`` would warn look alike.
    """
    word = "BCDFGHKLMNPRSTVZ"[number // 5 % 16] + "aeiou"[number % 5] + "lmnr"[number // 80 % 4]
    return " ".join([word] * 3)


def make_content(root: Path, notices: int) -> None:
    """``notices`` synthetic notices with the example's settings and vocabulary, each with its signed contract:
    a one-page accessible PDF of its own."""
    shutil.copy(REPO / "content" / "site.yml", root / "site.yml")
    shutil.copy(REPO / "noticeboard" / "defaults" / "data-elements.yml", root / "data-elements.yml")  # the shipped one
    keys = list(yaml.safe_load((root / "data-elements.yml").read_text()))
    rng = random.Random(20251121)
    (root / "contracts" / "files").mkdir(parents=True)
    for index in range(notices):
        signed = date(2020, 1, 1) + timedelta(days=rng.randrange(1800))
        vendor = f"{rng.choice(VENDORS)} {_code(index % 250)}"
        data = ", ".join(rng.sample(keys, rng.randrange(0, 8)))
        (root / "contracts" / f"notice-{index:05d}.md").write_text(
            f"---\nvendor: {vendor}\ncontract_date: {signed}\nposted: {signed + timedelta(days=3)}\n"
            f"expires: {signed + timedelta(days=730)}\nstudent_data: [{data}]\n"
            f"documents:\n  - title: Signed contract\n    file: notice-{index:05d}.pdf\n"
            f"  - title: Privacy policy\n    url: https://example.org/{index}\n---\n"
            f"A **reading** program for grades {index % 12 + 1}. {_sentences(rng, 3)}\n\n"
            f"## What it is for\n\n- {_sentences(rng, 1)}\n- {_sentences(rng, 1)}\n\n"
            f"{_sentences(rng, 4)} See [the vendor's terms](https://example.org/{index}/terms).\n", encoding="utf-8")
        (root / "contracts" / "files" / f"notice-{index:05d}.pdf").write_bytes(
            make_pdf([f"Contract {index} between the district and {vendor}.", _sentences(rng, 2)],
                     title=f"Contract with {vendor}", lang="en-US"))


WORDS = ("students teachers reading math progress lessons families accounts records schools privacy data "
         "deleted retained shared classroom program assessment support platform security district").split()


def _sentences(rng: random.Random, count: int) -> str:
    """``count`` sentences of filler text, a word of each in *emphasis*: bodies the size of real ones."""
    sentences = []
    for _ in range(count):
        words = rng.choices(WORDS, k=rng.randrange(8, 16))
        words[rng.randrange(len(words))] = f"*{words[0]}*"
        sentences.append(" ".join(words).capitalize() + ".")
    return " ".join(sentences)


def timed(command: list[str], env: dict[str, str] | None = None) -> tuple[float, float]:
    """Wall seconds and peak MiB of ``command``, a process of its own (its workers' peak included).

    Its messages go to a file, not a pipe: a pipe read only at the end fills, and the command blocks.
    """
    with tempfile.TemporaryFile() as messages:
        start = time.perf_counter()
        process = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=messages)
        _, status, usage = os.wait4(process.pid, 0)
        seconds = time.perf_counter() - start
        process.returncode = os.waitstatus_to_exitcode(status)  # reaped here, by wait4
        if process.returncode != 0:
            messages.seek(0)
            sys.exit(f"{' '.join(command)} failed:\n{messages.read().decode(errors='replace')[-2000:]}")
    return seconds, usage.ru_maxrss / 1024


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--notices", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--max-ratio", type=float, help="fail when the cold build takes more than R times the naive one")
    args = parser.parse_args()
    scratch = "/dev/shm" if os.path.isdir("/dev/shm") and os.access("/dev/shm", os.W_OK) else None
    with tempfile.TemporaryDirectory(dir=scratch) as work:
        work = Path(work)
        content, out, naive_out, cache = work / "content", work / "site", work / "naive", work / "cache"
        content.mkdir()
        make_content(content, args.notices)
        build = [*BUILD, "--content", str(content), "--out", str(out), "--today", TODAY]
        next_day = [*BUILD, "--content", str(content), "--out", str(out), "--today", NEXT_DAY]
        cached = dict(os.environ, NOTICEBOARD_CACHE_DIR=str(cache))
        changed = content / "contracts" / "notice-00000.md"
        check = [*CHECK, "--content", str(content)]
        figures: dict[str, list[tuple[float, float]]] = {name: [] for name in (
            "naive", "cold", "no cache", "warm", "one record", "new day", "check, cold", "check, warm")}
        for run in range(args.runs):
            shutil.rmtree(naive_out, ignore_errors=True)
            figures["naive"].append(timed([*NAIVE, "--content", str(content), "--out", str(naive_out)]))
            shutil.rmtree(out, ignore_errors=True)
            shutil.rmtree(cache, ignore_errors=True)
            figures["cold"].append(timed(build, cached))
            figures["warm"].append(timed(build, cached))
            with changed.open("a", encoding="utf-8") as notice:
                notice.write(f"\nChanged in run {run + 1}.\n")
            figures["one record"].append(timed(build, cached))
            figures["new day"].append(timed(next_day, cached))
            figures["no cache"].append(timed([*build, "--no-cache"], cached))
            shutil.rmtree(cache)
            figures["check, cold"].append(timed(check, cached))
            figures["check, warm"].append(timed(check, cached))
    naive = statistics.median(seconds for seconds, _ in figures["naive"])
    print(f"{args.notices} notices, medians of {args.runs} runs, {os.cpu_count()} cores:")
    print(f"{'':12} {'seconds':>8} {'/ naive':>8} {'peak MiB':>9}")
    for name, runs in figures.items():
        seconds = statistics.median(seconds for seconds, _ in runs)
        peak = statistics.median(peak for _, peak in runs)
        print(f"{name:12} {seconds:8.2f} {seconds / naive:8.2f} {peak:9.0f}")
    ratio = statistics.median(seconds for seconds, _ in figures["cold"]) / naive
    if args.max_ratio is not None and ratio > args.max_ratio:
        print(f"cold build / naive = {ratio:.2f}, more than --max-ratio {args.max_ratio}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
