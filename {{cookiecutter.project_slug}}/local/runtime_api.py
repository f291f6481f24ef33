"""The function on this machine as Lambda runs it: AWS's runtime interface client (awslambdaric)
in a process of its own, behind a small Lambda Runtime API on 127.0.0.1.

The client asks for the next event (GET /2018-06-01/runtime/invocation/next), runs the handler
that {{ facts.stack }}'s `Handler` names and posts its result (.../response) or error (.../error);
a handler it cannot load is posted to /runtime/init/error, as in AWS.
"""

import json
import os
import queue
import subprocess
import sys
import threading
import time
import uuid
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import TracebackType
from typing import IO, Any

PREFIX = "/2018-06-01/runtime"
# The process's entry: awslambdaric, with the demo's one transient fault installed first.
ENTRY = Path(__file__).with_name("flaky_runtime.py")


class FunctionInitError(RuntimeError):
    """The runtime client could not load the handler (a wrong Handler path, an import error)."""


@dataclass
class Invocation:
    """One event given to the function, and its answer: a response, or an error."""

    request_id: str
    event: bytes
    deadline_ms: int
    answered: threading.Event = field(default_factory=threading.Event)
    response: Any = None
    error: dict[str, Any] | None = None


class RuntimeApi:
    """Hands queued invocations to the runtime client and collects their answers."""

    def __init__(self, function_arn: str) -> None:
        self.function_arn = function_arn
        self.pending: queue.Queue[Invocation] = queue.Queue()
        self.invocations: dict[str, Invocation] = {}
        self.init_error: dict[str, Any] | None = None
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._request_handler())
        self.server.daemon_threads = True  # a client's long poll never holds up the exit
        self._thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def address(self) -> str:
        host, port = self.server.server_address[:2]
        return f"{host!s}:{port}"

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    def submit(self, event: dict[str, Any], timeout_seconds: float) -> Invocation:
        invocation = Invocation(
            request_id=str(uuid.uuid4()),
            event=json.dumps(event).encode(),
            deadline_ms=int((time.time() + timeout_seconds) * 1000),
        )
        self.invocations[invocation.request_id] = invocation
        self.pending.put(invocation)
        return invocation

    def _request_handler(self) -> type[BaseHTTPRequestHandler]:
        api = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, format: str, *args: Any) -> None:
                """Quiet: the trace is the harness's to print."""

            def do_GET(self) -> None:
                if self.path != f"{PREFIX}/invocation/next":
                    self.send_error(404)
                    return
                invocation = api.pending.get()  # the client long-polls: wait for work
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Lambda-Runtime-Aws-Request-Id", invocation.request_id)
                self.send_header("Lambda-Runtime-Deadline-Ms", str(invocation.deadline_ms))
                self.send_header("Lambda-Runtime-Invoked-Function-Arn", api.function_arn)
                self.send_header("Lambda-Runtime-Trace-Id", f"Root=1-{uuid.uuid4().hex[:24]}")
                self.send_header("Content-Length", str(len(invocation.event)))
                self.end_headers()
                self.wfile.write(invocation.event)

            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                parts = self.path.removeprefix(PREFIX).strip("/").split("/")
                if parts == ["init", "error"]:
                    api.init_error = json.loads(body or b"{}")
                elif len(parts) == 3 and parts[0] == "invocation" and parts[1] in api.invocations:
                    invocation = api.invocations.pop(parts[1])
                    if parts[2] == "response":
                        invocation.response = json.loads(body) if body else None
                    else:
                        invocation.error = json.loads(body or b"{}")
                    invocation.answered.set()
                else:
                    self.send_error(404)
                    return
                self.send_response(202)
                self.send_header("Content-Length", "0")
                self.end_headers()

        return Handler


@dataclass(frozen=True)
class FunctionSettings:
    """What {{ facts.stack }} says about the function, and the environment it gets locally."""

    name: str
    handler: str
    code_root: Path
    timeout_seconds: float
    memory_mb: int
    region: str
    environment: dict[str, str]


class LocalFunction:
    """The handler in a runtime client process of its own, invoked through the Runtime API.

    The process gets what Lambda gives one: its code folder (CodeUri) as the working directory
    and the only addition to sys.path, Lambda's reserved variables and the function's
    environment; nothing of this machine's AWS settings. It is stopped on exit, and restarted
    after a timeout, as Lambda stops a timed-out sandbox.
    """

    def __init__(self, settings: FunctionSettings, log: IO[bytes]) -> None:
        self.settings = settings
        self.arn = f"arn:aws:lambda:{settings.region}:123456789012:function:{settings.name}"
        self.log = log
        self.api: RuntimeApi | None = None
        self.process: subprocess.Popen[bytes] | None = None

    def __enter__(self) -> "LocalFunction":
        self.start()
        return self

    def __exit__(
        self,
        error_type: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.stop()

    def environment(self, api_address: str) -> dict[str, str]:
        settings = self.settings
        return {
            "PATH": os.environ.get("PATH", os.defpath),
            "LANG": "en_US.UTF-8",
            "TZ": ":UTC",
            "LAMBDA_TASK_ROOT": str(settings.code_root),
            "PYTHONPATH": str(settings.code_root),
            "AWS_LAMBDA_RUNTIME_API": api_address,
            "_HANDLER": settings.handler,
            "AWS_LAMBDA_FUNCTION_NAME": settings.name,
            "AWS_LAMBDA_FUNCTION_VERSION": "$LATEST",
            "AWS_LAMBDA_FUNCTION_MEMORY_SIZE": str(settings.memory_mb),
            "AWS_LAMBDA_LOG_GROUP_NAME": f"/aws/lambda/{settings.name}",
            "AWS_LAMBDA_LOG_STREAM_NAME": "local/[$LATEST]0123456789abcdef",
            "AWS_REGION": settings.region,
            "AWS_DEFAULT_REGION": settings.region,
            # Never this machine's AWS configuration.
            "AWS_CONFIG_FILE": os.devnull,
            "AWS_SHARED_CREDENTIALS_FILE": os.devnull,
            **settings.environment,
        }

    def start(self) -> None:
        self.api = RuntimeApi(self.arn)
        self.api.start()
        self.process = subprocess.Popen(  # noqa: S603 (this interpreter, our own script)
            # -P: only CodeUri on sys.path, not the script's folder, as in Lambda.
            [sys.executable, "-P", str(ENTRY), self.settings.handler],
            cwd=self.settings.code_root,
            env=self.environment(self.api.address),
            stdout=self.log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # Ctrl-C reaches the harness only, which stops this
        )

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            try:
                self.process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
            self.process = None
        if self.api is not None:
            self.api.stop()
            self.api = None

    def invoke(self, event: dict[str, Any]) -> Invocation:
        """Run one invocation and wait for its answer. A handler that cannot load raises; a
        timeout or a crash is answered as Lambda does (an error), and the process restarted."""
        if self.api is None or self.process is None:
            raise RuntimeError("the function is not started")
        invocation = self.api.submit(event, self.settings.timeout_seconds)
        deadline = time.monotonic() + self.settings.timeout_seconds
        while not invocation.answered.wait(timeout=0.02):
            exited = self.process.poll() is not None
            if self.api.init_error is not None:  # posted before the process exits
                error = self.api.init_error
                raise FunctionInitError(f"{error.get('errorType')}: {error.get('errorMessage')}")
            if exited:
                message = f"the runtime process exited ({self.process.returncode})"
                return self.restart(invocation, "Runtime.ExitError", message)
            if time.monotonic() > deadline:
                message = f"Task timed out after {self.settings.timeout_seconds:.2f} seconds"
                return self.restart(invocation, "Sandbox.Timedout", message)
        return invocation

    def restart(self, invocation: Invocation, error_type: str, message: str) -> Invocation:
        """Answer the invocation with this error and start a fresh process, as Lambda does
        after a timeout or a crash."""
        self.stop()
        self.start()
        invocation.error = {"errorType": error_type, "errorMessage": message}
        return invocation
