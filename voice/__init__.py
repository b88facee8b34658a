"""Speech for AccessLine: text normalisation for TTS, audio codecs, and the TTS / speech-input engines."""
