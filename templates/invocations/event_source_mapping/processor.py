# When every record of a batch fails, the processor raises BatchProcessingError (Powertools'
# default, kept on purpose): the invocation counts as an error, so the function's Errors alarm
{% include source.part("processor.py") -%}
