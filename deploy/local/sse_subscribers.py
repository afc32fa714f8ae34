#!/usr/bin/env python3
"""Many concurrent subscribers of reporting's live feed (`GET /feed`, Server-Sent Events), for the reporting benchmark
(deploy/local/bench_services.py --only reporting). Plain asyncio sockets, HTTP/1.1, no client library.

Each subscriber sends `Accept: text/event-stream`, the bearer token and `Last-Event-ID`, then reads the stream and
stamps every `id:` line with the wall-clock time (time.time()) of the read that brought it. When every subscriber has
its response's first frame (`retry:`), the script prints "ready" on stdout. It stops when stdin is closed, or on
--seconds, or, after a line `until <id>` on stdin, when every subscriber has had entry <id> (at most --drain
seconds); then it writes each subscriber's ids and arrival times to OUT/<n>.ids and OUT/<n>.times (array module:
int64 and float64, machine order) and prints a JSON summary: subscribers connected, frames, ids out of order
(not strictly increasing), subscribers that ended or failed.
"""
import argparse
import array
import asyncio
import json
import os
import re
import sys
import time

ID = re.compile(rb"(?:^|\n)id: (\d+)\n")


class Subscriber:
    def __init__(self, index):
        self.index = index
        self.ids = array.array("q")
        self.times = array.array("d")
        self.ready = False
        self.error = None
        self.ended = False
        self.out_of_order = 0
        self.status = None


async def subscribe(sub, args, ready_event, counter):
    try:
        reader, writer = await asyncio.open_connection("127.0.0.1", args.port, limit=1 << 20)
        path = "/feed" + (f"?{args.query}" if args.query else "")
        writer.write((f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{args.port}\r\nAccept: text/event-stream\r\n"
                      f"Authorization: Bearer {args.token}\r\nLast-Event-ID: {args.last_event_id}\r\n\r\n").encode())
        await writer.drain()
        head = await reader.readuntil(b"\r\n\r\n")
        sub.status = int(head.split(b" ", 2)[1])
        if sub.status != 200:
            raise RuntimeError(f"status {sub.status}: {head[:200]!r}")
        chunked = b"transfer-encoding: chunked" in head.lower()
        raw = b""  # undecoded bytes of a chunked body
        buffer = b""  # the event stream
        last = args.last_event_id
        while True:
            data = await reader.read(1 << 16)
            now = time.time()
            if not data:
                sub.ended = True
                return
            if chunked:
                raw += data
                while True:
                    line_end = raw.find(b"\r\n")
                    if line_end < 0:
                        break
                    size = int(raw[:line_end].split(b";")[0], 16)
                    if size == 0:
                        sub.ended = True
                        return
                    if len(raw) < line_end + 2 + size + 2:
                        break
                    buffer += raw[line_end + 2:line_end + 2 + size]
                    raw = raw[line_end + 2 + size + 2:]
            else:
                buffer += data
            cut = buffer.rfind(b"\n\n")
            if cut < 0:
                continue
            complete, buffer = buffer[:cut + 2], buffer[cut + 2:]
            if not sub.ready and b"retry:" in complete:
                sub.ready = True
                counter[0] += 1
                if counter[0] == args.count:
                    ready_event.set()
            for match in ID.finditer(complete):
                entry = int(match.group(1))
                if entry <= last:
                    sub.out_of_order += 1
                last = entry
                sub.ids.append(entry)
                sub.times.append(now)
    except asyncio.CancelledError:
        raise
    except Exception as error:  # noqa: BLE001 - reported in the summary
        sub.error = f"{type(error).__name__}: {error}"


async def run(args):
    subs = [Subscriber(i) for i in range(args.count)]
    ready_event = asyncio.Event()
    counter = [0]
    tasks = []
    for sub in subs:
        tasks.append(asyncio.create_task(subscribe(sub, args, ready_event, counter)))
        if len(tasks) % 50 == 0:
            await asyncio.sleep(0.05)  # do not hit the listen backlog with all of them at once
    try:
        await asyncio.wait_for(ready_event.wait(), timeout=120)
    except asyncio.TimeoutError:
        pass
    print(f"ready {counter[0]}", flush=True)
    loop = asyncio.get_running_loop()
    line = loop.run_in_executor(None, sys.stdin.readline)
    try:
        command = await asyncio.wait_for(line, timeout=args.seconds)
    except asyncio.TimeoutError:
        command = ""
    if command.startswith("until "):
        # Wait until every live subscriber has the entry named (the last one written), or --drain seconds.
        target = int(command.split()[1])
        deadline = time.monotonic() + args.drain
        while time.monotonic() < deadline:
            behind = [s for s in subs if not s.error and not s.ended and (not s.ids or s.ids[-1] < target)]
            if not behind:
                break
            await asyncio.sleep(0.1)
    for task in tasks:
        task.cancel()
    await asyncio.gather(*tasks, return_exceptions=True)
    os.makedirs(args.out, exist_ok=True)
    for sub in subs:
        with open(os.path.join(args.out, f"{sub.index}.ids"), "wb") as f:
            sub.ids.tofile(f)
        with open(os.path.join(args.out, f"{sub.index}.times"), "wb") as f:
            sub.times.tofile(f)
    errors = [s.error for s in subs if s.error]
    print(json.dumps({"subscribers": args.count, "ready": sum(s.ready for s in subs),
                      "frames": sum(len(s.ids) for s in subs), "out_of_order": sum(s.out_of_order for s in subs),
                      "ended": sum(s.ended for s in subs), "failed": len(errors), "errors": errors[:5]}), flush=True)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--token", required=True)
    parser.add_argument("--count", type=int, default=500)
    parser.add_argument("--last-event-id", type=int, default=0)
    parser.add_argument("--query", default="", help="query string of /feed (regionCode=…, topic=…)")
    parser.add_argument("--seconds", type=float, default=600, help="stop after this long if stdin stays open")
    parser.add_argument("--drain", type=float, default=180,
                        help="after `until <id>` on stdin: the longest wait for every subscriber to have that entry")
    parser.add_argument("--out", required=True, help="directory for the arrival files")
    asyncio.run(run(parser.parse_args()))


if __name__ == "__main__":
    main()
