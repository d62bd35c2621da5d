"""Air-gapped bundles: `victor airgap pack` gathers wheels, models, the sandbox image and a profile
on a connected machine; `victor airgap install` verifies and installs them on one with no network.

Bundle layout (every path below BUNDLE is listed with its SHA-256 in SHA256SUMS):

    install.sh        bootstrap: verify, make a venv from wheels/ with --no-index, run `airgap install`
    SHA256SUMS        the manifest, in `sha256sum -c` format
    bundle.json       what the bundle holds: Victor version, Python, models, image tag
    requirements.txt  what install.sh and `airgap install` install from wheels/
    airgapped.yaml    the profile written into VICTOR_HOME (offline_mode: true)
    wheels/           Victor and every dependency, llama-cpp-python already built
    models/           GGUF files
    ollama/           Ollama manifests and blobs (only with --ollama-model)
    image/            the sandbox image, as `docker save` wrote it (and MCP servers' own images, mcp-*.tar)
    mcp/              the read-only directories MCP servers mount, mcp/<server>/<n>/ (mcp_runtime.py)
"""

MANIFEST = "SHA256SUMS"
DESCRIPTION = "bundle.json"
PROFILE = "airgapped.yaml"
INSTALL_SCRIPT = "install.sh"
WHEELS = "wheels"
MODELS = "models"
OLLAMA = "ollama"
IMAGE = "image"
IMAGE_FILE = f"{IMAGE}/sandbox.tar"
REQUIREMENTS = "requirements.txt"
