"""Lambda state: functions per account and Region, with their code, settings and policy.

The deployment package is kept as the uploaded zip bytes (``code``), so snapshots carry it;
functions registered from Python callables (the notebook shortcut) keep no code here and are
not restored from snapshots (a callable cannot be written to a file).

Logs are kept as CloudWatch Logs keeps them for a Lambda function: one log stream per
invocation (the context's ``log_stream_name``), each a list of timestamped events. The Logs
service (``simulator/services/logs``) reads them through ``LambdaService.log_streams``.
"""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass, field


@dataclass
class Function:
    name: str
    arn: str
    runtime: str
    role: str
    handler: str
    code: bytes = field(repr=False)
    code_sha256: str
    code_size: int
    description: str
    timeout: int
    memory_size: int
    last_modified: _dt.datetime
    revision_id: str
    environment: dict[str, str] = field(default_factory=dict)
    statements: list[str] = field(default_factory=list)  # resource-policy statements, JSON
    policy_revision: str = ""
    registered: bool = False  # a Python callable registered with LambdaService.register


@dataclass
class LogEvent:
    timestamp: int  # ms since the epoch, from the virtual clock (also the ingestion time)
    message: str  # one log line, without its line break


@dataclass
class LogStream:
    name: str  # <YYYY/MM/DD>/[$LATEST]<32 hex>, as Lambda names it
    created: int  # ms since the epoch
    events: list[LogEvent] = field(default_factory=list)


@dataclass
class RegionState:
    functions: dict[str, Function] = field(default_factory=dict)
    # function name -> its log streams (group /aws/lambda/<name>), oldest first; they outlive
    # the function, as a log group outlives a deleted function on AWS
    streams: dict[str, list[LogStream]] = field(default_factory=dict)
