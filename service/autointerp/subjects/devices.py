"""Which devices a worker has, and the device and precision a model runs in there."""

from __future__ import annotations

import torch

from autointerp.interp.errors import InvalidRequest
from autointerp.subjects.catalog import has_device

_DTYPES = {"float32": torch.float32, "bfloat16": torch.bfloat16, "float16": torch.float16}


def available_devices() -> list[str]:
    """The devices of this process: the CPU, each CUDA device, and Apple's MPS."""
    devices = ["cpu"]
    if torch.cuda.is_available():
        devices += [f"cuda:{i}" for i in range(torch.cuda.device_count())]
    if torch.backends.mps.is_available():
        devices.append("mps")
    return devices


def resolve_device(requested: str) -> torch.device:
    """`auto`: the first accelerator, else the CPU; otherwise the device asked for, which
    this worker must have."""
    devices = available_devices()
    if requested == "auto":
        return torch.device(next((d for d in devices if d != "cpu"), "cpu"))
    if not has_device(requested, devices):
        raise InvalidRequest(
            f"device {requested!r} is not on this worker; it has {', '.join(devices)}"
        )
    return torch.device("cuda:0" if requested == "cuda" else requested)


def resolve_dtype(requested: str, device: torch.device, checkpoint: str | None) -> torch.dtype:
    """`auto`: float32 on the CPU (fast and exact there), the checkpoint's own precision on an
    accelerator; otherwise the precision asked for."""
    if requested != "auto":
        return _DTYPES[requested]
    if device.type == "cpu":
        return torch.float32
    return _DTYPES.get(checkpoint or "", torch.float32)
