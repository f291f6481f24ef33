{#- processor.py's parts of the synchronous processor: the guard against an async record handler. -#}

{%- macro standard_imports() %}
import inspect
from collections.abc import Callable
from typing import Any
{%- endmacro %}

{%- macro powertools_imports() %}
from aws_lambda_powertools.utilities.typing import LambdaContext
{%- endmacro %}

{%- macro guard() %}

    def __call__(
        self,
        records: list[dict[str, Any]],
        handler: Callable[..., Any],
        lambda_context: LambdaContext | None = None,
    ) -> "ObservedBatchProcessor":
        # The synchronous processor never awaits a coroutine: an async record handler would
        # "succeed" on every record without running, and the messages would be deleted.
        if inspect.iscoroutinefunction(handler):
            raise TypeError(
                f"record handler {getattr(handler, '__name__', handler)!r} is async: the synchronous "
                "BatchProcessor would never await it; make it synchronous, or use AsyncBatchProcessor"
            )
        super().__call__(records, handler, lambda_context)
        return self
{%- endmacro %}
