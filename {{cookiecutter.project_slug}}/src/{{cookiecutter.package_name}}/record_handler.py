"""Business logic for one record: anything raised here fails this record only."""

from .orders import fulfil_order
from .schema import OrderRecord, order_from_record


def record_handler(record: OrderRecord) -> str:
    """Read the order from the record and fulfil it.

    Powertools calls this once per record, with the keyword ``record``. A corrupt body, a
    payload that breaks the schema and a rejected order all raise, and the processor reports
    that record in ``batchItemFailures`` so SQS retries it (then moves it to the DLQ).
    """
    return fulfil_order(order_from_record(record))
