# A failure skips only the rest of its message group; the other groups go on.
processor = ObservedBatchProcessor(skip_group_on_error=True)
