"""Test doubles that users can reuse: a scripted OpenAI-compatible HTTP server."""
