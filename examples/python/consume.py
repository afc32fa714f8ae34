#!/usr/bin/env python3
"""A partner's consumer of the platform's topics, written only against the published contracts.

It reads records with confluent-kafka (its own bundled librdkafka), turns each into a CloudEvent with the CloudEvents
SDK's Kafka binding (binary content mode: `ce_*` headers, the data in the value) and validates the data against the
event type's JSON Schema in contracts/schemas with the `jsonschema` package. Nothing here is shared with the Swift
services: if this script accepts a topic, a partner's code can.

    examples/python/consume.py --brokers 127.0.0.1:19092                 # every topic in contracts/topics.json
    examples/python/consume.py --brokers … --topic gbm.pilot.regions.v1 --follow
    examples/python/consume.py --brokers … --ids-out ids.tsv --strict    # what deploy/local/restart-check.sh uses

Without --follow it reads each topic from the earliest offset to its end and prints, per topic, how many records it
read, how many were valid CloudEvents whose data matched their schema, and the first problems. --strict exits 1 when
any record is invalid. Install: the packages pinned in deploy/local/infra.sh (it puts them into .local/venv).
"""
import argparse
import json
import os
import sys
import uuid
from collections import Counter, defaultdict

from cloudevents.kafka import KafkaMessage, from_binary
from confluent_kafka import OFFSET_BEGINNING, Consumer, KafkaError, TopicPartition
from jsonschema import Draft202012Validator

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def load_contracts(contracts_dir):
    with open(os.path.join(contracts_dir, "topics.json"), encoding="utf-8") as f:
        topics = json.load(f)["topics"]
    validators = {}
    schema_dir = os.path.join(contracts_dir, "schemas")
    for name in os.listdir(schema_dir):
        if name.endswith(".json"):
            with open(os.path.join(schema_dir, name), encoding="utf-8") as f:
                schema = json.load(f)
            Draft202012Validator.check_schema(schema)
            validators[name[: -len(".json")]] = (schema.get("$id"), Draft202012Validator(schema))
    return topics, validators


def check(record, topic_spec, validators):
    """The problems with one record (empty when it is a valid event of its topic)."""
    headers = {k: v for k, v in (record.headers() or [])}
    try:
        event = from_binary(KafkaMessage(headers=headers, key=record.key(), value=record.value()))
    except Exception as error:  # the SDK's own verdict: not a CloudEvent
        return [f"not a binary-mode CloudEvent: {error}"], None
    problems = []
    attributes = event.get_attributes()
    for required in ("id", "source", "type", "specversion"):
        if not attributes.get(required):
            problems.append(f"missing attribute {required}")
    if attributes.get("specversion") != "1.0":
        problems.append(f"specversion {attributes.get('specversion')!r} is not 1.0")
    event_type = attributes.get("type")
    if topic_spec is not None and event_type not in topic_spec["eventTypes"]:
        problems.append(f"type {event_type} is not declared for topic {record.topic()}")
    if topic_spec is not None and attributes.get("source") != f"/gbm/{topic_spec['owner']}":
        problems.append(f"source {attributes.get('source')} is not the topic's owner {topic_spec['owner']}")
    schema_id, validator = validators.get(event_type, (None, None))
    if validator is None:
        problems.append(f"no schema for type {event_type}")
    else:
        data = event.get_data()
        if isinstance(data, (bytes, bytearray)):
            data = json.loads(data)
        for error in sorted(validator.iter_errors(data), key=lambda e: list(e.path))[:3]:
            path = "/".join(str(p) for p in error.path) or "(root)"
            problems.append(f"data {path}: {error.message}")
        dataschema = attributes.get("dataschema")
        if dataschema is not None and dataschema != schema_id:
            problems.append(f"dataschema {dataschema} is not the schema's $id {schema_id}")
    return problems, attributes


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--brokers", default=os.environ.get("GBM_KAFKA_BROKERS", "127.0.0.1:19092"))
    parser.add_argument("--topic", action="append", help="a topic (repeatable; default: every topic)")
    parser.add_argument("--contracts", default=os.path.join(REPO, "contracts"))
    parser.add_argument("--follow", action="store_true", help="keep reading and print each event")
    parser.add_argument("--ids-out", help="write topic, partition, offset, key, ce_id, ce_type per record (TSV)")
    parser.add_argument("--strict", action="store_true", help="exit 1 when any record is invalid")
    parser.add_argument("--idle-timeout", type=float, default=30.0, help="give up waiting for a partition's end")
    args = parser.parse_args()

    topics, validators = load_contracts(args.contracts)
    by_name = {t["name"]: t for t in topics}
    wanted = args.topic or [t["name"] for t in topics]
    consumer = Consumer({
        "bootstrap.servers": args.brokers,
        "group.id": f"partner-example-{uuid.uuid4()}",  # a group of its own: reads everything, commits nothing
        "enable.auto.commit": False,
        "auto.offset.reset": "earliest",
        "enable.partition.eof": True,
    })
    metadata = consumer.list_topics(timeout=10)
    partitions = []
    for name in wanted:
        if name not in metadata.topics or metadata.topics[name].error is not None:
            print(f"{name}: not on the broker", file=sys.stderr)
            continue
        partitions += [TopicPartition(name, p, OFFSET_BEGINNING) for p in metadata.topics[name].partitions]
    consumer.assign(partitions)

    remaining = {(p.topic, p.partition) for p in partitions}
    counts, invalid, examples = Counter(), Counter(), defaultdict(list)
    ids = open(args.ids_out, "w", encoding="utf-8") if args.ids_out else None
    idle = 0.0
    while args.follow or remaining:
        record = consumer.poll(1.0)
        if record is None:
            idle += 1.0
            if not args.follow and idle >= args.idle_timeout:
                print(f"gave up waiting for the end of {sorted(remaining)}", file=sys.stderr)
                break
            continue
        idle = 0.0
        if record.error():
            if record.error().code() == KafkaError._PARTITION_EOF:
                remaining.discard((record.topic(), record.partition()))
                continue
            raise SystemExit(f"consumer error: {record.error()}")
        counts[record.topic()] += 1
        problems, attributes = check(record, by_name.get(record.topic()), validators)
        if problems:
            invalid[record.topic()] += 1
            if len(examples[record.topic()]) < 3:
                examples[record.topic()].append(f"offset {record.partition()}/{record.offset()}: {'; '.join(problems)}")
        if ids is not None and attributes is not None:
            key = (record.key() or b"").decode("utf-8", "replace")
            ids.write(f"{record.topic()}\t{record.partition()}\t{record.offset()}\t{key}\t{attributes['id']}\t{attributes['type']}\n")
        if args.follow:
            print(json.dumps({"topic": record.topic(), "type": attributes and attributes.get("type"),
                              "subject": attributes and attributes.get("subject"), "problems": problems},
                             ensure_ascii=False), flush=True)
    consumer.close()
    if ids is not None:
        ids.close()

    total = sum(counts.values())
    print(f"{'topic':45} {'records':>8} {'invalid':>8}")
    for name in wanted:
        print(f"{name:45} {counts[name]:>8} {invalid[name]:>8}")
        for line in examples[name]:
            print(f"    {line}")
    print(f"{'total':45} {total:>8} {sum(invalid.values()):>8}")
    if args.strict and sum(invalid.values()) > 0:
        sys.exit(1)


if __name__ == "__main__":
    main()
