# Conflict Map: the dashboard with its embedded gazetteer and offline map assets baked into the image.
# Build: docker build -t conflict-map .   Run: docker run -p 8501:8501 -e DATABASE_URL=... conflict-map
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1
RUN apt-get update \
 && apt-get install -y --no-install-recommends npm curl \
 && rm -rf /var/lib/apt/lists/*

WORKDIR /app
COPY requirements.txt ./
RUN pip install -r requirements.txt

COPY . .
# Leaflet and plugins from the npm registry, the gazetteer index and the detailed basemap: once, at build time.
# Bytecode too (PYTHONDONTWRITEBYTECODE: the server could not write it, and would compile on every start).
RUN bash scripts/fetch_assets.sh && python -m geo gazetteer build && python -m geo basemap build \
 && python -m compileall -q geo pages dashboard.py serve.py \
 && useradd --create-home --uid 10001 analyst && chown -R analyst /app/data
USER analyst

EXPOSE 8501
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
  CMD curl -fsS http://localhost:8501/_stcore/health || exit 1
CMD ["streamlit", "run", "serve.py", "--server.port=8501", "--server.address=0.0.0.0"]
