#!/usr/bin/env python3
"""The naive pipeline that the benchmark measures the build against, on every core.

    python bench/naive.py --content DIR --out DIR [--jobs N]

What any Python generator must do with the same files, and nothing more: read each
contracts/*.md, parse its front matter with libyaml, convert its Markdown with
Python-Markdown, render a Jinja2 page, write it; then a list of every notice and a page
per vendor. No validation, no second language, no search index, no feeds.
"""
from __future__ import annotations

import argparse
import multiprocessing
import os
import re
import shutil

import jinja2
import markdown
import yaml
from markupsafe import Markup

TEMPLATES = {
    "base.html": """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{% block title %}{% endblock %}</title></head>
<body><main>{% block main %}{% endblock %}</main></body></html>
""",
    "notice.html": """{% extends "base.html" %}{% block title %}{{ n.vendor }}{% endblock %}
{% block main %}<h1>{{ n.vendor }}</h1>
<dl><dt>Signed</dt><dd>{{ n.contract_date }}</dd><dt>Posted</dt><dd>{{ n.posted }}</dd></dl>
<ul>{% for key in n.student_data %}<li>{{ key }}</li>{% endfor %}</ul>
<ul>{% for d in n.documents %}<li><a href="{{ d.url or d.file }}">{{ d.title }}</a></li>{% endfor %}</ul>
<a href="/vendors/{{ n.vendor_slug }}/">{{ n.vendor }}</a>
{{ n.body }}{% endblock %}
""",
    "list.html": """{% extends "base.html" %}{% block title %}{{ title }}{% endblock %}
{% block main %}<h1>{{ title }}</h1><ul>
{% for n in notices %}<li><a href="/contracts/{{ n.slug }}/">{{ n.vendor }}</a> {{ n.contract_date }}</li>{% endfor %}
</ul>{% endblock %}
""",
}


def slugify(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def write(path: str, html: str) -> None:
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8") as page:
        page.write(html)


_ENV = jinja2.Environment(loader=jinja2.DictLoader(TEMPLATES), autoescape=True)
_MARKDOWN = markdown.Markdown(output_format="html")


def notice(job: tuple[str, str, str]) -> dict:
    content, out, name = job
    with open(os.path.join(content, "contracts", name), encoding="utf-8") as source:
        _, front, body = source.read().split("---\n", 2)
    fields = yaml.load(front, Loader=yaml.CSafeLoader)
    slug = name[:-3]
    summary = {"slug": slug, "vendor": fields["vendor"], "vendor_slug": slugify(fields["vendor"]),
               "contract_date": str(fields.get("contract_date"))}
    page = dict(fields, **summary, body=Markup(_MARKDOWN.reset().convert(body)))
    write(os.path.join(out, "contracts", slug, "index.html"), _ENV.get_template("notice.html").render(n=page))
    return summary


def build(content: str, out: str, jobs: int) -> None:
    names = sorted(name for name in os.listdir(os.path.join(content, "contracts")) if name.endswith(".md"))
    work = [(content, out, name) for name in names]
    if jobs > 1:
        with multiprocessing.get_context("fork").Pool(jobs) as pool:
            notices = pool.map(notice, work, chunksize=64)
    else:
        notices = [notice(job) for job in work]
    notices.sort(key=lambda n: n["contract_date"], reverse=True)
    write(os.path.join(out, "contracts", "index.html"),
          _ENV.get_template("list.html").render(title="All notices", notices=notices))
    vendors: dict[str, list[dict]] = {}
    for summary in notices:
        vendors.setdefault(summary["vendor_slug"], []).append(summary)
    for slug, listed in vendors.items():
        write(os.path.join(out, "vendors", slug, "index.html"),
              _ENV.get_template("list.html").render(title=listed[0]["vendor"], notices=listed))
    files = os.path.join(content, "contracts", "files")
    if os.path.isdir(files):
        shutil.copytree(files, os.path.join(out, "contracts", "files"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--content", required=True)
    parser.add_argument("--out", required=True)
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    args = parser.parse_args()
    build(args.content, args.out, args.jobs)


if __name__ == "__main__":
    main()
