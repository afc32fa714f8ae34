#!/usr/bin/env python3
"""Events for the reporting benchmark (deploy/local/bench_services.py --only reporting), written straight to the
topics as the other services' relays write them, and the raw read rate of those topics. Run with $GBM_PYTHON (the
project venv: confluent-kafka, jsonschema); GBM_KAFKA_BROKERS names the broker.

Each record is a CloudEvent in the Kafka binding's binary content mode, exactly as `KafkaProducerRecord(event:)`
writes it: key = the aggregate id (also ce_subject); headers ce_id, ce_source (/gbm/<owner of the topic>), ce_type,
ce_specversion 1.0, ce_time (RFC 3339 UTC with milliseconds), ce_subject, ce_dataschema (urn:gbm:event:<type>),
content-type application/json, in that order; the value is the payload's JSON. Payloads follow the examples of
contracts/asyncapi.yaml, varied per event, and one of each type is checked against contracts/schemas/ first.

    reporting_events.py produce --count N --regions R [--approvals]   N events (R region approvals first)
    reporting_events.py paced --rate 50 --seconds 20 --out FILE      ActivityHeld at a constant rate; FILE gets
                                                                      "ce_id key produced_at(epoch s)" per event
    reporting_events.py read --expect N                               a consumer group member reading every consumed
                                                                      topic from the earliest offset until N records
Each prints one JSON line of figures.
"""
import argparse
import datetime
import json
import os
import random
import sys
import time
import uuid

from confluent_kafka import Consumer, KafkaException, Producer
from confluent_kafka.admin import AdminClient, NewTopic

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BROKERS = os.environ["GBM_KAFKA_BROKERS"]
CREDIT_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
CREDIT_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]
PROVINCES = [11, 12, 13, 14, 15, 21, 22, 23, 31, 32, 33, 34, 35, 36, 37, 41, 42, 43, 44, 45, 46, 50, 51, 52, 53, 54,
             61, 62, 63, 64, 65]
TYPES = {
    "approved": ("gbm.pilot.region.approved.v1", "gbm.pilot.regions.v1", "/gbm/pilot"),
    "held": ("gbm.pilot.activity.held.v1", "gbm.pilot.activities.v1", "/gbm/pilot"),
    "submitted": ("gbm.subsidy.claim.submitted.v1", "gbm.subsidy.claims.v1", "/gbm/subsidy"),
    "claim-approved": ("gbm.subsidy.claim.approved.v1", "gbm.subsidy.claims.v1", "/gbm/subsidy"),
    "paid": ("gbm.subsidy.claim.paid.v1", "gbm.subsidy.claims.v1", "/gbm/subsidy"),
    "complaint": ("gbm.complaints.complaint.received.v1", "gbm.complaints.complaints.v1", "/gbm/complaints"),
    "certificate": ("gbm.catalogue.certificate.issued.v1", "gbm.catalogue.certificates.v1", "/gbm/catalogue"),
}
# The mix after the approvals: claims move through submitted → approved → paid; activities, complaints and
# certificates alongside.
MIX = [("held", 20), ("submitted", 25), ("claim-approved", 22), ("paid", 18), ("complaint", 5), ("certificate", 10)]


def regions(count):
    """`count` city codes (PPCC00) over the 31 mainland provinces."""
    codes = []
    city = 1
    while len(codes) < count:
        for province in PROVINCES:
            codes.append(f"{province}{city:02d}00")
            if len(codes) == count:
                break
        city += 1
    return codes


def credit_code(region, rng):
    """A unified social credit code (GB 32100-2015) registered in `region`, with its check character."""
    body = "91" + region + "".join(rng.choice(CREDIT_ALPHABET) for _ in range(9))
    total = sum(CREDIT_ALPHABET.index(c) * w for c, w in zip(body, CREDIT_WEIGHTS))
    return body + CREDIT_ALPHABET[(31 - total % 31) % 31]


def instant(day, rng):
    """An RFC 3339 UTC time with milliseconds on `day` (as InternetDateTime writes it)."""
    return f"{day}T{rng.randrange(0, 10):02d}:{rng.randrange(60):02d}:{rng.randrange(60):02d}.{rng.randrange(1000):03d}Z"


class Events:
    """Schema-valid payloads of the mix, spread over the regions and the 2023 campaign's days."""

    def __init__(self, region_codes, seed):
        self.rng = random.Random(seed)
        self.regions = region_codes
        self.claims = []  # submitted, not yet approved
        self.approved = []  # approved, not yet paid
        self.holders = {code: [credit_code(code[:4] + f"{c:02d}", self.rng) for c in (2, 3, 4)] for code in region_codes}
        start = datetime.date(2023, 3, 1)
        self.days = [(start + datetime.timedelta(days=d)).isoformat() for d in range(265)]
        self.serial = 0

    def uuid(self):
        return str(uuid.UUID(int=self.rng.getrandbits(128), version=4))

    def approval(self, code, index):
        day = "2022-04-20" if index % 3 == 0 else "2023-04-20"
        return "approved", code, {
            "applicationID": self.uuid(), "approvedAt": f"{day}T08:00:00.000Z", "approvedOn": day,
            "batchYear": int(day[:4]), "concurringDepartments": ["miit", "mohurd", "samr"], "regionCode": code,
            "regionName": f"试点城市{code}"}

    def next(self, kind=None):
        rng = self.rng
        if kind is None:
            kind = rng.choices([k for k, _ in MIX], [w for _, w in MIX])[0]
            if kind == "claim-approved" and not self.claims or kind == "paid" and not self.approved:
                kind = "submitted"
        region = rng.choice(self.regions)
        day = rng.choice(self.days)
        self.serial += 1
        if kind == "held":
            activity = self.uuid()
            town = f"{region[:4]}{rng.randrange(1, 6):02d}{rng.randrange(1, 20):03d}"
            return kind, activity, {
                "activityID": activity, "actorRole": "regional-official", "attendance": rng.randrange(50, 3000),
                "endsOn": day, "enterprisesPresent": rng.randrange(5, 60), "level": "town", "onlinePageViews": 0,
                "placeCode": town, "productsShown": rng.randrange(20, 500), "recordedAt": instant(day, rng),
                "regionCode": region, "sales": rng.randrange(100_000, 500_000_000), "startsOn": day,
                "type": rng.choice(["public-lecture", "special-sales-session", "roadshow"])}
        if kind == "submitted":
            claim = self.uuid()
            quantity = rng.randrange(1, 5)
            price = rng.randrange(10_000, 1_000_000)
            subsidy = price * quantity * 15 // 100
            self.claims.append((claim, region, subsidy))
            return kind, claim, {
                "claimID": claim, "consumerRef": "%064x" % rng.getrandbits(256),
                "householdRef": "%064x" % rng.getrandbits(256), "invoiceCode": "033002300111",
                "invoiceNumber": f"2333200{self.serial:013d}",
                "lines": [{"certificateNumber": f"CGBM-2023-SD-{self.serial % 1000000:06d}",
                           "localListEntryID": "6f1d2c3b-4a59-4e8d-8c7b-1f2e3d4c5b6a", "quantity": quantity,
                           "subsidyAmount": subsidy, "unitPrice": price}],
                "programmeID": "2f1e0d9c-8b7a-4c6d-9e5f-4a3b2c1d0e9f", "purchaseAmount": price * quantity,
                "purchasedOn": day, "regionCode": region, "requestedAmount": subsidy,
                "sellerCreditCode": self.holders[region][0], "submittedAt": instant(day, rng), "submitterRole": "enterprise"}
        if kind == "claim-approved":
            claim, region, subsidy = self.claims.pop(rng.randrange(len(self.claims)))
            self.approved.append((claim, region, subsidy))
            return kind, claim, {
                "actorRole": "system", "afterReview": False, "approvedAmount": subsidy, "approvedAt": instant(day, rng),
                "claimID": claim, "consumerRef": "%064x" % rng.getrandbits(256), "paymentDueOn": "2023-12-20",
                "programmeID": "2f1e0d9c-8b7a-4c6d-9e5f-4a3b2c1d0e9f", "regionCode": region}
        if kind == "paid":
            claim, region, subsidy = self.approved.pop(rng.randrange(len(self.approved)))
            return kind, claim, {
                "amount": subsidy, "claimID": claim, "consumerRef": "%064x" % rng.getrandbits(256),
                "paidAt": instant(day, rng), "paymentID": self.uuid(),
                "programmeID": "2f1e0d9c-8b7a-4c6d-9e5f-4a3b2c1d0e9f", "regionCode": region}
        if kind == "complaint":
            complaint = self.uuid()
            county = region[:4] + "02"
            return kind, complaint, {
                "amountInDispute": rng.randrange(1000, 200_000), "caseNumber": f"TS{day.replace('-', '')}{self.serial % 1000000:06d}",
                "category": rng.choice(["product-quality", "false-green-claim", "price-or-discount", "subsidy"]),
                "certificateKnown": False, "channel": rng.choice(["web-form", "hotline-operator", "handover-12315"]),
                "complaintID": complaint, "consumerRef": "%064x" % rng.getrandbits(256), "handlingDivision": county,
                "kind": "complaint", "receivedAt": instant(day, rng), "receivedOn": day, "regionCode": county,
                "respondentKnown": False}
        holder = rng.choice(self.holders[region])
        number = f"CGBM-BENCH-{self.serial:09d}"
        expires = str(int(day[:4]) + 5) + day[4:]
        return "certificate", number, {
            "actorRole": "certification-body", "category": "enclosure-structures-and-concrete",
            "certificateNumber": number, "certificationBasis": "T/CECS 10025-2019",
            "certificationBody": "中国建材检验认证集团股份有限公司", "expiresOn": expires,
            "factoryName": "青岛绿源建材有限公司胶州工厂", "holderCreditCode": holder, "issuedAt": instant(day, rng),
            "issuedOn": day, "manufacturerCreditCode": holder, "model": f"LY-RW{self.serial % 1000}",
            "productName": "岩棉外墙保温板", "starGrade": rng.choice(["one-star", "two-star", "three-star"]),
            "subCategory": "保温系统材料"}


def occurred(payload):
    """The event's time (ce_time): when it happened, as its payload says."""
    for field in ("recordedAt", "submittedAt", "approvedAt", "paidAt", "receivedAt", "issuedAt"):
        if field in payload:
            return payload[field]
    raise KeyError("no time in payload")


def record(kind, key, payload, event_id):
    ce_type, topic, source = TYPES[kind]
    headers = [("ce_id", event_id), ("ce_source", source), ("ce_type", ce_type), ("ce_specversion", "1.0"),
               ("ce_time", occurred(payload)), ("ce_subject", key), ("ce_dataschema", f"urn:gbm:event:{ce_type}"),
               ("content-type", "application/json")]
    value = json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode()
    return topic, key.encode(), value, headers


def check_schemas(events):
    """One payload of each type against its JSON Schema in contracts/schemas (draft 2020-12, formats checked)."""
    import jsonschema
    samples = {}
    for kind in TYPES:
        if kind == "approved":
            samples[kind] = events.approval(events.regions[0], 0)[2]
        else:
            samples[kind] = events.next(kind)[2]
    for kind, payload in samples.items():
        with open(os.path.join(REPO, "contracts", "schemas", TYPES[kind][0] + ".json")) as f:
            schema = json.load(f)
        validator = jsonschema.validators.validator_for(schema)(schema, format_checker=jsonschema.FormatChecker())
        errors = list(validator.iter_errors(payload))
        if errors:
            raise SystemExit(f"{TYPES[kind][0]}: payload does not match its schema: {errors[0].message}")


def consumed_topics():
    """The topics reporting consumes (every topic of the contract but its own), with their partition counts."""
    with open(os.path.join(REPO, "contracts", "topics.json")) as f:
        topics = json.load(f)["topics"]
    return [(t["name"], t["partitions"]) for t in topics if t["owner"] != "reporting"]


def ensure_topics():
    admin = AdminClient({"bootstrap.servers": BROKERS})
    existing = set(admin.list_topics(timeout=30).topics)
    wanted = [NewTopic(name, partitions, 1, config={"min.insync.replicas": "1"})
              for name, partitions in consumed_topics() if name not in existing]
    for name, future in (admin.create_topics(wanted) if wanted else {}).items():
        try:
            future.result()
        except KafkaException as error:
            if "TOPIC_ALREADY_EXISTS" not in str(error):
                raise


def producer(linger_ms=5):
    # As the services' producers: acknowledged by all in-sync replicas, idempotent (their linger.ms is 1).
    return Producer({"bootstrap.servers": BROKERS, "acks": "all", "enable.idempotence": True, "linger.ms": linger_ms,
                     "queue.buffering.max.messages": 200_000})


def send(p, topic, key, value, headers, failures, partition=None):
    def report(error, _message):
        if error is not None:
            failures.append(str(error))
    while True:
        try:
            if partition is None:
                p.produce(topic, value=value, key=key, headers=headers, on_delivery=report)
            else:
                p.produce(topic, value=value, key=key, headers=headers, on_delivery=report, partition=partition)
            return
        except BufferError:
            p.poll(0.05)


def produce(args):
    ensure_topics()
    codes = regions(args.regions)
    events = Events(codes, args.seed)
    check_schemas(events)
    events = Events(codes, args.seed)
    p = producer()
    failures = []
    counts = {}
    started = time.monotonic()
    produced = 0
    # Tansu 0.6 (the local broker) answers a partition's high watermark as the base offset of its last record batch
    # plus one, so a reader that stops at the high watermark (`reporting rebuild`, KafkaTopicReader) misses the rest
    # of that batch. The approvals are sent one record per batch, and every partition of the mix's topics ends with
    # a batch of one record, so every record produced here is below the watermark.
    partitions = dict(consumed_topics())
    tails = [(kind, partition) for kind in ("held", "submitted", "complaint", "certificate")
             for partition in range(partitions[TYPES[kind][1]])]
    if args.approvals:
        for index, code in enumerate(codes):
            kind, key, payload = events.approval(code, index)
            send(p, *record(kind, key, payload, str(uuid.uuid4())), failures)
            p.flush(60)
            counts[kind] = counts.get(kind, 0) + 1
            produced += 1
    while produced < args.count - len(tails):
        kind, key, payload = events.next()
        send(p, *record(kind, key, payload, str(uuid.uuid4())), failures)
        counts[kind] = counts.get(kind, 0) + 1
        produced += 1
        if produced % 1000 == 0:
            p.poll(0)
    p.flush(120)
    for kind, partition in tails:
        kind, key, payload = events.next(kind)
        send(p, *record(kind, key, payload, str(uuid.uuid4())), failures, partition=partition)
        p.flush(60)
        counts[kind] = counts.get(kind, 0) + 1
        produced += 1
    left = p.flush(120)
    seconds = time.monotonic() - started
    print(json.dumps({"produced": produced, "seconds": seconds, "rate": produced / seconds, "failures": len(failures),
                      "unflushed": left, "types": {TYPES[k][0]: n for k, n in counts.items()}, "regions": codes}))
    return 1 if failures or left else 0


def paced(args):
    """ActivityHeld events at a constant rate, each stamped with the moment it was handed to the producer."""
    codes = regions(args.regions)
    events = Events(codes, args.seed)
    p = producer(linger_ms=1)
    failures = []
    count = int(args.rate * args.seconds)
    lines = []
    started = time.monotonic()
    for i in range(count):
        delay = started + i / args.rate - time.monotonic()
        if delay > 0:
            time.sleep(delay)
        kind, key, payload = events.next("held")
        event_id = str(uuid.uuid4())
        topic, k, value, headers = record(kind, key, payload, event_id)
        now = time.time()
        send(p, topic, k, value, headers, failures)
        p.poll(0)
        lines.append(f"{event_id} {key} {now:.6f}\n")
    left = p.flush(60)
    with open(args.out, "w") as f:
        f.writelines(lines)
    seconds = time.monotonic() - started
    print(json.dumps({"produced": count, "seconds": seconds, "rate": count / seconds, "failures": len(failures),
                      "unflushed": left}))
    return 1 if failures or left else 0


def read(args):
    """A consumer group member (librdkafka through confluent-kafka, the services' fetch settings) reading every
    consumed topic from its earliest offset until it has `expect` records; each record's headers and value are
    touched, nothing else is done."""
    topics = [name for name, _ in consumed_topics()]
    consumer = Consumer({
        "bootstrap.servers": BROKERS, "group.id": f"bench-raw-read-{uuid.uuid4()}", "auto.offset.reset": "earliest",
        "enable.auto.commit": False, "session.timeout.ms": int(os.environ.get("GBM_KAFKA_SESSION_TIMEOUT_MS", "6000")),
        "fetch.wait.max.ms": int(os.environ.get("GBM_KAFKA_FETCH_WAIT_MAX_MS", "10")),
        "fetch.error.backoff.ms": int(os.environ.get("GBM_KAFKA_FETCH_ERROR_BACKOFF_MS", "10"))})
    consumer.subscribe(topics)
    started = time.monotonic()
    first = None
    count = 0
    size = 0
    deadline = started + args.timeout
    while count < args.expect and time.monotonic() < deadline:
        for message in consumer.consume(num_messages=10_000, timeout=1.0):
            if message.error():
                continue
            if first is None:
                first = time.monotonic()
            headers = message.headers()
            size += len(message.value()) + len(headers or ())
            count += 1
    finished = time.monotonic()
    consumer.close()
    print(json.dumps({"records": count, "seconds": finished - started, "rate": count / (finished - started),
                      "after_first_seconds": finished - (first or finished),
                      "rate_after_first": count / max(1e-9, finished - (first or finished)), "bytes": size}))
    return 0 if count >= args.expect else 1


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("produce")
    p.add_argument("--count", type=int, required=True, help="events in all, approvals included")
    p.add_argument("--regions", type=int, default=124)
    p.add_argument("--approvals", action="store_true", help="first an approval for each region")
    p.add_argument("--seed", type=int, default=1)
    p = sub.add_parser("paced")
    p.add_argument("--rate", type=float, required=True)
    p.add_argument("--seconds", type=float, required=True)
    p.add_argument("--regions", type=int, default=124)
    p.add_argument("--seed", type=int, default=2)
    p.add_argument("--out", required=True)
    p = sub.add_parser("read")
    p.add_argument("--expect", type=int, required=True)
    p.add_argument("--timeout", type=float, default=600)
    args = parser.parse_args()
    return {"produce": produce, "paced": paced, "read": read}[args.command](args)


if __name__ == "__main__":
    sys.exit(main())
