"""AccessLine gateway: channels, chat API, storage. Keep this file free of imports:
`bot.rules` is also imported by the Rasa action server, which has none of the gateway's dependencies."""
