"""The function run locally under AWS's own runtime client (awslambdaric), behind a small Lambda
Runtime API: the `/2018-06-01/runtime/...` endpoints the client polls, on 127.0.0.1."""

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
from typing import Any

PREFIX = "/2018-06-01/runtime"
PROJECT = Path(__file__).resolve().parent.parent


class FunctionInitError(RuntimeError):
    """The runtime client could not load the handler (a wrong Handler path, an import error)."""


@dataclass
class Invocation:
    """One event given to the function, and what it answered."""

    request_id: str
    event: bytes
    deadline_ms: int
    answered: threading.Event = field(default_factory=threading.Event)
    response: Any = None
    error: dict[str, Any] | None = None


class RuntimeApi:
    """Hands queued invocations to the runtime client and collects their answers."""

    def __init__(self, function_arn: str, timeout_seconds: float) -> None:
        self.function_arn = function_arn
        self.timeout_ms = int(timeout_seconds * 1000)
        self.pending: queue.Queue[Invocation] = queue.Queue()
        self.invocations: dict[str, Invocation] = {}
        self.init_error: dict[str, Any] | None = None
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._request_handler())
        self.server.daemon_threads = True
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

    def submit(self, event: dict[str, Any]) -> Invocation:
        invocation = Invocation(
            request_id=str(uuid.uuid4()),
            event=json.dumps(event).encode(),
            deadline_ms=int(time.time() * 1000) + self.timeout_ms,
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
                invocation = api.pending.get()  # the client long-polls: block until there is work
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
                    invocation = api.invocations[parts[1]]
                    if parts[2] == "response":
                        invocation.response = json.loads(body) if body else None
                    elif parts[2] == "error":
                        invocation.error = json.loads(body or b"{}")
                    else:
                        self.send_error(404)
                        return
                    invocation.answered.set()
                else:
                    self.send_error(404)
                    return
                self.send_response(202)
                self.send_header("Content-Length", "0")
                self.end_headers()

        return Handler


class LocalFunction:
    """The function's handler in a runtime client process of its own, invoked through the API.

    `entry` is the module the process runs (`awslambdaric`, or a module that prepares the
    process and then starts it); `handler` is the Handler path from template.yaml.
    """

    def __init__(
        self,
        handler: str,
        environment: dict[str, str],
        *,
        code_root: Path,
        timeout_seconds: float,
        entry: str = "awslambdaric",
        log: Path | None = None,
    ) -> None:
        self.handler = handler
        self.api = RuntimeApi(
            "arn:aws:lambda:us-east-1:123456789012:function:local", timeout_seconds
        )
        self.timeout_seconds = timeout_seconds
        self.environment = environment
        self.code_root = code_root
        self.entry = entry
        self.log_path = log
        self.process: subprocess.Popen[bytes] | None = None

    def __enter__(self) -> "LocalFunction":
        self.api.start()
        environment = {
            **os.environ,
            **self.environment,
            "AWS_LAMBDA_RUNTIME_API": self.api.address,
            "LAMBDA_TASK_ROOT": str(self.code_root),
            "PYTHONPATH": os.pathsep.join([str(self.code_root), str(PROJECT)]),
        }
        log = open(self.log_path or os.devnull, "wb")  # closed in __exit__
        self._log = log
        self.process = subprocess.Popen(  # noqa: S603 (our own interpreter and module)
            [sys.executable, "-m", self.entry, self.handler],
            cwd=PROJECT,
            env=environment,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        return self

    def __exit__(
        self,
        error_type: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        if self.process is not None:
            self.process.terminate()
            try:
                self.process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.api.stop()
        self._log.close()

    def invoke(self, event: dict[str, Any]) -> Invocation:
        """Run one invocation and wait for its answer (a response, or an error)."""
        invocation = self.api.submit(event)
        deadline = time.monotonic() + self.timeout_seconds + 10
        while not invocation.answered.wait(timeout=0.05):
            if self.api.init_error is not None:
                raise FunctionInitError(json.dumps(self.api.init_error))
            if self.process is not None and self.process.poll() is not None:
                raise FunctionInitError(f"the runtime process exited ({self.process.returncode})")
            if time.monotonic() > deadline:
                raise TimeoutError(f"no answer within {self.timeout_seconds} s")
        return invocation
