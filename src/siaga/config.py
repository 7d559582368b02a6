"""One typed settings object, read from SIAGA_* environment variables."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from pydantic import Field, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

DEFAULT_SECRET = "dev-only-secret-change-me"
REPO_ROOT = Path(__file__).resolve().parents[2]


class Settings(BaseSettings):
    """Runtime configuration; nothing here connects to anything."""

    model_config = SettingsConfigDict(env_prefix="SIAGA_", extra="ignore")

    env: str = Field(default="development", description="development, test or production")
    host: str = "127.0.0.1"
    port: int = 8000
    database_url: str = ""
    redis_url: str = ""
    mqtt_url: str = ""
    data_dir: Path = REPO_ROOT / "var"
    secret_key: str = DEFAULT_SECRET
    token_ttl_minutes: int = 12 * 60
    device_token_ttl_days: int = 365
    tile_url: str = "https://tile.openstreetmap.org/{z}/{x}/{y}.png"
    tile_attribution: str = "&copy; OpenStreetMap contributors"
    cors_origins: list[str] = []
    cancel_window_s: int = 60
    login_attempts_per_minute: int = 10
    alarm_rate_per_device_per_minute: int = 6
    alarm_rate_per_ip_per_minute: int = 120
    escalate_unacknowledged_s: int = 30
    escalate_undispatched_s: int = 60
    arrival_target_s: int = 600
    gps_stale_minutes: int = 5
    gps_rate_per_device_per_minute: int = 120
    timezone: str = "Asia/Jakarta"

    @model_validator(mode="after")
    def _refuse_default_secret_outside_development(self) -> Settings:
        if self.env == "production" and self.secret_key == DEFAULT_SECRET:
            raise ValueError(
                "SIAGA_SECRET_KEY is at its default value; set a real secret in production"
            )
        return self

    @property
    def resolved_database_url(self) -> str:
        """The SQLAlchemy URL, defaulting to a SQLite file under the data directory."""
        if self.database_url:
            return self.database_url
        return f"sqlite:///{self.data_dir / 'siaga.db'}"

    @property
    def is_sqlite(self) -> bool:
        return self.resolved_database_url.startswith("sqlite")


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The process-wide settings, read once on first use."""
    return Settings()
