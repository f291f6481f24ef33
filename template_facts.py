"""Every fact the template derives from the answers, computed once, in one place.

Read by the Jinja of every file (as `source` and `facts`, through FactsExtension, which
cookiecutter.json's `_extensions` loads), by the hooks (as JSON data cookiecutter renders into
them) and by the template's own tests (which import this module). The tables are plain data and
the functions standard library only; jinja2 is imported only for the extension, where
cookiecutter is running anyway.

- SOURCES: one row per event source. A new source is a row here, a choice in cookiecutter.json
  and a folder `templates/sources/<name>/` (see CONTRIBUTING.md).
- derive(): the facts of one combination of answers (which processor, which ordering rule, ...).
- markers(): which variant files a combination keeps. A file named `stem.<marker>.ext` in the
  project template is kept as `stem.ext` when its marker is true and removed when false; the
  post-generation hook prunes by it (rendered into the hook as JSON) and the bake test expects
  by it.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

TEMPLATES = Path(__file__).resolve().parent / "templates"


@dataclass(frozen=True)
class Lag:
    """How far the function is behind its source, as CloudWatch measures it: what the dashboard
    graphs beside the DLQ's depth, and what SourceLagAlarm watches."""

    namespace: str
    metric: str
    # The metric's dimension, and what it names, as an Fn::Sub variable: a resource's attribute
    # ("SourceQueue.QueueName") or its Ref ("ProcessorFunction").
    dimension: str
    resource: str
    # The metric's unit as prose says it ("seconds"), and the dashboard's title of its graph.
    unit: str
    title: str
    # The README's words for the dashboard's graph of it, and for SourceLagAlarm's condition: a
    # format of {duration} (the threshold as prose), {records} and {minutes} (the alarm's time).
    graphed: str
    late: str
    # The 5-minute periods the alarm's datapoints must stay above the threshold.
    periods: int = 1

    @property
    def sam_value(self) -> str:
        """The dimension's value as template.yaml writes it: !GetAtt or !Ref."""
        return f"!GetAtt {self.resource}" if "." in self.resource else f"!Ref {self.resource}"

    def summary(self, threshold: int) -> str:
        """The README's words for SourceLagAlarm: what is late, by how much."""
        seconds = threshold // 1000 if self.unit == "milliseconds" else threshold
        return self.late.format(duration=duration(seconds), records=f"{threshold:,}", minutes=5 * self.periods)


def duration(seconds: int) -> str:
    """A whole number of hours or minutes as prose: "an hour", "48 hours", "30 minutes"."""
    if seconds == 3_600:
        return "an hour"
    if seconds % 3_600 == 0 and seconds > 3_600:
        return f"{seconds // 3_600} hours"
    return f"{seconds // 60} minutes"


# The age of the oldest message of SourceQueue (the queue sources and the poller).
QUEUE_AGE = Lag(
    namespace="AWS/SQS",
    metric="ApproximateAgeOfOldestMessage",
    dimension="QueueName",
    resource="SourceQueue.QueueName",
    unit="seconds",
    title="Age of the oldest message in the source queue (seconds)",
    graphed="the age of the source queue's oldest message",
    late="the oldest message in the source queue has waited over {duration}",
)
# The age of the last record of each batch when the function finished it (Kinesis, DynamoDB).
ITERATOR_AGE = Lag(
    namespace="AWS/Lambda",
    metric="IteratorAge",
    dimension="FunctionName",
    resource="ProcessorFunction",
    unit="milliseconds",
    title="Iterator age: the last record of each batch (milliseconds)",
    graphed="how late the records reach the function (`IteratorAge`)",
    late="records reach the function over {duration} after they were written",
)
# How many records of the topic the consumer group has not processed yet (Kafka): a count, not
# an age, so the alarm waits for it to stay high.
OFFSET_LAG = Lag(
    namespace="AWS/Lambda",
    metric="OffsetLag",
    dimension="FunctionName",
    resource="ProcessorFunction",
    unit="records",
    title="Offset lag: records of the topic not processed yet",
    graphed="how far the consumer group lags behind the topic (`OffsetLag`)",
    late="the consumer group stays over {records} records behind the topic for {minutes} minutes",
    periods=3,
)


@dataclass(frozen=True)
class Source:
    """What the template knows of one event source."""

    name: str
    # queue (SQS), topic_to_queue (SNS fanned out to an SQS queue), stream (shards) or kafka
    # (a topic's partitions, read by a consumer group).
    family: str
    # Whether the source delivers in an order that a failure must not break.
    ordered: bool
    # Powertools' EventType member, and where a record keeps the id batchItemFailures names
    # (None: the id is made of several keys, and the source's records.py says how).
    event_type: str
    record_id: str | None
    # Powertools' parser model of one record: what a processor's model= takes.
    model: str
    # The BatchSize AWS accepts on this source's event source mapping.
    batch_size: tuple[int, int]
    # What one unit of the source is called in prose ("message", "record").
    item: str
    # Prose: what the function consumes ("an SQS queue"), and a short label ("an SQS FIFO queue").
    consumes: str
    label: str
    # The resources template.yaml declares for the source: logical id -> CloudFormation type.
    resources: Mapping[str, str]
    # The `sam local generate-event` service and event whose records the sample events match
    # (None: SAM has none, as for Kafka; the project's tests check them against Powertools' model
    # of the event, `event_model`).
    aws_sample: tuple[str, str] | None
    # The type of its event in template.yaml (SAM's name for its event source mapping), and the
    # ARN that mapping reads (and the function's role may read), as template.yaml writes it.
    sam_event: str
    read_arn: str
    # How far the function is behind the source (the dashboard's graph, SourceLagAlarm's metric).
    lag: Lag
    # Why the scheduled poller cannot read this source; None: it can.
    not_pollable: str | None = None
    sample_events: tuple[str, ...] = ("all_good", "mixed", "all_failed")
    # The payload arrives decoded (a DynamoDB image), not as JSON text: the schema reads an item.
    decoded_payload: bool = False
    # The processor per on_first_failure answer, and the rule it applies after a failed record:
    # stop (it and every later record reported), group (the rest of its message group),
    # continue (later records run).
    processors: Mapping[str, str] = field(
        default_factory=lambda: {"stop": "BatchProcessor", "continue": "BatchProcessor"}
    )
    orderings: Mapping[str, str] = field(default_factory=lambda: {"stop": "continue", "continue": "continue"})
    # The event holds its records in a map of lists by topic-partition (`records`, Kafka), not
    # in a `Records` list.
    records_by_partition: bool = False
    # Powertools' parser model of the whole event, where the sample events are checked against it.
    event_model: str | None = None
    # What prose calls the set of records a failure stops the rest of, with the group rule (SQS
    # FIFO's message group, a Kafka partition); None: it has no such rule.
    group_noun: str | None = None
    # Why its records cannot run concurrently (concurrency=async) when on_first_failure is stop;
    # None: they can.
    stop_not_concurrent: str | None = None
    # How the operations tooling (ops/) brings failed records back once their cause is fixed, and
    # the folder of its pieces (templates/recoveries/<name>/): redrive (the DLQ holds the messages
    # as they were: moved back to the queue), replay (it names stream ranges: read again and sent
    # to the function) or offsets (it names a topic's offsets: produced again by hand).
    recovery: str = "redrive"

    @property
    def stream(self) -> bool:
        return self.family == "stream"

    @property
    def dir(self) -> str:
        """Its folder of template pieces, as Jinja names it."""
        return f"sources/{self.name}"

    def part(self, name: str) -> str:
        """The Jinja name of one of its pieces: `{% extends source.part("README.md") %}`."""
        return f"{self.dir}/{name}"

    @property
    def grouped(self) -> bool:
        """Its records carry message groups, each kept in order on its own (SQS FIFO)."""
        return "group" in self.orderings.values()


# What the sources whose records are SQS messages share: the record, its id, the queue read.
SQS_MESSAGES: dict[str, Any] = {
    "event_type": "SQS",
    "record_id": "messageId",
    "model": "SqsRecordModel",
    "aws_sample": ("sqs", "receive-message"),
    "sam_event": "SQS",
    "read_arn": "!GetAtt SourceQueue.Arn",
    "lag": QUEUE_AGE,
    "recovery": "redrive",
}
# What the stream sources share: a shard's order, kept by the template's OrderedStreamProcessor
# (stop) or given up for Powertools' BatchProcessor (continue; Lambda delivers the rest again),
# and how late the mapping reads the shards.
SHARD_ORDER: dict[str, Any] = {
    "lag": ITERATOR_AGE,
    "stop_not_concurrent": (
        "Lambda delivers a shard again from its lowest failed sequence number, so the later records "
        "that ran beside the failed one would run twice"
    ),
    "recovery": "replay",
    "processors": {"stop": "OrderedStreamProcessor", "continue": "BatchProcessor"},
    "orderings": {"stop": "stop", "continue": "continue"},
}

# The processors the template writes itself, where Powertools has none that keeps the order:
# each is templates/processors/<name>.py, generated as ordered_processor.py.
OWN_PROCESSORS = frozenset({"OrderedStreamProcessor", "OrderedPartitionProcessor"})
# What the Kafka sources share: the record (a base64 value at a topic-partition's offset), a
# partition's order, kept by the template's OrderedPartitionProcessor (stop: the rest of the
# failed partition, as a FIFO group) or given up for BatchProcessor (continue), the
# on-failure destination the mapping sends a given-up batch's place to, and the lag, a count.
KAFKA_RECORDS: dict[str, Any] = {
    "family": "kafka",
    "ordered": True,
    "event_type": "Kafka",
    "record_id": None,
    "model": "KafkaRecordModel",
    "batch_size": (1, 10_000),
    "item": "record",
    "resources": {"DeadLetterQueue": "AWS::SQS::Queue"},
    "not_pollable": "a Kafka topic is read by a consumer group, not by receiving messages",
    "processors": {"stop": "OrderedPartitionProcessor", "continue": "BatchProcessor"},
    "orderings": {"stop": "group", "continue": "continue"},
    "records_by_partition": True,
    "group_noun": "partition",
    "lag": OFFSET_LAG,
    "recovery": "offsets",
}

SOURCES: dict[str, Source] = {
    source.name: source
    for source in (
        Source(
            name="sqs",
            family="queue",
            ordered=False,
            **SQS_MESSAGES,
            batch_size=(1, 10_000),
            item="message",
            consumes="an SQS queue",
            label="SQS",
            resources={"SourceQueue": "AWS::SQS::Queue", "DeadLetterQueue": "AWS::SQS::Queue"},
        ),
        Source(
            name="sqs_fifo",
            family="queue",
            ordered=True,
            **SQS_MESSAGES,
            batch_size=(1, 10),
            item="message",
            consumes="an SQS FIFO queue",
            label="an SQS FIFO queue",
            resources={"SourceQueue": "AWS::SQS::Queue", "DeadLetterQueue": "AWS::SQS::Queue"},
            not_pollable="receiving from a FIFO queue by hand would need its group ordering rebuilt",
            stop_not_concurrent=(
                "the first failure stops the whole batch, so no message may start before the ones ahead "
                "of it end (with continue, the message groups run concurrently)"
            ),
            processors={"stop": "SqsFifoPartialProcessor", "continue": "SqsFifoPartialProcessor"},
            orderings={"stop": "stop", "continue": "group"},
            group_noun="message group",
        ),
        Source(
            name="sns_sqs",
            family="topic_to_queue",
            ordered=False,
            **SQS_MESSAGES,
            batch_size=(1, 10_000),
            item="message",
            consumes="an SNS topic, through the SQS queue subscribed to it",
            label="SNS through SQS",
            resources={
                "SourceQueue": "AWS::SQS::Queue",
                "DeadLetterQueue": "AWS::SQS::Queue",
                "SourceTopic": "AWS::SNS::Topic",
                "SourceSubscription": "AWS::SNS::Subscription",
                "SourceQueuePolicy": "AWS::SQS::QueuePolicy",
                "EventsKey": "AWS::KMS::Key",
            },
            not_pollable="its queue's messages arrive in SNS envelopes the poller does not unwrap",
        ),
        Source(
            name="kinesis",
            family="stream",
            ordered=True,
            event_type="KinesisDataStreams",
            record_id="kinesis.sequenceNumber",
            model="KinesisDataStreamRecord",
            batch_size=(1, 10_000),
            item="record",
            consumes="a Kinesis data stream",
            label="a Kinesis stream",
            resources={"SourceStream": "AWS::Kinesis::Stream", "DeadLetterQueue": "AWS::SQS::Queue"},
            aws_sample=("kinesis", "get-records"),
            sam_event="Kinesis",
            read_arn="!GetAtt SourceStream.Arn",
            not_pollable="a stream is read through shard iterators, not by receiving messages",
            **SHARD_ORDER,
        ),
        Source(
            name="dynamodb",
            family="stream",
            ordered=True,
            event_type="DynamoDBStreams",
            record_id="dynamodb.SequenceNumber",
            model="DynamoDBStreamRecordModel",
            batch_size=(1, 10_000),
            item="record",
            consumes="the stream of a DynamoDB table of orders",
            label="a DynamoDB stream",
            resources={"SourceTable": "AWS::DynamoDB::Table", "DeadLetterQueue": "AWS::SQS::Queue"},
            aws_sample=("dynamodb", "update"),
            sam_event="DynamoDB",
            read_arn="!GetAtt SourceTable.StreamArn",
            not_pollable="a table's stream is read through shard iterators, not by receiving messages",
            decoded_payload=True,
            **SHARD_ORDER,
        ),
        Source(
            name="msk",
            consumes="a topic of an Amazon MSK cluster",
            label="Amazon MSK",
            aws_sample=None,
            event_model="KafkaMskEventModel",
            sam_event="MSK",
            read_arn="!Ref KafkaClusterArn",
            **KAFKA_RECORDS,
        ),
        Source(
            name="self_managed_kafka",
            consumes="a topic of a self-managed Apache Kafka cluster",
            label="self-managed Apache Kafka",
            aws_sample=None,
            event_model="KafkaSelfManagedEventModel",
            sam_event="SelfManagedKafka",
            read_arn="!Ref KafkaSecretArn",
            **KAFKA_RECORDS,
        ),
    )
}

# What `make local` makes on moto (local/resources.py), by CloudFormation type: encryption keys,
# policies and the like are not simulated.
MADE_ON_MOTO = frozenset(
    {
        "AWS::SQS::Queue",
        "AWS::SNS::Topic",
        "AWS::SNS::Subscription",
        "AWS::Kinesis::Stream",
        "AWS::DynamoDB::Table",
        "AWS::Logs::LogGroup",
    }
)
# What every stack declares beside the source's resources, that `make local` makes too: the log
# group the function writes to, where `make failures` reads why records failed.
FUNCTION_RESOURCES = {"ProcessorLogGroup": "AWS::Logs::LogGroup"}
IDEMPOTENCY_RESOURCES = {"IdempotencyTable": "AWS::DynamoDB::Table"}


@dataclass(frozen=True)
class Concurrency:
    """How the records of a batch run: one after another, or concurrently on an event loop."""

    name: str
    # Powertools' function that runs a batch and answers with its partial response, and the
    # processor's method a handler calls inside `with processor(...)`.
    partial_response: str
    process: str
    # The processor type partial_response takes.
    processor_type: str
    # How the record handler is defined, and how its call of the business logic reads.
    define: str
    call: str
    # Where a record's handling looks the business rule up (module.name in the package), but with
    # idempotency (see Facts.rule).
    rule: str

    def part(self, piece: str) -> str:
        """The Jinja name of one of its pieces: templates/concurrencies/<name>/<piece>."""
        return f"concurrencies/{self.name}/{piece}"


CONCURRENCIES = {
    "sequential": Concurrency(
        name="sequential",
        partial_response="process_partial_response",
        process="process",
        processor_type="BasePartialBatchProcessor",
        define="def",
        call="",
        rule="record_handler.fulfil_order",
    ),
    "async": Concurrency(
        name="async",
        partial_response="async_process_partial_response",
        process="async_process",
        processor_type="AsyncBatchProcessor",
        define="async def",
        call="await ",
        rule="order_fulfilment.apply_rule",
    ),
}
# How many records of a batch run at once with concurrency=async, at most: the function's
# CONCURRENCY_LIMIT, which the IaC sets to this or the batch size if smaller. boto3's clients keep
# 10 connections per host (max_pool_connections), and the thread pool of blocking calls as many.
CONCURRENCY_LIMIT = 10
# The processor of concurrency=async, the template's own (concurrent_processor.py): Powertools'
# AsyncBatchProcessor with a bound on the records run at once and each group kept in order.
CONCURRENT_PROCESSOR = "ConcurrentBatchProcessor"


@dataclass(frozen=True)
class Choice:
    """One answer whose variants differ by pieces under templates/<kind>/<name>/: the invocation,
    the ordering rule, the batch style."""

    kind: str
    name: str

    def part(self, piece: str) -> str:
        """The Jinja name of one of its pieces: `{% include invocation.part("processor.py") %}`."""
        return f"{self.kind}/{self.name}/{piece}"


@dataclass(frozen=True)
class Facts:
    """The facts of one combination of answers."""

    answers: Mapping[str, Any]
    source: Source

    @property
    def polled(self) -> bool:
        """A schedule starts the function, which receives from the queue itself."""
        return bool(self.answers["invocation"] == "scheduled_poll")

    @property
    def stream(self) -> bool:
        return self.source.stream

    @property
    def trigger(self) -> str:
        """What starts the function, as prose: what `make local` plays (local/mapping.py)."""
        if not self.polled:
            return "the event source mapping"
        return "the schedule and the drain state machine" if self.drained else "the schedule"

    @property
    def sample_event(self) -> str:
        """The event `make invoke` runs the handler on by default."""
        return "events/schedule.json" if self.polled else "events/mixed.json"

    @property
    def scheduler(self) -> Choice:
        """What starts the poller on its schedule, whose pieces are under templates/schedulers/<name>/:
        EventBridge Scheduler itself, or a Step Functions state machine that drains the queue."""
        return Choice("schedulers", self.answers.get("scheduler", "eventbridge"))

    @property
    def drained(self) -> bool:
        """A Step Functions state machine (statemachine/drain.asl.json) invokes the poller again
        while it reports more_available: the schedule starts the state machine, not the function."""
        return self.polled and self.scheduler.name == "step_functions"

    @property
    def log_delivery_actions(self) -> tuple[str, ...]:
        """What the drain's role may do on "*" to deliver its logs (see LOG_DELIVERY_ACTIONS)."""
        return LOG_DELIVERY_ACTIONS

    @property
    def drain_max_rounds(self) -> int:
        """The default of the drain's round limit (the stack's DrainMaxRounds parameter)."""
        return DRAIN_MAX_ROUNDS

    @property
    def drain_seconds(self) -> int:
        """The bound on one drain's total time (the state machine's TimeoutSeconds): the schedule's
        interval, so that a tick's drain has ended when the next tick starts, at most
        DRAIN_MAX_SECONDS; DRAIN_MAX_SECONDS on a cron schedule, whose gaps vary."""
        interval = self.schedule_seconds
        return DRAIN_MAX_SECONDS if interval is None else min(interval, DRAIN_MAX_SECONDS)

    @property
    def invocation(self) -> Choice:
        return Choice("invocations", self.answers["invocation"])

    @property
    def batch_style(self) -> Choice:
        return Choice("batch_styles", self.answers["batch_style"])

    @property
    def concurrency(self) -> Concurrency:
        return CONCURRENCIES[self.answers["concurrency"]]

    @property
    def concurrent(self) -> bool:
        """The records of a batch run concurrently (an async record handler, a bounded number at once)."""
        return self.concurrency.name == "async"

    @property
    def rule(self) -> str:
        """Where a record's handling looks the business rule up (module.name in the package):
        what a test replaces to play a fix."""
        return "idempotency.fulfil_order" if self.answers["idempotency"] else self.concurrency.rule

    @property
    def concurrency_limit(self) -> int:
        """The records run at once with concurrency=async: CONCURRENCY_LIMIT, or fewer in a smaller batch."""
        return min(int(self.answers["batch_size"]), CONCURRENCY_LIMIT)

    @property
    def powertools_processor(self) -> bool:
        """The processor is one of Powertools' (imported from it), not the template's own."""
        return not self.own_processor and not self.concurrent

    @property
    def concurrent_groups(self) -> bool:
        """The records run concurrently, group by group, each group in order (SQS FIFO's message
        groups, Kafka's partitions): records.py's group_of says a record's group."""
        return self.concurrent and self.ordering == "group"

    @property
    def records_imports(self) -> list[str]:
        """What processor.py takes from records.py: the event type (but for Powertools' FIFO
        processor, which knows it), the group of a record (for the async processor's groups)
        and the id the hooks log."""
        return (
            ["EVENT_TYPE"] * (self.processor != "SqsFifoPartialProcessor")
            + ["group_of"] * self.concurrent_groups
            + ["record_id"]
        )

    @property
    def processor(self) -> str:
        """The processor class the project's ObservedBatchProcessor subclasses."""
        if self.concurrent:
            return CONCURRENT_PROCESSOR
        return self.source.processors[self.answers["on_first_failure"]]

    @property
    def ordering(self) -> str:
        """What happens after a failed record: stop, group or continue (see Source)."""
        return self.source.orderings[self.answers["on_first_failure"]]

    @property
    def own_processor(self) -> bool:
        """The processor is the template's own (ordered_processor.py), not one of Powertools'."""
        return self.processor in OWN_PROCESSORS

    @property
    def aws_calls(self) -> list[str]:
        """The AWS services the function's own code calls: through boto3, then X-Ray."""
        return self.boto3_calls + ["X-Ray"] * bool(self.answers["tracing"])

    @property
    def boto3_calls(self) -> list[str]:
        """The AWS services the function calls through boto3 (which Tracer patches to trace)."""
        return ["SQS"] * self.polled + ["DynamoDB"] * bool(self.answers["idempotency"])

    @property
    def powertools_extras(self) -> list[str]:
        return ["parser"] * (self.answers["validation"] == "pydantic") + ["tracer"] * bool(self.answers["tracing"])

    @property
    def recovery(self) -> Choice:
        """How failed records are brought back (see Source.recovery), whose pieces are under
        templates/recoveries/<name>/."""
        return Choice("recoveries", self.source.recovery)

    @property
    def queued(self) -> bool:
        """The failed records wait in an SQS DLQ as the messages they were (sqs, sqs_fifo,
        sns_sqs): `make redrive` moves them back to their queue."""
        return self.source.recovery == "redrive"

    @property
    def ranges(self) -> bool:
        """The on-failure destination holds descriptions of failed ranges (shard and sequence
        numbers, partition and offsets), not the records (streams and Kafka)."""
        return not self.queued

    @property
    def commands(self) -> list[str]:
        """The operations tooling's commands that bring failed records back, each ops/<command>.py
        and `make <command>`, beside `failures`, which lists them (Kafka's are produced again by
        hand: none)."""
        return [] if self.source.recovery == "offsets" else [self.source.recovery]

    @property
    def cdk(self) -> bool:
        """The infrastructure is an AWS CDK app in Python (infra/), not a SAM template."""
        return self.answers.get("iac", "sam") == "cdk"

    @property
    def iac(self) -> Choice:
        """The infrastructure's tool, whose pieces (templates/iacs/<sam|cdk>/) hold what the
        Makefile and the README say of it."""
        return Choice("iacs", "cdk" if self.cdk else "sam")

    @property
    def build_dir(self) -> str:
        """Where the IaC tool writes its output, which `make local` writes its log beside."""
        return "cdk.out" if self.cdk else ".aws-sam"

    @property
    def stack_file(self) -> str:
        """The file that declares the project's stack."""
        return "infra/stack.py" if self.cdk else "template.yaml"

    @property
    def stack(self) -> str:
        """What declares the project's stack, as prose names it ("template.yaml's `Handler`")."""
        return "the CDK stack" if self.cdk else "template.yaml"

    @property
    def markers(self) -> dict[str, bool]:
        return markers(self)

    @property
    def moto_makers(self) -> dict[str, str]:
        """The kinds of resource `make local` makes on moto, by CloudFormation type: its maker
        (local/resources.py's make_<maker>, from templates/families/moto/<maker>.py)."""
        declared = {
            **self.source.resources,
            **FUNCTION_RESOURCES,
            **(IDEMPOTENCY_RESOURCES if self.answers["idempotency"] else {}),
        }
        kinds = dict.fromkeys(kind for kind in declared.values() if kind in MADE_ON_MOTO)
        return {kind: kind.rpartition("::")[2].lower() for kind in kinds}

    @property
    def schedule_seconds(self) -> int | None:
        """The poller's interval in seconds (a rate(...) schedule); None for a cron(...) one."""
        return schedule_seconds(self.answers["schedule_expression"])

    @property
    def lag_threshold(self) -> int:
        """SourceLagAlarm's threshold, in the unit of the source's lag metric (see lag_threshold)."""
        return lag_threshold(self)

    @property
    def skipped_error(self) -> str | None:
        """The error type the processor reports a record it skips after a failure with (None: it skips none)."""
        return {
            ("SqsFifoPartialProcessor", "stop"): "SQSFifoCircuitBreakerError",
            ("SqsFifoPartialProcessor", "group"): "SQSFifoMessageGroupCircuitBreakerError",
            ("OrderedStreamProcessor", "stop"): "StreamCircuitBreakerError",
            ("OrderedPartitionProcessor", "group"): "PartitionCircuitBreakerError",
            (CONCURRENT_PROCESSOR, "group"): "GroupCircuitBreakerError",
        }.get((self.processor, self.ordering))


# What SourceLagAlarm's threshold is measured against, as template.yaml and infra/stack.py set
# them: the source queue's visibility timeout, receives before the DLQ and retention; a stream or
# Kafka mapping's MaximumRecordAgeInSeconds.
VISIBILITY_TIMEOUT = 180
MAX_RECEIVE_COUNT = 5
QUEUE_RETENTION = 4 * 86_400
MAX_RECORD_AGE = 3_600
SCHEDULE_UNITS = {"minute": 60, "hour": 3_600, "day": 86_400}
# The drain state machine's bounds: the rounds of one execution (its DrainMaxRounds parameter's
# default: 10 invocations of at most 30 s each) and its total time.
DRAIN_MAX_ROUNDS = 10
DRAIN_MAX_SECONDS = 600
# What a state machine's role needs to deliver its logs to CloudWatch Logs: AWS gives these actions
# no resource-level permissions, so "*" is their only resource (the stack grants them so, and the
# generated guard lets them).
LOG_DELIVERY_ACTIONS = (
    "logs:CreateLogDelivery",
    "logs:GetLogDelivery",
    "logs:UpdateLogDelivery",
    "logs:DeleteLogDelivery",
    "logs:ListLogDeliveries",
    "logs:PutResourcePolicy",
    "logs:DescribeResourcePolicies",
    "logs:DescribeLogGroups",
)


def schedule_seconds(expression: str) -> int | None:
    """The interval of a rate(...) schedule, in seconds; None for a cron(...) one, whose gaps vary."""
    if not expression.startswith("rate(") or not expression.endswith(")"):
        return None
    value, unit = expression[len("rate(") : -1].split()
    return int(value) * SCHEDULE_UNITS[unit.removesuffix("s")]


def lag_threshold(facts: Facts) -> int:
    """SourceLagAlarm's threshold, in the unit of the source's lag metric (the alarm's comments in
    template.yaml and infra/stack.py say why, with the numbers):

    - a queue the mapping reads: twice the time a failing message takes to reach the DLQ, 5
      receives each after the visibility timeout (2 x 5 x 180 s = 1800 s);
    - the poller's queue: twice that time on its schedule (up to an interval before the first
      run, then a receive per run, at most one per visibility timeout), at most half the queue's
      retention; half the retention on a cron schedule, whose gaps vary;
    - a stream: half the mapping's MaximumRecordAgeInSeconds, in milliseconds (IteratorAge's unit);
    - Kafka: 100 batches of records (OffsetLag is a count, not an age).
    """
    lag = facts.source.lag
    if lag == OFFSET_LAG:
        return 100 * int(facts.answers["batch_size"])
    if lag == ITERATOR_AGE:
        return MAX_RECORD_AGE * 1_000 // 2
    if not facts.polled:
        return 2 * MAX_RECEIVE_COUNT * VISIBILITY_TIMEOUT
    interval = facts.schedule_seconds
    if interval is None:
        return QUEUE_RETENTION // 2
    return min(2 * (interval + MAX_RECEIVE_COUNT * max(interval, VISIBILITY_TIMEOUT)), QUEUE_RETENTION // 2)


def derive(answers: Mapping[str, Any]) -> Facts:
    """The facts of these answers (valid ones: the pre-generation hook has checked them)."""
    return Facts(answers=answers, source=SOURCES[answers["event_source"]])


def markers(facts: Facts) -> dict[str, bool]:
    """Which variant files these answers keep, by the marker in their names. (A source's own
    files are not marked: they sit in its folder under templates/sources/.)"""
    answers = facts.answers
    mapping = not facts.polled
    return {
        "event_source_mapping": mapping,
        "scheduled_poll": facts.polled,
        "step_functions": facts.drained,
        "decorator": mapping and answers["batch_style"] == "decorator",
        "context_manager": mapping and answers["batch_style"] == "context_manager",
        "stream": facts.stream,
        "queued": facts.queued,
        "ranges": facts.ranges,
        "own_processor": facts.own_processor,
        "concurrent": facts.concurrent,
        "pydantic": answers["validation"] == "pydantic",
        "jsonschema": answers["validation"] == "jsonschema",
        "idempotent": bool(answers["idempotency"]),
        "sam": not facts.cdk,
        "cdk": facts.cdk,
    }


MARKERS = frozenset(
    "event_source_mapping scheduled_poll step_functions decorator context_manager stream queued ranges own_processor"
    " concurrent pydantic jsonschema idempotent sam cdk".split()
)


def as_data(value: Any) -> Any:
    """A table or a row as JSON-ready data, for the hooks."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {item.name: as_data(getattr(value, item.name)) for item in dataclasses.fields(value)}
    if isinstance(value, Mapping):
        return {key: as_data(item) for key, item in value.items()}
    if isinstance(value, (list, tuple, type({}.values()))):
        return [as_data(item) for item in value]
    return value


# The answers every fact depends on.
CHOICES = frozenset(
    {"event_source", "invocation", "batch_style", "on_first_failure", "validation", "idempotency", "concurrency"}
)


# --- The Jinja side ------------------------------------------------------------------------------

try:
    from jinja2 import Template
    from jinja2.ext import Extension
except ImportError:  # imported by a tool without Jinja: the tables above are all it needs
    pass
else:

    class FactsTemplate(Template):
        """A template that sees `facts`, and `source`, `invocation`, `ordering`, `batch_style`, `iac`,
        `recovery`, `concurrency` and `scheduler` (whose pieces it pulls with `.part(name)`), beside
        `cookiecutter`, once the answers hold the choices (cookiecutter.json's own defaults are
        rendered before they are made)."""

        @staticmethod
        def facts_of(answers: Mapping[str, Any]) -> dict[str, Any]:
            try:
                facts = derive(answers)
                ordering = Choice("orderings", facts.ordering)
            except KeyError:  # an answer that is no choice: the pre-generation hook refuses it
                return {}
            # The answers whose variants are pieces under templates/ come with their .part(name).
            return {
                "facts": facts,
                "source": facts.source,
                "invocation": facts.invocation,
                "ordering": ordering,
                "batch_style": facts.batch_style,
                "iac": facts.iac,
                "recovery": facts.recovery,
                "concurrency": facts.concurrency,
                "scheduler": facts.scheduler,
            }

        def render(self, *args: Any, **kwargs: Any) -> str:
            context = dict(*args, **kwargs)
            answers = context.get("cookiecutter")
            if isinstance(answers, Mapping) and answers.keys() >= CHOICES:
                context = {**self.facts_of(answers), **context}
            context.setdefault("sources", SOURCES)
            context.setdefault("as_data", as_data)
            return super().render(context)

    class FactsExtension(Extension):
        """Makes every template of the environment a FactsTemplate."""

        def __init__(self, environment: Any) -> None:
            super().__init__(environment)
            environment.template_class = FactsTemplate
