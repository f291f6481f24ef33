"""What the on-failure destination of {{ source.label }} holds: where the given-up records are, not
the records themselves.

For each batch it gives up, Lambda sends the destination one JSON invocation record:
`requestContext` (the `condition`, such as RetryAttemptsExhausted, and the tries), then under
{%- if source.family == "kafka" %}
`KafkaBatchInfo` the cluster (`eventSourceArn` for MSK, `bootstrapServers`) and, in `recordsInfo`,
each partition's range by `<topic>-<partition>`: its first and last offset and their timestamps.
The records stay in the topic while its retention keeps them.
{%- else %}
`KinesisBatchInfo` (a Kinesis stream) or `DDBStreamBatchInfo` (a DynamoDB stream) the shard, its
first and last sequence number, their arrival times, the batch size and the stream's ARN. The
records stay readable in the stream until its retention passes (DynamoDB Streams: 24 hours).
{%- endif %}
"""

import json
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from .reasons import Reasons
from .targets import OperationError

# The key Lambda's invocation record puts the range under, by the source's Powertools EventType.
BATCH_INFO_OF = {
    "KinesisDataStreams": "KinesisBatchInfo",
    "DynamoDBStreams": "DDBStreamBatchInfo",
    "Kafka": "KafkaBatchInfo",
}
BATCH_INFO = BATCH_INFO_OF["{{ source.event_type }}"]
{%- if source.family == "kafka" %}
# What each partition of recordsInfo holds.
PARTITION_FIELDS = (
    "firstRecordOffset",
    "lastRecordOffset",
    "firstRecordTimestamp",
    "lastRecordTimestamp",
)
EXPECTED = (
    f"Lambda's on-failure record: a JSON object whose {BATCH_INFO} has recordsInfo "
    f"({', '.join(PARTITION_FIELDS)} by <topic>-<partition>) and batchSize"
)
{%- else %}
FIELDS = (
    "shardId",
    "startSequenceNumber",
    "endSequenceNumber",
    "approximateArrivalOfFirstRecord",
    "batchSize",
    "streamArn",
)
EXPECTED = f"Lambda's on-failure record: a JSON object whose {BATCH_INFO} has {', '.join(FIELDS)}"
{%- endif %}
# How far before a range's first record the logs are searched for its failure: a producer's
# clock may run ahead of the function's.
CLOCK_SKEW = timedelta(minutes=5)


@dataclass(frozen=True)
class Range:
    """Records given up together, in order, on one {% if source.family == "kafka" %}partition{% else %}shard{% endif %}."""

    # {% if source.family == "kafka" %}The cluster: an MSK cluster's ARN, or a self-managed cluster's bootstrap servers.{% else %}The stream's ARN.{% endif %}
    source: str
    # {% if source.family == "kafka" %}The partition, as the event names it: `<topic>-<partition>`.{% else %}The shard's id.{% endif %}
    place: str
    # The first and last {% if source.family == "kafka" %}offset{% else %}sequence number{% endif %} of the range, as decimal text.
    first: str
    last: str
    # How many records it holds.
    count: int
    # When its first record {% if source.family == "kafka" %}was produced (its timestamp){% else %}reached the stream{% endif %}.
    first_arrival: datetime
    # Why Lambda gave it up: RetryAttemptsExhausted, RecordAgeExceeded, ...
    condition: str

    @property
    def first_record_id(self) -> str:
        """The failure hook's `record_id` of the range's first record{% if source.family == "kafka" %}: `<topic>-<partition>@<offset>`{% else %}: its sequence number{% endif %}."""
{%- if source.family == "kafka" %}
        return f"{self.place}@{self.first}"
{%- else %}
        return self.first
{%- endif %}


class ShapeError(ValueError):
    """A part of the record is missing or of the wrong type."""


def parse_ranges(body: str) -> list[Range]:
    """The ranges a destination message names; OperationError (one line) for another shape."""
    try:
        record = json.loads(body)
    except ValueError:
        raise OperationError(f"a message that is not JSON: expected {EXPECTED}") from None
    try:
        info = field(record, BATCH_INFO, dict)
        condition = str(field(record, "requestContext", dict).get("condition") or "unknown")
        return ranges_of(info, condition)
    except ShapeError as error:
        raise OperationError(f"{error}: expected {EXPECTED}") from None


def field(value: Any, key: str, kind: type) -> Any:
    """value[key], of this kind."""
    if not isinstance(value, dict) or key not in value:
        raise ShapeError(f"no {key}")
    found = value[key]
    if not isinstance(found, kind) or isinstance(found, bool):
        raise ShapeError(f"{key} is not {'an object' if kind is dict else kind.__name__}")
    return found


def number(value: Any, key: str) -> str:
    """value[key]: a sequence number or an offset, as decimal text (Lambda writes text)."""
    if not isinstance(value, dict) or key not in value:
        raise ShapeError(f"no {key}")
    found = value[key]
    text = str(found) if isinstance(found, (str, int)) and not isinstance(found, bool) else ""
    if not text.isdigit():
        raise ShapeError(f"{key} is not a number")
    return text


def moment(value: Any, key: str) -> datetime:
    """value[key], an ISO 8601 time (Lambda writes `2019-11-14T00:38:04.835Z`)."""
    text = field(value, key, str)
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError:
        raise ShapeError(f"{key} is not a time") from None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def ranges_of(info: dict[str, Any], condition: str) -> list[Range]:
{%- if source.family == "kafka" %}
    """A range per partition of recordsInfo. batchSize counts the records of every partition: a
    partition's own count is its offset span (offsets run on without gaps, but for compaction
    and transaction markers)."""
    partitions = field(info, "recordsInfo", dict)
    if not partitions:
        raise ShapeError("recordsInfo is empty")
    servers = info.get("bootstrapServers")
    cluster = info.get("eventSourceArn") or servers
    if not isinstance(cluster, str) or not cluster:
        raise ShapeError("no eventSourceArn nor bootstrapServers")
    batch_size = int(number(info, "batchSize"))
    ranges = []
    for place, partition in partitions.items():
        if not isinstance(partition, dict):
            raise ShapeError(f"recordsInfo's {place} is not an object")
        first = number(partition, "firstRecordOffset")
        last = number(partition, "lastRecordOffset")
        if int(last) < int(first):
            raise ShapeError(f"{place}'s lastRecordOffset is before its firstRecordOffset")
        count = batch_size if len(partitions) == 1 else int(last) - int(first) + 1
        ranges.append(
            Range(
                source=cluster,
                place=str(place),
                first=first,
                last=last,
                count=count,
                first_arrival=moment(partition, "firstRecordTimestamp"),
                condition=condition,
            )
        )
    return ranges
{%- else %}
    """The one range of a stream's record."""
    first = number(info, "startSequenceNumber")
    last = number(info, "endSequenceNumber")
    if int(last) < int(first):
        raise ShapeError("endSequenceNumber is before startSequenceNumber")
    return [
        Range(
            source=field(info, "streamArn", str),
            place=field(info, "shardId", str),
            first=first,
            last=last,
            count=int(number(info, "batchSize")),
            first_arrival=moment(info, "approximateArrivalOfFirstRecord"),
            condition=condition,
        )
    ]
{%- endif %}


def when(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%SZ")


def age(elapsed: timedelta) -> str:
    """A duration in its two largest units: `3 d 4 h`, `5 min 2 s`, `7 s`."""
    seconds = max(int(elapsed.total_seconds()), 0)
    units = [(86400, "d"), (3600, "h"), (60, "min"), (1, "s")]
    for index, (size, unit) in enumerate(units):
        if seconds >= size or size == 1:
            text = f"{seconds // size} {unit}"
            if size > 1:
                smaller, smaller_unit = units[index + 1]
                rest = seconds % size // smaller
                text += f" {rest} {smaller_unit}" if rest else ""
            return text
    raise AssertionError("unreachable: the last unit is one second")


def describe_range(span: Range, now: datetime | None = None) -> str:
    """One line: where the range is, how many records, how old, and why Lambda gave it up."""
    now = now or datetime.now(UTC)
    noun = "record" if span.count == 1 else "records"
{%- if source.family == "kafka" %}
    where = f"partition {span.place}, offsets {span.first}..{span.last}"
    first = "first produced"
{%- else %}
    where = f"shard {span.place}, sequence numbers {span.first}..{span.last}"
    first = "first arrived"
{%- endif %}
    return (
        f"{where} ({span.count} {noun}) of {span.source}, {first} {when(span.first_arrival)} "
        f"({age(now - span.first_arrival)} ago), {span.condition}"
    )


def describe_reason(span: Range, reasons: Reasons | None) -> str:
    """Why the range's first record failed, as the failure hook logged it."""
    if reasons is None:
        return f"first record {span.first_record_id}: reason unknown (no log group)"
    reason = reasons.of(span.first_record_id, since=span.first_arrival - CLOCK_SKEW)
    if reason is None:
        return f"first record {span.first_record_id}: reason not in the logs"
    return f"first record {span.first_record_id}: {reason.summary()}"


def describe_ranges(body: str, reasons: Reasons | None) -> list[str]:
    """The lines `make failures` prints for one destination message: each range, then the
    reason of its first record when the logs have it."""
    lines = []
    for span in parse_ranges(body):
        lines += [describe_range(span), f"  {describe_reason(span, reasons)}"]
    return lines
