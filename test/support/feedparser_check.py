"""Parses feeds with python3-feedparser and prints what a reader would see, as JSON.

Usage: /usr/bin/python3 feedparser_check.py URL [URL ...]
"""
import json
import sys

import feedparser

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
        "entries": [
            {
                "id": e.get("id"),
                "title": e.get("title"),
                "link": e.get("link"),
                "author": e.get("author"),
                "authors": [a.get("name") for a in e.get("authors", [])],
                "published": e.get("published"),
                "summary": e.get("summary"),
                "media_content": e.get("media_content"),
                "media_credit": e.get("media_credit"),
                "tags": [t.get("term") for t in e.get("tags", [])],
            }
            for e in parsed.entries
        ],
    })
json.dump(results, sys.stdout, ensure_ascii=False)
