# Victor itself in a container (`docker-compose run --rm victor`), built from material on this machine
# only, so it works with no registry and no package index:
#   1. `victor sandbox build --offline`            → the base image, also tagged victor-sandbox:compose
#   2. `victor airgap pack victor-bundle.tar && tar -xf victor-bundle.tar`
#                                                   → victor-bundle/wheels: Victor and every dependency
# The wheels are unpacked onto PYTHONPATH (the base has Debian's python3 without pip; the bundle's wheels
# are built for the same Python minor version). The agent's commands still run in separate sandbox
# containers, started through the engine's socket.
ARG BASE=victor-sandbox:compose
FROM ${BASE}
ARG WHEELS=victor-bundle/wheels
USER root
COPY ${WHEELS}/ /opt/victor/wheels/
RUN python3 -c "import glob, zipfile; [zipfile.ZipFile(w).extractall('/opt/victor/lib') for w in sorted(glob.glob('/opt/victor/wheels/*.whl'))]" \
    && rm -rf /opt/victor/wheels
ENV PYTHONPATH=/opt/victor/lib
ENTRYPOINT ["python3", "-m", "victor"]
