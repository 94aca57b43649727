"""Validates feeds with the W3C Feed Validation Service's own code.

Usage: PYTHONPATH=<feedvalidator checkout>/src python3 feedvalidator_check.py URL...

The code is github.com/w3c/feedvalidator, which is in no package registry:
point FEEDVALIDATOR_DIR at a checkout (test/e2e/feedvalidator.test.ts reads
it). Each URL is fetched and validated as validator.w3.org/feed does
(validateURL, HTTP headers included), and its errors and warnings (the "AA"
level, what the online service shows) are printed as JSON, by URL.
"""
import json
import urllib.request  # the validator uses urllib.request without importing it (its CGI front end does)
import sys

import feedvalidator
from feedvalidator import compatibility
from feedvalidator.formatter.text_plain import Formatter
from feedvalidator.logging import Error, ValidationFailure


def events_of(url):
    try:
        events = feedvalidator.validateURL(url, firstOccurrenceOnly=1)["loggedEvents"]
    except ValidationFailure as failure:
        events = [failure.event]
    events = compatibility.AA(events)
    messages = Formatter(events)
    return [
        {"level": "error" if isinstance(event, Error) else "warning", "message": message}
        for event, message in zip(events, messages)
    ]


print(json.dumps({url: events_of(url) for url in sys.argv[1:]}))
