"""The partitioned dataset: one file per partition, read back as one table."""

from __future__ import annotations

import pytest
from conftest import make_event

from frontline.dataset import DatasetWriter, read_dataset
from frontline.errors import EventTableError
from frontline.events import EventTable


def test_one_file_per_partition_reads_back_in_table_order(tmp_path):
    with DatasetWriter(tmp_path / "ds", partition_size=20) as ds:
        for i in range(95):
            ds.add([make_event(event_id=f"e{i:03d}", article_id=f"a{i}", longitude=30 + i / 100)])
    names = sorted(p.name for p in (tmp_path / "ds").iterdir())
    assert names == [f"part-{i:05d}.parquet" for i in range(5)]
    assert (ds.articles, ds.events) == (95, 95)
    table = read_dataset(tmp_path / "ds")
    assert sorted(table.gdf["article_id"]) == sorted(f"a{i}" for i in range(95))
    part = EventTable.read(tmp_path / "ds" / "part-00003.parquet")
    assert len(part) == 20 and part.gdf.crs.to_epsg() == 4326
    row = part.gdf[part.gdf["article_id"] == "a61"].iloc[0]
    assert (row.geometry.x, row.geometry.y) == (pytest.approx(30.61), 46.64)


def test_a_rerun_replaces_old_partitions(tmp_path):
    for n in (60, 15):
        with DatasetWriter(tmp_path / "ds", partition_size=10) as ds:
            for i in range(n):
                ds.add([make_event(event_id=f"e{i}")])
    assert len(list((tmp_path / "ds").glob("part-*.parquet"))) == 2
    assert len(read_dataset(tmp_path / "ds")) == 15


def test_reading_a_folder_without_partitions_fails_clearly(tmp_path):
    with pytest.raises(EventTableError, match="no part-"):
        read_dataset(tmp_path)
