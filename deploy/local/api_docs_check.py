#!/usr/bin/env python3
"""Each service's browsable API page (GET /docs) in a real headless browser (Debian's Chromium, selenium).

For every base URL given: opens /docs, waits until Swagger UI has rendered one operation block for each operation of
the service's /openapi.json (the page reads the document itself), checks that the page loaded nothing from outside
the service's origin, met no Content-Security-Policy violation and logged no console error, and keeps a screenshot
in --out. Exits non-zero with the reason on failure.

    $GBM_PYTHON deploy/local/api_docs_check.py --out .local/api-docs-check http://127.0.0.1:8110 http://127.0.0.1:8120
"""
import argparse
import json
import os
import sys
import urllib.request

from selenium.webdriver.common.by import By

from dashboard_check import CheckFailed, browser, full_page, origin_checks, wait_for


def log(message):
    print(f"[api-docs-check] {message}", file=sys.stderr, flush=True)


def check(base_url, out, timeout):
    with urllib.request.urlopen(f"{base_url}/openapi.json", timeout=10) as response:
        document = json.load(response)
    title = document["info"]["title"]
    methods = {"get", "put", "post", "delete", "patch", "head", "options"}
    expected = sum(1 for item in document["paths"].values() for method in item if method in methods)
    driver = browser()
    try:
        driver.get(f"{base_url}/docs")
        shown = wait_for(f"{title}: Swagger UI shows {expected} operations", timeout, lambda: (
            len(driver.find_elements(By.CSS_SELECTOR, ".opblock")) >= expected
            or f"{len(driver.find_elements(By.CSS_SELECTOR, '.opblock'))} operation blocks"))
        heading = driver.find_element(By.CSS_SELECTOR, ".info .title").text
        if title not in heading:
            raise CheckFailed(f"{base_url}/docs: the page's title is {heading!r}, not the document's {title!r}")
        origin_checks(driver, base_url, f"{title} /docs")
        full_page(driver)
        path = os.path.join(out, f"{title}.png")
        driver.save_screenshot(path)
        log(f"ok: {title}: {expected} operations rendered from /openapi.json ({path})")
        return shown
    finally:
        driver.quit()


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("base_urls", nargs="+", help="the services, e.g. http://127.0.0.1:8110")
    parser.add_argument("--out", required=True, help="directory for the screenshots")
    parser.add_argument("--timeout", type=float, default=60, help="seconds to wait for each page (default 60)")
    arguments = parser.parse_args()
    os.makedirs(arguments.out, exist_ok=True)
    try:
        for base_url in arguments.base_urls:
            check(base_url.rstrip("/"), arguments.out, arguments.timeout)
    except CheckFailed as failure:
        log(f"FAILED: {failure}")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
