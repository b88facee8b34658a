"""Access to a running stack for the harness: a staff account to read stored applications back."""

from __future__ import annotations

import secrets

import httpx

from bot.cli import create_user
from bot.launcher.stack import Stack
from tests.intake.runner import StackAccess

HARNESS_USER = "intake-harness"


def stack_access(stack: Stack) -> StackAccess:
    """Create (or reset) the harness's staff account in the stack's database and sign in."""
    password = secrets.token_urlsafe(18)
    create_user(HARNESS_USER, "staff", password, stack.config.database_url)
    response = httpx.post(f"{stack.url}/api/auth/token", data={"username": HARNESS_USER, "password": password})
    response.raise_for_status()
    headers = {"Authorization": f"Bearer {response.json()['access_token']}"}
    return StackAccess(stack.url, f"http://127.0.0.1:{stack.config.rasa_port}", stack.token, headers)
