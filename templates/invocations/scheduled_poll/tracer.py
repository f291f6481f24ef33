# Only botocore is patched (the poller's SQS calls): patching every library Tracer knows is
# most of what it adds to a cold start.
tracer = Tracer(patch_modules=("botocore",))
