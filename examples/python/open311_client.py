#!/usr/bin/env python3
"""Files and follows a complaint through the complaints service's Open311 GeoReport v2 facade with `georeport`,
a GeoReport v2 client this project did not write (PyPI georeport==0.3.1, pinned in deploy/local/infra.sh).

    .local/venv/bin/python examples/python/open311_client.py --root http://127.0.0.1:8084/open311/v2 \
        --api-key "$KEY" --region 330000 --county 330106

Lists the services, reads the complaint service's definition, files a complaint, reads it back singly and in the
list, and prints each answer as JSON (the last line: {"service_request_id": ..., "ok": true}). Exits 1 on any
mismatch with what GeoReport v2 and docs/complaints.md promise, 2 on an HTTP error.

georeport 0.3.1 only reads (its README: it "does not currently support the creation of new 311 service
requests"), so the filing is posted with `requests`, the HTTP library georeport itself uses, in the form GeoReport
v2 specifies: application/x-www-form-urlencoded with api_key, service_code and attribute[code]=value.
"""
import argparse
import json
import random
import sys

import requests
from georeport import GeoReport

failures = []


def check(condition, what):
    if not condition:
        failures.append(what)
        print(f"MISMATCH: {what}", file=sys.stderr)


def show(label, value):
    print(json.dumps({label: value}, ensure_ascii=False, sort_keys=True))


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--root", required=True, help="the facade's root, e.g. http://127.0.0.1:8084/open311/v2")
    parser.add_argument("--api-key", required=True, help="a submitter key (GBM_OPEN311_API_KEYS holds its SHA-256)")
    parser.add_argument("--region", default="330000", help="an approved pilot region's division code (the local seeds approve Zhejiang)")
    parser.add_argument("--county", default="330106", help="a county within it")
    args = parser.parse_args()

    client = GeoReport(args.root, api_key=args.api_key)

    services = client.get_service_list()
    show("services", services)
    codes = [service.get("service_code") for service in services]
    check(codes == ["consultation", "complaint", "report"], f"service codes {codes}")
    check(all(service.get("metadata") is True and service.get("type") == "realtime" for service in services),
          "every service has metadata true and type realtime")

    definition = client.get_service_definition("complaint")
    show("definition", definition)
    attributes = {attribute["code"]: attribute for attribute in definition.get("attributes", [])}
    check(definition.get("service_code") == "complaint", "the definition is the complaint service's")
    check(attributes.get("regionCode", {}).get("required") is True, "regionCode is a required attribute")
    category = attributes.get("category", {})
    check(category.get("datatype") == "singlevaluelist" and category.get("values"), "category is a singlevaluelist")

    phone = "139" + "".join(random.choice("0123456789") for _ in range(8))
    form = {
        "api_key": client.api_key,
        "service_code": "complaint",
        "first_name": "小明",
        "last_name": "王",
        "phone": phone,
        "email": "wang@example.cn",
        "description": "购买的岩棉保温板标称三星级绿色建材，实际无认证标识 (Open311 client check %d)" % random.randrange(10**9),
        "address_string": "杭州市西湖区文三路 1 号",
        "attribute[regionCode]": args.region,
        "attribute[countyCode]": args.county,
        "attribute[category]": category.get("values", [{}])[0].get("key", "product-quality"),
        "attribute[respondentName]": "西湖建材城某店",
        "attribute[amountInDispute]": "86000",
        "attribute[purchasedOn]": "2023-09-01",
        "attribute[demands]": "退货退款",
    }
    response = requests.post(f"{client.root_address}/requests.json", data=form, timeout=30)
    receipt = response.json()
    show("created", {"status": response.status_code, "body": receipt})
    response.raise_for_status()
    check(isinstance(receipt, list) and len(receipt) == 1, "the filing answers a one-element array")
    created = receipt[0]
    number = created.get("service_request_id", "")
    check(number.startswith("TS") and len(number) == 16, f"service_request_id {number!r} is a case number")
    check("Case-Secret" in created.get("service_notice", ""), "service_notice tells the case secret")
    check(created.get("account_id") is None and created.get("token") is None, "account_id and token are null")

    refused = requests.post(f"{client.root_address}/requests.json", data={**form, "api_key": "not-a-key"}, timeout=30)
    show("refused", {"status": refused.status_code, "body": refused.json()})
    check(refused.status_code == 403 and refused.json()[0].get("code") == 403, "an unknown api_key is 403")

    one = client.get_service_request(number)
    show("request", one)
    check(one.get("service_request_id") == number, "GET requests/{id}.json reads the case back")
    check(one.get("status") == "open" and one.get("service_code") == "complaint", "it is an open complaint")
    check(one.get("expected_datetime", "").startswith("20"), "it has the acceptance deadline as expected_datetime")

    listed = client.get_service_requests(service_code="complaint", status="open")
    show("listed", listed)
    check(any(item.get("service_request_id") == number for item in listed), "GET requests.json lists it")
    text = json.dumps([one, listed], ensure_ascii=False)
    for secret in (phone, "小明", "王小明", "wang@example.cn", "岩棉", "文三路", "西湖建材城"):
        check(secret not in text, f"no personal data or typed text in the public lists ({secret!r})")

    print(json.dumps({"service_request_id": number, "ok": not failures}, ensure_ascii=False))
    return 1 if failures else 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except requests.HTTPError as error:
        print(f"HTTP error: {error}: {error.response.text}", file=sys.stderr)
        sys.exit(2)
