"""A Lambda context and the sample events, as the tests hand them to the handler."""

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

EVENTS = Path(__file__).parent.parent / "events"
FUNCTION_NAME = "{{ cookiecutter.project_slug }}"
REGION = "{{ cookiecutter.aws_region }}"


@dataclass
class FakeLambdaContext:
    """The attributes of the Lambda context that Powertools reads."""

    function_name: str = FUNCTION_NAME
    function_version: str = "$LATEST"
    memory_limit_in_mb: int = 256
    invoked_function_arn: str = f"arn:aws:lambda:{REGION}:123456789012:function:{FUNCTION_NAME}"
    aws_request_id: str = "6f1b7c9e-0000-4000-8000-000000000001"
    remaining_time_in_millis: int = 30_000

    def get_remaining_time_in_millis(self) -> int:
        return self.remaining_time_in_millis


def load_event(name: str) -> dict[str, Any]:
    """A sample event from events/, as Lambda would pass it."""
    event: dict[str, Any] = json.loads((EVENTS / name).read_text(encoding="utf-8"))
    return event


def sqs_record(body: str) -> dict[str, Any]:
    """One SQS record shaped as Lambda sends it, around ``body``."""
    record: dict[str, Any] = load_event("sqs_all_good.json")["Records"][0]
    return {**record, "body": body}
