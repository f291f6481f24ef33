# After a failure, later records still run now; Lambda checkpoints at the lowest failed
# sequence number and delivers them again, so the record handler must tolerate repeats.
processor = ObservedBatchProcessor(event_type=EVENT_TYPE)
