"""Pure-Python rules shared by the gateway and the Rasa action server (standard library only)."""
