"""Start and stop the whole stack (Rasa server, action server, gateway) for `make run` and the tests."""
