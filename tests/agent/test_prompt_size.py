"""The base prompt plus all tool schemas stay within 1,500 tokens (bench/prompt_size.py)."""

from __future__ import annotations

import importlib.util
from pathlib import Path

BENCH = Path(__file__).resolve().parents[2] / "bench" / "prompt_size.py"


def test_base_prompt_and_tool_schemas_fit_the_budget(tmp_path: Path) -> None:
    spec = importlib.util.spec_from_file_location("prompt_size", BENCH)
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    result = bench.measure(tmp_path)
    assert result["ok"], result
    assert set(result["shapes"]) == {"native", "embedded"}
    assert all(200 < shape["tokens"] <= 1_500 for shape in result["shapes"].values())
    (tmp_path / "AGENTS.md").write_text("Run `make check` before you finish.\n")
    assert "make check" in bench.prompt_texts(tmp_path)["embedded"]
