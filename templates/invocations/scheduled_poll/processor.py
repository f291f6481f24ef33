# The poller leaves failed messages on the queue itself, and a round in which every message
# fails must not stop the rounds after it: so no BatchProcessingError when all fail.
processor = ObservedBatchProcessor(event_type=EVENT_TYPE, raise_on_entire_batch_failure=False)
