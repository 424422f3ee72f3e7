"""Lambda state: functions per account and Region, with their code, settings and policy.

The deployment package is kept as the uploaded zip bytes (``code``), so snapshots carry it;
functions registered from Python callables (the notebook shortcut) keep no code here and are
not restored from snapshots (a callable cannot be written to a file).
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
class RegionState:
    functions: dict[str, Function] = field(default_factory=dict)
    logs: dict[str, list[str]] = field(default_factory=dict)  # function name -> log lines
