"""Dependencies routes declare: the process's runtime and brokers, kept on app state."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from autointerp.runtime import Runtime
from autointerp.tasks.broker import Brokers


def _runtime(request: Request) -> Runtime:
    runtime: Runtime = request.app.state.runtime
    return runtime


def _brokers(request: Request) -> Brokers:
    brokers: Brokers = request.app.state.brokers
    return brokers


RuntimeDep = Annotated[Runtime, Depends(_runtime)]
BrokersDep = Annotated[Brokers, Depends(_brokers)]
