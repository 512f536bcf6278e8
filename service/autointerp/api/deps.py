"""Dependencies routes declare: the process's resources and brokers, kept on app state."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from autointerp.resources import Resources
from autointerp.store.queues import Brokers


def _resources(request: Request) -> Resources:
    resources: Resources = request.app.state.resources
    return resources


def _brokers(request: Request) -> Brokers:
    brokers: Brokers = request.app.state.brokers
    return brokers


ResourcesDep = Annotated[Resources, Depends(_resources)]
BrokersDep = Annotated[Brokers, Depends(_brokers)]
