"""llama.cpp in-process (`llama-cpp-python`): a GGUF from the profile's `model_path`, or an embedded
model (`victor.models`: Qwen2.5-Coder Instruct, joined from its pinned part packages) named by `model`.

Models are loaded once per process and shared (keyed by path and load settings). The chat template
comes from the GGUF; a GGUF without one gets its architecture's known format. Tool calls are written
in the model's own `<tool_call>` format when its chat template has one (Qwen2.5: the model writes
code and edits freely, the agent parses the calls from the text), else, and for a required call,
through JSON-schema constrained decoding (`constrained.py`), so even a small model emits a valid
call. This is the only module that imports `llama_cpp`.
"""

from __future__ import annotations

import contextlib
import io
import threading
from collections.abc import Iterator, Sequence
from importlib.util import find_spec
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar, cast

from victor.config.schema import Pricing, ProfileConfig
from victor.errors import ConfigError, ProviderError, VictorError
from victor.models.catalog import embedded_model
from victor.models.store import ensure_model, part_paths, verified_copy
from victor.providers import constrained
from victor.providers.base import (
    LOCAL_TEMPERATURE,
    Capabilities,
    Done,
    DoneReason,
    Event,
    Health,
    Locality,
    Message,
    StreamOptions,
    TextDelta,
    ToolSpec,
    Usage,
    function_tool,
    pick_temperature,
    reply_token_limit,
)
from victor.providers.failures import context_overflow_error
from victor.providers.pricing import cost_usd

if TYPE_CHECKING:
    from llama_cpp import Llama
    from llama_cpp.llama_types import ChatCompletionRequestMessage

LOCAL_EXTRA_HINT = "pip install 'victor-agent[local]'"
DEFAULT_N_CTX = 4096
DEFAULT_MAX_TOKENS = 512
# Chat formats for GGUFs that carry no template, by `general.architecture`.
FALLBACK_CHAT_FORMATS = {"gemma": "gemma", "gemma2": "gemma", "gemma3": "gemma"}
# Formats that drop system messages: the system text is folded into the first user turn instead.
NO_SYSTEM_FORMATS = frozenset({"gemma"})
FINISH_REASONS: dict[str, DoneReason] = {"stop": "end", "length": "length", "tool_calls": "tool_calls"}
TAGGED_CALLS_MARK = "<tool_call>"  # in a chat template: the model was trained to write calls in these tags

_models: dict[tuple[str, int, int | None, int], Llama] = {}
_models_lock = threading.Lock()
_generation_locks: dict[int, threading.Lock] = {}  # id(model) -> one generation at a time per model


def import_llama_cpp() -> Any:
    try:
        import llama_cpp
    except ImportError:
        raise ConfigError("llama.cpp support is not installed", hint=LOCAL_EXTRA_HINT) from None
    return llama_cpp


def embedded_model_path(profile_name: str, name: str | None) -> Path:
    """The embedded model `name` (None: the default one), joined from its part packages on first use."""
    try:
        return ensure_model(embedded_model(name))
    except ConfigError as error:
        raise ConfigError(f"profile '{profile_name}': {error.message}", hint=error.hint) from None


def load_model(path: Path, *, n_ctx: int, n_threads: int | None, n_gpu_layers: int | None) -> Llama:
    """The loaded model for these settings; loaded on first use, then reused for the whole process."""
    llama_cpp = import_llama_cpp()
    if n_gpu_layers is None:
        n_gpu_layers = -1 if llama_cpp.llama_supports_gpu_offload() else 0
    key = (str(path), n_ctx, n_threads, n_gpu_layers)
    with _models_lock:
        if key not in _models:
            if not path.is_file():
                raise ConfigError(f"model file not found: {path}", hint="set the profile's model_path to a GGUF file")
            log = io.StringIO()  # llama.cpp logs warnings even when not verbose; keep them for errors
            try:
                with contextlib.redirect_stderr(log):
                    model = llama_cpp.Llama(
                        model_path=str(path), n_ctx=n_ctx, n_threads=n_threads, n_gpu_layers=n_gpu_layers, verbose=False
                    )
            except ValueError as error:
                detail = (log.getvalue().strip().splitlines() or [str(error)])[-1]
                raise ConfigError(
                    f"cannot load {path}: {detail}", hint="is it a GGUF file for this llama.cpp build?"
                ) from None
            if "tokenizer.chat_template" not in model.metadata:
                model.chat_format = FALLBACK_CHAT_FORMATS.get(model.metadata.get("general.architecture", ""))
            _models[key] = model
        return _models[key]


@contextlib.contextmanager
def llama_errors() -> Iterator[None]:
    """llama-cpp-python reports a prompt longer than n_ctx (and other failures) as ValueError."""
    try:
        yield
    except ValueError as error:
        if "context window" in str(error) or "exceed" in str(error):
            raise context_overflow_error("llama.cpp", str(error)) from None
        raise ProviderError(f"llama.cpp failed: {error}") from None


class LlamaCppProvider:
    """A GGUF model running in this process."""

    provider: ClassVar[str] = "llamacpp"
    key_env: ClassVar[str | None] = None
    locality: ClassVar[Locality] = "in-process"
    fleet: ClassVar[bool] = False

    def __init__(
        self,
        profile_name: str,
        model: Llama,
        *,
        model_name: str,
        n_ctx: int,
        temperature: float | None = None,
        max_tokens: int | None = None,
        pricing: Pricing | None = None,
    ) -> None:
        self.profile = profile_name
        self.model = model_name
        self.llama = model
        self.busy = _generation_locks.setdefault(id(model), threading.Lock())
        self.temperature = temperature
        self.max_tokens = max_tokens
        self.pricing = pricing
        self.capabilities = Capabilities(native_tools=False, json_schema=True, context_window=n_ctx)
        self.calls_as_text = TAGGED_CALLS_MARK in (model.metadata.get("tokenizer.chat_template") or "")

    @classmethod
    def from_profile(cls, profile_name: str, profile: ProfileConfig) -> LlamaCppProvider:
        import_llama_cpp()
        if profile.model_path:
            path = Path(profile.model_path).expanduser()
        else:
            path = embedded_model_path(profile_name, profile.model)
        n_ctx = profile.n_ctx or profile.context_window or DEFAULT_N_CTX
        model = load_model(path, n_ctx=n_ctx, n_threads=profile.n_threads, n_gpu_layers=profile.n_gpu_layers)
        return cls(
            profile_name,
            model,
            model_name=profile.model or path.stem,
            n_ctx=n_ctx,
            temperature=profile.temperature,
            max_tokens=profile.max_tokens,
            pricing=profile.pricing,
        )

    @classmethod
    def probe(cls, profile: ProfileConfig) -> Health:
        """llama-cpp-python is installed and the model file is a GGUF (or the embedded model's parts
        are there); nothing is loaded."""
        if find_spec("llama_cpp") is None:
            return Health(False, "llama-cpp-python is not installed", LOCAL_EXTRA_HINT)
        if profile.model_path:
            path = Path(profile.model_path).expanduser()
            try:
                with path.open("rb") as handle:
                    magic = handle.read(4)
            except OSError as exc:
                return Health(False, f"cannot read model file {path}: {exc.strerror}", "set model_path to a GGUF file")
            if magic != b"GGUF":
                return Health(False, f"{path} is not a GGUF file", "point model_path at a .gguf model")
            return Health(True, f"llama.cpp, {path.name} ({path.stat().st_size / 1e6:.0f} MB)")
        try:
            model = embedded_model(profile.model)
            if verified_copy(model) is None:
                part_paths(model)
                return Health(True, f"llama.cpp, embedded {model.title} (joined on first use)")
        except VictorError as exc:
            return Health(False, exc.message, exc.hint)
        return Health(True, f"llama.cpp, embedded {model.title}")

    def stream(
        self, messages: Sequence[Message], tools: Sequence[ToolSpec] = (), options: StreamOptions | None = None
    ) -> Iterator[Event]:
        options = options or StreamOptions()
        settings = {
            "temperature": pick_temperature(options.temperature, self.temperature, LOCAL_TEMPERATURE),
            "max_tokens": reply_token_limit(options.max_tokens, self.max_tokens) or DEFAULT_MAX_TOKENS,
        }
        if options.tool_choice == "none":
            tools = ()
        if tools and (options.tool_choice == "required" or not self.calls_as_text):
            return self._tool_turn(messages, tools, options.tool_choice == "required", settings)
        return self._text_turn(messages, tools, settings)

    def _text_turn(
        self, messages: Sequence[Message], tools: Sequence[ToolSpec], settings: dict[str, Any]
    ) -> Iterator[Event]:
        with self.busy:  # a shared model's context holds one conversation at a time
            yield from self._generate_text(messages, tools, settings)

    def _generate_text(
        self, messages: Sequence[Message], tools: Sequence[ToolSpec], settings: dict[str, Any]
    ) -> Iterator[Event]:
        if tools:  # the template presents them in the words the model was trained on
            settings = {**settings, "tools": [function_tool(tool) for tool in tools]}
        chunks = self._complete(self._wire(messages), stream=True, **settings)
        produced, finish = 0, None
        with llama_errors():  # a streamed completion checks the prompt on the first read
            for chunk in chunks:
                choice = chunk["choices"][0]
                text = choice["delta"].get("content")
                if text:
                    produced += 1
                    yield TextDelta(text)
                finish = choice.get("finish_reason") or finish
        prompt_tokens = max(0, self.llama.n_tokens - produced)
        yield self._usage(prompt_tokens, produced)
        yield Done(FINISH_REASONS.get(finish or "stop", "end"))

    def _tool_turn(
        self, messages: Sequence[Message], tools: Sequence[ToolSpec], require: bool, settings: dict[str, Any]
    ) -> Iterator[Event]:
        hint = Message(role="system", content=constrained.tool_instructions(tools, require_tool=require))
        schema = constrained.call_schema(tools, require_tool=require)
        with self.busy:
            reply = self._complete(
                self._wire([hint, *messages]), response_format={"type": "json_object", "schema": schema}, **settings
            )
        choice = reply["choices"][0]
        event = constrained.decode_reply(choice["message"]["content"] or "", tools)
        yield event
        yield self._usage(reply["usage"]["prompt_tokens"], reply["usage"]["completion_tokens"])
        if isinstance(event, TextDelta):
            yield Done(FINISH_REASONS.get(choice.get("finish_reason") or "stop", "end"))
        else:
            yield Done("tool_calls")

    def _complete(self, wire: list[dict[str, str]], **kwargs: Any) -> Any:
        with llama_errors():
            messages = cast("list[ChatCompletionRequestMessage]", wire)  # plain_chat's role/content dicts
            return self.llama.create_chat_completion(messages=messages, **kwargs)

    def _usage(self, input_tokens: int, output_tokens: int) -> Usage:
        cost = cost_usd(self.provider, self.model, input_tokens, output_tokens, self.pricing)
        return Usage(input_tokens=input_tokens, output_tokens=output_tokens, cost_usd=cost)

    def _wire(self, messages: Sequence[Message]) -> list[dict[str, str]]:
        fold_system = self.llama.chat_format in NO_SYSTEM_FORMATS
        return constrained.plain_chat(messages, fold_system=fold_system, tagged=self.calls_as_text)

    def list_models(self) -> list[str]:
        return [self.model]

    def close(self) -> None:
        """Nothing to release: the loaded model stays cached for the next provider in this process."""
