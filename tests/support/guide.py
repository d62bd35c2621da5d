"""The enterprise guide's hybrid profile file, verbatim (with offline mode off), shared by the tests
that load it as a user following the guide would."""

GUIDE_HYBRID = """\
profiles:
  default: {provider: ollama, model: qwen2.5-coder:7b, base_url: http://localhost:11434}
  production: {provider: anthropic, model: claude-sonnet-4-5, api_key: ${ANTHROPIC_API_KEY}}
routing:
  local_tasks: [code_review, test_generation, documentation, refactoring]
  cloud_tasks: [architecture_decisions, production_debugging, security_analysis]
telemetry: false
"""
