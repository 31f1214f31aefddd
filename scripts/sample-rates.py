#!/usr/bin/env python3
"""Measures the quirks of real Sparkify files (the rates behind `sparkify generate --realism messy`).

usage: scripts/sample-rates.py DIR [DIR ...]
  Each DIR is searched for log files (*-events.json) and song files (other *.json under a song_data folder).
  The rates in docs/performance.md ("Messy data") and in src/Sparkify.Stream.Generation/MessyRates.cs were measured with
  scripts/sample-rates.py /work/shared/samples/local-subset /work/shared/samples/s3-sample
  Only reads the files; prints counts and shares, nothing is copied.
"""
import json
import os
import re
import sys
from collections import Counter


def files(roots):
    logs, songs = [], []
    for root in roots:
        for folder, _, names in os.walk(root):
            for name in names:
                path = os.path.join(folder, name)
                if name.endswith("-events.json"):
                    logs.append(path)
                elif name.endswith(".json") and "song_data" in path.split(os.sep):
                    songs.append(path)
    return sorted(logs), sorted(songs)


def share(n, total):
    return f"{n:>6} / {total:<6} = {100 * n / total:6.2f} %" if total else f"{n} / 0"


def file_shape(raw):
    """(crlf, ends with newline, has BOM, raw non-ASCII bytes)"""
    return b"\r\n" in raw, raw.endswith(b"\n"), raw.startswith(b"\xef\xbb\xbf"), any(b > 0x7F for b in raw)


def decimals(text):
    return len(text.split(".")[1]) if "." in text and "e" not in text.lower() else None


def measure_logs(paths):
    print(f"== log files: {len(paths)}")
    lines = []
    crlf = trailing = bom = nonascii_files = 0
    for path in paths:
        raw = open(path, "rb").read()
        c, t, b, n = file_shape(raw)
        crlf += c; trailing += t; bom += b; nonascii_files += n
        lines += [l.rstrip(b"\r") for l in raw.split(b"\n") if l.strip()]
    total = len(lines)
    print(f"files with CRLF line ends        {share(crlf, len(paths))}")
    print(f"files ending with a newline      {share(trailing, len(paths))}")
    print(f"files starting with a BOM        {share(bom, len(paths))}")
    print(f"lines                            {total}")
    slash = sum(b"\\/" in l for l in lines)
    uesc = sum(b"\\u" in l for l in lines)
    quote = sum(b'\\"' in l for l in lines)
    mojibake = sum(re.search(rb"\\u00c3\\u008[0-9a-f]|\\u00c2\\u00[89ab][0-9a-f]", l) is not None for l in lines)
    controls = sum(re.search(rb"\\u00[01][0-9a-f]", l) is not None for l in lines)
    raw_utf8 = sum(any(b > 0x7F for b in l) for l in lines)
    print(f"lines with \\/                    {share(slash, total)}")
    print(f"lines with \\u                    {share(uesc, total)}")
    print(f"lines with double-encoded \\u00c3\\u008x / \\u00c2\\u00xx (mojibake) {share(mojibake, total)}")
    print(f"lines with a control escape \\u00[01]x {share(controls, total)}")
    print(f'lines with \\"                    {share(quote, total)}')
    print(f"lines with raw non-ASCII bytes   {share(raw_utf8, total)}")
    events = [json.loads(l) for l in lines]
    by_field = Counter()
    for line in lines:
        for field, value in re.findall(rb'"(\w+)":("(?:[^"\\]|\\.)*")', line):
            if b"\\u" in value:
                by_field[("\\u", field.decode())] += 1
            if b"\\/" in value:
                by_field[("\\/", field.decode())] += 1
            if b'\\"' in value:
                by_field[('\\"', field.decode())] += 1
    for (kind, field), n in sorted(by_field.items()):
        print(f"  {kind:<3} in {field:<12}               {share(n, total)}")
    plays = [e for e in events if e["page"] == "NextSong"]
    moji_plays = sum(any("\u00c3" in (e[f] or "") for f in ("artist", "song")) for e in plays)
    print(f"NextSong events                  {share(len(plays), total)}")
    print(f"plays naming mojibake (Ã…)       {share(moji_plays, len(plays))}")
    agents = [e["userAgent"] for e in events if e.get("userAgent")]
    print(f"userAgent present                {share(len(agents), total)}")
    print(f"userAgent in literal quotes      {share(sum(a.startswith(chr(34)) for a in agents), len(agents))}")
    print(f'userAgent with a comma, quoted   {share(sum(a.startswith(chr(34)) for a in agents if "," in a), sum("," in a for a in agents))}')
    print(f'userAgent without a comma, quoted {share(sum(a.startswith(chr(34)) for a in agents if "," not in a), sum("," not in a for a in agents))}')
    regs = [m.group(1).decode() for l in lines for m in [re.search(rb'"registration":([^,}]+)', l)] if m]
    kinds = Counter("null" if r == "null" else "E notation" if "E" in r or "e" in r
                    else "float .0" if r.endswith(".0") else "float" if "." in r else "integer" for r in regs)
    for kind, n in kinds.most_common():
        print(f"registration {kind:<19} {share(n, total)}")
    lengths = [m.group(1).decode() for l in lines for m in [re.search(rb'"length":([^,}]+)', l)] if m]
    lkinds = Counter("null" if v == "null" else f"{decimals(v)} decimals" if decimals(v) is not None else "other"
                     for v in lengths)
    for kind, n in sorted(lkinds.items()):
        print(f"length {kind:<25} {share(n, total)}")
    empty_user = sum(e["userId"] == "" for e in events)
    print(f'userId ""                        {share(empty_user, total)}')


def measure_songs(paths):
    print(f"== song files: {len(paths)}")
    crlf = trailing = bom = nonascii = 0
    compact = uesc = slash = quote = control = moji = 0
    null_coords = empty_loc = year0 = num_loc = 0
    field_escapes = Counter()
    records = 0
    for path in paths:
        raw = open(path, "rb").read()
        c, t, b, n = file_shape(raw)
        crlf += c; trailing += t; bom += b; nonascii += n
        compact += raw.lstrip().startswith(b'{"artist_id":')
        uesc += b"\\u" in raw
        slash += b"\\/" in raw
        quote += b'\\"' in raw
        moji += b"\\u00c3" in raw.lower()
        for field, value in re.findall(rb'"(\w+)": ?("(?:[^"\\]|\\.)*")', raw):
            if b"\\u" in value:
                field_escapes[("\\u", field.decode())] += 1
            if b'\\"' in value:
                field_escapes[('\\"', field.decode())] += 1
        song = json.loads(raw)
        for s in song if isinstance(song, list) else [song]:
            records += 1
            null_coords += s["artist_latitude"] is None
            empty_loc += s["artist_location"] == ""
            num_loc += isinstance(s["artist_location"], (int, float))
            year0 += s["year"] == 0
            control += any(ord(ch) < 0x20 for f in ("title", "artist_name") for ch in str(s[f]))
    total = len(paths)
    print(f"files with CRLF line ends        {share(crlf, total)}")
    print(f"files ending with a newline      {share(trailing, total)}")
    print(f"files starting with a BOM        {share(bom, total)}")
    print(f"files compact with sorted keys   {share(compact, total)}")
    print(f"files with raw non-ASCII bytes   {share(nonascii, total)}")
    print(f"files with \\u                    {share(uesc, total)}")
    print(f"files with \\u00c3 (mojibake)     {share(moji, total)}")
    print(f"files with \\/                    {share(slash, total)}")
    print(f'files with \\"                    {share(quote, total)}')
    for (kind, field), n in sorted(field_escapes.items()):
        print(f"  {kind:<3} in {field:<15}            {share(n, total)}")
    print(f"records                          {records}")
    print(f"null latitude/longitude          {share(null_coords, records)}")
    print(f'artist_location ""               {share(empty_loc, records)}')
    print(f"artist_location a number         {share(num_loc, records)}")
    print(f"year 0                           {share(year0, records)}")
    print(f"control characters in names      {share(control, records)}")


def main():
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    logs, songs = files(sys.argv[1:])
    measure_logs(logs)
    measure_songs(songs)


if __name__ == "__main__":
    main()
