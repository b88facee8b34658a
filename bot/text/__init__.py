"""Text handling before the dialogue layer."""
