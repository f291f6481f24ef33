"""ops/ranges.py reads the on-failure destination's messages of {{ source.label }} as ranges;
ops/dead_letters.py describes them for `make failures`."""

import json
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from ops.dead_letters import age, describe_range, describe_ranges
from ops.ranges import BATCH_INFO, Range, parse_ranges
from ops.reasons import Reason, Reasons
from ops.targets import OperationError

RESPONSE_CONTEXT = {"statusCode": 200, "executedVersion": "$LATEST", "functionError": "Unhandled"}
{%- if source.family == "kafka" %}
CLUSTER_ARN = "arn:aws:kafka:us-east-1:123456789012:cluster/orders/751d2973-a626-431c"
SERVERS = "b-1.orders.kafka.us-east-1.amazonaws.com:9092,b-2.orders.kafka.us-east-1.amazonaws.com"


def destination_record(**changes: Any) -> dict[str, Any]:
    """An on-failure record as AWS documents it for Kafka (two partitions), with changes to its
    KafkaBatchInfo."""
    info: dict[str, Any] = {
        "batchSize": 5,
        "eventSourceArn": CLUSTER_ARN,
        "bootstrapServers": SERVERS,
        "payloadSize": 2039,
        "recordsInfo": {
            "orders-0": {
                "firstRecordOffset": "12",
                "lastRecordOffset": "14",
                "firstRecordTimestamp": "2026-11-30T09:30:04.835Z",
                "lastRecordTimestamp": "2026-11-30T09:30:05.580Z",
            },
            "orders-1": {
                "firstRecordOffset": "7",
                "lastRecordOffset": "8",
                "firstRecordTimestamp": "2026-11-30T09:31:00.000Z",
                "lastRecordTimestamp": "2026-11-30T09:31:01.000Z",
            },
        },
    }
    info.update(changes)
    return {
        "requestContext": {
            "requestId": "316aa6d0-8154-xmpl-9af7-85d5f4a6bc81",
            "functionArn": "arn:aws:lambda:us-east-1:123456789012:function:processor",
            "condition": "RetryAttemptsExhausted",
            "approximateInvokeCount": 11,
        },
        "responseContext": RESPONSE_CONTEXT,
        "version": "1.0",
        "timestamp": "2026-11-30T09:40:06.021Z",
        BATCH_INFO: {key: value for key, value in info.items() if value is not None},
    }


def test_each_partition_is_a_range() -> None:
    first, second = parse_ranges(json.dumps(destination_record()))

    assert first == Range(
        source=CLUSTER_ARN,
        place="orders-0",
        first="12",
        last="14",
        count=3,
        first_arrival=datetime(2026, 11, 30, 9, 30, 4, 835000, tzinfo=UTC),
        condition="RetryAttemptsExhausted",
    )
    assert (second.place, second.first, second.last, second.count) == ("orders-1", "7", "8", 2)
    assert first.first_record_id == "orders-0@12"  # as the failure hook logs a Kafka record


def test_a_self_managed_cluster_is_named_by_its_servers_and_offsets_may_be_numbers() -> None:
    only = {
        "orders-3": {
            "firstRecordOffset": 40,
            "lastRecordOffset": 40,
            "firstRecordTimestamp": "2026-11-30T09:30:04Z",
            "lastRecordTimestamp": "2026-11-30T09:30:04Z",
        }
    }
    body = destination_record(eventSourceArn=None, recordsInfo=only, batchSize=1)

    (span,) = parse_ranges(json.dumps(body))

    assert (span.source, span.place, span.first, span.last, span.count) == (
        SERVERS,
        "orders-3",
        "40",
        "40",
        1,
    )


@pytest.mark.parametrize(
    ("body", "problem"),
    [
        pytest.param("not JSON", "a message that is not JSON", id="not-json"),
        pytest.param("[1, 2]", f"no {BATCH_INFO}", id="a-list"),
        pytest.param(
            json.dumps({"KinesisBatchInfo": destination_record()[BATCH_INFO]}),
            f"no {BATCH_INFO}",
            id="another-source",
        ),
        pytest.param(json.dumps(destination_record(recordsInfo={})), "recordsInfo is empty"),
        pytest.param(
            json.dumps(destination_record(recordsInfo={"orders-0": {"firstRecordOffset": "x"}})),
            "firstRecordOffset is not a number",
            id="offset",
        ),
        pytest.param(
            json.dumps(destination_record(eventSourceArn=None, bootstrapServers=None)),
            "no eventSourceArn nor bootstrapServers",
            id="cluster",
        ),
    ],
)
def test_an_unexpected_shape_is_one_line_naming_what_was_expected(body: str, problem: str) -> None:
    with pytest.raises(OperationError) as raised:
        parse_ranges(body)

    message = str(raised.value)
    assert message.startswith(f"{problem}: expected Lambda's on-failure record")
    assert "recordsInfo" in message
    assert "\n" not in message
{%- else %}
# Sequence numbers as AWS writes them (56 digits for Kinesis, 21 or more for DynamoDB).
FIRST = "49601189658422359378836298521827638475320189012309704722"
LAST = "49601189658422359378836298522902373528957594348623495186"
STREAM_ARN = "arn:aws:kinesis:us-east-2:123456789012:stream/orders"


def destination_record(**changes: Any) -> dict[str, Any]:
    """An on-failure record as AWS documents it, with changes to its batch info (a value of None
    drops the key)."""
    info: dict[str, Any] = {
        "shardId": "shardId-000000000001",
        "startSequenceNumber": FIRST,
        "endSequenceNumber": LAST,
        "approximateArrivalOfFirstRecord": "2026-11-30T09:30:04.835Z",
        "approximateArrivalOfLastRecord": "2026-11-30T09:30:05.580Z",
        "batchSize": 500,
        "streamArn": STREAM_ARN,
    }
    info.update(changes)
    return {
        "requestContext": {
            "requestId": "c9b8fa9f-5a7f-xmpl-af9c-0c604cde93a5",
            "functionArn": "arn:aws:lambda:us-east-2:123456789012:function:processor",
            "condition": "RetryAttemptsExhausted",
            "approximateInvokeCount": 1,
        },
        "responseContext": RESPONSE_CONTEXT,
        "version": "1.0",
        "timestamp": "2026-11-30T09:40:06.021Z",
        BATCH_INFO: {key: value for key, value in info.items() if value is not None},
    }


def test_the_record_is_one_range() -> None:
    (span,) = parse_ranges(json.dumps(destination_record()))

    assert span == Range(
        source=STREAM_ARN,
        place="shardId-000000000001",
        first=FIRST,
        last=LAST,
        count=500,
        first_arrival=datetime(2026, 11, 30, 9, 30, 4, 835000, tzinfo=UTC),
        condition="RetryAttemptsExhausted",
    )
    assert span.first_record_id == FIRST  # as the failure hook logs a stream record


def test_times_to_the_second_and_text_batch_sizes_parse() -> None:
    """DynamoDB Streams' records carry arrival times to the second."""
    body = destination_record(approximateArrivalOfFirstRecord="2026-11-30T09:30:04Z", batchSize="3")

    (span,) = parse_ranges(json.dumps(body))

    assert (span.first_arrival, span.count) == (datetime(2026, 11, 30, 9, 30, 4, tzinfo=UTC), 3)


OTHER_KEY = "DDBStreamBatchInfo" if BATCH_INFO == "KinesisBatchInfo" else "KinesisBatchInfo"


@pytest.mark.parametrize(
    ("body", "problem"),
    [
        pytest.param("not JSON", "a message that is not JSON", id="not-json"),
        pytest.param("[1, 2]", f"no {BATCH_INFO}", id="a-list"),
        pytest.param(
            json.dumps({OTHER_KEY: destination_record()[BATCH_INFO]}),
            f"no {BATCH_INFO}",
            id="another-source",
        ),
        pytest.param(json.dumps({BATCH_INFO: 1}), f"{BATCH_INFO} is not an object", id="a-number"),
        pytest.param(json.dumps(destination_record(shardId=None)), "no shardId", id="no-shard"),
        pytest.param(
            json.dumps(destination_record(startSequenceNumber="4960-x")),
            "startSequenceNumber is not a number",
            id="sequence-number",
        ),
        pytest.param(
            json.dumps(destination_record(startSequenceNumber=LAST, endSequenceNumber=FIRST)),
            "endSequenceNumber is before startSequenceNumber",
            id="backwards",
        ),
        pytest.param(
            json.dumps(destination_record(approximateArrivalOfFirstRecord="yesterday")),
            "approximateArrivalOfFirstRecord is not a time",
            id="time",
        ),
        pytest.param(
            json.dumps(destination_record(batchSize=True)), "batchSize is not a number", id="size"
        ),
    ],
)
def test_an_unexpected_shape_is_one_line_naming_what_was_expected(body: str, problem: str) -> None:
    with pytest.raises(OperationError) as raised:
        parse_ranges(body)

    message = str(raised.value)
    assert message.startswith(f"{problem}: expected Lambda's on-failure record")
    assert "startSequenceNumber" in message
    assert "\n" not in message
{%- endif %}


class LoggedReasons(Reasons):
    """The failure hook's lines, by record id, without a log group to search."""

    def __init__(self, reasons: dict[str, Reason]) -> None:
        self.log_group = "/aws/lambda/processor"
        self.missing = False
        self.reasons = reasons
        self.asked: list[tuple[str, datetime]] = []

    def of(self, record_id: str, since: datetime) -> Reason | None:
        self.asked.append((record_id, since))
        return self.reasons.get(record_id)


def test_describe_names_each_range_and_its_first_records_reason() -> None:
    body = json.dumps(destination_record())
    spans = parse_ranges(body)
    failed = Reason("OrderRejectedError", "amount 9 != 3", spans[0].first_arrival, failures=3)
    reasons = LoggedReasons({spans[0].first_record_id: failed})

    lines = describe_ranges(body, reasons)

    assert len(lines) == 2 * len(spans)
    first = spans[0]
    assert f"{first.first}..{first.last} ({first.count} records) of {first.source}" in lines[0]
    assert "RetryAttemptsExhausted" in lines[0]
    assert lines[1] == (
        f"  first record {spans[0].first_record_id}: OrderRejectedError: amount 9 != 3 "
        "(failed 3 times, last 2026-11-30 09:30:04Z)"
    )
    # Asked by the id the failure hook logs, from before the record arrived.
    asked_id, since = reasons.asked[0]
    assert asked_id == spans[0].first_record_id
    assert since <= spans[0].first_arrival
{%- if source.family == "kafka" %}
    assert lines[3] == "  first record orders-1@7: reason not in the logs"
{%- endif %}


def test_without_a_log_group_the_reason_is_unknown() -> None:
    (line, reason) = describe_ranges(json.dumps(destination_record()), None)[:2]

    assert "first arrived" in line or "first produced" in line
    assert reason.endswith("reason unknown (no log group)")


def test_a_range_says_how_old_it_is() -> None:
    span = parse_ranges(json.dumps(destination_record()))[0]

    line = describe_range(span, now=span.first_arrival + timedelta(hours=26, minutes=5))

    assert f"{span.first_arrival:%Y-%m-%d %H:%M:%S}Z (1 d 2 h ago)" in line


@pytest.mark.parametrize(
    ("elapsed", "text"),
    [
        (timedelta(seconds=0), "0 s"),
        (timedelta(seconds=59), "59 s"),
        (timedelta(minutes=5, seconds=2), "5 min 2 s"),
        (timedelta(hours=3), "3 h"),
        (timedelta(days=2, hours=4, minutes=9), "2 d 4 h"),
        (timedelta(seconds=-5), "0 s"),  # a clock ahead of this one
    ],
)
def test_ages_read_in_their_two_largest_units(elapsed: timedelta, text: str) -> None:
    assert age(elapsed) == text
