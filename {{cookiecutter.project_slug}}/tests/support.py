"""A Lambda context and the sample events, as the tests hand them to the handler."""

import json
from pathlib import Path
from typing import Any

from aws_lambda_powertools.utilities.typing import LambdaContext

EVENTS = Path(__file__).parent.parent / "events"
FUNCTION_NAME = "{{ cookiecutter.project_slug }}"
REGION = "{{ cookiecutter.aws_region }}"


class FakeLambdaContext(LambdaContext):
    """A Lambda context as the runtime passes it, with a settable time budget."""

    def __init__(self, remaining_time_in_millis: int = 30_000) -> None:
        self._function_name = FUNCTION_NAME
        self._function_version = "$LATEST"
        self._invoked_function_arn = (
            f"arn:aws:lambda:{REGION}:123456789012:function:{FUNCTION_NAME}"
        )
        self._memory_limit_in_mb = 256
        self._aws_request_id = "6f1b7c9e-0000-4000-8000-000000000001"
        self._log_group_name = f"/aws/lambda/{FUNCTION_NAME}"
        self._log_stream_name = "2026/11/26/[$LATEST]0123456789abcdef"
        self.remaining_time_in_millis = remaining_time_in_millis

    def get_remaining_time_in_millis(self) -> int:  # type: ignore[override]
        return self.remaining_time_in_millis


def load_event(name: str) -> dict[str, Any]:
    """A sample event from events/, as Lambda would pass it."""
    event: dict[str, Any] = json.loads((EVENTS / name).read_text(encoding="utf-8"))
    return event


def sqs_record(body: str) -> dict[str, Any]:
    """One SQS record shaped as Lambda sends it, around ``body``."""
    record: dict[str, Any] = load_event("sqs_all_good.json")["Records"][0]
    return {**record, "body": body}


def message_ids(event: dict[str, Any], *positions: int) -> list[str]:
    """The message ids of these records of an event, in this order."""
    return [event["Records"][position]["messageId"] for position in positions]


def metric_total(blobs: list[dict[str, Any]], name: str) -> float:
    """The sum of a metric over the EMF blobs the function printed."""
    total = 0.0
    for blob in blobs:
        value = blob.get(name, 0) if "_aws" in blob else 0
        total += sum(value) if isinstance(value, list) else value
    return total
