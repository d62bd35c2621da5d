"""Ollama through the `ollama` SDK: streamed chat, native tools when the model's template supports
them (asked once through `/api/show`), otherwise tool calls by JSON-schema `format`. `num_ctx` is
sized to each conversation, because Ollama's small default silently drops the start of long ones.
This is the only module that imports `ollama`.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from functools import cached_property
from typing import Any

from victor.config.schema import ProfileConfig
from victor.config.urls import uses_env_proxy
from victor.errors import ProviderError
from victor.providers import constrained
from victor.providers.base import (
    LOCAL_TEMPERATURE,
    Capabilities,
    Done,
    DoneReason,
    Event,
    Health,
    Message,
    StreamOptions,
    TextDelta,
    ToolCall,
    ToolSpec,
    Usage,
    function_tool,
    new_call_id,
    reply_token_limit,
)
from victor.providers.failures import connection_error, status_error, stream_cut_error, timeout_error
from victor.providers.http_base import HTTPProvider, probe_get
from victor.providers.pricing import cost_usd
from victor.providers.retry import RetryPolicy

DEFAULT_CONTEXT_WINDOW = 8192
MIN_NUM_CTX = 4096
NUM_CTX_STEP = 2048
REPLY_ALLOWANCE = 1024
DONE_REASONS: dict[str, DoneReason] = {"stop": "end", "length": "length"}
START_HINT = "start it with `ollama serve`"


class OllamaProvider(HTTPProvider):
    """A model served by a local (or remote) Ollama."""

    provider = "ollama"
    locality = "local"
    fleet = True
    default_url = "http://localhost:11434"
    default_temperature = LOCAL_TEMPERATURE

    def __init__(self, profile_name: str, profile: ProfileConfig, *, retry: RetryPolicy | None = None) -> None:
        import ollama

        super().__init__(profile_name, profile, url=profile.server_url or self.default_url, retry=retry)
        self.client = ollama.Client(host=self.url, timeout=profile.timeout_s, trust_env=uses_env_proxy(self.url))

    @classmethod
    def from_profile(cls, profile_name: str, profile: ProfileConfig) -> OllamaProvider:
        return cls(profile_name, profile)

    @classmethod
    def probe(cls, profile: ProfileConfig) -> Health:
        """The server answers and has the profile's model."""
        base = (profile.server_url or cls.default_url).rstrip("/")
        try:
            response = probe_get(f"{base}/api/tags")
            response.raise_for_status()
            models = [entry.get("name", "") for entry in response.json().get("models", [])]
        except Exception as exc:  # noqa: BLE001 - any failure means "not reachable", reported as such
            return Health(False, f"Ollama not reachable at {base} ({type(exc).__name__})", "run `ollama serve`")
        wanted = profile.model or ""
        if wanted in models or f"{wanted}:latest" in models:
            return Health(True, f"ollama {wanted} at {base}")
        return Health(False, f"model {wanted} not in Ollama at {base}", f"run `ollama pull {wanted}`")

    @cached_property
    def capabilities(self) -> Capabilities:
        """From `/api/show`: native tools if the template takes them; the model's context length."""
        info = self._call(self.client.show, self.model)
        native = "tools" in (info.capabilities or []) or ".Tools" in (info.template or "")
        lengths = [v for k, v in (info.modelinfo or {}).items() if k.endswith(".context_length")]
        window = self.settings.context_window or (int(lengths[0]) if lengths else DEFAULT_CONTEXT_WINDOW)
        return Capabilities(native_tools=native, json_schema=True, context_window=window)

    def _request(
        self, messages: Sequence[Message], tools: Sequence[ToolSpec], options: StreamOptions
    ) -> dict[str, Any]:
        """Native tools when the model takes them, else a reply constrained to a call's JSON schema."""
        if options.tool_choice == "none":
            tools = ()
        reply_tokens = reply_token_limit(options.max_tokens, self.settings.max_tokens)
        model_options: dict[str, Any] = {"num_ctx": self.num_ctx(messages, tools, reply_tokens)}
        temperature = self.temperature(options)
        if temperature is not None:
            model_options["temperature"] = temperature
        if reply_tokens:
            model_options["num_predict"] = reply_tokens
        request: dict[str, Any] = {"model": self.model, "stream": True, "options": model_options}
        if tools and not self.capabilities.native_tools:
            require = options.tool_choice == "required"
            hint = Message(role="system", content=constrained.tool_instructions(tools, require_tool=require))
            request["messages"] = constrained.plain_chat([hint, *messages], fold_system=False)
            request["format"] = constrained.call_schema(tools, require_tool=require)
        else:
            request["messages"] = wire_messages(messages)
            if tools:
                request["tools"] = [function_tool(tool) for tool in tools]
        return request

    def num_ctx(self, messages: Sequence[Message], tools: Sequence[ToolSpec], reply_tokens: int | None) -> int:
        """A context big enough for this conversation plus the reply, in steps, within the model's window."""
        characters = sum(len(m.content) + len(json.dumps([c.arguments for c in m.tool_calls])) for m in messages)
        characters += sum(len(json.dumps(t.parameters)) + len(t.description) for t in tools)
        needed = characters // 3 + (reply_tokens or REPLY_ALLOWANCE)
        stepped = -(-needed // NUM_CTX_STEP) * NUM_CTX_STEP
        return min(max(MIN_NUM_CTX, stepped), self.settings.n_ctx or self.capabilities.context_window)

    def _stream_once(self, request: dict[str, Any], tools: Sequence[ToolSpec]) -> Iterator[Event]:
        constrained_tools = tools if "format" in request else ()
        parts = self._call(self.client.chat, **request)
        reply, last, called = [], None, False
        for part in self._guarded(parts):
            last = part
            text = part.message.content or ""
            if constrained_tools:
                reply.append(text)
            elif text:
                yield TextDelta(text)
            for call in part.message.tool_calls or []:
                called = True
                yield ToolCall(id=new_call_id(), name=call.function.name, arguments=dict(call.function.arguments or {}))
        if last is None or not last.done:
            raise stream_cut_error(self.provider)
        decoded = constrained.decode_reply("".join(reply), constrained_tools) if constrained_tools else None
        if decoded is not None:
            yield decoded
        input_tokens, output_tokens = last.prompt_eval_count or 0, last.eval_count or 0
        cost = cost_usd(self.provider, self.model, input_tokens, output_tokens, self.settings.pricing)
        yield Usage(input_tokens=input_tokens, output_tokens=output_tokens, cost_usd=cost)
        called = called or isinstance(decoded, ToolCall)
        yield Done("tool_calls" if called else DONE_REASONS.get(last.done_reason or "stop", "end"))

    def _guarded(self, parts: Iterator[Any]) -> Iterator[Any]:
        """The stream's parts. The request is sent on the first read, so a failure before any part is
        mapped like any call's; a connection lost or a garbled line after that is a cut stream."""
        import httpx
        import ollama

        started = False
        try:
            for part in parts:
                started = True
                yield part
        except (httpx.HTTPError, json.JSONDecodeError, ConnectionError, ollama.ResponseError) as error:
            if not started:
                raise self._mapped(error) from None
            raise stream_cut_error(self.provider, str(error) or type(error).__name__) from None

    def _call(self, method: Any, *args: Any, **kwargs: Any) -> Any:
        try:
            return method(*args, **kwargs)
        except Exception as error:  # noqa: BLE001 - _mapped re-raises what it does not know
            raise self._mapped(error) from None

    def _mapped(self, error: Exception) -> ProviderError:
        """The SDK's failure as a ProviderError; a missing model lists what the server has."""
        import httpx
        import ollama

        if isinstance(error, httpx.TimeoutException):
            return timeout_error(self.provider, self.url, self.settings.timeout_s)
        if isinstance(error, (ConnectionError, httpx.ConnectError)):
            return connection_error(self.provider, self.url, START_HINT)
        if isinstance(error, ollama.ResponseError):
            if error.status_code == 404 and "not found" in str(error.error).lower():
                return self._model_not_found()
            return status_error(self.provider, error.status_code, str(error.error))
        raise error

    def _model_not_found(self) -> ProviderError:
        available = ", ".join(self.list_models()) or "none"
        return ProviderError(
            f"ollama at {self.url} has no model '{self.model}' (it has: {available})",
            hint=f"run `ollama pull {self.model}`, or set the profile's model to one of those",
            status=404,
        )

    def list_models(self) -> list[str]:
        listing = self._call(self.client.list)
        return sorted(model.model for model in listing.models if model.model)

    def close(self) -> None:
        self.client.close()


def wire_messages(messages: Sequence[Message]) -> list[dict[str, Any]]:
    wire: list[dict[str, Any]] = []
    for message in messages:
        entry: dict[str, Any] = {"role": message.role, "content": message.content}
        if message.tool_calls:
            entry["tool_calls"] = [{"function": {"name": c.name, "arguments": c.arguments}} for c in message.tool_calls]
        if message.role == "tool" and message.name:
            entry["tool_name"] = message.name
        wire.append(entry)
    return wire
