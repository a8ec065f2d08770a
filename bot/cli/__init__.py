"""Command-line front ends of the assistant: `python -m bot ask` and `python -m bot chat`."""
