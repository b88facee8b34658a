"""Pure ASGI middleware at the edge of the gateway: body size limits, security headers, rate limits."""
