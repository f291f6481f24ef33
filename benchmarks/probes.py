"""Measurements that run inside a baked project's environment, one per process.

`import MODULE`: seconds importing MODULE takes in this fresh interpreter (start-up excluded).
`records N FAILURE_RATE VALIDATION PACKAGE REPEATS`: median seconds of the generated handler and
of a bare loop on an N-record SQS batch, after checking both give the same response.
`drain N PACKAGE`: seconds to drain N messages from moto's SQS, three ways.
`io N GROUPS DELAY MODE PACKAGE REPEATS`: median seconds of the generated handler on an N-record
SQS batch (FIFO, in GROUPS interleaved message groups, when GROUPS > 0) whose every record waits
DELAY seconds after the business rule: awaited (MODE async) or blocking (MODE sequential).
`memory N MODE PACKAGE`: RSS before and peak RSS during an N-record Kinesis batch through the
generated handler (MODE generated) or Powertools' own AsyncBatchProcessor (MODE unbounded).
"""

from __future__ import annotations

import asyncio
import base64
import hashlib
import importlib
import json
import os
import random
import statistics
import sys
import time
import warnings
from collections.abc import Callable, Iterator
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


def payloads(count: int, failure_rate: float) -> Iterator[str]:
    """Orders where a seeded share fail: corrupt, invalid or rejected in turn; order i is ord-i."""
    randomness = random.Random(7)
    failing = [
        '{"order_id": "broken"',
        json.dumps({**ORDER, "items": []}),
        json.dumps({**ORDER, "amount": 1.0}),
    ]
    for index in range(count):
        yield (
            failing[index % 3]
            if randomness.random() < failure_rate
            else json.dumps({**ORDER, "order_id": f"ord-{index}"})
        )


def sqs_event(count: int, failure_rate: float, groups: int = 0) -> dict[str, Any]:
    """A batch where a seeded share of the records fail; with groups, a FIFO queue's batch whose
    record i is in message group i % groups."""
    records = []
    for index, body in enumerate(payloads(count, failure_rate)):
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
        if groups:
            records[-1]["attributes"] |= {
                "MessageGroupId": f"group-{index % groups}",
                "MessageDeduplicationId": f"dedup-{index}",
                "SequenceNumber": str(10**19 + index),
            }
            records[-1]["eventSourceARN"] += ".fifo"
    return {"Records": records}


def kinesis_event(count: int, failure_rate: float) -> dict[str, Any]:
    """A Kinesis batch of one shard, the same orders as sqs_event's, base64 in each record's data."""
    records = []
    for index, body in enumerate(payloads(count, failure_rate)):
        sequence = str(49590338271490256608559692538361571095921575989136580011 + index)
        records.append(
            {
                "kinesis": {
                    "kinesisSchemaVersion": "1.0",
                    "partitionKey": f"cust-{index % 50}",
                    "sequenceNumber": sequence,
                    "data": base64.b64encode(body.encode()).decode(),
                    "approximateArrivalTimestamp": 1795694400.233,
                },
                "eventSource": "aws:kinesis",
                "eventVersion": "1.0",
                "eventID": f"shardId-000000000000:{sequence}",
                "eventName": "aws:kinesis:record",
                "invokeIdentityArn": "arn:aws:iam::123456789012:role/bench",
                "awsRegion": "eu-west-1",
                "eventSourceARN": "arn:aws:kinesis:eu-west-1:123456789012:stream/bench",
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


def fulfilment_module(package: str) -> Any:
    """The async project's module of the `fulfil_order` its record handler awaits, which awaits
    `confirm`, the example's downstream call."""
    fulfil_order = importlib.import_module(f"{package}.record_handler").fulfil_order
    return sys.modules[fulfil_order.__module__]


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


class Muted:
    """File descriptor 1 to /dev/null: logs and EMF metrics go to stdout, as in Lambda, and
    Powertools' Logger keeps the sys.stdout it found at import, so swapping sys.stdout would not
    silence it. The warnings raised meanwhile are kept, to be reported."""

    def __enter__(self) -> list[str]:
        sys.stdout.flush()
        self.saved = os.dup(1)
        sink = os.open(os.devnull, os.O_WRONLY)
        os.dup2(sink, 1)
        os.close(sink)
        self.catcher = warnings.catch_warnings(record=True)
        self.caught = self.catcher.__enter__()
        warnings.simplefilter("always")
        self.messages: list[str] = []
        return self.messages

    def __exit__(self, *exc: object) -> None:
        self.messages += sorted({f"{w.category.__name__}: {w.message}" for w in self.caught})
        self.catcher.__exit__(*exc)
        sys.stdout.flush()
        os.dup2(self.saved, 1)
        os.close(self.saved)


def with_delay(package: str, mode: str, delay: float) -> tuple[list[str], Callable[[], int]]:
    """Make each record of the generated handler wait DELAY seconds after the business rule, as
    a call to a downstream service would: the async project's `confirm` (beside its async
    `fulfil_order`) awaits asyncio.sleep; the sequential project's rule is followed by time.sleep.
    The ids of the orders in the order their waits began, and a function giving the most records
    seen waiting at once."""
    started: list[str] = []
    waiting = {"now": 0, "most": 0}
    if mode == "async":
        fulfilment = fulfilment_module(package)

        async def confirm(order_id: str) -> None:
            started.append(order_id)
            waiting["now"] += 1
            waiting["most"] = max(waiting["most"], waiting["now"])
            try:
                await asyncio.sleep(delay)
            finally:
                waiting["now"] -= 1

        fulfilment.confirm = confirm
    else:
        module = importlib.import_module(f"{package}.record_handler")
        rule = module.fulfil_order

        def fulfil_order(order: Any) -> str:
            order_id: str = rule(order)
            started.append(order_id)
            waiting["most"] = 1
            time.sleep(delay)
            return order_id

        module.fulfil_order = fulfil_order
    return started, lambda: waiting["most"]


def measure_io(count: int, groups: int, delay: float, mode: str, package: str, repeats: int) -> None:
    from local.context import LocalLambdaContext

    handler = importlib.import_module(f"{package}.handler").lambda_handler
    started, most_at_once = with_delay(package, mode, delay)
    event = sqs_event(count, 0.0, groups)
    context = LocalLambdaContext(remaining_time_in_millis=10**9)
    timings = []
    with Muted() as caught:
        handler(sqs_event(1, 0.0, groups), context)  # a warm container: the first call's setup is not timed
        for _ in range(repeats):
            started.clear()
            began = time.perf_counter()
            response = handler(event, context)
            timings.append(time.perf_counter() - began)
            assert response == {"batchItemFailures": []}, response
            assert sorted(started) == sorted(f"ord-{index}" for index in range(count)), "records not run once each"
            if groups:  # each message group's records began in the order they came
                for group in range(groups):
                    places = [int(order_id[4:]) for order_id in started if int(order_id[4:]) % groups == group]
                    assert places == sorted(places), f"group {group} ran out of order: {places}"
    print(json.dumps({"seconds": statistics.median(timings), "most_at_once": most_at_once(), "warnings": caught}))


def status_mb(field: str) -> float:
    """A memory figure of this process from /proc/self/status (Linux), in MB."""
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith(f"{field}:"):
                return int(line.split()[1]) / 1024  # kB
    raise LookupError(field)


def measure_memory(count: int, mode: str, package: str) -> None:
    """Peak RSS of one COUNT-record Kinesis batch, in MB: the RSS once the imports and the event
    are in memory, and the peak while the batch runs (VmHWM, its high-water mark reset first).

    Also ru_maxrss, for comparison: a process's ru_maxrss starts at its parent's peak RSS (Linux
    carries it through fork and exec), so in a process spawned by the benchmark script it reads
    that script's peak whenever the batch's own is lower."""
    import gc
    import resource

    from local.context import LocalLambdaContext

    handler = importlib.import_module(f"{package}.handler").lambda_handler
    event = kinesis_event(count, 0.01)
    context = LocalLambdaContext(remaining_time_in_millis=10**9)
    run = lambda: handler(event, context)  # noqa: E731
    if mode == "unbounded":  # Powertools' AsyncBatchProcessor: a task per record, all at once
        from aws_lambda_powertools.utilities.batch import AsyncBatchProcessor, async_process_partial_response

        records = importlib.import_module(f"{package}.records")
        record_handler = importlib.import_module(f"{package}.record_handler").record_handler
        processor = AsyncBatchProcessor(event_type=records.EVENT_TYPE)
        run = lambda: async_process_partial_response(  # noqa: E731
            event=event, record_handler=record_handler, processor=processor, context=context
        )
    gc.collect()
    # The import's own peak (compiling the project's modules, say) is not the batch's.
    with open("/proc/self/clear_refs", "w") as clear:
        clear.write("5")  # resets VmHWM to the current RSS (Linux 4.0+)
    before = status_mb("VmRSS")
    with Muted() as caught:
        began = time.perf_counter()
        response = run()
        seconds = time.perf_counter() - began
    result = {
        "before": before,
        "peak": status_mb("VmHWM"),
        "ru_maxrss": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,  # kB on Linux
        "seconds": seconds,
        "failed": len(response["batchItemFailures"]),
        "warnings": caught,
    }
    print(json.dumps(result))


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
    elif kind == "io":
        measure_io(int(argv[2]), int(argv[3]), float(argv[4]), argv[5], argv[6], int(argv[7]))
    elif kind == "memory":
        measure_memory(int(argv[2]), argv[3], argv[4])
    else:
        raise SystemExit(f"unknown probe {kind!r}")


if __name__ == "__main__":
    main(sys.argv)
