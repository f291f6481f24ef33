"""Measurements that run inside a baked project's environment, one per process.

`import MODULE`: seconds importing MODULE takes in this fresh interpreter (start-up excluded).
`records N FAILURE_RATE VALIDATION PACKAGE REPEATS`: median seconds of the generated handler and
of a bare loop on an N-record SQS batch, after checking both give the same response.
`drain N PACKAGE`: seconds to drain N messages from moto's SQS, three ways.
"""

from __future__ import annotations

import hashlib
import importlib
import json
import random
import statistics
import sys
import time
from typing import Any

ORDER = {
    "order_id": "ord-0",
    "customer_id": "cust-1",
    "items": [{"sku": "BOOK-042", "quantity": 2, "unit_price": 12.5}],
    "amount": 25.0,
}


def measure_import(module: str) -> None:
    started = time.perf_counter()
    importlib.import_module(module)
    print(time.perf_counter() - started)


def sqs_event(count: int, failure_rate: float) -> dict[str, Any]:
    """A batch where a seeded share of the records fail: corrupt, invalid or rejected in turn."""
    randomness = random.Random(7)
    failing = [
        '{"order_id": "broken"',
        json.dumps({**ORDER, "items": []}),
        json.dumps({**ORDER, "amount": 1.0}),
    ]
    records = []
    for index in range(count):
        body = (
            failing[index % 3]
            if randomness.random() < failure_rate
            else json.dumps({**ORDER, "order_id": f"ord-{index}"})
        )
        records.append(
            {
                "messageId": f"{index:08d}-0000-4000-8000-000000000000",
                "receiptHandle": "handle",
                "body": body,
                "attributes": {
                    "ApproximateReceiveCount": "1",
                    "SentTimestamp": "1",
                    "SenderId": "x",
                    "ApproximateFirstReceiveTimestamp": "1",
                },
                "messageAttributes": {},
                "md5OfBody": hashlib.md5(body.encode()).hexdigest(),
                "eventSource": "aws:sqs",
                "eventSourceARN": "arn:aws:sqs:eu-west-1:123456789012:queue",
                "awsRegion": "eu-west-1",
            }
        )
    return {"Records": records}


def bare_loop(event: dict[str, Any], validation: str, package: str) -> dict[str, Any]:
    """The same parsing, validation and business rule with no batch utility, logs or metrics."""
    schema = importlib.import_module(f"{package}.schema")
    fulfil = importlib.import_module(f"{package}.orders").fulfil_order
    failures = []
    for record in event["Records"]:
        try:
            if validation == "pydantic":
                order = schema.Order.model_validate_json(record["body"])
            else:
                payload = json.loads(record["body"], parse_float=__import__("decimal").Decimal)
                schema.validate_order(payload)
                order = schema.Order.from_payload(payload)
            fulfil(order)
        except Exception:
            failures.append({"itemIdentifier": record["messageId"]})
    return {"batchItemFailures": failures}


def measure_records(count: int, failure_rate: float, validation: str, package: str, repeats: int) -> None:
    from local.context import LocalLambdaContext

    handler = importlib.import_module(f"{package}.handler").lambda_handler
    event = sqs_event(count, failure_rate)
    context = LocalLambdaContext()
    real_stdout = sys.stdout
    timings: dict[str, list[float]] = {"handler": [], "bare": []}
    responses = {}
    with open("/dev/null", "w") as sink:
        sys.stdout = sink  # logs and EMF metrics go to stdout, as in Lambda; not to the terminal
        try:
            for _ in range(repeats):
                for name, run in (
                    ("handler", lambda: handler(event, context)),
                    ("bare", lambda: bare_loop(event, validation, package)),
                ):
                    started = time.perf_counter()
                    responses[name] = run()
                    timings[name].append(time.perf_counter() - started)
        finally:
            sys.stdout = real_stdout
    assert responses["handler"] == responses["bare"], "the handler and the bare loop disagree"
    print(
        json.dumps(
            {name: statistics.median(values) for name, values in timings.items()}
            | {"failed": len(responses["bare"]["batchItemFailures"])}
        )
    )


def measure_drain(count: int, package: str) -> None:
    """Seconds to drain COUNT messages from moto's SQS: the generated poller (trivial record
    handler), a raw batched receive/delete loop, and a naive one-by-one loop."""
    import boto3
    from local.context import LocalLambdaContext
    from moto.server import ThreadedMotoServer

    handler = importlib.import_module(f"{package}.handler")
    poller = importlib.import_module(f"{package}.poller")
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    try:
        host, port = server.get_host_and_port()
        sqs = boto3.client(
            "sqs",
            endpoint_url=f"http://{host}:{port}",
            region_name="eu-west-1",
            aws_access_key_id="x",
            aws_secret_access_key="x",
        )
        body = json.dumps(ORDER)

        def fresh_queue(name: str) -> str:
            url: str = sqs.create_queue(QueueName=name, Attributes={"VisibilityTimeout": "60"})["QueueUrl"]
            for start in range(0, count, 10):
                sqs.send_message_batch(
                    QueueUrl=url, Entries=[{"Id": str(i), "MessageBody": body} for i in range(min(10, count - start))]
                )
            return url

        def with_poller(url: str) -> int:
            arn = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
            settings = poller.PollerSettings(
                queue_url=url, queue_arn=arn, max_messages=count, wait_time_seconds=0, deadline_margin_ms=0
            )
            handler.record_handler = lambda record: None  # trivial business logic: measure the plumbing
            summary = handler.poll(sqs, settings, LocalLambdaContext(remaining_time_in_millis=10**9))
            return int(summary["deleted"])

        def raw_batched(url: str) -> int:
            deleted = 0
            while messages := sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10).get("Messages", []):
                entries = [{"Id": str(i), "ReceiptHandle": m["ReceiptHandle"]} for i, m in enumerate(messages)]
                deleted += len(sqs.delete_message_batch(QueueUrl=url, Entries=entries).get("Successful", []))
            return deleted

        def naive(url: str) -> int:
            deleted = 0
            while messages := sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=1).get("Messages", []):
                sqs.delete_message(QueueUrl=url, ReceiptHandle=messages[0]["ReceiptHandle"])
                deleted += 1
            return deleted

        results = {}
        for name, drain in (("poller", with_poller), ("raw_batched", raw_batched), ("naive", naive)):
            url = fresh_queue(f"bench-{name}")
            real_stdout = sys.stdout
            with open("/dev/null", "w") as sink:
                sys.stdout = sink
                try:
                    started = time.perf_counter()
                    drained = drain(url)
                    results[name] = time.perf_counter() - started
                finally:
                    sys.stdout = real_stdout
            assert drained == count, f"{name} drained {drained} of {count}"
        print(json.dumps(results))
    finally:
        server.stop()


def main(argv: list[str]) -> None:
    kind = argv[1]
    if kind == "import":
        measure_import(argv[2])
    elif kind == "records":
        measure_records(int(argv[2]), float(argv[3]), argv[4], argv[5], int(argv[6]))
    elif kind == "drain":
        measure_drain(int(argv[2]), argv[3])
    else:
        raise SystemExit(f"unknown probe {kind!r}")


if __name__ == "__main__":
    main(sys.argv)
