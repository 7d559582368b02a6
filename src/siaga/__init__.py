"""Siaga: command-center platform for Indonesian police district commands."""

__version__ = "0.1.0"
