#!/usr/bin/env python3
"""Service benchmarks over real HTTP, each next to a baseline measured in the same run.

Started by deploy/local/bench-services.sh, which provides the infrastructure (GBM_* variables, GBM_PYTHON: the
project venv with confluent-kafka) and the release binaries (GBM_BIN). Runs the services' executables as they are
deployed, loads them with wrk (Debian package) or the helpers named below, and reports:

- catalogue: importing N certificates (one CSV upload) next to PostgreSQL's own COPY of the same file; search
  latency at 200 concurrent connections and verification throughput, next to the same server's /health/live;
- pilot-management: scheduling activities through the API (each with its outbox event, counted in the database)
  and the calendar query's latency, next to the same server's /health/live;
- subsidy: claims submitted and decided through POST /claims against one and twenty programmes (wrk, closed
  loop), next to pgbench running a transaction of one insert and one outbox insert; latency at a constant offered
  rate (a wrk2-like driver here), next to /health/live at the same rate; and the time until each claim's decision
  event arrives on gbm.subsidy.claims.v1 (read with kcat), next to a trivial event written into the outbox;
- complaints: cases filed through POST /cases (wrk, closed loop) next to the same pgbench transaction and
  /health/live, latency at constant offered rates next to /health/live, and the deadline check over a million open
  cases next to the same statements as plain SQL;
- reporting: projection throughput, from the service's start on an empty schema until its inbox holds --events
  events written to the topics beforehand (deploy/local/reporting_events.py: the pilot regions' approvals, then a mix
  of activities held, claims submitted/approved/paid, complaints and certificates, as the owners' relays write
  them), next to a plain consumer's raw read of the same records and pgbench running the consumer's statements;
  a summary report for every pilot region (sequential and concurrent) next to /overview and /health/live; SSE
  fan-out of GET /feed to --sse-subscribers streams (deploy/local/sse_subscribers.py) while events are produced at
  constant rates, each entry's delivery to each subscriber next to kcat reading the same topic; and `reporting
  rebuild` over --replay-events records next to the raw read of the same topics;
- observability: the hot paths (catalogue's GET /verify, pilot-management's scheduling and its outbox relay) with
  tracing on (GBM_TRACING=otlp, spans exported to a local OTLP/HTTP receiver) next to off, alternating, same run.
"""
import argparse
import array
import asyncio
import collections
import datetime
import json
import math
import os
import random
import re
import resource
import signal
import socket
import subprocess
import sys
import tempfile
import threading
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

    def __init__(self, name, schema, wait=True, log_name=None, **extra_env):
        self.name = name
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        os.makedirs(os.path.join(STATE, "logs"), exist_ok=True)
        self.log = open(os.path.join(STATE, "logs", f"bench-{log_name or name}.log"), "w")
        self.process = subprocess.Popen([os.path.join(BIN, name)], env=self.environment(schema, self.port, **extra_env),
                                        stdout=self.log, stderr=self.log)
        if wait:
            self.wait_ready()

    @staticmethod
    def environment(schema, port, **extra_env):
        """A service executable's environment: the infrastructure's variables, its own database role, development mode."""
        env = dict(os.environ, GBM_DEVELOPMENT="true", GBM_HTTP_PORT=str(port), GBM_SEEDS_DIR=os.path.join(REPO, "seeds"),
                   GBM_DB_USER=f"gbm_{schema}", GBM_DB_PASSWORD=f"{schema}-local", GBM_LOG_LEVEL="warning")
        env.update(extra_env)
        return env

    def wait_ready(self, timeout=120):
        name = self.name
        for _ in range(int(timeout * 2)):
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
            "statuses": statuses, "requests": sum(statuses.values()), "errors": re.findall(r"^ERROR (.*)$", out, re.M)}


def table(rows):
    widths = [max(len(str(row[c])) for row in rows) for c in range(len(rows[0]))]
    for i, row in enumerate(rows):
        print("| " + " | ".join(str(v).ljust(w) for v, w in zip(row, widths)) + " |")
        if i == 0:
            print("|" + "|".join("-" * (w + 2) for w in widths) + "|")


def lua_list(values):
    return "{" + ",".join(json.dumps(v) for v in values) + "}"


# Seven approved pilot regions and a town in each, where the benchmarks schedule activities.
PILOT_PLACES = {"120000": "120101001", "330000": "330110005", "350000": "350102001", "370000": "370102001",
                "430000": "430102001", "440000": "440103001", "510000": "510104001"}


def schedule_script(tokens, title):
    """wrk's script scheduling a town activity per request in the seven regions, each with its region's token."""
    codes = sorted(PILOT_PLACES)
    return f"""
local codes = {lua_list(codes)}
local places = {lua_list([PILOT_PLACES[c] for c in codes])}
local tokens = {lua_list([tokens[c] for c in codes])}
local days = {{}}
for m = 3, 12 do for d = 1, 28 do table.insert(days, string.format("2023-%02d-%02d", m, d)) end end
request = function()
  counter = counter + 1
  local r = (counter + id) % #codes + 1
  local day = days[(counter * 3 + id) % #days + 1]
  local body = '{{"type":"special-sales-session","level":"town","placeCode":"' .. places[r] ..
    '","title":"{title} ' .. id .. '-' .. counter .. '-' .. math.random(1, 1000000000) .. '","startsOn":"' .. day ..
    '","endsOn":"' .. day .. '","safetyPlanReference":"ZJ-AQ-2023-017"}}'
  return wrk.format("POST", "/regions/" .. codes[r] .. "/activities",
    {{["Content-Type"] = "application/json", ["Authorization"] = "Bearer " .. tokens[r]}}, body)
end
"""


def verify_script(numbers):
    """wrk's script verifying certificates of `numbers` on 2024-01-01 for Hangzhou's Xihu district."""
    return f"""
local numbers = {lua_list(numbers)}
request = function()
  counter = counter + 1
  return wrk.format("GET", "/verify?certificate=" .. numbers[(counter * 7 + id) % #numbers + 1] .. "&date=2024-01-01&region=330106")
end
"""


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
        verify = wrk(service.url, 100, args.seconds, script=verify_script(sample))
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


# --- catalogue search at the shape users bring (issue #17) ------------------------------------------------------
ENC, WIN, WPC, WSD, HVAC, OTHER = ("enclosure-structures-and-concrete", "windows-curtain-walls-and-decoration",
                                   "waterproofing-sealing-and-coatings", "water-supply-drainage-and-treatment",
                                   "hvac-solar-and-lighting", "other-equipment")
# Product words and where they are certified; a name is a material, maybe a modifier, and one of these.
SEARCH_PRODUCTS = [
    ("保温板", ENC, "thermal-insulation"), ("保温砂浆", ENC, "thermal-insulation"), ("保温装饰一体板", ENC, "thermal-insulation"),
    ("加气混凝土砌块", ENC, "wall-materials"), ("多孔砖", ENC, "wall-materials"), ("预拌混凝土", ENC, "ready-mixed-concrete"),
    ("抹灰砂浆", ENC, "ready-mixed-mortar"), ("叠合板", ENC, "precast-components"), ("屋面瓦", ENC, "roofing"),
    ("节能门窗", WIN, "energy-saving-windows"), ("推拉窗", WIN, "energy-saving-windows"), ("平开门", WIN, "energy-saving-windows"),
    ("幕墙", WIN, "curtain-walls"), ("中空玻璃", WIN, "glass"), ("瓷砖", WIN, "ceramic-tiles"), ("复合地板", WIN, "wood-flooring"),
    ("石膏板", WIN, "gypsum-board"), ("防水卷材", WPC, "waterproof-membranes"), ("防水涂料", WPC, "waterproof-coatings"),
    ("密封胶", WPC, "sealants"), ("内墙涂料", WPC, "architectural-coatings"), ("外墙涂料", WPC, "architectural-coatings"),
    ("真石漆", WPC, "architectural-coatings"), ("给水管", WSD, "plastic-pipes"), ("排水管", WSD, "plastic-pipes"),
    ("坐便器", WSD, "sanitary-ware"), ("净水设备", WSD, "water-treatment"), ("雨水收集模块", WSD, "rainwater-harvesting"),
    ("热泵热水机", HVAC, "heat-pumps"), ("太阳能热水器", HVAC, "solar-water-heaters"), ("光伏组件", HVAC, "photovoltaic"),
    ("庭院灯", HVAC, "led-lighting"), ("新风机", HVAC, "fresh-air-systems"), ("钢结构构件", OTHER, "steel-structures"),
    ("轻钢龙骨", OTHER, "light-steel-keels"), ("家用电梯", OTHER, "elevators")]
SEARCH_MATERIALS = ["岩棉", "玻璃棉", "挤塑聚苯", "石墨聚苯", "聚氨酯", "酚醛", "气凝胶", "断桥铝合金", "铝包木", "塑钢", "实木",
                    "竹木", "陶瓷", "纸面", "硅藻", "水性", "无机", "氟碳", "改性沥青", "高分子", "丙烯酸", "硅酮", "再生骨料",
                    "空气源", "单晶硅", "LED", "PPR", "HDPE", "不锈钢", "镀锌"]
SEARCH_MODIFIERS = ["", "", "", "外墙", "内墙", "屋面", "节能", "低辐射", "防火", "隔音", "装配式", "抗菌", "环保", "高强", "轻质",
                    "复合", "三玻两腔", "耐候", "家用"]
SEARCH_PLACES = [("浙江", "330106"), ("杭州", "330106"), ("宁波", "330203"), ("山东", "370102"), ("济南", "370102"),
                 ("青岛", "370202"), ("四川", "510104"), ("成都", "510104"), ("广东", "440106"), ("广州", "440106"),
                 ("佛山", "440604"), ("湖南", "430102"), ("长沙", "430102"), ("福建", "350102"), ("天津", "120101")]
SEARCH_BRANDS = ["绿筑", "华建", "东方", "海螺", "鲁建", "北新", "金隅", "雨虹", "三棵", "立信", "恒大", "远大", "中联", "华润", "南玻",
                 "旗滨", "信义", "伟星", "联塑", "日丰", "箭牌", "九牧", "恒洁", "格力", "美的", "海尔", "奥克斯", "欧普", "雷士", "隆基",
                 "晶科", "天合", "杭萧", "精工", "富煌", "森鹰", "亚厦", "金螳", "东鹏", "马可", "蒙娜", "圣象", "大自", "德尔", "科顺",
                 "卓宝", "凯伦", "嘉宝", "华润", "亚士", "巴德", "康利", "永高", "顾地", "中财", "公元", "金牛", "爱康", "天正", "建华"]
SEARCH_TRADES = ["新材料科技", "建材", "节能科技", "门窗", "防水材料", "涂料", "管业", "环保科技", "绿色建筑科技", "新型建材", "建筑材料"]


def zipf_weights(n, s=1.0):
    return [1 / (rank ** s) for rank in range(1, n + 1)]


def search(args):
    """Catalogue search at a constant offered rate with a Zipf-like mix of thousands of distinct queries drawn from the
    imported certificates, per fragment length, and the saturation throughput, next to /health/live in the same run."""
    print(f"\n## catalogue search: {args.rows} certificates, a Zipf mix of distinct queries at constant offered rates")
    service = Service("catalogue", "catalogue")
    cold = None
    try:
        rng = random.Random(17)
        cb = token("certification-body", "cb-bench", **{"certification-body": credit_code("110108", rng)})
        committee = token("certification-committee", "committee-bench")
        enterprises, names = [], set()
        while len(enterprises) < args.search_enterprises:
            place, region = rng.choice(SEARCH_PLACES)
            name = place + rng.choice(SEARCH_BRANDS) + rng.choice(SEARCH_TRADES) + rng.choice(["有限公司", "股份有限公司"])
            if name in names:
                continue
            names.add(name)
            code = credit_code(region, rng)
            status, text = http("POST", service.url + "/enterprises", json.dumps({
                "creditCode": code, "name": name, "kind": "manufacturer", "regionCode": region, "address": place + "市",
                "contactName": "王经理", "contactPhone": "13812345678"}), token=cb)
            if status != 201:
                raise SystemExit(f"registering {name}: {status} {text[:300]}")
            enterprises.append((code, name))
        # A few enterprises hold most certificates (Zipf), as on the national list.
        holder_weights = zipf_weights(len(enterprises), 0.9)
        holders = rng.choices(range(len(enterprises)), weights=holder_weights, k=args.rows)
        run = f"{rng.randrange(16 ** 4):04X}"
        lines = ["certificateNumber,holderCreditCode,certificationBody,productName,model,category,subCategory,"
                 "starGrade,certificationBasis,issuedOn"]
        products = []
        for i in range(args.rows):
            word, category, sub = rng.choice(SEARCH_PRODUCTS)
            name = rng.choice(SEARCH_MATERIALS) + rng.choice(SEARCH_MODIFIERS) + word
            products.append(name)
            lines.append(f"CGBM-{run}-{i:07d},{enterprises[holders[i]][0]},中国建材检验认证集团,{name},"
                         f"{name[:1]}-{rng.randrange(100, 9999)},{category},{sub},{rng.choice(['one-star', 'two-star', 'three-star'])},"
                         f"T/CECS 10025-2019,2023-{1 + i % 12:02d}-{1 + i % 28:02d}")
        started = time.monotonic()
        status, text = http("POST", service.url + f"/national-list/batches?batch=search-{run}&mode=atomic",
                            ("\n".join(lines) + "\n").encode(), token=committee, content_type="text/csv")
        if status != 201:
            raise SystemExit(f"import: {status} {text[:500]}")
        print(f"imported {args.rows} certificates of {len(enterprises)} enterprises in {time.monotonic() - started:.1f} s")
        settle = time.monotonic()
        while int(psql("SELECT count(*) FROM catalogue.outbox")) > 0:
            if time.monotonic() - settle > 300:
                raise SystemExit("the relay did not publish the import's events within 5 minutes")
            time.sleep(0.5)
        psql("VACUUM ANALYZE catalogue.certificates")

        def q(text):
            return "q=" + urllib.parse.quote(text)

        def fragment(text, length):
            if len(text) <= length:
                return text
            start = rng.randrange(0, len(text) - length + 1)
            return text[start:start + length]

        # Distinct queries, each with its kind and its text's length (0: no text).
        lengths = [2, 3, 4, 5, 6]
        queries = {}
        while len(queries) < args.search_queries:
            kind = rng.choices(["product", "enterprise", "text+filter", "filter", "enterprise-code"],
                               weights=[50, 15, 10, 15, 10])[0]
            if kind == "product":
                length = rng.choices(lengths, weights=[30, 25, 20, 15, 10])[0]
                text = fragment(rng.choice(products), length)
                queries.setdefault(q(text), ("product", len(text)))
            elif kind == "enterprise":
                length = rng.choice([2, 4, 6])
                text = fragment(rng.choice(enterprises)[1][2:], length)
                queries.setdefault(q(text), ("enterprise", len(text)))
            elif kind == "text+filter":
                text = fragment(rng.choice(products), rng.choice([2, 3, 4]))
                extra = rng.choice(["grade=three-star", "grade=two-star", "status=valid", f"category={rng.choice(SEARCH_PRODUCTS)[1]}"])
                queries.setdefault(q(text) + "&" + extra, ("text+filter", len(text)))
            elif kind == "filter":
                product = rng.choice(SEARCH_PRODUCTS)
                extra = rng.choice([f"category={product[1]}", f"category={product[1]}&subCategory={product[2]}",
                                    f"grade={rng.choice(['one-star', 'two-star', 'three-star'])}&category={product[1]}",
                                    "status=valid&sort=-issuedOn"])
                queries.setdefault(extra, ("filter", 0))
            else:
                queries.setdefault(f"enterprise={enterprises[min(int(rng.paretovariate(1.2)) - 1, len(enterprises) - 1)][0]}",
                                   ("enterprise-code", 0))
        distinct = list(queries)
        rng.shuffle(distinct)
        popularity = zipf_weights(len(distinct))
        # A tenth of the requests ask for the next page of what they asked before (the cursor of its first page).
        cursors = {}
        for query in distinct[:200]:
            status, text = http("GET", service.url + "/products?limit=20&" + query)
            if status == 200 and json.loads(text).get("nextCursor"):
                cursors[query] = json.loads(text)["nextCursor"]

        def mix(count):
            picked = rng.choices(distinct, weights=popularity, k=count)
            paths = []
            for query in picked:
                if query in cursors and rng.random() < 0.1:
                    paths.append("/products?limit=20&" + query + "&cursor=" + cursors[query])
                else:
                    paths.append("/products?limit=20&" + query)
            return paths

        def requests_of(paths):
            return [f"GET {p} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".encode() for p in paths]

        top = sum(popularity[:20]) / sum(popularity)
        print(f"{len(distinct)} distinct queries (Zipf s=1.0 over them: the 20 most asked are {top:.0%} of requests; "
              f"kinds {dict(sorted(collections.Counter(k for k, _ in queries.values()).items()))})")

        # A second instance on the same schema without the answer store (GBM_CATALOGUE_SEARCH_CACHE_ENTRIES=0): what
        # every request would cost if nothing repeated, next to what the mix costs with it.
        cold = Service("catalogue", "catalogue", log_name="catalogue-uncached", GBM_CATALOGUE_SEARCH_CACHE_ENTRIES="0")

        def cache_counts():
            status, text = http("GET", service.url + "/metrics")
            counts = {}
            for line in text.splitlines():
                for kind in ("hits", "misses"):
                    if line.startswith(f"catalogue_search_cache_{kind}_total"):
                        counts[kind] = counts.get(kind, 0) + float(line.rsplit(" ", 1)[1])
            return counts.get("hits", 0), counts.get("misses", 0)

        def hit_rate(before):
            hits, misses = cache_counts()
            hits, misses = hits - before[0], misses - before[1]
            return f"{hits / (hits + misses):.0%}" if hits + misses else "-"

        # A writer issuing one certificate a second (each issue is a new catalogue version, which drops every stored
        # answer): far more than the national list's pace, the case the store helps least.
        writer_stop = threading.Event()
        writer_count = [0]
        writer_holder = enterprises[-1][0]

        def writer():
            while not writer_stop.wait(1.0):
                writer_count[0] += 1
                http("POST", service.url + "/certificates", json.dumps({
                    "certificateNumber": f"CGBM-{run}-W{writer_count[0]:06d}", "holderCreditCode": writer_holder,
                    "certificationBody": "中国建材检验认证集团", "productName": "岩棉外墙保温板", "model": "W-1",
                    "category": "enclosure-structures-and-concrete", "subCategory": "thermal-insulation",
                    "starGrade": "two-star", "certificationBasis": "T/CECS 10025-2019", "issuedOn": "2023-06-01"}),
                    token=cb)

        health = wrk(service.url + "/health/live", 64, args.seconds)
        sample = mix(20000)
        saturation_script = f"""
local paths = {lua_list(sample)}
request = function()
  counter = counter + 1
  return wrk.format("GET", paths[(counter * 2 + id) % #paths + 1])
end
"""
        before = cache_counts()
        saturation = wrk(service.url, 64, args.seconds, script=saturation_script)
        saturation_hits = hit_rate(before)
        uncached = wrk(cold.url, 64, args.seconds, script=saturation_script)
        rows = [["run", "offered", "achieved", "p50 ms", "p99 ms", "max ms", "not 200", "answered from the store"],
                ["GET /health/live, 64 connections, closed loop (baseline)", "-", f"{health['rate']:.0f}/s",
                 health["p50"], health["p99"], "-", health["requests"] - health["statuses"].get(200, 0), "-"],
                ["search mix, 64 connections, closed loop (saturation)", "-", f"{saturation['rate']:.0f}/s",
                 saturation["p50"], saturation["p99"], "-", saturation["requests"] - saturation["statuses"].get(200, 0),
                 saturation_hits],
                ["search mix without the store, 64 connections, closed loop (saturation)", "-", f"{uncached['rate']:.0f}/s",
                 uncached["p50"], uncached["p99"], "-", uncached["requests"] - uncached["statuses"].get(200, 0), "0%"]]
        loop = RawHTTP(service.port, connections=128)
        for rate in args.search_rates:
            paths = mix(int(rate * args.seconds))
            before = cache_counts()
            results = loop.run(requests_of(paths), rate)
            rows.append(latency_row(f"search mix at a constant rate", results, 200, rate) + [hit_rate(before)])
        # The same mix while a writer issues a certificate every second, at the middle rate.
        rate = args.search_rates[len(args.search_rates) // 2]
        thread = threading.Thread(target=writer, daemon=True)
        thread.start()
        before = cache_counts()
        results = loop.run(requests_of(mix(int(rate * args.seconds))), rate)
        writer_stop.set()
        thread.join()
        rows.append(latency_row(f"search mix, one certificate issued every second", results, 200, rate)
                    + [hit_rate(before) + f" ({writer_count[0]} issued)"])
        cold_loop = RawHTTP(cold.port, connections=128)
        rate = args.search_rates[0]
        rows.append(latency_row(f"search mix without the store", cold_loop.run(requests_of(mix(int(rate * args.seconds))), rate),
                                200, rate) + ["0%"])
        table(rows)
        print(f"\nsaturation with the mix is {saturation['rate'] / health['rate']:.0%} of /health/live's rate "
              f"({uncached['rate'] / health['rate']:.0%} without the answer store)")

        # Per fragment length: product-name fragments of one length, against the instance without the store (the
        # saturation runs repeat their queries), so these are what a query costs when it is first asked.
        rows = [["product-name fragment", "distinct queries", "offered", "achieved", "p50 ms", "p99 ms", "max ms", "not 200",
                 "saturation (32 conn.)"]]
        for length in lengths:
            texts = list({fragment(rng.choice(products), length) for _ in range(4000)})
            paths = ["/products?limit=20&" + q(t) for t in texts]
            results = cold_loop.run(requests_of((paths * 4)[:int(args.search_fragment_rate * args.seconds)]), args.search_fragment_rate)
            row = latency_row(f"{length} characters", results, 200, args.search_fragment_rate)
            sat = wrk(cold.url, 32, max(5, args.seconds // 2), script=f"""
local paths = {lua_list(paths)}
request = function()
  counter = counter + 1
  return wrk.format("GET", paths[(counter * 2 + id) % #paths + 1])
end
""")
            rows.append([row[0], len(texts)] + row[1:] + [f"{sat['rate']:.0f}/s (p99 {sat['p99']} ms)"])
        table(rows)
    finally:
        if cold:
            cold.stop()
        service.stop()


def pilot(args):
    print(f"\n## pilot-management: scheduling activities through the API for {args.seconds} s, calendar query")
    service = Service("pilot-management", "pilot")
    try:
        regions = PILOT_PLACES
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
        schedule = wrk(service.url, 16, args.seconds, script=schedule_script(tokens, "专场活动"))
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


class OTLPSink:
    """An OTLP/HTTP receiver on a free loopback port: accepts every export (as a collector's receiver does first)
    and counts requests and bytes, so that the traced runs pay for encoding and sending their spans."""

    def __init__(self):
        import http.server
        sink = self
        self.requests = 0
        self.bytes = 0
        self.lock = threading.Lock()

        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
                with sink.lock:
                    sink.requests += 1
                    sink.bytes += len(body)
                self.send_response(200)
                self.send_header("Content-Type", self.headers.get("Content-Type", "application/x-protobuf"))
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def stop(self):
        self.server.shutdown()


def observability(args):
    """Tracing on (every request and event in a span, exported over OTLP/HTTP to a local receiver) against off, in the
    same run, on the hot paths: catalogue's GET /verify, pilot-management's scheduling (its outbox relay publishing
    each activity's event). Modes alternate, each service restarted per run on the same data."""
    print(f"\n## observability: tracing on (GBM_TRACING=otlp) vs off, {args.observability_rounds} rounds, "
          f"{args.seconds} s per run")
    sink = OTLPSink()
    tracing = {"off": {"GBM_TRACING": "off"},
               "otlp": {"GBM_TRACING": "otlp", "OTEL_EXPORTER_OTLP_ENDPOINT": sink.url},
               # What production would run at this rate: one trace in ten recorded (the rest propagate only).
               "otlp-10%": {"GBM_TRACING": "otlp", "OTEL_EXPORTER_OTLP_ENDPOINT": sink.url,
                            "OTEL_TRACES_SAMPLER": "parentbased_traceidratio", "OTEL_TRACES_SAMPLER_ARG": "0.1"}}
    rng = random.Random(11)
    # catalogue: certificates to verify.
    service = Service("catalogue", "catalogue")
    try:
        cb = token("certification-body", "cb-obs", **{"certification-body": credit_code("110108", rng)})
        committee = token("certification-committee", "committee-obs")
        holders = [credit_code("330106", rng) for _ in range(20)]
        for code in holders:
            status, text = http("POST", service.url + "/enterprises", json.dumps({
                "creditCode": code, "name": "浙江绿筑新材料科技有限公司", "kind": "manufacturer", "regionCode": "330106",
                "address": "杭州市西湖区文三路 398 号", "contactName": "王经理", "contactPhone": "13812345678"}), token=cb)
            if status not in (201, 409):
                raise SystemExit(f"registering {code}: {status} {text[:300]}")
        run = f"{rng.randrange(16 ** 4):04X}"
        numbers = [f"CGBM-O{run}-{i:06d}" for i in range(5000)]
        lines = ["certificateNumber,holderCreditCode,certificationBody,productName,model,category,subCategory,"
                 "starGrade,certificationBasis,issuedOn"]
        lines += [f"{n},{holders[i % len(holders)]},中国建材检验认证集团,岩棉外墙保温板{i % 97},M-{i},"
                  f"enclosure-structures-and-concrete,thermal-insulation,two-star,T/CECS 10025-2019,2023-03-1{i % 9}"
                  for i, n in enumerate(numbers)]
        status, text = http("POST", service.url + f"/national-list/batches?batch=obs-{run}&mode=atomic",
                            ("\n".join(lines) + "\n").encode(), token=committee, content_type="text/csv")
        if status != 201:
            raise SystemExit(f"import: {status} {text[:500]}")
        while int(psql("SELECT count(*) FROM catalogue.outbox")) > 0:
            time.sleep(0.5)
    finally:
        service.stop()
    verify = verify_script([numbers[(i * 7919) % len(numbers)] for i in range(2000)])
    regions = PILOT_PLACES
    region_tokens = {code: token("region-official", f"r-{code}", region=code) for code in regions}
    schedule = schedule_script(region_tokens, "观测")
    published_sql = ("SELECT count(*) FROM pilot.outbox_published WHERE ce_type = 'gbm.pilot.activity.scheduled.v1'")
    results = {mode: {"verify": [], "verify_p99": [], "schedule": [], "schedule_p99": [], "relay": []} for mode in tracing}
    for round_number in range(args.observability_rounds):
        modes = list(tracing)
        for mode in (modes if round_number % 2 == 0 else list(reversed(modes))):
            service = Service("catalogue", "catalogue", **tracing[mode])
            try:
                verify_run = wrk(service.url, 100, args.seconds, script=verify)
                if verify_run["statuses"].get(200, 0) != verify_run["requests"]:
                    raise SystemExit(f"verify ({mode}): {verify_run['statuses']}")
                results[mode]["verify"].append(verify_run["rate"])
                results[mode]["verify_p99"].append(verify_run["p99"])
            finally:
                service.stop()
            service = Service("pilot-management", "pilot", **tracing[mode])
            try:
                for code in regions:
                    http("POST", service.url + f"/regions/{code}/launch-meeting", json.dumps(
                        {"heldOn": "2023-02-20", "placeCode": code, "attendance": 300}), token=region_tokens[code])
                before = int(psql(published_sql))
                started = time.monotonic()
                run = wrk(service.url, 16, args.seconds, script=schedule)
                created = run["statuses"].get(201, 0)
                # The relay's share: every scheduled activity's event published (acknowledged and marked sent).
                while int(psql(published_sql)) - before < created:
                    if time.monotonic() - started > args.seconds + 120:
                        raise SystemExit(f"pilot ({mode}): the relay did not publish {created} events")
                    time.sleep(0.1)
                drained = time.monotonic() - started
                results[mode]["schedule"].append(created / args.seconds)
                results[mode]["schedule_p99"].append(run["p99"])
                results[mode]["relay"].append(created / drained)
            finally:
                service.stop()
    sink.stop()

    def mean(values):
        return sum(values) / len(values)

    rows = [["hot path", "tracing off", "on, every trace", "on / off", "on, 10% sampled", "sampled / off", "target"]]
    for name, key, unit in (("GET /verify, 100 connections", "verify", "req/s"),
                            ("POST /regions/{code}/activities, 16 connections", "schedule", "created/s"),
                            ("outbox relay: scheduled → published", "relay", "events/s")):
        off, on, sampled = (mean(results[m][key]) for m in ("off", "otlp", "otlp-10%"))
        rows.append([name, f"{off:.0f} {unit}", f"{on:.0f} {unit}", f"{on / off:.1%}", f"{sampled:.0f} {unit}",
                     f"{sampled / off:.1%}", ">= 95%"])
    for name, key in (("GET /verify p99", "verify_p99"), ("POST activities p99", "schedule_p99")):
        off, on, sampled = (mean(results[m][key]) for m in ("off", "otlp", "otlp-10%"))
        rows.append([name, f"{off:.2f} ms", f"{on:.2f} ms", f"{on / off:.1%}", f"{sampled:.2f} ms",
                     f"{sampled / off:.1%}", ""])
    table(rows)
    print(f"\nthe receiver took {sink.requests} OTLP exports ({sink.bytes / 1e6:.1f} MB) from the traced runs; "
          f"per run: " + ", ".join(f"{mode}: verify {['%.0f' % v for v in r['verify']]}, schedule "
                                    f"{['%.0f' % v for v in r['schedule']]}, relay {['%.0f' % v for v in r['relay']]}"
                                    for mode, r in results.items()))


RESIDENT_ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
RESIDENT_ID_CHECKS = "10X98765432"
# The 2022 pilot regions (pilot-management's first batch), as the subsidy service's read model holds them.
PILOT_REGIONS = {"330000": "浙江省", "370000": "山东省", "510000": "四川省", "120000": "天津市", "350000": "福建省",
                 "440000": "广东省", "430000": "湖南省"}


def resident_id(n, prefix="330106"):
    """The n-th of a series of distinct resident identity numbers (GB 11643): born on day n // 1000 after
    1950-01-01, sequence n % 1000, with the ISO 7064 MOD 11-2 check character. The Lua in subsidy() makes the
    same series."""
    born = datetime.date(1950, 1, 1) + datetime.timedelta(days=n // 1000)
    body = prefix + born.strftime("%Y%m%d") + f"{n % 1000:03d}"
    return body + RESIDENT_ID_CHECKS[sum(int(c) * w for c, w in zip(body, RESIDENT_ID_WEIGHTS)) % 11]


LUA_RESIDENT_ID = r"""
local id_weights = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2}
local id_checks = "10X98765432"
local id_epoch = os.time{year = 1950, month = 1, day = 1, hour = 12}
function resident_id(n)
  local body = "330106" .. os.date("!%Y%m%d", id_epoch + math.floor(n / 1000) * 86400) .. string.format("%03d", n % 1000)
  local sum = 0
  for i = 1, 17 do sum = sum + tonumber(body:sub(i, i)) * id_weights[i] end
  local c = sum % 11 + 1
  return body .. id_checks:sub(c, c)
end
"""


def purchase_programme(region):
    """A purchase programme (the shape of Sample.purchaseProgramme in Tests/SubsidyTests) whose budget and review
    threshold no benchmark run reaches."""
    return json.dumps({
        "regionCode": region, "name": "绿色建材下乡消费补贴（基准）", "kind": "purchase", "startsOn": "2023-06-01",
        "endsOn": "2023-12-31", "budget": 10_000_000_000_000,
        "fundingShares": [{"level": "central", "basisPoints": 8000}, {"level": "provincial", "basisPoints": 2000}],
        "rounding": "half-up", "reviewThreshold": 1_000_000_000_000,
        "purchaseTerms": {"gradeRates": [{"starGrade": "three-star", "rateBasisPoints": 1500},
                                         {"starGrade": "two-star", "rateBasisPoints": 1200},
                                         {"starGrade": "one-star", "rateBasisPoints": 1000}],
                          "localListRateBasisPoints": 800,
                          "eligibleCategories": ["enclosure-structures-and-concrete",
                                                 "windows-curtain-walls-and-decoration"],
                          "capPerItem": 200_000, "householdCapCount": 10, "householdCapAmount": 10_000_000}},
        ensure_ascii=False)


class Claims:
    """Valid, distinct claims: the n-th has its own buyer, household, invoice and bank account, a seller and a
    certificate taken in turn, and the programme floor(n / sellers) mod programmes. Prices are fixed per
    certificate, so no seller's price stands out from its history. subsidy()'s Lua makes the same claims."""

    def __init__(self, tag, sellers, certificates, prices):
        self.tag, self.sellers, self.certificates, self.prices = tag, sellers, certificates, prices

    def body(self, n, programmes):
        seller = self.sellers[n % len(self.sellers)]
        k = (n * 31) % len(self.certificates)
        return json.dumps({
            "programmeID": programmes[(n // len(self.sellers)) % len(programmes)], "buyerIDNumber": resident_id(n),
            "householdID": f"HH-{self.tag}-{n}", "buyerPhone": "13812345678", "sellerCreditCode": seller,
            "invoiceCode": "033002300111", "invoiceNumber": f"9{self.tag}{n:013d}",
            "purchasedOn": f"2023-07-{n % 28 + 1:02d}",
            "lines": [{"certificateNumber": self.certificates[k], "quantity": 1, "unitPrice": self.prices[k]}],
            "bankAccount": f"6222{self.tag}{n:09d}"}, separators=(",", ":"))

    def lua(self, programmes, tokens, base):
        """wrk's request(): claim n = base + counter * threads + thread id (two threads)."""
        return LUA_RESIDENT_ID + f"""
local sellers = {lua_list(self.sellers)}
local tokens = {lua_list(tokens)}
local certificates = {lua_list(self.certificates)}
local prices = {lua_list(self.prices)}
local programmes = {lua_list(programmes)}
errors = {{}}
request = function()
  local n = {base} + counter * 2 + id
  counter = counter + 1
  local s = n % #sellers + 1
  local k = (n * 31) % #certificates + 1
  local body = '{{"programmeID":"' .. programmes[math.floor(n / #sellers) % #programmes + 1] ..
    '","buyerIDNumber":"' .. resident_id(n) .. '","householdID":"HH-{self.tag}-' .. n ..
    '","buyerPhone":"13812345678","sellerCreditCode":"' .. sellers[s] ..
    '","invoiceCode":"033002300111","invoiceNumber":"9{self.tag}' .. string.format("%013d", n) ..
    '","purchasedOn":"2023-07-' .. string.format("%02d", n % 28 + 1) ..
    '","lines":[{{"certificateNumber":"' .. certificates[k] .. '","quantity":1,"unitPrice":' .. prices[k] ..
    '}}],"bankAccount":"6222{self.tag}' .. string.format("%09d", n) .. '"}}'
  return wrk.format("POST", "/claims",
    {{["Content-Type"] = "application/json", ["Authorization"] = "Bearer " .. tokens[s]}}, body)
end
response = function(status, headers, body)
  statuses[status] = (statuses[status] or 0) + 1
  if status ~= 201 and #errors < 3 then table.insert(errors, status .. " " .. body:sub(1, 300)) end
end
local common_done = done
done = function(summary, latency, requests)
  common_done(summary, latency, requests)
  for _, thread in ipairs(threads) do
    for _, e in ipairs(thread:get("errors")) do io.write("ERROR " .. e:gsub("\\n", " ") .. "\\n") end
  end
end
"""


class RawHTTP:
    """Requests at a constant offered rate over keep-alive HTTP/1.1 connections (what wrk2 does; Debian has no
    wrk2). Send times are scheduled at `rate` per second before the run; a request waits for a free connection
    when all are busy, and its latency is counted from its *scheduled* time, so a stall delays the requests behind
    it in the figures as it would delay real callers (no coordinated omission). Times are wall-clock (time.time())
    so they compare with the broker consumer's arrival times and PostgreSQL's timestamps."""

    def __init__(self, port, connections=64):
        self.port, self.connections = port, connections

    @staticmethod
    async def read_response(reader):
        head = await reader.readuntil(b"\r\n\r\n")
        lines = head.decode("latin-1").split("\r\n")
        status = int(lines[0].split(" ")[1])
        headers = {}
        for line in lines[1:]:
            if ":" in line:
                name, value = line.split(":", 1)
                headers[name.strip().lower()] = value.strip()
        if "content-length" in headers:
            return status, await reader.readexactly(int(headers["content-length"]))
        body = b""
        if headers.get("transfer-encoding", "").lower() == "chunked":
            while True:
                size = int((await reader.readuntil(b"\r\n")).split(b";")[0], 16)
                chunk = await reader.readexactly(size + 2)
                if size == 0:
                    break
                body += chunk[:-2]
        return status, body

    def run(self, requests, rate):
        """Sends requests[i] at start + i / rate; returns (scheduled, sent, done, status, body) for each."""
        return asyncio.run(self._run(requests, rate))

    async def _run(self, requests, rate):
        results = [None] * len(requests)
        queue = asyncio.Queue()
        connected = []
        for _ in range(self.connections):
            connected.append(await asyncio.open_connection("127.0.0.1", self.port))

        async def worker(reader, writer):
            while True:
                item = await queue.get()
                if item is None:
                    break
                i, scheduled = item
                sent = time.time()
                writer.write(requests[i])
                status, body = await self.read_response(reader)
                results[i] = (scheduled, sent, time.time(), status, body)
            writer.close()

        workers = [asyncio.create_task(worker(r, w)) for r, w in connected]
        start = time.time() + 0.2
        for i in range(len(requests)):
            scheduled = start + i / rate
            delay = scheduled - time.time()
            if delay > 0:
                await asyncio.sleep(delay)
            queue.put_nowait((i, scheduled))
        for _ in workers:
            queue.put_nowait(None)
        await asyncio.gather(*workers)
        return results


class TopicWatch:
    """Reads a topic from its end with kcat (Debian package), recording when each record arrives here: key,
    ce_type header, arrival (time.time()) and the record's timestamp (set by the producer, ms)."""

    def __init__(self, topic):
        args = ["kcat", "-C", "-b", os.environ["GBM_KAFKA_BROKERS"], "-t", topic, "-o", "end", "-u", "-q",
                "-f", "%k\t%T\t%h\n",
                # Tansu answers a fetch only when fetch.wait.max.ms is over, records or not: the services' value.
                "-X", "fetch.wait.max.ms=" + os.environ.get("GBM_KAFKA_FETCH_WAIT_MAX_MS", "10"),
                "-X", "fetch.error.backoff.ms=10"]
        self.process = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, bufsize=1)
        self.records = []
        self.thread = threading.Thread(target=self._read, daemon=True)
        self.thread.start()

    def _read(self):
        for line in self.process.stdout:
            arrived = time.time()
            parts = line.rstrip("\n").split("\t")
            if len(parts) < 3:
                continue
            headers = dict(h.split("=", 1) for h in parts[2].split(",") if "=" in h)
            self.records.append((parts[0], headers.get("ce_type", ""), arrived, int(parts[1]) / 1000))

    def wait_for(self, matches, timeout):
        deadline = time.monotonic() + timeout
        seen = 0
        while time.monotonic() < deadline:
            records = self.records[seen:]
            if any(matches(r) for r in records):
                return True
            seen += len(records)
            time.sleep(0.05)
        return False

    def stop(self):
        if self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=10)


class RelayProbe:
    """Trivial events written straight into the subsidy outbox by one psql session (the admin), each INSERT
    followed by a NOTIFY on the outbox channel as the services' signal sends after a commit, so the service's relay
    publishes them to gbm.subsidy.claims.v1 (key probe-<run>-<i>: the record key is the event's subject; a type no
    consumer knows)."""
    TYPE = "gbm.bench.relay-probe.v1"

    def __init__(self, tag):
        self.tag = tag
        env = dict(os.environ, PGPASSWORD=os.environ.get("GBM_PG_ADMIN_PASSWORD", ""))
        self.log = open(os.path.join(STATE, "logs", "bench-relay-probe.log"), "w")
        self.process = subprocess.Popen(
            [PSQL, "-h", os.environ.get("GBM_PG_HOST", "127.0.0.1"), "-p", os.environ["GBM_PG_PORT"],
             "-U", os.environ.get("GBM_PG_ADMIN_USER", "postgres"), "-d", os.environ.get("GBM_PG_DATABASE", "gbm"),
             "-qAt"], env=env, stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=self.log, text=True)

    def key(self, i):
        return f"probe-{self.tag}-{i}"

    def send(self, count, rate=None, first=0):
        """Sends probes first, first + 1, … (one probe named `first` when it is not a number)."""
        started = time.monotonic()
        for i in (range(first, first + count) if isinstance(first, int) else [first]):
            if rate:
                delay = started + (i - first) / rate - time.monotonic()
                if delay > 0:
                    time.sleep(delay)
            self.process.stdin.write(
                "INSERT INTO subsidy.outbox (topic, partition_key, ce_id, ce_type, ce_source, ce_subject, ce_time, "
                f"payload) VALUES ('gbm.subsidy.claims.v1', '{self.key(i)}', gen_random_uuid()::text, '{self.TYPE}', "
                f"'/gbm/bench', '{self.key(i)}', now(), '{{}}');\nSELECT pg_notify('subsidy_outbox', 'bench-probe');\n")
            self.process.stdin.flush()

    def close(self):
        self.process.stdin.close()
        self.process.wait(timeout=30)
        self.log.close()


def percentile(values, p):
    """The nearest-rank percentile."""
    values = sorted(values)
    if not values:
        return float("nan")
    return values[min(len(values), max(1, math.ceil(p / 100 * len(values)))) - 1]


def latency_row(name, results, ok, rate):
    """A constant-rate run's row: offered and achieved rate, latency from each request's scheduled send (a late send
    counts against the server, as a client at that rate would see it), and the requests that did not answer `ok`."""
    good = [r for r in results if r[3] == ok]
    lat = [(r[2] - r[0]) * 1000 for r in good]
    span = max(r[2] for r in results) - min(r[0] for r in results)
    return [name, f"{rate}/s", f"{len(good) / span:.0f}/s", f"{percentile(lat, 50):.1f}",
            f"{percentile(lat, 99):.1f}", f"{max(lat, default=float('nan')):.1f}", len(results) - len(good)]


class CpuMeter:
    """CPU time used between start() and stop() by the service process, this benchmark's PostgreSQL (the
    postmaster and its children) and Tansu, and by the whole machine (/proc/stat: wrk, the other processes and
    whatever else runs on the machine)."""

    def __init__(self, service_pid):
        self.service = service_pid
        self.hz = os.sysconf("SC_CLK_TCK")

    def sample(self):
        with open(os.path.join(STATE, "pg.pid")) as f:
            postmaster = int(f.read().split()[0])
        with open(os.path.join(STATE, "tansu.pid")) as f:
            tansu = int(f.read().split()[0])
        ticks = {"service": 0, "postgres": 0, "tansu": 0}
        for entry in os.listdir("/proc"):
            if not entry.isdigit():
                continue
            try:
                with open(f"/proc/{entry}/stat") as f:
                    stat = f.read()
            except OSError:
                continue
            fields = stat[stat.rindex(")") + 2:].split()
            pid, parent = int(entry), int(fields[1])
            group = ("service" if pid == self.service else "postgres" if postmaster in (pid, parent)
                     else "tansu" if pid == tansu else None)
            if group:
                ticks[group] += int(fields[11]) + int(fields[12])
            if pid == postmaster:  # backends that have exited (pgbench's) were counted into their parent's
                ticks[group] += int(fields[13]) + int(fields[14])
        with open("/proc/stat") as f:
            counters = [int(v) for v in f.readline().split()[1:]]
        ticks["machine"] = sum(counters) - counters[3] - counters[4]  # all but idle and iowait
        return time.monotonic(), ticks

    def start(self):
        self.started = self.sample()

    def stop(self):
        """Cores used, per group, over the window."""
        (t0, a), (t1, b) = self.started, self.sample()
        cores = {g: (b[g] - a[g]) / self.hz / (t1 - t0) for g in a}
        cores["rest"] = cores["machine"] - cores["service"] - cores["postgres"] - cores["tansu"]
        return cores


def pgbench_baseline(clients, seconds):
    """PostgreSQL alone: a transaction of one claim-like insert and one outbox-like insert (an event's payload of
    about 700 bytes), from `clients` connections for `seconds`, with pgbench's prepared statements."""
    pgbench = os.path.join(os.path.dirname(PSQL), "pgbench")
    psql("DROP TABLE IF EXISTS public.bench_claim, public.bench_outbox; "
         "CREATE TABLE public.bench_claim (id uuid PRIMARY KEY, programme_id uuid NOT NULL, status text NOT NULL, "
         "consumer_ref text NOT NULL, invoice_number text NOT NULL, requested_amount bigint NOT NULL, "
         "submitted_at timestamptz NOT NULL); "
         "CREATE TABLE public.bench_outbox (id bigserial PRIMARY KEY, topic text NOT NULL, partition_key text NOT NULL, "
         "ce_id text NOT NULL UNIQUE, ce_type text NOT NULL, payload text NOT NULL, "
         "created_at timestamptz NOT NULL DEFAULT clock_timestamp())")
    with tempfile.NamedTemporaryFile("w", suffix=".sql", delete=False) as f:
        f.write("\\set n random(1, 2000000000)\n"
                "BEGIN;\n"
                "INSERT INTO public.bench_claim VALUES (gen_random_uuid(), '00000000-0000-0000-0000-000000000001', "
                "'approved', md5(:n::text), :n::text, 15000, now());\n"
                "INSERT INTO public.bench_outbox (topic, partition_key, ce_id, ce_type, payload) VALUES "
                "('gbm.subsidy.claims.v1', :n::text, gen_random_uuid()::text, 'gbm.subsidy.claim.submitted.v1', "
                "repeat('x', 700));\n"
                "END;\n")
        script = f.name
    env = dict(os.environ, PGPASSWORD=os.environ.get("GBM_PG_ADMIN_PASSWORD", ""))
    out = subprocess.run(
        [pgbench, "-h", os.environ.get("GBM_PG_HOST", "127.0.0.1"), "-p", os.environ["GBM_PG_PORT"],
         "-U", os.environ.get("GBM_PG_ADMIN_USER", "postgres"), "-n", "-M", "prepared", "-c", str(clients),
         "-j", "2", "-T", str(seconds), "-f", script, os.environ.get("GBM_PG_DATABASE", "gbm")],
        env=env, check=True, capture_output=True, text=True).stdout
    os.unlink(script)
    psql("DROP TABLE public.bench_claim, public.bench_outbox")
    return {"tps": float(re.search(r"tps = ([\d.]+) \(without initial", out).group(1)),
            "latency": float(re.search(r"latency average = ([\d.]+) ms", out).group(1))}


def loadavg():
    with open("/proc/loadavg") as f:
        return " ".join(f.read().split()[:3])


def subsidy(args):
    conns = args.connections
    print(f"\n## subsidy: claims through POST /claims ({conns} connections, {args.seconds} s closed loop; "
          f"{' and '.join(f'{r}/s' for r in args.rates)} offered for {args.latency_seconds} s), decision events on the topic")
    service = Service("subsidy", "subsidy")
    watch = probe = None
    try:
        rng = random.Random(11)
        tag = f"{int(time.time()) % 1_000_000:06d}"  # invoices and accounts differ from an earlier run's
        sellers = [credit_code(rng.choice(["330106", "370102", "510104", "440106"]), rng) for _ in range(200)]
        certificates = [f"CGBM-2023-BN-{i:04d}" for i in range(100)]
        prices = [60_000 + 1_000 * (i % 50) for i in range(100)]
        grades = ["three-star", "two-star", "one-star"]
        categories = ["enclosure-structures-and-concrete", "windows-curtain-walls-and-decoration"]

        # The fixture goes straight into the service's read models (as the admin): what its consumer would have
        # built from gbm.pilot.regions.v1, gbm.pilot.participants.v1 and gbm.catalogue.certificates.v1. Every seller
        # is enrolled in every region, and has a history of 500 claims a day over the previous 28 days: the
        # volume-spike rule holds a seller's claims beyond 5 x its norm (and 50), which a run of tens of thousands
        # of claims over 200 sellers would otherwise reach. Sellers and certificates have their own prices, so the
        # price-anomaly rule has nothing to find; every claim has its own buyer, household and bank account.
        def sql_array(values):
            return "ARRAY[" + ",".join("'" + v + "'" for v in values) + "]"

        psql("INSERT INTO subsidy.pilot_region (region_code, region_name, approved_on) VALUES " + ",".join(
            f"('{code}', '{name}', DATE '2022-12-01')" for code, name in PILOT_REGIONS.items())
             + " ON CONFLICT DO NOTHING")
        psql("INSERT INTO subsidy.seller_enrolment (participant_id, region_code, credit_code, enrolled_on) "
             f"SELECT gen_random_uuid(), r, s, DATE '2023-01-01' FROM unnest({sql_array(PILOT_REGIONS)}) r, "
             f"unnest({sql_array(sellers)}) s")
        psql("INSERT INTO subsidy.certificate (number, holder_credit_code, category, star_grade, model, issued_on, "
             "expires_on, status) VALUES " + ",".join(
                 f"('{number}', '{sellers[i]}', '{categories[i % 2]}', '{grades[i % 3]}', 'BN-{i}', DATE '2023-01-10', "
                 "DATE '2028-01-09', 'valid')" for i, number in enumerate(certificates)) + " ON CONFLICT DO NOTHING")
        psql("INSERT INTO subsidy.seller_day (seller_credit_code, day, claims) "
             f"SELECT s, d::date, 500 FROM unnest({sql_array(sellers)}) s, generate_series("
             "(now() AT TIME ZONE 'Asia/Shanghai')::date - 28, (now() AT TIME ZONE 'Asia/Shanghai')::date - 1, "
             "interval '1 day') d ON CONFLICT DO NOTHING")
        psql("ANALYZE subsidy.seller_enrolment; ANALYZE subsidy.certificate; ANALYZE subsidy.seller_day")

        officials = {code: token("region-official", f"official-{code}", region=code) for code in PILOT_REGIONS}
        ministry = token("ministry", "ministry-bench", department="MOFCOM")
        seller_tokens = [token("enterprise", f"seller-{s}", enterprise=s) for s in sellers]

        def open_programme(region):
            status, text = http("POST", service.url + "/programmes", purchase_programme(region), token=officials[region])
            if status != 201:
                raise SystemExit(f"drafting a programme in {region}: {status} {text[:300]}")
            programme = json.loads(text)["id"]
            for step, who in (("approval", ministry), ("opening", officials[region])):
                status, text = http("POST", service.url + f"/programmes/{programme}/{step}", token=who)
                if status != 200:
                    raise SystemExit(f"programme {step}: {status} {text[:300]}")
            return programme

        codes = list(PILOT_REGIONS)
        warm = [open_programme("330000")]
        one = [open_programme("330000")]
        twenty = [open_programme(codes[i % len(codes)]) for i in range(20)]
        claims = Claims(tag, sellers, certificates, prices)

        def outcome(programmes):
            """Claims in the database by status, their events written (outbox or published) by type, and the
            claims committed in each whole second of the run."""
            ids = sql_array(programmes) + "::uuid[]"
            statuses = dict(line.split("|") for line in psql(
                f"SELECT status, count(*) FROM subsidy.claim WHERE programme_id = ANY({ids}) GROUP BY 1").splitlines())
            events = dict(line.split("|") for line in psql(
                f"WITH c AS (SELECT id::text AS id FROM subsidy.claim WHERE programme_id = ANY({ids})) "
                "SELECT e.ce_type, count(*) FROM (SELECT partition_key, ce_type FROM subsidy.outbox UNION ALL "
                "SELECT partition_key, ce_type FROM subsidy.outbox_published) e JOIN c ON c.id = e.partition_key "
                "GROUP BY 1").splitlines())
            seconds = [int(n) for n in psql(
                f"SELECT count(*) FROM subsidy.claim WHERE programme_id = ANY({ids}) "
                "GROUP BY date_trunc('second', submitted_at) ORDER BY date_trunc('second', submitted_at)").split()]
            return ({k: int(v) for k, v in statuses.items()},
                    {k.split(".")[-2]: int(v) for k, v in events.items()}, seconds[1:-1])

        def drain():
            """Seconds until the relay has published everything in the outbox."""
            started = time.monotonic()
            while int(psql("SELECT count(*) FROM subsidy.outbox")) > 0:
                if time.monotonic() - started > 300:
                    raise SystemExit("the relay did not empty the outbox within 5 minutes")
                time.sleep(0.2)
            return time.monotonic() - started

        meter = CpuMeter(service.process.pid)

        def closed_loop(programmes, base, seconds):
            load = loadavg()
            meter.start()
            result = wrk(service.url, conns, seconds, script=claims.lua(programmes, seller_tokens, base))
            result["cpu"] = meter.stop()
            result["load"] = load
            result["errors"] = result.get("errors", [])
            result["drain"] = drain()
            result["db"] = outcome(programmes)
            return result

        closed_loop(warm, 0, 3)  # opens the pool's connections, fills caches; not reported
        base_load = loadavg()
        meter.start()
        baseline = pgbench_baseline(conns, args.seconds)
        baseline_cpu = meter.stop()
        single = closed_loop(one, 1_000_000, args.seconds)
        spread = closed_loop(twenty, 2_000_000, args.seconds)

        def cpu(cores, per=None):
            text = (f"service {cores['service']:.2f}, PostgreSQL {cores['postgres']:.2f}, Tansu {cores['tansu']:.2f}, "
                    f"rest {cores['rest']:.2f} (machine {cores['machine']:.2f} of {os.cpu_count()})")
            if per:
                text += (f"; per claim {cores['service'] / per * 1000:.1f} ms service, "
                         f"{cores['postgres'] / per * 1000:.1f} ms PostgreSQL")
            return text

        rows = [["measurement", "connections", "claims/s", "p50 ms", "p99 ms", "outcome (database after the run)",
                 "vs baseline", "CPU, cores", "load (1/5/15 min)"],
                ["baseline: pgbench, BEGIN; claim-like INSERT; outbox-like INSERT; COMMIT", conns,
                 f"{baseline['tps']:.0f} tps", f"{baseline['latency']:.1f} (mean)", "", "", "100%",
                 cpu(baseline_cpu), base_load]]
        for name, result in (("POST /claims, one programme", single), ("POST /claims, twenty programmes", spread)):
            created = result["statuses"].get(201, 0)
            statuses, events, per_second = result["db"]
            rate = created / args.seconds
            rows.append([name, conns, f"{rate:.0f}", result["p50"], result["p99"],
                         f"wrk: {created} × 201, {result['requests'] - created} other; database: "
                         + ", ".join(f"{n} {s}" for s, n in sorted(statuses.items()))
                         + "; events: " + ", ".join(f"{n} {t}" for t, n in sorted(events.items()))
                         + f"; per second {min(per_second, default=0)}–{max(per_second, default=0)}"
                         + f"; outbox empty {result['drain']:.1f} s after",
                         f"{rate / baseline['tps']:.0%} of tps", cpu(result["cpu"], rate), result["load"]])
            for error in result["errors"]:
                print("  non-201:", error)
        table(rows)

        # Constant offered rates: at each, /health/live first (the driver's and the server's floor), then claims on
        # a programme of their own, with the claims topic read from its end to time each claim's events.
        watch = TopicWatch("gbm.subsidy.claims.v1")
        probe = RelayProbe(tag)
        for attempt in range(30):  # until the reader, which starts at the topic's end, sees one
            probe.send(1, first=f"ready-{attempt}")
            if watch.wait_for(lambda r: r[0].startswith(probe.key("ready-")), 1):
                break
        else:
            raise SystemExit("no probe event reached the topic reader within 30 s")
        driver = RawHTTP(service.port)
        runs = []
        for index, rate in enumerate(args.rates):
            count = rate * args.latency_seconds
            load_health = loadavg()
            health = driver.run(
                [f"GET /health/live HTTP/1.1\r\nHost: 127.0.0.1:{service.port}\r\n\r\n".encode()] * count, rate)
            programme = [open_programme("330000")]
            requests = []
            for i in range(count):
                n = 3_000_000 + 1_000_000 * index + i
                body = claims.body(n, programme).encode()
                requests.append((f"POST /claims HTTP/1.1\r\nHost: 127.0.0.1:{service.port}\r\n"
                                 f"Authorization: Bearer {seller_tokens[n % len(sellers)]}\r\n"
                                 f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n\r\n").encode()
                                + body)
            load_claims = loadavg()
            submitted = driver.run(requests, rate)
            runs.append({"rate": rate, "health": health, "load_health": load_health, "submitted": submitted,
                         "load_claims": load_claims, "programme": programme[0], "drain": drain()})
            time.sleep(1)

        # Baseline for the topic: trivial events written straight into the outbox (one INSERT, then a NOTIFY like
        # the services' signal) at 20/s, through the same relay, broker and reader.
        probe.send(200, rate=20, first=1)
        watch.wait_for(lambda r: r[0] == probe.key(200), 30)
        time.sleep(0.5)
        watch.stop()

        print()
        rows = [["call (constant offered rate, latency from the scheduled send)", "offered", "achieved", "p50 ms",
                 "p99 ms", "max ms", "failed"]]
        for run in runs:
            rows.append(latency_row(f"GET /health/live (baseline; load {run['load_health']})", run["health"], 200,
                                    run["rate"]))
            rows.append(latency_row(f"POST /claims, one programme (load {run['load_claims']})", run["submitted"], 201,
                                    run["rate"]))
        table(rows)

        arrivals = {}
        for key, ce_type, arrived, stamped in watch.records:
            arrivals.setdefault(key, {})[ce_type] = (arrived, stamped)

        def row(name, values, target=""):
            return [name, len(values), f"{percentile(values, 50):.1f}", f"{percentile(values, 99):.1f}",
                    f"{max(values, default=float('nan')):.1f}", target]

        rows = [["time to the decision event on the topic (the constant-rate runs' claims)", "claims", "p50 ms",
                 "p99 ms", "max ms", "target"]]
        notes = []
        submitted_type = "gbm.subsidy.claim.submitted.v1"
        for run in runs:
            # The decision event's audit row: when its outbox row was written (in the claim's transaction) and when
            # the relay marked it published (after the broker's acknowledgement).
            published = {}
            for line in psql(
                    "SELECT o.partition_key, extract(epoch FROM o.created_at), extract(epoch FROM o.published_at) "
                    "FROM subsidy.outbox_published o JOIN subsidy.claim c ON c.id::text = o.partition_key "
                    f"WHERE c.programme_id = '{run['programme']}' AND o.ce_type <> '{submitted_type}'").splitlines():
                key, created, marked = line.split("|")
                published[key] = (float(created), float(marked))
            e2e, e2e_sent, gap, before_insert, relay, kafka, decisions, missing = [], [], [], [], [], [], {}, 0
            for scheduled, sent, done, status, body in run["submitted"]:
                if status != 201:
                    continue
                claim = json.loads(body)
                events = arrivals.get(claim["id"], {})
                decision = next(((t.split(".")[-2], v) for t, v in events.items()
                                 if t.split(".")[-2] in ("approved", "held", "rejected")), None)
                if decision is None or submitted_type not in events or claim["id"] not in published:
                    missing += 1
                    continue
                decisions[decision[0]] = decisions.get(decision[0], 0) + 1
                arrived = decision[1][0]
                created, marked = published[claim["id"]]
                e2e.append((arrived - scheduled) * 1000)
                e2e_sent.append((arrived - sent) * 1000)
                gap.append((arrived - events[submitted_type][0]) * 1000)
                before_insert.append((created - sent) * 1000)
                relay.append((marked - created) * 1000)
                kafka.append((arrived - marked) * 1000)
            r = run["rate"]
            rows += [row(f"{r}/s: scheduled send → decision event arrives", e2e, "p99 < 100 ms"),
                     row(f"{r}/s: actual send → decision event arrives", e2e_sent),
                     row(f"{r}/s: submitted event arrives → decision event arrives (same transaction)", gap),
                     row(f"{r}/s:   part: send → outbox INSERT in the claim's transaction", before_insert),
                     row(f"{r}/s:   part: outbox INSERT → published (rest of the transaction, commit, relay, ack)",
                         relay),
                     row(f"{r}/s:   part: published → arrives at the topic reader (fetch)", kafka)]
            statuses, events, _ = outcome([run["programme"]])
            notes.append(f"{r}/s: decisions on the topic {decisions}; {missing} created claims without both events "
                         f"on the topic; database {statuses}, events {events}; outbox empty {run['drain']:.1f} s "
                         "after the last response")
        probe_total, probe_relay, probe_kafka = [], [], []
        for line in psql(
                "SELECT partition_key, extract(epoch FROM created_at), extract(epoch FROM published_at) "
                f"FROM subsidy.outbox_published WHERE ce_type = '{RelayProbe.TYPE}' "
                f"AND partition_key LIKE 'probe-{tag}-%'").splitlines():
            key, created, marked = line.split("|")
            if key.startswith(probe.key("ready-")) or RelayProbe.TYPE not in arrivals.get(key, {}):
                continue
            arrived = arrivals[key][RelayProbe.TYPE][0]
            probe_total.append((arrived - float(created)) * 1000)
            probe_relay.append((float(marked) - float(created)) * 1000)
            probe_kafka.append((arrived - float(marked)) * 1000)
        rows += [row("baseline: trivial event, outbox INSERT → arrives (20/s, written directly, NOTIFY)", probe_total),
                 row("  part: INSERT → published", probe_relay),
                 row("  part: published → arrives", probe_kafka)]
        print()
        table(rows)
        for note in notes:
            print(note)
    finally:
        if watch:
            watch.stop()
        if probe:
            probe.close()
        service.stop()


def complaints(args):
    conns = args.connections
    print(f"\n## complaints: intake through POST /cases ({conns} connections, {args.seconds} s closed loop; "
          f"{' and '.join(f'{r}/s' for r in args.rates)} offered for {args.latency_seconds} s), "
          f"the deadline check over {args.open_cases:,} open cases")
    service = Service("complaints", "complaints")
    try:
        # The region as the consumer would have learnt it from gbm.pilot.regions.v1.
        psql("INSERT INTO complaints.pilot_region (region_code, region_name) VALUES ('330100', '杭州市') ON CONFLICT DO NOTHING")
        script = r"""
request = function()
  counter = counter + 1
  local n = id * 100000000 + counter
  local body = '{"kind":"complaint","channel":"web-form","category":"false-green-claim","regionCode":"330100",' ..
    '"countyCode":"330106","complainantName":"王小明","complainantPhone":"139' .. string.format("%08d", n % 100000000) ..
    '","facts":"购买的保温板标称三星级绿色建材，实际无认证标识（' .. n .. '）","demands":"退货退款",' ..
    '"amountInDispute":86000,"purchasedOn":"2023-09-01","respondentName":"西湖建材城某店"}'
  return wrk.format("POST", "/cases", {["Content-Type"] = "application/json"}, body)
end
"""
        count_sql = ("SELECT (SELECT count(*) FROM complaints.complaint_case), "
                     "(SELECT count(*) FROM complaints.outbox) + (SELECT count(*) FROM complaints.outbox_published)")
        wrk(service.url, conns, 3, script=script)  # warms the pool and caches; not reported
        before = [int(v) for v in psql(count_sql).split("|")]
        base_load = loadavg()
        baseline = pgbench_baseline(conns, args.seconds)
        health = wrk(service.url + "/health/live", conns, args.seconds)
        load = loadavg()
        meter = CpuMeter(service.process.pid)
        meter.start()
        intake = wrk(service.url, conns, args.seconds, script=script)
        cores = meter.stop()
        after = [int(v) for v in psql(count_sql).split("|")]
        created = intake["statuses"].get(201, 0)
        rate = created / args.seconds
        rows = [["measurement", "connections", "per second", "p50 ms", "p99 ms", "outcome", "vs baseline", "target",
                 "load (1/5/15 min)"],
                ["baseline: pgbench, BEGIN; claim-like INSERT; outbox-like INSERT; COMMIT", conns,
                 f"{baseline['tps']:.0f} tps", f"{baseline['latency']:.1f} (mean)", "", "", "100%", "", base_load],
                ["baseline: GET /health/live", conns, f"{health['rate']:.0f}", health["p50"], health["p99"], "", "", "",
                 base_load],
                ["POST /cases (web form, anonymous)", conns, f"{rate:.0f} cases", intake["p50"], intake["p99"],
                 f"{created} × 201, {intake['requests'] - created} other; database: {after[0] - before[0]} cases, "
                 f"{after[1] - before[1]} events; CPU service {cores['service']:.2f}, PostgreSQL {cores['postgres']:.2f} cores",
                 f"{rate / baseline['tps']:.0%} of tps", ">= 1,000/s", load]]
        table(rows)
        for error in intake["errors"]:
            print("  non-201:", error)

        # Constant offered rates: /health/live first (the driver's and the server's floor), then cases.
        driver = RawHTTP(service.port)
        rows = [["call (constant offered rate, latency from the scheduled send)", "offered", "achieved", "p50 ms",
                 "p99 ms", "max ms", "failed"]]

        for index, rate in enumerate(args.rates):
            count = rate * args.latency_seconds
            health_run = driver.run(
                [f"GET /health/live HTTP/1.1\r\nHost: 127.0.0.1:{service.port}\r\n\r\n".encode()] * count, rate)
            requests = []
            for i in range(count):
                body = json.dumps({
                    "kind": "complaint", "channel": "web-form", "category": "false-green-claim", "regionCode": "330100",
                    "countyCode": "330106", "complainantName": "王小明", "complainantPhone": f"138{index:02d}{i:06d}",
                    "facts": f"购买的保温板标称三星级绿色建材，实际无认证标识（定速 {index}-{i}）", "demands": "退货退款",
                    "amountInDispute": 86000, "purchasedOn": "2023-09-01", "respondentName": "西湖建材城某店"},
                    ensure_ascii=False).encode()
                requests.append((f"POST /cases HTTP/1.1\r\nHost: 127.0.0.1:{service.port}\r\n"
                                 f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n\r\n").encode() + body)
            submitted = driver.run(requests, rate)
            rows.append(latency_row(f"GET /health/live (baseline; load {loadavg()})", health_run, 200, rate))
            rows.append(latency_row(f"POST /cases (load {loadavg()})", submitted, 201, rate))
        print()
        table(rows)
    finally:
        service.stop()

    # The deadline check over many open cases: seeded straight into the table (as if received over months), 1 %
    # past their deadline, 2 % due within the reminder window, the rest later. The service runs its check at start;
    # its log line says how long the check took. Baseline, same run: the same two statements as plain SQL (mark the
    # breaches, mark the reminders) in one transaction, rolled back, without the events.
    total = args.open_cases
    today = "(now() AT TIME ZONE 'Asia/Shanghai')::date"
    psql("DELETE FROM complaints.case_history; DELETE FROM complaints.case_attachment; DELETE FROM complaints.case_breach; "
         "DELETE FROM complaints.complaint_case")
    started = time.monotonic()
    psql(f"""INSERT INTO complaints.complaint_case (id, case_number, secret_hash, kind, channel, category, status,
        region_code, handling_division, consumer_ref, name_masked, phone_masked, contact_encrypted, respondent_name,
        respondent_known, respondent_key, certificate_known, claim_known, facts, facts_hash, received_on, received_at,
        due_deadline, due_on, updated_at)
      SELECT gen_random_uuid(), 'BM' || lpad(n::text, 12, '0'), md5(n::text), 'complaint', 'web-form', 'false-green-claim',
        'received', '330100', '330106', md5('c' || n), '王*', '139****0000', 'x', '某店', false, 'name:某店', false, false,
        '事实', md5(n::text), {today} - 3, now(), 'acceptance',
        CASE WHEN n % 100 = 0 THEN {today} - 1 - (n % 5) WHEN n % 100 IN (1, 2) THEN {today} ELSE {today} + 30 + n % 200 END,
        now()
      FROM generate_series(1, {total}) AS n""")
    psql("ANALYZE complaints.complaint_case")
    seeded = time.monotonic() - started
    due = int(psql(f"SELECT count(*) FROM complaints.complaint_case WHERE due_on < {today} AND breached_at IS NULL"))
    remind = int(psql(f"SELECT count(*) FROM complaints.complaint_case WHERE due_on = {today}"))
    sql_started = time.monotonic()
    psql(f"BEGIN; UPDATE complaints.complaint_case SET breached_at = now() WHERE due_on < {today} AND breached_at IS NULL; "
         f"UPDATE complaints.complaint_case SET reminded_at = now() WHERE due_on >= {today} AND due_on <= {today} + 4 "
         "AND breached_at IS NULL AND reminded_at IS NULL; ROLLBACK")
    sql_seconds = time.monotonic() - sql_started
    load = loadavg()
    service = Service("complaints", "complaints", GBM_LOG_LEVEL="info")
    try:
        line = None
        deadline = time.monotonic() + 600
        while line is None and time.monotonic() < deadline:
            with open(service.log.name) as f:
                line = next((l for l in f if "complaint deadline check" in l and "complaints.breached=" in l
                             and not re.search(r"complaints\.breached=0\b", l)), None)
            time.sleep(0.2)
        if line is None:
            raise SystemExit(f"no deadline check with breaches in {service.log.name} within 10 minutes")
        metadata = dict(re.findall(r"([\w.]+)=(\S+)", line))
        breached_now = int(psql("SELECT count(*) FROM complaints.complaint_case WHERE breached_at IS NOT NULL"))
        events = int(psql("SELECT (SELECT count(*) FROM complaints.outbox WHERE ce_type LIKE '%deadline-breached%') + "
                          "(SELECT count(*) FROM complaints.outbox_published WHERE ce_type LIKE '%deadline-breached%')"))
        rows = [["deadline check", "open cases", "breached", "reminded", "seconds", "vs baseline", "target", "load"],
                ["baseline: the two UPDATEs as plain SQL (psql, rolled back, no events)", f"{total:,}", due, "",
                 f"{sql_seconds:.2f}", "100%", "", load],
                ["complaints' check at start (passes of 1,000 breaches, each with its events)", f"{total:,}",
                 metadata.get("complaints.breached"), metadata.get("complaints.reminded"),
                 f"{int(metadata.get('duration_ms', '0')) / 1000:.2f}",
                 f"{int(metadata.get('duration_ms', '0')) / 1000 / sql_seconds:.1f}×", "< 2 s", load]]
        print()
        table(rows)
        print(f"seeded {total:,} open cases in {seeded:.1f} s; due before today {due}, due today {remind}; after the check "
              f"{breached_now} breached, {events} deadline-breached events written")
    finally:
        service.stop()


EVENTS_TOOL = os.path.join(REPO, "deploy", "local", "reporting_events.py")
SSE_TOOL = os.path.join(REPO, "deploy", "local", "sse_subscribers.py")


def events_tool(*args, timeout=3600):
    """Runs deploy/local/reporting_events.py with the project venv's Python (confluent-kafka); returns its JSON line."""
    out = subprocess.run([os.environ.get("GBM_PYTHON", "python3"), EVENTS_TOOL, *map(str, args)], capture_output=True,
                         text=True, timeout=timeout)
    if out.returncode != 0:
        raise SystemExit(f"reporting_events.py {' '.join(map(str, args))}: exit {out.returncode}\n{out.stderr[-2000:]}"
                         f"\n{out.stdout[-500:]}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def reporting_pgbench(events, batch, facts_per_event):
    """PostgreSQL alone doing what the consumer does for `events` events, one client, `batch` events a transaction, on
    copies of reporting's tables (LIKE … INCLUDING ALL: same columns, keys and indexes): one inbox INSERT of the batch
    (ON CONFLICT DO NOTHING RETURNING), then per event the facts INSERT (unnest of `facts_per_event` rows) and the feed
    entry (the counter UPDATE and the INSERT in one statement), COMMIT. Each statement is its own round trip, as the
    service's are; pgbench's prepared statements."""
    pgbench = os.path.join(os.path.dirname(PSQL), "pgbench")
    psql("DROP SCHEMA IF EXISTS bench_reporting CASCADE; CREATE SCHEMA bench_reporting; "
         "CREATE TABLE bench_reporting.inbox (LIKE reporting.inbox INCLUDING ALL); "
         "CREATE TABLE bench_reporting.fact (LIKE reporting.fact INCLUDING ALL); "
         "CREATE TABLE bench_reporting.feed_counter (LIKE reporting.feed_counter INCLUDING ALL); "
         "CREATE TABLE bench_reporting.feed_entry (LIKE reporting.feed_entry INCLUDING ALL); "
         "INSERT INTO bench_reporting.feed_counter VALUES (1, 0)")
    seqs = ",".join(str(i) for i in range(facts_per_event))
    metrics = ",".join(["claims", "subsidy.purchases", "subsidy.requested", "activities.attendance",
                        "activities.sales"][:facts_per_event])
    rows = ",".join(["330100"] * facts_per_event)
    days = ",".join(["2023-07-09"] * facts_per_event)
    dims = ",".join(['""'] * facts_per_event)
    values = ",".join(["1", "1286000", "192900", "1250", "386540000"][:facts_per_event])
    facts_json = json.dumps([{"metric": m, "dimension": "", "regionCode": "330100", "value": int(v)}
                             for m, v in zip(metrics.split(","), values.split(","))])
    lines = ["BEGIN;",
             "INSERT INTO bench_reporting.inbox (ce_source, ce_id, ce_type, topic, kafka_partition, kafka_offset) "
             "SELECT '/gbm/subsidy', gen_random_uuid()::text, 'gbm.subsidy.claim.submitted.v1', 'gbm.subsidy.claims.v1', "
             f"g % 6, g FROM generate_series(1, {batch}) g ON CONFLICT DO NOTHING RETURNING topic, kafka_partition, "
             "kafka_offset;"]
    for _ in range(batch):
        lines.append(
            "INSERT INTO bench_reporting.fact (ce_source, ce_id, seq, metric, dimension, region_code, day, value) "
            "SELECT '/gbm/subsidy', e.u, f.seq, f.metric, f.dimension, f.region_code, f.day::date, f.value "
            f"FROM (SELECT gen_random_uuid()::text AS u) e, unnest('{{{seqs}}}'::int4[], '{{{metrics}}}'::text[], "
            f"'{{{dims}}}'::text[], '{{{rows}}}'::text[], '{{{days}}}'::text[], '{{{values}}}'::int8[]) "
            "AS f(seq, metric, dimension, region_code, day, value) ON CONFLICT DO NOTHING;")
        lines.append(
            "WITH next AS (UPDATE bench_reporting.feed_counter SET last = last + 1 RETURNING last) "
            "INSERT INTO bench_reporting.feed_entry (id, ce_source, ce_id, ce_type, topic, region_code, day, facts) "
            "SELECT next.last, '/gbm/subsidy', gen_random_uuid()::text, 'gbm.subsidy.claim.submitted.v1', "
            f"'gbm.subsidy.claims.v1', '330100', '2023-07-09'::date, '{facts_json}'::jsonb FROM next "
            "ON CONFLICT (ce_source, ce_id) DO NOTHING;")
    lines.append("END;")
    with tempfile.NamedTemporaryFile("w", suffix=".sql", delete=False) as f:
        f.write("\n".join(lines) + "\n")
        script = f.name
    env = dict(os.environ, PGPASSWORD=os.environ.get("GBM_PG_ADMIN_PASSWORD", ""))
    transactions = max(1, events // batch)
    started = time.monotonic()
    out = subprocess.run(
        [pgbench, "-h", os.environ.get("GBM_PG_HOST", "127.0.0.1"), "-p", os.environ["GBM_PG_PORT"],
         "-U", os.environ.get("GBM_PG_ADMIN_USER", "postgres"), "-n", "-M", "prepared", "-c", "1", "-t",
         str(transactions), "-f", script, os.environ.get("GBM_PG_DATABASE", "gbm")],
        env=env, check=True, capture_output=True, text=True).stdout
    seconds = time.monotonic() - started
    os.unlink(script)
    counts = psql("SELECT (SELECT count(*) FROM bench_reporting.inbox), (SELECT count(*) FROM bench_reporting.feed_entry)")
    psql("DROP SCHEMA bench_reporting CASCADE")
    tps = float(re.search(r"tps = ([\d.]+) \(without initial", out).group(1))
    return {"tps": tps, "events_per_s": tps * batch, "seconds": seconds, "transactions": transactions,
            "counts": counts}


def timed_requests(requests, concurrency):
    """Sends (method, url, body, token) requests with `concurrency` threads; returns (seconds, latencies in ms, statuses)."""
    from concurrent.futures import ThreadPoolExecutor

    def one(request):
        method, url, body, tok = request
        started = time.monotonic()
        status, _ = http(method, url, body, token=tok, timeout=120)
        return (time.monotonic() - started) * 1000, status

    started = time.monotonic()
    with ThreadPoolExecutor(max_workers=concurrency) as pool:
        results = list(pool.map(one, requests))
    seconds = time.monotonic() - started
    statuses = {}
    for _, status in results:
        statuses[status] = statuses.get(status, 0) + 1
    return seconds, [r[0] for r in results], statuses


def reporting(args):
    n = args.events
    regions_count = args.pilot_regions
    print(f"\n## reporting: projection throughput over {n:,} events ({regions_count} pilot regions), report generation "
          f"for every region, SSE fan-out to {args.sse_subscribers} subscribers at "
          f"{' and '.join(f'{r}/s' for r in args.sse_rates)}, replay of {args.replay_events:,} events")
    batch = 200  # EventConsumer.Configuration.batchSize: events applied per transaction when the consumer is behind

    # 1. The events, on the topics before the service starts: the approvals first, then the mix (reporting_events.py).
    load = loadavg()
    produced = events_tool("produce", "--count", n, "--regions", regions_count, "--approvals")
    regions = produced["regions"]
    on_topics = produced["produced"]
    print(f"produced {on_topics:,} events in {produced['seconds']:.1f} s ({produced['rate']:,.0f}/s; load {load}): "
          + ", ".join(f"{t.split('.', 1)[1]} {c:,}" for t, c in sorted(produced["types"].items())))
    # Baseline: a plain consumer group member reading the same records from the earliest offset, no processing.
    raw_load = loadavg()
    raw = events_tool("read", "--expect", on_topics)

    # The service, release build, on an empty schema: from its start until its inbox holds every event.
    load = loadavg()
    started = time.monotonic()
    service = Service("reporting", "reporting", wait=False)
    meter = CpuMeter(service.process.pid)
    meter.start()
    first_applied = None
    progress = []
    backend_states = {}
    try:
        deadline = started + max(600, n / 200)
        count = 0
        while count < on_topics:
            if time.monotonic() > deadline:
                raise SystemExit(f"reporting applied {count:,} of {on_topics:,} events in {deadline - started:.0f} s; "
                                 f"see {service.log.name}")
            if service.process.poll() is not None:
                raise SystemExit(f"reporting exited; see {service.log.name}")
            try:
                count = int(psql("SELECT count(*) FROM reporting.inbox"))
            except subprocess.CalledProcessError:
                count = 0  # the migrations have not run yet
            now = time.monotonic()
            if count and first_applied is None:
                first_applied = now
            progress.append((now, count))
            if count:
                # What the service's busy connections are doing: "idle in transaction/Client:ClientRead" waits for
                # the service, "active/on CPU" is PostgreSQL working, IO/LWLock waits are the WAL and buffers.
                for state in psql("SELECT state || '/' || coalesce(wait_event_type || ':' || wait_event, 'on CPU') "
                                  "FROM pg_stat_activity WHERE usename = 'gbm_reporting' AND state <> 'idle' "
                                  "AND backend_type = 'client backend'").splitlines():
                    backend_states[state] = backend_states.get(state, 0) + 1
            time.sleep(0.25)
        applied_seconds = time.monotonic() - started
        cores = meter.stop()
        span = float(psql("SELECT extract(epoch FROM max(processed_at) - min(processed_at)) FROM reporting.inbox"))
        checks = psql("SELECT (SELECT count(*) FROM reporting.fact), (SELECT count(*) FROM reporting.feed_entry), "
                      "(SELECT count(*) FROM reporting.pilot_region)").split("|")
        with open(service.log.name) as f:
            dead = sum(1 for line in f if "dead-lettering" in line)
        service.wait_ready()
        pg_load = loadavg()
        facts_per_event = max(1, round(int(checks[0]) / on_topics))
        pg = reporting_pgbench(on_topics, batch, facts_per_event)
        rows = [["projection throughput", "events", "seconds", "events/s", "vs baseline", "CPU (cores of 2)", "target",
                 "load (1/5/15 min)"],
                ["baseline: raw read, a consumer group member (librdkafka via confluent-kafka), earliest → end: "
                 "from its start (group join included)", f"{raw['records']:,}", f"{raw['seconds']:.1f}",
                 f"{raw['rate']:,.0f}", "100%", "", "", raw_load],
                ["baseline: the same raw read, first → last record", f"{raw['records']:,}",
                 f"{raw['after_first_seconds']:.1f}", f"{raw['rate_after_first']:,.0f}", "100%", "", "", raw_load],
                [f"baseline: pgbench, 1 client, the consumer's statements ({batch} events a transaction, "
                 f"{facts_per_event} facts an event)", f"{pg['transactions'] * batch:,}", f"{pg['seconds']:.1f}",
                 f"{pg['events_per_s']:,.0f}", "", "", "", pg_load],
                ["reporting (release): process start → inbox holds every event", f"{on_topics:,}",
                 f"{applied_seconds:.1f}", f"{on_topics / applied_seconds:,.0f}",
                 f"{on_topics / applied_seconds / raw['rate']:.1%} of raw read; "
                 f"{on_topics / applied_seconds / pg['events_per_s']:.0%} of pgbench",
                 f"service {cores['service']:.2f}, PostgreSQL {cores['postgres']:.2f}, Tansu {cores['tansu']:.2f}, "
                 f"rest {cores['rest']:.2f}", ">= 20,000/s", load],
                ["reporting: first → last event applied (inbox processed_at)", f"{on_topics:,}", f"{span:.1f}",
                 f"{on_topics / span:,.0f}", f"{on_topics / span / raw['rate_after_first']:.1%} of raw read (first → last)",
                 "", ">= 20,000/s",
                 loadavg()]]
        table(rows)
        per_event = {g: cores[g] * applied_seconds / on_topics * 1e6 for g in ("service", "postgres")}
        print(f"start → first event applied {first_applied - started:.1f} s (migrations, consumer group join); "
              f"CPU per event: service {per_event['service']:.0f} µs, PostgreSQL {per_event['postgres']:.0f} µs; "
              f"database: {checks[0]} facts, {checks[1]} feed entries, {checks[2]} pilot regions; {dead} dead letters; "
              f"pgbench wrote {pg['counts'].replace('|', ' inbox rows, ')} feed entries")
        samples = sum(backend_states.values())
        print("the service's busy PostgreSQL connections, sampled every 0.25 s while it applied: "
              + ", ".join(f"{state} {n / max(1, samples):.0%}" for state, n in
                          sorted(backend_states.items(), key=lambda item: -item[1])[:6]) + f" ({samples} samples)")

        # 4. A summary report for every pilot region, as each region's official (the projections hold the events
        # above), sequentially and concurrently; the same service's /overview for every region and /health/live as
        # baselines. Generating again needs the earlier drafts gone: they are deleted (as the admin) between runs.
        officials = {code: token("region-official", f"official-{code}", region=code) for code in regions}
        ministry = token("ministry", "bench-ministry", department="MIIT")
        body = json.dumps({"campaignYear": 2023})
        generate = [("POST", f"{service.url}/regions/{code}/summary-reports", body, officials[code]) for code in regions]
        overview = [("GET", f"{service.url}/overview?regionCode={code}", None, ministry) for code in regions]
        health = [("GET", f"{service.url}/health/live", None, None) for _ in regions]
        rows = [["call, once per pilot region", "regions", "concurrency", "total s", "p50 ms", "p99 ms", "max ms",
                 "statuses", "target", "load"]]
        for concurrency in args.report_concurrency:
            for name, requests, ok, target in [("baseline: GET /health/live", health, 200, ""),
                                               ("baseline: GET /overview?regionCode=", overview, 200, ""),
                                               ("POST /regions/{code}/summary-reports {campaignYear: 2023}", generate,
                                                201, "< 5 s in total")]:
                if requests is generate:
                    psql("DELETE FROM reporting.summary_report")
                seconds, latencies, statuses = timed_requests(requests, concurrency)
                rows.append([name, len(requests), concurrency, f"{seconds:.2f}", f"{percentile(latencies, 50):.1f}",
                             f"{percentile(latencies, 99):.1f}", f"{max(latencies):.1f}",
                             ", ".join(f"{c}×{s}" for s, c in sorted(statuses.items())), target, loadavg()])
        print()
        table(rows)
        sample = json.loads(http("GET", f"{service.url}/summary-reports/"
                                 + psql("SELECT report_id FROM reporting.summary_report ORDER BY region_code LIMIT 1"),
                                 token=ministry)[1])
        figures = sample.get("document", {}).get("figures", {})
        print(f"a report's figures ({sample.get('regionCode')}): "
              + ", ".join(f"{k} {v}" for k, v in list(figures.items())[:8]))

        # 3. SSE fan-out: subscribers of GET /feed (from the feed's current end, Last-Event-ID), then ActivityHeld
        # events produced at a constant rate; each entry's arrival at each subscriber against the moment its event
        # was produced and the moment the consumer inserted it into the inbox (in the applying transaction, before
        # its commit). Baseline: kcat reading the same topic from its end (the broker's produce → consume).
        runs = [(args.sse_subscribers, rate) for rate in args.sse_rates] + [(1, max(args.sse_rates))]
        rows = [["SSE (GET /feed)", "subscribers", "offered", "entries × subscribers", "complete, in order",
                 "p50 ms", "p99 ms", "max ms", "CPU service / PostgreSQL", "load"]]
        notes = []
        for subscribers, rate in runs:
            last = int(psql("SELECT coalesce(max(id), 0) FROM reporting.feed_entry"))
            applied_before = int(psql("SELECT count(*) FROM reporting.inbox"))
            out_dir = tempfile.mkdtemp(prefix="bench-sse-")
            helper = subprocess.Popen(
                ["python3", SSE_TOOL, "--port", str(service.port), "--token", ministry, "--count", str(subscribers),
                 "--last-event-id", str(last), "--out", out_dir],
                stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
            ready = helper.stdout.readline().split()
            if ready[:1] != ["ready"] or int(ready[1]) != subscribers:
                notes.append(f"{subscribers} subscribers at {rate}/s: only {ready} connected")
            watch = TopicWatch("gbm.pilot.activities.v1")
            time.sleep(3)  # kcat is assigned its partitions and reads from their end; the streams are idle
            idle = CpuMeter(service.process.pid)
            idle.start()
            time.sleep(5)
            idle_cores = idle.stop()
            meter = CpuMeter(service.process.pid)
            meter.start()
            stamps = os.path.join(out_dir, "produced.txt")
            paced = events_tool("paced", "--rate", rate, "--seconds", args.sse_seconds, "--out", stamps,
                                "--seed", 100 + rate + subscribers)
            on_topics += paced["produced"]
            paced_end = time.monotonic()
            deadline = time.monotonic() + 120
            while int(psql("SELECT count(*) FROM reporting.inbox")) < applied_before + paced["produced"]:
                if time.monotonic() > deadline:
                    break
                time.sleep(0.2)
            # Every subscriber gets the last entry (or three minutes pass) before the helper stops.
            newest = int(psql("SELECT coalesce(max(id), 0) FROM reporting.feed_entry"))
            helper.stdin.write(f"until {newest}\n")
            helper.stdin.flush()
            summary = json.loads(helper.stdout.readline())
            drained = time.monotonic() - paced_end
            run_cores = meter.stop()
            helper.stdin.close()
            helper.wait(timeout=60)
            watch.stop()
            produced_at = {}
            key_time = {}
            with open(stamps) as f:
                for line in f:
                    event_id, key, at = line.split()
                    produced_at[event_id] = float(at)
                    key_time[key] = float(at)
            entries = []
            for line in psql("SELECT f.id, f.ce_id, extract(epoch FROM i.processed_at) FROM reporting.feed_entry f "
                             "JOIN reporting.inbox i USING (ce_source, ce_id) "
                             f"WHERE f.id > {last} ORDER BY f.id").splitlines():
                entry, event_id, inboxed = line.split("|")
                entries.append((int(entry), produced_at.get(event_id), float(inboxed)))
            expected = [e[0] for e in entries]
            reference = {e[0]: (e[1], e[2]) for e in entries}
            e2e, feed_part, consumer_part = [], [], []
            complete = 0
            missing = 0
            for index in range(subscribers):
                ids, times = array.array("q"), array.array("d")
                with open(os.path.join(out_dir, f"{index}.ids"), "rb") as f:
                    ids.frombytes(f.read())
                with open(os.path.join(out_dir, f"{index}.times"), "rb") as f:
                    times.frombytes(f.read())
                if list(ids) == expected:
                    complete += 1
                else:
                    missing += len(set(expected) - set(ids))
                for entry, arrived in zip(ids, times):
                    produced_time, inboxed = reference.get(entry, (None, None))
                    if produced_time is None:
                        continue
                    e2e.append((arrived - produced_time) * 1000)
                    feed_part.append((arrived - inboxed) * 1000)
            for entry, produced_time, inboxed in entries:
                if produced_time is not None:
                    consumer_part.append((inboxed - produced_time) * 1000)
            kcat = [(arrived - key_time[key]) * 1000 for key, _, arrived, _ in watch.records if key in key_time]
            for path in os.listdir(out_dir):
                os.unlink(os.path.join(out_dir, path))
            os.rmdir(out_dir)

            def stat(values):
                return [f"{percentile(values, 50):.1f}", f"{percentile(values, 99):.1f}",
                        f"{max(values, default=float('nan')):.1f}"]
            cpu = f"{run_cores['service']:.2f} / {run_cores['postgres']:.2f}"
            rows.append([f"produced → arrives at the subscriber", subscribers, f"{rate}/s",
                         f"{len(e2e):,} ({len(expected):,} entries)",
                         f"{complete}/{subscribers} (missing {missing}, out of order {summary['out_of_order']})",
                         *stat(e2e), cpu, loadavg()])
            rows.append([f"  part: produced → inbox INSERT (Kafka, consumer; before the commit)", subscribers,
                         f"{rate}/s", f"{len(consumer_part):,}", "", *stat(consumer_part), "", ""])
            rows.append([f"  part: inbox INSERT → arrives (commit, the stream's 200 ms poll, write)", subscribers,
                         f"{rate}/s", f"{len(feed_part):,}", "", *stat(feed_part), "", ""])
            rows.append([f"baseline: produced → arrives at kcat (same events, same topic)", 1, f"{rate}/s",
                         f"{len(kcat):,}", f"{len(kcat)}/{paced['produced']}", *stat(kcat), "", ""])
            notes.append(f"{subscribers} subscribers at {rate}/s: {paced['produced']} events produced in "
                         f"{paced['seconds']:.1f} s, every subscriber had the last entry {drained:.1f} s after the last was produced; idle streams (before the events) used service "
                         f"{idle_cores['service']:.2f} and PostgreSQL {idle_cores['postgres']:.2f} cores; helper: "
                         f"{summary}")
        print()
        table(rows)
        for note in notes:
            print(note)
    finally:
        service.stop()

    # 2. Replay: `reporting rebuild` (empties the projections and the inbox, replays every consumed topic from its
    # first offset) over --replay-events records; baseline: the raw read of the same topics in the same run.
    if args.replay_events == 0:
        return
    extra = args.replay_events - on_topics
    if extra > 0:
        more = events_tool("produce", "--count", extra, "--regions", regions_count, "--seed", 3)
        on_topics += more["produced"]
        print(f"\nproduced {more['produced']:,} more events ({more['rate']:,.0f}/s): {on_topics:,} on the topics")
    raw_load = loadavg()
    raw = events_tool("read", "--expect", on_topics)
    load = loadavg()
    log_path = os.path.join(STATE, "logs", "bench-reporting-rebuild.log")
    with open(log_path, "w") as log:
        started = time.monotonic()
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        process = subprocess.Popen([os.path.join(BIN, "reporting"), "rebuild"],
                                   env=Service.environment("reporting", free_port()), stdout=subprocess.PIPE, stderr=log,
                                   text=True)
        meter = CpuMeter(process.pid)
        meter.start()
        output, _ = process.communicate(timeout=7200)
        seconds = time.monotonic() - started
        cores = meter.stop()
        # The rebuild has exited by now, so its CPU comes from its rusage (the only child that ended meanwhile).
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cores["service"] = (after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime) / seconds
    if process.returncode != 0:
        raise SystemExit(f"reporting rebuild: exit {process.returncode}; see {log_path}")
    replayed = int(re.search(r"rebuilt from (\d+) record", output).group(1))
    inbox = int(psql("SELECT count(*) FROM reporting.inbox"))
    rows = [["replay", "records", "seconds", "records/s", "vs baseline", "CPU (cores of 2)", "load"],
            ["baseline: raw read of the same topics (consumer group member, earliest → end, group join included)",
             f"{raw['records']:,}", f"{raw['seconds']:.1f}", f"{raw['rate']:,.0f}", "100%", "", raw_load],
            ["baseline: the same raw read, first → last record", f"{raw['records']:,}",
             f"{raw['after_first_seconds']:.1f}", f"{raw['rate_after_first']:,.0f}", "", "", raw_load],
            ["reporting rebuild (release): empty, replay every consumed topic, apply through the inbox",
             f"{replayed:,}", f"{seconds:.1f}", f"{replayed / seconds:,.0f}", f"{replayed / seconds / raw['rate']:.1%}",
             f"rebuild {cores['service']:.2f}, PostgreSQL {cores['postgres']:.2f}, Tansu {cores['tansu']:.2f}", load]]
    print()
    table(rows)
    print(f"{on_topics:,} events on the topics; the rebuild replayed {replayed:,} and the inbox holds {inbox:,}")
    print(output.strip())


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--only", default="catalogue,pilot,subsidy,complaints,reporting,observability",
                        help="comma-separated: catalogue, search, pilot, subsidy, complaints, reporting, observability")
    parser.add_argument("--observability-rounds", type=int, default=4,
                        help="observability: runs per mode (tracing off and on alternate)")
    parser.add_argument("--open-cases", type=int, default=1_000_000, help="complaints: open cases for the deadline check")
    parser.add_argument("--rows", type=int, default=100_000, help="certificates to import")
    parser.add_argument("--search-enterprises", type=int, default=2000, help="search: enterprises holding the certificates")
    parser.add_argument("--search-queries", type=int, default=5000, help="search: distinct queries in the mix")
    parser.add_argument("--search-rates", type=lambda text: [int(r) for r in text.split(",")], default=[250, 500, 1000],
                        help="search: offered requests per second of the constant-rate runs (comma-separated)")
    parser.add_argument("--search-fragment-rate", type=int, default=50,
                        help="search: offered requests per second of each fragment length's run")
    parser.add_argument("--seconds", type=int, default=10, help="seconds per wrk run")
    parser.add_argument("--connections", type=int, default=16, help="subsidy: wrk connections and pgbench clients")
    parser.add_argument("--rates", type=lambda text: [int(r) for r in text.split(",")], default=[500, 50],
                        help="subsidy: offered claims per second of the constant-rate runs (comma-separated)")
    parser.add_argument("--latency-seconds", type=int, default=20, help="subsidy: length of the constant-rate runs")
    parser.add_argument("--events", type=int, default=200_000,
                        help="reporting: events on the topics before the service starts (projection throughput)")
    parser.add_argument("--pilot-regions", type=int, default=124, help="reporting: pilot regions approved first")
    parser.add_argument("--replay-events", type=int, default=1_000_000,
                        help="reporting: records on the topics for `reporting rebuild` (more are produced if needed; 0: no replay)")
    parser.add_argument("--sse-subscribers", type=int, default=500, help="reporting: concurrent GET /feed streams")
    parser.add_argument("--sse-rates", type=lambda text: [int(r) for r in text.split(",")], default=[50, 200],
                        help="reporting: events per second produced while the streams are open (comma-separated)")
    parser.add_argument("--sse-seconds", type=int, default=20, help="reporting: length of each SSE run")
    parser.add_argument("--report-concurrency", type=lambda text: [int(c) for c in text.split(",")], default=[1, 8],
                        help="reporting: concurrent report generations (comma-separated runs)")
    args = parser.parse_args()
    print(f"# service benchmarks  {time.strftime('%Y-%m-%d %H:%M:%S')}  {os.cpu_count()} cores")
    parts = args.only.split(",")
    if "catalogue" in parts:
        catalogue(args)
    if "search" in parts:
        search(args)
    if "pilot" in parts:
        pilot(args)
    if "subsidy" in parts:
        subsidy(args)
    if "complaints" in parts:
        complaints(args)
    if "reporting" in parts:
        reporting(args)
    if "observability" in parts:
        observability(args)


if __name__ == "__main__":
    sys.exit(main())
