#!/usr/bin/env python3
"""Service benchmarks over real HTTP, each next to a baseline measured in the same run.

Started by deploy/local/bench-services.sh, which provides the infrastructure (GBM_* variables) and the release
binaries (GBM_BIN). Runs the catalogue and pilot-management executables as they are deployed, loads them with
wrk (Debian package) and reports:

- catalogue: importing N certificates (one CSV upload) next to PostgreSQL's own COPY of the same file; search
  latency at 200 concurrent connections and verification throughput, next to the same server's /health/live;
- pilot-management: scheduling activities through the API (each with its outbox event, counted in the database)
  and the calendar query's latency, next to the same server's /health/live.
"""
import argparse
import json
import os
import random
import re
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request

BIN = os.environ["GBM_BIN"]
REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
STATE = os.environ["GBM_LOCAL_DIR"]
PSQL = os.environ.get("GBM_PSQL", "/usr/lib/postgresql/15/bin/psql")
CREDIT_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
CREDIT_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]


def credit_code(region, rng):
    """A unified social credit code (GB 32100-2015) with a correct check character."""
    body = "91" + region + "".join(rng.choice(CREDIT_ALPHABET) for _ in range(9))
    total = sum(CREDIT_ALPHABET.index(c) * w for c, w in zip(body, CREDIT_WEIGHTS))
    return body + CREDIT_ALPHABET[(31 - total % 31) % 31]


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def psql(sql):
    env = dict(os.environ, PGPASSWORD=os.environ.get("GBM_PG_ADMIN_PASSWORD", ""))
    out = subprocess.run(
        [PSQL, "-h", os.environ.get("GBM_PG_HOST", "127.0.0.1"), "-p", os.environ["GBM_PG_PORT"],
         "-U", os.environ.get("GBM_PG_ADMIN_USER", "postgres"), "-d", os.environ.get("GBM_PG_DATABASE", "gbm"),
         "-v", "ON_ERROR_STOP=1", "-qAt", "-c", sql],
        env=env, check=True, capture_output=True, text=True)
    return out.stdout.strip()


def token(role, subject, **claims):
    args = [os.path.join(BIN, "gbm-token"), "--role", role, "--subject", subject, "--ttl", "86400"]
    for name, value in claims.items():
        args += ["--" + name, value]
    return subprocess.run(args, check=True, capture_output=True, text=True).stdout.strip()


def http(method, url, body=None, token=None, content_type="application/json", timeout=900):
    data = body.encode() if isinstance(body, str) else body
    request = urllib.request.Request(url, data=data, method=method)
    if token:
        request.add_header("Authorization", "Bearer " + token)
    if data is not None:
        request.add_header("Content-Type", content_type)
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


class Service:
    """One service executable on a free loopback port, with its own database role."""

    def __init__(self, name, schema):
        self.name = name
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        os.makedirs(os.path.join(STATE, "logs"), exist_ok=True)
        self.log = open(os.path.join(STATE, "logs", f"bench-{name}.log"), "w")
        env = dict(os.environ, GBM_DEVELOPMENT="true", GBM_HTTP_PORT=str(self.port), GBM_SEEDS_DIR=os.path.join(REPO, "seeds"),
                   GBM_DB_USER=f"gbm_{schema}", GBM_DB_PASSWORD=f"{schema}-local", GBM_LOG_LEVEL="warning")
        self.process = subprocess.Popen([os.path.join(BIN, name)], env=env, stdout=self.log, stderr=self.log)
        for _ in range(240):
            try:
                if http("GET", self.url + "/health/ready", timeout=2)[0] == 200:
                    return
            except OSError:
                pass
            if self.process.poll() is not None:
                raise SystemExit(f"{name} exited; see {self.log.name}")
            time.sleep(0.5)
        raise SystemExit(f"{name} did not become ready; see {self.log.name}")

    def stop(self):
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
        self.log.close()


LUA_COMMON = r"""
local threads = {}
function setup(thread)
  thread:set("id", #threads)
  table.insert(threads, thread)
end
function init(args)
  statuses = {}
  counter = 0
end
function response(status, headers, body)
  statuses[status] = (statuses[status] or 0) + 1
end
function done(summary, latency, requests)
  local total = {}
  for _, thread in ipairs(threads) do
    for status, n in pairs(thread:get("statuses")) do total[status] = (total[status] or 0) + n end
  end
  for status, n in pairs(total) do io.write(string.format("STATUS %d %d\n", status, n)) end
end
"""


def wrk(url, connections, seconds, script=None, threads=2):
    """Runs wrk; returns requests/s, latency percentiles (ms) and the count per HTTP status."""
    args = ["wrk", "-t", str(threads), "-c", str(connections), "-d", f"{seconds}s", "--latency", "--timeout", "10s"]
    path = None
    if script:
        with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as f:
            f.write(LUA_COMMON + script)
            path = f.name
        args += ["-s", path]
    out = subprocess.run(args + [url], check=True, capture_output=True, text=True).stdout
    if path:
        os.unlink(path)

    def ms(text):
        value, unit = re.match(r"([\d.]+)(us|ms|s|m)", text).groups()
        return float(value) * {"us": 0.001, "ms": 1, "s": 1000, "m": 60000}[unit]

    percentiles = {int(p): ms(v) for p, v in re.findall(r"^\s+(50|75|90|99)%\s+(\S+)", out, re.M)}
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    statuses = {int(s): int(n) for s, n in re.findall(r"^STATUS (\d+) (\d+)", out, re.M)}
    return {"rate": rate, "p50": percentiles.get(50), "p90": percentiles.get(90), "p99": percentiles.get(99),
            "statuses": statuses, "requests": sum(statuses.values())}


def table(rows):
    widths = [max(len(str(row[c])) for row in rows) for c in range(len(rows[0]))]
    for i, row in enumerate(rows):
        print("| " + " | ".join(str(v).ljust(w) for v, w in zip(row, widths)) + " |")
        if i == 0:
            print("|" + "|".join("-" * (w + 2) for w in widths) + "|")


def lua_list(values):
    return "{" + ",".join(json.dumps(v) for v in values) + "}"


def catalogue(args):
    print(f"\n## catalogue: import {args.rows} certificates, search at 200 connections, verify")
    service = Service("catalogue", "catalogue")
    try:
        rng = random.Random(7)
        cb = token("certification-body", "cb-bench", **{"certification-body": credit_code("110108", rng)})
        committee = token("certification-committee", "committee-bench")
        holders = [credit_code(rng.choice(["330106", "370102", "510104", "440106"]), rng) for _ in range(200)]
        for code in holders:
            status, text = http("POST", service.url + "/enterprises", json.dumps({
                "creditCode": code, "name": "浙江绿筑新材料科技有限公司", "kind": "manufacturer", "regionCode": "330106",
                "address": "杭州市西湖区文三路 398 号", "contactName": "王经理", "contactPhone": "13812345678",
                "isChainLeader": True}), token=cb)
            if status != 201:
                raise SystemExit(f"registering {code}: {status} {text[:300]}")
        names = ["岩棉外墙保温板", "断桥铝合金节能门窗", "水性内墙涂料", "SBS改性沥青防水卷材", "空气源热泵热水机", "PPR给水管材",
                 "Low-E中空玻璃", "蒸压加气混凝土砌块"]
        subs = [("enclosure-structures-and-concrete", "thermal-insulation"),
                ("windows-curtain-walls-and-decoration", "energy-saving-windows"),
                ("waterproofing-sealing-and-coatings", "architectural-coatings"),
                ("waterproofing-sealing-and-coatings", "waterproof-membranes"),
                ("hvac-solar-and-lighting", "heat-pumps"), ("water-supply-drainage-and-treatment", "plastic-pipes"),
                ("windows-curtain-walls-and-decoration", "glass"), ("enclosure-structures-and-concrete", "wall-materials")]
        grades = ["one-star", "two-star", "three-star"]
        run = f"{rng.randrange(16 ** 4):04X}"
        lines = ["certificateNumber,holderCreditCode,certificationBody,productName,model,category,subCategory,"
                 "starGrade,certificationBasis,issuedOn"]
        numbers = []
        for i in range(args.rows):
            kind = i % len(names)
            number = f"CGBM-{run}-{i:07d}"
            numbers.append(number)
            lines.append(f"{number},{holders[i % len(holders)]},中国建材检验认证集团,{names[kind]}{i % 97},M-{i},"
                         f"{subs[kind][0]},{subs[kind][1]},{grades[i % 3]},T/CECS 10025-2019,"
                         f"2023-0{1 + i % 9}-1{i % 9}")
        csv = "\n".join(lines) + "\n"
        with tempfile.NamedTemporaryFile("w", suffix=".csv", delete=False, encoding="utf-8") as f:
            f.write(csv)
            csv_path = f.name

        started = time.monotonic()
        status, text = http("POST", service.url + f"/national-list/batches?batch=bench-{run}&mode=atomic",
                            csv.encode(), token=committee, content_type="text/csv")
        import_seconds = time.monotonic() - started
        if status != 201:
            raise SystemExit(f"import: {status} {text[:500]}")
        # Baseline: PostgreSQL loading the same file into a plain table, no checks, no index, no events.
        psql("DROP TABLE IF EXISTS public.bench_copy; CREATE TABLE public.bench_copy (certificate_number text, "
             "holder text, body text, product_name text, model text, category text, sub_category text, "
             "star_grade text, basis text, issued_on date)")
        started = time.monotonic()
        psql(f"\\copy public.bench_copy FROM '{csv_path}' CSV HEADER")
        copy_seconds = time.monotonic() - started
        psql("DROP TABLE public.bench_copy")
        os.unlink(csv_path)
        table([["import", "seconds", "certificates/s", "vs COPY of the same file", "target"],
               [f"{args.rows} certificates, one CSV upload (atomic)", f"{import_seconds:.1f}",
                f"{args.rows / import_seconds:.0f}", f"{import_seconds / copy_seconds:.1f}x COPY ({copy_seconds:.1f} s)",
                "< 20 s"]])

        # Reads are measured in the steady state after the import: once the relay has published its 100,000
        # events and the tables it rewrote are vacuumed, rather than while autovacuum and the relay compete.
        settle_started = time.monotonic()
        while int(psql("SELECT count(*) FROM catalogue.outbox")) > 0:
            if time.monotonic() - settle_started > 300:
                raise SystemExit("the relay did not publish the import's events within 5 minutes")
            time.sleep(0.5)
        relay_seconds = time.monotonic() - settle_started
        psql("VACUUM ANALYZE catalogue.outbox")
        psql("VACUUM ANALYZE catalogue.certificates")
        psql("VACUUM ANALYZE catalogue.certificate_status_history")
        print(f"\nthe import's events were all published {relay_seconds:.1f} s after the import returned; "
              "outbox and certificates vacuumed before the reads")
        health = wrk(service.url + "/health/live", 200, args.seconds)
        queries = ["q=" + urllib.parse.quote("保温"), "q=" + urllib.parse.quote("门窗"),
                   "grade=three-star&category=hvac-solar-and-lighting",
                   "q=" + urllib.parse.quote("涂料") + "&sort=-issuedOn", "status=valid&sort=productName",
                   f"enterprise={holders[0]}"]
        search = wrk(service.url, 200, args.seconds, script=f"""
local queries = {lua_list(queries)}
request = function()
  counter = counter + 1
  return wrk.format("GET", "/products?limit=20&" .. queries[(counter + id) % #queries + 1])
end
""")
        sample = [numbers[(i * 7919) % len(numbers)] for i in range(2000)]
        verify = wrk(service.url, 100, args.seconds, script=f"""
local numbers = {lua_list(sample)}
request = function()
  counter = counter + 1
  return wrk.format("GET", "/verify?certificate=" .. numbers[(counter * 7 + id) % #numbers + 1] .. "&date=2024-01-01&region=330106")
end
""")
        table([["call", "connections", "requests/s", "p50 ms", "p99 ms", "non-200", "vs /health/live", "target"],
               ["GET /health/live (baseline)", 200, f"{health['rate']:.0f}", health["p50"], health["p99"], "-", "100%",
                ""],
               ["GET /products (6 searches)", 200, f"{search['rate']:.0f}", search["p50"], search["p99"],
                search["requests"] - search["statuses"].get(200, 0), f"{search['rate'] / health['rate']:.0%} of rate",
                "p99 < 50 ms"],
               ["GET /verify", 100, f"{verify['rate']:.0f}", verify["p50"], verify["p99"],
                verify["requests"] - verify["statuses"].get(200, 0), f"{verify['rate'] / health['rate']:.0%} of rate",
                ">= 5,000/s"]])
    finally:
        service.stop()


def pilot(args):
    print(f"\n## pilot-management: scheduling activities through the API for {args.seconds} s, calendar query")
    service = Service("pilot-management", "pilot")
    try:
        regions = {"120000": "120101001", "330000": "330110005", "350000": "350102001", "370000": "370102001",
                   "430000": "430102001", "440000": "440103001", "510000": "510104001"}
        tokens = {code: token("region-official", f"r-{code}", region=code) for code in regions}
        for code in regions:
            status, text = http("POST", service.url + f"/regions/{code}/launch-meeting", json.dumps(
                {"heldOn": "2023-02-20", "placeCode": code, "attendance": 300}), token=tokens[code])
            if status not in (201, 409):
                raise SystemExit(f"launch meeting {code}: {status} {text[:300]}")
        codes = sorted(regions)
        # Events written: still waiting in the outbox or already published (one statement, one snapshot).
        count_sql = ("SELECT (SELECT count(*) FROM pilot.outbox WHERE ce_type = 'gbm.pilot.activity.scheduled.v1')"
                     " + (SELECT count(*) FROM pilot.outbox_published WHERE ce_type = 'gbm.pilot.activity.scheduled.v1')")
        events_before = int(psql(count_sql))
        health = wrk(service.url + "/health/live", 16, args.seconds)
        schedule = wrk(service.url, 16, args.seconds, script=f"""
local codes = {lua_list(codes)}
local places = {lua_list([regions[c] for c in codes])}
local tokens = {lua_list([tokens[c] for c in codes])}
local days = {{}}
for m = 3, 12 do for d = 1, 28 do table.insert(days, string.format("2023-%02d-%02d", m, d)) end end
request = function()
  counter = counter + 1
  local r = (counter + id) % #codes + 1
  local day = days[(counter * 3 + id) % #days + 1]
  local body = '{{"type":"special-sales-session","level":"town","placeCode":"' .. places[r] ..
    '","title":"专场活动 ' .. id .. '-' .. counter .. '","startsOn":"' .. day .. '","endsOn":"' .. day ..
    '","safetyPlanReference":"ZJ-AQ-2023-017"}}'
  return wrk.format("POST", "/regions/" .. codes[r] .. "/activities",
    {{["Content-Type"] = "application/json", ["Authorization"] = "Bearer " .. tokens[r]}}, body)
end
""")
        created = schedule["statuses"].get(201, 0)
        events = int(psql(count_sql)) - events_before
        ministry = token("ministry", "m-bench", department="MIIT")
        calendar_script = f"""
local codes = {lua_list(codes)}
request = function()
  counter = counter + 1
  local from = os.time{{year=2023, month=3, day=1}} + ((counter + id) % 280) * 86400
  return wrk.format("GET", "/activities?regionCode=" .. codes[(counter + id) % #codes + 1] .. "&level=town&from=" ..
    os.date("!%Y-%m-%d", from) .. "&to=" .. os.date("!%Y-%m-%d", from + 14 * 86400) .. "&limit=200",
    {{["Authorization"] = "Bearer {ministry}"}})
end
"""
        # The calendar at rising concurrency: wrk keeps every connection busy, so once the server is saturated
        # the latency it reports is mostly time spent queueing behind the other connections.
        calendars = [(c, wrk(service.url, c, args.seconds, script=calendar_script)) for c in (2, 4, 8)]
        rows = [["call", "connections", "requests/s", "p50 ms", "p99 ms", "outcome", "vs /health/live", "target"],
                ["GET /health/live (baseline)", 16, f"{health['rate']:.0f}", health["p50"], health["p99"], "", "100%", ""],
                ["POST /regions/{code}/activities", 16, f"{created / args.seconds:.0f} created/s", schedule["p50"],
                 schedule["p99"], f"{created} created, {events} outbox events, "
                 f"{schedule['requests'] - created} other", f"{schedule['rate'] / health['rate']:.0%} of rate",
                 ">= 1,000/s"]]
        for connections, calendar in calendars:
            rows.append(["GET /activities (14-day calendar)", connections, f"{calendar['rate']:.0f}", calendar["p50"],
                         calendar["p99"], f"{calendar['requests'] - calendar['statuses'].get(200, 0)} non-200",
                         f"{calendar['rate'] / health['rate']:.0%} of rate", "p99 < 30 ms"])
        table(rows)
    finally:
        service.stop()


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--only", default="catalogue,pilot", help="comma-separated: catalogue, pilot")
    parser.add_argument("--rows", type=int, default=100_000, help="certificates to import")
    parser.add_argument("--seconds", type=int, default=10, help="seconds per wrk run")
    args = parser.parse_args()
    print(f"# service benchmarks  {time.strftime('%Y-%m-%d %H:%M:%S')}  {os.cpu_count()} cores")
    parts = args.only.split(",")
    if "catalogue" in parts:
        catalogue(args)
    if "pilot" in parts:
        pilot(args)


if __name__ == "__main__":
    sys.exit(main())
