# The first failure stops the batch: it and every later message are returned, in order.
processor = ObservedBatchProcessor()
