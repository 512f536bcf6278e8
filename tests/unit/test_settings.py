import pytest
from pydantic import ValidationError

from autointerp.config import Settings


def test_settings_from_environment(monkeypatch):
    monkeypatch.setenv("AUTOINTERP_REDIS_URL", "redis://example:6379/2")
    monkeypatch.setenv("AUTOINTERP_LLM_PROFILES__GPT__BACKEND", "openai")
    monkeypatch.setenv("AUTOINTERP_LLM_PROFILES__GPT__MODEL", "gpt-4o-mini")
    settings = Settings(_env_file=None)
    assert settings.redis_url == "redis://example:6379/2"
    assert settings.llm_profiles["gpt"].model == "gpt-4o-mini"


def test_empty_redis_url_means_embedded(monkeypatch):
    monkeypatch.setenv("AUTOINTERP_REDIS_URL", "")
    assert Settings(_env_file=None).redis_url is None


def test_bad_values_are_rejected(monkeypatch):
    monkeypatch.setenv("AUTOINTERP_PORT", "99999")
    with pytest.raises(ValidationError):
        Settings(_env_file=None)
