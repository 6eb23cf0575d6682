# One image for every ParkGraph Python service: gateway, auth server, subgraphs and mock legacy systems.
# docker-compose.yml picks the process with its command (python -m gateway / auth / subgraphs.X / mocks.X).
FROM python:3.12-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

WORKDIR /app

# Dependencies first, so that a code change does not reinstall them: install the project's
# declared dependencies from pyproject.toml alone, then the code.
COPY pyproject.toml README.md ./
RUN python -c "import tomllib; print('\\n'.join(tomllib.load(open('pyproject.toml', 'rb'))['project']['dependencies']))" \
        > /tmp/requirements.txt \
    && pip install -r /tmp/requirements.txt \
    && rm /tmp/requirements.txt

COPY gateway ./gateway
COPY subgraphs ./subgraphs
COPY adapters ./adapters
COPY auth ./auth
COPY schema ./schema
COPY mocks ./mocks
COPY parkgraph ./parkgraph
RUN pip install --no-deps . \
    && useradd --system --uid 10001 --home-dir /app parkgraph \
    && mkdir -p /var/lib/parkgraph/drops /var/lib/parkgraph/supergraph \
    && chown -R parkgraph /var/lib/parkgraph

USER parkgraph
# Every HTTP service answers GET /health; compose sets a healthcheck per service with its port.
CMD ["parkgraph", "--help"]
