"""Custom Rasa NLU components (imported only inside the Rasa process)."""
