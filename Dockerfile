# mirai-ai: HubSpot -> MySQL ELT (Meltano, dbt) and ai_enrich. The container runs the schedules of
# meltano.yml with `python -m orchestrate` (orchestrate/): one run at a time, cron read in TZ.
# Build: docker build -t mirai-ai .   Run: docker compose up -d (see docker-compose.yml).
FROM almalinux:9

# Python 3.11 from the distribution (AppStream), as mirai-api; no compilers: every dependency ships
# wheels. AlmaLinux keeps only current package builds in its repositories, so exact version pins would
# break rebuilds; the base image tag fixes the major release.
# hadolint ignore=DL3041
RUN dnf install -y --setopt=install_weak_deps=False python3.11 python3.11-pip shadow-utils tzdata \
    && dnf clean all \
    && rm -rf /var/cache/dnf

# A non-root user with a fixed numeric id (volume ownership stays stable across rebuilds).
ARG APP_UID=10001
RUN groupadd --gid "${APP_UID}" mirai \
    && useradd --uid "${APP_UID}" --gid "${APP_UID}" --create-home --home-dir /home/mirai \
        --shell /sbin/nologin mirai \
    && mkdir -p /app /opt/venv /var/lib/mirai-ai \
    && chown "${APP_UID}:${APP_UID}" /app /opt/venv /var/lib/mirai-ai

ENV PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    UV_COMPILE_BYTECODE=1 \
    VIRTUAL_ENV=/opt/venv \
    PATH=/opt/venv/bin:$PATH \
    MELTANO_SEND_ANONYMOUS_USAGE_STATS=false \
    DBT_USE_COLORS=false

USER ${APP_UID}:${APP_UID}
WORKDIR /app

# Dependencies first (their layer survives code changes), then the project and Meltano's plugins.
COPY --chown=${APP_UID}:${APP_UID} requirements.txt ./
RUN python3.11 -m venv /opt/venv \
    && pip install --no-cache-dir -r requirements.txt

COPY --chown=${APP_UID}:${APP_UID} . .
RUN pip install --no-cache-dir -e . -e ./extract -e ./load \
    && meltano install \
    && rm -rf /home/mirai/.cache

# Runtime: the prod environment; Meltano's system database and Singer state on /var/lib/mirai-ai
# (a volume in docker-compose.yml, so bookmarks survive restarts); schedules read in Tokyo time.
ENV MELTANO_ENVIRONMENT=prod \
    MELTANO_DATABASE_URI=sqlite:////var/lib/mirai-ai/meltano.db \
    MELTANO_STATE_BACKEND_URI=file:///var/lib/mirai-ai/state \
    TZ=Asia/Tokyo \
    SCHEDULER_HEALTH_FILE=/var/lib/mirai-ai/scheduler-health.json

# The scheduler rewrites its health file at least every 30 s, also during a long run.
HEALTHCHECK --interval=60s --timeout=15s --start-period=120s --retries=3 \
    CMD ["python", "-m", "orchestrate", "health", "--max-age", "180"]

# SIGTERM (docker stop) is forwarded to the run in progress; give it time (compose: stop_grace_period).
STOPSIGNAL SIGTERM
CMD ["python", "-m", "orchestrate"]
