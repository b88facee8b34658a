"""Custom actions for the Rasa action server. They never open the database or Redis:
anything that needs stored data goes through the gateway's internal API."""
