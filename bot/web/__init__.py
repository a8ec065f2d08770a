"""The web shell: the room screen, the booth view and the chair's console, served by the bot.

One aiohttp server on the bot's own event loop (`bot.web.server`) reads and changes the floor
only through `services.floor`, like the Telegram commands; every committed change is pushed to
the open screens by Server-Sent Events (`bot.web.feed`).
"""
