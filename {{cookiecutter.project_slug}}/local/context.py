"""A Lambda context as the runtime passes it, for local runs and tests."""

from aws_lambda_powertools.utilities.typing import LambdaContext

FUNCTION_NAME = "{{ cookiecutter.project_slug }}"
REGION = "{{ cookiecutter.aws_region }}"


class LocalLambdaContext(LambdaContext):
    """The attributes Powertools reads, and a time budget a test can set."""

    def __init__(self, remaining_time_in_millis: int = 30_000) -> None:
        self._function_name = FUNCTION_NAME
        self._function_version = "$LATEST"
        self._invoked_function_arn = (
            f"arn:aws:lambda:{REGION}:123456789012:function:{FUNCTION_NAME}"
        )
        self._memory_limit_in_mb = 256
        self._aws_request_id = "6f1b7c9e-0000-4000-8000-000000000001"
        self._log_group_name = f"/aws/lambda/{FUNCTION_NAME}"
        self._log_stream_name = "2026/11/26/[$LATEST]0123456789abcdef"
        self.remaining_time_in_millis = remaining_time_in_millis

    def get_remaining_time_in_millis(self) -> int:  # type: ignore[override]
        return self.remaining_time_in_millis
