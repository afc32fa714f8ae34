#!/usr/bin/env python3
"""The reporting dashboard in a real headless browser (Debian's Chromium through its chromedriver, selenium).

Opens the national page and a region's page, each in its own headless Chromium, and checks, polling with deadlines:

1. each page loads, signs in from the URL fragment (#token=…, which then leaves the address bar), shows the live
   status, the regions' table (national page) and a seeded figure (the metric's value is above zero);
2. when the figure has settled (the page and the API agree and stop moving), a new event is produced through another
   service's public HTTP API (--produce-command, or --produce-url with a JSON body and token); then the figure on both
   pages (the national card, the region's row of the national table, the region page's card) must change by exactly
   --expect-delta without a reload, and the live events list must show the event;
3. the pages loaded nothing from outside the service's origin (the Performance API's entries, and no
   Content-Security-Policy violation), and Chromium's console logged no error;

and keeps a screenshot of each page in --out (printed). Exits non-zero with the reason on failure.

    $GBM_PYTHON deploy/local/dashboard_check.py --base-url http://127.0.0.1:8085 --token "$GBM_TOKEN_PROMOTION_GROUP" \
        --region 330000 --metric certificates.valid --out .local/dashboard-check \
        --produce-command 'curl -fsS -X POST … /certificates …'
"""
import argparse
import json
import os
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request

from selenium import webdriver
from selenium.common.exceptions import WebDriverException
from selenium.webdriver.chrome.options import Options
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By


class CheckFailed(Exception):
    """A check that did not hold: its message says which and what was seen."""


def log(message):
    print(f"[dashboard-check] {message}", file=sys.stderr, flush=True)


def wait_for(what, deadline_s, probe, every_s=0.25):
    """Polls `probe` until it returns something truthy; fails naming `what` and the last value seen at the deadline."""
    deadline = time.monotonic() + deadline_s
    last = None
    while True:
        try:
            last = probe()
        except WebDriverException as error:
            last = f"webdriver: {error.msg}"
        if last and not isinstance(last, str):
            return last
        if time.monotonic() >= deadline:
            raise CheckFailed(f"{what}: not within {deadline_s:g} s (last seen: {last!r})")
        time.sleep(every_s)


def api_figure(base_url, token, metric, region=None):
    """The metric's value (all dimensions) from GET /overview, the same figure the page starts from."""
    query = "?" + urllib.parse.urlencode({"regionCode": region}) if region else ""
    request = urllib.request.Request(f"{base_url}/overview{query}", headers={"Authorization": f"Bearer {token}"})
    with urllib.request.urlopen(request, timeout=10) as response:
        overview = json.load(response)
    return sum(entry["value"] for entry in overview["entries"] if entry["metric"] == metric)


def browser(width=1400, height=1600):
    options = Options()
    options.binary_location = "/usr/bin/chromium"
    for argument in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                     f"--window-size={width},{height}", "--lang=zh-CN", "--no-first-run",
                     "--disable-background-networking", "--disable-component-update", "--disable-sync"):
        options.add_argument(argument)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service(executable_path="/usr/bin/chromedriver"), options=options)
    # Before any page script runs: record Content-Security-Policy violations (the page's policy does not apply to this).
    driver.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": """
        window.__cspViolations = [];
        document.addEventListener('securitypolicyviolation',
            (e) => window.__cspViolations.push(e.violatedDirective + ' ' + e.blockedURI));
    """})
    return driver


def full_page(driver):
    """The window as tall as the page, so that the screenshot shows all of it."""
    height = driver.execute_script("return Math.ceil(document.documentElement.scrollHeight)")
    driver.set_window_size(1400, min(max(int(height) + 120, 800), 8000))


def card_value(driver, metric):
    """The page's key figure card for `metric`: its exact integer (data-value), or None while it is not shown."""
    cards = driver.find_elements(By.CSS_SELECTOR, f'#figures .figure[data-metric="{metric}"]')
    value = cards[0].get_attribute("data-value") if cards else None
    return int(value) if value not in (None, "") else None


def row_value(driver, region, metric):
    """The regions' table cell of `region` and `metric`, or None."""
    cells = driver.find_elements(By.CSS_SELECTOR, f'#regions-body tr[data-region="{region}"] td[data-metric="{metric}"]')
    value = cells[0].get_attribute("data-value") if cells else None
    return int(value) if value not in (None, "") else None


def live(driver):
    return driver.find_element(By.ID, "live-status").get_attribute("data-state") == "live"


def message(driver):
    element = driver.find_element(By.ID, "message")
    return element.text if element.is_displayed() else ""


def open_page(driver, url, what, metric, deadline_s, region_row=None):
    driver.get(url)

    def ready():
        shown = message(driver)
        if shown:
            return f"the page says: {shown}"
        if not live(driver):
            return "live status: " + driver.find_element(By.ID, "live-status").text
        value = card_value(driver, metric)
        if value is None:
            return f"no {metric} card yet"
        if value <= 0:
            return f"{metric} is {value}; a seeded figure is above 0"
        if region_row and (row_value(driver, region_row, metric) or 0) <= 0:
            return f"no seeded {metric} in the table's row of {region_row}"
        if not driver.find_elements(By.CSS_SELECTOR, "#charts svg rect"):
            return "no chart drawn yet"
        return True

    wait_for(f"{what}: live, with a seeded {metric} and its charts", deadline_s, ready)
    if "token=" in driver.current_url:
        raise CheckFailed(f"{what}: the token is still in the address bar ({driver.current_url.split('#')[0]}#…)")
    log(f"{what}: live, {metric} = {card_value(driver, metric)}"
        + (f", {region_row}'s row = {row_value(driver, region_row, metric)}" if region_row else ""))


def settle(driver_figures, api_figures, deadline_s, quiet_s=4.0):
    """Waits until the API's figures stop moving for `quiet_s` and every page shows them: then nothing else is in
    flight (seed events still being applied would otherwise be counted as the new event's change)."""
    deadline = time.monotonic() + deadline_s
    stable_since, last = time.monotonic(), None
    while True:
        now_api = {name: read() for name, read in api_figures.items()}
        now_pages = {name: read() for name, read in driver_figures.items()}
        if now_api != last:
            stable_since, last = time.monotonic(), now_api
        agree = all(now_pages[name] == now_api[name] for name in now_api)
        if agree and time.monotonic() - stable_since >= quiet_s:
            return now_api
        if time.monotonic() >= deadline:
            raise CheckFailed(f"the figures did not settle within {deadline_s:g} s: pages {now_pages}, API {now_api}")
        time.sleep(0.5)


def produce(arguments):
    if arguments.produce_command:
        log(f"producing an event: {arguments.produce_command[:120]}…")
        result = subprocess.run(arguments.produce_command, shell=True, capture_output=True, text=True, timeout=60)
        if result.returncode != 0:
            raise CheckFailed(f"the command producing the event failed ({result.returncode}): {result.stderr.strip()[:500]}")
        return
    headers = {"Content-Type": "application/json"}
    if arguments.produce_token:
        headers["Authorization"] = f"Bearer {arguments.produce_token}"
    body = (arguments.produce_body or "{}").encode()
    log(f"producing an event: POST {arguments.produce_url}")
    request = urllib.request.Request(arguments.produce_url, data=body, headers=headers, method="POST")
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            log(f"  answered {response.status}")
    except urllib.error.HTTPError as error:
        raise CheckFailed(f"POST {arguments.produce_url} answered {error.code}: {error.read()[:500]!r}") from None


def origin_checks(driver, base_url, what):
    """Every resource the page loaded came from the service's origin; no CSP violation; no console error."""
    origin = urllib.parse.urlsplit(base_url)
    origin = f"{origin.scheme}://{origin.netloc}"
    names = driver.execute_script(
        "return performance.getEntries().filter(e => e.entryType === 'resource' || e.entryType === 'navigation')"
        ".map(e => e.name)")
    foreign = [name for name in names if not (name.startswith(origin + "/") or name == origin)]
    if foreign:
        raise CheckFailed(f"{what} loaded resources from elsewhere: {foreign}")
    loaded = sorted({urllib.parse.urlsplit(name).path for name in names})
    violations = driver.execute_script("return window.__cspViolations || []")
    if violations:
        raise CheckFailed(f"{what}: Content-Security-Policy violations: {violations}")
    errors = [entry for entry in driver.get_log("browser") if entry.get("level") == "SEVERE"]
    if errors:
        raise CheckFailed(f"{what}: console errors: " + "; ".join(entry.get("message", "")[:300] for entry in errors))
    log(f"{what}: {len(names)} resources, all from {origin} ({', '.join(loaded)}); no CSP violation, no console error")


def headers_check(base_url):
    """The page's own response: HTML with a same-origin-only Content-Security-Policy."""
    with urllib.request.urlopen(f"{base_url}/dashboard", timeout=10) as response:
        policy = response.headers.get("Content-Security-Policy", "")
        kind = response.headers.get("Content-Type", "")
    if not kind.startswith("text/html") or not policy.startswith("default-src 'self'") or "unsafe" in policy:
        raise CheckFailed(f"GET /dashboard: Content-Type {kind!r}, Content-Security-Policy {policy!r}")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--base-url", required=True, help="the reporting service, e.g. http://127.0.0.1:8085")
    parser.add_argument("--token", required=True, help="a ministry or promotion-group token (national and regional figures)")
    parser.add_argument("--region", required=True, help="the pilot region whose page is opened, e.g. 330000")
    parser.add_argument("--metric", required=True, help="the figure that must change, e.g. certificates.valid")
    parser.add_argument("--expect-delta", type=int, default=1, help="by how much (default 1)")
    parser.add_argument("--produce-command", help="a shell command that produces the event")
    parser.add_argument("--produce-url", help="or: a URL to POST --produce-body to (JSON), with --produce-token")
    parser.add_argument("--produce-body")
    parser.add_argument("--produce-token")
    parser.add_argument("--out", required=True, help="directory for the screenshots")
    parser.add_argument("--timeout", type=float, default=60, help="seconds for each wait (default 60)")
    arguments = parser.parse_args()
    if not (arguments.produce_command or arguments.produce_url):
        parser.error("give --produce-command or --produce-url")
    base_url = arguments.base_url.rstrip("/")
    out = os.path.abspath(arguments.out)
    os.makedirs(out, exist_ok=True)
    metric, region, token = arguments.metric, arguments.region, arguments.token
    fragment = "#" + urllib.parse.urlencode({"token": token})

    drivers = {}
    try:
        headers_check(base_url)
        drivers["national"] = browser()
        drivers["region"] = browser()
        national, regional = drivers["national"], drivers["region"]
        open_page(national, f"{base_url}/dashboard{fragment}", "national page", metric, arguments.timeout, region_row=region)
        open_page(regional, f"{base_url}/dashboard{fragment}&region={region}", f"region page {region}", metric,
                  arguments.timeout)

        before = settle(
            {"national": lambda: card_value(national, metric), "row": lambda: row_value(national, region, metric),
             "region": lambda: card_value(regional, metric)},
            {"national": lambda: api_figure(base_url, token, metric),
             "row": lambda: api_figure(base_url, token, metric, region),
             "region": lambda: api_figure(base_url, token, metric, region)},
            arguments.timeout)
        log(f"settled: {before}")
        listed_before = {name: len(driver.find_elements(By.CSS_SELECTOR, "#events li[data-id]"))
                         for name, driver in drivers.items()}

        produce(arguments)
        want = {name: value + arguments.expect_delta for name, value in before.items()}
        readers = {"national": lambda: card_value(national, metric), "row": lambda: row_value(national, region, metric),
                   "region": lambda: card_value(regional, metric)}

        def changed():
            seen = {name: read() for name, read in readers.items()}
            if seen == want:
                return seen
            overshoot = [name for name in seen if seen[name] is not None and
                         abs(seen[name] - before[name]) > abs(arguments.expect_delta)]
            if overshoot:
                raise CheckFailed(f"{metric} changed by more than {arguments.expect_delta}: before {before}, now {seen}")
            return f"{seen} (want {want})"

        seen = wait_for(f"{metric} to change by exactly {arguments.expect_delta} on both pages", arguments.timeout, changed)
        log(f"{metric}: {before} → {seen}, without a reload")
        for name, driver in drivers.items():
            wait_for(f"{name} page: the new event in the live list", arguments.timeout,
                     lambda driver=driver, name=name: len(driver.find_elements(By.CSS_SELECTOR, "#events li[data-id]"))
                     > listed_before[name] and metric in driver.find_element(By.ID, "events").text)
        # The service's own figures agree with what the pages added from the feed.

        def agreed():
            api = {"national": api_figure(base_url, token, metric), "row": api_figure(base_url, token, metric, region),
                   "region": api_figure(base_url, token, metric, region)}
            pages = {name: read() for name, read in readers.items()}
            return pages if api == want and pages == want else f"API {api}, pages {pages} (want {want})"

        wait_for("the API and the pages to agree on the new figure", arguments.timeout, agreed)
        for name, driver in drivers.items():
            path = os.path.join(out, f"{name}.png")
            full_page(driver)
            driver.save_screenshot(path)
            log(f"screenshot: {path}")
        origin_checks(national, base_url, "national page")
        origin_checks(regional, base_url, f"region page {region}")
    except CheckFailed as failure:
        for name, driver in drivers.items():
            try:
                driver.save_screenshot(os.path.join(out, f"{name}-failed.png"))
            except WebDriverException:
                pass
        log(f"FAILED: {failure}")
        log(f"screenshots in {out}")
        return 1
    finally:
        for driver in drivers.values():
            try:
                driver.quit()
            except WebDriverException:
                pass
    print(out)
    log(f"ok: screenshots in {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
