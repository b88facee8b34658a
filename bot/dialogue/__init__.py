"""The gateway's client for the Rasa dialogue server."""
