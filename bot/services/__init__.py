"""The gateway's use cases, below the routes and above the clients and storage."""
