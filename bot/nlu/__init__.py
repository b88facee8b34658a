"""Custom Rasa NLU components (loaded by the Rasa server; the rules they apply live in bot/rules/)."""
