"""The WeChat Official Account (公众号) channel: signatures and secure mode, safe XML, dedupe, the API client,
the input route's logic and the reply rendering (see docs/wechat.md)."""
