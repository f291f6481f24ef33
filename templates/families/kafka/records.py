"""Where a Kafka record carries its order: the base64 value, as JSON (UTF-8). Its key and
headers come with it: `record.decoded_key` and `record.decoded_headers` (bytes)."""

import base64
from collections.abc import Mapping

from aws_lambda_powertools.utilities.batch import EventType
from aws_lambda_powertools.utilities.data_classes.kafka_event import KafkaEventRecord

from .schema import Order, parse_order

EVENT_TYPE = EventType.Kafka
SourceRecord = KafkaEventRecord


def record_id(record: object) -> str | None:
    """The record's place, `<topic>-<partition>@<offset>`, as the logs name it (batchItemFailures
    names it by its partition, `<topic>-<partition>`, and its offset).

    Powertools hands the processor's hooks the raw record (a dict), its data class (a mapping)
    or, when the processor is given model=, the parsed pydantic model: each is read here.
    """
    topic, partition, offset = (
        record.get(key) if isinstance(record, Mapping) else getattr(record, key, None)
        for key in ("topic", "partition", "offset")
    )
    if not isinstance(topic, str) or not isinstance(partition, int) or not isinstance(offset, int):
        return None
    return f"{topic}-{partition}@{offset}"


def order_from_record(record: KafkaEventRecord) -> Order:
    """Read the order in the record's value: a value that is not base64, bytes that are not
    UTF-8 JSON or an invalid order raise."""
    # validate=True: b64decode would otherwise drop what is not base64 and read the rest.
    return parse_order(base64.b64decode(record.value, validate=True))
{%- if facts.concurrent_groups %}


def group_of(record: Mapping[str, object]) -> str:
    """The partition whose order the record keeps, `<topic>-<partition>` (the raw record)."""
    return f"{record.get('topic')}-{record.get('partition')}"
{%- endif %}
