"""Phone calls through the hotline's own PBX: SIP over UDP (called side), G.711 over RTP, keypad by RFC 4733 or SIP
INFO, hand-over by REFER. One small module per layer: message (parse/build), headers, sdp, rtp, media (the call's
RTP socket), pacer (the child process that sends every call's audio on a 20 ms clock), transactions, dialog, call,
endpoint, config, setup. docs/telephony.md describes deployment."""
