"""Pushdown aggregates computed by DuckDB equal numpy on the same data (edges, bin counts, confusion counts)."""
import numpy as np
import pyarrow as pa
import pytest

duckdb = pytest.importorskip("duckdb")

from modeltrace import TraceError  # noqa: E402
from modeltrace._pushdown import aggregates  # noqa: E402

ROWS = 1_000_000


def _table(seed, shift):
    rng = np.random.default_rng(seed)
    x = rng.gamma(2.0, 1.5, ROWS) + shift
    y = (rng.random(ROWS) < 0.3).astype(np.int64)
    score = np.clip(0.3 * y + rng.random(ROWS) * 0.7, 0, 1)
    region = rng.choice(np.array(["north", "south", "east"]), ROWS)
    return {"x": x, "y": y, "score": score, "region": region}


@pytest.fixture(scope="module")
def data():
    ref, cur = _table(1, 0.0), _table(2, 0.4)
    con = duckdb.connect()
    rel = {name: con.from_arrow(pa.table(cols)) for name, cols in (("ref", ref), ("cur", cur))}
    body = aggregates(rel["cur"], rel["ref"], label="y", score="score", features=["x"], slices=["region"])
    return ref, cur, body


def test_edges_are_numpys(data):
    ref, _, body = data
    edges = body["features"]["x"]["edges"]
    assert np.allclose(edges["doane"], np.histogram_bin_edges(ref["x"], bins="doane"), rtol=0, atol=1e-12)
    assert len(edges["doane"]) == len(np.histogram_bin_edges(ref["x"], bins="doane"))
    assert np.allclose(edges["deciles"], np.unique(np.quantile(ref["x"], np.arange(1, 10) / 10)), rtol=1e-12)


def test_bin_counts_are_numpys_on_the_same_edges(data):
    ref, cur, body = data
    feature = body["features"]["x"]
    doane = np.array(feature["edges"]["doane"])
    inside = (cur["x"] >= doane[0]) & (cur["x"] <= doane[-1])
    expected = list(np.histogram(cur["x"][inside], bins=doane)[0]) + [int((~inside).sum())]
    assert feature["current"]["doane"] == expected
    assert feature["reference"]["doane"][:-1] == list(np.histogram(ref["x"], bins=doane)[0])
    deciles = np.array(feature["edges"]["deciles"])
    buckets = np.searchsorted(deciles, cur["x"], side="right")
    assert feature["current"]["deciles"] == list(np.bincount(buckets, minlength=len(deciles) + 1))
    assert sum(feature["current"]["deciles"]) == ROWS


def test_confusion_counts_overall_and_per_slice(data):
    _, cur, body = data
    actual, predicted = cur["y"] == 1, cur["score"] >= 0.5
    counts = body["current"]["confusion"]
    assert counts["all"]["tp"] == int((actual & predicted).sum())
    assert counts["all"]["fn"] == int((actual & ~predicted).sum())
    north = {row["value"]: row for row in counts["slices"]["region"]}["north"]
    mask = cur["region"] == "north"
    assert north["fp"] == int((mask & ~actual & predicted).sum())
    assert north["tn"] == int((mask & ~actual & ~predicted).sum())


def test_a_pandas_frame_is_refused_with_its_type():
    with pytest.raises(TraceError, match="data: pushdown needs a DuckDB relation or a PySpark DataFrame, got dict"):
        aggregates({"x": [1]}, None)


def test_the_engine_reads_aggregates_as_scipy_and_sklearn_read_the_rows(data, tmp_path):
    import json
    import subprocess
    from pathlib import Path

    from scipy.spatial.distance import jensenshannon
    from sklearn.metrics import f1_score, precision_score

    ref, cur, body = data
    path = tmp_path / "aggregates.json"
    path.write_text(json.dumps(body))
    script = Path(__file__).parent / "analyze_aggregates.mjs"
    done = subprocess.run(["node", str(script), str(path)], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    analysis = json.loads(done.stdout)

    edges = np.histogram_bin_edges(ref["x"], bins="doane")
    p = np.append(np.histogram(ref["x"], bins=edges)[0] / ROWS, 0.0)
    inside = (cur["x"] >= edges[0]) & (cur["x"] <= edges[-1])
    q = np.append(np.histogram(cur["x"][inside], bins=edges)[0], (~inside).sum()) / ROWS
    assert analysis["drift"]["x"]["jensen_shannon"] == pytest.approx(jensenshannon(p, q, base=2), rel=1e-12)

    deciles = np.unique(np.quantile(ref["x"], np.arange(1, 10) / 10))
    shares = [np.maximum(np.bincount(np.searchsorted(deciles, s, side="right"), minlength=len(deciles) + 1) / ROWS,
                         1e-4) for s in (ref["x"], cur["x"])]
    psi = np.sum((shares[1] - shares[0]) * np.log(shares[1] / shares[0]))
    assert analysis["drift"]["x"]["psi"] == pytest.approx(psi, rel=1e-12)
    assert psi > 0.05  # the generator shifts the current period

    predicted = (cur["score"] >= 0.5).astype(int)
    assert analysis["metrics"]["current"]["f1"] == pytest.approx(f1_score(cur["y"], predicted), rel=1e-12)
    south = {group["value"]: group for group in analysis["slices"]["region"]}["south"]["current"]
    mask = cur["region"] == "south"
    assert south["precision"] == pytest.approx(precision_score(cur["y"][mask], predicted[mask]), rel=1e-12)


def test_spark_local_mode_computes_the_same_aggregates_as_duckdb(data, tmp_path):
    pyspark = pytest.importorskip("pyspark")
    import pyarrow.parquet as pq
    from pyspark.sql import SparkSession

    ref, cur, body = data
    spark = (SparkSession.builder.master("local[2]").appName("modeltrace-pushdown-test")
             .config("spark.sql.execution.arrow.pyspark.enabled", "true").config("spark.ui.enabled", "false")
             .config("spark.sql.shuffle.partitions", "4").getOrCreate())
    try:
        frames = []
        for name, cols in (("cur", cur), ("ref", ref)):
            pq.write_table(pa.table(cols), tmp_path / f"{name}.parquet")
            frames.append(spark.read.parquet(str(tmp_path / f"{name}.parquet")))
        spark_body = aggregates(*frames, label="y", score="score", features=["x"], slices=["region"])
    finally:
        spark.stop()
    assert pyspark.__version__
    for period in ("current", "reference"):
        spark_body[period]["confusion"]["slices"]["region"].sort(key=lambda group: group["value"])
        body[period]["confusion"]["slices"]["region"].sort(key=lambda group: group["value"])
    assert spark_body["current"] == body["current"] and spark_body["reference"] == body["reference"]
    spark_x, duck_x = spark_body["features"]["x"], body["features"]["x"]
    for kind in ("doane", "deciles"):
        assert np.allclose(spark_x["edges"][kind], duck_x["edges"][kind], rtol=1e-12, atol=0), kind
        assert spark_x["current"][kind] == duck_x["current"][kind], kind
        assert spark_x["reference"][kind] == duck_x["reference"][kind], kind
