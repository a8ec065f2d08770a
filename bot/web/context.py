"""What the web handlers receive: the services, the PTB Application, the public address."""

from __future__ import annotations

from dataclasses import dataclass

from telegram.ext import Application

from bot.clock import Clock
from bot.services.registry import Services
from bot.services.screen import ScreenService


@dataclass(frozen=True)
class WebContext:
    """Everything a web route may use.

    `application` lets a web action carry out a floor outcome like a Telegram command does
    (`bot.handlers.floor_effects.carry_out`), so the chairs' status messages follow.
    `public_url` is the base of every link shown (no trailing slash).
    """

    services: Services
    application: Application
    public_url: str
    clock: Clock
    screens: ScreenService
