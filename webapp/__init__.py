"""Chirp: a small, self-hostable Twitter."""
