"""The bounded least-recently-used memo shared by the readers and the Monte Carlo draws."""

import threading

import numpy as np
import pandas as pd

from helpers.io.memo import Memo, frame_digest


def test_count_bound_drops_the_least_recently_used():
    m = Memo(max_items=2)
    m.put("a", 1)
    m.put("b", 2)
    assert m.get("a") == 1  # "a" is now the most recent
    m.put("c", 3)
    assert "b" not in m and m.get("a") == 1 and m.get("c") == 3 and len(m) == 2
    assert m.get("missing") is None


def test_byte_bound_counts_what_is_kept():
    m = Memo(max_bytes=2 * 800)
    arrays = [np.zeros(100) + i for i in range(4)]  # 800 bytes each
    for i, a in enumerate(arrays):
        m.put(i, a)
    assert len(m) == 2 and m.nbytes == 1600 and 0 not in m and 1 not in m
    big = np.zeros(1000)  # alone above the bound: kept as the most recent entry, the others dropped
    m.put("big", big)
    assert len(m) == 1 and m.nbytes == big.nbytes and m.get("big") is big
    m.clear()
    assert len(m) == 0 and m.nbytes == 0


def test_first_value_stored_wins_and_is_returned():
    m = Memo(max_items=4)
    first = m.put("k", [1])
    second = m.put("k", [2])  # another thread computed the same key meanwhile
    assert second is first and m.get("k") == [1]


def test_concurrent_puts_keep_the_bounds():
    m = Memo(max_items=50, max_bytes=50 * 80)

    def work(offset):
        for i in range(500):
            m.put((offset, i % 120), np.zeros(10))
            m.get((offset, (i * 7) % 120))

    threads = [threading.Thread(target=work, args=(t,)) for t in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(m) <= 50 and m.nbytes == 80 * len(m)


def test_frame_digest_follows_the_content():
    df = pd.DataFrame({"service_id": ["w"], "page_weight_mb": [2.0], "hosting": ["hyperscale"]})
    df.attrs["warnings"] = ["kept"]
    assert frame_digest(df) == frame_digest(df.copy())
    assert frame_digest(df) != frame_digest(df.assign(page_weight_mb=4.0))
    assert frame_digest(df) != frame_digest(df.rename(columns={"hosting": "site"}))
    assert frame_digest(df) != frame_digest(df.astype({"page_weight_mb": "float32"}))
    assert frame_digest(df, df) != frame_digest(df)
