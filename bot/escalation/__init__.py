"""Handing conversations to hotline operators: routing, tickets, delivery through Redis Streams."""
