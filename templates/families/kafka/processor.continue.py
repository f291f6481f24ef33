# After a failure, later records still run now; Lambda commits each partition up to its lowest
# failed offset and delivers the rest again, so the record handler must tolerate repeats.
processor = ObservedBatchProcessor(event_type=EVENT_TYPE)
