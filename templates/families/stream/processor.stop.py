# The first failure stops the batch: it and every later record are reported without running.
processor = ObservedBatchProcessor(event_type=EVENT_TYPE)
