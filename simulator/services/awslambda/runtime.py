"""Running a Python handler in-process, the way Lambda's Python runtime does.

- The handler module is read from the deployment zip and executed in a fresh module object of
  its own; nothing is added to ``sys.path`` or ``sys.modules`` (only the handler's module is
  loaded: other modules in the zip are not importable by it [simplification]).
- ``handler(event, context)`` gets a context object with the documented attributes
  (python-context.html): function_name, function_version, invoked_function_arn,
  memory_limit_in_mb, aws_request_id, log_group_name, log_stream_name and
  get_remaining_time_in_millis().
- An exception becomes the "Unhandled" function error whose payload is
  ``{errorMessage, errorType, requestId, stackTrace}`` (python-exceptions.html).
- What the handler prints (stdout and stderr) is captured for the function's log.
- Timeout is enforced on wall time: a watchdog raises an asynchronous exception in the
  handler's thread after ``Timeout`` seconds. It interrupts Python code only (a blocking C call,
  such as a long ``time.sleep``, finishes first), and the virtual clock does not advance while a
  handler runs. The handler runs in the caller's thread because the Cloud serves one request at
  a time, so a second thread could not reach it while the Invoke request is being answered.
"""

from __future__ import annotations

import contextlib
import ctypes
import io
import threading
import time
import traceback
import types
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


class _HandlerTimeout(BaseException):
    """Raised inside the handler's thread by the watchdog (BaseException: not caught by user
    code's ``except Exception``)."""


class LoadError(Exception):
    """The handler could not be loaded; ``error_type`` is the runtime's error type."""

    def __init__(self, error_type: str, message: str) -> None:
        super().__init__(message)
        self.error_type = error_type


@dataclass
class LambdaContext:
    """The context object a Python handler receives (python-context.html)."""

    function_name: str
    function_version: str
    invoked_function_arn: str
    memory_limit_in_mb: int
    aws_request_id: str
    log_group_name: str
    log_stream_name: str
    deadline: float  # time.monotonic() value at which the function times out

    def get_remaining_time_in_millis(self) -> int:
        return max(0, int((self.deadline - time.monotonic()) * 1000))


@dataclass
class Outcome:
    result: Any = None
    error: dict[str, Any] | None = None  # the FunctionError payload
    output: str = ""  # what the handler printed
    duration_ms: float = 0.0


def load_handler(code: bytes, handler: str) -> Callable[..., Any]:
    """Find ``module.func`` in the zip (``dir/module.func`` and dotted packages too)."""
    module_path, _, func_name = handler.rpartition(".")
    module_name = module_path.replace("/", ".")
    file_name = module_path.replace(".", "/") + ".py"
    try:
        with zipfile.ZipFile(io.BytesIO(code)) as archive:
            source = archive.read(file_name)
    except (KeyError, zipfile.BadZipFile, ValueError):
        raise LoadError(
            "Runtime.ImportModuleError",
            f"Unable to import module '{module_name}': No module named '{module_name}'",
        ) from None
    module = types.ModuleType(module_name)
    module.__file__ = f"/var/task/{file_name}"
    try:
        compiled = compile(source, module.__file__, "exec")
    except SyntaxError as exc:
        raise LoadError(
            "Runtime.UserCodeSyntaxError",
            f"Syntax error in module '{module_name}': {exc.msg} ({file_name}, line {exc.lineno})",
        ) from None
    try:
        exec(compiled, module.__dict__)  # noqa: S102 - running the learner's code is the point
    except Exception as exc:
        raise LoadError(
            "Runtime.ImportModuleError",
            f"Unable to import module '{module_name}': {exc}",
        ) from None
    func = getattr(module, func_name, None)
    if not callable(func):
        raise LoadError(
            "Runtime.HandlerNotFound",
            f"Handler '{func_name}' missing on module '{module_name}'",
        )
    return func  # type: ignore[no-any-return]


def error_payload(exc: BaseException, request_id: str) -> dict[str, Any]:
    frames = traceback.extract_tb(exc.__traceback__)
    # Drop this module's own frames: the learner sees only their code, as on Lambda.
    frames = traceback.StackSummary.from_list(
        [f for f in frames if not f.filename.endswith("awslambda/runtime.py")]
    )
    return {
        "errorMessage": str(exc),
        "errorType": type(exc).__name__,
        "requestId": request_id,
        "stackTrace": traceback.format_list(frames),
    }


def _async_raise(thread_id: int, exc: type[BaseException] | None) -> None:
    ctypes.pythonapi.PyThreadState_SetAsyncExc(
        ctypes.c_ulong(thread_id), ctypes.py_object(exc) if exc else ctypes.c_void_p(0)
    )


def run(func: Callable[..., Any], event: Any, context: LambdaContext, timeout: int) -> Outcome:
    """Call the handler with stdout/stderr captured and the wall-clock timeout enforced."""
    out = io.StringIO()
    outcome = Outcome()
    thread_id = threading.get_ident()
    guard = threading.Lock()
    state = {"done": False, "fired": False}

    def watchdog() -> None:
        with guard:
            if not state["done"]:
                state["fired"] = True
                _async_raise(thread_id, _HandlerTimeout)

    timer = threading.Timer(timeout, watchdog)
    timer.daemon = True
    started = time.monotonic()
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(out):
            timer.start()
            try:
                try:
                    outcome.result = func(event, context)
                finally:
                    with guard:
                        state["done"] = True
                    timer.cancel()
                    if state["fired"]:
                        _async_raise(thread_id, None)  # drop one still pending
            except _HandlerTimeout:
                raise
            except Exception as exc:
                outcome.error = error_payload(exc, context.aws_request_id)
    except _HandlerTimeout:
        outcome.error = timed_out(context.aws_request_id, timeout)
    outcome.duration_ms = (time.monotonic() - started) * 1000
    if outcome.error is None and outcome.duration_ms > timeout * 1000:
        outcome.error = timed_out(context.aws_request_id, timeout)  # a blocking call ran over
    outcome.output = out.getvalue()
    return outcome


def timed_out(request_id: str, timeout: int) -> dict[str, Any]:
    # The message Lambda reports for a timeout, e.g. "Task timed out after 3.00 seconds"
    # (troubleshooting-invocation.html); its errorType is "Sandbox.Timedout". [U] exact fields
    return {
        "errorMessage": f"Task timed out after {timeout:.2f} seconds",
        "errorType": "Sandbox.Timedout",
        "requestId": request_id,
    }
