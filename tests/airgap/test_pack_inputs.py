"""What `victor airgap pack` refuses before it starts the slow work, the Ollama store layout it reads,
and the profile it writes (validated by the real config loader)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from victor.airgap.models import gguf_models, ollama_model
from victor.airgap.profile import render_profile
from victor.config import load_config
from victor.errors import UsageError
from victor.models.catalog import QWEN_CODER_1_5B
from victor.models.store import ensure_model


def test_an_existing_out_is_refused(victor, tmp_path: Path) -> None:  # noqa: ANN001
    (tmp_path / "bundle").mkdir()
    result = victor("airgap", "pack", str(tmp_path / "bundle"))
    assert result.returncode == 2
    assert result.stderr.startswith(f"victor: error: {tmp_path / 'bundle'} already exists")


def test_a_model_that_is_not_gguf_is_named(victor, tmp_path: Path) -> None:  # noqa: ANN001
    fake = tmp_path / "model.gguf"
    fake.write_text("not a model")
    result = victor("airgap", "pack", str(tmp_path / "out"), "--model", str(fake))
    assert result.returncode == 2
    assert f"victor: error: --model {fake}: not a GGUF file" in result.stderr
    assert not (tmp_path / "out").exists()


def test_an_unknown_python_is_refused(victor, tmp_path: Path) -> None:  # noqa: ANN001
    gguf = tmp_path / "m.gguf"
    gguf.write_bytes(b"GGUF" + bytes(16))
    result = victor("airgap", "pack", str(tmp_path / "out"), "--model", str(gguf), "--python", "2.9")
    assert result.returncode == 2 and "--python 2.9: no python2.9 interpreter on PATH" in result.stderr


def ollama_store_with(tmp_path: Path, name: str, repository: str, tag: str) -> Path:
    store = tmp_path / "ollama"
    digests = ["sha256:" + "a" * 64, "sha256:" + "b" * 64]
    manifest = store / "manifests" / "registry.ollama.ai" / repository / tag
    manifest.parent.mkdir(parents=True)
    manifest.write_text(json.dumps({"config": {"digest": digests[0]}, "layers": [{"digest": digests[1]}]}))
    (store / "blobs").mkdir()
    for digest in digests:
        (store / "blobs" / digest.replace(":", "-")).write_bytes(b"blob")
    return store


def test_an_ollama_model_is_its_manifest_and_blobs(tmp_path: Path) -> None:
    store = ollama_store_with(tmp_path, "qwen2.5-coder:7b", "library/qwen2.5-coder", "7b")
    model = ollama_model("qwen2.5-coder:7b", store)
    assert model.files == ("manifests/registry.ollama.ai/library/qwen2.5-coder/7b",
                           f"blobs/sha256-{'a' * 64}", f"blobs/sha256-{'b' * 64}")


def test_a_missing_ollama_model_or_blob_is_named(tmp_path: Path) -> None:
    store = ollama_store_with(tmp_path, "me/coder:latest", "me/coder", "latest")
    assert ollama_model("me/coder", store).name == "me/coder"
    with pytest.raises(UsageError, match="--ollama-model other:1b: not in Ollama's store"):
        ollama_model("other:1b", store)
    (store / "blobs" / f"sha256-{'b' * 64}").unlink()
    with pytest.raises(UsageError, match=f"blob .*sha256-{'b' * 64} is missing"):
        ollama_model("me/coder", store)


def test_the_profile_is_offline_and_loads(tmp_path: Path, victor_home: Path) -> None:
    text = render_profile(["coder-7b.gguf", "qwen2.5-coder-1.5b-instruct-q4_k_m.gguf"], ["qwen2.5-coder:7b"],
                          "victor-sandbox:abc")
    (victor_home / "profiles.yaml").write_text(text)
    config = load_config().config
    assert config.offline_mode and config.default_profile == "airgapped"
    airgapped = config.profiles["airgapped"]
    assert airgapped.model_path == f"{victor_home}/models/coder-7b.gguf"
    assert airgapped.fallback == ["airgapped-qwen2-5-coder-1-5b-instruct-q4-k-m", "airgapped-qwen2-5-coder-7b"]
    assert config.profiles["airgapped-qwen2-5-coder-7b"].is_local
    assert config.sandbox.image == "victor-sandbox:abc" and config.sandbox.network is False


@pytest.mark.model
def test_with_no_model_given_the_bundle_carries_the_one_embedded_runs() -> None:
    [model] = gguf_models([])
    assert load_config().config.profiles["embedded"].model == QWEN_CODER_1_5B.name
    assert model.name == QWEN_CODER_1_5B.file_name == "qwen2.5-coder-1.5b-instruct-q4_k_m.gguf"
    assert model.stat().st_size == QWEN_CODER_1_5B.size and model == ensure_model(QWEN_CODER_1_5B)
