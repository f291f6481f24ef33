"""A Lambda handler decorator that processes the batch and answers with its partial response.

It replaces Powertools' deprecated ``@{{ "async_" if facts.concurrent else "" }}batch_processor`` with the current
``{{ facts.concurrency.partial_response }}``.
"""

from collections.abc import Callable
from functools import wraps
from typing import Any

from aws_lambda_powertools.utilities.batch import (
    {{ facts.concurrency.processor_type }},
    {{ facts.concurrency.partial_response }},
)
from aws_lambda_powertools.utilities.batch.types import PartialItemFailureResponse
from aws_lambda_powertools.utilities.typing import LambdaContext

Event = dict[str, Any]
BatchHandler = Callable[[Event, LambdaContext], PartialItemFailureResponse]


def partial_batch_response(
    *, record_handler: Callable[..., Any], processor: {{ facts.concurrency.processor_type }}
) -> Callable[[Callable[[Event, LambdaContext], None]], BatchHandler]:
    """Run ``record_handler`` on every record and return ``{"batchItemFailures": [...]}``.

    The decorated function runs first, once per invocation, for per-batch setup such as log
    keys. An event that is not a batch raises UnexpectedBatchTypeError.
    """

    def decorate(prepare: Callable[[Event, LambdaContext], None]) -> BatchHandler:
        @wraps(prepare)
        def handler(event: Event, context: LambdaContext) -> PartialItemFailureResponse:
            prepare(event, context)
            return {{ facts.concurrency.partial_response }}(
                event=event, record_handler=record_handler, processor=processor, context=context
            )

        return handler

    return decorate
