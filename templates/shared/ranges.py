{#- ops/ranges.py, the parsing of the on-failure destination's messages: its recovery's piece
    (recoveries/<replay|offsets>/ranges.py) fills the blocks. -#}
"""What the on-failure destination of {{ source.label }} holds: where the given-up records are, not
the records themselves.

For each batch it gives up, Lambda sends the destination one JSON invocation record:
`requestContext` (the `condition`, such as RetryAttemptsExhausted, and the tries), then under
{% block holds %}{% endblock %}
"""

import json
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from .targets import OperationError

# The key Lambda's invocation record puts the range under, by the source's Powertools EventType.
BATCH_INFO_OF = {
    "KinesisDataStreams": "KinesisBatchInfo",
    "DynamoDBStreams": "DDBStreamBatchInfo",
    "Kafka": "KafkaBatchInfo",
}
BATCH_INFO = BATCH_INFO_OF["{{ source.event_type }}"]
{%- block expected %}{% endblock %}
# How far before a range's first record the logs are searched for its failure: a producer's
# clock may run ahead of the function's.
CLOCK_SKEW = timedelta(minutes=5)


@dataclass(frozen=True)
class Range:
    """Records given up together, in order, on one {% block place %}{% endblock %}."""

    # {% block source %}{% endblock %}
    source: str
    # {% block place_is %}{% endblock %}
    place: str
    # The first and last {% block bound %}{% endblock %} of the range, as decimal text.
    first: str
    last: str
    # How many records it holds.
    count: int
    # When its first record {% block arrived %}{% endblock %}.
    first_arrival: datetime
    # Why Lambda gave it up: RetryAttemptsExhausted, RecordAgeExceeded, ...
    condition: str

    @property
    def first_record_id(self) -> str:
        """The failure hook's `record_id` of the range's first record: {% block record_id %}{% endblock %}
{%- block where %}{% endblock %}


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
{%- block ranges_of %}{% endblock %}
