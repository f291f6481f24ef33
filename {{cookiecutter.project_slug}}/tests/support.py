{%- import source.part("support.py") as support with context -%}
{%- import ordering.part("support.py") as rule -%}
"""The sample events, records shaped as {{ source.name | replace("_", " ") }} sends them, and what the tests expect."""

{{ support.imports() }}{% if cookiecutter.validation == "pydantic" -%}
from pydantic import ValidationError
{%- else -%}
from fastjsonschema import JsonSchemaValueException
{%- endif %}

EVENTS = Path(__file__).parent.parent / "events"

VALID_ORDER: dict[str, Any] = {
    "order_id": "ord-1",
    "customer_id": "cust-1",
    "items": [{"sku": "BOOK-042", "quantity": 3, "unit_price": 0.1}],
    "amount": 0.3,
}

# What reading a payload that is not JSON, or not a valid order, raises.
{%- if cookiecutter.validation == "pydantic" %}
CORRUPT_PAYLOAD_ERROR: type[Exception] = ValidationError
INVALID_PAYLOAD_ERROR: type[Exception] = ValidationError
{%- else %}
CORRUPT_PAYLOAD_ERROR: type[Exception] = json.JSONDecodeError
INVALID_PAYLOAD_ERROR: type[Exception] = JsonSchemaValueException
{%- endif %}

{{ support.mixed() }}

# What fails a record of each kind{% if facts.skipped_error %}, and a record skipped after a failure{% endif %}.
ERROR_TYPES = {
{{ support.corrupt("ValidationError" if cookiecutter.validation == "pydantic" else "JSONDecodeError") }}
    "invalid": "{{ 'ValidationError' if cookiecutter.validation == 'pydantic' else 'JsonSchemaValueException' }}",
    "rejected": "OrderRejectedError",
{%- if facts.skipped_error %}
    "skipped": "{{ facts.skipped_error }}",
{%- endif %}
}


def expected_failures(kinds: list[str], groups: list[str] | None = None) -> list[tuple[int, str]]:
    """The (position, error type) of every record this project reports failed, for a batch
    whose records hold these kinds of payload{% if source.grouped %} in these message groups{% endif %}.

    {{ rule.rule }}
    """
    failures: list[tuple[int, str]] = []
{{- rule.loop() }}
    return failures


# The records of mixed.json this project reports failed, and what fails each.
MIXED_FAILURES = expected_failures(MIXED_KINDS{% if source.grouped %}, MIXED_GROUPS{% endif %})
MIXED_FAILED = [position for position, _ in MIXED_FAILURES]
MIXED_SUCCEEDED = [position for position in range(len(MIXED_KINDS)) if position not in MIXED_FAILED]


def load_event(name: str) -> dict[str, Any]:
    """A sample event from events/, as Lambda would pass it."""
    event: dict[str, Any] = json.loads((EVENTS / name).read_text(encoding="utf-8"))
    return event


{% if support.event_shape is defined -%}
{{ support.event_shape() }}
{%- else -%}
def records_of(event: dict[str, Any]) -> list[dict[str, Any]]:
    """The records of an event, in the order the processor takes them."""
    records: list[dict[str, Any]] = event["Records"]
    return records


def make_event(records: list[dict[str, Any]]) -> dict[str, Any]:
    """An event holding these records, as Lambda sends them."""
    return {"Records": records}


def item_identifier(record: dict[str, Any]) -> str:
    """What batchItemFailures names this record by."""
    return str(record{% for key in source.record_id.split(".") %}["{{ key }}"]{% endfor %})


def log_id(record: dict[str, Any]) -> str:
    """What the processor's log lines name this record by: the same id."""
    return item_identifier(record)


def spoil_for_the_model(record: dict[str, Any]) -> None:
    """Make this record one the source's parser model refuses: it names another source."""
    record["eventSource"] = "aws:elsewhere"
{%- endif %}


def item_identifiers(event: dict[str, Any], *positions: int) -> list[Any]:
    """What batchItemFailures names these records of an event by, in this order."""
    records = records_of(event)
    return [item_identifier(records[position]) for position in positions]


{{ support.make_record() }}


def metric_total(blobs: list[dict[str, Any]], name: str) -> float:
    """The sum of a metric over the EMF blobs the function printed."""
    total = 0.0
    for blob in blobs:
        value = blob.get(name, 0) if "_aws" in blob else 0
        total += sum(value) if isinstance(value, list) else value
    return total
