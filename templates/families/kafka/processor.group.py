# The first failure stops its partition: it and every later record of that partition are
# reported without running; the other partitions of the batch go on.
processor = ObservedBatchProcessor(event_type=EVENT_TYPE{% if facts.concurrent %}, group_of=group_of{% endif %})
