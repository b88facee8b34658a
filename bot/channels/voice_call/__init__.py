"""The voice call core shared by the telephone channels (/ws/voice and SIP): audio in → end of utterance → speech
input → one chat turn → speech out, the keypad, barge-in, hand-over and emergencies. Channels give it an output half
(`CallOutput`) and feed it audio, keys and text; nothing channel-specific lives here."""
