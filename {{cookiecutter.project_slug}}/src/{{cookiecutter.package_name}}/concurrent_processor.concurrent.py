"""Powertools' AsyncBatchProcessor with a bound on the records run at once, and groups kept in
order: the records of one group (an SQS FIFO message group, a Kafka partition) run one after
another, and after a failure the rest of the group is reported without running.

Why a subclass: AsyncBatchProcessor starts a task for every record of the batch at once, so a
batch of 10,000 stream records would open 10,000 downstream calls together, and it runs them on
`asyncio.get_event_loop()` where Lambda sets LAMBDA_TASK_ROOT, which Python deprecates outside a
running loop. This one runs Powertools' own step for each record (`_async_process_record`: the
parsing, the hooks, the failure rules) on at most `limit` workers, on an event loop of its own
that lives as long as the container; a blocking call sent to a thread (`asyncio.to_thread`) gets
one of `limit` threads.
"""

import asyncio
import inspect
import os
from collections.abc import Callable, Hashable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from aws_lambda_powertools.utilities.batch import AsyncBatchProcessor
from aws_lambda_powertools.utilities.batch.base import FailureResponse
from aws_lambda_powertools.utilities.batch.exceptions import ExceptionInfo
from aws_lambda_powertools.utilities.typing import LambdaContext

# How many records run at once: the function's CONCURRENCY_LIMIT, which the IaC sets.
CONCURRENCY_LIMIT = int(os.environ.get("CONCURRENCY_LIMIT", "{{ facts.concurrency_limit }}"))

# What a record's run gives: ("success" or "fail", its result or error, the record); Powertools
# types its lists of them as plain tuples.
Outcome = tuple[Any, ...]


class GroupCircuitBreakerError(Exception):
    """The record was not run: an earlier record of its group failed in this batch."""


class ConcurrentBatchProcessor(AsyncBatchProcessor):
    """AsyncBatchProcessor that runs at most `limit` records at once, and with `group_of` each
    group's records in order, the rest of a group reported after its first failure.

    Without `group_of`, a failure holds back nothing: the batch's later records run beside it.
    On a stream or a Kafka topic (on_first_failure=continue) Lambda then delivers again every
    record after the lowest failure, as it does when they run one after another, so the record
    handler must bear a record run twice.
    """

    circuit_breaker: ExceptionInfo = (
        GroupCircuitBreakerError,
        GroupCircuitBreakerError("not run: an earlier record of its group failed"),
        None,
    )

    def __init__(
        self,
        *args: Any,
        limit: int = CONCURRENCY_LIMIT,
        group_of: Callable[[dict[str, Any]], Hashable] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        if limit < 1:
            raise ValueError(f"the concurrency limit must be at least 1, not {limit}")
        self.limit = limit
        self.group_of = group_of
        self.runner: asyncio.Runner | None = None

    def __call__(
        self,
        records: list[dict[str, Any]],
        handler: Callable[..., Any],
        lambda_context: LambdaContext | None = None,
    ) -> "ConcurrentBatchProcessor":
        # This processor awaits what the record handler returns: a synchronous one would run,
        # then every record would fail on the await, and be retried until it reached the DLQ.
        if not inspect.iscoroutinefunction(handler):
            raise TypeError(
                f"record handler {getattr(handler, '__name__', handler)!r} is synchronous: the "
                "asynchronous processor awaits it; make it `async def`, or use BatchProcessor"
            )
        super().__call__(records, handler, lambda_context)
        return self

    def async_process(self) -> list[Outcome]:
        """Run the batch to its end on the processor's own event loop; the outcomes in the
        records' order."""
        if self.runner is None:
            self.runner = asyncio.Runner()
            self.runner.get_loop().set_default_executor(ThreadPoolExecutor(self.limit))
        return self.runner.run(self.run_lanes())

    def lanes(self) -> list[list[tuple[int, dict[str, Any]]]]:
        """The records with their places, in lanes that one worker runs in order: each record
        alone, or with `group_of` each group."""
        if self.group_of is None:
            return [[(place, record)] for place, record in enumerate(self.records)]
        groups: dict[Hashable, list[tuple[int, dict[str, Any]]]] = {}
        for place, record in enumerate(self.records):
            groups.setdefault(self.group_of(record), []).append((place, record))
        return list(groups.values())

    async def run_lanes(self) -> list[Outcome]:
        outcomes: dict[int, Outcome] = {}
        waiting = iter(self.lanes())  # shared: each lane goes to the first idle worker

        async def worker() -> None:
            for lane in waiting:
                for position, (place, record) in enumerate(lane):
                    outcomes[place] = await self._async_process_record(record)
                    if outcomes[place][0] == "fail" and self.group_of is not None:
                        for later, skipped in lane[position + 1 :]:
                            outcomes[later] = self.skip(skipped)
                        break

        await asyncio.gather(*(worker() for _ in range(min(self.limit, len(self.records)))))
        ordered = [outcomes[place] for place in range(len(self.records))]
        # The hooks ran in the order the records ended: the response, and the errors of a batch
        # that failed whole, list them in the batch's order, as the synchronous processor does.
        places = {id(outcome[2]): place for place, outcome in enumerate(ordered)}
        self.success_messages.sort(key=lambda message: places.get(id(message), len(ordered)))
        failed = sorted(
            zip(self.fail_messages, self.exceptions, strict=True),
            key=lambda failure: places.get(id(failure[0]), len(ordered)),
        )
        self.fail_messages = [message for message, _ in failed]
        self.exceptions = [exception for _, exception in failed]
        return ordered

    def skip(self, record: dict[str, Any]) -> FailureResponse:
        """Report a record not run, as its group's circuit breaker."""
        # The data class, never the model: a record that would not parse is still reported.
        skipped = self._to_batch_type(record=record, event_type=self.event_type)
        return self.failure_handler(record=skipped, exception=self.circuit_breaker)
