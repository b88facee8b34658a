"""HTTP API of the gateway: thin routes over the services."""
