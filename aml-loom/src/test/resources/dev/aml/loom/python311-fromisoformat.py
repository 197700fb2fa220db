"""Writes python311-fromisoformat.tsv: what CPython 3.11's datetime.fromisoformat makes of each input.

Run with Python 3.11 (the version Loom's toolkit targets):  python3 python311-fromisoformat.py > python311-fromisoformat.tsv
Each line: the input as a JSON string, a tab, then "invalid" or the parsed value as
"YYYY-MM-DDTHH:MM:SS.ffffff" followed by "|naive" or "|<utc offset in microseconds>".
Inputs are fixed edge cases plus seeded random forms and mutations of them, so the file is reproducible.
"""
import datetime
import json
import random
import sys

assert sys.version_info[:2] == (3, 11), sys.version

rnd = random.Random(17)


def outcome(text):
    try:
        d = datetime.datetime.fromisoformat(text)
    except (ValueError, TypeError, OverflowError):
        return "invalid"
    base = d.replace(tzinfo=None).strftime("%Y-%m-%dT%H:%M:%S") + ".%06d" % d.microsecond
    if d.tzinfo is None:
        return base + "|naive"
    off = d.utcoffset()
    return base + "|%d" % ((off.days * 86400 + off.seconds) * 1_000_000 + off.microseconds)


def date_form():
    y = rnd.choice([2026, 2024, 2000, 1999, 1, 9999, rnd.randint(1, 9999)])
    kind = rnd.random()
    if kind < 0.55:
        m = rnd.choice([1, 2, 12, rnd.randint(1, 12), 0, 13])
        d = rnd.choice([1, 28, 29, 30, 31, rnd.randint(1, 31), 0, 32])
        return "%04d-%02d-%02d" % (y, m, d) if rnd.random() < 0.75 else "%04d%02d%02d" % (y, m, d)
    w = rnd.choice([1, 52, 53, rnd.randint(1, 53), 0, 54])
    dash = rnd.random() < 0.6
    s = "%04d%sW%02d" % (y, "-" if dash else "", w)
    if rnd.random() < 0.7:
        s += ("-" if dash else "") + str(rnd.choice([1, 7, rnd.randint(1, 7), 0, 8]))
    return s


def hhmmss(colon, parts, fraction):
    vals = [rnd.choice([0, 23, rnd.randint(0, 23), 24]), rnd.choice([0, 59, rnd.randint(0, 59), 60]),
            rnd.choice([0, 59, rnd.randint(0, 59), 60])][:parts]
    s = (":" if colon else "").join("%02d" % v for v in vals)
    if fraction and parts == 3:
        n = rnd.choice([1, 2, 3, 4, 5, 6, 7, 9, 12])
        s += rnd.choice(".,") + "".join(rnd.choice("0123456789") for _ in range(n))
    return s


def time_form():
    colon = rnd.random() < 0.7
    s = hhmmss(colon, rnd.choice([1, 2, 3, 3, 3]), rnd.random() < 0.5)
    r = rnd.random()
    if r < 0.3:
        return s
    if r < 0.45:
        return s + "Z"
    sign = rnd.choice("+-")
    tz_colon = rnd.random() < 0.7
    parts = rnd.choice([1, 2, 2, 2, 3])
    return s + sign + hhmmss(tz_colon, parts, rnd.random() < 0.2)


def random_form():
    d = date_form()
    if rnd.random() < 0.2:
        return d
    sep = rnd.choice(["T", "T", " ", " ", "t", "x", "_", "\u00e9", "\u2003"])
    return d + sep + time_form()


def mutate(s):
    if not s:
        return s
    i = rnd.randrange(len(s))
    op = rnd.random()
    if op < 0.33:
        return s[:i] + s[i + 1:]
    if op < 0.66:
        return s[:i] + rnd.choice("0123456789:-+.TZ ,Wz") + s[i + 1:]
    return s[:i] + rnd.choice("0123456789:-+.TZ ,W") + s[i:]


FIXED = [
    "2026-01-02", "2026-01-02T03:04:05", "2026-01-02 03:04:05", "2026-01-02 03:04:05.123",
    "2026-01-02 03:04:05.123456", "2026-01-02 03:04:05+01:00", "2026-01-02 03:04:05.5-05:30",
    "2026-01-02T03:04:05Z", "2026-01-02T03:04:05.123Z", "2026-01-02T03:04:05.123456789Z",
    "2026-01-02T03", "2026-01-02T03:04", "2026-01-02T0304", "2026-01-02T030405", "20260102",
    "20260102T030405", "2026-W01-1", "2026W011", "2026-W53-1", "2020-W53-7", "2026-W01",
    "2026-01-02T", "2026-01-02 ", "2026-01-02T03:04:05+01", "2026-01-02T03:04:05+0100",
    "2026-01-02T03:04:05+01:00:30", "2026-01-02T03:04:05+01:00:30.5", "2026-01-02T03:04:05-00:00",
    "2026-01-02T03:04:05+23:59", "2026-01-02T03:04:05+24:00", "2026-01-02T24:00:00",
    "2026-01-02T23:59:60", "2024-02-29", "2026-02-29", "2026-13-01", "2026-00-10", "0000-01-01",
    "2026-1-02", "2026-01-2", "2026-01", "2026", "26-01-02", "+2026-01-02", "2026-01-02t03:04:05",
    "2026-01-02T03:04:05z", "2026-01-02T03:04:05.Z", "2026-01-02T03:04:05.", "2026-01-02T03:04:05,5",
    "2026-01-02T03:04:05 +01:00", " 2026-01-02", "2026-01-02T03:04:05.1234567", "2026-01-02T3:04:05",
    "2026-01-02T03:04:05+1:00", "2026-01-02T03:04:05+01:0", "2026-0102", "202601-02", "2026-01-02T03:0405",
    "2026-01-02T0304:05", "2026-01-02T03:04:05Z+01:00", "2026-01-02T03:04:05+01:00Z", "",
    "2026-01-02T03:04:05.123+01:00", "2026-01-02\u00e903:04:05", "2026-01-02\U0001F60003:04:05",
    "\u0662\u0660\u0662\u0666-01-02", "2026-01-02T03:04:05.12a", "2026-01-02T03:04:05.123456abc",
    "2026-01-02T03:04:05.1234567890123", "9999-12-31T23:59:59.999999", "0001-01-01T00:00:00",
    "9999-12-31T23:59:59.999999-01:00", "0001-01-01T00:00:00+01:00", "2026-W00-1", "2026-W01-8",
    "2026-W01-0", "2026-W1-1", "2026-W01-12", "2026W01-1", "2026-W011", "2026-01-02T03:04:05-",
    "2026-01-02T03:04:05+", "2026-01-02T03:04:05+0", "2026-01-02T03:04:05+010", "2026-01-02T03:04:05+01000",
    "2026-01-02T03:04:05+010000", "2026-01-02T03:04:05+010000.5", "2026-01-02T03:04:05+01:00:00.123456",
    "2026-01-02T03:04:05-23:59:59.999999", "2026-01-02T03:04", "2026-01-02T03:04Z", "2026-01-02T03Z",
    "2026-01-02T03+01:00", "2026-01-02T03:04:05.000000", "2026-01-02T12:00:00.5",
]

seen = set()
lines = []


def add(s):
    if s in seen:
        return
    seen.add(s)
    lines.append(json.dumps(s) + "\t" + outcome(s))


for s in FIXED:
    add(s)
for _ in range(1800):
    s = random_form()
    add(s)
    if rnd.random() < 0.35:
        add(mutate(s))
for line in lines:
    print(line)
