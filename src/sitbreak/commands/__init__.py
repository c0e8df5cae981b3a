"""Subcommands, one module each. Every module defines ``register(subparsers)``."""
