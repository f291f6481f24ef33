# This function makes no AWS calls of its own, so nothing is patched: patching botocore and
# the other libraries is most of what Tracer adds to a cold start.
tracer = Tracer(patch_modules=())
