#!/usr/bin/env python3
"""Drives a campaign through the five services' public HTTP APIs only, so that the dashboard comes alive.

    demo.py --state-dir .local/dev [--pace 1.5] [--sample] [--summary-out summary.json]

It reads each service's port from <state-dir>/<service>.port and the simulated clock (if any) from
<state-dir>/clock.env, mints the tokens it needs with the built gbm-token (development secret), and prints every
step: who does what, and the answer.

Full run: a second-batch region applies and the six departments review it (MIIT last: it may concur only after
MOHURD and SAMR), the launch meeting, activities (one held with its outcome, one cancelled), an enterprise and its
certified products registered, enrolments, a purchase and a loan-interest programme (drafted, approved by another
official, opened), claims — approved, rejected (unknown certificate, duplicate invoice), held by the fraud rules
(a bank account shared by three buyers, an amount above the review threshold, then reviewed) — a certificate
revoked that holds the approved claims still unpaid, a payment batch paid, a loan interest subsidy, complaint
channels, complaints received before the National Day holiday whose deadlines run across it (one accepted and
mediated, one left until its acceptance deadline passes on the simulated clock), a report of a violation, and the
region's summary report, submitted. At the end: a summary (decisions, ledger totals, complaint states, the report's
figures), printed and written as JSON (--summary-out).

--sample: a short subset for a fresh system (up.sh runs it on a state directory's first start): in Zhejiang, one
purchase and one loan-interest programme, participants, activities, a few claims and complaints.

Only the standard library: it runs with any python3.
"""
import argparse
import datetime as dt
import json
import os
import random
import subprocess
import sys
import time
import urllib.error
import urllib.request

SERVICES = ["catalogue", "pilot-management", "subsidy", "complaints", "reporting"]
CREDIT_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
CREDIT_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]
ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
ID_CHECKS = "10X98765432"
SHANGHAI = dt.timezone(dt.timedelta(hours=8))
DEPARTMENTS = ["MIIT", "MOHURD", "MOA", "MOFCOM", "SAMR", "NRRA"]
# Second-batch candidates (not in the 2022 first batch): province, name, a city and one of its counties, a town.
SECOND_BATCH = [
    ("320000", "江苏省", "320100", "320115", "320115100"),
    ("340000", "安徽省", "340100", "340111", "340111001"),
    ("360000", "江西省", "360100", "360111", "360111001"),
    ("410000", "河南省", "410100", "410105", "410105001"),
    ("420000", "湖北省", "420100", "420106", "420106001"),
]


def credit_code(division, rng):
    """A unified social credit code (GB 32100-2015) registered in `division`, with its check character."""
    body = "91" + division + "".join(rng.choice(CREDIT_ALPHABET) for _ in range(9))
    total = sum(CREDIT_ALPHABET.index(c) * w for c, w in zip(body, CREDIT_WEIGHTS))
    return body + CREDIT_ALPHABET[(31 - total % 31) % 31]


def resident_id(prefix, born, seq):
    """A resident identity number (GB 11643) with its ISO 7064 MOD 11-2 check character."""
    body = prefix + born.strftime("%Y%m%d") + f"{seq % 1000:03d}"
    return body + ID_CHECKS[sum(int(c) * w for c, w in zip(body, ID_WEIGHTS)) % 11]


class Failure(Exception):
    pass


class Demo:
    def __init__(self, args):
        self.args = args
        self.state = args.state_dir
        self.ports = {}
        for service in SERVICES:
            with open(os.path.join(self.state, f"{service}.port")) as f:
                self.ports[service] = int(f.read().strip())
        self.clock = {}
        clock_file = os.path.join(self.state, "clock.env")
        if os.path.exists(clock_file):
            for line in open(clock_file):
                if "=" in line:
                    k, v = line.strip().split("=", 1)
                    self.clock[k] = v
        self.gbm_token = args.gbm_token or self.find_gbm_token()
        self.tokens = {}
        self.run = time.strftime("%m%d%H%M%S")
        self.rng = random.Random(args.seed if args.seed is not None else time.time_ns())
        self.summary = {"run": self.run, "mode": "sample" if args.sample else "full", "steps": 0}
        self.step_no = 0

    # --- plumbing -------------------------------------------------------------------------------------------
    @staticmethod
    def find_gbm_token():
        repo = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
        for candidate in (os.path.join(repo, ".build", "debug", "gbm-token"),
                          os.path.join(repo, ".build", "release", "gbm-token")):
            if os.access(candidate, os.X_OK):
                return candidate
        out = subprocess.run(["swift", "build", "--show-bin-path"], cwd=repo, capture_output=True, text=True)
        return os.path.join(out.stdout.strip(), "gbm-token")

    def token(self, role, subject, **scope):
        key = (role, subject, tuple(sorted(scope.items())))
        if key not in self.tokens:
            cmd = [self.gbm_token, "issue", "--role", role, "--subject", subject, "--ttl", "43200"]
            for k, v in scope.items():
                cmd += ["--" + k.replace("_", "-"), v]
            out = subprocess.run(cmd, capture_output=True, text=True)
            if out.returncode != 0:
                raise Failure(f"gbm-token {' '.join(cmd[1:])}: {out.stderr.strip()}")
            self.tokens[key] = out.stdout.strip()
        return self.tokens[key]

    def now(self):
        """The services' time: the simulated clock of clock.env, else the wall clock."""
        real = dt.datetime.now(dt.timezone.utc)
        if "GBM_CLOCK_START" in self.clock:
            start = dt.datetime.fromisoformat(self.clock["GBM_CLOCK_START"].replace("Z", "+00:00"))
            anchor = dt.datetime.fromisoformat(self.clock["GBM_CLOCK_ANCHOR"].replace("Z", "+00:00"))
            rate = float(self.clock.get("GBM_CLOCK_RATE", "1"))
            return (start + (real - anchor) * rate).astimezone(SHANGHAI)
        return real.astimezone(SHANGHAI)

    def today(self):
        return self.now().date()

    def say(self, who, what):
        self.step_no += 1
        print(f"\n[{self.step_no:02d} {self.now():%Y-%m-%d %H:%M}] {who}: {what}", flush=True)

    def pace(self):
        if self.args.pace > 0:
            time.sleep(self.args.pace)

    def call(self, method, service, path, body=None, token=None, expect=(200, 201), raw=None, headers=None,
             quiet=False):
        url = f"http://127.0.0.1:{self.ports[service]}{path}"
        data = None
        hdrs = dict(headers or {})
        if raw is not None:
            data = raw
            hdrs.setdefault("Content-Type", "application/octet-stream")
        elif body is not None:
            data = json.dumps(body, ensure_ascii=False).encode()
            hdrs["Content-Type"] = "application/json"
        if token:
            hdrs["Authorization"] = "Bearer " + token
        request = urllib.request.Request(url, data=data, method=method, headers=hdrs)
        try:
            with urllib.request.urlopen(request, timeout=60) as response:
                status, text = response.status, response.read().decode("utf-8", "replace")
        except urllib.error.HTTPError as error:
            status, text = error.code, error.read().decode("utf-8", "replace")
        try:
            parsed = json.loads(text) if text else None
        except ValueError:
            parsed = text
        if not quiet:
            print(f"    {method} {service}{path} -> {status} {self.brief(parsed)}", flush=True)
        if expect and status not in expect:
            raise Failure(f"{method} {service}{path}: {status} {text[:800]}")
        return status, parsed

    @staticmethod
    def brief(parsed):
        if isinstance(parsed, dict):
            if "type" in parsed and "title" in parsed and "status" in parsed:
                return f"{parsed.get('title')}: {str(parsed.get('detail', ''))[:200]}"
            keys = ("status", "id", "caseNumber", "number", "certificateNumber", "creditCode", "decision")
            shown = {k: parsed[k] for k in keys if k in parsed and not isinstance(parsed[k], (dict, list))}
            for k in ("rejectionReasons", "holdRules", "readiness", "usage"):
                if parsed.get(k):
                    shown[k] = parsed[k]
            return json.dumps(shown, ensure_ascii=False)[:300]
        return str(parsed)[:200] if parsed is not None else ""

    def wait(self, what, check, timeout=None):
        """Polls check() until it returns something truthy; never asserts after a blind sleep."""
        timeout = timeout or self.args.timeout
        deadline = time.monotonic() + timeout
        delay = 0.2
        while True:
            result = check()
            if result:
                return result
            if time.monotonic() > deadline:
                raise Failure(f"waited {timeout} s for {what}")
            time.sleep(delay)
            delay = min(delay * 1.5, 2.0)

    def wait_until_day(self, day, what):
        """Waits for the simulated clock to reach `day` (only a simulated clock runs fast enough for this)."""
        if self.today() >= day:
            return True
        rate = float(self.clock.get("GBM_CLOCK_RATE", "1"))
        remaining = (dt.datetime.combine(day, dt.time(0, 5), SHANGHAI) - self.now()).total_seconds() / rate
        if remaining > self.args.max_clock_wait:
            print(f"    (not waiting {remaining:.0f} s for {day} ({what}): beyond --max-clock-wait)")
            return False
        print(f"    waiting {remaining:.0f} s for the clock to reach {day} ({what})", flush=True)
        self.wait(f"the day {day}", lambda: self.today() >= day, timeout=remaining + 30)
        return True

    # --- the campaign ---------------------------------------------------------------------------------------
    def setup_people(self, region):
        self.ministry = {d: self.token("ministry", f"demo-{d.lower()}", department=d) for d in DEPARTMENTS}
        self.official = self.token("region-official", f"demo-official-{region}", region=region)
        self.regulator = self.token("market-regulator", f"demo-amr-{region}", region=region)
        self.committee = self.token("certification-committee", "demo-committee")
        self.cb_code = "91110000710932400K"
        self.cb = self.token("certification-body", "demo-ctc", certification_body=self.cb_code)
        self.promotion = self.token("promotion-group", "demo-cbmf")


    # pilot-management ----------------------------------------------------------------------------------------
    def choose_region(self):
        """A second-batch province not yet approved (applies), else one a previous run had approved (reused)."""
        fallback = None
        for code, name, city, county, town in SECOND_BATCH:
            status, region = self.call("GET", "pilot-management", f"/regions/{code}", token=self.ministry["MIIT"],
                                       expect=None, quiet=True)
            approved = status == 200 and isinstance(region, dict) and region.get("status") == "approved"
            if approved:
                fallback = fallback or (code, name, city, county, town)
                continue
            _, apps = self.call("GET", "pilot-management", f"/applications?regionCode={code}",
                                token=self.ministry["MIIT"], expect=None, quiet=True)
            busy = [a for a in (apps or {}).get("applications", []) if a.get("status") not in ("rejected",)]
            if not busy:
                return (code, name, city, county, town), True
        if fallback:
            return fallback, False
        raise Failure("no second-batch candidate region is free or approved")

    def apply_and_approve(self, code, name):
        self.say(f"{name}'s regional official", "drafts the pilot application (work plan and safety plan)")
        _, app = self.call("POST", "pilot-management", "/applications", token=self.official, body={
            "regionCode": code, "regionName": name,
            "workPlan": {"title": f"{name}绿色建材下乡活动工作方案", "summary": "在全省县乡开展绿色建材下乡专场活动，推动绿色建材进农村。",
                         "plannedActivities": 12, "targetedSales": 50_000_000_000, "subsidyFunds": 2_000_000_000},
            "safetyPlan": {"measures": "活动现场设安全员，人流管控，消防通道畅通。",
                           "responsiblePersons": [{"role": "总负责人", "name": "张建国", "phone": "13900001111"}]}})
        app_id = app["id"]
        self.say(f"{name}'s regional official", "uploads the work plan document and submits")
        self.call("PUT", "pilot-management", f"/applications/{app_id}/document", token=self.official,
                  raw=("%PDF-1.4\n% " + name + " work plan\n").encode(), headers={"Content-Type": "application/pdf"})
        self.call("POST", "pilot-management", f"/applications/{app_id}/submission", token=self.official)
        self.pace()
        for department in ["MOHURD", "SAMR", "MOA", "MOFCOM", "NRRA", "MIIT"]:
            self.say(f"ministry official ({department})", f"concurs with {name}'s application")
            _, result = self.call("POST", "pilot-management", f"/applications/{app_id}/reviews",
                                  token=self.ministry[department], body={"opinion": "concur", "comment": "同意。"})
            self.pace()
        if result.get("status") != "approved":
            raise Failure(f"the application is {result.get('status')} after six concurrences")
        self.summary["application"] = {"id": app_id, "status": result.get("status")}
        return app_id

    def launch_and_activities(self, code, name, city, county, town, year):
        today = self.today()
        held_on = min(today, dt.date(year, 12, 31))
        self.say(f"{name}'s regional official", "records the launch meeting")
        status, _ = self.call("POST", "pilot-management", f"/regions/{code}/launch-meeting", token=self.official,
                              body={"heldOn": held_on.isoformat(), "placeCode": city, "attendance": 320},
                              expect=(201, 200, 409))
        activities = []
        start = held_on
        plans = [("special-sales-session", "county", county, f"{name}绿色建材下乡专场促销", 0, 1),
                 ("public-lecture", "town", town, "绿色建材进乡镇公益讲座", 0, 0),
                 ("roadshow", "county", county, "绿色建材下乡巡展", 20, 22)]
        for kind, level, place, title, d0, d1 in plans:
            starts, ends = start + dt.timedelta(days=d0), start + dt.timedelta(days=d1)
            if ends.year != year:
                starts = ends = dt.date(year, 12, 31)
            self.say(f"{name}'s regional official", f"schedules a {kind} at {level} level ({place}) {starts}…{ends}")
            _, activity = self.call("POST", "pilot-management", f"/regions/{code}/activities", token=self.official,
                                    body={"type": kind, "level": level, "placeCode": place, "title": title,
                                          "startsOn": starts.isoformat(), "endsOn": ends.isoformat(),
                                          "safetyPlanReference": f"SP-{code}-{self.run}"})
            activities.append(activity)
        self.pace()
        first = activities[0]
        self.wait_until_day(dt.date.fromisoformat(first["startsOn"]), "the sales session's first day")
        self.say(f"{name}'s regional official", "records the sales session's outcome")
        self.call("POST", "pilot-management", f"/activities/{first['id']}/outcome", token=self.official,
                  body={"attendance": 450, "enterprisesPresent": 12, "productsShown": 160, "onlinePageViews": 0,
                        "sales": 86_000_000})
        self.say(f"{name}'s regional official", "cancels the roadshow (weather)")
        self.call("POST", "pilot-management", f"/activities/{activities[2]['id']}/cancellation", token=self.official,
                  body={"reason": "台风预警，活动取消"})
        self.summary["activities"] = {"scheduled": len(activities), "held": 1, "cancelled": 1}
        self.pace()

    # catalogue --------------------------------------------------------------------------------------------------
    def register_enterprise(self, division, name, kind="manufacturer"):
        code = credit_code(division, self.rng)
        token = self.token("enterprise", f"demo-{code}", enterprise=code)
        self.say(f"enterprise {name}", f"registers in the catalogue ({code})")
        self.call("POST", "catalogue", "/enterprises", token=token,
                  body={"creditCode": code, "name": name, "kind": kind, "regionCode": division,
                        "address": f"{name}厂区1号"})
        return code, token

    def issue_certificate(self, holder, product, category, sub, grade):
        # The run's time and a count: two random digits made the run's two certificates collide one run in a hundred.
        self.certificates_issued = getattr(self, "certificates_issued", 0) + 1
        number = f"CGBM-2023-DM-{self.run[-6:]}{self.certificates_issued:02d}"
        self.say("certification body (CTC)", f"issues {grade} certificate {number} for {product}")
        self.call("POST", "catalogue", "/certificates", token=self.cb, body={
            "certificateNumber": number, "holderCreditCode": holder, "certificationBody": "中国建材检验认证集团股份有限公司",
            "productName": product, "model": "DM-" + self.run[-4:], "category": category, "subCategory": sub,
            "starGrade": grade, "certificationBasis": "T/CECS 10025-2019", "issuedOn": "2023-03-01"})
        return number

    def enrol(self, region, code, discount=500):
        self.say(f"region {region}'s official", f"enrols {code} as a participant (waits for the catalogue's event)")

        def attempt():
            status, body = self.call("POST", "pilot-management", f"/regions/{region}/participants",
                                     token=self.token("region-official", f"demo-official-{region}", region=region),
                                     body={"creditCode": code, "salesZone": "县乡绿色建材专区",
                                           "pledgedDiscountBasisPoints": discount}, expect=None, quiet=True)
            if status in (200, 201, 409):
                print(f"    POST pilot-management/regions/{region}/participants -> {status} {self.brief(body)}")
                return body or True
            return None
        return self.wait(f"enrolling {code}", attempt)

    # subsidy ----------------------------------------------------------------------------------------------------
    def programme(self, region, kind, name, budget, year, official):
        # The campaign year's programme; on a clock past that year (the wall clock after the last campaign year in
        # seeds/campaign), it runs on to the end of today's year, so that purchases made today are inside it.
        ends = max(dt.date(year, 12, 31), dt.date(self.today().year, 12, 31))
        body = {"regionCode": region, "name": name, "kind": kind, "startsOn": f"{year}-01-01",
                "endsOn": ends.isoformat(), "budget": budget,
                "fundingShares": [{"level": "central", "basisPoints": 8000}, {"level": "provincial", "basisPoints": 2000}],
                "rounding": "half-up", "reviewThreshold": 100_000}
        if kind == "purchase":
            body["purchaseTerms"] = {
                "gradeRates": [{"starGrade": "three-star", "rateBasisPoints": 1500},
                               {"starGrade": "two-star", "rateBasisPoints": 1200},
                               {"starGrade": "one-star", "rateBasisPoints": 1000}],
                "eligibleCategories": ["enclosure-structures-and-concrete", "windows-curtain-walls-and-decoration",
                                       "waterproofing-sealing-and-coatings", "water-supply-drainage-and-treatment"],
                "capPerItem": 200_000, "householdCapCount": 10, "householdCapAmount": 1_000_000}
        else:
            body["loanTerms"] = {"subsidyRateBasisPoints": 150, "maxPrincipal": 30_000_000, "maxTermMonths": 36,
                                 "capPerLoan": 1_000_000}
        self.say(f"region {region}'s official", f"drafts the {kind} programme {name}")

        def draft():
            status, p = self.call("POST", "subsidy", "/programmes", token=official, body=body, expect=None)
            return p if status == 201 else None
        programme = self.wait("subsidy to know the approved region", draft)
        self.say("ministry official (MOFCOM)", "approves it (four eyes), the region opens it")
        self.call("POST", "subsidy", f"/programmes/{programme['id']}/approval", token=self.ministry["MOFCOM"])
        _, programme = self.call("POST", "subsidy", f"/programmes/{programme['id']}/opening", token=official)
        self.pace()
        return programme["id"]

    def claim(self, programme, seller, seller_token, certificate, price, n, label, account=None, invoice=None,
              quantity=1, expect_status=None, attempt=0):
        day = self.today()
        body = {"programmeID": programme, "buyerIDNumber": resident_id("330106", dt.date(1950, 1, 1) + dt.timedelta(days=(n * 37) % 18000), n),
                "householdID": f"HH-{self.run}-{n}", "buyerPhone": "13812345678", "sellerCreditCode": seller,
                "invoiceCode": "033002300111", "invoiceNumber": invoice or f"{self.run}{n:04d}",
                "purchasedOn": day.isoformat(),
                "lines": [{"certificateNumber": certificate, "quantity": quantity, "unitPrice": price}],
                "bankAccount": account or f"6222{self.run}{n:04d}"}
        self.say(f"seller {seller}", f"submits a claim: {label}")
        _, claim = self.call("POST", "subsidy", "/claims", token=seller_token, body=body,
                             headers={"Idempotency-Key": f"demo-{self.run}-{n}" + (f"-{attempt}" if attempt else "")})
        self.claims.append({"id": claim["id"], "label": label, "programme": programme, "status": claim["status"],
                            "requestedAmount": claim.get("requestedAmount"), "certificate": certificate,
                            "holdRules": claim.get("holdRules", []), "rejectionReasons": claim.get("rejectionReasons", [])})
        if expect_status and claim["status"] != expect_status:
            raise Failure(f"claim '{label}' is {claim['status']}, not {expect_status}: {claim.get('rejectionReasons')}")
        self.pace()
        return claim

    def claim_when_known(self, *a, **k):
        """A claim submitted again while subsidy answers that it has not read the enrolment or the certificate yet:
        it learns both from their topics, and a claim can come before the event (each certificate is keyed on its own
        number, so two certificates issued together may arrive in either order)."""
        attempts = iter(range(10 ** 6))

        def attempt():
            # A new Idempotency-Key each time: the same key would answer with the first, rejected claim again.
            claim = self.claim(*a, attempt=next(attempts), **k)
            reasons = " ".join(claim.get("rejectionReasons") or [])
            if claim["status"] == "rejected" and any(r in reasons for r in ("unknown-certificate", "seller-not-enrolled")):
                self.claims.pop()
                print("    (subsidy has not read the enrolment or the certificate yet; again in a moment)")
                return None
            return claim
        return self.wait("subsidy to learn the enrolment and the certificates", attempt)

    def claim_status(self, claim_id, token):
        _, claim = self.call("GET", "subsidy", f"/claims/{claim_id}", token=token, quiet=True)
        return claim

    def usage(self, programme):
        _, p = self.call("GET", "subsidy", f"/programmes/{programme}", token=self.ministry["MOFCOM"], quiet=True)
        return p.get("usage", p)

    # complaints -------------------------------------------------------------------------------------------------
    def channels(self, region, name, official):
        self.say(f"{name}'s official", "publishes the complaint channels (waits for complaints to know the region)")
        body = {"hotline": "0571-12345", "handover12315": True, "onlineAddress": "https://example.gov.cn/gbm/complaints",
                "officeAddress": f"{name}市场监督管理局投诉大厅", "officeHours": "工作日 9:00-17:00"}

        # Complaints learns the approved regions from pilot-management's events; on a fresh start it may still be
        # reading them, and answers region-not-approved until it has (CI saw this once).
        def publish():
            status, result = self.call("PUT", "complaints", f"/regions/{region}/complaint-channels", token=official,
                                       body=body, expect=None, quiet=True)
            if status in (200, 201):
                print(f"    PUT complaints/regions/{region}/complaint-channels -> {status} {self.brief(result)}")
                return result or True
            if status == 422 and isinstance(result, dict) and result.get("code") == "region-not-approved":
                return None
            raise Failure(f"PUT complaints/regions/{region}/complaint-channels: {status} {str(result)[:800]}")
        self.wait(f"complaints to know region {region}", publish)

    def file_case(self, kind, region, county, respondent, facts, label, certificate=None, amount=86_000):
        body = {"kind": kind, "channel": "web-form", "category": "false-green-claim", "regionCode": region,
                "countyCode": county, "complainantName": "王小明",
                "complainantPhone": f"139{self.rng.randrange(10**8):08d}",
                "facts": f"{facts}（{self.run}）", "purchasedOn": self.today().isoformat(), "respondentCreditCode": respondent}
        if kind == "complaint":
            body.update({"demands": "退货退款", "amountInDispute": amount})
        if certificate:
            body["certificateNumber"] = certificate
        self.say("a consumer (web form, no account)", f"files a {kind}: {label}")
        _, receipt = self.call("POST", "complaints", "/cases", body=body)
        case = {"id": receipt.get("id") or receipt.get("caseID"), "label": label, "kind": kind,
                "caseNumber": receipt.get("caseNumber")}
        self.cases.append(case)
        self.pace()
        return receipt

    def transition(self, case, action, token, **extra):
        self.say("the county market regulator", f"{action} on case {case['caseNumber']} ({case['label']})")
        _, result = self.call("POST", "complaints", f"/cases/{case['id']}/transitions", token=token,
                              body={"action": action, **extra})
        self.pace()
        return result

    def case_view(self, case_id):
        _, case = self.call("GET", "complaints", f"/cases/{case_id}", token=self.ministry["SAMR"], quiet=True)
        return case

    # the whole campaign -----------------------------------------------------------------------------------------
    def campaign(self):
        print(f"demo run {self.run} ({'sample' if self.args.sample else 'full'}) against {self.state}; services' time "
              f"{self.now():%Y-%m-%d %H:%M} (Asia/Shanghai){' simulated x' + self.clock['GBM_CLOCK_RATE'] if self.clock else ''}")
        self.claims, self.cases = [], []
        if self.args.sample:
            self.sample()
        else:
            self.full()
        self.finish()

    def year(self):
        """The campaign year in force, as pilot-management publishes it (GET /campaign, from seeds/campaign)."""
        if not hasattr(self, "campaign_notice"):
            _, self.campaign_notice = self.call("GET", "pilot-management", "/campaign")
        return self.campaign_notice["year"]

    def full(self):
        self.ministry = {d: self.token("ministry", f"demo-{d.lower()}", department=d) for d in DEPARTMENTS}
        (code, name, city, county, town), fresh = self.choose_region()
        self.setup_people(county if False else code)
        self.regulator = self.token("market-regulator", f"demo-amr-{county}", region=county)
        self.summary["region"] = {"code": code, "name": name, "fresh": fresh}
        year = self.year()
        if fresh:
            self.apply_and_approve(code, name)
        else:
            print(f"\n(every second-batch candidate has applied already; reusing the approved region {code} {name})")
        self.launch_and_activities(code, name, city, county, town, year)

        maker, _ = self.register_enterprise(county, f"{name[:2]}绿能建材科技有限公司{self.run[-4:]}")
        store, store_token = self.register_enterprise(county, f"{name[:2]}乡村建材超市{self.run[-4:]}", kind="store")
        c1 = self.issue_certificate(maker, "岩棉外墙保温板", "enclosure-structures-and-concrete", "thermal-insulation", "three-star")
        c2 = self.issue_certificate(maker, "断桥铝合金节能窗", "windows-curtain-walls-and-decoration", "energy-saving-windows", "two-star")
        self.enrol(code, store)
        self.enrol(code, maker)

        purchase = self.programme(code, "purchase", f"{name}绿色建材下乡消费补贴（{self.run}）", 5_000_000, year, self.official)
        loan = self.programme(code, "loan-interest", f"{name}绿色农房贷款贴息（{self.run}）", 3_000_000, year, self.official)
        self.summary["programmes"] = {"purchase": purchase, "loan-interest": loan}
        self.summary["seller"], self.summary["certificate"] = store, c1

        n = self.rng.randrange(100, 900)
        first = self.claim_when_known(purchase, store, store_token, c1, 86_000, n, "insulation board, valid")
        second = self.claim_when_known(purchase, store, store_token, c2, 120_000, n + 1, "windows, valid (certificate revoked later)")
        self.claim(purchase, store, store_token, "CGBM-2023-DM-00000099", 50_000, n + 2, "invalid: a certificate never issued",
                   expect_status="rejected")
        self.claim(purchase, store, store_token, c1, 86_000, n + 3, "invalid: the first claim's invoice again",
                   invoice=f"{self.run}{n:04d}", expect_status="rejected")
        shared = f"6222{self.run}9999"
        for i in range(3):
            self.claim(purchase, store, store_token, c1, 60_000, n + 4 + i,
                       f"buyer {i + 1} of 3 paid into one bank account", account=shared)
        big = self.claim(purchase, store, store_token, c1, 200_000, n + 7, "eight panels: above the review threshold",
                         quantity=8)
        held = [c for c in self.claims if c["status"] == "held"]
        for c in held:
            if "amount-above-threshold" in c["holdRules"]:
                for who, token in (("regional official", self.official), ("ministry official (MOFCOM)", self.ministry["MOFCOM"])):
                    self.say(who, f"reviews the held claim ({c['label']}): approve")
                    _, r = self.call("POST", "subsidy", f"/claims/{c['id']}/reviews", token=token,
                                     body={"decision": "approve", "comment": "发票与实物核实无误"})
                    c["status"] = r["status"]
            else:
                self.say("regional official", f"reviews the held claim ({c['label']}): reject")
                _, r = self.call("POST", "subsidy", f"/claims/{c['id']}/reviews", token=self.official,
                                 body={"decision": "reject", "comment": "多名购买人共用一个收款账户，疑似套取补贴"})
                c["status"] = r["status"]

        self.say("certification body (CTC)", f"revokes certificate {c2} (failed the follow-up inspection)")
        self.call("POST", "catalogue", f"/certificates/{c2}/revoke", token=self.cb,
                  body={"reason": "监督抽查不合格"})
        entry = next(c for c in self.claims if c["id"] == second["id"])
        if entry["status"] == "approved":
            held = self.wait("subsidy to hold the claim on the revoked certificate",
                             lambda: (lambda c: c if c["status"] == "held" else None)(self.claim_status(entry["id"], self.official)))
            entry["status"], entry["holdRules"] = held["status"], held.get("holdRules", [])
            print(f"    claim {entry['id']} is now {held['status']} {held.get('holdRules')}")

        self.pay(purchase)
        self.loan(loan, c1)
        self.complaints(code, name, county, store, maker, c2)
        self.report(code, name, year)

    def pay(self, programme):
        self.say("regional official", "collects the approved claims into a payment batch; the bank pays them")
        _, batch = self.call("POST", "subsidy", f"/programmes/{programme}/payment-batches", token=self.official)
        status, text = self.call("GET", "subsidy", f"/payment-batches/{batch['id']}/transfer-file", token=self.official,
                                 quiet=True)
        lines = [l for l in str(text).splitlines() if l and not l.startswith("#") and not l.startswith("payment_id")]
        csv = "payment_id,status,bank_reference,reason\n" + "".join(
            f"{l.split(',')[0]},paid,BR{self.run}{i:03d},\n" for i, l in enumerate(lines))
        self.call("POST", "subsidy", f"/payment-batches/{batch['id']}/confirmation", token=self.official,
                  raw=csv.encode(), headers={"Content-Type": "text/csv"})
        paid = {l.split(",")[1] for l in lines}
        for c in self.claims:
            if c["id"] in paid:
                c["status"] = "paid"
        self.summary["payments"] = {"batch": batch["id"], "count": len(lines)}
        self.pace()

    def loan(self, programme, certificate):
        self.say("regional official (for a farmer)", "grants a loan interest subsidy for a green farmhouse")
        day = self.today()
        _, loan = self.call("POST", "subsidy", "/loan-subsidies", token=self.official, body={
            "programmeID": programme, "borrowerIDNumber": resident_id("330106", dt.date(1980, 5, 1), self.rng.randrange(1000)),
            "householdID": f"HH-LOAN-{self.run}", "lender": "中国农业银行", "loanContractNumber": f"ABC-{self.run}",
            "loanPrincipal": 20_000_000, "eligibleShareBasisPoints": 6000, "loanTermMonths": 24,
            "interestRateBasisPoints": 420, "loanDate": day.isoformat(),
            "firstRepaymentOn": (day + dt.timedelta(days=30)).isoformat(), "certificateNumbers": [certificate],
            "bankAccount": f"6228{self.run}0001"})
        self.summary["loan"] = {"id": loan["id"], "status": loan["status"]}
        self.pace()

    def complaints(self, region, name, county, store, maker, certificate):
        self.channels(region, name, self.official)
        holiday = dt.date(self.today().year, 9, 28)
        if self.today() < holiday - dt.timedelta(days=2):
            self.wait_until_day(holiday - dt.timedelta(days=2), "the week before the National Day holiday")
        a = self.file_case("complaint", region, county, store, "购买的保温板标称三星级绿色建材，到货后发现无认证标识", "false label, mediated")
        b = self.file_case("complaint", region, county, store, "门窗安装后漏水，商家拒绝维修", "leaking windows, left unanswered")
        r = self.file_case("report", region, county, maker, "认证证书与产品型号不符", "report on a certificate", certificate=certificate)
        cases = {c["label"]: c for c in self.cases}
        ca, cb, cr = cases["false label, mediated"], cases["leaking windows, left unanswered"], cases["report on a certificate"]
        for c in (ca, cb, cr):
            view = self.case_view(c["id"])
            c["receivedOn"], c["dueOn"], c["dueDeadline"] = self.today().isoformat(), view.get("dueOn"), view.get("dueDeadline")
            print(f"    case {c['caseNumber']}: {view.get('status')}, {view.get('dueDeadline')} due on {view.get('dueOn')}")
        self.transition(ca, "accept", self.regulator)
        self.transition(ca, "start-mediation", self.regulator, mediator="县消费者协会调解员李华")
        self.transition(ca, "record-agreement", self.regulator, agreement="商家退货并赔偿安装费", compensation=20_000)
        self.transition(ca, "close", self.regulator)
        self.transition(cr, "open-case", self.regulator, violationKind="product-does-not-match-certificate")
        due = cb.get("dueOn")
        if due:
            crossed = self.wait_until_day(dt.date.fromisoformat(due) + dt.timedelta(days=1),
                                          f"case {cb['caseNumber']}'s acceptance deadline, across the holiday")
            cb["deadlinePassed"] = crossed
            if crossed:
                # complaints' deadline check runs every ten minutes of service time (a second at 600x and faster):
                # the breach is flagged and announced without any request.
                self.say("complaints' deadline check", f"flags case {cb['caseNumber']} as overdue")
                self.wait(f"case {cb['caseNumber']} to be flagged overdue",
                          lambda: self.case_view(cb["id"]).get("overdue") is True, timeout=120)
        for c in (ca, cb, cr):
            view = self.case_view(c["id"])
            c["status"] = view.get("status")
            c["overdue"] = view.get("overdue")
            c["breaches"] = len(view.get("breaches") or [])
            print(f"    case {c['caseNumber']} ({c['label']}): {c['status']}, overdue {c['overdue']}, breaches {c['breaches']}")

    def report(self, region, name, year):
        self.say(f"{name}'s official", f"starts the {year} summary report")

        def start():
            status, rep = self.call("POST", "reporting", f"/regions/{region}/summary-reports", token=self.official,
                                    body={"campaignYear": year}, expect=None)
            if status == 201:
                return rep
            if status == 409:
                _, listing = self.call("GET", "reporting", f"/regions/{region}/summary-reports", token=self.official)
                reports = listing.get("reports", listing) if isinstance(listing, dict) else listing
                return reports[0] if reports else None
            return None
        rep = self.wait("reporting to know the region", start)
        self.summary["report"] = {"id": rep["id"], "status": rep.get("status")}
        if rep.get("status") == "draft":
            self.say(f"{name}'s official", "submits it to the six ministries")
            _, rep = self.call("POST", "reporting", f"/summary-reports/{rep['id']}/submission", token=self.official)
        self.summary["report"].update({"status": rep.get("status"), "figures": rep.get("document", {}).get("figures", rep.get("figures"))})

    def sample(self):
        self.ministry = {d: self.token("ministry", f"demo-{d.lower()}", department=d) for d in DEPARTMENTS}
        code, name, city, county, town = "330000", "浙江省", "330100", "330106", "330106001"
        self.setup_people(code)
        self.regulator = self.token("market-regulator", f"demo-amr-{county}", region=county)
        year = self.year()
        self.summary["region"] = {"code": code, "name": name, "fresh": False}
        self.launch_and_activities(code, name, city, county, town, year)
        seller, maker = "91330106CNEUCAKJXF", "91330106AL3R3L9TNP"
        self.enrol(code, seller)
        self.enrol(code, maker)
        purchase = self.programme(code, "purchase", f"浙江省绿色建材下乡消费补贴（示例）", 50_000_000, year, self.official)
        loan = self.programme(code, "loan-interest", f"浙江省绿色农房贷款贴息（示例）", 30_000_000, year, self.official)
        self.summary["programmes"] = {"purchase": purchase, "loan-interest": loan}
        token = self.token("enterprise", "lvzhu", enterprise=seller)
        n = self.rng.randrange(100, 900)
        for i, (cert, price) in enumerate([("CGBM-2019-ZJ-000001", 86_000), ("CGBM-2020-ZJ-000002", 120_000)]):
            self.claim_when_known(purchase, seller, token, cert, price, n + i, f"sample purchase {i + 1}")
        self.claim(purchase, seller, token, "CGBM-2023-DM-00000099", 50_000, n + 5, "invalid: unknown certificate")
        self.channels(code, name, self.official)
        self.file_case("complaint", code, county, seller, "保温板实际厚度不足", "sample complaint")
        self.file_case("consultation", code, county, seller, "如何申请绿色建材下乡补贴？", "sample consultation")

    def finish(self):
        """The outcome as the APIs give it now, printed and written as JSON."""
        for c in self.claims:
            view = self.claim_status(c["id"], self.ministry["MOFCOM"])
            c["status"], c["reservedAmount"] = view["status"], view.get("reservedAmount")
        self.summary["claims"] = self.claims
        decisions = {}
        for c in self.claims:
            decisions[c["status"]] = decisions.get(c["status"], 0) + 1
        self.summary["decisions"] = decisions
        self.summary["ledger"] = {kind: self.usage(pid) for kind, pid in self.summary.get("programmes", {}).items()}
        for c in self.cases:
            view = self.case_view(c["id"])
            c["status"] = view.get("status")
        self.summary["cases"] = self.cases
        print("\n== summary")
        print(f"region: {self.summary['region']}")
        print(f"claims: {len(self.claims)}, by state: {decisions}")
        for c in self.claims:
            print(f"  {c['status']:9} {c['label']}  {c.get('holdRules') or ''}{c.get('rejectionReasons') or ''}")
        for kind, usage in self.summary["ledger"].items():
            print(f"ledger ({kind}): {json.dumps(usage, ensure_ascii=False)}")
        for c in self.cases:
            print(f"case {c.get('caseNumber')} ({c['kind']}, {c['label']}): {c['status']}"
                  + (f", due {c.get('dueOn')}" if c.get("dueOn") else ""))
        if "report" in self.summary:
            figures = self.summary["report"].get("figures")
            print(f"summary report {self.summary['report']['id']}: {self.summary['report']['status']}")
            if figures:
                print("  figures: " + json.dumps(figures, ensure_ascii=False)[:1500])
        if self.args.summary_out:
            with open(self.args.summary_out, "w") as f:
                json.dump(self.summary, f, ensure_ascii=False, indent=1)
            print(f"summary written to {self.args.summary_out}")

def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--state-dir", default=os.environ.get("GBM_LOCAL_DIR", ".local/dev"))
    parser.add_argument("--pace", type=float, default=0.0, help="seconds between steps (default 0)")
    parser.add_argument("--sample", action="store_true", help="a short subset: sample data for a fresh system")
    parser.add_argument("--summary-out", help="write the summary as JSON here")
    parser.add_argument("--gbm-token", help="path of the built gbm-token (default: .build/debug/gbm-token)")
    parser.add_argument("--timeout", type=float, default=90.0, help="longest wait for one condition, seconds")
    parser.add_argument("--max-clock-wait", type=float, default=240.0,
                        help="longest wait for the simulated clock to cross a deadline, seconds")
    parser.add_argument("--seed", type=int)
    args = parser.parse_args()
    demo = Demo(args)
    started = time.monotonic()
    try:
        demo.campaign()
    except Failure as failure:
        print(f"\nDEMO FAILED: {failure}", file=sys.stderr)
        return 1
    print(f"\ndone in {time.monotonic() - started:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
