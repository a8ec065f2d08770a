"""Telegram I/O, one module per feature.

Each module exposes `handlers(services) -> list[BaseHandler]`, a `COMMANDS` list of CommandSpec
for /help and the command menus, and optionally `async def on_startup(application, services)`.
"""
