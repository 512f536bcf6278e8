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


def test_models_from_environment_and_a_models_file(monkeypatch, tmp_path):
    monkeypatch.setenv("AUTOINTERP_MODELS__MY_GPT2__SOURCE", "folder")
    monkeypatch.setenv("AUTOINTERP_MODELS__MY_GPT2__LOCATION", "/models/gpt2")
    monkeypatch.setenv("AUTOINTERP_MODELS__MY_GPT2__DTYPE", "bfloat16")
    models_file = tmp_path / "models.json"
    models_file.write_text(
        '{"pythia": {"source": "hub", "location": "EleutherAI/pythia-70m",'
        ' "revision": "a39f36b100fe8a5377810d56c3f4789b9c53ac42", "device": "cuda:1"}}'
    )
    monkeypatch.setenv("AUTOINTERP_MODELS_FILE", str(models_file))
    models = Settings(_env_file=None).configured_models()
    assert models["my_gpt2"].location == "/models/gpt2" and models["my_gpt2"].dtype == "bfloat16"
    assert models["my_gpt2"].device == "auto" and not models["my_gpt2"].trust_remote_code
    assert models["pythia"].device == "cuda:1"


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"source": "hub", "location": "gpt2"}, "needs `revision`"),
        ({"source": "folder", "location": "/m", "device": "tpu"}, "pattern"),
        ({"source": "folder", "location": "/m", "dtype": "int4"}, "float16"),
    ],
)
def test_bad_model_settings_are_refused(fields, message):
    with pytest.raises(ValidationError, match=message):
        Settings(_env_file=None, models={"m": fields})


def test_a_configured_model_may_not_take_a_built_in_name():
    from autointerp.subjects.catalog import model_sources

    settings = Settings(_env_file=None, models={"minilm-l6": {"source": "folder", "location": "/"}})
    with pytest.raises(ValueError, match="built-in names"):
        model_sources(settings.configured_models())
