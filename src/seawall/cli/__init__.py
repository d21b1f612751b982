"""The ``seawall`` command."""
