"""One typed settings object, read from SIAGA_* environment variables."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from pydantic import Field, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

DEFAULT_SECRET = "dev-only-secret-change-me"
# Only these environments may run with default secrets; staging, production, anything else
# (a typo included) must set real ones.
RELAXED_ENVS = ("development", "test")
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
    # Shared secret of the SMSSync gateway phone; SMS intake is off while it is empty.
    smssync_secret: str = ""
    # Phone number of that gateway phone; /warga offers "Kirim lewat SMS" to it when data fails.
    sms_gateway_number: str = ""
    token_ttl_minutes: int = 12 * 60
    # Live socket: a ticket opens one socket within this many seconds; an open socket's
    # token and account are re-checked at least this often (and at the token's expiry).
    ws_ticket_ttl_s: float = 30.0
    ws_recheck_s: float = 15.0
    # A device token unused this long expires; each use renews it.
    device_token_ttl_days: int = 365
    tile_url: str = "https://tile.openstreetmap.org/{z}/{x}/{y}.png"
    tile_attribution: str = "&copy; OpenStreetMap contributors"
    cors_origins: list[str] = []
    # A citizen may cancel (with the PIN) for this long after pressing Help: long enough to
    # call off a unit already on its way; a cancel after acknowledgement still waits for an
    # operator's confirmation, and the duress PIN looks the same on the phone.
    cancel_window_s: int = 1800
    login_attempts_per_minute: int = 10
    alarm_rate_per_device_per_minute: int = 6
    alarm_rate_per_ip_per_minute: int = 120
    escalate_unacknowledged_s: int = 30
    escalate_undispatched_s: int = 60
    arrival_target_s: int = 600
    acknowledge_target_s: int = 10
    # Escalation loop: None runs it everywhere except SIAGA_ENV=test (tests call the tick).
    escalation_loop: bool | None = None
    escalation_tick_s: float = 1.0
    # Travel-time estimate: straight-line distance x detour factor / typical urban speed.
    dispatch_detour_factor: float = 1.35
    dispatch_speed_kmh: dict[str, float] = {"car": 30.0, "motorbike": 32.0, "officer": 4.5,
                                            "desk": 30.0}
    # Time to get moving: a duty desk must first assemble a team and a vehicle.
    dispatch_turnout_s: dict[str, float] = {"car": 30.0, "motorbike": 20.0, "officer": 0.0,
                                            "desk": 180.0}
    false_alarms_to_flag: int = 3
    # Optional JSON file [{"code","label"}...] replacing the built-in 28 crime types.
    crime_types_file: str = ""
    gps_stale_minutes: int = 5
    gps_rate_per_device_per_minute: int = 120
    timezone: str = "Asia/Jakarta"
    # Visits (door to door) and citizen tips.
    photo_max_bytes: int = 8 * 1024 * 1024
    photo_max_pixels: int = 12_000_000
    photos_per_visit: int = 6
    visit_far_m: float = 3000.0
    photo_dhash_max_distance: int = 6
    visit_max_age_days: int = 30
    tips_per_device_per_hour: int = 10
    # Per address (loopback exempt): a blocked phone cannot simply register again and again.
    device_registrations_per_ip_per_hour: int = 20
    tips_per_ip_per_hour: int = 30

    @model_validator(mode="after")
    def _refuse_default_secret_outside_development(self) -> Settings:
        if self.env not in RELAXED_ENVS and self.secret_key == DEFAULT_SECRET:
            raise ValueError(
                f"SIAGA_SECRET_KEY is at its default value; set a real secret when "
                f"SIAGA_ENV={self.env} (only {', '.join(RELAXED_ENVS)} accept the default)"
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
