"""Content addressing: an operation's id is the hash of everything that determines its result."""

from __future__ import annotations

import hashlib
import json
from typing import Any

# Bump when stored results change meaning, so old entries are never served for new requests.
KEY_NAMESPACE = "v1"


def canonical_json(value: Any) -> str:
    """JSON with sorted keys and no insignificant whitespace: equal values, equal text."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def content_hash(value: Any) -> str:
    """SHA-256 (hex) of the canonical JSON of `value`, under the versioned namespace."""
    payload = canonical_json({"namespace": KEY_NAMESPACE, "value": value})
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()
