# roadmap-bot: one image for every replica. Build: docker build -t roadmap-bot .
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

RUN useradd --create-home --uid 10001 roadmap
WORKDIR /app

# pg_dump, pg_restore and psql of the PostgreSQL server's major version (compose.yaml's postgres
# image): the nightly backup and `roadmap-bot restore` run them. Debian's own postgresql-client
# is 15, whose pg_dump refuses a newer server; PostgreSQL's apt repository has every version.
ARG PG_MAJOR=16
RUN apt-get update \
    && apt-get install -y --no-install-recommends postgresql-common \
    && /usr/share/postgresql-common/pgdg/apt.postgresql.org.sh -y \
    && apt-get install -y --no-install-recommends "postgresql-client-${PG_MAJOR}" \
    && rm -rf /var/lib/apt/lists/*

# Dependencies first, so a code change does not reinstall them.
COPY pyproject.toml README.md ./
COPY bot ./bot
COPY cli ./cli
COPY messengers ./messengers
COPY handlers ./handlers
COPY scheduler ./scheduler
COPY storage ./storage
COPY formats ./formats
COPY domain ./domain
COPY locales ./locales
COPY standin ./standin
COPY demo ./demo
RUN pip install . && mkdir -p /var/lib/roadmap-bot && chown roadmap /var/lib/roadmap-bot \
    && chmod 700 /var/lib/roadmap-bot

USER roadmap
# The data folder: the SQLite file (when PostgreSQL is not used), evidence files and backups.
VOLUME ["/var/lib/roadmap-bot"]
# Inside the container the server listens on every interface of the container (its loopback
# is its own): publish the port on the host's 127.0.0.1 only, as compose.yaml does, with the
# reverse proxy in front.
ENV DATA_DIR=/var/lib/roadmap-bot \
    LOG_FORMAT=json \
    WEBHOOK__HOST=0.0.0.0 \
    WEBHOOK__PORT=8080
EXPOSE 8080

HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
    CMD python -c "import sys, urllib.request; sys.exit(urllib.request.urlopen('http://127.0.0.1:8080/healthz', timeout=4).status != 200)"

# docker stop sends SIGTERM: the bot stops taking updates, finishes the reminders in hand and
# writes them down before it exits.
STOPSIGNAL SIGTERM
ENTRYPOINT ["roadmap-bot"]
CMD ["run", "--webhook"]
