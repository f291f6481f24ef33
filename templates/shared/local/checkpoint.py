{#- What Lambda's event source mappings for a log read in order share, played locally: a
    checkpoint on one sequence of records (a stream's shard, a Kafka topic's partition) and the
    rules that move it. local/shards.py (streams) and the Kafka local/mapping.py hold them. -#}
{% macro records() -%}
Record = dict[str, Any]


class Records(Protocol):
    """Where a checkpoint reads its shard from: the records in order, from the oldest one
    (TRIM_HORIZON)."""

    def read(self, limit: int) -> list[Record]:
        """The next records, at most `limit`, shaped as in Lambda's event."""
        ...

    def sequence_number(self, record: Record) -> str: ...
{%- endmacro %}
{% macro checkpoint() -%}
@dataclass(frozen=True)
class StreamSettings:
    """The stream event's settings that decide what happens to a failed record."""

    batch_size: int
    max_retries: int
    bisect: bool
    reports_failures: bool

    @classmethod
    def of(cls, event: dict[str, Any]) -> "StreamSettings":
        return cls(
            batch_size=int(event.get("BatchSize", 100)),
            max_retries=int(event.get("MaximumRetryAttempts", -1)),
            bisect=bool(event.get("BisectBatchOnFunctionError", False)),
            reports_failures="ReportBatchItemFailures" in event.get("FunctionResponseTypes", []),
        )


@dataclass
class Settled:
    """What the answer to one batch did to the checkpoint."""

    bisected: bool = False  # the invocation raised: the next batch is the first half of this one
    succeeded: list[Record] = field(default_factory=list)  # not reported failed
    passed: list[Record] = field(default_factory=list)  # now behind the checkpoint
    failed: Record | None = None  # the record the checkpoint stays at (if none was given up)
    given_up: list[Record] = field(default_factory=list)  # behind the checkpoint, failed
    tries: int = 0  # how often the first of them failed


class Checkpoint:
    """Lambda's checkpoint on one shard: which records the next invocation gets, and where its
    answer leaves the checkpoint."""

    def __init__(self, records: Records, settings: StreamSettings) -> None:
        self.records = records
        self.settings = settings
        self.pending: list[Record] = []  # read, not yet behind the checkpoint
        self.size = settings.batch_size  # of the next batch: less after a bisection
        self.tries = 0  # failed tries of the record at the checkpoint

    def next_batch(self) -> list[Record]:
        """The records from the checkpoint the next invocation gets; none: the shard is read
        to its tip."""
        if len(self.pending) < self.settings.batch_size:
            self.pending += self.records.read(self.settings.batch_size - len(self.pending))
        return self.pending[: self.size]

    def settle(self, batch: list[Record], response: Any, function_error: bool = False) -> Settled:
        """Move the checkpoint by the answer to this batch, the one next_batch gave: the
        response, or an error of the invocation."""
        self.size = self.settings.batch_size
        if function_error and self.settings.bisect and len(batch) > 1:
            self.size = len(batch) // 2
            return Settled(bisected=True)
        numbers = [self.number(record) for record in batch]
        failed = set(numbers) if function_error else self.reported(numbers, response)
        lowest = min((numbers.index(number) for number in failed), default=len(batch))
        ok = [record for record, number in zip(batch, numbers, strict=True) if number not in failed]
        settled = Settled(succeeded=ok, passed=batch[:lowest])
        self.pending = self.pending[lowest:]
        if not failed:
            self.tries = 0
            return settled
        self.tries = self.tries + 1 if lowest == 0 else 1
        if 0 <= self.settings.max_retries < self.tries:
            settled.given_up, settled.tries = batch[lowest:], self.tries
            self.pending = self.pending[len(batch) - lowest :]
            self.tries = 0
        else:
            settled.failed = batch[lowest]
        return settled

    def number(self, record: Record) -> int:
        return int(self.records.sequence_number(record))

    def reported(self, numbers: list[int], response: Any) -> set[int]:
        """The sequence numbers the response reports failed, by Lambda's rules: none for no
        response or an empty list; all for an identifier that is empty or not of this batch."""
        if not self.settings.reports_failures or not response:
            return set()
        if not isinstance(response, dict):
            return set(numbers)
        items = response.get("batchItemFailures")
        if not items:
            return set()
        if not isinstance(items, list):
            return set(numbers)
        identifiers = [
            item.get("itemIdentifier") if isinstance(item, dict) else None for item in items
        ]
        if not all(
            str(identifier).isdigit() and int(str(identifier)) in numbers
            for identifier in identifiers
        ):
            return set(numbers)
        return {int(str(identifier)) for identifier in identifiers}


@dataclass
class Stretch:
    """The invocations made while the checkpoint stayed at one record: one line of the trace."""

    start: str
    invocations: int = 0
    bisections: int = 0
    ok: list[Fate] = field(default_factory=list)
{%- endmacro %}
