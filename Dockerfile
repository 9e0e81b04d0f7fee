# The dashboard as a shared service: one replica per container, behind nginx.conf for several.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1 \
    STREAMLIT_SERVER_BASE_URL_PATH=relations
WORKDIR /app
RUN groupadd --gid 10001 relations && useradd --create-home --uid 10001 --gid 10001 relations  # deploy/kubernetes runs as 10001
COPY requirements.txt .
RUN pip install -r requirements.txt
COPY --chown=relations:relations app.py ./
COPY --chown=relations:relations .streamlit ./.streamlit
COPY --chown=relations:relations pages ./pages
COPY --chown=relations:relations relations ./relations
COPY --chown=relations:relations data ./data
# Bytecode made once here: with PYTHONDONTWRITEBYTECODE, every export and replica start would compile
# the project's modules again (≈0.12 s of each `python -m relations export`).
RUN python -m compileall -q app.py pages relations
USER 10001:10001
EXPOSE 8501
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
    CMD python -c "import os, urllib.request; b = os.environ.get('STREAMLIT_SERVER_BASE_URL_PATH', '').strip('/'); urllib.request.urlopen('http://127.0.0.1:8501/' + (b + '/' if b else '') + '_stcore/health', timeout=4)" || exit 1
CMD ["streamlit", "run", "app.py", "--server.port", "8501", "--server.address", "0.0.0.0"]
