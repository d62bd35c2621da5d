# Victor itself in a container (`docker compose run victor`). Online build: pulls python:3.11-slim and
# the package's dependencies from PyPI. The agent's commands still run in the separate sandbox image.
FROM python:3.11-slim
RUN apt-get update && apt-get install -y --no-install-recommends git && rm -rf /var/lib/apt/lists/*
COPY pyproject.toml README.md /src/
COPY src /src/src
RUN pip install --no-cache-dir /src
ENTRYPOINT ["victor"]
