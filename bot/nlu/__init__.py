"""Custom Rasa NLU components (imported only inside the Rasa process; the rules they apply live in bot/rules/)."""
