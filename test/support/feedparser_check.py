"""Parses feeds with python3-feedparser and prints what a reader would see, as JSON.

Usage: /usr/bin/python3 feedparser_check.py URL [URL ...]

Every value is feedparser's own, under feedparser's own name. Two of its
habits matter when reading the output:
- There is no `media_description`: feedparser treats <media:description> as a
  description, so a photo caption lands in `summary_detail` (replacing the
  item's own summary_detail, while `summary` keeps the item's description).
- `author` is a single string: with several <dc:creator> or Atom <author>
  elements it holds the last one; `authors` lists each.
"""
import json
import sys

import feedparser


def detail(value):
    """A feedparser text construct ({type, value, ...}) as {type, value}, or None."""
    if not value:
        return None
    return {"type": value.get("type"), "value": value.get("value")}


def person(value):
    """A feedparser person ({name, href, email}) with only the keys it has."""
    return {key: value[key] for key in ("name", "href", "email") if key in value}


def entry_of(e):
    return {
        "id": e.get("id"),
        "title": e.get("title"),
        "title_detail": detail(e.get("title_detail")),
        "link": e.get("link"),
        "author": e.get("author"),
        "author_detail": person(e["author_detail"]) if "author_detail" in e else None,
        "authors": [person(a) for a in e.get("authors", [])],
        "contributors": [person(c) for c in e.get("contributors", [])],
        "published": e.get("published"),
        "summary": e.get("summary"),
        "summary_detail": detail(e.get("summary_detail")),
        "content": [detail(c) for c in e.get("content", [])],
        "enclosures": [dict(l) for l in e.get("links", []) if l.get("rel") == "enclosure"],
        "media_content": e.get("media_content"),
        "media_thumbnail": e.get("media_thumbnail"),
        "media_credit": e.get("media_credit"),
        "media_description": e.get("media_description"),
        "tags": [{"term": t.get("term"), "scheme": t.get("scheme"), "label": t.get("label")}
                 for t in e.get("tags", [])],
    }


results = []
for url in sys.argv[1:]:
    parsed = feedparser.parse(url)
    results.append({
        "url": url,
        "bozo": bool(parsed.bozo),
        "bozo_exception": repr(parsed.get("bozo_exception")) if parsed.bozo else None,
        "version": parsed.get("version"),
        "status": parsed.get("status"),
        "title": parsed.feed.get("title"),
        "language": parsed.feed.get("language"),
        "updated": parsed.feed.get("updated"),
        "entries": [entry_of(e) for e in parsed.entries],
    })
json.dump(results, sys.stdout, ensure_ascii=False)
