"""Size of what every agent request starts with: the base system prompt plus the tool schemas,
in tokens of the embedded model's tokenizer (Qwen2.5-Coder, through llama.cpp, vocabulary only) when the
`local` extra is installed, else estimated at 3.5 characters a token. Budget (issue 8): <= 1,500.

Two shapes are measured, each with all nine tools (the worst case: full-auto, a human present):
  native   — the system prompt + the tools as OpenAI-style function JSON (Ollama, OpenAI, Anthropic)
  embedded — the system prompt + the constrained-decoding tool hint the llama.cpp provider sends

Run: .venv/bin/python bench/prompt_size.py [--json]     exit 1 when a shape is over budget
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from victor.agent.prompt import system_prompt
from victor.agent.toolbox import tool_spec
from victor.providers.constrained import tool_instructions
from victor.tools.registry import all_tools

BUDGET_TOKENS = 1_500


def prompt_texts(root: Path) -> dict[str, str]:
    specs = [tool_spec(tool) for tool in all_tools()]
    base = system_prompt(root)
    functions = [{"type": "function", "function": {"name": s.name, "description": s.description,
                                                   "parameters": s.parameters}} for s in specs]
    return {"native": base + "\n" + json.dumps(functions), "embedded": tool_instructions(specs) + "\n\n" + base}


def token_counter():  # noqa: ANN201 - (callable, name)
    try:
        from llama_cpp import Llama

        from victor.providers.llamacpp import embedded_model_path

        model = Llama(model_path=str(embedded_model_path("embedded", None)), vocab_only=True, verbose=False)
        return (lambda text: len(model.tokenize(text.encode(), add_bos=False, special=True))), "qwen2.5 tokenizer"
    except Exception:  # noqa: BLE001 - no local extra: fall back to the estimate, and say so
        return (lambda text: int(len(text) / 3.5) + 1), "estimate (3.5 chars/token)"


def measure(root: Path) -> dict:
    count, counter = token_counter()
    shapes = {name: {"chars": len(text), "tokens": count(text)} for name, text in prompt_texts(root).items()}
    return {"counter": counter, "budget": BUDGET_TOKENS, "shapes": shapes,
            "ok": all(shape["tokens"] <= BUDGET_TOKENS for shape in shapes.values())}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true")
    result = measure(Path("/workspace/repo"))
    if parser.parse_args().json:
        print(json.dumps(result))
    else:
        for name, shape in result["shapes"].items():
            print(f"{name:9} {shape['tokens']:5} tokens  {shape['chars']:6} chars  (budget {BUDGET_TOKENS})")
        print(f"counted with: {result['counter']}")
    return 0 if result["ok"] else 1


if __name__ == "__main__":
    sys.exit(main())
