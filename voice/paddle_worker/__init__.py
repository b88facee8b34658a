"""PaddleSpeech TTS + ASR worker: runs in its own environment (requirements/paddlespeech.txt) because of its pins,
and is reached by the gateway over HTTP (`voice/paddle_client.py`). Start it with
`PPSPEECH_HOME=/srv/ppspeech .venv-paddle/bin/python -m voice.paddle_worker --port 8091`."""
