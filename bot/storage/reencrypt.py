"""Re-encrypt every personal field under the newest data key (`python -m bot.cli reencrypt`), after a rotation.

Generic over the schema: every `*_enc` column of every table is rotated (MultiFernet), and a `<name>_hash` lookup
column beside a `<name>_enc` one is recomputed, so the command keeps working as tables gain encrypted fields."""

from __future__ import annotations

from sqlalchemy import Engine, select, update
from sqlalchemy.orm import Session

from bot.core.security import FieldCipher
from bot.storage.models import Base


def reencrypt(engine: Engine, cipher: FieldCipher, batch: int = 500) -> dict[str, int]:
    """Rows rewritten per table; one transaction per batch, so an interrupted run can simply be started again."""
    counts: dict[str, int] = {}
    for table in Base.metadata.sorted_tables:
        encrypted = [c for c in table.columns if c.name.endswith("_enc")]
        if not encrypted:
            continue
        lookups = {c.name: c.name[: -len("_enc")] + "_hash" for c in encrypted}
        lookups = {enc: hashed for enc, hashed in lookups.items() if hashed in table.columns}
        keys = list(table.primary_key.columns)
        done, last = 0, None
        while True:
            with Session(engine) as session:
                query = select(*keys, *encrypted).order_by(*keys).limit(batch)
                if last is not None:
                    query = query.where(keys[0] > last)
                rows = session.execute(query).all()
                for row in rows:
                    values = {c.name: cipher.rotate(row._mapping[c.name]) for c in encrypted}
                    for enc, hashed in lookups.items():
                        if values[enc] is not None:
                            values[hashed] = cipher.lookup_hash(cipher.decrypt(values[enc]) or "")
                    match = [key == row._mapping[key.name] for key in keys]
                    session.execute(update(table).where(*match).values(**values))
                session.commit()
            done += len(rows)
            if len(rows) < batch:
                break
            last = rows[-1]._mapping[keys[0].name]
        counts[table.name] = done
    return counts
