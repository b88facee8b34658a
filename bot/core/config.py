"""All configuration of the gateway, read once at start-up from the environment (and `.env`)."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

from bot.core.secrets import Keys, resolve_keys

PROJECT_ROOT = Path(__file__).resolve().parents[2]


class Settings(BaseSettings):
    """Typed settings. Every variable can be set in the environment, e.g. `DATABASE_URL=...`."""

    model_config = SettingsConfigDict(env_file=".env", extra="ignore")

    host: str = "127.0.0.1"
    port: int = 8000

    rasa_url: str = "http://127.0.0.1:5005"
    rasa_token: str = Field(default="", description="Rasa HTTP API token (--auth-token)")
    action_server_url: str = "http://127.0.0.1:5055"
    rasa_timeout_seconds: float = 15.0

    database_url: str | None = None
    data_dir: Path = PROJECT_ROOT / "data"
    redis_url: str | None = None
    redis_key_prefix: str = Field(default="accessline", description="prefix of the gateway's own Redis keys")

    escalation_config: Path = PROJECT_ROOT / "config" / "escalation.yml"

    max_text_chars: int = 1000

    # Edge limits (docs/security.md): bodies over these are refused with 413 before they are read.
    max_body_bytes: int = Field(default=256 * 1024, description="body limit of every route without its own")
    chat_max_body_bytes: int = Field(default=64 * 1024, description="POST /api/chat")
    staff_max_body_bytes: int = Field(default=2 * 1024 * 1024, description="/api/staff/* (FAQ editor)")
    voice_max_upload_bytes: int = Field(default=16 * 1024 * 1024, description="/api/voice/stt and /turn audio")
    # Rate limits per minute (0 = off): per client address and per conversation (sender_id).
    chat_rate_per_address: int = 600
    chat_rate_per_sender: int = 60
    voice_rate_per_address: int = 120
    voice_rate_per_sender: int = 60
    log_level: str = "INFO"

    environment: Literal["development", "production"] = Field(
        default="development", description="production: refuse generated secrets, API docs off unless asked for"
    )
    api_docs: bool | None = Field(
        default=None, description="/docs, /redoc, /openapi.json; unset = on in development, off in production"
    )
    metrics_token: str | None = Field(default=None, description="/metrics needs `Authorization: Bearer <token>`")
    metrics_public: bool = Field(default=False, description="/metrics open to all (else token, or loopback only)")
    # Secrets (bot/core/secrets.py, docs/security.md): in production set ACCESSLINE_MASTER_SECRET and
    # INTERNAL_API_TOKEN; unset, a master secret is generated once into data/secrets.json.
    accessline_master_secret: str | None = Field(default=None, description="root of the derived keys (HKDF)")
    accessline_data_key: str | None = Field(default=None, description="Fernet keys, comma-separated, newest first")
    jwt_secret: str | None = None
    internal_api_token: str | None = Field(default=None, description="shared secret of the action server")
    access_token_minutes: int = 480

    status_query_max_failures: int = 5
    status_query_window_seconds: int = 900

    # FAQ editor (bot/staff): nlu_data is the source of truth; answers may only state figures found in the seeds.
    nlu_data_dir: Path = Field(default=PROJECT_ROOT / "nlu_data", description="the YAML the FAQ editor writes")
    seeds_dir: Path = Field(default=PROJECT_ROOT.parent / "shared" / "seeds", description="the plans' texts")
    faq_rasa_validate: bool = Field(default=True, description="run `rasa data validate` before saving an edit")
    faq_rasa_validate_timeout: float = 90.0

    # Retraining (bot/training): where models are kept, the gate, and the training command.
    models_dir: Path = PROJECT_ROOT / "models"
    training_config: Path = PROJECT_ROOT / "dialogue" / "config.yml"
    training_eval_dir: Path = PROJECT_ROOT / "tests" / "nlu_eval"
    training_gate_margin: float = Field(default=1.0, description="points a new model may lose and still go live")
    training_epochs: int | None = Field(default=None, description="override DIET/ResponseSelector epochs (tests)")
    training_finetune_fraction: float = Field(default=0.125, description="epoch fraction when finetuning; 0 = off")
    training_runner: bool = Field(default=True, description="run queued training jobs in this gateway")
    training_keep_models: int = Field(default=5, description="job-trained models kept on disk besides the live one")
    rasa_binary: Path = PROJECT_ROOT / ".venv-rasa" / "bin" / "rasa"

    # WeChat Official Account (公众号) channel at /wechat; unset token = channel off (docs/wechat.md).
    wechat_token: str | None = Field(default=None, description="Token set in the 公众号 server configuration")
    wechat_app_id: str | None = None
    wechat_app_secret: str | None = None
    wechat_encoding_aes_key: str | None = Field(default=None, description="43 chars; needed for secure mode")
    wechat_api_base: str = "https://api.weixin.qq.com"
    wechat_reply_budget_seconds: float = Field(default=4.0, description="answer passively within this, else push")
    wechat_dedupe_ttl_seconds: int = 600
    wechat_max_body_bytes: int = 64 * 1024
    wechat_timestamp_window_seconds: int = Field(
        default=300, description="requests whose timestamp is further from our clock are refused; nonces kept as long"
    )

    # Voice (docs/voice.md): engines, model locations (never downloaded), limits.
    tts_engine: Literal["espeak", "paddle"] = Field(default="espeak", description="paddle falls back to espeak")
    speech_input_engine: Literal["kws", "sherpa", "paddle", "none"] = "kws"
    kws_model_dir: Path = Field(
        default=PROJECT_ROOT.parent / "shared/models/sherpa-onnx-kws-zipformer-wenetspeech-3.3M-2024-01-01-mobile",
        description="sherpa-onnx keyword-spotting model; relative paths are taken from the project root",
    )
    kws_vocabulary: Path = Field(default=PROJECT_ROOT / "nlu_data" / "dict" / "userdict.txt")
    kws_threshold: float = Field(default=0.1, description="trigger threshold; higher = fewer false alarms")
    kws_score: float = Field(default=2.0, description="keyword boosting score")
    sherpa_asr_model_dir: Path | None = Field(default=None, description="sherpa-onnx paraformer/zipformer dir")
    paddle_worker_url: str = "http://127.0.0.1:8091"
    voice_max_seconds: float = 60.0
    voice_ws_token: str | None = Field(default=None, description="shared secret of the telephony gateway (/ws/voice)")
    voice_ws_allow_without_token: bool = Field(
        default=False,
        description="accept /ws/voice calls without VOICE_WS_TOKEN: only for a telephone gateway on this machine "
        "or a closed network (anyone reaching /ws/voice can then talk as any conversation)",
    )
    voice_ws_max_frame_bytes: int = Field(default=3200, description="largest binary frame (3200 = 400 ms µ-law)")

    def keys(self) -> Keys:
        """Every key, from the environment, derived from the master secret, or from the embedded default file.
        Raises InsecureConfiguration when ENVIRONMENT=production would run on generated secrets."""
        return resolve_keys(
            master_secret=self.accessline_master_secret,
            data_key=self.accessline_data_key,
            jwt_secret=self.jwt_secret,
            internal_token=self.internal_api_token,
            secrets_file=self.data_dir / "secrets.json",
            production=self.environment == "production",
        )

    # Phone calls through the hotline's own PBX (docs/telephony.md): SIP over UDP, G.711 over RTP; unset = off.
    sip_listen: str | None = Field(default=None, description="host:port of the SIP endpoint, e.g. 0.0.0.0:5060")
    sip_public_host: str | None = Field(default=None, description="our address in Contact and SDP (default: listen)")
    sip_allow: list[str] = Field(
        default=["127.0.0.1/32", "::1/128"], description="PBX addresses (IPs or CIDR nets) allowed to call us"
    )
    sip_rtp_ports: str = Field(default="20000-20999", description="UDP port range for RTP")
    sip_agent_uris: dict[str, str] = Field(
        default_factory=dict, description='queue → SIP URI for hand-over by REFER, e.g. {"12385": "sip:12385@pbx"}'
    )
    sip_codecs: list[Literal["PCMU", "PCMA"]] = Field(default=["PCMU", "PCMA"], description="G.711 laws we accept")
    sip_max_calls: int = Field(default=20, description="simultaneous calls; more get 486 Busy Here")
    sip_max_message_bytes: int = Field(default=8192, description="larger SIP datagrams are dropped unread")
    sip_answer_delay_seconds: float = Field(default=0.3, description="ring this long, then answer")
    sip_user: str = Field(default="accessline", description="our user part in Contact and Referred-By")
    sip_barge_in: bool = Field(default=True, description="the caller's speech stops our reply (keys always do)")
    sip_speech_rate: int = Field(default=175, ge=80, le=450, description="words per minute of spoken replies")
    sip_transfer_timeout_seconds: float = Field(default=30.0, description="wait for the transfer's final NOTIFY")
    sip_media_timeout_seconds: float = Field(default=60.0, description="hang up after this long without caller RTP")
    sip_max_call_seconds: float = Field(default=3600.0, description="hang up calls longer than this")

    def secrets(self) -> dict[str, str]:
        """The secrets the routes use by name (`app.state.secrets`)."""
        return self.keys().as_state()

    def credentials(self) -> list[str]:
        """Every other secret the settings hold (for log redaction)."""
        values = [self.accessline_master_secret, self.rasa_token, self.wechat_token, self.wechat_app_secret,
                  self.wechat_encoding_aes_key, self.voice_ws_token, self.metrics_token]  # fmt: skip
        return [v for v in values if v]

    @property
    def docs_enabled(self) -> bool:
        return self.api_docs if self.api_docs is not None else self.environment != "production"

    @property
    def effective_database_url(self) -> str:
        """`DATABASE_URL`, or the embedded default: SQLite under `data/`."""
        if self.database_url:
            return self.database_url
        return f"sqlite:///{self.data_dir / 'accessline.db'}"


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The process-wide settings (read once)."""
    return Settings()
