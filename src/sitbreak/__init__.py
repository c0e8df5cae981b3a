"""sitbreak: estimates continuous sitting from input activity and nudges you to stretch."""

__version__ = "0.1.0"
