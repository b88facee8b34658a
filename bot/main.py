"""The gateway application: `uvicorn bot.main:app`."""

from __future__ import annotations

import asyncio
import logging
import os
from contextlib import asynccontextmanager
from datetime import datetime, timezone

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import FileResponse, JSONResponse
from fastapi.staticfiles import StaticFiles

from bot.api.errors import install_error_handlers
from bot.api.middleware.setup import install_edge
from bot.api.openapi import install_openapi
from bot.api.routes import applications, auth, chat, health, hotlines, internal, metrics, operator, voice
from bot.api.routes import faq as faq_routes
from bot.api.routes import insights as insights_routes
from bot.api.routes import training as training_routes
from bot.api.routes import wechat as wechat_routes
from bot.channels import voice_ws
from bot.channels.sip.setup import start_sip, stop_sip
from bot.channels.wechat.setup import build_wechat, close_wechat
from bot.core.config import PROJECT_ROOT, Settings, get_settings
from bot.core.logging import configure_logging
from bot.core.redaction import register_secrets
from bot.core.security import FieldCipher
from bot.dialogue.client import RasaClient
from bot.escalation.delivery import TicketStreams
from bot.escalation.fanout import ConsoleFanout
from bot.escalation.hub import Hub
from bot.escalation.service import EscalationService
from bot.escalation.ticket_markers import TicketMarkers, keep_synced
from bot.escalation.worker import delivery_loop, fanout_loop, message_loader
from bot.insights.recorder import TurnRecorder
from bot.rules.routing import RoutingTable
from bot.services import messages
from bot.services.chat import ChatService
from bot.services.protection import build_protection, housekeeping
from bot.services.request_limits import Limits, RequestLimiter
from bot.services.ticket_checks import TicketChecks
from bot.staff.service import build_editor
from bot.storage import migrate
from bot.storage.db import make_engine, make_session_factory
from bot.training.broadcast import ModelBroadcast, keep_announced
from bot.training.rasa_admin import RasaAdmin
from bot.training.runner import TrainingRunner
from voice.engines import make_engines
from voice.keypad import KeypadMenus

log = logging.getLogger("accessline")
WEB_DIR = PROJECT_ROOT / "web"


def _describe_backends(settings: Settings) -> None:
    if settings.database_url:
        log.info("database: %s", settings.effective_database_url.split("@")[-1])
    else:
        log.info("database: DATABASE_URL not set, using embedded SQLite %s", settings.effective_database_url)
    if settings.redis_url:
        log.info("redis: %s", settings.redis_url.split("@")[-1])
    else:
        log.info("redis: REDIS_URL not set, running without Redis (Rasa keeps conversations in memory)")


def create_app(settings: Settings | None = None) -> FastAPI:
    """Build the FastAPI app with its clients, created once at start-up."""
    settings = settings or get_settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        configure_logging(settings.log_level)
        keys = settings.keys()  # ENVIRONMENT=production stops here, before anything is written, on generated secrets
        _describe_backends(settings)
        app.state.secrets = keys.as_state()
        migrate.upgrade(settings.effective_database_url, data_key=app.state.secrets["data_key"])
        app.state.faq_editor = build_editor(settings)  # also finishes an nlu_data write a crash cut short
        app.state.settings = settings
        app.state.started_at = datetime.now(timezone.utc)
        register_secrets([*app.state.secrets.values(), *keys.data_keys, *settings.credentials()])
        app.state.cipher = FieldCipher(keys.data_keys, keys.lookup_key)
        app.state.engine = make_engine(settings.effective_database_url)
        app.state.sessions = make_session_factory(app.state.engine)
        app.state.dialogue = RasaClient(
            settings.rasa_url, settings.action_server_url, settings.rasa_token, settings.rasa_timeout_seconds
        )
        app.state.redis = None
        if settings.redis_url:
            from bot.storage.redis_client import make_redis

            app.state.redis = make_redis(settings.redis_url)  # counts its round trips (GET /metrics)
        app.state.routing = RoutingTable.load(settings.escalation_config)
        # With Redis, console events reach the consoles of every gateway (bot/escalation/fanout.py).
        fanout = ConsoleFanout(app.state.redis, settings.redis_key_prefix) if app.state.redis is not None else None
        app.state.hub = Hub(fanout)
        protection = build_protection(
            settings, app.state.redis, app.state.sessions, app.state.cipher, app.state.secrets["data_key"]
        )
        app.state.status_limits = protection.status_limits
        app.state.login_throttle = protection.login_throttle
        app.state.password_verifier = protection.password_verifier
        app.state.client_tags = protection.client_tags
        app.state.conversations = protection.conversations
        app.state.tracker_expiry = protection.tracker_expiry
        streams = TicketStreams(
            app.state.redis, list(app.state.routing.queue_names),
            fanout.origin if fanout else f"gateway-{os.getpid()}", settings.redis_key_prefix,
        )  # fmt: skip
        app.state.ticket_markers = TicketMarkers(app.state.redis, settings.redis_key_prefix, app.state.sessions)
        app.state.escalation = EscalationService(
            app.state.sessions, app.state.cipher, app.state.routing, streams, app.state.dialogue, app.state.hub,
            expiry=protection.tracker_expiry, markers=app.state.ticket_markers,
        )  # fmt: skip
        app.state.hub.set_message_loader(message_loader(app.state.escalation))
        app.state.tts, app.state.stt = make_engines(settings)
        app.state.keypad = KeypadMenus()
        app.state.turn_recorder = TurnRecorder(app.state.sessions, settings.nlu_data_dir, app.state.cipher.lookup_hash)
        app.state.chat_service = ChatService(
            app.state.dialogue, app.state.escalation, settings.max_text_chars, recorder=app.state.turn_recorder,
            tags=protection.client_tags, expiry=protection.tracker_expiry, conversations=protection.conversations,
            tickets=TicketChecks(app.state.engine, app.state.ticket_markers),
        )  # fmt: skip
        app.state.wechat = build_wechat(app.state, settings)
        app.state.training = TrainingRunner(
            settings,
            app.state.sessions,
            RasaAdmin(settings.rasa_url, settings.rasa_token, http=app.state.dialogue.http),  # one Rasa client
            app.state.faq_editor.store.locked,
            broadcast=ModelBroadcast(app.state.redis, settings.redis_key_prefix) if app.state.redis else None,
        )
        if settings.training_runner:
            app.state.training.start()
        stop_delivery = asyncio.Event()
        delivery = asyncio.create_task(delivery_loop(app.state.escalation, stop_delivery))
        relay = asyncio.create_task(fanout_loop(app.state.hub, stop_delivery))
        marking = asyncio.create_task(keep_synced(app.state.ticket_markers, stop_delivery))  # backfill, then catch up
        announcer = None
        if app.state.training.broadcast is not None:  # the registry's live model, kept announced to Rasa replicas
            announcer = asyncio.create_task(keep_announced(app.state.training.broadcast, app.state.sessions,
                                                           stop_delivery))  # fmt: skip
        app.state.request_limiter = RequestLimiter(
            app.state.redis,
            f"{settings.redis_key_prefix}:rate",
            {
                "chat": Limits(settings.chat_rate_per_address, settings.chat_rate_per_sender),
                "voice": Limits(settings.voice_rate_per_address, settings.voice_rate_per_sender),
            },
        )
        chores = asyncio.create_task(housekeeping(protection, stop_delivery))
        app.state.sip = await start_sip(app.state, settings)  # phone calls from the PBX, when SIP_LISTEN is set
        yield
        await stop_sip(app.state.sip)
        await close_wechat(app.state.wechat)
        stop_delivery.set()
        await app.state.training.stop()
        await app.state.turn_recorder.close()
        await delivery
        await relay
        await marking
        if announcer is not None:
            await announcer
        await chores
        await app.state.dialogue.close()
        if app.state.redis is not None:
            await app.state.redis.aclose()
        app.state.engine.dispose()

    app = FastAPI(
        title="AccessLine 无障碍助残服务热线",
        description="Chat API of the accessible assistant for disabled residents.",
        version="0.1.0",
        lifespan=lifespan,
        docs_url="/docs" if settings.docs_enabled else None,  # API_DOCS; off in production unless asked for
        redoc_url="/redoc" if settings.docs_enabled else None,
        openapi_url="/openapi.json" if settings.docs_enabled else None,
    )

    install_edge(app, settings)
    install_error_handlers(app)
    install_openapi(app)

    @app.exception_handler(RequestValidationError)
    async def invalid_request(_request: Request, exc: RequestValidationError) -> JSONResponse:
        fields = sorted({".".join(str(p) for p in err.get("loc", ())[1:]) or "body" for err in exc.errors()})
        return JSONResponse(status_code=422, content={"detail": messages.INVALID_REQUEST, "fields": fields})

    @app.exception_handler(Exception)
    async def unexpected(_request: Request, exc: Exception) -> JSONResponse:
        log.exception("unexpected error: %s", type(exc).__name__)
        return JSONResponse(status_code=500, content={"detail": messages.UNAVAILABLE})

    app.include_router(health.router)
    app.include_router(chat.router)
    app.include_router(hotlines.router)
    app.include_router(auth.router)
    app.include_router(applications.router)
    app.include_router(internal.router)
    app.include_router(operator.router)
    app.include_router(operator.socket_router)
    app.include_router(metrics.router)
    app.include_router(voice.router)
    app.include_router(voice_ws.router)
    app.include_router(wechat_routes.router)
    app.include_router(training_routes.router)
    app.include_router(insights_routes.router)
    app.include_router(faq_routes.router)
    app.mount("/console", StaticFiles(directory=WEB_DIR / "console", html=True), name="console")
    app.mount("/staff", StaticFiles(directory=WEB_DIR / "staff", html=True), name="staff")
    app.mount("/shared", StaticFiles(directory=WEB_DIR / "shared"), name="shared")  # session.js for staff/console
    app.mount("/chat-assets", StaticFiles(directory=WEB_DIR / "chat"), name="chat-assets")

    @app.api_route("/favicon.ico", methods=["GET", "HEAD"], include_in_schema=False)
    async def favicon() -> FileResponse:
        """The icon every page names (<link rel="icon">), also where browsers look by default."""
        return FileResponse(WEB_DIR / "shared" / "favicon.svg", media_type="image/svg+xml")

    @app.api_route("/", methods=["GET", "HEAD"], include_in_schema=False)
    async def web_chat() -> FileResponse:
        """The residents' web chat (its scripts and styles are under /chat-assets)."""
        return FileResponse(WEB_DIR / "chat" / "index.html")

    return app


app = create_app()
