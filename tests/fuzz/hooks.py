"""Schemathesis hooks for `make fuzz`: keep valid but slow inputs fast.

Any delay up to 29 s, n up to 1000 tasks and CPU work up to seconds are valid, so
schemathesis generates them, and a few such cases would take the whole time budget.
Valid values above a small cap are folded below it; values outside the documented
bounds (the negative cases) are left alone, so rejection is still tested.
"""

import schemathesis

# Parameter: (largest documented maximum over the routes that take it, cap for
# fuzzing). A value invalid for one route but under this maximum is folded too.
FOLDED = {
    "delay_ms": (29_000, 30),
    "timeout_ms": (29_000, 60),
    "cancel_after_ms": (29_000, 30),
    "pause_ms": (29_000, 30),
    "block_ms": (29_000, 30),
    "work_ms": (10_000, 10),
    "step_ms": (1_000, 2),
    "iterations": (2_000_000_000, 100_000),
    "n": (1_000, 20),
    "waiters": (1_000, 20),
    "steps": (1_000, 10),
    "bytes": (1_048_576, 2_048),
}


def fold(value, maximum, cap):
    if isinstance(value, bool) or not isinstance(value, int):
        return value
    if cap < value <= maximum:
        return value % (cap + 1)
    return value


def fold_list(text):
    """delays=1,2,3: fold each item; leave anything that is not such a list."""
    if not isinstance(text, str):
        return text
    items = text.split(",")
    if not all(item.isdigit() for item in items) or len(items) > 20:
        return text if not all(item.isdigit() for item in items) else ",".join(items[:20])
    return ",".join(str(fold(int(item), 29_000, 30)) for item in items)


@schemathesis.hook
def map_query(ctx, query):
    if not isinstance(query, dict):
        return query
    for name, (maximum, cap) in FOLDED.items():
        if name in query:
            query[name] = fold(query[name], maximum, cap)
    if "delays" in query:
        query["delays"] = fold_list(query["delays"])
    return query
