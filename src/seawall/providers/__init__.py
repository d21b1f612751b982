"""Provider adapters behind one protocol (``base.py``), chosen through a registry."""

from .base import PROVIDERS, Provider, ProviderOptions, create, register

__all__ = ["PROVIDERS", "Provider", "ProviderOptions", "create", "register"]
