"""Settings, logging and other cross-cutting pieces of the gateway."""
