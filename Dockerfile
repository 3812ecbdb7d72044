FROM python:3.11-slim
WORKDIR /app
COPY requirements.lock pyproject.toml alembic.ini README.md ./
COPY src ./src
COPY migrations ./migrations
RUN pip install --no-cache-dir -r requirements.lock -e . \
    && useradd --create-home coopac
USER coopac
EXPOSE 8000
CMD ["coopac", "serve", "--host", "0.0.0.0", "--port", "8000", "--workers", "2"]
