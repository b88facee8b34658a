"""Message security of the 公众号 server: SHA-1 signatures and the AES secure mode (安全模式).

Secure mode: key = base64(EncodingAESKey + "="), AES-256-CBC with IV = key[:16], PKCS#7 padding to 32 bytes,
plaintext = 16 random bytes + 4-byte network-order length + message + AppID.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import os
import struct

from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

BLOCK = 32


class CryptoError(ValueError):
    """The encrypted message cannot be opened, or it was meant for another AppID."""


def sha1_signature(*parts: str) -> str:
    """SHA-1 hex digest over the parts sorted as strings and joined (WeChat's signature scheme)."""
    return hashlib.sha1("".join(sorted(parts)).encode()).hexdigest()


def signature_ok(expected_parts: tuple[str, ...], given: str | None) -> bool:
    """Constant-time check of a signature WeChat sent."""
    if not given:
        return False
    # bytes, not str: compare_digest refuses non-ASCII text (a TypeError, i.e. a 500, for `?signature=é`)
    return hmac.compare_digest(sha1_signature(*expected_parts).encode(), given.lower().encode())


class MessageCrypto:
    """Encrypt replies and decrypt messages for one 公众号 (token, EncodingAESKey, AppID)."""

    def __init__(self, token: str, encoding_aes_key: str, app_id: str) -> None:
        try:
            key = base64.b64decode(encoding_aes_key + "=", validate=True)
        except binascii.Error as exc:
            raise CryptoError("EncodingAESKey is not valid base64") from exc
        if len(encoding_aes_key) != 43 or len(key) != 32:
            raise CryptoError("EncodingAESKey must be 43 characters")
        self._token = token
        self._key = key
        self._app_id = app_id.encode()

    def _cipher(self) -> Cipher:
        return Cipher(algorithms.AES(self._key), modes.CBC(self._key[:16]))

    def signature(self, timestamp: str, nonce: str, encrypted: str) -> str:
        """msg_signature: SHA-1 over the sorted token, timestamp, nonce and the Encrypt text."""
        return sha1_signature(self._token, timestamp, nonce, encrypted)

    def encrypt(self, message: str, random16: bytes | None = None) -> str:
        """Base64 ciphertext of the message (random16 only for reproducible tests)."""
        body = message.encode()
        plain = (random16 or os.urandom(16)) + struct.pack(">I", len(body)) + body + self._app_id
        pad = BLOCK - len(plain) % BLOCK
        plain += bytes([pad]) * pad
        encryptor = self._cipher().encryptor()
        return base64.b64encode(encryptor.update(plain) + encryptor.finalize()).decode()

    def decrypt(self, encrypted: str) -> str:
        """The message inside; raises CryptoError when it is malformed or its AppID is not ours."""
        try:
            data = base64.b64decode(encrypted, validate=True)
        except (binascii.Error, ValueError) as exc:  # ValueError: non-ASCII text
            raise CryptoError("Encrypt is not valid base64") from exc
        if not data or len(data) % 16:
            raise CryptoError("Encrypt has a wrong length")
        decryptor = self._cipher().decryptor()
        plain = decryptor.update(data) + decryptor.finalize()
        pad = plain[-1]
        if not 1 <= pad <= BLOCK or plain[-pad:] != bytes([pad]) * pad:
            raise CryptoError("bad padding")
        plain = plain[:-pad]
        if len(plain) < 20:
            raise CryptoError("message too short")
        (length,) = struct.unpack(">I", plain[16:20])
        body, app_id = plain[20 : 20 + length], plain[20 + length :]
        if len(body) != length:
            raise CryptoError("length field does not match")
        if not hmac.compare_digest(app_id, self._app_id):
            raise CryptoError("message is for another AppID")
        try:
            return body.decode()
        except UnicodeDecodeError as exc:
            raise CryptoError("message is not UTF-8") from exc
