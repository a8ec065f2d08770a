"""Orchestration of domain logic and storage; no Telegram imports here."""
