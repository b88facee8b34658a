"""Channel adapters: each channel parses its input and renders the bot's replies at its own edge."""
