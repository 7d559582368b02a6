"""Brawl early warning: post intake, brawl signals, entities and early-warning events."""
