{% import "shared/local/checkpoint.py" as pieces -%}
"""Lambda's Kafka event source mapping, played on this machine with the cluster it reads (there
is no broker here: a topic is a list of records per partition, in memory).

- The demo's records are keyed by customer, and each key has its partition (PARTITION_OF): the
  records of one customer stay in order on one partition, the two partitions go on apart.
- Each invocation gets up to BatchSize records, the oldest not yet committed of each partition in
  turn (a batch may hold several partitions), as Lambda's Kafka event: `records` by
  `<topic>-<partition>`, each value and key base64, each header a list of byte values.
- Every partition of the batch moves on its own, by Checkpoint's rules (the streams' shard rules,
  local/shards.py in a stream project): committed up to its lowest failed offset in
  batchItemFailures, delivered again from there; an itemIdentifier that names no record of the
  batch, or an invocation that raised, fails the whole batch.
- The invocation raised and BisectBatchOnFunctionError is on: the batch is split and its first
  half tried alone, which counts as no retry.
- The record a partition waits at failed 1 + MaximumRetryAttempts times: the records of its batch
  from it on are given up. The OnFailure queue gets one message per invocation that gave up
  records, with KafkaBatchInfo's recordsInfo naming each partition's first and last offset (not
  the records, which stay readable in the topic), and the partition moves on.

MaximumRecordAgeInSeconds is not played: the demo's records are seconds old. Neither are
consumer groups, rebalancing, StartingPosition (every record is produced after the mapping
starts) or the provisioned pollers' concurrency: one batch at a time.
"""

import base64
import json
import time
import uuid
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from typing import Any, Protocol

from .demo import DEAD_LETTERED, PROCESSED, DemoOrder, Fate, Trace, labels
from .resources import Resources, queue_messages
from .runtime_api import LocalFunction
from .template import as_list, mapped_source, mapping_of, on_failure, resource_name

{{ pieces.records() }}


{{ pieces.checkpoint() }}


# The demo's records by customer key, and the partition each key goes to (Kafka's producer hashes
# the key; here the table says it): c-2's orders are the transient failure and good-3, c-1's the
# rest.
CUSTOMER_OF = {
    "good-1": "c-1",
    "corrupt": "c-1",
    "good-2": "c-1",
    "invalid": "c-1",
    "transient": "c-2",
    "rejected": "c-1",
    "good-3": "c-2",
}
PARTITION_OF = {"c-1": 0, "c-2": 1}
PARTITIONS = 2
# What the event names when {{ facts.stack }} leaves it to the deploy (a parameter without a
# default): the topic, the servers, the MSK cluster.
DEFAULT_TOPIC = "orders"
BOOTSTRAP_SERVERS = "localhost:9092"
LOCAL_CLUSTER_ARN = "arn:aws:kafka:us-east-1:123456789012:cluster/local/0000-local-1"
# The most retries Lambda makes when MaximumRetryAttempts is -1 (infinite) and an on-failure
# destination is set (AWS Lambda docs, Kafka on-failure destinations).
RETRIES_WITH_DESTINATION = 10


class PartitionLog:
    """One partition of the topic: its records in offset order, and how far the mapping has
    fetched (Checkpoint reads it as a shard)."""

    def __init__(self, topic: str, partition: int) -> None:
        self.topic = topic
        self.partition = partition
        self.records: list[Record] = []
        self.fetched = 0

    @property
    def name(self) -> str:
        """As the event's `records` and batchItemFailures name it: `<topic>-<partition>`."""
        return f"{self.topic}-{self.partition}"

    def produce(self, key: str, value: bytes) -> Record:
        """Append a record, shaped as in Lambda's event; it gets the next offset."""
        record: Record = {
            "topic": self.topic,
            "partition": self.partition,
            "offset": len(self.records),
            "timestamp": int(time.time() * 1000),
            "timestampType": "CREATE_TIME",
            "key": base64.b64encode(key.encode()).decode("ascii"),
            "value": base64.b64encode(value).decode("ascii"),
            "headers": [{"content-type": list(b"application/json")}],
        }
        self.records.append(record)
        return record

    def read(self, limit: int) -> list[Record]:
        fetched = self.records[self.fetched : self.fetched + limit]
        self.fetched += len(fetched)
        return fetched

    def sequence_number(self, record: Record) -> str:
        return str(record["offset"])


class PartitionMapping:
    """One partition's checkpoint (its committed offset), and the trace of the batches it was in."""

    def __init__(self, log: PartitionLog, mapping: "Mapping") -> None:
        self.log = log
        self.mapping = mapping
        # Bisection splits the whole batch, which may span partitions: Mapping does it.
        self.checkpoint = Checkpoint(self, replace(mapping.settings, bisect=False))
        self.stretch: Stretch | None = None

    def read(self, limit: int) -> list[Record]:
        return self.log.read(limit)

    def sequence_number(self, record: Record) -> str:
        return self.log.sequence_number(record)

    def delivered(self, batch: list[Record]) -> None:
        """The records of this partition the invocation got."""
        fates = [self.mapping.fate(record) for record in batch]
        self.stretch = self.stretch or Stretch(fates[0].message.label)
        self.stretch.invocations += 1
        for fate in fates:
            fate.deliveries = (fate.deliveries or 0) + 1

    def settle(self, batch: list[Record], failed: set[int], function_error: bool) -> Settled:
        """Commit by the answer: the offsets of this partition reported failed, or an error."""
        response = {"batchItemFailures": [{"itemIdentifier": str(offset)} for offset in failed]}
        settled = self.checkpoint.settle(batch, response, function_error=function_error)
        stretch = self.stretch
        for fate in map(self.mapping.fate, settled.succeeded):
            fate.successes = (fate.successes or 0) + 1
            if stretch is not None and fate not in stretch.ok:
                stretch.ok.append(fate)
        for fate in map(self.mapping.fate, settled.passed):
            if not fate.ended:
                fate.ended, fate.detail = PROCESSED, "committed past it"
        if settled.given_up:
            given_up = [self.mapping.fate(record) for record in settled.given_up]
            self.close_stretch(
                f"{given_up[0].message.label} failed {settled.tries} times -> gave up "
                f"{labels(given_up)}; {self.mapping.dead_letter_queue} gets their offsets"
            )
        elif settled.failed is None:
            last = self.mapping.fate(batch[-1])
            self.close_stretch(f"all ok -> committed past {last.message.label}")
        elif settled.passed:
            failed_fate = self.mapping.fate(settled.failed)
            self.close_stretch(f"{failed_fate.message.label} failed -> committed up to it")
        return settled

    def close_stretch(self, outcome: str) -> None:
        stretch, self.stretch = self.stretch, None
        if stretch is None:
            return
        bisected = f", {stretch.bisections} bisected" if stretch.bisections else ""
        count = f"{stretch.invocations} invocation{'s' if stretch.invocations > 1 else ''}"
        self.mapping.trace(
            f"{self.log.name} from {stretch.start}: {count}{bisected}; ok: {labels(stretch.ok)}"
        )
        self.mapping.trace.more(outcome)


def iso_time(epoch_milliseconds: int) -> str:
    moment = datetime.fromtimestamp(epoch_milliseconds / 1000, UTC)
    return moment.isoformat(timespec="milliseconds")[:-6] + "Z"


def settings_of(properties: dict[str, Any]) -> StreamSettings:
    """The event's settings, with Lambda's defaults (BatchSize 100, no bisection, infinite
    retries: at most RETRIES_WITH_DESTINATION with the on-failure destination it needs)."""
    settings = StreamSettings.of(properties)
    if settings.max_retries < 0:
        settings = replace(settings, max_retries=RETRIES_WITH_DESTINATION)
    return settings


class Mapping:
    """The function's Kafka event: the topic it reads, its partitions, and the records produced."""

    def __init__(
        self, resources: Resources, function: str, trace: Trace, visibility_timeout: int
    ) -> None:
        template = resources.template
        kind, event = mapping_of(template, function, "MSK", "SelfManagedKafka")
        dead_letter_queue = resource_name(template, on_failure(event))
        if dead_letter_queue is None:
            raise LookupError("the OnFailure destination is no queue of {{ facts.stack }}")
        self.resources = resources
        self.trace = trace
        self.settings = settings_of(event)
        self.size = self.settings.batch_size  # of the next batch: less after a bisection
        self.self_managed = kind == "SelfManagedKafka"
        self.cluster_arn: str | None = None
        if not self.self_managed:
            self.cluster_arn = str(self.value(mapped_source(event)) or LOCAL_CLUSTER_ARN)
        topics = event.get("Topics") or [DEFAULT_TOPIC]
        self.topic = str(self.value(topics[0]) or DEFAULT_TOPIC)
        # A self-managed cluster's brokers: a list, or a comma-separated parameter's default.
        brokers = self.value(mapped_source(event)) if self.self_managed else None
        servers = as_list(brokers) if brokers else [BOOTSTRAP_SERVERS]
        self.bootstrap_servers = ",".join(str(server) for server in servers)
        self.sqs = resources.sqs()
        self.dead_letter_queue = dead_letter_queue
        self.dlq_url = resources.values[dead_letter_queue]
        self.fates: dict[str, Fate] = {}
        self.partitions = [
            PartitionMapping(PartitionLog(self.topic, n), self) for n in range(PARTITIONS)
        ]
        self.setup = [
            f"topic {self.topic} ({PARTITIONS} partitions, in memory) from "
            f"{event.get('StartingPosition', 'TRIM_HORIZON')}: BatchSize "
            f"{self.settings.batch_size}, MaximumRetryAttempts {self.settings.max_retries}"
            + (", BisectBatchOnFunctionError" if self.settings.bisect else "")
            + (", ReportBatchItemFailures" if self.settings.reports_failures else "")
            + f", OnFailure -> {dead_letter_queue}",
        ]

    def value(self, value: Any) -> Any:
        """A property's value resolved locally; None for what only a deploy knows (a parameter
        without a default)."""
        try:
            return self.resources.resolve(value)
        except LookupError:
            return None

    def send(self, mix: list[DemoOrder]) -> None:
        """Produce each order to its customer's partition, in order."""
        for message in mix:
            customer = CUSTOMER_OF.get(message.label, "c-1")
            log = self.partitions[PARTITION_OF[customer]].log
            # The order names the customer its key does (a corrupt one stays as it is).
            value = message.as_text()
            if message.order is not None:
                value = json.dumps({**message.order, "customer_id": customer})
            record = log.produce(customer, value.encode())
            self.fates[self.place(record)] = Fate(message)
        for partition in self.partitions:
            fates = [self.fate(record) for record in partition.log.records]
            self.trace(f"produced to {partition.log.name}: {labels(fates)}")

    @staticmethod
    def place(record: Record) -> str:
        return f"{record['topic']}-{record['partition']}@{record['offset']}"

    def fate(self, record: Record) -> Fate:
        return self.fates[self.place(record)]

    def settled(self) -> bool:
        return all(fate.ended for fate in self.fates.values())

    def next_batch(self) -> list[tuple[PartitionMapping, list[Record]]]:
        """Up to the batch size, from each partition's checkpoint in turn."""
        batch: list[tuple[PartitionMapping, list[Record]]] = []
        room = self.size
        for partition in self.partitions:
            records = partition.checkpoint.next_batch()[:room]
            if records:
                batch.append((partition, records))
                room -= len(records)
            if room == 0:
                break
        return batch

    def event(self, batch: list[tuple[PartitionMapping, list[Record]]]) -> dict[str, Any]:
        """The batch as Lambda's Kafka event."""
        source: dict[str, Any] = {"eventSource": "SelfManagedKafka"}
        if not self.self_managed:
            source = {"eventSource": "aws:kafka", "eventSourceArn": self.cluster_arn}
        records = {partition.log.name: records for partition, records in batch}
        return {**source, "bootstrapServers": self.bootstrap_servers, "records": records}

    def turn(self, function: LocalFunction) -> None:
        """One invocation with the next batch, if there is one, and what its answer commits."""
        batch = self.next_batch()
        if not batch:
            time.sleep(0.05)
            return
        for partition, records in batch:
            partition.delivered(records)
        answer = function.invoke(self.event(batch))
        function_error = answer.error is not None
        size = sum(len(records) for _, records in batch)
        if function_error and self.settings.bisect and size > 1:
            self.size = size // 2
            for partition, _ in batch:
                if partition.stretch is not None:
                    partition.stretch.bisections += 1
            return
        self.size = self.settings.batch_size
        failed = self.reported(batch, answer.response)
        given_up: list[tuple[PartitionMapping, Settled]] = []
        for partition, records in batch:
            settled = partition.settle(
                records, failed.get(partition.log.name, set()), function_error
            )
            if settled.given_up:
                given_up.append((partition, settled))
        if given_up:
            self.on_failure(given_up, function, function_error)

    def reported(
        self, batch: list[tuple[PartitionMapping, list[Record]]], response: Any
    ) -> dict[str, set[int]]:
        """The offsets the response reports failed, by partition, by Lambda's rules: none for no
        response or an empty list; all for an identifier that names no record of this batch."""
        offsets = {
            partition.log.name: {int(record["offset"]) for record in records}
            for partition, records in batch
        }
        if not self.settings.reports_failures or not response:
            return {}
        if not isinstance(response, dict):
            return offsets
        items = response.get("batchItemFailures")
        if not items:
            return {}
        if not isinstance(items, list):
            return offsets
        failed: dict[str, set[int]] = {}
        for item in items:
            identifier = item.get("itemIdentifier") if isinstance(item, dict) else None
            if not isinstance(identifier, dict):
                return offsets
            name, offset = identifier.get("partition"), identifier.get("offset")
            if not isinstance(offset, int) or offset not in offsets.get(str(name), set()):
                return offsets
            failed.setdefault(str(name), set()).add(offset)
        return failed

    def on_failure(
        self,
        given_up: list[tuple[PartitionMapping, Settled]],
        function: LocalFunction,
        function_error: bool,
    ) -> None:
        """Describe what an invocation gave up in one message to the OnFailure queue, as Lambda
        does for an SQS destination (KafkaBatchInfo: each partition's first and last offset);
        mark the records its ranges cover, as read back from the queue."""
        records_info = {
            partition.log.name: {
                "firstRecordOffset": str(settled.given_up[0]["offset"]),
                "lastRecordOffset": str(settled.given_up[-1]["offset"]),
                "firstRecordTimestamp": iso_time(settled.given_up[0]["timestamp"]),
                "lastRecordTimestamp": iso_time(settled.given_up[-1]["timestamp"]),
            }
            for partition, settled in given_up
        }
        given = [record for _, settled in given_up for record in settled.given_up]
        batch_info: dict[str, Any] = {
            "batchSize": len(given),
            "bootstrapServers": self.bootstrap_servers,
            "payloadSize": len(json.dumps(given)),
            "recordsInfo": records_info,
        }
        if self.cluster_arn is not None:
            batch_info["eventSourceArn"] = self.cluster_arn
        message = {
            "requestContext": {
                "requestId": str(uuid.uuid4()),
                "functionArn": function.arn,
                "condition": "RetryAttemptsExhausted",
                "approximateInvokeCount": max(settled.tries for _, settled in given_up),
            },
            "responseContext": {
                "statusCode": 200,
                "executedVersion": "$LATEST",
                **({"functionError": "Unhandled"} if function_error else {}),
            },
            "version": "1.0",
            "timestamp": iso_time(int(time.time() * 1000)),
            "KafkaBatchInfo": batch_info,
        }
        self.sqs.send_message(QueueUrl=self.dlq_url, MessageBody=json.dumps(message))
        for sent in queue_messages(self.sqs, self.dlq_url):
            info = json.loads(sent["Body"])["KafkaBatchInfo"]["recordsInfo"]
            for partition in self.partitions:
                if partition.log.name not in info:
                    continue
                first = int(info[partition.log.name]["firstRecordOffset"])
                last = int(info[partition.log.name]["lastRecordOffset"])
                for record in partition.log.records[first : last + 1]:
                    fate = self.fate(record)
                    fate.ended = DEAD_LETTERED
                    fate.detail = "in the offsets an OnFailure message names"
